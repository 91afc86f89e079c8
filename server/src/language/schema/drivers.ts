/**
 * Endpoint function drivers (the directory names under `functions/`) with their probe-time header
 * defaults and their own configfs attribute group `<driver>.<N>/` (kernel-background A.1, B;
 * seed-series 6.1 for pci_epf_dma).
 *
 * Store checks are listed in the order the driver's store callback makes them: the emulator
 * runs them in that order and fails with the first one that does not hold.
 */

import type { AttributeSpec, DriverSpec, StoreCheck } from './types';

// ---------------------------------------------------------------------------------------------
// pci_epf_dma (patch series, seed-series 6.1)

const DMA_PATCH = 'Koichiro Den, "PCI: endpoint: Add PCI DMA endpoint function" (part 3, v1–v4, May–Jul 2026); not mainline';

/**
 * seed-series 6.1 says all four attributes return EOPNOTSUPP once the function is bound, but not
 * whether that test runs before or after the value is parsed. We put it first, so junk written
 * after linking reports EOPNOTSUPP rather than EINVAL/ERANGE; the docs and refs say so.
 */
const DMA_ORDER_NOTE =
  'The sheet does not show whether the bound check runs before or after parsing; this schema checks it first.';
const DMA_REF = 'seed-series 6.1 (bound-check-before-parse order assumed: not visible in the sheet)';

function dmaBarAttribute(name: 'metadata_bar' | 'dma_window_bar', other: 'metadata_bar' | 'dma_window_bar'): AttributeSpec {
  const what =
    name === 'metadata_bar'
      ? 'BAR that carries the "PEDM" metadata blob the host parser looks for (and the MSI-X table when MSI-X is used); ' +
        '-1 (default) lets bind pick the first free BAR that holds no fixed resource.'
      : 'BAR that is subrange-mapped onto the DMA register window and descriptor memory when they have no fixed BAR of ' +
        'their own; -1 (default) lets bind pick one (other than the metadata BAR) if a window is needed.';
  const bindNote =
    name === 'metadata_bar'
      ? 'At bind the chosen BAR must be usable (not RESERVED/DISABLED) and hold no fixed resource, else EINVAL ' +
        '(seed-series 6.2 step 3).'
      : 'A window is needed only when the register window or a descriptor region has no fixed BAR; then the EPC must ' +
        'support subrange and dynamic inbound mapping (else EOPNOTSUPP) and the BAR must be usable, differ from the ' +
        'metadata BAR and hold no fixed resource (else EINVAL). A user-set value is validated even when no window is ' +
        'needed (seed-series 6.2 step 4, E19).';
  return {
    name,
    group: 'driver-group',
    parse: { kind: 'int', type: 's32' },
    store: [
      { check: 'unbound', errno: 'EOPNOTSUPP' },
      { check: 'parse', errno: 'passthrough' },
      { check: 'range', min: -1, max: 5, errno: 'EINVAL' },
      { check: 'differs', from: other, unless: -1, errno: 'EINVAL' },
    ],
    show: '%d',
    defaultValue: -1,
    doc:
      `${what} Parsed as an int with base 0 (hex and octal accepted) and shown with \`%d\`; the write fails with ` +
      `EOPNOTSUPP once the function is bound, with EINVAL outside -1..5 or when equal to a set \`${other}\`. ` +
      DMA_ORDER_NOTE,
    ref: DMA_REF,
    bindNote,
  };
}

function dmaChansAttribute(name: 'wr_chans' | 'rd_chans'): AttributeSpec {
  const dir =
    name === 'wr_chans'
      ? 'eDMA/HDMA write channels (data moves endpoint → host, "ep-to-rc")'
      : 'eDMA/HDMA read channels (data moves host → endpoint, "rc-to-ep")';
  return {
    name,
    group: 'driver-group',
    parse: { kind: 'int', type: 'u16' },
    store: [
      { check: 'unbound', errno: 'EOPNOTSUPP' },
      { check: 'parse', errno: 'passthrough' },
      { check: 'range', max: 8, errno: 'EINVAL' },
    ],
    show: '%u',
    defaultValue: 0,
    doc:
      `How many ${dir} are delegated to the host, always the dense prefix 0..N-1. Parsed with \`kstrtou16\` base 0 ` +
      '(parse errors such as ERANGE are returned as-is); more than 8 fails with EINVAL, and any write fails with ' +
      `EOPNOTSUPP once the function is bound. ${DMA_ORDER_NOTE}`,
    ref: DMA_REF,
    bindNote:
      'At bind: wr_chans = rd_chans = 0 fails with EINVAL ("no DMA channels requested"); more than the controller ' +
      'has in that direction fails with EINVAL (E28); on eDMA unroll / HDMA-compat maps a direction must be 0 or all ' +
      'of its channels, else EOPNOTSUPP (E27); HDMA native accepts any dense prefix.',
  };
}

