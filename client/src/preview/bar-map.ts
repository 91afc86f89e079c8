/**
 * The drawn BAR map of one function: an inline SVG with one row per BAR (always six), each BAR's
 * width on a log2 scale of its size (one scale for the whole document so functions compare),
 * the regions inside it to scale within the BAR and coloured by kind (CSS classes that use VS
 * Code's chart colours), 64-bit pairs joined by a bracket with the upper half drawn as a hatched
 * continuation, reserved / disabled BARs hatched and labelled. Every shape has a `<title>`, an
 * `aria-label` and `tabindex="0"`. Geometry goes in SVG attributes (CSP forbids inline styles).
 */
import { escapeHtml, fmtHex, fmtSize, pick, px } from './html';
import type { BarJson, FunctionJson, RegionJson } from './types';

export const BAR_TYPES = ['programmable', 'fixed', 'resizable', 'reserved', '64bit-upper', 'disabled'] as const;

/** Region kinds → colour category (the CSS maps each `k-*` class to a `--vscode-charts-*` colour). */
const KIND_CLASS: Record<string, string> = {
  'metadata': 'metadata',
  'msix-table': 'msix', 'msix-pba': 'msix',
  'dma-registers': 'regs', 'mhi-mmio': 'regs',
  'descriptors': 'desc',
  'window-padding': 'pad',
  'test-registers': 'test', 'buffer': 'buffer',
  'ntb-ctrl': 'ctrl', 'config': 'ctrl',
  'ntb-spad': 'spad', 'ntb-peer-spad': 'spad',
  'ntb-doorbell': 'db', 'db': 'db',
  'ntb-mw': 'mw',
};

/** `k-…` class of a region kind; joined kinds ("descriptors+dma-registers") colour by the first. */
export function kindClass(kind: string): string {
  const first = kind.split('+')[0];
  return `k-${KIND_CLASS[first] ?? (/^mw\d*$/.test(first) ? 'mw' : 'other')}`;
}

export function typeClass(type: string): string {
  return `t-${pick(type, BAR_TYPES)}`;
}

// Geometry (viewBox units; the SVG scales to the panel width).
const W = 820;
const LABEL_X = 10;
const BAR_X = 150;
const MIN_W = 6;
const MAX_W = 440;
const TOP = 30;
const ROW_H = 36;
const BAR_H = 24;
const STUB_W = 22;
/** Regions are linear inside their BAR; tiny ones (a 204-byte blob in 1 MiB) still get a visible sliver. */
const MIN_REGION_W = 4;
export const SVG_HEIGHT = TOP + 6 * ROW_H + 6;

/** The log2 axis shared by every BAR map of a document. */
export interface LogScale {
  lo: number;
  hi: number;
  width(size: number): number;
}

/** The size a BAR row is drawn with: its programmed size, else the extent of its (hardware) regions. */
export function drawnSize(b: BarJson): number {
  if (b.size > 0) return b.size;
  let end = 0;
  for (const r of b.regions) end = Math.max(end, r.offset + r.size);
  return end;
}

export function logScale(functions: readonly FunctionJson[]): LogScale {
  let min = Infinity;
  let max = 0;
  for (const f of functions) {
    for (const b of f.bars) {
      const s = drawnSize(b);
      if (s > 0) { min = Math.min(min, s); max = Math.max(max, s); }
    }
  }
  // lo sits strictly below the smallest size so every width is > MIN_W and strictly monotonic.
  const lo = Math.min(8, Number.isFinite(min) ? Math.floor(Math.log2(min)) : 8) - 1;
  const hi = Math.max(20, max > 0 ? Math.ceil(Math.log2(max)) : 20);
  return { lo, hi, width: (size) => MIN_W + ((Math.log2(size) - lo) / (hi - lo)) * (MAX_W - MIN_W) };
}

/** Six rows, indexed by BAR number, whatever the data held. */
function sixBars(f: FunctionJson): (BarJson | undefined)[] {
  const rows: (BarJson | undefined)[] = [undefined, undefined, undefined, undefined, undefined, undefined];
  for (const b of f.bars) if (b.bar >= 0 && b.bar < 6 && !rows[b.bar]) rows[b.bar] = b;
  return rows;
}

