/**
 * One codec for the "PEDM" endpoint-DMA BAR metadata, used from both ends:
 * - the producer (pci_epf_dma writing the blob at bind, seed-series 6.3) → `encodeMetadata`;
 * - the raw field view for `pciep decode`, hovers and the preview hex view → `decodeFields`;
 * - the host parser (dw-edma-pcie, part 3 patch 1, seed-series 6.5) → `validateMetadata`,
 *   `parseMetadata` and the BAR scan `scanBars`.
 * Format: seed-series 1.1–1.5 and kernel-background E.5 (constants and bit fields in ./format).
 *
 * Log lines are OUR wording of what the driver prints (dev_err style); the kernel's exact strings are
 * not reproduced.
 */
import type { Errno } from '../errno';
import * as F from './format';
import { byteAt, hex, rd32, rd64, wr32, wr64 } from './bytes';

// ---------------------------------------------------------------------------------------------
// Types

/** One channel-table entry (seed-series 1.4). 64-bit quantities are bigints. */
export interface PedmChannel {
  hwCh: number;
  descBar: number;
  descOffset: bigint;
  /** Descriptor window size: the resource size, not the (possibly larger) aligned BAR window (edge case E24). */
  descSize: number;
  /** Endpoint-local DMA address the engine fetches descriptors from (programmed into LLP). */
  descAddr: bigint;
  auxValid: boolean;
  auxBar: number;
  auxOffset: bigint;
  auxSize: number;
  auxAddr: bigint;
}

/** The whole blob as numbers (seed-series 1.3 header + 1.4 tables). */
export interface PedmMetadata {
  rev: number;
  /** HDR_LEN_FIELD: total blob length in bytes. */
  len: number;
  regBar: number;
  wrCount: number;
  rdCount: number;
  /** CTRL_CH_ENTRY_SIZE: stride between entries. */
  entrySize: number;
  /** CTRL bit 30 "H". */
  hostReq: boolean;
  /** CTRL bit 31 "R". */
  ready: boolean;
  regOffset: bigint;
  layoutId: number;
  /** For layout DW_EDMA: the map format number (0 legacy, 1 unroll, 5 HDMA compat, 7 HDMA native). */
  layoutData: number;
  regSize: number;
  wr: PedmChannel[];
  rd: PedmChannel[];
}

/** Errnos this module reports (a subset of the emulator's errno table). */
export type PedmErrno = Extract<Errno, 'ENODEV' | 'EINVAL' | 'EOPNOTSUPP' | 'EOVERFLOW'>;

export type EncodeResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; errno: Extract<PedmErrno, 'EOVERFLOW' | 'EINVAL'>; reason: string };

/** Why the host rejects a blob. `field` uses the names `locateField` knows; `offset` is the word's blob offset. */
export interface PedmFailure {
  ok: false;
  errno: PedmErrno;
  field: string;
  offset: number;
  reason: string;
  /** The line the driver would log (our wording). */
  log: string;
}

/** The header words, decoded (no validation). */
export interface PedmHeader {
  magic: number;
  rev: number;
  len: number;
  ctrl: number;
  regBar: number;
  wrCount: number;
  rdCount: number;
  entrySize: number;
  hostReq: boolean;
  ready: boolean;
  regOffset: bigint;
  layoutId: number;
  layoutData: number;
  regSize: number;
}

export type ValidateResult = { ok: true; header: PedmHeader } | PedmFailure;

export interface ValidateOptions {
  /** Which host parser: v3/v4 accept HDMA native (7); v1/v2 rejected it with EOPNOTSUPP (seed-series 6.5). Default v4. */
  revision?: 'v4' | 'v1v2';
  /** BAR index, for the log line. */
  bar?: number;
  /** PCI device name, for the log line. */
  device?: string;
}

/** A BAR window the host maps (descriptor, aux or register block). */
export interface PedmBlock {
  bar: number;
  offset: bigint;
  size: number;
  /** The EP-local DMA address from the metadata (`paddr`; seed-series 6.5). */
  paddr: bigint;
  /** False when the BAR's length was unknown (undefined in `barLens`) so the range rule was not applied. */
  checked: boolean;
}

export interface ParsedChannel {
  hwCh: number;
  desc: PedmBlock;
  /** Present only when A = 1 (seed-series 1.4, 6.5). */
  aux?: PedmBlock;
}

