/**
 * Completion for `.pciep` files: section paths inside `[…]`, attribute and key names at the start
 * of a line, values after `=`, link targets after `->`, and whole-setup snippets at the top of the
 * file. Everything is decided from the text of the line up to the cursor and the section the
 * cursor is in, and read from the one emulation the context already holds (nothing is re-run), so a
 * request stays well under a millisecond per hundred lines.
 *
 * The items are plain data; server.ts maps them to LSP CompletionItems.
 *
 * This module reads the line and hands each position to the module that completes it:
 * completion-paths.ts, completion-names.ts (with completion-snippets.ts), completion-values.ts
 * and completion-links.ts; completion-cursor.ts says where the cursor is, completion-items.ts
 * holds the item type, and document-facts.ts the facts quick fixes share.
 */
import type { Position } from '../language/ast';
import { isBlank } from '../language/parser';
import type { FeatureContext } from './context';
import { inComment, range, sectionFacts, tokenEnd } from './completion-cursor';
import { sortKey, withRange, type CompletionItem } from './completion-items';
import { completeTarget, completeUnlink } from './completion-links';
import { nameItems } from './completion-names';
import { completeSectionPath } from './completion-paths';
import { completeValue } from './completion-values';
import { functionTable } from './document-facts';

// Callers (server.ts, code-actions.ts, tests) import these through this module.
export type { CompletionItem, CompletionKind } from './completion-items';
export {
  barAttributes, barsChosenBySiblings, describeBar, devNameOf, freeBars, functionTable, linkedController,
  sectionAt, sectionDir, statementsByLine, type FunctionInfo,
} from './document-facts';

// ---------------------------------------------------------------------------------------------
// Entry point

/** Completion items at `pos` (0-based line, UTF-16 character). */
export function complete(ctx: FeatureContext, pos: Position): CompletionItem[] {
  const lines = ctx.doc.lines;
  if (pos.line < 0 || pos.line >= lines.length) return [];
  const line = lines[pos.line];
  const cursor = Math.min(pos.character, line.length);
  const at: Position = { line: pos.line, character: cursor };
  if (inComment(line, cursor)) return [];
  let i = 0;
  while (i < cursor && isBlank(line[i])) i++;
  const start = i;

  if (line[start] === '[' && start < cursor) {
    const close = line.indexOf(']', start);
    if (close >= 0 && close < cursor) return [];
    let p = start + 1;
    while (p < cursor && isBlank(line[p])) p++;
    return completeSectionPath(ctx, line, at, p);
  }

  const facts = sectionFacts(ctx, pos.line);
  const functions = functionTable(ctx);

  // The name token: up to a blank, '=' or '->' (as the parser reads it).
  while (i < cursor && !isBlank(line[i]) && line[i] !== '=' && !(line[i] === '-' && line[i + 1] === '>')) i++;
  const name = line.slice(start, i);
  if (i === cursor) {
    // Still typing the name.
    const end = tokenEnd(line, cursor, '=');
    const after = line.slice(end);
    const appendOp = !/^\s*(=|->)/.test(after);
    return withRange(nameItems(ctx, facts, at, functions, appendOp), range(pos.line, start, end));
  }
  let j = i;
  while (j < cursor && isBlank(line[j])) j++;
  if (j === cursor) {
    if (name === 'unlink') return withRange(completeUnlink(ctx, facts, pos.line), range(pos.line, cursor, tokenEnd(line, cursor, '')));
    return [];
  }
  if (line[j] === '=') {
    let v = j + 1;
    while (v < cursor && isBlank(line[v])) v++;
    const typed = line.slice(v, cursor);
    if (/\s/.test(typed)) return [];
    const end = tokenEnd(line, cursor, '#');
    const r = range(pos.line, v, end);
    return completeValue(ctx, facts, name, at, functions).map((c, k) => ({
      label: c.value, kind: 'value', detail: c.detail, documentation: c.documentation, range: r, sortText: sortKey(1, k), filterText: c.value,
    }));
  }
  if (line[j] === '-' && line[j + 1] === '>') {
    // Cursor between '-' and '>': no target yet. (Found by test/fuzz: the items' range started
    // after the arrow, past the cursor, which LSP forbids: a completion range must contain it.)
    if (cursor < j + 2) return [];
    let t = j + 2;
    while (t < cursor && isBlank(line[t])) t++;
    if (/\s/.test(line.slice(t, cursor))) return [];
    return withRange(completeTarget(ctx, facts, name, functions), range(pos.line, t, tokenEnd(line, cursor, '#')));
  }
  return [];
}
