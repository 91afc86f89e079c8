/**
 * Folding: each section from its header to its last statement or comment, and runs of two or more
 * standalone comment lines (same indentation) as comment folds.
 *
 * A block of comment lines directly above a header (no blank line between) introduces that
 * header, so it is left out of the previous section's fold: folding a section never hides the
 * banner of the next one.
 */
import type { Document } from '../language/ast';

export interface FoldRange {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}

const enum LineKind { Blank, Comment, Code }

export function foldingRanges(doc: Document): FoldRange[] {
  const n = doc.lines.length;
  const kinds = new Array<LineKind>(n);
  for (let i = 0; i < n; i++) kinds[i] = doc.lines[i].trim() === '' ? LineKind.Blank : LineKind.Code;
  /** Column of the `#` of each standalone comment line. */
  const commentCol = new Map<number, number>();
  for (const c of doc.comments) {
    const line = c.range.start.line;
    if (doc.lines[line].slice(0, c.range.start.character).trim() !== '') continue;
    kinds[line] = LineKind.Comment;
    commentCol.set(line, c.range.start.character);
  }
  // Statements and error lines stay Code; a statement's own line is never a standalone comment.
  for (const s of doc.statements) kinds[s.line] = LineKind.Code;

  const out: FoldRange[] = [];
  const sections = doc.sections;
  for (let k = 0; k < sections.length; k++) {
    const section = sections[k];
    const start = section.range.start.line;
    let end = section.range.end.line;
    const next = sections[k + 1];
    if (next?.header) {
      // Leave out the comment block that leads into the next header.
      let lead = next.header.line;
      while (lead - 1 > start && kinds[lead - 1] === LineKind.Comment) lead--;
      end = Math.min(end, lead - 1);
    }
    while (end > start && kinds[end] === LineKind.Blank) end--;
    if (end > start) out.push({ startLine: start, endLine: end });
  }

  for (let i = 0; i < n; i++) {
    if (kinds[i] !== LineKind.Comment) continue;
    const col = commentCol.get(i);
    let j = i;
    while (j + 1 < n && kinds[j + 1] === LineKind.Comment && commentCol.get(j + 1) === col) j++;
    if (j > i) out.push({ startLine: i, endLine: j, kind: 'comment' });
    i = j;
  }
  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return out;
}
