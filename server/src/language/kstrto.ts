/**
 * The kernel's string-to-integer parsers (lib/kstrtox.c) as the pci_ep configfs store callbacks
 * call them: always base 0, on the exact bytes `echo VALUE > attr` writes, i.e. the value text
 * followed by one "\n". Everything here is a behavioural reimplementation written from the
 * reference sheets (kernel-background A.2, A.3, F.2), not a translation of kernel source.
 *
 * Values are bigint so u64 and s64 are exact; results carry the kernel errno so the emulator and
 * the validator report the same failure the write(2) would.
 */

import type { IntType } from './schema/types';

export type IntParseResult =
  | { ok: true; value: bigint; radix: 8 | 10 | 16 }
  | { ok: false; errno: 'EINVAL' | 'ERANGE'; reason: string };

export type BoolParseResult = { ok: true; value: boolean } | { ok: false; errno: 'EINVAL'; reason: string };

type Radix = 8 | 10 | 16;

const U64_MAX = (1n << 64n) - 1n;
const S64_MAX = (1n << 63n) - 1n;
/** Largest magnitude a negative s64 may have (|LLONG_MIN|). */
const S64_NEG_MAGNITUDE = 1n << 63n;

/** Inclusive range of each parse type, used for the kstrtou8/u16/... narrowing step. */
export const INT_RANGE: Readonly<Record<IntType, { min: bigint; max: bigint }>> = {
  u8: { min: 0n, max: 0xffn },
  u16: { min: 0n, max: 0xffffn },
  u32: { min: 0n, max: 0xffff_ffffn },
  u64: { min: 0n, max: U64_MAX },
  s32: { min: -(1n << 31n), max: (1n << 31n) - 1n },
  s64: { min: -S64_NEG_MAGNITUDE, max: S64_MAX },
};

/** Kernel function name used for each type in messages (kstrtos32 is spelled kstrtoint in drivers). */
const PARSER_NAME: Readonly<Record<IntType, string>> = {
  u8: 'kstrtou8',
  u16: 'kstrtou16',
  u32: 'kstrtou32',
  u64: 'kstrtou64',
  s32: 'kstrtoint',
  s64: 'kstrtos64',
};

export function kernelParserName(type: IntType | 'bool'): string {
  return type === 'bool' ? 'kstrtobool' : PARSER_NAME[type];
}

/**
 * The kernel works on a NUL-terminated page buffer, so anything after an embedded NUL is never
 * seen. `echo` cannot produce one, but a quoted value from a file could; cutting here keeps the
 * behaviour identical.
 */
function cString(text: string): string {
  const nul = text.indexOf('\0');
  return nul >= 0 ? text.slice(0, nul) : text;
}