const PCI_EPF_DMA: DriverSpec = {
  name: 'pci_epf_dma',
  summary: 'Exposes the endpoint controller\'s integrated DesignWare eDMA/HDMA channels to the host (patch series).',
  doc:
    'Delegates channels of the controller\'s integrated DesignWare eDMA/HDMA to the host: a metadata BAR carries the ' +
    'little-endian "PEDM" blob (register window, channels, descriptor memory), and an optional DMA window BAR is ' +
    'subrange-mapped onto the register window and descriptors when they have no fixed BAR. Bind needs the EPC\'s ' +
    'auxiliary DMA resources, an MSI- or MSI-X-capable controller with `msi_interrupts` or `msix_interrupts` set, ' +
    'and at least one of `wr_chans`/`rd_chans`; all group attributes must be written before linking. The host side ' +
    'is `dw-edma-pcie`, bound explicitly through driver_override (class 0801, no fixed PCI ID).',
  ref: 'seed-series 6.1, 6.2, 6.6',
  interfaces: 'primary',
  headerDefaults: {
    vendorid: 0xffff,
    deviceid: 0xffff,
    baseclass_code: 0x08,
    subclass_code: 0x01,
    interrupt_pin: 1,
  },
  hasGroup: true,
  groupAttributes: [
    dmaBarAttribute('metadata_bar', 'dma_window_bar'),
    dmaBarAttribute('dma_window_bar', 'metadata_bar'),
    dmaChansAttribute('wr_chans'),
    dmaChansAttribute('rd_chans'),
  ],
  patchOnly: DMA_PATCH,
};

// ---------------------------------------------------------------------------------------------
// pci_epf_test (mainline; barN_size group from a patch, kernel-background B.1)

/** Mainline default BAR sizes in bytes, by BAR index (kernel-background B.1, up to ~v6.19). */
const TEST_DEFAULT_BAR_SIZES = [512, 512, 1024, 16384, 131072, 1048576] as const;

const TEST_BAR_PATCH = 'Niklas Cassel, pci-epf-test configurable BAR sizes (v4, early 2026); not mainline';

function testBarSizeAttribute(bar: number): AttributeSpec {
  return {
    name: `bar${bar}_size`,
    group: 'driver-group',
    parse: { kind: 'int', type: 'u32' },
    store: [
      { check: 'unbound', errno: 'EINVAL' },
      { check: 'parse', errno: 'passthrough' },
      { check: 'pow2', errno: 'EINVAL' },
    ],
    show: '%zu',
    defaultValue: TEST_DEFAULT_BAR_SIZES[bar],
    doc:
      `Size in bytes of the buffer pci-epf-test allocates for BAR${bar} (default ${TEST_DEFAULT_BAR_SIZES[bar]}), shown ` +
      'with `%zu`. Parsed with `kstrtouint` base 0 (parse errors returned as-is); the value must be a power of two ' +
      '(0 is not) else EINVAL, and writes fail with EINVAL once the function is linked, so set it before `ln -s`. ' +
      'Ignored for FIXED and RESERVED BARs. Only exists with Niklas Cassel\'s patch (v4, early 2026): mainline ' +
      'pci_epf_test has no attribute group.',
    ref: 'kernel-background B.1 (patch: Niklas Cassel v4, early 2026 — not mainline)',
    patchOnly: TEST_BAR_PATCH,
  };
}

const PCI_EPF_TEST: DriverSpec = {
  name: 'pci_epf_test',
  summary: 'PCI endpoint test function, driven from the host by pci_endpoint_test / pcitest.',
  doc:
    'The mainline test function: the first usable BAR (normally BAR0) becomes the test-register BAR holding a ' +
    '128-byte register block (plus the MSI-X table when MSI-X capable), and every other free BAR gets a buffer ' +
    '(512 B, 512 B, 1 KiB, 16 KiB, 128 KiB, 1 MiB by default). Bind calls pci_epc_set_msi / set_msix when the ' +
    'controller is capable, so `msi_interrupts` (1..32) and `msix_interrupts` (1..2048) must be set first. READ/WRITE ' +
    'tests can use the controller\'s eDMA channels; the host side is the `pci_endpoint_test` driver.',
  ref: 'kernel-background B.1',
  interfaces: 'primary',
  headerDefaults: {
    vendorid: 0xffff,
    deviceid: 0xffff,
    baseclass_code: 0xff,
    interrupt_pin: 1,
  },
  hasGroup: true,
  groupAttributes: [0, 1, 2, 3, 4, 5].map(testBarSizeAttribute),
};

