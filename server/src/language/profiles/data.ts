/**
 * Built-in platform profiles: what a DesignWare endpoint controller looks like to the kernel once
 * its glue driver probed it (EPC features table, BAR descriptors, devicetree and hardware facts).
 *
 * Sources, in order of authority:
 * - kernel-background C.5 (get_features tables, newest form: RESERVED→D = 'disabled',
 *   UP = '64bit-upper'), E.2 (iATU), E.4 (eDMA detection), D.1/D.2 (map formats, doorbell);
 * - seed-series 2.1 (DWC_EPC_COMMON_FEATURES, reserved BAR subregions), 2.3, 7 (E13);
 * - where the sheets are silent, public devicetree sources and list threads, named in `unsure`.
 * Every value that is a guess or comes from outside the sheets has its reason in `unsure`.
 *
 * The array is deep-frozen: overrides must work on `cloneProfile()` copies.
 */
import type { BarDesc, BarType, EdmaGeometry, EpcFeatures, Profile } from './types';

const KiB = 1024;
const MiB = 1024 * KiB;

/** pci_epc_bar_desc shorthand. */
function bar(type: BarType, extra: Omit<BarDesc, 'type'> = {}): BarDesc {
  return { type, ...extra };
}

const P = (): BarDesc => bar('programmable');
const RESIZ = (): BarDesc => bar('resizable');
const D = (): BarDesc => bar('disabled');
const UP = (): BarDesc => bar('64bit-upper');

/**
 * Every DWC glue driver gets DWC_EPC_COMMON_FEATURES: dynamic_inbound_mapping and
 * subrange_mapping (seed-series 2.1, kernel-background C.1/C.5).
 */
function dwcFeatures(f: Omit<EpcFeatures, 'dynamicInboundMapping' | 'subrangeMapping'>): EpcFeatures {
  return { ...f, dynamicInboundMapping: true, subrangeMapping: true };
}

/**
 * DMA_LLP_MEM_SIZE = PAGE_SIZE: one 4 KiB linked-list region per channel and direction on a DWC EP
 * (kernel-background E.4 step 5, seed-series 2.3).
 */
const LL_PAGE = 4096;

/**
 * Interrupt-emulation doorbell: the peer writes rd_int_status (offset 0xa0 of the eDMA v0 map)
 * (kernel-background D.2 "Interrupt-emulation doorbell (patch)", D.7).
 */
const EDMA_V0_DOORBELL = 0xa0;

/** No integrated eDMA found by dw_pcie_edma_detect: the geometry is what the hardware has if forced present. */
function absentEdma(g: Omit<EdmaGeometry, 'present' | 'providerRegistered' | 'doorbellOffset'>): EdmaGeometry {
  return { ...g, present: false, providerRegistered: false, doorbellOffset: null };
}

