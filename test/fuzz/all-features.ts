/**
 * Runs every editor feature on one document, the way the language server does for an open file,
 * and checks each answer: no exception, within the linear time bound, every range inside the
 * document, edits that do not overlap, semantic tokens sorted and disjoint, formatting idempotent
 * and statement-preserving, the emulate JSON serialisable and shaped like schema 1.
 */
import { strict as assert } from 'node:assert';
import type { Position, Range } from '../../server/src/language/ast';
import { createContext } from '../../server/src/features/context';
import { hover } from '../../server/src/features/hover';
import { complete } from '../../server/src/features/completion';
import { inlayHints } from '../../server/src/features/inlay-hints';
import { codeActions, fixAll } from '../../server/src/features/code-actions';
import { codeLenses } from '../../server/src/features/code-lens';
import { documentSymbols, type DocSymbol } from '../../server/src/features/symbols';
import { foldingRanges } from '../../server/src/features/folding';
import { buildIndex, definition, documentLinks, prepareRename, references, rename } from '../../server/src/features/navigation';
import { semanticTokens, semanticTokensRange, TOKEN_TYPES } from '../../server/src/features/semantic-tokens';
import { applyEdits, format, formatRange, formatText } from '../../server/src/features/formatting';
import { toEmulateJson } from '../../server/src/emulator/views/result';
import { renderReport } from '../../server/src/emulator/views/report';
import { exportScript } from '../../server/src/language/script-export';
import { parse } from '../../server/src/language/parser';
import {
  checkEdits, checkEmulateJson, checkPosition, checkRange, checkTokens, contains, serialise, statementSequence, timed,
} from './invariants';

export interface FeatureRunOptions {
  /** Cursor positions for hover, completion, navigation and rename (reduced into the document unless `raw`). */
  positions?: readonly { line: number; character: number; raw?: boolean }[];
  /** Names tried with rename. */
  newNames?: readonly string[];
  /** Run fixAll (it re-analyses up to five times; the long run always does). */
  fixAll?: boolean;
}

