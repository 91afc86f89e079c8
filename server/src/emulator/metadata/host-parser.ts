/**
 * The host side of the PEDM metadata: dw-edma-pcie's validation, parse after READY and BAR scan
 * (seed-series 6.5, kernel-background E.5), in exactly the driver's order. Decoding and encoding
 * live in ./codec; this file only judges a blob the way the host would.
 */
import * as F from './format';
import { hex } from './bytes';
import { readChannel, readHeader } from './codec';
import type { ParseResult, ParsedChannel, PedmBlock, PedmErrno, PedmFailure, PedmHeader, ValidateOptions, ValidateResult } from './codec';

// ---------------------------------------------------------------------------------------------
// Host parser: validation (seed-series 6.5 "Validation", kernel-background E.5)

function logPrefix(opts: ValidateOptions | undefined): string {
  return `dw-edma-pcie ${opts?.device ?? '0000:01:00.0'}: ${opts?.bar !== undefined ? `BAR${opts.bar}: ` : ''}`;
}

function failure(opts: ValidateOptions | undefined, errno: PedmErrno, field: string, offset: number, reason: string, log: string): PedmFailure {
  return { ok: false, errno, field, offset, reason, log: logPrefix(opts) + log };
}

/**
 * The host's validation of a blob at offset 0 of a BAR (`bar` holds the BAR's bytes, at least the header;
 * `barLen` is the BAR length), run before H and again after R. Checks in exactly the order of seed-series
 * 6.5; the first failing one is reported:
 *  1. magic ≠ 0x4D444550 → ENODEV (the only error that lets the scan try the next BAR)
 *  2. revision ≠ 1 → EINVAL
 *  3. len < 0x1C → EINVAL
 *  4. len > BAR length → EINVAL
 *  5. layout id ≠ 1 → EOPNOTSUPP
 *  6. layout data 0 (legacy) → EOPNOTSUPP
 *  7. layout data ∉ {1, 5, 7} → EINVAL (v1/v2 parser: 7 → EOPNOTSUPP)
 *  8. REG_BAR > 5 → EINVAL
 *  9. WR = RD = 0 → EINVAL
 * 10. WR > 8 or RD > 8 → EINVAL
 * 11. stride < 0x2C or stride % 4 ≠ 0 → EINVAL
 * 12. 0x1C + (WR + RD) × stride > len → EINVAL
 * H and R are not looked at. A BAR shorter than the header is never validated by the real scan (it skips
 * it); called directly on one, this returns ENODEV as the scan's outcome would be.
 */