// ---------------------------------------------------------------------------------------------
// pci_epf_ntb and pci_epf_vntb (kernel-background B.2, B.3)

const MAX_MW = 4;

/**
 * How each NTB driver reports a parse failure. pci-epf-ntb was switched to return EINVAL for every
 * parse failure in 2021 ("PCI/sysfs: Return -EINVAL consistently from store functions"), before
 * pci-epf-vntb existed; vNTB returns the parser's own error (ERANGE on overflow).
 */
type NtbFlavor = { driver: 'pci_epf_ntb' | 'pci_epf_vntb'; parseErrno: 'EINVAL' | 'passthrough'; ref: string };

const NTB: NtbFlavor = {
  driver: 'pci_epf_ntb',
  parseErrno: 'EINVAL',
  ref: 'kernel-background B.2 (parse errors → EINVAL per the 2021 "Return -EINVAL consistently" change)',
};
const VNTB: NtbFlavor = { driver: 'pci_epf_vntb', parseErrno: 'passthrough', ref: 'kernel-background B.3' };

function parseErrText(f: NtbFlavor): string {
  return f.parseErrno === 'EINVAL' ? 'any parse failure is EINVAL' : 'parse errors are returned as-is, ERANGE on overflow';
}

function ntbU32Attribute(f: NtbFlavor, name: string, what: string, extra: string, bindNote?: string, defaultValue = 0): AttributeSpec {
  return {
    name,
    group: 'driver-group',
    parse: { kind: 'int', type: 'u32' },
    store: [{ check: 'parse', errno: f.parseErrno }],
    show: '%d',
    defaultValue,
    doc: `${what} Parsed with \`kstrtou32\` base 0 (${parseErrText(f)}) and shown with \`%d\`. ${extra}`.trim(),
    ref: f.ref,
    ...(bindNote === undefined ? {} : { bindNote }),
  };
}

function ntbNumMws(f: NtbFlavor): AttributeSpec {
  return {
    name: 'num_mws',
    group: 'driver-group',
    parse: { kind: 'int', type: 'u32' },
    store: [
      { check: 'parse', errno: f.parseErrno },
      { check: 'range', max: MAX_MW, errno: 'EINVAL' },
    ],
    show: '%d',
    defaultValue: 0,
    doc:
      `Number of memory windows (0..${MAX_MW}). Parsed with \`kstrtou32\` base 0 (${parseErrText(f)}), shown with ` +
      `\`%d\`; more than ${MAX_MW} fails the write with EINVAL. Write it before \`mw1\`..\`mw${MAX_MW}\`, which are ` +
      'refused for windows beyond it.',
    ref: f.ref,
    ...(f.driver === 'pci_epf_vntb'
      ? { bindNote: 'If auto BAR assignment runs out of free BARs for MW2..MWn, vNTB silently reduces num_mws.' }
      : {}),
  };
}

function ntbMw(f: NtbFlavor, n: number): AttributeSpec {
  return {
    name: `mw${n}`,
    group: 'driver-group',
    parse: { kind: 'int', type: 'u64' },
    store: [
      { check: 'parse', errno: f.parseErrno },
      { check: 'index-le', sibling: 'num_mws', index: n, errno: 'EINVAL', log: 'Invalid num_nws' },
    ],
    show: '%lld',
    defaultValue: 0,
    doc:
      `Size in bytes of memory window ${n}. Parsed with \`kstrtou64\` base 0 (${parseErrText(f)}), shown with ` +
      `\`%lld\`; the write fails with EINVAL unless ${n} ≤ \`num_mws\` (kernel log "Invalid num_nws", the ` +
      'kernel\'s own typo), so set `num_mws` first.',
    ref: f.ref,
  };
}

const DB_COUNT_BIND = 'More than 32 doorbells (MAX_DB_COUNT) fails at bind ("DB count cannot be more than 32").';