const RK3588: Profile = {
  compatible: 'rockchip,rk3588-pcie-ep',
  name: 'Rockchip RK3588',
  glue: 'pcie-dw-rockchip.c',
  epcName: 'a40000000.pcie-ep',
  dwc: true,
  features: dwcFeatures({
    linkupNotifier: true,
    msiCapable: true,
    msixCapable: true,
    intxCapable: false,
    align: 64 * KiB,
    bars: [
      RESIZ(),
      RESIZ(),
      RESIZ(),
      RESIZ(),
      // BAR4 hardwires the ATU + DMA port-logic window to the host; the 2026 rsvd-region patch
      // describes the eDMA registers at BAR4+0x0, 0x2000 bytes (seed-series 2.1, C.5, E.4).
      bar('reserved', { rsvdRegions: [{ type: 'dma-ctrl-mmio', offset: 0x0, size: 0x2000 }] }),
      RESIZ(),
    ],
  }),
  // E13: "RK3588 apparently not" multi-function; DT sets no max-functions → 1.
  maxFunctions: 1,
  maxVfs: null,
  iatu: { inbound: 16, outbound: 16, regionAlign: 64 * KiB },
  edma: {
    present: true,
    mapFormat: 'unroll',
    wrChannels: 2,
    rdChannels: 2,
    llRegionSize: LL_PAGE,
    // No "dma" reg in the EP node: reg_base = atu (0xa_4030_0000, 1 MiB) + 0x80000 (E.4 step 2).
    regPhys: 0xa_4038_0000n,
    regSize: 0x2000,
    doorbellOffset: EDMA_V0_DOORBELL,
    // interrupt-names "dma0".."dma3": one IRQ per channel (E.4 step 4).
    irqs: 4,
    providerRegistered: true,
  },
  initAt: 'probe',
  unsure: {
    'edma.wrChannels':
      'kernel-background C.5/G: "2 wr + 2 rd — likely; verify". Outside the sheets, a linux-pci thread (Jan 2026, RK3588 EP) shows "a40000000.pcie-ep: eDMA: unroll T, 2 wr, 2 rd", which agrees.',
    'edma.rdChannels': 'See edma.wrChannels.',
    'edma.regPhys':
      'Not in the sheets: derived from the mainline DT (atu at 0xa_4030_0000) + DEFAULT_DBI_DMA_OFFSET 0x80000 (E.4); a 2026 list thread rings the emulated doorbell at 0xa403800a0, consistent with it.',
    'edma.regSize':
      'Modelled as the 8 KiB BAR4 reserved subregion (the aux resource is clamped to it, seed-series 2.3); the kernel may record atu_size − 0x80000 as the window size.',
    'iatu':
      'Not in the sheets: RK3588 boot logs on the lists show "iATU: unroll T, 16 ob, 16 ib, align 64K" (pcie3x4, RC mode).',
    'epcName': 'DT node is pcie-ep@fe150000, but the device is named after its first reg ("dbi" at 0xa_4000_0000), as in DESIGN §2 and kernel logs.',
  },
  ref: 'kernel-background C.5, E.2, E.4; seed-series 2.1, 7 (E13)',
};

const RK3568: Profile = {
  compatible: 'rockchip,rk3568-pcie-ep',
  name: 'Rockchip RK3568',
  glue: 'pcie-dw-rockchip.c',
  epcName: '3c0800000.pcie-ep',
  dwc: true,
  features: dwcFeatures({
    linkupNotifier: true,
    msiCapable: true,
    msixCapable: true,
    intxCapable: false,
    align: 64 * KiB,
    // All six resizable (C.5; before v6.14 all FIXED 1 MiB).
    bars: [RESIZ(), RESIZ(), RESIZ(), RESIZ(), RESIZ(), RESIZ()],
  }),
  maxFunctions: 1,
  maxVfs: null,
  iatu: { inbound: 8, outbound: 8, regionAlign: 64 * KiB },
  edma: {
    present: true,
    mapFormat: 'unroll',
    wrChannels: 2,
    rdChannels: 2,
    llRegionSize: LL_PAGE,
    regPhys: 0x3_c0b8_0000n,
    regSize: 0x2000,
    doorbellOffset: EDMA_V0_DOORBELL,
    irqs: 4,
    providerRegistered: true,
  },
  initAt: 'probe',
  unsure: {
    'epcName':
      'Not in the sheets: assumed the pcie3x2 controller, named after its "dbi" reg (0x3_c080_0000); boards using another lane/controller differ.',
    'edma':
      'Not in the sheets: assumed the same eDMA as RK3588 (unroll, 2 wr + 2 rd, IRQs "dma0".."dma3" from the shared Rockchip EP binding). On RK3588 only pcie3x4 has an eDMA; RK3568 has not been checked.',
    'edma.regPhys': 'Guess: dbi (0x3_c080_0000) + 0x380000, as on RK3588; no reserved BAR exposes it, so it must be mapped through a BAR subrange.',
    'iatu': 'Not in the sheets: 8 inbound / 8 outbound windows chosen as a plausible default; hardware-probed at init (E.2).',
  },
  ref: 'kernel-background C.5, E.2, E.4; seed-series 2.1',
};