export function validateMetadata(bar: Uint8Array, barLen: number, opts?: ValidateOptions): ValidateResult {
  if (barLen < F.HDR_LEN) {
    return failure(opts, 'ENODEV', 'magic', F.OFF_MAGIC, `BAR length ${hex(barLen)} is shorter than the metadata header (${hex(F.HDR_LEN)})`,
      'BAR too small for endpoint DMA metadata');
  }
  const h = readHeader(bar);
  if (h.magic !== F.METADATA_MAGIC) {
    return failure(opts, 'ENODEV', 'magic', F.OFF_MAGIC, `magic ${hex(h.magic, 8)} is not ${hex(F.METADATA_MAGIC, 8)} ("PEDM")`,
      'no endpoint DMA metadata found');
  }
  if (h.rev !== F.METADATA_REV) {
    return failure(opts, 'EINVAL', 'rev', F.OFF_HDR, `revision ${h.rev} is not ${F.METADATA_REV}`,
      `unsupported endpoint DMA metadata revision ${h.rev}`);
  }
  if (h.len < F.HDR_LEN) {
    return failure(opts, 'EINVAL', 'len', F.OFF_HDR, `len ${hex(h.len)} is shorter than the header (${hex(F.HDR_LEN)})`,
      `endpoint DMA metadata length ${h.len} too short`);
  }
  if (h.len > barLen) {
    return failure(opts, 'EINVAL', 'len', F.OFF_HDR, `len ${hex(h.len)} exceeds the BAR length ${hex(barLen)}`,
      `endpoint DMA metadata length ${h.len} exceeds BAR size ${barLen}`);
  }
  if (h.layoutId !== F.LAYOUT_DW_EDMA) {
    return failure(opts, 'EOPNOTSUPP', 'layout.id', F.OFF_REG_LAYOUT, `register layout id ${h.layoutId} is not ${F.LAYOUT_DW_EDMA} (DW eDMA)`,
      `unsupported DMA register layout ${h.layoutId}`);
  }
  if (h.layoutData === F.MAP_FORMAT.EDMA_LEGACY) {
    return failure(opts, 'EOPNOTSUPP', 'layout.data', F.OFF_REG_LAYOUT, 'map format 0 (eDMA legacy) is not supported',
      'legacy eDMA register map is not supported');
  }
  if (opts?.revision === 'v1v2' && h.layoutData === F.MAP_FORMAT.HDMA_NATIVE) {
    return failure(opts, 'EOPNOTSUPP', 'layout.data', F.OFF_REG_LAYOUT, 'map format 7 (HDMA native) is not supported by the v1/v2 parser',
      'HDMA native register map is not supported');
  }
  const known: number[] = [F.MAP_FORMAT.EDMA_UNROLL, F.MAP_FORMAT.HDMA_COMPAT, F.MAP_FORMAT.HDMA_NATIVE];
  if (!known.includes(h.layoutData)) {
    return failure(opts, 'EINVAL', 'layout.data', F.OFF_REG_LAYOUT, `map format ${h.layoutData} is not 1, 5 or 7`,
      `invalid DW eDMA map format ${h.layoutData}`);
  }
  if (h.regBar > F.MAX_BAR) {
    return failure(opts, 'EINVAL', 'ctrl.reg_bar', F.OFF_CTRL, `REG_BAR ${h.regBar} is not a BAR (0–5)`,
      `invalid DMA register BAR ${h.regBar}`);
  }
  if (h.wrCount === 0 && h.rdCount === 0) {
    return failure(opts, 'EINVAL', 'ctrl.wr', F.OFF_CTRL, 'no channels: WR = RD = 0',
      'endpoint DMA metadata exposes no channels');
  }
  if (h.wrCount > F.MAX_CH_PER_DIR || h.rdCount > F.MAX_CH_PER_DIR) {
    return failure(opts, 'EINVAL', h.wrCount > F.MAX_CH_PER_DIR ? 'ctrl.wr' : 'ctrl.rd', F.OFF_CTRL,
      `channel counts WR ${h.wrCount}, RD ${h.rdCount} exceed ${F.MAX_CH_PER_DIR} per direction`,
      `too many endpoint DMA channels (wr ${h.wrCount}, rd ${h.rdCount})`);
  }
  if (h.entrySize < F.CH_ENTRY_SIZE || h.entrySize % 4 !== 0) {
    return failure(opts, 'EINVAL', 'ctrl.stride', F.OFF_CTRL,
      `channel entry size ${hex(h.entrySize)} is ${h.entrySize < F.CH_ENTRY_SIZE ? `below ${hex(F.CH_ENTRY_SIZE)}` : 'not a multiple of 4'}`,
      `invalid endpoint DMA channel entry size ${h.entrySize}`);
  }
  const end = F.metadataLength(h.wrCount, h.rdCount, h.entrySize);
  if (end > h.len) {
    return failure(opts, 'EINVAL', 'len', F.OFF_HDR, `the channel tables end at ${hex(end)}, past len ${hex(h.len)}`,
      `endpoint DMA channel tables (${end} bytes) exceed metadata length ${h.len}`);
  }
  return { ok: true, header: h };
}

// ---------------------------------------------------------------------------------------------
// Host parser: parse after READY (seed-series 6.5 "Parse")

type WindowCheck = { ok: true; checked: boolean } | { ok: false; reason: string; field: string };

/**
 * The range rule the host applies to the register window and to every descriptor/aux block (seed-series
 * 6.5): the BAR exists, the 64-bit offset fits off_t, size ≠ 0, off ≤ BAR length, size ≤ BAR length − off.
 * An undefined BAR length means "unknown" (e.g. `pciep decode` holds one BAR only): the range part is skipped.
 */
