/**
 * The metadata bytes beside their decoded fields. Bytes come from `metadata.hex` (the blob exactly
 * as the BAR holds it); the fields come from the one metadata codec (`decodeFields`), so the preview
 * shows what `pciep decode` and the hovers show. Each byte and each field row carries
 * `data-f="<field index>"`: media/preview.js highlights every element of a field when one is
 * hovered or focused. Keyboard: the byte grid and the field table are one tab stop each (roving
 * tabindex); arrow keys move inside them.
 */
import { decodeFields, type FieldRow } from '../../../server/src/emulator/metadata/codec';
import { escapeHtml, fmtHex } from './html';
import type { FunctionJson } from './types';

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(Math.floor(hex.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const SECTION: Record<FieldRow['section'], string> = { header: 'header', wr: 'write (EP→RC) channel', rd: 'read (RC→EP) channel', reserved: 'reserved' };

function sectionTitle(r: FieldRow): string {
  return r.entry !== undefined ? `${SECTION[r.section]} ${r.entry}` : SECTION[r.section];
}

function ascii(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

/** Field index per byte (-1 where no field covers it). */
function fieldIndex(rows: readonly FieldRow[], length: number): Int32Array {
  const map = new Int32Array(length).fill(-1);
  rows.forEach((r, i) => {
    for (let o = r.offset; o < r.offset + r.size && o < length; o++) if (o >= 0) map[o] = i;
  });
  return map;
}

export function renderMetadata(f: FunctionJson, fi: number): string {
  const m = f.metadata;
  if (!m) {
    return f.driver === 'pci_epf_dma'
      ? '<p class="muted">No metadata blob: the function was not bound, so nothing was laid out.</p>'
      : '';
  }
  const bytes = hexToBytes(m.hex);
  if (!bytes.length) return `<p class="muted">${escapeHtml(`BAR${m.bar} + ${fmtHex(m.offset)}: no metadata bytes (empty, or not valid hex).`)}</p>`;
  const decoded = decodeFields(bytes);
  const rows = decoded.rows;
  const map = fieldIndex(rows, bytes.length);
  const name = (i: number) => (map[i] >= 0 ? rows[map[i]].name : 'not part of a field');

  const hexRows: string[] = [];
  for (let base = 0; base < bytes.length; base += 16) {
    const bs: string[] = [];
    const as: string[] = [];
    for (let i = base; i < Math.min(base + 16, bytes.length); i++) {
      const f = map[i];
      const fAttr = f >= 0 ? ` data-f="${f}"` : '';
      const cls = `b${f >= 0 ? ` s-${rows[f].section}${f % 2 ? ' alt' : ''}` : ' nf'}${i % 16 === 8 ? ' gap' : ''}`;
      const v = bytes[i].toString(16).padStart(2, '0');
      const label = escapeHtml(`${fmtHex(i, 3)}: 0x${v}, ${name(i)}`);
      bs.push(`<span class="${cls}"${fAttr} data-i="${i}" data-k="f${fi}-b${i}" tabindex="${i === 0 ? 0 : -1}" role="gridcell" aria-label="${label}">${v}</span>`);
      as.push(`<span class="a${f >= 0 && f % 2 ? ' alt' : ''}"${fAttr}>${escapeHtml(ascii(bytes[i]))}</span>`);
    }
    hexRows.push(`<div class="hrow" role="row"><span class="off" aria-hidden="true">${fmtHex(base, 3)}</span><span class="bytes">${bs.join('')}</span><span class="asc" aria-hidden="true">${as.join('')}</span></div>`);
  }

  const fieldRows: string[] = [];
  let lastSection = '';
  rows.forEach((r, i) => {
    const sec = sectionTitle(r);
    if (sec !== lastSection) {
      fieldRows.push(`<tr class="sec"><th colspan="4" scope="colgroup">${escapeHtml(sec)}</th></tr>`);
      lastSection = sec;
    }
    const bits = r.bits.length ? `<span class="bits">${r.bits.map((b) => `${escapeHtml(b.name.slice(b.name.lastIndexOf('.') + 1))}[${escapeHtml(b.bits)}]=${escapeHtml(b.value)}`).join(' ')}</span>` : '';
    fieldRows.push(`<tr class="fr s-${escapeHtml(r.section)}" data-f="${i}" data-k="f${fi}-r${i}" tabindex="${i === 0 ? 0 : -1}">`
      + `<td class="mono">${fmtHex(r.offset, 3)}</td><td class="mono">${escapeHtml(r.name)}</td><td class="mono">${escapeHtml(r.hex)}</td>`
      + `<td>${escapeHtml(r.meaning)}${bits}</td></tr>`);
  });

  const verdict = decoded.magicOk && decoded.complete ? '<span class="chip ok">magic “PEDM”, complete</span>'
    : `<span class="chip bad">${decoded.magicOk ? 'incomplete' : 'magic mismatch'}</span>`;
  const notes = decoded.notes.length ? `<ul class="notes">${decoded.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '';
  const where = `BAR${m.bar} + ${fmtHex(m.offset)}, ${bytes.length} bytes`;
  return `<p class="meta-where">${escapeHtml(where)} ${verdict}</p>${notes}`
    + `<div class="meta" data-fn="${fi}">`
    + `<div class="hex" role="grid" aria-label="${escapeHtml(`metadata bytes, ${where}`)}" aria-readonly="true">${hexRows.join('')}</div>`
    + '<table class="fields"><caption class="sr">Decoded metadata fields</caption><thead><tr><th scope="col">Offset</th><th scope="col">Field</th><th scope="col">Bytes</th><th scope="col">Meaning</th></tr></thead>'
    + `<tbody>${fieldRows.join('')}</tbody></table></div>`;
}