const RCAR_S4: Profile = {
  compatible: 'renesas,r8a779f0-pcie-ep',
  name: 'Renesas R-Car S4 (R8A779F0)',
  glue: 'pcie-rcar-gen4.c',
  epcName: 'e65d0000.pcie-ep',
  dwc: true,
  features: dwcFeatures({
    linkupNotifier: false,
    msiCapable: true,
    msixCapable: false,
    intxCapable: false,
    align: 1 * MiB,
    bars: [P(), D(), P(), D(), bar('fixed', { fixedSize: 256 }), D()],
  }),
  // E13: R-Car S4 supports multi-function in hardware, but max-functions comes from the DT and
  // a node without it gives epc->max_functions = 1. Override `max-functions` to model more.
  maxFunctions: 1,
  maxVfs: null,
  iatu: { inbound: 16, outbound: 16, regionAlign: 4 * KiB },
  edma: {
    present: true,
    // Tested hardware of the seed series: "R-Car S4 EP … eDMA unroll; DMA register window mapped
    // through a BAR subrange" (seed-series 0).
    mapFormat: 'unroll',
    wrChannels: 2,
    rdChannels: 2,
    llRegionSize: LL_PAGE,
    regPhys: 0xe65d_5000n,
    regSize: 0x1200,
    doorbellOffset: EDMA_V0_DOORBELL,
    // interrupt-names includes a single "dma".
    irqs: 1,
    providerRegistered: true,
  },
  initAt: 'probe',
  unsure: {
    'maxFunctions': 'seed-series 7 (E13): the IP supports multi-function but the DT decides; 1 models a node without max-functions.',
    'edma.wrChannels':
      'Not in the sheets: 2 + 2 as in the seed-series 1.7 worked example; the 0x1200-byte "dma" window would fit up to 8 channels per direction.',
    'edma.rdChannels': 'See edma.wrChannels.',
    'edma.regPhys':
      'Not in the sheets: the "dma" reg of the mainline r8a779f0 pcie-ep@e65d0000 node (0xe65d5000, 0x1200). The seed-series 1.7 worked example instead assumes 0xE658_0000 / 0x2000 (and align 64 KiB); override edma-reg-phys, edma-reg-size and align to reproduce it.',
    'edma.regSize': 'See edma.regPhys.',
    'iatu': 'Not in the sheets: 16/16 windows with a 4 KiB minimum region chosen as plausible; hardware-probed at init (E.2).',
  },
  ref: 'kernel-background B.3, C.5, E.2, E.4; seed-series 0, 1.7, 2.1, 7 (E13)',
};

/**
 * Tegra194/234 BARs in the newest form. The sheets' C.5 row (BAR0 FIXED 1 MiB only_64bit, BAR1 UP,
 * BAR2..5 RESERVED→D) predates the NVIDIA series merged for v7.1 ("PCI: tegra194: Make BAR0
 * programmable and remove 1MB size limit", "PCI: tegra194: Expose BAR2 (MSI-X) and BAR4 (DMA) as
 * 64-bit BAR_RESERVED"), which also carries the reserved subregions the seed series quotes
 * (seed-series 2.1). BAR3/BAR5 are the upper halves of those 64-bit reserved BARs.
 */
function tegraBars(): EpcFeatures['bars'] {
  return [
    bar('programmable', { only64bit: true }),
    UP(),
    bar('reserved', {
      only64bit: true,
      rsvdRegions: [
        { type: 'msix-tbl-ram', offset: 0x0, size: 64 * KiB },
        { type: 'msix-pba-ram', offset: 0x10000, size: 64 * KiB },
      ],
    }),
    UP(),
    bar('reserved', { only64bit: true, rsvdRegions: [{ type: 'dma-ctrl-mmio', offset: 0x0, size: 4 * KiB }] }),
    UP(),
  ];
}