function checkWindow(barIdx: number, off: bigint, size: number, barLens: readonly (number | undefined)[], what: string): WindowCheck {
  if (barIdx > F.MAX_BAR) return { ok: false, field: 'bar', reason: `${what} BAR${barIdx} is not a BAR (0–5)` };
  if (off > F.OFF_T_MAX) return { ok: false, field: 'off', reason: `${what} offset ${hex(off)} does not fit off_t` };
  if (size === 0) return { ok: false, field: 'size', reason: `${what} size is 0` };
  const len = barLens[barIdx];
  if (len === undefined) return { ok: true, checked: false };
  if (len === 0) return { ok: false, field: 'bar', reason: `${what} is in BAR${barIdx}, which is absent` };
  if (off > BigInt(len)) return { ok: false, field: 'off', reason: `${what} offset ${hex(off)} is beyond BAR${barIdx} (length ${hex(len)})` };
  if (BigInt(size) > BigInt(len) - off) {
    return { ok: false, field: 'size', reason: `${what} ${hex(off)}+${hex(size)} runs past the end of BAR${barIdx} (length ${hex(len)})` };
  }
  return { ok: true, checked: true };
}

/**
 * What dw-edma-pcie does after seeing READY (seed-series 6.5): re-validate (same order as
 * `validateMetadata`), then parse. `barLens` holds the lengths of BAR0–5 (0 = absent, undefined = unknown).
 * - map format = layout data; register BAR from CTRL; counts = min(8, metadata count); IRQs = wr + rd;
 * - register window: offset fits off_t, size ≠ 0, off ≤ BAR length, size ≤ BAR length − off → else EINVAL;
 * - write table at 0x1C, read table at 0x1C + WR_count × stride with the METADATA WR count (edge case E26);
 * - entry i must say hw_ch i → else EOPNOTSUPP (edge case E25);
 * - descriptor block within its BAR → else EINVAL; aux block only if A = 1, same checks.
 * A v4 host clears H again after a parse failure (edge case E17); that is the caller's business.
 */
