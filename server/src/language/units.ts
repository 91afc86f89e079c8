/**
 * Sizes and addresses as written in `[platform/…]` and `[host…]` sections (DESIGN §2): decimal or
 * `0x` hex, `_` digit separators, an optional binary unit suffix (`K`/`KiB`/`KB` = 1024, `M`, `G`,
 * `T`), case-insensitive. configfs attribute values never go through here: they follow the
 * kernel's own kstrto* rules (kernel-background F.2), which know no suffixes.
 */

export type UnitResult = { ok: true; value: bigint } | { ok: false; message: string };

const U64_MAX = (1n << 64n) - 1n;

/** Suffix (lower-cased, spaces removed) → left shift. Binary units only: 1K = 1024. */
const SUFFIX_SHIFT: ReadonlyMap<string, bigint> = new Map<string, bigint>([
  ['', 0n],
  ['b', 0n],
  ...(['k', 'm', 'g', 't'] as const).flatMap((u, i): [string, bigint][] => {
    const shift = BigInt(10 * (i + 1));
    return [[u, shift], [`${u}b`, shift], [`${u}ib`, shift]];
  }),
]);

function fail(message: string): UnitResult {
  return { ok: false, message };
}

interface NumberPart {
  value: bigint;
  suffix: string;
}

/** Splits `text` into a non-negative integer and whatever follows it. */
function parseNumberPart(text: string): NumberPart | string {
  const s = text.trim();
  if (s === '') return 'empty value: expected a number such as 4096, 0x1000 or 4K';
  if (s.startsWith('-')) return `negative values are not allowed: '${s}'`;
  const hex = /^0x/i.test(s);
  const m = hex ? /^0x([0-9a-f_]*)(.*)$/is.exec(s) : /^([0-9_]*)(.*)$/s.exec(s);
  if (m === null) return `not a number: '${s}'`;
  const [, digits, rest] = m;
  if (digits.replace(/_/g, '') === '') return `not a number: '${s}'`;
  if (digits.startsWith('_') || digits.endsWith('_') || digits.includes('__')) {
    return `misplaced '_' in '${s}': use it only between digits, e.g. 1_048_576 or 0x4_1000_0000`;
  }
  if (rest.startsWith('.') || rest.startsWith(',')) return `fractions are not allowed: '${s}' (write 1536K instead of 1.5M)`;
  const value = BigInt((hex ? '0x' : '') + digits.replace(/_/g, ''));
  return { value, suffix: rest };
}

/**
 * Parses a size or address: `65536`, `64K`, `64 KiB`, `1_048_576`, `0x4_1000_0000`, `1GiB`.
 * Values must fit in 64 bits (phys_addr_t / resource_size_t).
 */
export function parseSize(text: string): UnitResult {
  const part = parseNumberPart(text);
  if (typeof part === 'string') return fail(part);
  const suffix = part.suffix.trim();
  const shift = SUFFIX_SHIFT.get(suffix.toLowerCase());
  if (shift === undefined) {
    return fail(`unknown unit '${suffix}' in '${text.trim()}': use K, M, G or T (binary, 1K = 1024), optionally as KiB/MiB/GiB/TiB`);
  }
  const value = part.value << shift;
  if (value > U64_MAX) return fail(`'${text.trim()}' does not fit in 64 bits`);
  return { ok: true, value };
}

/** Parses a plain count or index: decimal or `0x` hex with `_` separators, no unit. */
export function parseInteger(text: string): UnitResult {
  const part = parseNumberPart(text);
  if (typeof part === 'string') return fail(part);
  if (part.suffix.trim() !== '') return fail(`not an integer: '${text.trim()}'`);
  if (part.value > U64_MAX) return fail(`'${text.trim()}' does not fit in 64 bits`);
  return { ok: true, value: part.value };
}

/** Exact for any safe integer (bit test on a bigint, no floating-point log). */
export function isPowerOfTwo(n: number | bigint): boolean {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) return false;
  const b = BigInt(n);
  return b > 0n && (b & (b - 1n)) === 0n;
}

/** A bigint as a JS number when it is exactly representable, else undefined. */
export function toSafeNumber(value: bigint): number | undefined {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : undefined;
}

const UNITS: readonly [string, bigint][] = [
  ['TiB', 1n << 40n],
  ['GiB', 1n << 30n],
  ['MiB', 1n << 20n],
  ['KiB', 1n << 10n],
];

/**
 * Human size, exact: the largest binary unit that divides the value (`64 KiB`, `1 MiB`),
 * otherwise bytes (`256 B`, `4608 B`).
 */
export function formatSize(n: number | bigint): string {
  const v = typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
  if (v !== 0n) {
    for (const [unit, size] of UNITS) {
      if (v % size === 0n) return `${v / size} ${unit}`;
    }
  }
  return `${v} B`;
}

/** `0x2000`-style lower-case hex, optionally zero-padded to `width` digits. */
export function hex(n: number | bigint, width = 0): string {
  const v = typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
  const negative = v < 0n;
  const digits = (negative ? -v : v).toString(16).padStart(width, '0');
  return `${negative ? '-' : ''}0x${digits}`;
}