const TEGRA_UNSURE: Record<string, string> = {
  'features.bars[0]':
    'kernel-background C.5 lists BAR0 as FIXED 1 MiB only_64bit; the 2026 NVIDIA series merged for v7.1 makes it programmable (still 64-bit). Override `bar0 = fixed` + `bar0-fixed-size = 1M` for older kernels.',
  'features.bars[2]':
    'C.5 says RESERVED→D for BAR2..5; the rsvd-region patch (seed-series 2.1) makes BAR2/BAR4 BAR_RESERVED with subregions. The final patch also sets only_64bit on them (with "PCI: endpoint: Allow only_64bit on BAR_RESERVED"), although kernel-background C.1 says only_64bit must not be set on a RESERVED BAR.',
  'features.bars[3]':
    'Modelled as 64bit-upper (the patch: "BAR3 is BAR_64BIT_UPPER … BAR5 is BAR_64BIT_UPPER … allowing the host to use 64-bit BAR2 (MSI-X) and BAR4 (DMA)"); with the C.5-era table they would be disabled.',
  'features.bars[5]': 'See features.bars[3].',
  'features.msixCapable':
    'C.5: not MSI-X capable, even though BAR2 holds hardware MSI-X table/PBA RAM (the rsvd-region patch does not change msix_capable).',
  'edma.present':
    'Not in the sheets: the EP node names only the "intr" interrupt and its "atu_dma" region is 256 KiB (< 2 × 0x80000), so dw_pcie_edma_detect finds no reg_base and no DMA IRQ (E.4 steps 2 and 4) and no local provider registers. The hardware window is still reachable from the host through BAR4. Override `edma = yes`, `edma-provider = yes` (and `edma-doorbell`) to model a kernel that describes it.',
  'edma.wrChannels': 'Not in the sheets: 4 write / 2 read channels recalled from NVIDIA\'s Tegra PCIe DMA headers; unverified.',
  'edma.rdChannels': 'See edma.wrChannels.',
  'edma.regPhys': 'Guess: "atu_dma" base + 0x20000 of the C5 controller; unverified.',
  'iatu':
    'Not in the sheets: the Tegra194 EP binding example had num-ib-windows = 2 and num-ob-windows = 8 (deprecated properties; the kernel now probes the hardware, E.2).',
  'epcName':
    'Not in the sheets: the C5 controller (the only EP-capable one on P2972), named after its first reg ("appl" 0x141a0000); older DTs named the node pcie_ep@… giving "141a0000.pcie_ep".',
  'initAt': 'PERST#-driven core init (dw_pcie_ep_init_registers on PERST# deassert).',
};

const TEGRA194: Profile = {
  compatible: 'nvidia,tegra194-pcie-ep',
  name: 'NVIDIA Tegra194',
  glue: 'pcie-tegra194.c',
  epcName: '141a0000.pcie-ep',
  dwc: true,
  features: dwcFeatures({
    linkupNotifier: true,
    msiCapable: true,
    msixCapable: false,
    intxCapable: false,
    align: 64 * KiB,
    bars: tegraBars(),
  }),
  maxFunctions: 1,
  maxVfs: null,
  iatu: { inbound: 2, outbound: 8, regionAlign: 64 * KiB },
  edma: absentEdma({
    mapFormat: 'unroll',
    wrChannels: 4,
    rdChannels: 2,
    llRegionSize: LL_PAGE,
    regPhys: 0x3a06_0000n,
    regSize: 4 * KiB,
    irqs: 1,
  }),
  initAt: 'perst',
  unsure: { ...TEGRA_UNSURE },
  ref: 'kernel-background C.1, C.5, E.1, E.4; seed-series 2.1',
};

const TEGRA234: Profile = {
  ...TEGRA194,
  compatible: 'nvidia,tegra234-pcie-ep',
  name: 'NVIDIA Tegra234',
  iatu: { inbound: 2, outbound: 8, regionAlign: 64 * KiB },
  features: dwcFeatures({
    linkupNotifier: true,
    msiCapable: true,
    msixCapable: false,
    intxCapable: false,
    align: 64 * KiB,
    bars: tegraBars(),
  }),
  edma: absentEdma({
    mapFormat: 'unroll',
    wrChannels: 4,
    rdChannels: 2,
    llRegionSize: LL_PAGE,
    regPhys: 0x2a06_0000n,
    regSize: 4 * KiB,
    irqs: 1,
  }),
  unsure: {
    ...TEGRA_UNSURE,
    'profile':
      'The sheets treat Tegra194 and Tegra234 as one row (C.5) and the glue driver shares one features table; everything not stated is copied from Tegra194.',
    'edma.present':
      `${TEGRA_UNSURE['edma.present']} Tegra234 (IP ≥ 5.40a) is assumed unrolled, which needs a reg_base it does not get.`,
    'edma.regPhys': 'Guess: "atu_dma" base + 0x20000 of the Tegra234 C5 controller; unverified.',
    'epcName': 'Not in the sheets: assumed the C5 controller at 0x141a0000 as on Tegra194.',
  },
};

