/**
 * Applying LSP-style edits to a text: one implementation for quick fixes, fix-all, formatting and
 * the tests. Every range refers to the original text; insertions at the same position keep their
 * array order.
 */
import type { Position } from '../language/ast';
import type { Edit } from './context';

/** Offsets of each line start in `text` (any mix of CRLF, LF, CR). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/**
 * Applies edits made against `text` (LSP semantics: every range refers to the original text;
 * insertions at the same position keep their array order).
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const starts = lineStarts(text);
  const offset = (p: Position): number => {
    if (p.line >= starts.length) return text.length;
    const lineEnd = p.line + 1 < starts.length ? starts[p.line + 1] : text.length;
    return Math.min(starts[p.line] + p.character, lineEnd);
  };
  const indexed = edits.map((e, i) => ({ s: offset(e.range.start), e: offset(e.range.end), text: e.newText, i }));
  indexed.sort((a, b) => b.s - a.s || b.e - a.e || b.i - a.i);
  // Robustness (docs/robustness.md): splicing each edit into the whole text is O(edits × length),
  // minutes for fix-all on a 100,000-line file. Non-overlapping edits (all LSP allows) are joined
  // in one pass, front to back; the splice loop stays for overlapping ones, whose result it defines.
  const forward = indexed.slice().reverse();
  if (forward.every((e, k) => k === 0 || e.s >= forward[k - 1].e)) {
    const parts: string[] = [];
    let cursor = 0;
    for (const e of forward) {
      parts.push(text.slice(cursor, e.s), e.text);
      cursor = e.e;
    }
    parts.push(text.slice(cursor));
    return parts.join('');
  }
  let out = text;
  for (const e of indexed) out = out.slice(0, e.s) + e.text + out.slice(e.e);
  return out;
}