/** What dw-edma-pcie builds its chip description from (seed-series 6.5 "Parse"). */
export interface ParsedMetadata {
  mapFormat: number;
  mapFormatName: string;
  regBar: number;
  regOffset: bigint;
  regSize: number;
  regChecked: boolean;
  /** min(8, metadata count) — equal to the metadata count once validation passed. */
  wrCount: number;
  rdCount: number;
  /** IRQ vectors the host asks for: wr + rd. */
  irqs: number;
  hostReq: boolean;
  ready: boolean;
  wr: ParsedChannel[];
  rd: ParsedChannel[];
  /** Windows whose BAR length was unknown, so only the BAR-independent checks ran. */
  unchecked: string[];
}

export type ParseResult = { ok: true; parsed: ParsedMetadata } | PedmFailure;

// ---------------------------------------------------------------------------------------------
// Producer (seed-series 6.3)

/** A producer-style channel entry: dense hw_ch, aux unused (pci-epf-dma never sets A, seed-series 1.4). */
export function descChannel(hwCh: number, descBar: number, descOffset: bigint, descSize: number, descAddr: bigint): PedmChannel {
  return { hwCh, descBar, descOffset, descSize, descAddr, auxValid: false, auxBar: 0, auxOffset: 0n, auxSize: 0, auxAddr: 0n };
}

/** Metadata the way pci_epf_dma fills it at bind (seed-series 6.3): rev 1, stride 0x2C, exact length, H = R = 0. */
export function producerMetadata(p: {
  regBar: number; regOffset: bigint; regSize: number; layoutData: number; wr: PedmChannel[]; rd: PedmChannel[];
}): PedmMetadata {
  return {
    rev: F.METADATA_REV, len: F.metadataLength(p.wr.length, p.rd.length), regBar: p.regBar,
    wrCount: p.wr.length, rdCount: p.rd.length, entrySize: F.CH_ENTRY_SIZE, hostReq: false, ready: false,
    regOffset: p.regOffset, layoutId: F.LAYOUT_DW_EDMA, layoutData: p.layoutData, regSize: p.regSize, wr: p.wr, rd: p.rd,
  };
}

type EncodeFailure = Extract<EncodeResult, { ok: false }>;

function checkUint(v: number, max: number, what: string, tooBig: 'EOVERFLOW' | 'EINVAL'): EncodeFailure | undefined {
  if (!Number.isInteger(v) || v < 0) return { ok: false, errno: 'EINVAL', reason: `${what} ${v} is not a non-negative integer` };
  if (v > max) return { ok: false, errno: tooBig, reason: `${what} ${hex(v)} does not fit its field (max ${hex(max)})` };
  return undefined;
}

function checkU64(v: bigint, what: string): EncodeFailure | undefined {
  if (v < 0n || v > F.U64_MAX) return { ok: false, errno: 'EOVERFLOW', reason: `${what} ${v} does not fit 64 bits` };
  return undefined;
}

/**
 * Writes the blob exactly `m.len` bytes long, little-endian, reserved words and bits 0, entries
 * `m.entrySize` apart, any stride padding and any bytes between the tables and `len` zero.
 *
 * Failures follow seed-series 6.3: channel counts > 255, stride > 255 or a register window size
 * > U32_MAX → EOVERFLOW; descriptor/aux sizes > U32_MAX → EOVERFLOW (1.5). Values that cannot be
 * encoded at all (table length ≠ count, stride < 0x2C so entries would overlap, len too short for the
 * tables, BAR index > 7) → EINVAL. Values the format can hold but the host rejects (revision 2, REG_BAR 6,
 * stride 0x2E, 9 channels, layout data 0…) ARE encoded, so tests and fault injection can build bad blobs.
 */
