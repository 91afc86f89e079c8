/**
 * The keys a `[platform/<epc>]` section accepts besides `compatible` and `kernel` (DESIGN §2), as
 * data: each overrides one profile field. `apply` mutates a `cloneProfile()` copy and returns an
 * error message for a value the key cannot take; cross-field consistency (a fixed BAR without a
 * size, an only_64bit BAR not followed by its upper half…) is checked afterwards on the whole
 * profile by `checkProfile`, because keys may come in any order.
 */
import { closest } from '../suggest';
import { formatSize, hex, isPowerOfTwo, parseInteger, parseSize, toSafeNumber } from '../units';
import type { BarDesc, BarType, MapFormat, Profile, RsvdRegionType } from './types';
import { MAP_FORMAT_VALUE } from './types';

export interface PlatformKeySpec {
  /** kebab-case key, e.g. `max-functions`, `bar4-dma-ctrl`. */
  key: string;
  /** Short description of the accepted value, e.g. `yes|no`, `SIZE (e.g. 64K)`. */
  valueSyntax: string;
  /** Markdown: what the kernel does with the value. */
  doc: string;
  /** Reference sheet sections. */
  ref: string;
  /** The accepted words, for enumerated values (completion). */
  values?: readonly string[];
  /** The profile's current value, written the way this key accepts it. */
  show(profile: Profile): string;
  /** Parses `rawValue` and stores it in `profile` (a clone); returns an error message or undefined. */
  apply(profile: Profile, rawValue: string): string | undefined;
}

export const BAR_TYPES: readonly BarType[] = ['programmable', 'fixed', 'resizable', 'reserved', '64bit-upper', 'disabled'];
export const MAP_FORMATS: readonly MapFormat[] = ['legacy', 'unroll', 'hdma-compat', 'hdma-native'];
const BOOL_VALUES = ['yes', 'no'] as const;

const TRUE_WORDS = new Set(['yes', 'true', '1', 'y', 'on']);
const FALSE_WORDS = new Set(['no', 'false', '0', 'n', 'off']);

type Parsed<T> = { value: T } | { error: string };

function parseBool(raw: string): Parsed<boolean> {
  const w = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(w)) return { value: true };
  if (FALSE_WORDS.has(w)) return { value: false };
  return { error: `expected yes or no (also true/false, 1/0, y/n), got '${raw.trim()}'` };
}

/** A size or offset that must fit a JS number (all profile sizes are numbers; only regPhys is bigint). */
function parseNumberSize(raw: string): Parsed<number> {
  const r = parseSize(raw);
  if (!r.ok) return { error: r.message };
  const n = toSafeNumber(r.value);
  return n === undefined ? { error: `${hex(r.value)} is too large here (more than 2^53)` } : { value: n };
}

function parseIntIn(raw: string, min: number, max: number, what: string): Parsed<number> {
  const r = parseInteger(raw);
  if (!r.ok) return { error: r.message };
  if (r.value < BigInt(min) || r.value > BigInt(max)) return { error: `${what} must be ${min}..${max}, got ${r.value}` };
  return { value: Number(r.value) };
}

const lower = (s: string): string => s.trim().toLowerCase();

/** An enumerated word (compared after `normalize`), with "did you mean" on a near miss. */
function parseWord<T extends string>(
  raw: string,
  allowed: readonly T[],
  what: string,
  normalize: (s: string) => string = lower,
): Parsed<T> {
  const w = normalize(raw);
  const hit = allowed.find((a) => a === w);
  if (hit !== undefined) return { value: hit };
  const guess = closest(w, allowed);
  const hint = guess !== undefined ? `; did you mean '${guess}'?` : '';
  return { error: `unknown ${what} '${raw.trim()}': expected ${allowed.join(', ')}${hint}` };
}