/** Qualcomm: PERST#-driven init, INTx via the glue (2025), 64-bit BAR0/BAR2 (C.5, E.3). */
function qcomFeatures(): EpcFeatures {
  return dwcFeatures({
    linkupNotifier: true,
    msiCapable: true,
    msixCapable: false,
    intxCapable: true,
    align: 4 * KiB,
    bars: [bar('programmable', { only64bit: true }), UP(), bar('programmable', { only64bit: true }), UP(), P(), P()],
  });
}

const SA8775P: Profile = {
  compatible: 'qcom,sa8775p-pcie-ep',
  name: 'Qualcomm SA8775P',
  glue: 'pcie-qcom-ep.c',
  epcName: '1c00000.pcie-ep',
  dwc: true,
  features: qcomFeatures(),
  maxFunctions: 1,
  maxVfs: null,
  iatu: { inbound: 8, outbound: 8, regionAlign: 4 * KiB },
  edma: {
    present: true,
    // HDMA native, counts preset by the glue (not discoverable), single "dma" IRQ (C.5, D.1, E.4).
    mapFormat: 'hdma-native',
    wrChannels: 8,
    rdChannels: 8,
    llRegionSize: LL_PAGE,
    regPhys: 0x4000_5000n,
    regSize: 0x2000,
    doorbellOffset: null,
    irqs: 1,
    providerRegistered: true,
  },
  initAt: 'perst',
  unsure: {
    'epcName': 'Not in the sheets: pcie0_ep (pcie-ep@1c00000) of the mainline sa8775p DT, named after its first reg ("parf").',
    'edma.regPhys': 'Not in the sheets: the "dma" reg of the mainline sa8775p pcie0_ep node (0x40005000, 0x2000).',
    'edma.regSize': 'See edma.regPhys.',
    'edma.doorbellOffset':
      'The interrupt-emulation doorbell is described for the eDMA v0 map (rd_int_status, D.2); whether HDMA native offers one is not stated, so none is modelled.',
    'iatu': 'Not in the sheets: 8/8 windows, 4 KiB minimum region chosen as plausible (E.2 says hardware-probed).',
  },
  ref: 'kernel-background B.4, C.5, D.1, E.1, E.4',
};

const SM8450: Profile = {
  compatible: 'qcom,sm8450-pcie-ep',
  name: 'Qualcomm SM8450',
  glue: 'pcie-qcom-ep.c',
  epcName: '1c08000.pcie-ep',
  dwc: true,
  features: qcomFeatures(),
  maxFunctions: 1,
  maxVfs: null,
  iatu: { inbound: 8, outbound: 8, regionAlign: 4 * KiB },
  edma: {
    present: true,
    // pci-epf-mhi: "sm8450 … uses eDMA" (kernel-background B.4); v0 map, counts read from CTRL.
    mapFormat: 'unroll',
    wrChannels: 2,
    rdChannels: 2,
    llRegionSize: LL_PAGE,
    regPhys: 0x4000_5000n,
    regSize: 0x2000,
    doorbellOffset: EDMA_V0_DOORBELL,
    // The Qualcomm glue presets edma.nr_irqs = 1 for every compatible.
    irqs: 1,
    providerRegistered: true,
  },
  initAt: 'perst',
  unsure: {
    'epcName': 'Not in the sheets: assumed the pcie1 controller (parf at 0x1c08000).',
    'edma.mapFormat': 'Not in the sheets: B.4 only says SM8450 uses eDMA; the unrolled v0 map is assumed.',
    'edma.wrChannels':
      'Not in the sheets: read from the CTRL register on real hardware; 2 + 2 is the Synopsys EDDA reference configuration (D.8) used as a neutral default.',
    'edma.rdChannels': 'See edma.wrChannels.',
    'edma.regPhys': 'Guess: same layout as SA8775P ("dma" at dbi + 0x5000, 8 KiB).',
    'iatu': 'Not in the sheets: 8/8 windows, 4 KiB minimum region chosen as plausible.',
  },
  ref: 'kernel-background B.4, C.5, E.1, E.4',
};