function fullRange(lines: readonly string[]): Range {
  return { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

function checkSymbols(lines: readonly string[], symbols: readonly DocSymbol[], parent?: DocSymbol): void {
  for (const s of symbols) {
    checkRange(lines, s.range, `symbol ${s.name}`);
    checkRange(lines, s.selectionRange, `symbol ${s.name} selection`);
    // VS Code rejects the whole outline when a selectionRange is not inside its range.
    assert.ok(contains(s.range, s.selectionRange), `symbol ${JSON.stringify(s.name)}: selectionRange ${JSON.stringify(s.selectionRange)} not inside range ${JSON.stringify(s.range)}`);
    if (parent) assert.ok(contains(parent.range, s.range), `symbol ${JSON.stringify(s.name)} outside its parent ${JSON.stringify(parent.name)}`);
    checkSymbols(lines, s.children, s);
  }
}

/** Positions reduced into the document (line modulo the line count, character modulo the line length + 1). */
function positionsIn(lines: readonly string[], opts: FeatureRunOptions): Position[] {
  const out: Position[] = [];
  for (const p of opts.positions ?? []) {
    if (p.raw) {
      out.push({ line: p.line, character: p.character });
      continue;
    }
    const line = Math.abs(p.line) % lines.length;
    out.push({ line, character: Math.abs(p.character) % (lines[line].length + 1) });
  }
  return out;
}

export function runAllFeatures(text: string, opts: FeatureRunOptions = {}): void {
  const ctx = timed('analysis (createContext: parse, validate, emulate)', text, () => createContext(text));
  const lines = ctx.doc.lines;
  assert.ok(lines.length >= 1);

  for (const d of ctx.emulation.diagnostics) {
    checkRange(lines, d.range, `diagnostic ${d.code}`);
    for (const r of d.related ?? []) checkRange(lines, r.range, `diagnostic ${d.code} related`);
    assert.ok(['error', 'warning', 'info'].includes(d.severity), `diagnostic ${d.code}: severity ${d.severity}`);
    assert.ok(typeof d.message === 'string' && d.message.length > 0, `diagnostic ${d.code}: a message`);
  }

  const json = timed('toEmulateJson + JSON.stringify', text, () => serialise(toEmulateJson(ctx.emulation)));
  checkEmulateJson(json, lines.length);
  timed('renderReport', text, () => renderReport('fuzz.pciep', ctx.emulation));
  timed('exportScript', text, () => exportScript(ctx.doc));

  const whole = fullRange(lines);
  checkSymbols(lines, timed('documentSymbols', text, () => documentSymbols(ctx)));
  for (const f of timed('foldingRanges', text, () => foldingRanges(ctx.doc))) {
    assert.ok(f.startLine >= 0 && f.startLine <= f.endLine && f.endLine < lines.length, `folding ${JSON.stringify(f)} outside 0..${lines.length - 1}`);
  }
  for (const h of timed('inlayHints', text, () => inlayHints(ctx, whole))) checkPosition(lines, h.position, `inlay hint ${JSON.stringify(h.label)}`);
  for (const l of timed('codeLenses', text, () => codeLenses(ctx))) checkRange(lines, l.range, `code lens ${l.title}`);
  const index = timed('buildIndex', text, () => buildIndex(ctx));
  for (const l of timed('documentLinks', text, () => documentLinks(ctx, index))) {
    checkRange(lines, l.range, 'document link');
    assert.ok(l.targetLine >= 0 && l.targetLine < lines.length, `document link target line ${l.targetLine}`);
  }
  checkTokens(lines, timed('semanticTokens', text, () => semanticTokens(ctx, index)), TOKEN_TYPES.length);
  const actions = timed('codeActions (whole document)', text, () => codeActions(ctx, whole));
  for (const a of actions) checkEdits(lines, a.edits, `code action ${JSON.stringify(a.title)}`);
  // Applying one re-parses the whole text: the first ten are enough to check the edits apply.
  for (const a of actions.slice(0, 10)) timed('apply a code action', text, () => parse(applyEdits(text, a.edits)));
  if (opts.fixAll) checkEdits(lines, timed('fixAll (up to 5 re-analyses)', text, () => fixAll(ctx)), 'fixAll');

  // Formatting: edits inside the document, idempotent, same statements in the same order. The
  // formatter edits the raw text, BOM included (the parser's lines leave a leading BOM out).
  const rawLines = text.split(/\r\n|\n|\r/);
  checkEdits(rawLines, timed('format', text, () => format(text)), 'format');
  const once = timed('formatText', text, () => formatText(text));
  assert.equal(formatText(once), once, 'format is idempotent');
  assert.deepEqual(statementSequence(once), statementSequence(text), 'format keeps the statement sequence');

  const newNames = opts.newNames ?? ['renamed'];
  for (const pos of positionsIn(lines, opts)) {
    const at = `at ${pos.line}:${pos.character}`;
    const inside = pos.line >= 0 && pos.line < lines.length && pos.character >= 0 && pos.character <= lines[pos.line].length;
    const h = timed('hover', text, () => hover(ctx, pos));
    if (h) {
      checkRange(lines, h.range, `hover ${at}`);
      assert.equal(typeof h.markdown, 'string');
    }
    for (const c of timed('complete', text, () => complete(ctx, pos))) {
      if (!c.range) continue;
      checkRange(lines, c.range, `completion ${JSON.stringify(c.label)} ${at}`);
      // LSP: a completion's replace range is single-line and contains the cursor.
      assert.equal(c.range.start.line, c.range.end.line, `completion ${JSON.stringify(c.label)} ${at}: single-line range`);
      if (inside) assert.ok(contains(c.range, { start: pos, end: pos }), `completion ${JSON.stringify(c.label)} ${at}: range ${JSON.stringify(c.range)} does not contain the cursor`);
    }
    for (const r of timed('definition', text, () => definition(ctx, pos, index))) checkRange(lines, r, `definition ${at}`);
    for (const r of timed('references', text, () => references(ctx, pos, true, index))) checkRange(lines, r, `reference ${at}`);
    const pr = timed('prepareRename', text, () => prepareRename(ctx, pos, index));
    if (pr) checkRange(lines, pr.range, `prepareRename ${at}`);
    for (const name of newNames) {
      const r = timed('rename', text, () => rename(ctx, pos, name, index));
      if ('edits' in r) checkEdits(lines, r.edits, `rename to ${JSON.stringify(name)} ${at}`);
      else assert.equal(typeof r.error, 'string');
    }
    const range: Range = inside ? { start: { line: pos.line, character: 0 }, end: pos } : whole;
    for (const a of timed('codeActions (range)', text, () => codeActions(ctx, range))) checkEdits(lines, a.edits, `code action ${JSON.stringify(a.title)} ${at}`);
    if (inside) {
      checkTokens(lines, timed('semanticTokensRange', text, () => semanticTokensRange(ctx, range, index)), TOKEN_TYPES.length);
      checkEdits(rawLines, timed('formatRange', text, () => formatRange(text, range)), `formatRange ${at}`);
      for (const hint of inlayHints(ctx, range)) checkPosition(lines, hint.position, `inlay hint ${at}`);
    }
  }
}
