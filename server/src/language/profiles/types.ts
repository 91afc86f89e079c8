/**
 * Platform profiles: what the kernel probed for a DesignWare endpoint controller (devicetree and
 * hardware facts), as data. `[platform/<epc>]` with `compatible = …` selects one; every field can be
 * overridden in that section (see `overrides.ts`).
 */

/** enum pci_epc_bar_type (kernel-background C.1). */
export type BarType = 'programmable' | 'fixed' | 'resizable' | 'reserved' | '64bit-upper' | 'disabled';

/** enum pci_epc_bar_rsvd_region_type (kernel-background C.1, seed-series 2.1). */
export type RsvdRegionType = 'dma-ctrl-mmio' | 'msix-tbl-ram' | 'msix-pba-ram';

export interface RsvdRegion {
  type: RsvdRegionType;
  offset: number;
  size: number;
}

/** struct pci_epc_bar_desc. */
export interface BarDesc {
  type: BarType;
  /** Only for 'fixed'. */
  fixedSize?: number;
  /** The EPF must make this BAR 64-bit; the next BAR is then '64bit-upper'. */
  only64bit?: boolean;
  rsvdRegions?: RsvdRegion[];
}

/** struct pci_epc_features. */
export interface EpcFeatures {
  linkupNotifier: boolean;
  msiCapable: boolean;
  msixCapable: boolean;
  intxCapable: boolean;
  dynamicInboundMapping: boolean;
  subrangeMapping: boolean;
  /** Required alignment of BAR backing memory (bytes); 0 = none. */
  align: number;
  bars: [BarDesc, BarDesc, BarDesc, BarDesc, BarDesc, BarDesc];
}

/** enum dw_edma_map_format (kernel-background D.1). */
export type MapFormat = 'legacy' | 'unroll' | 'hdma-compat' | 'hdma-native';
export const MAP_FORMAT_VALUE: Record<MapFormat, number> = { legacy: 0, unroll: 1, 'hdma-compat': 5, 'hdma-native': 7 };

export interface EdmaGeometry {
  /** Whether dw_pcie_edma_detect finds an eDMA (kernel-background E.4). */
  present: boolean;
  mapFormat: MapFormat;
  /** Hardware channel counts per direction (write = EP→RC, read = RC→EP), 1..8 (HDMA up to 64 with the AMD patch). */
  wrChannels: number;
  rdChannels: number;
  /** LL region size per channel in bytes (DMA_LLP_MEM_SIZE = PAGE_SIZE = 4096 on DWC EP); 0 = non-LL. */
  llRegionSize: number;
  /** Physical address and size of the eDMA register window. */
  regPhys: bigint;
  regSize: number;
  /** Interrupt-emulation doorbell offset inside the register window, or null when absent (~0). */
  doorbellOffset: number | null;
  /** Number of eDMA IRQ lines ("dma" → 1, or "dma0".."dmaN"). */
  irqs: number;
  /** Whether the local DW eDMA provider registers (edma->dw non-NULL). */
  providerRegistered: boolean;
}

export interface IatuGeometry {
  inbound: number;
  outbound: number;
  /** Minimum region size / alignment (CX_ATU_MIN_REGION_SIZE), 4 KiB … 64 KiB. */
  regionAlign: number;
}

export interface Profile {
  compatible: string;
  /** Human name, e.g. "Rockchip RK3588". */
  name: string;
  /** Glue driver source file, e.g. `pcie-dw-rockchip.c`. */
  glue: string;
  /** The controller's usual device name (configfs `controllers/<name>`), e.g. `a40000000.pcie-ep`. */
  epcName: string;
  /** Whether the controller is DesignWare-based (all built-in profiles are, except contrasts). */
  dwc: boolean;
  features: EpcFeatures;
  /** DT `max-functions` (DWC default 1). */
  maxFunctions: number;
  /** Virtual functions per physical function (`max_vfs`); null = not populated (DWC). */
  maxVfs: number[] | null;
  iatu: IatuGeometry;
  edma: EdmaGeometry;
  /**
   * When the EPC's registers are initialised (pci_epc_init_notify): at controller probe, or only
   * when the host deasserts PERST# (Qualcomm, Tegra: after `start` and link training).
   */
  initAt: 'probe' | 'perst';
  /** Field path (e.g. `edma.wrChannels`) → why the value is not certain. */
  unsure: Record<string, string>;
  /** Reference sheet sections the data comes from. */
  ref: string;
}