function axis(scale: LogScale): string {
  const unit = (MAX_W - MIN_W) / (scale.hi - scale.lo);
  const step = [1, 2, 4, 5, 10, 20].find((s) => s * unit >= 58) ?? 20;
  const out: string[] = [`<text class="axis-cap" x="${LABEL_X}" y="${TOP - 12}">size (log₂)</text>`];
  for (let e = Math.ceil((scale.lo + 1) / step) * step; e <= scale.hi; e += step) {
    const x = BAR_X + scale.width(2 ** e);
    out.push(`<line class="grid" x1="${px(x)}" y1="${TOP - 6}" x2="${px(x)}" y2="${SVG_HEIGHT - 4}"/>`,
      `<text class="tick" x="${px(x)}" y="${TOP - 12}">${escapeHtml(fmtSize(2 ** e))}</text>`);
  }
  return out.join('');
}

function regionLabel(n: number, r: RegionJson): string {
  const parts = [`BAR${n} + ${fmtHex(r.offset)}`, `${fmtSize(r.size)} (${fmtHex(r.size)})`, r.kind];
  if (r.label) parts.push(r.label);
  if (r.phys) parts.push(`EP phys ${r.phys}`);
  return parts.join(', ');
}

function regions(n: number, b: BarJson, x0: number, w: number, y: number, key: string): string {
  const size = drawnSize(b);
  const out: string[] = [];
  b.regions.forEach((r, j) => {
    let x = size > 0 ? x0 + (Math.min(r.offset, size) / size) * w : x0;
    const rw = Math.max(MIN_REGION_W, size > 0 ? (r.size / size) * w : 2);
    const rw2 = Math.min(rw, x0 + w - x);
    if (rw2 < 2) x = x0 + w - 2;
    const label = escapeHtml(regionLabel(n, r));
    out.push(`<rect class="rg ${kindClass(r.kind)}" data-k="${escapeHtml(key)}-g${j}" x="${px(x)}" y="${px(y + 3)}" width="${px(Math.max(2, rw2))}" height="${BAR_H - 6}" tabindex="0" role="img" aria-label="${label}"><title>${label}</title></rect>`);
  });
  return out.join('');
}

function barLabel(n: number, b: BarJson | undefined, text: string): string {
  if (!b) return `BAR${n}: not programmed`;
  return [`BAR${n}`, b.type, b.is64 ? '64-bit' : '', text, b.role ?? ''].filter(Boolean).join(', ');
}

function hatch(x: number, y: number, w: number): string {
  return `<rect class="hatch" x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${BAR_H}" fill="url(#pciep-hatch)"/>`;
}