export function encodeMetadata(m: PedmMetadata): EncodeResult {
  const bad =
    checkUint(m.wrCount, F.fieldMax(F.CTRL_WR_CH_COUNT), 'write channel count', 'EOVERFLOW') ??
    checkUint(m.rdCount, F.fieldMax(F.CTRL_RD_CH_COUNT), 'read channel count', 'EOVERFLOW') ??
    checkUint(m.entrySize, F.fieldMax(F.CTRL_CH_ENTRY_SIZE), 'channel entry size', 'EOVERFLOW') ??
    checkUint(m.regSize, F.U32_MAX, 'register window size', 'EOVERFLOW') ??
    checkUint(m.rev, F.fieldMax(F.HDR_REV), 'revision', 'EOVERFLOW') ??
    checkUint(m.layoutId, F.fieldMax(F.REG_LAYOUT_ID), 'layout id', 'EOVERFLOW') ??
    checkUint(m.layoutData, F.fieldMax(F.REG_LAYOUT_DATA), 'layout data', 'EOVERFLOW') ??
    checkUint(m.len, F.MAX_LEN_FIELD, 'metadata length', 'EOVERFLOW') ??
    checkUint(m.regBar, F.fieldMax(F.CTRL_REG_BAR), 'register BAR', 'EINVAL') ??
    checkU64(m.regOffset, 'register window offset');
  if (bad) return bad;
  if (m.wr.length !== m.wrCount || m.rd.length !== m.rdCount) {
    return { ok: false, errno: 'EINVAL', reason: `channel counts (wr ${m.wrCount}, rd ${m.rdCount}) differ from the tables (${m.wr.length}, ${m.rd.length})` };
  }
  if (m.entrySize < F.CH_ENTRY_SIZE) {
    return { ok: false, errno: 'EINVAL', reason: `channel entry size ${hex(m.entrySize)} is smaller than a rev-1 entry (${hex(F.CH_ENTRY_SIZE)})` };
  }
  const need = F.metadataLength(m.wrCount, m.rdCount, m.entrySize);
  if (m.len < need) {
    return { ok: false, errno: 'EINVAL', reason: `metadata length ${hex(m.len)} cannot hold the header and tables (${hex(need)} bytes)` };
  }
  const tables: ['wr' | 'rd', PedmChannel[]][] = [['wr', m.wr], ['rd', m.rd]];
  for (const [dir, list] of tables) {
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      const at = `${dir}[${i}]`;
      const cbad =
        checkUint(c.hwCh, F.fieldMax(F.CH_CTRL_HW_CH), `${at} hw channel`, 'EOVERFLOW') ??
        checkUint(c.descBar, F.fieldMax(F.CH_CTRL_DESC_BAR), `${at} descriptor BAR`, 'EINVAL') ??
        checkUint(c.auxBar, F.fieldMax(F.CH_CTRL_AUX_BAR), `${at} aux BAR`, 'EINVAL') ??
        checkUint(c.descSize, F.U32_MAX, `${at} descriptor size`, 'EOVERFLOW') ??
        checkUint(c.auxSize, F.U32_MAX, `${at} aux size`, 'EOVERFLOW') ??
        checkU64(c.descOffset, `${at} descriptor offset`) ??
        checkU64(c.descAddr, `${at} descriptor address`) ??
        checkU64(c.auxOffset, `${at} aux offset`) ??
        checkU64(c.auxAddr, `${at} aux address`);
      if (cbad) return cbad;
    }
  }

  const b = Buffer.alloc(m.len);
  wr32(b, F.OFF_MAGIC, F.METADATA_MAGIC);
  wr32(b, F.OFF_HDR, F.setBits(F.setBits(0, F.HDR_REV, m.rev), F.HDR_LEN_FIELD, m.len));
  let ctrl = F.setBits(0, F.CTRL_REG_BAR, m.regBar);
  ctrl = F.setBits(ctrl, F.CTRL_WR_CH_COUNT, m.wrCount);
  ctrl = F.setBits(ctrl, F.CTRL_RD_CH_COUNT, m.rdCount);
  ctrl = F.setBits(ctrl, F.CTRL_CH_ENTRY_SIZE, m.entrySize);
  ctrl = F.setBits(ctrl, F.CTRL_HOST_REQ, m.hostReq ? 1 : 0);
  ctrl = F.setBits(ctrl, F.CTRL_READY, m.ready ? 1 : 0);
  wr32(b, F.OFF_CTRL, ctrl);
  wr64(b, F.OFF_REG_OFF_LO, m.regOffset);
  wr32(b, F.OFF_REG_LAYOUT, F.setBits(F.setBits(0, F.REG_LAYOUT_ID, m.layoutId), F.REG_LAYOUT_DATA, m.layoutData));
  wr32(b, F.OFF_REG_SIZE, m.regSize);
  for (const [dir, list] of tables) {
    list.forEach((c, i) => {
      const e = F.entryOffset(dir, i, m.wrCount, m.entrySize);
      let cc = F.setBits(0, F.CH_CTRL_HW_CH, c.hwCh);
      cc = F.setBits(cc, F.CH_CTRL_DESC_BAR, c.descBar);
      cc = F.setBits(cc, F.CH_CTRL_AUX_BAR, c.auxBar);
      cc = F.setBits(cc, F.CH_CTRL_AUX_VALID, c.auxValid ? 1 : 0);
      wr32(b, e + F.CH_OFF_CTRL, cc);
      wr64(b, e + F.CH_OFF_DESC_OFF_LO, c.descOffset);
      wr32(b, e + F.CH_OFF_DESC_SIZE, c.descSize);
      wr64(b, e + F.CH_OFF_DESC_ADDR_LO, c.descAddr);
      wr64(b, e + F.CH_OFF_AUX_OFF_LO, c.auxOffset);
      wr32(b, e + F.CH_OFF_AUX_SIZE, c.auxSize);
      wr64(b, e + F.CH_OFF_AUX_ADDR_LO, c.auxAddr);
    });
  }
  return { ok: true, bytes: b };
}