const IMX8MP: Profile = {
  compatible: 'fsl,imx8mp-pcie-ep',
  name: 'NXP i.MX8MP',
  glue: 'pci-imx6.c',
  epcName: '33800000.pcie-ep',
  dwc: true,
  features: dwcFeatures({
    linkupNotifier: false,
    msiCapable: true,
    msixCapable: false,
    intxCapable: false,
    align: 64 * KiB,
    bars: [P(), D(), P(), D(), bar('fixed', { fixedSize: 256 }), D()],
  }),
  maxFunctions: 1,
  maxVfs: null,
  iatu: { inbound: 4, outbound: 4, regionAlign: 64 * KiB },
  edma: {
    present: true,
    mapFormat: 'unroll',
    wrChannels: 2,
    rdChannels: 2,
    llRegionSize: LL_PAGE,
    // "atu" is 1 MiB at 0x33b00000, so reg_base = atu + 0x80000 (E.4 step 2).
    regPhys: 0x33b8_0000n,
    regSize: 0x2000,
    doorbellOffset: EDMA_V0_DOORBELL,
    // The EP node names one interrupt, "dma".
    irqs: 1,
    providerRegistered: true,
  },
  initAt: 'probe',
  unsure: {
    'edma':
      'Not in the sheets: the mainline i.MX8MP EP node has a "dma" interrupt and a 1 MiB "atu" region, so detection should find an eDMA; the map format (unroll) is assumed.',
    'edma.wrChannels':
      'Not in the sheets: read from CTRL on real hardware; 2 + 2 (Synopsys EDDA reference, D.8) is a neutral default. An i.MX8QXP log shows a 1 wr / 1 rd legacy eDMA, so the real count may be lower.',
    'edma.rdChannels': 'See edma.wrChannels.',
    'edma.regPhys': 'Derived from the mainline DT ("atu" 0x33b00000) + 0x80000; not in the sheets.',
    'iatu': 'Not in the sheets: the original i.MX8MP EP DT node set num-ib-windows = num-ob-windows = 4 (deprecated properties); region align assumed 64 KiB.',
  },
  ref: 'kernel-background C.5, E.2, E.4',
};

const IMX95: Profile = {
  compatible: 'fsl,imx95-pcie-ep',
  name: 'NXP i.MX95',
  glue: 'pci-imx6.c',
  epcName: '4c300000.pcie-ep',
  dwc: true,
  features: dwcFeatures({
    linkupNotifier: false,
    msiCapable: true,
    msixCapable: false,
    intxCapable: false,
    align: 4 * KiB,
    // HW defaults of the programmable BARs (C.5): BAR0 64-bit 1 MB, BAR2/BAR4 1 MB, BAR3/BAR5 64 KB.
    bars: [P(), bar('fixed', { fixedSize: 64 * KiB }), P(), P(), P(), P()],
  }),
  maxFunctions: 1,
  maxVfs: null,
  iatu: { inbound: 8, outbound: 8, regionAlign: 4 * KiB },
  edma: {
    present: true,
    // IP ≥ 5.40a: the kernel assumes the unrolled map (E.4 step 2).
    mapFormat: 'unroll',
    wrChannels: 2,
    rdChannels: 2,
    llRegionSize: LL_PAGE,
    regPhys: 0x4c38_0000n,
    regSize: 0x2000,
    doorbellOffset: EDMA_V0_DOORBELL,
    irqs: 1,
    providerRegistered: true,
  },
  initAt: 'probe',
  unsure: {
    'features.bars[1]': 'C.5: BAR1 is FIXED 64 KiB but disabled when BAR0 is made 64-bit (BAR1 then becomes its upper half).',
    'epcName': 'Not in the sheets: pcie-ep@4c300000 (first controller), named after its "dbi" reg.',
    'edma':
      'Not in the sheets: the i.MX EP binding has a "dma" interrupt; a reg_base is assumed to be found (E.4 step 2) and the count is a neutral 2 + 2 (Synopsys EDDA reference, D.8).',
    'edma.regPhys': 'Guess: dbi + 0x80000; not in the sheets.',
    'iatu': 'Not in the sheets: 8/8 windows; 4 KiB minimum region assumed from align = 4K.',
  },
  ref: 'kernel-background C.5, E.2, E.4',
};

