/**
 * The one escaping helper and the number formats the preview uses. Every string that comes from
 * the emulation result (and so from the user's file) goes through `escapeHtml` before it reaches
 * the document, in text and in (always double-quoted) attribute values alike.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML/SVG element content and double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  const s = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const UNITS: [number, string][] = [[2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];

/** 65536 → "64 KiB", 204 → "204 B", 1536 → "1.5 KiB". */
export function fmtSize(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  for (const [u, name] of UNITS) {
    if (n >= u) return n % u === 0 ? `${n / u} ${name}` : `${Number((n / u).toFixed(2))} ${name}`;
  }
  return `${n} B`;
}

/** 4096 → "0x1000"; `pad` zero-pads the digits. */
export function fmtHex(n: number, pad = 0): string {
  return Number.isFinite(n) && n >= 0 ? `0x${Math.floor(n).toString(16).padStart(pad, '0')}` : '?';
}

/** Virtual microseconds → "110.000 ms". */
export function fmtMs(us: number): string {
  return `${(us / 1000).toFixed(3)} ms`;
}

/** A CSS class fragment from a closed list: anything else becomes `other`. */
export function pick<T extends string>(value: string, allowed: readonly T[]): T | 'other' {
  return (allowed as readonly string[]).includes(value) ? (value as T) : 'other';
}

/** SVG coordinates: finite, one decimal. */
export function px(n: number): string {
  return Number.isFinite(n) ? String(Math.round(n * 10) / 10) : '0';
}