function ntbCommonAttributes(f: NtbFlavor): AttributeSpec[] {
  const spadWhat =
    f.driver === 'pci_epf_ntb'
      ? 'Number of 32-bit scratchpad registers each host sees (doc sample 128).'
      : 'Number of 32-bit scratchpad registers on each side (doc sample 128); they live in the config BAR.';
  const dbWhat =
    f.driver === 'pci_epf_ntb'
      ? 'Number of doorbells (doc sample 4); the doorbell shares a BAR with MW1.'
      : 'Number of doorbells (doc sample 4); the doorbell BAR is max(128, 4 × db_count) bytes, rounded.';
  return [
    // pci-epf-ntb starts with SPAD_COUNT 64 and DB_COUNT 4; vNTB's probe leaves both 0 (B.2, B.3).
    ntbU32Attribute(f, 'spad_count', spadWhat, '', undefined, f.driver === 'pci_epf_ntb' ? 64 : 0),
    ntbU32Attribute(f, 'db_count', dbWhat, '', DB_COUNT_BIND, f.driver === 'pci_epf_ntb' ? 4 : 0),
    ntbNumMws(f),
    ...[1, 2, 3, 4].map((n) => ntbMw(f, n)),
  ];
}

const PCI_EPF_NTB: DriverSpec = {
  name: 'pci_epf_ntb',
  summary: 'Non-transparent bridge between two hosts, using two endpoint controllers.',
  doc:
    'Connects two hosts through two endpoint controllers: the function must be linked in both `primary/` and ' +
    '`secondary/` (to different controllers) and binds only once both links exist. On each interface it assigns, in ' +
    'free-BAR order, a CONFIG BAR (control block + own scratchpads), a PEER_SPAD BAR, a doorbell BAR shared with MW1, ' +
    'and MW2..MW4. Set `num_mws` before `mwN`; `db_count` above 32 fails at bind.',
  ref: 'kernel-background B.2',
  interfaces: 'primary+secondary',
  // The sheet names vendorid and interrupt_pin; deviceid and the memory base class were checked
  // against the driver's header table in the public tree (same as pci_epf_vntb's).
  headerDefaults: { vendorid: 0xffff, deviceid: 0xffff, baseclass_code: 0x05, interrupt_pin: 1 },
  hasGroup: true,
  groupAttributes: ntbCommonAttributes(NTB),
};

const VNTB_BARS: readonly { name: string; what: string }[] = [
  { name: 'ctrl_bar', what: 'the config BAR (control block + scratchpads)' },
  { name: 'db_bar', what: 'the doorbell BAR' },
  { name: 'mw1_bar', what: 'memory window 1' },
  { name: 'mw2_bar', what: 'memory window 2' },
  { name: 'mw3_bar', what: 'memory window 3' },
  { name: 'mw4_bar', what: 'memory window 4' },
];

function vntbBarAttribute(b: { name: string; what: string }): AttributeSpec {
  const mw2Bug =
    b.name === 'mw2_bar'
      ? ' Before a July 2025 fix this file wrote the MW1 slot instead of MW2.'
      : '';
  const store: StoreCheck[] = [
    { check: 'parse', errno: 'passthrough' },
    { check: 'range', min: -1, max: 5, errno: 'EINVAL' },
  ];
  return {
    name: b.name,
    group: 'driver-group',
    parse: { kind: 'int', type: 's32' },
    store,
    show: '%d',
    defaultValue: -1,
    doc:
      `Explicit BAR number for ${b.what}; -1 (default, NO_BAR) means assign automatically from the free BARs. ` +
      'Parsed with `kstrtoint` base 0 (parse errors returned as-is) and shown with `%d`; values outside -1..5 fail ' +
      `with EINVAL. The store does not stop two roles from naming the same BAR; that only fails later at bind.${mw2Bug}`,
    ref: 'kernel-background B.3 (commit 4eacb24f6fa3 "Allow BAR assignment via configfs")',
    bindNote:
      'Auto assignment skips explicitly chosen BARs; CONFIG, DB and MW1 are mandatory and fail the bind with ' +
      'EINVAL ("Fail to get NTB function BAR") when no BAR is left.',
  };
}

