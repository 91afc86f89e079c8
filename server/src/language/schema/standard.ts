/**
 * The attributes every endpoint function directory has (the twelve header/interrupt files of
 * kernel-background A.2) and the controller's `start` file (A.3).
 *
 * All of them turn any parse failure into EINVAL: the pci_ep configfs core does not pass the
 * parser's ERANGE through, so `echo 256 > revid` fails with "Invalid argument" (A.2).
 */

import type { AttributeSpec, IntType } from './types';

/** Header fields: name, width, DWC DBI config-space offset, and what the field means. */
interface HeaderField {
  name: string;
  type: Extract<IntType, 'u8' | 'u16'>;
  /** Config-space offset the value is written to by pci_epc_write_header (A.2). */
  offset: string;
  what: string;
  /** Extra sentence (range facts, oddities). */
  note?: string;
}

const HEADER_FIELDS: readonly HeaderField[] = [
  {
    name: 'vendorid',
    type: 'u16',
    offset: '0x00',
    what: 'PCI Vendor ID the host enumerates (e.g. `0x104c` for TI); most drivers leave 0xffff (PCI_ANY_ID) until you set it.',
  },
  {
    name: 'deviceid',
    type: 'u16',
    offset: '0x02',
    what: 'PCI Device ID the host enumerates; together with `vendorid` it decides which host driver binds.',
  },
  {
    name: 'revid',
    type: 'u8',
    offset: '0x08',
    what: 'PCI Revision ID byte.',
    note: 'It is a u8, but the show format still prints four hex digits (`0x0001`).',
  },
  {
    name: 'progif_code',
    type: 'u8',
    offset: '0x09',
    what: 'Programming-interface byte of the PCI class code.',
  },
  {
    name: 'subclass_code',
    type: 'u8',
    offset: '0x0a',
    what: 'Sub-class byte of the PCI class code (lspci shows it as the low byte of `[bbss]`).',
  },
  {
    name: 'baseclass_code',
    type: 'u8',
    offset: '0x0b',
    what: 'Base-class byte of the PCI class code (e.g. 0xff "Unassigned class", 0x08 system peripheral).',
  },
  {
    name: 'cache_line_size',
    type: 'u8',
    offset: '0x0c',
    what: 'Cache Line Size register value, in 32-bit words.',
  },
  {
    name: 'subsys_vendor_id',
    type: 'u16',
    offset: '0x2c',
    what: 'Subsystem Vendor ID.',
    note: 'The kernel documentation once listed it as `subsys_vendorid`; the real file name has the underscore.',
  },
  {
    name: 'subsys_id',
    type: 'u16',
    offset: '0x2e',
    what: 'Subsystem ID.',
  },
  {
    name: 'interrupt_pin',
    type: 'u8',
    offset: '0x3d',
    what: 'Legacy INTx pin: 0 none, 1 INTA, 2 INTB, 3 INTC, 4 INTD.',
    note: 'configfs accepts any u8 without a range check, so values above 4 are stored as written (the validator warns).',
  },
];

function maxOf(type: 'u8' | 'u16'): number {
  return type === 'u8' ? 0xff : 0xffff;
}

function headerAttribute(f: HeaderField): AttributeSpec {
  const doc = [
    f.what,
    `Written with \`kstrto${f.type}\` base 0 (\`0x\` hex, leading \`0\` octal, else decimal; one trailing newline allowed); ` +
      `junk or a value above 0x${maxOf(f.type).toString(16)} fails the write with EINVAL, and reading shows \`0x%04x\`.`,
    f.note,
    `The value is only stored at write time; it reaches the hardware when the driver initialises the controller ` +
      `(epc_init → \`pci_epc_write_header()\`, DWC DBI config offset ${f.offset}).`,
  ]
    .filter((s): s is string => s !== undefined)
    .join(' ');
  return {
    name: f.name,
    group: 'function',
    parse: { kind: 'int', type: f.type },
    store: [{ check: 'parse', errno: 'EINVAL' }],
    show: '0x%04x',
    // The header struct starts zeroed; each driver's probe overlays DriverSpec.headerDefaults.
    defaultValue: 0,
    doc,
    ref: 'kernel-background A.2',
  };
}

const MSI_INTERRUPTS: AttributeSpec = {
  name: 'msi_interrupts',
  group: 'function',
  parse: { kind: 'int', type: 'u8' },
  store: [{ check: 'parse', errno: 'EINVAL' }],
  show: '%d',
  defaultValue: 0,
  doc:
    'Number of MSI vectors the function asks for (stored in `epf->msi_interrupts`, shown in decimal with `%d`). ' +
    'Written with `kstrtou8` base 0; junk or a value above 255 fails the write with EINVAL, but the real range is only ' +
    'enforced when the driver binds / runs epc_init and calls `pci_epc_set_msi()`: 1..32, and the MSI capability ' +
    'advertises the count rounded up to a power of two (Multiple Message Capable is log2-encoded, so 5 becomes 8).',
  ref: 'kernel-background A.2, A.4',
  bindNote:
    'On an MSI-capable controller the driver passes this to pci_epc_set_msi at bind/epc_init: 0 or more than 32 ' +
    'fails with EINVAL ("MSI configuration failed" for pci_epf_test); non-powers of two are rounded up.',
};

const MSIX_INTERRUPTS: AttributeSpec = {
  name: 'msix_interrupts',
  group: 'function',
  parse: { kind: 'int', type: 'u16' },
  store: [{ check: 'parse', errno: 'EINVAL' }],
  show: '%d',
  defaultValue: 0,
  doc:
    'Number of MSI-X vectors the function asks for (stored in `epf->msix_interrupts`, shown in decimal with `%d`). ' +
    'Written with `kstrtou16` base 0; junk or a value above 65535 fails the write with EINVAL, but the real range ' +
    '1..2048 is only enforced when the driver binds / runs epc_init and calls `pci_epc_set_msix()` (the table takes ' +
    '16 bytes per vector in a BAR, the PBA follows it).',
  ref: 'kernel-background A.2, A.4',
  bindNote:
    'On an MSI-X-capable controller the driver passes this to pci_epc_set_msix at bind/epc_init: 0 or more than ' +
    '2048 fails with EINVAL.',
};

/** The twelve attributes of every `functions/<driver>/<name>/` directory, in kernel-background A.2 order. */
export const STANDARD_ATTRIBUTES: readonly AttributeSpec[] = [
  ...HEADER_FIELDS.map(headerAttribute),
  MSI_INTERRUPTS,
  MSIX_INTERRUPTS,
];

const START: AttributeSpec = {
  name: 'start',
  group: 'controller',
  parse: { kind: 'bool' },
  store: [{ check: 'parse', errno: 'EINVAL' }],
  show: '%d',
  defaultValue: 0,
  doc:
    'Starts (1) or stops (0) the endpoint controller: a true value calls `pci_epc_start()` (DWC: link training ' +
    'begins), a false one calls `pci_epc_stop()` and always succeeds. Parsed with `kstrtobool`, which looks only at ' +
    'the first character (1/0, y/n, t/f, on/off), so junk fails with EINVAL but "1abc" is accepted. ' +
    'Reading shows `%d` of the cached flag, not the real link state. Write 1 only after every function is ' +
    'created, configured and linked to this controller.',
  ref: 'kernel-background A.3',
  bindNote:
    'If the controller fails to start the write fails with EINVAL ("failed to start endpoint controller"). ' +
    'Unlinking a function while started triggers a kernel WARN.',
};

/** Attributes of `controllers/<epc>/`. */
export const CONTROLLER_ATTRIBUTES: readonly AttributeSpec[] = [START];