export function parseMetadata(bar: Uint8Array, barLen: number, barLens: readonly (number | undefined)[], opts?: ValidateOptions): ParseResult {
  const v = validateMetadata(bar, barLen, opts);
  if (!v.ok) return v;
  const h = v.header;
  const unchecked: string[] = [];

  const reg = checkWindow(h.regBar, h.regOffset, h.regSize, barLens, 'register window');
  if (!reg.ok) {
    const field = reg.field === 'size' ? 'reg_size' : reg.field === 'bar' ? 'ctrl.reg_bar' : 'reg_off';
    const off = reg.field === 'size' ? F.OFF_REG_SIZE : reg.field === 'bar' ? F.OFF_CTRL : F.OFF_REG_OFF_LO;
    return failure(opts, 'EINVAL', field, off, reg.reason,
      `invalid DMA register window (BAR${h.regBar} offset ${hex(h.regOffset)} size ${hex(h.regSize)})`);
  }
  if (!reg.checked) unchecked.push(`register window in BAR${h.regBar}`);

  // Counts are capped like the driver does; after validation the cap never bites (counts ≤ 8).
  const wrCount = Math.min(F.MAX_CH_PER_DIR, h.wrCount);
  const rdCount = Math.min(F.MAX_CH_PER_DIR, h.rdCount);
  const out: Record<'wr' | 'rd', ParsedChannel[]> = { wr: [], rd: [] };
  for (const dir of ['wr', 'rd'] as const) {
    const n = dir === 'wr' ? wrCount : rdCount;
    for (let i = 0; i < n; i++) {
      // E26: the read table is placed with h.wrCount (the metadata count), not the capped wrCount.
      const e = F.entryOffset(dir, i, h.wrCount, h.entrySize);
      const c = readChannel(bar, e);
      const at = `${dir}[${i}]`;
      const dirName = dir === 'wr' ? 'write' : 'read';
      if (c.hwCh !== i) {
        return failure(opts, 'EOPNOTSUPP', `${at}.hw_ch`, e + F.CH_OFF_CTRL,
          `${dirName} entry ${i} names hw channel ${c.hwCh}; rev-1 hosts need dense 0-based channels`,
          `unsupported ${dirName} channel layout: entry ${i} is hw channel ${c.hwCh}`);
      }
      const blocks: ['desc' | 'aux', number, bigint, number, bigint][] = [['desc', c.descBar, c.descOffset, c.descSize, c.descAddr]];
      if (c.auxValid) blocks.push(['aux', c.auxBar, c.auxOffset, c.auxSize, c.auxAddr]);
      const parsed: PedmBlock[] = [];
      for (const [kind, barIdx, off, size, paddr] of blocks) {
        const what = `${dirName} channel ${i} ${kind === 'desc' ? 'descriptor' : 'aux'} window`;
        const w = checkWindow(barIdx, off, size, barLens, what);
        if (!w.ok) {
          const sub = w.field === 'bar' ? `${kind}_bar` : `${kind}_${w.field}`;
          const wordOff = w.field === 'bar' ? F.CH_OFF_CTRL
            : w.field === 'off' ? (kind === 'desc' ? F.CH_OFF_DESC_OFF_LO : F.CH_OFF_AUX_OFF_LO)
              : (kind === 'desc' ? F.CH_OFF_DESC_SIZE : F.CH_OFF_AUX_SIZE);
          return failure(opts, 'EINVAL', `${at}.${sub}`, e + wordOff, w.reason,
            `invalid ${dirName} channel ${i} ${kind === 'desc' ? 'descriptor' : 'aux'} block (BAR${barIdx} offset ${hex(off)} size ${hex(size)})`);
        }
        if (!w.checked) unchecked.push(`${what} in BAR${barIdx}`);
        parsed.push({ bar: barIdx, offset: off, size, paddr, checked: w.checked });
      }
      out[dir].push({ hwCh: c.hwCh, desc: parsed[0], ...(parsed[1] ? { aux: parsed[1] } : {}) });
    }
  }
  return {
    ok: true,
    parsed: {
      mapFormat: h.layoutData, mapFormatName: F.mapFormatName(h.layoutData), regBar: h.regBar, regOffset: h.regOffset,
      regSize: h.regSize, regChecked: reg.checked, wrCount, rdCount, irqs: wrCount + rdCount, hostReq: h.hostReq,
      ready: h.ready, wr: out.wr, rd: out.rd, unchecked,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Host parser: BAR scan (seed-series 6.5 "BAR scan")

export interface ScanBar {
  index: number;
  memory: boolean;
  assigned: boolean;
  /** The BAR's bytes from offset 0 (at least the header; bytes past the end read as 0). */
  bytes: Uint8Array;
  /** BAR length. */
  len: number;
}

export interface ScanStep {
  bar: number;
  action: 'skipped' | 'no-metadata' | 'found' | 'rejected';
  reason: string;
}

export type ScanResult =
  | { ok: true; bar: number; header: PedmHeader; steps: ScanStep[] }
  | (PedmFailure & { bar: number | null; steps: ScanStep[] });

/**
 * BAR0 → BAR5: skip BARs that are not memory, not assigned, or shorter than 0x1C; validate the first
 * one holding metadata. ENODEV (no magic) moves on to the next BAR; any other error aborts the scan and is
 * returned with that BAR; no BAR with metadata → ENODEV with `bar: null`.
 */
export function scanBars(bars: readonly ScanBar[], opts?: Omit<ValidateOptions, 'bar'>): ScanResult {
  const steps: ScanStep[] = [];
  const sorted = [...bars].filter((b) => b.index >= 0 && b.index <= F.MAX_BAR).sort((a, b) => a.index - b.index);
  for (const b of sorted) {
    if (!b.memory) { steps.push({ bar: b.index, action: 'skipped', reason: 'not a memory BAR' }); continue; }
    if (!b.assigned) { steps.push({ bar: b.index, action: 'skipped', reason: 'not assigned' }); continue; }
    if (b.len < F.HDR_LEN) { steps.push({ bar: b.index, action: 'skipped', reason: `shorter than ${hex(F.HDR_LEN)} bytes` }); continue; }
    const v = validateMetadata(b.bytes, b.len, { ...opts, bar: b.index });
    if (v.ok) {
      steps.push({ bar: b.index, action: 'found', reason: 'valid endpoint DMA metadata' });
      return { ok: true, bar: b.index, header: v.header, steps };
    }
    if (v.errno === 'ENODEV') { steps.push({ bar: b.index, action: 'no-metadata', reason: v.reason }); continue; }
    steps.push({ bar: b.index, action: 'rejected', reason: `${v.errno}: ${v.reason}` });
    return { ...v, bar: b.index, steps };
  }
  return {
    ...failure(opts, 'ENODEV', 'magic', F.OFF_MAGIC, 'no BAR holds endpoint DMA metadata', 'no endpoint DMA metadata found in any BAR'),
    bar: null, steps,
  };
}