const PCI_EPF_VNTB: DriverSpec = {
  name: 'pci_epf_vntb',
  summary: 'Virtual NTB between the host and the endpoint\'s own Linux (one controller).',
  doc:
    'Bridges the host and the endpoint SoC\'s own Linux through one controller, linked via `primary/`. The endpoint ' +
    'side gets a virtual PCI bus (`vbus_number`) with an NTB device `vntb_vid`:`vntb_pid` served by the pci-vntb ' +
    'driver; the host binds ntb_hw_epf. BARs for the config block, doorbells and MW1..MW4 are taken from free BARs ' +
    'in order unless `ctrl_bar`/`db_bar`/`mwN_bar` pin them. Doorbells use 16 MSI vectors, so the controller must be ' +
    'MSI- or MSI-X-capable; MW translation relies on DWC dynamic inbound mapping.',
  ref: 'kernel-background B.3',
  interfaces: 'primary',
  headerDefaults: { vendorid: 0xffff, deviceid: 0xffff, baseclass_code: 0x05, interrupt_pin: 1 },
  hasGroup: true,
  groupAttributes: [
    ...ntbCommonAttributes(VNTB),
    ntbU32Attribute(
      VNTB,
      'vbus_number',
      'Bus number of the virtual PCI bus the endpoint\'s Linux creates for the vNTB device (default 0xff).',
      '',
      undefined,
      0xff,
    ),
    ntbU32Attribute(
      VNTB,
      'vntb_pid',
      'PCI Device ID of the virtual NTB device on the endpoint-side bus (must match the pci-vntb driver).',
      'The driver stores it in a u16, so a value above 0xffff is silently truncated to its low 16 bits.',
    ),
    ntbU32Attribute(
      VNTB,
      'vntb_vid',
      'PCI Vendor ID of the virtual NTB device on the endpoint-side bus (must match the pci-vntb driver).',
      'The driver stores it in a u16, so a value above 0xffff is silently truncated to its low 16 bits.',
    ),
    ...VNTB_BARS.map(vntbBarAttribute),
  ],
};

// ---------------------------------------------------------------------------------------------
// pci_epf_mhi_* (kernel-background B.4)

interface MhiSoc {
  soc: 'sa8775p' | 'sdx55' | 'sm8450';
  deviceid: number;
  baseclass: number;
  subclass?: number;
  classText: string;
  dma: string;
}

const MHI_SOCS: readonly MhiSoc[] = [
  {
    soc: 'sa8775p',
    deviceid: 0x0116,
    baseclass: 0xff,
    classText: 'class 0xff',
    dma: 'It moves data with the controller\'s HDMA engine. Older kernels used device ID 0x0306 here.',
  },
  {
    soc: 'sdx55',
    deviceid: 0x0306,
    baseclass: 0x07,
    subclass: 0x03,
    classText: 'communication / modem class (0703)',
    dma: 'It moves data with CPU copies (no DMA flag).',
  },
  {
    soc: 'sm8450',
    deviceid: 0x0306,
    baseclass: 0xff,
    classText: 'class 0xff',
    dma: 'It moves data with the controller\'s eDMA engine.',
  },
];

function mhiDriver(m: MhiSoc): DriverSpec {
  const headerDefaults: Record<string, number> = {
    vendorid: 0x17cb,
    deviceid: m.deviceid,
    baseclass_code: m.baseclass,
    interrupt_pin: 1,
  };
  if (m.subclass !== undefined) headerDefaults.subclass_code = m.subclass;
  const dev = `0x${m.deviceid.toString(16).padStart(4, '0')}`;
  return {
    name: `pci_epf_mhi_${m.soc}`,
    summary: `Qualcomm MHI endpoint function for ${m.soc.toUpperCase()} (17cb:${dev.slice(2)}).`,
    doc:
      `Qualcomm Modem Host Interface endpoint for ${m.soc.toUpperCase()}: it exposes BAR0 only, a 32-bit memory BAR ` +
      'mapping the controller\'s MHI MMIO register space, and uses 32 MSI vectors. ' +
      `The header comes from the driver's per-SoC table (vendor 0x17cb, device ${dev}, ${m.classText}, INTA), ` +
      'installed at probe; the header attributes stay writable, but the values are meant to be the driver\'s. ' +
      `${m.dma} There is no driver-specific configfs group.`,
    ref: 'kernel-background B.4',
    interfaces: 'primary',
    headerDefaults,
    hasGroup: false,
    groupAttributes: [],
  };
}

/** All known endpoint function drivers, by the name of their directory under functions/. */
export const DRIVERS: readonly DriverSpec[] = [
  PCI_EPF_DMA,
  PCI_EPF_TEST,
  PCI_EPF_NTB,
  PCI_EPF_VNTB,
  ...MHI_SOCS.map(mhiDriver),
];