/** One BAR row: label, the BAR rect (or a stub when it has no size), its regions and a caption. */
function row(fi: number, n: number, b: BarJson | undefined, lower: BarJson | undefined, scale: LogScale): string {
  const y = TOP + n * ROW_H + (ROW_H - BAR_H) / 2;
  const key = `f${fi}-bar${n}`;
  const type = b?.type ?? 'unknown';
  const size = b ? drawnSize(b) : 0;
  const classes = ['bar-row', typeClass(type)];
  const parts: string[] = [];
  const typeText = `${type}${b?.is64 ? ' · 64-bit' : ''}`;
  parts.push(`<text class="lbl" x="${LABEL_X}" y="${px(y + 10)}">BAR${n}</text>`, `<text class="sub" x="${LABEL_X}" y="${px(y + 23)}">${escapeHtml(typeText)}</text>`);

  let caption: string;
  if (type === '64bit-upper' && lower) {
    // The upper dword of the 64-bit BAR below: drawn as the hatched continuation of that BAR.
    const ls = drawnSize(lower);
    const w = ls > 0 ? scale.width(ls) : STUB_W;
    caption = b?.role ?? `upper 32 bits of BAR${lower.bar}`;
    classes.push('upper');
    const label = escapeHtml(barLabel(n, b, caption));
    parts.push(`<rect class="bar t-64bit-upper" data-k="${key}" x="${BAR_X}" y="${px(y)}" width="${px(w)}" height="${BAR_H}" tabindex="0" role="img" aria-label="${label}"><title>${label}</title></rect>`, hatch(BAR_X, y, w));
    parts.push(`<text class="cap muted" x="${px(BAR_X + w + 8)}" y="${px(y + 16)}">${escapeHtml(caption)}</text>`);
  } else if (b && size > 0) {
    const w = scale.width(size);
    const hardware = b.size === 0;
    caption = `${fmtSize(size)}${hardware ? ' (hardware)' : ''}${b.role ? ` · ${b.role}` : ''}${type === 'reserved' ? ' · reserved' : ''}`;
    classes.push('sized');
    const label = escapeHtml(barLabel(n, b, `${fmtSize(size)} (${fmtHex(size)})${hardware ? ', fixed hardware subregions' : ''}`));
    parts.push(`<rect class="bar ${typeClass(type)}" data-k="${key}" data-size="${size}" x="${BAR_X}" y="${px(y)}" width="${px(w)}" height="${BAR_H}" tabindex="0" role="img" aria-label="${label}"><title>${label}</title></rect>`);
    parts.push(regions(n, b, BAR_X, w, y, key));
    // Over the regions: a reserved BAR's hardware window reads as "not yours" at a glance.
    if (type === 'reserved' || type === 'disabled') parts.push(hatch(BAR_X, y, w));
    parts.push(`<text class="cap" x="${px(BAR_X + w + 8)}" y="${px(y + 16)}">${escapeHtml(caption)}</text>`);
  } else {
    // Nothing to scale: a dashed stub says why (unused, disabled, reserved, size not set).
    caption = !b ? 'not programmed'
      : type === 'disabled' ? 'disabled (not implemented by the controller)'
        : type === 'reserved' ? 'reserved by the platform'
          : b.regions.length || b.role ? `${b.role ?? 'in use'} · size not set` : 'unused';
    classes.push('stub');
    const label = escapeHtml(barLabel(n, b, caption));
    parts.push(`<rect class="bar stub ${typeClass(type)}" data-k="${key}" x="${BAR_X}" y="${px(y)}" width="${STUB_W}" height="${BAR_H}" tabindex="0" role="img" aria-label="${label}"><title>${label}</title></rect>`);
    if (b) parts.push(regions(n, { ...b, size: 0, regions: b.regions.map((r) => ({ ...r, offset: 0, size: 0 })) }, BAR_X, STUB_W, y, key));
    if (type === 'reserved' || type === 'disabled') parts.push(hatch(BAR_X, y, STUB_W));
    parts.push(`<text class="cap muted" x="${px(BAR_X + STUB_W + 8)}" y="${px(y + 16)}">${escapeHtml(caption)}</text>`);
  }
  return `<g class="${classes.join(' ')}" data-bar="${n}">${parts.join('')}</g>`;
}

/** The bracket that joins a 64-bit BAR with its upper half. */
function pairBracket(n: number): string {
  const x = BAR_X - 10;
  const y1 = TOP + n * ROW_H + (ROW_H - BAR_H) / 2 + 4;
  const y2 = TOP + (n + 1) * ROW_H + (ROW_H + BAR_H) / 2 - 4;
  return `<path class="pair" d="M${x + 6},${px(y1)} H${x} V${px(y2)} H${x + 6}"/>`;
}

export function renderBarMap(f: FunctionJson, fi: number, scale: LogScale): string {
  const bars = sixBars(f);
  const body: string[] = [axis(scale)];
  for (let n = 0; n < 6; n++) {
    const b = bars[n];
    const lower = n > 0 && b?.type === '64bit-upper' ? bars[n - 1] : undefined;
    body.push(row(fi, n, b, lower?.is64 ? lower : undefined, scale));
    if (b?.is64 && n < 5 && bars[n + 1]?.type === '64bit-upper') body.push(pairBracket(n));
  }
  const title = escapeHtml(`BAR map of ${f.path}`);
  return `<svg class="barmap" viewBox="0 0 ${W} ${SVG_HEIGHT}" width="100%" role="group" aria-label="${title}" xmlns="http://www.w3.org/2000/svg">${body.join('')}</svg>`;
}

/** The region kinds drawn in one function, for the legend. */
export function kindsOf(f: FunctionJson): string[] {
  const seen = new Set<string>();
  for (const b of f.bars) for (const r of b.regions) seen.add(r.kind);
  return [...seen];
}

/** The hidden SVG that holds the shared hatch pattern (one per document). */
export const SVG_DEFS = '<svg class="defs" aria-hidden="true" focusable="false" width="0" height="0"><defs>'
  + '<pattern id="pciep-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">'
  + '<line class="hatch-line" x1="0" y1="0" x2="0" y2="6"/></pattern></defs></svg>';