const DW_GENERIC: Profile = {
  compatible: 'snps,dw-pcie-ep',
  name: 'Synopsys DesignWare EP (generic platform)',
  glue: 'pcie-designware-plat.c',
  epcName: 'dfc00000.pcie-ep',
  dwc: true,
  features: dwcFeatures({
    linkupNotifier: false,
    msiCapable: true,
    msixCapable: true,
    intxCapable: false,
    align: 0,
    bars: [P(), P(), P(), P(), P(), P()],
  }),
  maxFunctions: 1,
  maxVfs: null,
  iatu: { inbound: 8, outbound: 8, regionAlign: 64 * KiB },
  edma: {
    present: true,
    // Modelled on the Synopsys EDDA reference design: unroll, 2 wr + 2 rd, 1 IRQ, 8 KiB of
    // registers (D.8), at the address of the seed-series 1.7 worked example (window not in a BAR).
    mapFormat: 'unroll',
    wrChannels: 2,
    rdChannels: 2,
    llRegionSize: LL_PAGE,
    regPhys: 0xe658_0000n,
    regSize: 0x2000,
    doorbellOffset: EDMA_V0_DOORBELL,
    irqs: 1,
    providerRegistered: true,
  },
  initAt: 'probe',
  unsure: {
    'edma':
      'The generic platform driver presets nothing: whether an eDMA is found depends on the DT ("dma"/"atu" regs, "dma" IRQ). Modelled on the EDDA reference (D.8) at the seed-series 1.7 window address; override to match the board.',
    'epcName': 'Not in the sheets: the snps,dw-pcie-ep binding example (dbi at 0xdfc00000).',
    'iatu': 'Not in the sheets: 8/8 windows, 64 KiB (the default CX_ATU_MIN_REGION_SIZE, E.2).',
  },
  ref: 'kernel-background C.5, D.8, E.2, E.4; seed-series 1.7',
};

const AM654: Profile = {
  compatible: 'ti,am654-pcie-ep',
  name: 'TI AM654',
  glue: 'pci-keystone.c',
  epcName: '5500000.pcie-ep',
  dwc: true,
  features: dwcFeatures({
    linkupNotifier: false,
    msiCapable: true,
    msixCapable: true,
    intxCapable: false,
    align: 64 * KiB,
    bars: [
      bar('reserved'),
      bar('reserved'),
      RESIZ(),
      bar('fixed', { fixedSize: 64 * KiB }),
      bar('fixed', { fixedSize: 256 }),
      RESIZ(),
    ],
  }),
  maxFunctions: 1,
  maxVfs: null,
  iatu: { inbound: 16, outbound: 16, regionAlign: 64 * KiB },
  edma: absentEdma({
    mapFormat: 'legacy',
    wrChannels: 1,
    rdChannels: 1,
    llRegionSize: LL_PAGE,
    regPhys: 0n,
    regSize: 0,
    irqs: 0,
  }),
  initAt: 'probe',
  unsure: {
    'features.intxCapable':
      'C.5 lists intx_capable = n for the features table, although the AM654 glue raise_irq implements INTx (E.3).',
    'edma.present':
      'Not in the sheets: the AM654 EP node names no "dma"/"dmaN" interrupt and its "atu" region is 4 KiB, so dw_pcie_edma_detect skips the eDMA ("Invalid eDMA IRQs found" or no reg_base, E.4). If forced present, a pre-5.40a IP with a viewport would be legacy; counts and window are placeholders.',
    'epcName': 'Not in the sheets: pcie0_ep, named after its first reg ("app" 0x5500000).',
    'iatu': 'Not in the sheets: 16/16 windows assumed; 64 KiB region.',
  },
  ref: 'kernel-background C.5, E.2, E.3, E.4',
};

/** Recursively freezes plain data (bigint/number/string leaves stay as they are). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export const PROFILES: readonly Profile[] = deepFreeze([
  RK3588,
  RK3568,
  RCAR_S4,
  TEGRA194,
  TEGRA234,
  SA8775P,
  SM8450,
  IMX8MP,
  IMX95,
  DW_GENERIC,
  AM654,
]);