function isHexDigit(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/** Digit value in the widest alphabet the kernel accepts (ASCII 0-9, a-f, A-F), or -1. */
function digitValue(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  // Folding with 0x20 maps exactly A-F onto a-f within ASCII, as the kernel's lower-casing does.
  const lc = code | 0x20;
  if (lc >= 0x61 && lc <= 0x66 && code < 0x80) return lc - 0x61 + 10;
  return -1;
}

function describeChar(c: string): string {
  if (c === '\n') return 'a newline';
  if (c === ' ') return 'a space';
  if (c === '\t') return 'a tab';
  if (c === '\r') return 'a carriage return';
  return `'${c}'`;
}

/** Why a string with no digits at `c` was refused; `signed` tells whether a '-' would have been legal. */
function noDigitsReason(c: string | undefined, signed: boolean, afterSign: boolean): string {
  if (c === undefined || c === '\n') {
    return afterSign ? 'a sign with no digits after it' : 'there are no digits to parse';
  }
  if (/\s/.test(c)) return 'leading whitespace is not accepted (the kernel does not skip blanks)';
  if (c === '-') {
    if (afterSign) return 'only one sign is accepted';
    return signed ? 'only one sign is accepted' : "a '-' sign is not accepted by an unsigned parser";
  }
  if (c === '+') return "only one leading '+' is accepted";
  return `${describeChar(c)} is not a digit`;
}

/** Why the characters after a valid number made the parse fail. */
function trailingReason(s: string, i: number, radix: Radix, digitsStart: number): string {
  const c = s[i];
  if (c === '\n') return 'only one trailing newline is accepted';
  if (/\s/.test(c)) return `${describeChar(c)} after the number is not accepted`;
  if (radix === 8 && (c === 'x' || c === 'X') && i === digitsStart + 1 && s[digitsStart] === '0') {
    return "'0x' must be followed by at least one hexadecimal digit";
  }
  const d = digitValue(c);
  if (radix === 8 && d >= 8 && d <= 9) {
    return `${describeChar(c)} is not an octal digit: a leading 0 selects octal (base 8)`;
  }
  if (radix === 10 && d >= 10) {
    return `${describeChar(c)} is not a decimal digit (hexadecimal needs a 0x prefix)`;
  }
  if (radix === 8 && d >= 10) {
    return `${describeChar(c)} is not an octal digit: a leading 0 selects octal (hexadecimal needs 0x)`;
  }
  return `unexpected ${describeChar(c)} after the number`;
}

/**
 * The unsigned core shared by every parser (kernel: the radix fix-up, the digit loop and the
 * end-of-string test). Starts at `start`, which is past any sign the caller consumed.
 *
 * Base 0 radix choice: "0x"/"0X" followed by a hex digit is hexadecimal (the prefix is skipped);
 * any other leading '0' is octal, which is why "0x" alone and "08" both fail: the octal digit loop
 * stops after the '0' and what remains is not the end of the string.
 */
function parseMagnitude(s: string, start: number, signed: boolean, afterSign: boolean): IntParseResult {
  let i = start;
  let radix: Radix = 10;
  if (s[i] === '0') {
    if ((s[i + 1] === 'x' || s[i + 1] === 'X') && isHexDigit(s[i + 2])) {
      radix = 16;
      i += 2;
    } else {
      radix = 8;
    }
  }
  const digitsStart = i;
  // Accumulated in a double while exact (below 2^53: every value written in practice), in a
  // bigint beyond; a bigint per digit made this parser the replay's largest allocator.
  let small = 0;
  let big: bigint | undefined;
  let overflow = false;
  while (i < s.length) {
    const d = digitValue(s[i]);
    if (d < 0 || d >= radix) break;
    // The kernel keeps consuming digits after an overflow and only reports it afterwards, so
    // an overflowing number followed by junk is still ERANGE, not EINVAL.
    if (!overflow) {
      if (big === undefined) {
        // A double rounds monotonically, so an inexact result still compares above the limit.
        const next = small * radix + d;
        if (next <= Number.MAX_SAFE_INTEGER) small = next;
        else big = BigInt(small) * BigInt(radix) + BigInt(d);
      } else {
        big = big * BigInt(radix) + BigInt(d);
      }
      if (big !== undefined && big > U64_MAX) overflow = true;
    }
    i++;
  }
  const value = big ?? BigInt(small);
  if (overflow) {
    return { ok: false, errno: 'ERANGE', reason: 'the number does not fit in 64 bits' };
  }
  if (i === digitsStart) {
    return { ok: false, errno: 'EINVAL', reason: noDigitsReason(s[i], signed, afterSign) };
  }
  if (s[i] === '\n') i++;
  if (i < s.length) {
    return { ok: false, errno: 'EINVAL', reason: trailingReason(s, i, radix, digitsStart) };
  }
  return { ok: true, value, radix };
}

/** kstrtoull(s, 0): one optional leading '+', then the unsigned core. */
export function kstrtoull(text: string): IntParseResult {
  const s = cString(text);
  return s[0] === '+' ? parseMagnitude(s, 1, false, true) : parseMagnitude(s, 0, false, false);
}

/** kstrtoll(s, 0): a leading '-' negates a magnitude of at most 2^63; otherwise as kstrtoull but ≤ 2^63-1. */
export function kstrtoll(text: string): IntParseResult {
  const s = cString(text);
  if (s[0] === '-') {
    const r = parseMagnitude(s, 1, true, true);
    if (!r.ok) return r;
    if (r.value > S64_NEG_MAGNITUDE) {
      return { ok: false, errno: 'ERANGE', reason: 'the number is below the s64 minimum (-9223372036854775808)' };
    }
    return { ok: true, value: -r.value, radix: r.radix };
  }
  const r = s[0] === '+' ? parseMagnitude(s, 1, true, true) : parseMagnitude(s, 0, true, false);
  if (!r.ok) return r;
  if (r.value > S64_MAX) {
    return { ok: false, errno: 'ERANGE', reason: 'the number is above the s64 maximum (9223372036854775807)' };
  }
  return r;
}

/** Narrowing step of kstrtou8/u16/uint/int: parse wide, then ERANGE when the value does not fit. */
function narrow(r: IntParseResult, type: IntType): IntParseResult {
  if (!r.ok) return r;
  const { min, max } = INT_RANGE[type];
  if (r.value < min || r.value > max) {
    return { ok: false, errno: 'ERANGE', reason: `${r.value} is out of range for ${type} (${min}..${max})` };
  }
  return r;
}

export function kstrtou8(text: string): IntParseResult {
  return narrow(kstrtoull(text), 'u8');
}

export function kstrtou16(text: string): IntParseResult {
  return narrow(kstrtoull(text), 'u16');
}

/** kstrtou32 and kstrtouint are the same function in the kernel. */
export function kstrtou32(text: string): IntParseResult {
  return narrow(kstrtoull(text), 'u32');
}
export const kstrtouint = kstrtou32;

export function kstrtou64(text: string): IntParseResult {
  return kstrtoull(text);
}

/** kstrtoint and kstrtos32 are the same function in the kernel. */
export function kstrtoint(text: string): IntParseResult {
  return narrow(kstrtoll(text), 's32');
}
export const kstrtos32 = kstrtoint;

export function kstrtos64(text: string): IntParseResult {
  return kstrtoll(text);
}

/** Dispatch on the schema's parse type (AttributeSpec.parse.type). */
export function parseInt(type: IntType, text: string): IntParseResult {
  switch (type) {
    case 'u8':
      return kstrtou8(text);
    case 'u16':
      return kstrtou16(text);
    case 'u32':
      return kstrtou32(text);
    case 'u64':
      return kstrtou64(text);
    case 's32':
      return kstrtoint(text);
    case 's64':
      return kstrtos64(text);
  }
}

/**
 * kstrtobool (kernel-background A.3): decides on the first character alone ('y' 'Y' 't' 'T' '1'
 * true; 'n' 'N' 'f' 'F' '0' false), or on the first two for 'o'/'O' ("on"/"of…"). Nothing after
 * that is looked at, so "yes", "1abc" and "true story" are all accepted.
 */
export function kstrtobool(text: string): BoolParseResult {
  const s = cString(text);
  const c0 = s[0];
  switch (c0) {
    case 'y':
    case 'Y':
    case 't':
    case 'T':
    case '1':
      return { ok: true, value: true };
    case 'n':
    case 'N':
    case 'f':
    case 'F':
    case '0':
      return { ok: true, value: false };
    case 'o':
    case 'O': {
      const c1 = s[1];
      if (c1 === 'n' || c1 === 'N') return { ok: true, value: true };
      if (c1 === 'f' || c1 === 'F') return { ok: true, value: false };
      return {
        ok: false,
        errno: 'EINVAL',
        reason: `after 'o' only 'n' (on) or 'f' (off) is accepted, not ${c1 === undefined ? 'the end of the value' : describeChar(c1)}`,
      };
    }
    default:
      return {
        ok: false,
        errno: 'EINVAL',
        reason:
          c0 === undefined || c0 === '\n'
            ? 'empty value'
            : `${describeChar(c0)} does not start a boolean (use 1/0, y/n, on/off or true/false)`,
      };
  }
}

/** Spellings whose meaning nobody would misread; any other accepted text deserves a warning. */
const PLAIN_BOOLS = new Set(['0', '1', 'y', 'n', 'yes', 'no', 't', 'f', 'true', 'false', 'on', 'off']);

function stripNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/**
 * True when kstrtobool accepts the text only because it stops looking after one or two
 * characters ("1abc", "true story", "10", "offline"), i.e. the accept is likely a typo.
 */
export function isSurprisingBoolAccept(text: string): boolean {
  const r = kstrtobool(text);
  if (!r.ok) return false;
  return !PLAIN_BOOLS.has(stripNewline(cString(text)).toLowerCase());
}

/**
 * True when a base-0 integer is read as octal and so means something other than its decimal
 * look ("010" is 8). Values below 8 read the same in both bases and are not flagged.
 */
export function isOctalSurprise(text: string): boolean {
  const r = kstrtoull(text);
  const v = r.ok ? r : kstrtoll(text);
  if (!v.ok || v.radix !== 8) return false;
  return v.value >= 8n || v.value <= -8n;
}

/**
 * The show callback's output for the formats pci_ep configfs uses (`0x%04x`, `%d`, `%u`, `%lld`,
 * `%llu`, `%zu`, `%x`), without the trailing newline the kernel appends. The value is converted
 * the way C varargs see it: `%d` reinterprets a 32-bit value as signed (a u32 of 0xffffffff shows
 * "-1"), `%lld` does the same at 64 bits, `%u`/`%x` are unsigned 32-bit and `%llu`/`%zu` unsigned
 * 64-bit (kernel-background F.4). Booleans print as 1/0 like the `start` flag.
 */
export function formatShow(fmt: string, value: bigint | boolean): string {
  const v = typeof value === 'boolean' ? (value ? 1n : 0n) : value;
  const re = /%(%|(0?)(\d*)(hh|h|ll|l|z)?([diuxX]))/g;
  return fmt.replace(re, (_whole: string, pct: string, zero: string, width: string, len: string | undefined, conv: string) => {
    if (pct === '%') return '%';
    const bits = len === 'll' || len === 'l' || len === 'z' ? 64 : len === 'h' ? 16 : len === 'hh' ? 8 : 32;
    const signed = conv === 'd' || conv === 'i';
    const n = signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
    const neg = n < 0n;
    let digits = (neg ? -n : n).toString(conv === 'x' || conv === 'X' ? 16 : 10);
    if (conv === 'X') digits = digits.toUpperCase();
    const w = width === '' ? 0 : Number(width);
    if (zero === '0') {
      const body = digits.padStart(Math.max(0, w - (neg ? 1 : 0)), '0');
      return (neg ? '-' : '') + body;
    }
    return ((neg ? '-' : '') + digits).padStart(w, ' ');
  });
}

/** How a value is quoted inside an explanation: bare unless blanks or control bytes would hide. */
function shown(text: string): string {
  const t = stripNewline(cString(text));
  if (t === '') return 'an empty value';
  return /[\s\x00-\x1f\x7f]/.test(t) ? JSON.stringify(t) : t;
}

function hexOf(value: bigint): string {
  return value < 0n ? '' : ` (0x${value.toString(16).padStart(4, '0')})`;
}

/**
 * One sentence for hovers saying how the kernel reads the text, e.g.
 * "kstrtou8 base 0: leading 0 means octal, so 010 is stored as 8 (0x0008)".
 */
export function explainParse(type: IntType | 'bool', text: string): string {
  const t = shown(text);
  if (type === 'bool') {
    const r = kstrtobool(text);
    if (!r.ok) return `kstrtobool rejects ${t}: ${r.reason} (EINVAL)`;
    const word = r.value ? 'true (1)' : 'false (0)';
    if (isSurprisingBoolAccept(text)) {
      const two = /^[oO]/.test(cString(text));
      return `kstrtobool looks only at the first ${two ? 'two characters' : 'character'}, so ${t} is accepted as ${word} and the rest is ignored`;
    }
    return `kstrtobool: ${t} means ${word}`;
  }
  const fn = `${PARSER_NAME[type]} base 0`;
  const r = parseInt(type, text);
  if (!r.ok) return `${fn} rejects ${t}: ${r.reason} (${r.errno})`;
  const stored = `${r.value}${hexOf(r.value)}`;
  switch (r.radix) {
    case 16:
      return `${fn}: the 0x prefix means hexadecimal, so ${t} is stored as ${stored}`;
    case 10:
      return `${fn}: decimal, so ${t} is stored as ${stored}`;
    case 8:
      if (r.value === 0n) return `${fn}: ${t} is stored as 0`;
      if (isOctalSurprise(text)) return `${fn}: leading 0 means octal, so ${t} is stored as ${stored}`;
      return `${fn}: leading 0 means octal, so ${t} is stored as ${stored}, the same as in decimal`;
  }
}