// ---------------------------------------------------------------------------------------------
// Raw field view (decode views)

/** One decoded bit field of a word; `name` is a name `locateField` accepts. */
export interface FieldBits {
  name: string;
  /** "10:3" or "30". */
  bits: string;
  value: number;
}

/** One row of the decode table (seed-series 1.7 style): a 32-bit word, or a run of reserved bytes. */
export interface FieldRow {
  /** Byte offset relative to the blob start. */
  offset: number;
  size: number;
  /** Word name from seed-series 1.3/1.4, prefixed with `wr[i].` / `rd[i].` inside the tables. */
  name: string;
  /** Raw little-endian value (the first word for a reserved run). */
  value: number;
  /** The bytes as they sit in memory, "50 45 44 4d" (runs longer than 16 bytes are cut with "…"). */
  hex: string;
  meaning: string;
  bits: FieldBits[];
  section: 'header' | 'wr' | 'rd' | 'reserved';
  /** Table entry index for `wr`/`rd` rows. */
  entry?: number;
}

export interface DecodedFields {
  /** Where the blob starts in the buffer. */
  offset: number;
  /** Bytes available from `offset` to the end of the buffer. */
  available: number;
  /** Bytes the blob needs to be shown whole: the header, or max(len, header + tables) once the header is readable. */
  needed: number;
  complete: boolean;
  magicOk: boolean;
  /** Rows in byte order. */
  rows: FieldRow[];
  notes: string[];
  /** The whole blob as numbers, when the magic matched, the stride is ≥ 0x2C and every entry was available. */
  metadata?: PedmMetadata;
}

function bytesHex(b: Uint8Array, from: number, n: number): string {
  const shown = Math.min(n, 16);
  const parts: string[] = [];
  for (let i = 0; i < shown; i++) parts.push(byteAt(b, from + i).toString(16).padStart(2, '0'));
  return parts.join(' ') + (n > shown ? ' …' : '');
}

function bit(name: string, f: F.BitField, word: number): FieldBits {
  return { name, bits: F.bitRange(f), value: F.getBits(word, f) };
}