/** BAR type names; also accepts the kernel spelling (`BAR_FIXED`, `BAR_64BIT_UPPER`). */
function parseBarType(raw: string): Parsed<BarType> {
  return parseWord(raw, BAR_TYPES, 'BAR type', (s) => lower(s).replace(/^bar_/, '').replace(/_/g, '-'));
}

function parseMapFormat(raw: string): Parsed<MapFormat> {
  const num = parseInteger(raw);
  if (num.ok) {
    const byValue = MAP_FORMATS.find((f) => BigInt(MAP_FORMAT_VALUE[f]) === num.value);
    return byValue !== undefined
      ? { value: byValue }
      : { error: `map format ${num.value} is not one the kernel accepts (0 legacy, 1 unroll, 5 hdma-compat, 7 hdma-native)` };
  }
  return parseWord(raw, MAP_FORMATS, 'eDMA map format', (s) => lower(s).replace(/^edma_mf_(edma_)?/, '').replace(/_/g, '-'));
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

/**
 * Builds a key spec from a parser and a setter, so every key reports errors the same way. Messages
 * do not repeat the key: callers show them next to it.
 */
function key<T>(
  spec: Omit<PlatformKeySpec, 'apply'>,
  parse: (raw: string) => Parsed<T>,
  set: (p: Profile, value: T) => string | undefined,
): PlatformKeySpec {
  return {
    ...spec,
    apply(profile, rawValue) {
      const r = parse(rawValue);
      return 'error' in r ? r.error : set(profile, r.value);
    },
  };
}

function boolKey(
  k: string,
  doc: string,
  ref: string,
  get: (p: Profile) => boolean,
  set: (p: Profile, v: boolean) => void,
): PlatformKeySpec {
  return key(
    { key: k, valueSyntax: 'yes|no', doc, ref, values: BOOL_VALUES, show: (p) => yesNo(get(p)) },
    parseBool,
    (p, v) => {
      set(p, v);
      return undefined;
    },
  );
}

const RSVD_KEYS: readonly { suffix: string; type: RsvdRegionType; what: string }[] = [
  { suffix: 'dma-ctrl', type: 'dma-ctrl-mmio', what: 'the integrated DMA controller register window (PCI_EPC_BAR_RSVD_DMA_CTRL_MMIO)' },
  { suffix: 'msix-table', type: 'msix-tbl-ram', what: 'hardware MSI-X table RAM (PCI_EPC_BAR_RSVD_MSIX_TBL_RAM)' },
  { suffix: 'msix-pba', type: 'msix-pba-ram', what: 'hardware MSI-X PBA RAM (PCI_EPC_BAR_RSVD_MSIX_PBA_RAM)' },
];

/** `OFFSET+SIZE` (each through units.ts) or `none`. */
function parseRegion(raw: string): Parsed<{ offset: number; size: number } | null> {
  const t = raw.trim();
  if (t.toLowerCase() === 'none') return { value: null };
  const plus = t.indexOf('+');
  if (plus < 0) return { error: `expected OFFSET+SIZE (e.g. 0x0+0x2000) or none, got '${t}'` };
  const offset = parseNumberSize(t.slice(0, plus));
  if ('error' in offset) return { error: `offset: ${offset.error}` };
  const size = parseNumberSize(t.slice(plus + 1));
  if ('error' in size) return { error: `size: ${size.error}` };
  if (size.value === 0) return { error: 'the region size must not be 0 (use none to remove the region)' };
  return { value: { offset: offset.value, size: size.value } };
}

function barKeys(i: number): PlatformKeySpec[] {
  const b = (p: Profile): BarDesc => p.features.bars[i];
  const keys: PlatformKeySpec[] = [
    key(
      {
        key: `bar${i}`,
        valueSyntax: BAR_TYPES.join('|'),
        doc:
          `\`pci_epc_bar_desc.type\` of BAR${i}. EPF drivers only get programmable, fixed and resizable BARs from the free-BAR walk; ` +
          'reserved BARs are hardware-backed and never reprogrammed, `64bit-upper` is the upper half of the preceding only_64bit BAR, ' +
          'and `disabled` BARs are zeroed by the EPC. Changing the type drops a fixed size (unless `fixed`) and reserved subregions (unless `reserved`).',
        ref: 'kernel-background C.1, C.2, C.5',
        values: BAR_TYPES,
        show: (p) => b(p).type,
      },
      parseBarType,
      (p, type) => {
        const desc = b(p);
        desc.type = type;
        if (type !== 'fixed') delete desc.fixedSize;
        if (type !== 'reserved') delete desc.rsvdRegions;
        return undefined;
      },
    ),
    key(
      {
        key: `bar${i}-fixed-size`,
        valueSyntax: 'SIZE|none (e.g. 256, 64K, 1M)',
        doc:
          `\`fixed_size\` of a fixed BAR${i}: the hardware BAR mask. \`pci_epf_alloc_space\` rounds smaller requests up to it and fails ` +
          'larger ones; `pci_epc_set_bar` requires the exact size. Any value is accepted (e.g. 256); it is only used when the BAR is `fixed`.',
        ref: 'kernel-background C.1, C.3, C.4',
        show: (p) => {
          const size = b(p).fixedSize;
          return size === undefined ? 'none' : formatSize(size);
        },
      },
      (raw): Parsed<number | null> => (lower(raw) === 'none' ? { value: null } : parseNumberSize(raw)),
      (p, size) => {
        if (size === null) {
          delete b(p).fixedSize;
          return undefined;
        }
        if (size === 0) return 'a fixed BAR size must be greater than 0';
        b(p).fixedSize = size;
        return undefined;
      },
    ),
    key(
      {
        key: `bar${i}-only-64bit`,
        valueSyntax: 'yes|no',
        doc:
          i % 2 === 0 && i < 5
            ? `\`only_64bit\`: the EPF must program BAR${i} as a 64-bit BAR, and BAR${i + 1} must then be \`64bit-upper\`.`
            : `\`only_64bit\` cannot be set on BAR${i}: DWC pairs 64-bit BARs on even numbers (BAR0, BAR2, BAR4) and BAR5 has no upper half.`,
        ref: 'kernel-background C.1, C.2, C.3',
        values: BOOL_VALUES,
        show: (p) => yesNo(b(p).only64bit === true),
      },
      parseBool,
      (p, v) => {
        if (v && (i % 2 !== 0 || i === 5)) {
          return `BAR${i} cannot be only_64bit: a 64-bit BAR starts on BAR0, BAR2 or BAR4 (DWC "BAR pairs cannot overlap", C.2/C.3)`;
        }
        if (v) b(p).only64bit = true;
        else delete b(p).only64bit;
        return undefined;
      },
    ),
  ];
  for (const r of RSVD_KEYS) {
    keys.push(
      key(
        {
          key: `bar${i}-${r.suffix}`,
          valueSyntax: 'OFFSET+SIZE|none (e.g. 0x0+0x2000)',
          doc:
            `Reserved subregion of BAR${i} holding ${r.what}. EPFs may reference it (e.g. expose the eDMA registers to the host ` +
            'without another inbound mapping); it only makes sense on a `reserved` BAR.',
          ref: 'kernel-background C.1; seed-series 2.1, 2.3',
          show: (p) => {
            const region = b(p).rsvdRegions?.find((x) => x.type === r.type);
            return region === undefined ? 'none' : `${hex(region.offset)}+${hex(region.size)}`;
          },
        },
        parseRegion,
        (p, region) => {
          const desc = b(p);
          const others = (desc.rsvdRegions ?? []).filter((x) => x.type !== r.type);
          const next = region === null ? others : [...others, { type: r.type, ...region }].sort((x, y) => x.offset - y.offset);
          if (next.length > 0) desc.rsvdRegions = next;
          else delete desc.rsvdRegions;
          return undefined;
        },
      ),
    );
  }
  return keys;
}

const SIZE_NOTE = 'Sizes take K/M/G suffixes (binary) and `_` separators.';

export const PLATFORM_KEYS: readonly PlatformKeySpec[] = [
  key(
    {
      key: 'max-functions',
      valueSyntax: '1..255',
      doc:
        'DT `max-functions`: how many physical functions the EPC exposes (`epc->max_functions`). Without it a DWC EPC has 1, ' +
        'even when the IP was synthesised with more; binding a second PF to a 1-function EPC fails.',
      ref: 'kernel-background C.5, E.1; seed-series 7 (E13)',
      show: (p) => String(p.maxFunctions),
    },
    (raw) => parseIntIn(raw, 1, 255, 'the value'),
    (p, n) => {
      p.maxFunctions = n;
      if (p.maxVfs !== null) p.maxVfs = Array.from({ length: n }, (_, k) => p.maxVfs?.[k] ?? 0);
      return undefined;
    },
  ),
  key(
    {
      key: 'max-vfs',
      valueSyntax: 'none|N|N,N,…',
      doc:
        '`epc->max_vfs[]`: virtual functions per physical function. DWC EPCs leave it unset (`none`), so VF links and ' +
        'vfunc_no ≠ 0 requests are refused; one number applies to every PF, a list gives one per PF.',
      ref: 'kernel-background C.5; seed-series 2.1',
      show: (p) => (p.maxVfs === null ? 'none' : p.maxVfs.join(',')),
    },
    (raw): Parsed<number[] | null> => {
      const t = raw.trim();
      if (t.toLowerCase() === 'none') return { value: null };
      const counts: number[] = [];
      for (const part of t.split(',')) {
        const r = parseIntIn(part, 0, 255, 'a VF count');
        if ('error' in r) return r;
        counts.push(r.value);
      }
      return { value: counts };
    },
    (p, counts) => {
      if (counts === null) {
        p.maxVfs = null;
      } else if (counts.length === 1) {
        p.maxVfs = Array.from({ length: p.maxFunctions }, () => counts[0]);
      } else if (counts.length !== p.maxFunctions) {
        return `give one VF count per physical function (max-functions = ${p.maxFunctions}) or a single count`;
      } else {
        p.maxVfs = counts;
      }
      return undefined;
    },
  ),
  key(
    {
      key: 'align',
      valueSyntax: 'SIZE (0 or a power of two)',
      doc:
        '`pci_epc_features.align`: alignment of BAR backing memory (the inbound iATU address). `pci_epf_alloc_space` allocates ' +
        `ALIGN(size, align) bytes, and subrange/DMA-window mappings are aligned down to it. 0 = none. ${SIZE_NOTE}`,
      ref: 'kernel-background C.1, C.4; seed-series 1.7',
      show: (p) => (p.features.align === 0 ? '0' : formatSize(p.features.align)),
    },
    parseNumberSize,
    (p, n) => {
      if (n !== 0 && !isPowerOfTwo(n)) return `${n} is not 0 or a power of two`;
      p.features.align = n;
      return undefined;
    },
  ),
  boolKey(
    'msi-capable',
    '`msi_capable`: the EPC can raise MSI. Function `msi_interrupts` are only programmed (and MSI raised) when set.',
    'kernel-background C.1, E.3',
    (p) => p.features.msiCapable,
    (p, v) => {
      p.features.msiCapable = v;
    },
  ),
  boolKey(
    'msix-capable',
    '`msix_capable`: the EPC can raise MSI-X. Function `msix_interrupts` are only programmed when set.',
    'kernel-background C.1, E.3',
    (p) => p.features.msixCapable,
    (p, v) => {
      p.features.msixCapable = v;
    },
  ),
  boolKey(
    'intx-capable',
    '`intx_capable`: the EPC can raise INTx. Generic DWC code cannot ("EP cannot raise INTX IRQs"); some glue drivers can.',
    'kernel-background C.1, E.3',
    (p) => p.features.intxCapable,
    (p, v) => {
      p.features.intxCapable = v;
    },
  ),
  boolKey(
    'linkup-notifier',
    '`linkup_notifier`: the EPC calls `pci_epc_linkup()` on link-up; EPFs such as pci-epf-test wait for it instead of starting right after epc_init.',
    'kernel-background C.1',
    (p) => p.features.linkupNotifier,
    (p, v) => {
      p.features.linkupNotifier = v;
    },
  ),
  boolKey(
    'dynamic-inbound-mapping',
    '`dynamic_inbound_mapping`: `pci_epc_set_bar()` may retarget an already configured BAR (same size and flags). Set for all DWC glue drivers.',
    'kernel-background C.1, E.2; seed-series 2.1',
    (p) => p.features.dynamicInboundMapping,
    (p, v) => {
      p.features.dynamicInboundMapping = v;
    },
  ),
  boolKey(
    'subrange-mapping',
    '`subrange_mapping`: a BAR may be split into sub-ranges, each mapped to its own physical address (needs dynamic inbound mapping). ' +
      'pci-epf-dma needs it for its DMA window BAR.',
    'kernel-background C.1, C.3; seed-series 2.1, 6.6',
    (p) => p.features.subrangeMapping,
    (p, v) => {
      p.features.subrangeMapping = v;
    },
  ),
  ...[0, 1, 2, 3, 4, 5].flatMap(barKeys),
  key(
    {
      key: 'iatu-inbound',
      valueSyntax: '0..256',
      doc: 'Inbound iATU windows the hardware has (probed at init). One per BAR in BAR-match mode, one per subrange; running out gives "No free inbound window".',
      ref: 'kernel-background E.2',
      show: (p) => String(p.iatu.inbound),
    },
    (raw) => parseIntIn(raw, 0, 256, 'the value'),
    (p, n) => {
      p.iatu.inbound = n;
      return undefined;
    },
  ),
  key(
    {
      key: 'iatu-outbound',
      valueSyntax: '0..256',
      doc: 'Outbound iATU windows (probed at init), used by `map_addr` for host accesses and MSI writes; running out gives "No free outbound window".',
      ref: 'kernel-background E.2, E.3',
      show: (p) => String(p.iatu.outbound),
    },
    (raw) => parseIntIn(raw, 0, 256, 'the value'),
    (p, n) => {
      p.iatu.outbound = n;
      return undefined;
    },
  ),
  key(
    {
      key: 'iatu-region-align',
      valueSyntax: 'SIZE (4K..64K, power of two)',
      doc:
        'iATU minimum region size (CX_ATU_MIN_REGION_SIZE, `region_align`): subrange sizes must be multiples of it and host ' +
        `addresses are aligned down to it before mapping. ${SIZE_NOTE}`,
      ref: 'kernel-background C.1, E.2',
      show: (p) => formatSize(p.iatu.regionAlign),
    },
    parseNumberSize,
    (p, n) => {
      if (!isPowerOfTwo(n) || n < 4096 || n > 65536) return `${formatSize(n)} must be a power of two from 4K to 64K`;
      p.iatu.regionAlign = n;
      return undefined;
    },
  ),
  key(
    {
      key: 'edma',
      valueSyntax: 'yes|no',
      doc:
        'Whether `dw_pcie_edma_detect` finds an integrated eDMA/HDMA. `no` models a controller without one (no DMA aux resources; ' +
        'pci-epf-dma cannot bind); `yes` also registers the local provider (see `edma-provider`).',
      ref: 'kernel-background E.4; seed-series 2.3',
      values: BOOL_VALUES,
      show: (p) => yesNo(p.edma.present),
    },
    parseBool,
    (p, v) => {
      p.edma.present = v;
      p.edma.providerRegistered = v;
      return undefined;
    },
  ),
  key(
    {
      key: 'edma-map-format',
      valueSyntax: MAP_FORMATS.join('|'),
      doc:
        '`dw_edma_map_format`: legacy (viewport in port logic, 0), unroll (1), hdma-compat (5) or hdma-native (7). Partial ownership and ' +
        'delegation reject legacy; unroll/hdma-compat delegate whole directions, hdma-native single channels.',
      ref: 'kernel-background D.1, D.7, E.4',
      values: MAP_FORMATS,
      show: (p) => p.edma.mapFormat,
    },
    parseMapFormat,
    (p, f) => {
      p.edma.mapFormat = f;
      return undefined;
    },
  ),
  key(
    {
      key: 'edma-wr-channels',
      valueSyntax: '0..64',
      doc:
        'Hardware write channels (EP → RC). eDMA reports 1..8 in CTRL bits 3:0 (detection skips the eDMA otherwise); HDMA native ' +
        'counts are preset by the glue (8 in mainline, up to 64 with the AMD patch).',
      ref: 'kernel-background D.1, D.6, E.4',
      show: (p) => String(p.edma.wrChannels),
    },
    (raw) => parseIntIn(raw, 0, 64, 'the value'),
    (p, n) => {
      p.edma.wrChannels = n;
      return undefined;
    },
  ),
  key(
    {
      key: 'edma-rd-channels',
      valueSyntax: '0..64',
      doc: 'Hardware read channels (RC → EP). eDMA reports 1..8 in CTRL bits 19:16; HDMA native counts are preset by the glue.',
      ref: 'kernel-background D.1, D.6, E.4',
      show: (p) => String(p.edma.rdChannels),
    },
    (raw) => parseIntIn(raw, 0, 64, 'the value'),
    (p, n) => {
      p.edma.rdChannels = n;
      return undefined;
    },
  ),
  key(
    {
      key: 'edma-ll-size',
      valueSyntax: 'SIZE (0 = non-LL)',
      doc:
        'Linked-list region per channel (DMA_LLP_MEM_SIZE = PAGE_SIZE = 4 KiB on a DWC EP: 169 data elements). 0 models non-LL mode, ' +
        `for which the DWC aux-resource query fails with -EOPNOTSUPP. ${SIZE_NOTE}`,
      ref: 'kernel-background D.3, E.4; seed-series 2.3, 7 (E1)',
      show: (p) => formatSize(p.edma.llRegionSize),
    },
    parseNumberSize,
    (p, n) => {
      p.edma.llRegionSize = n;
      return undefined;
    },
  ),
  key(
    {
      key: 'edma-reg-phys',
      valueSyntax: 'ADDRESS (e.g. 0xa_4038_0000)',
      doc:
        'Physical address of the eDMA register window (DT "dma" reg, else atu base + 0x80000). Published as the DMA_CTRL_MMIO aux ' +
        'resource; pci-epf-dma maps it through a BAR subrange unless a reserved BAR already exposes it.',
      ref: 'kernel-background E.4; seed-series 1.7, 2.3',
      show: (p) => hex(p.edma.regPhys),
    },
    (raw): Parsed<bigint> => {
      const r = parseSize(raw);
      return r.ok ? { value: r.value } : { error: r.message };
    },
    (p, v) => {
      p.edma.regPhys = v;
      return undefined;
    },
  ),
  key(
    {
      key: 'edma-reg-size',
      valueSyntax: 'SIZE (e.g. 0x2000)',
      doc:
        'Size of the eDMA register window. 0 means "no integrated register window": the DWC aux-resource count is then 0. ' +
        'A DMA_CTRL reserved subregion smaller than this clamps the published size.',
      ref: 'seed-series 2.3; kernel-background D.2',
      show: (p) => hex(p.edma.regSize),
    },
    parseNumberSize,
    (p, n) => {
      p.edma.regSize = n;
      return undefined;
    },
  ),
  key(
    {
      key: 'edma-doorbell',
      valueSyntax: 'OFFSET|none (e.g. 0xa0)',
      doc:
        'Interrupt-emulation doorbell offset inside the register window (rd_int_status, 0xa0, on eDMA v0), published last as a ' +
        'DOORBELL_MMIO aux resource; offset + 4 beyond the window gives -EINVAL. `none` = no doorbell (db_offset = ~0).',
      ref: 'kernel-background D.2, D.7; seed-series 2.3',
      show: (p) => (p.edma.doorbellOffset === null ? 'none' : hex(p.edma.doorbellOffset)),
    },
    (raw): Parsed<number | null> => (raw.trim().toLowerCase() === 'none' ? { value: null } : parseNumberSize(raw)),
    (p, v) => {
      p.edma.doorbellOffset = v;
      return undefined;
    },
  ),
  key(
    {
      key: 'edma-irqs',
      valueSyntax: '0..128',
      doc:
        'eDMA interrupt lines: 1 for a shared "dma" IRQ, or one per channel ("dma0".."dmaN", wr + rd). Any other count makes ' +
        'detection print "Invalid eDMA IRQs found" and skip the eDMA.',
      ref: 'kernel-background D.6, E.4',
      show: (p) => String(p.edma.irqs),
    },
    (raw) => parseIntIn(raw, 0, 128, 'the value'),
    (p, n) => {
      p.edma.irqs = n;
      return undefined;
    },
  ),
  key(
    {
      key: 'edma-provider',
      valueSyntax: 'yes|no',
      doc:
        'Whether the local DW eDMA DMAengine provider registered (`edma->dw` non-NULL). Without it the DWC EPC publishes only the ' +
        'doorbell, and channel delegation fails with -ENODEV.',
      ref: 'seed-series 2.3, 4.1',
      values: BOOL_VALUES,
      show: (p) => yesNo(p.edma.providerRegistered),
    },
    parseBool,
    (p, v) => {
      if (v && !p.edma.present) return 'the provider cannot register without an eDMA (set edma = yes first)';
      p.edma.providerRegistered = v;
      return undefined;
    },
  ),
  key(
    {
      key: 'init-at',
      valueSyntax: 'probe|perst',
      doc:
        'When `dw_pcie_ep_init_registers` runs and EPFs get `epc_init`: at controller probe, or only when the host deasserts ' +
        'PERST# (Qualcomm, Tegra), i.e. after `start` and the host powering the link.',
      ref: 'kernel-background E.1',
      values: ['probe', 'perst'],
      show: (p) => p.initAt,
    },
    (raw) => parseWord(raw, ['probe', 'perst'] as const, 'init point'),
    (p, v) => {
      p.initAt = v;
      return undefined;
    },
  ),
];

const BY_KEY: ReadonlyMap<string, PlatformKeySpec> = new Map(PLATFORM_KEYS.map((k) => [k.key, k]));

/** The spec of a platform key (case-insensitive), or undefined. */
export function findPlatformKey(name: string): PlatformKeySpec | undefined {
  return BY_KEY.get(name.trim().toLowerCase());
}

/** "Did you mean" for an unknown platform key (includes `compatible` and `kernel`). */
export function suggestPlatformKey(name: string): string | undefined {
  return closest(name.trim().toLowerCase(), ['compatible', 'kernel', ...BY_KEY.keys()]);
}

/**
 * Applies one `key = value` line to a profile clone. Returns an error message for an unknown key
 * (with a suggestion) or an invalid value.
 */
export function applyPlatformOverride(profile: Profile, name: string, rawValue: string): string | undefined {
  const spec = findPlatformKey(name);
  if (spec === undefined) {
    const guess = suggestPlatformKey(name);
    return `unknown platform key '${name.trim()}'${guess !== undefined ? `; did you mean '${guess}'?` : ''}`;
  }
  return spec.apply(profile, rawValue);
}