function asciiOf(word: number): string {
  let s = '';
  for (let i = 0; i < 4; i++) {
    const c = (word >>> (8 * i)) & 0xff;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return s;
}

/** Reads the header words of a blob starting at byte 0 of `b` (no validation). */
export function readHeader(b: Uint8Array): PedmHeader {
  const hdr = rd32(b, F.OFF_HDR);
  const ctrl = rd32(b, F.OFF_CTRL);
  const layout = rd32(b, F.OFF_REG_LAYOUT);
  return {
    magic: rd32(b, F.OFF_MAGIC),
    rev: F.getBits(hdr, F.HDR_REV),
    len: F.getBits(hdr, F.HDR_LEN_FIELD),
    ctrl,
    regBar: F.getBits(ctrl, F.CTRL_REG_BAR),
    wrCount: F.getBits(ctrl, F.CTRL_WR_CH_COUNT),
    rdCount: F.getBits(ctrl, F.CTRL_RD_CH_COUNT),
    entrySize: F.getBits(ctrl, F.CTRL_CH_ENTRY_SIZE),
    hostReq: F.getBits(ctrl, F.CTRL_HOST_REQ) === 1,
    ready: F.getBits(ctrl, F.CTRL_READY) === 1,
    regOffset: rd64(b, F.OFF_REG_OFF_LO),
    layoutId: F.getBits(layout, F.REG_LAYOUT_ID),
    layoutData: F.getBits(layout, F.REG_LAYOUT_DATA),
    regSize: rd32(b, F.OFF_REG_SIZE),
  };
}

export function readChannel(b: Uint8Array, e: number): PedmChannel {
  const cc = rd32(b, e + F.CH_OFF_CTRL);
  return {
    hwCh: F.getBits(cc, F.CH_CTRL_HW_CH),
    descBar: F.getBits(cc, F.CH_CTRL_DESC_BAR),
    descOffset: rd64(b, e + F.CH_OFF_DESC_OFF_LO),
    descSize: rd32(b, e + F.CH_OFF_DESC_SIZE),
    descAddr: rd64(b, e + F.CH_OFF_DESC_ADDR_LO),
    auxValid: F.getBits(cc, F.CH_CTRL_AUX_VALID) === 1,
    auxBar: F.getBits(cc, F.CH_CTRL_AUX_BAR),
    auxOffset: rd64(b, e + F.CH_OFF_AUX_OFF_LO),
    auxSize: rd32(b, e + F.CH_OFF_AUX_SIZE),
    auxAddr: rd64(b, e + F.CH_OFF_AUX_ADDR_LO),
  };
}

function headerMeaning(i: number, w: number, b: Uint8Array): { meaning: string; bits: FieldBits[] } {
  switch (i) {
    case 0:
      return {
        meaning: w === F.METADATA_MAGIC ? 'magic "PEDM"' : `magic mismatch: "${asciiOf(w)}" (expected ${hex(F.METADATA_MAGIC, 8)} "PEDM")`,
        bits: [],
      };
    case 1: {
      const rsv = (w & F.HDR_RESERVED_MASK) !== 0 ? ', reserved bits 15:8 set' : '';
      const len = F.getBits(w, F.HDR_LEN_FIELD);
      return {
        meaning: `rev=${F.getBits(w, F.HDR_REV)}, len=${hex(len, 4)} (${len} bytes)${rsv}`,
        bits: [bit('rev', F.HDR_REV, w), bit('len', F.HDR_LEN_FIELD, w)],
      };
    }
    case 2: {
      const rsv = (w & F.CTRL_RESERVED_MASK) !== 0 ? ', reserved bits 29:27 set' : '';
      return {
        meaning: `REG_BAR=${F.getBits(w, F.CTRL_REG_BAR)}, WR=${F.getBits(w, F.CTRL_WR_CH_COUNT)}, ` +
          `RD=${F.getBits(w, F.CTRL_RD_CH_COUNT)}, stride=${hex(F.getBits(w, F.CTRL_CH_ENTRY_SIZE), 2)}, ` +
          `H=${F.getBits(w, F.CTRL_HOST_REQ)}, R=${F.getBits(w, F.CTRL_READY)}${rsv}`,
        bits: [
          bit('ctrl.reg_bar', F.CTRL_REG_BAR, w), bit('ctrl.wr', F.CTRL_WR_CH_COUNT, w), bit('ctrl.rd', F.CTRL_RD_CH_COUNT, w),
          bit('ctrl.stride', F.CTRL_CH_ENTRY_SIZE, w), bit('ctrl.H', F.CTRL_HOST_REQ, w), bit('ctrl.R', F.CTRL_READY, w),
        ],
      };
    }
    case 3: return { meaning: 'reg window offset lo', bits: [] };
    case 4: return { meaning: `reg window offset hi (offset ${hex(rd64(b, F.OFF_REG_OFF_LO))})`, bits: [] };
    case 5: {
      const id = F.getBits(w, F.REG_LAYOUT_ID);
      const data = F.getBits(w, F.REG_LAYOUT_DATA);
      const idName = id === F.LAYOUT_DW_EDMA ? 'DW eDMA' : 'unknown layout';
      const rsv = (w & F.REG_LAYOUT_RESERVED_MASK) !== 0 ? ', reserved bits 31:16 set' : '';
      return {
        meaning: `layout id ${id} (${idName}), layout data ${hex(data, 2)}${id === F.LAYOUT_DW_EDMA ? ` (${F.mapFormatName(data)})` : ''}${rsv}`,
        bits: [bit('layout.id', F.REG_LAYOUT_ID, w), bit('layout.data', F.REG_LAYOUT_DATA, w)],
      };
    }
    default: return { meaning: `reg window size ${hex(w)}`, bits: [] };
  }
}

function entryMeaning(k: number, w: number, b: Uint8Array, e: number, at: string, index: number): { meaning: string; bits: FieldBits[] } {
  const cc = rd32(b, e);
  const a = F.getBits(cc, F.CH_CTRL_AUX_VALID) === 1;
  const ign = a ? '' : ' (ignored, A=0)';
  switch (k) {
    case 0: {
      const hw = F.getBits(cc, F.CH_CTRL_HW_CH);
      const db = F.getBits(cc, F.CH_CTRL_DESC_BAR);
      const notes = [
        hw !== index ? `host expects hw_ch ${index}` : '',
        db > F.MAX_BAR ? `BAR${db} does not exist` : '',
        (cc & F.CH_CTRL_RESERVED_MASK) !== 0 ? 'reserved bits set' : '',
      ].filter(Boolean);
      return {
        meaning: `hw_ch ${hw}, desc BAR ${db}, A=${a ? 1 : 0}${a ? `, aux BAR ${F.getBits(cc, F.CH_CTRL_AUX_BAR)}` : ''}` +
          (notes.length ? ` — ${notes.join('; ')}` : ''),
        bits: [
          bit(`${at}.hw_ch`, F.CH_CTRL_HW_CH, w), bit(`${at}.desc_bar`, F.CH_CTRL_DESC_BAR, w),
          bit(`${at}.aux_bar`, F.CH_CTRL_AUX_BAR, w), bit(`${at}.A`, F.CH_CTRL_AUX_VALID, w),
        ],
      };
    }
    case 1: return { meaning: 'desc off lo', bits: [] };
    case 2: return { meaning: `desc off hi (offset ${hex(rd64(b, e + F.CH_OFF_DESC_OFF_LO))})`, bits: [] };
    case 3: return { meaning: `desc size ${hex(w)}`, bits: [] };
    case 4: return { meaning: 'desc DMA addr lo', bits: [] };
    case 5: return { meaning: `desc DMA addr hi (EP-local address ${hex(rd64(b, e + F.CH_OFF_DESC_ADDR_LO))})`, bits: [] };
    case 6: return { meaning: `aux off lo${ign}`, bits: [] };
    case 7: return { meaning: a ? `aux off hi (offset ${hex(rd64(b, e + F.CH_OFF_AUX_OFF_LO))})` : `aux off hi${ign}`, bits: [] };
    case 8: return { meaning: a ? `aux size ${hex(w)}` : `aux size${ign}`, bits: [] };
    case 9: return { meaning: `aux addr lo${ign}`, bits: [] };
    default: return { meaning: a ? `aux addr hi (EP-local address ${hex(rd64(b, e + F.CH_OFF_AUX_ADDR_LO))})` : `aux addr hi${ign}`, bits: [] };
  }
}

/**
 * The raw field view of a blob at `offset` in `buf`: every header word, every channel-entry word of both
 * tables (as the CTRL counts and stride say, as far as the bytes go), stride padding and bytes between the
 * tables and `len`, in byte order. Never throws: a short buffer yields the rows that fit and says how many
 * bytes were available. Channel tables are only decoded when the magic matches and the stride is ≥ 0x2C.
 */
export function decodeFields(buf: Uint8Array, offset = 0): DecodedFields {
  const notes: string[] = [];
  const base = Number.isInteger(offset) && offset >= 0 ? offset : -1;
  if (base < 0) notes.push(`offset ${offset} is not a non-negative integer`);
  const b = base >= 0 && base <= buf.length ? buf.subarray(base) : new Uint8Array(0);
  const available = b.length;
  const rows: FieldRow[] = [];
  const res: DecodedFields = { offset: Math.max(base, 0), available, needed: F.HDR_LEN, complete: false, magicOk: false, rows, notes };

  const word = (o: number, name: string, section: FieldRow['section'], mb: { meaning: string; bits: FieldBits[] }, entry?: number): void => {
    const w = rd32(b, o);
    rows.push({ offset: o, size: 4, name, value: w, hex: bytesHex(b, o, 4), meaning: mb.meaning, bits: mb.bits, section, ...(entry !== undefined ? { entry } : {}) });
  };
  const reserved = (o: number, n: number, name: string, meaning: string): void => {
    if (n <= 0) return;
    let allZero = true;
    for (let i = 0; i < n; i++) if (byteAt(b, o + i) !== 0) allZero = false;
    rows.push({ offset: o, size: n, name, value: n >= 4 ? rd32(b, o) : rd32(b, o) % 2 ** (8 * n), hex: bytesHex(b, o, n),
      meaning: `${meaning}${allZero ? '' : ' — not zero'}`, bits: [], section: 'reserved' });
  };

  for (let i = 0; i < F.HDR_WORDS.length; i++) {
    const o = i * 4;
    if (o + 4 > available) break;
    word(o, F.HDR_WORDS[i], 'header', headerMeaning(i, rd32(b, o), b));
  }
  if (available < F.HDR_LEN) {
    notes.push(`only ${available} bytes available at offset ${hex(res.offset)}; the header needs ${hex(F.HDR_LEN)}`);
    return res;
  }
  const h = readHeader(b);
  res.magicOk = h.magic === F.METADATA_MAGIC;
  const stride = h.entrySize;
  const tablesEnd = F.metadataLength(h.wrCount, h.rdCount, stride);
  res.needed = Math.max(h.len, F.HDR_LEN);
  if (!res.magicOk) {
    notes.push('magic mismatch: not a PEDM blob; channel tables not decoded');
  } else if (stride < F.CH_ENTRY_SIZE) {
    notes.push(`channel entry size ${hex(stride)} is below ${hex(F.CH_ENTRY_SIZE)}: entries would overlap; tables not decoded`);
  } else {
    res.needed = Math.max(h.len, tablesEnd);
    if (tablesEnd > h.len) notes.push(`the channel tables end at ${hex(tablesEnd)}, past len ${hex(h.len)}`);
    const chans: Record<'wr' | 'rd', PedmChannel[]> = { wr: [], rd: [] };
    let short = false;
    for (const dir of ['wr', 'rd'] as const) {
      const count = dir === 'wr' ? h.wrCount : h.rdCount;
      for (let i = 0; i < count && !short; i++) {
        const e = F.entryOffset(dir, i, h.wrCount, stride);
        const at = `${dir}[${i}]`;
        for (let k = 0; k < F.CH_WORDS.length; k++) {
          const o = e + k * 4;
          if (o + 4 > available) { short = true; break; }
          word(o, `${at}.${F.CH_WORDS[k]}`, dir, entryMeaning(k, rd32(b, o), b, e, at, i), i);
        }
        if (short) break;
        const pad = Math.min(stride - F.CH_ENTRY_SIZE, available - (e + F.CH_ENTRY_SIZE));
        reserved(e + F.CH_ENTRY_SIZE, pad, `${at}.reserved`, 'stride padding (reserved; reader ignores)');
        chans[dir].push(readChannel(b, e));
      }
    }
    if (short) notes.push(`the buffer ends at ${hex(available)} inside the channel tables`);
    else {
      res.metadata = {
        rev: h.rev, len: h.len, regBar: h.regBar, wrCount: h.wrCount, rdCount: h.rdCount, entrySize: stride,
        hostReq: h.hostReq, ready: h.ready, regOffset: h.regOffset, layoutId: h.layoutId, layoutData: h.layoutData,
        regSize: h.regSize, wr: chans.wr, rd: chans.rd,
      };
    }
  }
  if (res.magicOk && stride >= F.CH_ENTRY_SIZE && h.len > tablesEnd && available > tablesEnd) {
    reserved(tablesEnd, Math.min(h.len, available) - tablesEnd, 'reserved', 'bytes after the tables inside len (reserved; reader ignores)');
  }
  if (h.len > available) notes.push(`len ${hex(h.len)} runs past the ${hex(available)} bytes available`);
  res.complete = available >= res.needed;
  return res;
}

/** `decodeFields(buf, offset).metadata`: the blob as numbers, or undefined if it could not be read whole. */
export function decodeMetadata(buf: Uint8Array, offset = 0): PedmMetadata | undefined {
  return decodeFields(buf, offset).metadata;
}

// ---------------------------------------------------------------------------------------------
// Field locations (fault injection, tests, hovers)

/** Where a named field lives: a bit field of one word, or a 64-bit LO/HI pair. */
export type FieldLocation = { offset: number; bits: F.BitField; wide?: false } | { offset: number; wide: true };

const WORD: F.BitField = { shift: 0, width: 32 };

const HEADER_FIELDS: Record<string, FieldLocation> = {
  magic: { offset: F.OFF_MAGIC, bits: WORD },
  hdr: { offset: F.OFF_HDR, bits: WORD },
  rev: { offset: F.OFF_HDR, bits: F.HDR_REV },
  len: { offset: F.OFF_HDR, bits: F.HDR_LEN_FIELD },
  ctrl: { offset: F.OFF_CTRL, bits: WORD },
  'ctrl.reg_bar': { offset: F.OFF_CTRL, bits: F.CTRL_REG_BAR },
  'ctrl.wr': { offset: F.OFF_CTRL, bits: F.CTRL_WR_CH_COUNT },
  'ctrl.rd': { offset: F.OFF_CTRL, bits: F.CTRL_RD_CH_COUNT },
  'ctrl.stride': { offset: F.OFF_CTRL, bits: F.CTRL_CH_ENTRY_SIZE },
  'ctrl.H': { offset: F.OFF_CTRL, bits: F.CTRL_HOST_REQ },
  'ctrl.R': { offset: F.OFF_CTRL, bits: F.CTRL_READY },
  reg_off: { offset: F.OFF_REG_OFF_LO, wide: true },
  reg_off_lo: { offset: F.OFF_REG_OFF_LO, bits: WORD },
  reg_off_hi: { offset: F.OFF_REG_OFF_HI, bits: WORD },
  layout: { offset: F.OFF_REG_LAYOUT, bits: WORD },
  'layout.id': { offset: F.OFF_REG_LAYOUT, bits: F.REG_LAYOUT_ID },
  'layout.data': { offset: F.OFF_REG_LAYOUT, bits: F.REG_LAYOUT_DATA },
  reg_size: { offset: F.OFF_REG_SIZE, bits: WORD },
};

const ENTRY_FIELDS: Record<string, FieldLocation> = {
  ch_ctrl: { offset: F.CH_OFF_CTRL, bits: WORD },
  hw_ch: { offset: F.CH_OFF_CTRL, bits: F.CH_CTRL_HW_CH },
  desc_bar: { offset: F.CH_OFF_CTRL, bits: F.CH_CTRL_DESC_BAR },
  aux_bar: { offset: F.CH_OFF_CTRL, bits: F.CH_CTRL_AUX_BAR },
  A: { offset: F.CH_OFF_CTRL, bits: F.CH_CTRL_AUX_VALID },
  desc_off: { offset: F.CH_OFF_DESC_OFF_LO, wide: true },
  desc_off_lo: { offset: F.CH_OFF_DESC_OFF_LO, bits: WORD },
  desc_off_hi: { offset: F.CH_OFF_DESC_OFF_HI, bits: WORD },
  desc_size: { offset: F.CH_OFF_DESC_SIZE, bits: WORD },
  desc_addr: { offset: F.CH_OFF_DESC_ADDR_LO, wide: true },
  desc_addr_lo: { offset: F.CH_OFF_DESC_ADDR_LO, bits: WORD },
  desc_addr_hi: { offset: F.CH_OFF_DESC_ADDR_HI, bits: WORD },
  aux_off: { offset: F.CH_OFF_AUX_OFF_LO, wide: true },
  aux_off_lo: { offset: F.CH_OFF_AUX_OFF_LO, bits: WORD },
  aux_off_hi: { offset: F.CH_OFF_AUX_OFF_HI, bits: WORD },
  aux_size: { offset: F.CH_OFF_AUX_SIZE, bits: WORD },
  aux_addr: { offset: F.CH_OFF_AUX_ADDR_LO, wide: true },
  aux_addr_lo: { offset: F.CH_OFF_AUX_ADDR_LO, bits: WORD },
  aux_addr_hi: { offset: F.CH_OFF_AUX_ADDR_HI, bits: WORD },
};

/** Field names `locateField` accepts (entry fields as `wr[i].NAME` / `rd[i].NAME`). */
export const FIELD_NAMES = { header: Object.keys(HEADER_FIELDS), entry: Object.keys(ENTRY_FIELDS) };

/**
 * Where field `name` sits in `blob`: header names (`magic`, `rev`, `len`, `ctrl.wr`, `layout.data`, …) or
 * entry names `wr[i].hw_ch`, `rd[i].desc_off`, …; read-table entries are placed with the blob's own WR
 * count and stride (seed-series 1.3). Undefined for unknown names.
 */
export function locateField(blob: Uint8Array, name: string): FieldLocation | undefined {
  const hf = HEADER_FIELDS[name];
  if (hf) return hf;
  const m = /^(wr|rd)\[(\d+)\]\.(\w+)$/.exec(name);
  if (!m) return undefined;
  const ef = ENTRY_FIELDS[m[3]];
  if (!ef) return undefined;
  const h = readHeader(blob);
  const e = F.entryOffset(m[1] as 'wr' | 'rd', Number(m[2]), h.wrCount, h.entrySize);
  return { ...ef, offset: e + ef.offset };
}

/** Writes `value` into field `name` of `blob` in place; false if the name is unknown or the field lies outside `blob`. */
export function patchField(blob: Uint8Array, name: string, value: number | bigint): boolean {
  const loc = locateField(blob, name);
  if (!loc || loc.offset < 0 || loc.offset + (loc.wide ? 8 : 4) > blob.length) return false;
  if (loc.wide) {
    wr64(blob, loc.offset, BigInt.asUintN(64, BigInt(value)));
  } else {
    wr32(blob, loc.offset, F.setBits(rd32(blob, loc.offset), loc.bits, Number(BigInt.asUintN(32, BigInt(value)))));
  }
  return true;
}

export { parseMetadata, scanBars, validateMetadata } from './host-parser';
export type { ScanBar, ScanResult, ScanStep } from './host-parser';
