/**
 * Quick fixes for the diagnostics of one emulation, and "fix all". Every fix is a minimal text
 * edit: a value replaced, one line inserted, or one line moved (deleted and re-inserted), in the
 * file's own line endings. Nothing else is reordered.
 *
 * The fixes come from two places: a diagnostic's own `fix` (a replacement the validator is sure
 * of: did-you-mean renames, group-prefixed names, octal → decimal, bool → 0/1, first free BAR), and
 * the situations below, which need the document around the diagnostic (where the link is, which
 * BARs are free on the linked controller, where the controller section is).
 */
import type { Assignment, Document, Link, Position, Range, Section } from '../language/ast';
import type { Diagnostic } from '../language/diagnostics';
import type { OpRecord } from '../emulator/configfs/replay';
import { basename, dirname, resolvePath } from '../language/paths';
import { splitLines } from '../language/parser';
import type { Edit, FeatureContext } from './context';
import { createContext } from './context';
import { applyEdits } from './text-edits';
import {
  barsChosenBySiblings, describeBar, freeBars, functionTable, linkedController, sectionAt, sectionDir,
} from './completion';
import type { FunctionInfo } from './completion';
import { linkStatements } from './document-facts';

export interface CodeAction {
  title: string;
  kind: 'quickfix' | 'source.fixAll';
  edits: Edit[];
  /** The diagnostic the action fixes. */
  diagnostic?: { code: string; range: Range };
  isPreferred?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Text helpers

/** The line terminator the file uses (its first one), LF when it has none. */
export function detectEol(text: string): string {
  const m = /\r\n|\n|\r/.exec(text);
  return m ? m[0] : '\n';
}

function pos(line: number, character: number): Position {
  return { line, character };
}

function cmp(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

function linesOverlap(a: Range, b: Range): boolean {
  return a.start.line <= b.end.line && b.start.line <= a.end.line;
}

export { applyEdits };

class TextOps {
  readonly eol: string;
  readonly lines: string[];

  constructor(doc: Document) {
    this.eol = detectEol(doc.text);
    this.lines = doc.lines;
  }

  lineLength(n: number): number {
    return this.lines[n]?.length ?? 0;
  }

  /** Removes line `n` with its terminator. */
  deleteLine(n: number): Edit {
    if (n + 1 < this.lines.length) return { range: { start: pos(n, 0), end: pos(n + 1, 0) }, newText: '' };
    if (n > 0) return { range: { start: pos(n - 1, this.lineLength(n - 1)), end: pos(n, this.lineLength(n)) }, newText: '' };
    return { range: { start: pos(n, 0), end: pos(n, this.lineLength(n)) }, newText: '' };
  }

  insertBefore(n: number, text: string): Edit {
    return { range: { start: pos(n, 0), end: pos(n, 0) }, newText: text + this.eol };
  }

  insertAfter(n: number, text: string): Edit {
    if (n + 1 < this.lines.length) return this.insertBefore(n + 1, text);
    const end = pos(n, this.lineLength(n));
    return { range: { start: end, end }, newText: this.eol + text };
  }

  /** Appends lines at the end of the file, after a blank line. */
  append(lines: string[]): Edit {
    const last = this.lines.length - 1;
    const body = lines.join(this.eol);
    if (this.lines[last] === '') {
      const blank = last > 0 && this.lines[last - 1].trim() !== '';
      return { range: { start: pos(last, 0), end: pos(last, 0) }, newText: (blank ? this.eol : '') + body + this.eol };
    }
    const end = pos(last, this.lineLength(last));
    return { range: { start: end, end }, newText: this.eol + (this.lines[last].trim() !== '' ? this.eol : '') + body };
  }
}

// ---------------------------------------------------------------------------------------------
// Document facts

class Facts {
  readonly text: TextOps;
  private readonly assigns = new Map<number, Assignment>();
  private readonly links = new Map<number, Link>();
  private readonly opByLine = new Map<number, OpRecord>();
  private fnTable: Map<string, FunctionInfo> | undefined;

  constructor(readonly ctx: FeatureContext) {
    this.text = new TextOps(ctx.doc);
    for (const s of ctx.doc.statements) {
      if (s.kind === 'assign') this.assigns.set(s.line, s);
      else if (s.kind === 'link') this.links.set(s.line, s);
    }
    for (const op of ctx.emulation.analysis.replay.ops) this.opByLine.set(op.line, op);
  }

  get doc(): Document {
    return this.ctx.doc;
  }

  functions(): Map<string, FunctionInfo> {
    return (this.fnTable ??= functionTable(this.ctx));
  }

  assignAt(line: number): Assignment | undefined {
    return this.assigns.get(line);
  }

  linkAt(line: number): Link | undefined {
    return this.links.get(line);
  }

  opAt(line: number): OpRecord | undefined {
    return this.opByLine.get(line);
  }

  dirOfLine(line: number): string | null {
    const s = sectionAt(this.doc, line);
    return s ? sectionDir(s) : '';
  }

  /** Full configfs path an assignment writes. */
  writePath(stmt: Assignment): string | undefined {
    const op = this.opAt(stmt.line);
    if (op && op.op === 'write') return op.path;
    const dir = this.dirOfLine(stmt.line);
    if (dir === null) return undefined;
    const r = resolvePath(stmt.name.text, dir);
    return r.ok ? r.path : undefined;
  }

  /** The function a link statement binds (its own directory's function or its target). */
  functionOfLink(line: number): FunctionInfo | undefined {
    const stmt = this.linkAt(line);
    const dir = this.dirOfLine(line);
    if (!stmt || dir === null) return undefined;
    const lp = resolvePath(stmt.name.text, dir);
    let path: string | undefined;
    if (lp.ok && lp.path.startsWith('functions/')) path = lp.path.split('/').slice(0, 3).join('/');
    else if (stmt.normTarget?.startsWith('functions/')) path = stmt.normTarget.split('/').slice(0, 3).join('/');
    return path ? this.functions().get(path) : undefined;
  }

  functionOfWrite(stmt: Assignment): FunctionInfo | undefined {
    const path = this.writePath(stmt);
    if (!path?.startsWith('functions/')) return undefined;
    return this.functions().get(path.split('/').slice(0, 3).join('/'));
  }

  /** Line of the last link statement binding something to controllers/<epc>. */
  lastLinkTo(epc: string): number | undefined {
    let last: number | undefined;
    for (const { stmt, target, path } of linkStatements(this.doc)) {
      const inController = path !== undefined && path.startsWith(`controllers/${epc}/`) && target.startsWith('functions/');
      if (inController || target === `controllers/${epc}`) last = Math.max(last ?? -1, stmt.line);
    }
    return last;
  }

  /** Where a `start = 1` for controllers/<epc> goes: after the last link to it. */
  startPlacement(epc: string, text: string): Edit | undefined {
    const last = this.lastLinkTo(epc);
    if (last === undefined) return undefined;
    const dir = `controllers/${epc}`;
    const here = sectionAt(this.doc, last);
    if (here && sectionDir(here) === dir) return this.text.insertAfter(last, text);
    const later = this.doc.sections.find((s) => s.header && s.header.line > last && s.header.normPath === dir);
    if (later?.header) return this.text.insertAfter(later.header.line, text);
    return this.text.append([`[${dir}]`, text]);
  }
}

// ---------------------------------------------------------------------------------------------
// The fixes

type Fixer = (f: Facts, d: Diagnostic) => CodeAction[];

function action(title: string, d: Diagnostic, edits: Edit[], isPreferred = false): CodeAction {
  return { title, kind: 'quickfix', edits, diagnostic: { code: d.code, range: d.range }, isPreferred };
}

function relatedLine(d: Diagnostic, message: string | RegExp): number | undefined {
  const r = d.related?.find((x) => (typeof message === 'string' ? x.message === message : message.test(x.message)));
  return r?.range.start.line;
}

/** The diagnostic's own replacement. */
const ownFix: Fixer = (_f, d) => (d.fix ? [action(d.fix.title, d, [{ range: d.fix.range, newText: d.fix.newText }], true)] : []);

/** "Use BAR n (free)" for a BAR-index attribute written on `line`. */
function barChoices(f: Facts, d: Diagnostic, line: number): CodeAction[] {
  const stmt = f.assignAt(line);
  if (!stmt) return [];
  const fn = f.functionOfWrite(stmt);
  const path = f.writePath(stmt);
  if (!fn || !path) return [];
  const controller = linkedController(f.ctx, fn.path);
  if (!controller) return [];
  const attr = basename(path);
  const current = Number(stmt.value.text.trim());
  const free = freeBars(controller.profile, barsChosenBySiblings(f.ctx, fn, attr, line)).filter((b) => b !== current);
  return free.map((b, i) => action(`Use BAR${b} (free: ${describeBar(controller.profile.features.bars[b])})`, d,
    [{ range: stmt.value.range, newText: String(b) }], i === 0));
}

/** A write refused because the function is already linked: move it just before the link. */
function moveBeforeLink(f: Facts, d: Diagnostic, linkLine: number): CodeAction[] {
  const stmt = f.assignAt(d.range.start.line);
  const full = stmt && f.writePath(stmt);
  if (!stmt || !full || linkLine >= stmt.line) return [];
  const fnPath = full.split('/').slice(0, 3).join('/');
  const dirs = new Set([fnPath, dirname(full)]);
  // The last section, starting before the link, in which the attribute can be written.
  let target: Section | undefined;
  for (const s of f.doc.sections) {
    if (!s.header) continue;
    if (s.header.line > linkLine) break;
    if (s.header.normPath !== null && dirs.has(s.header.normPath)) target = s;
  }
  if (!target?.header?.normPath) return [];
  const lineText = f.text.lines[stmt.line];
  const ownDir = f.dirOfLine(stmt.line);
  const rel = full.slice(target.header.normPath.length + 1);
  const text = target.header.normPath === ownDir
    ? lineText
    : lineText.slice(0, stmt.name.range.start.character) + rel + lineText.slice(stmt.name.range.end.character);
  const containsLink = sectionAt(f.doc, linkLine) === target;
  const lastBefore = target.body.filter((s) => s.line < linkLine).reduce((m, s) => Math.max(m, s.line), target.header.line);
  const insert = containsLink ? f.text.insertBefore(linkLine, text) : f.text.insertAfter(lastBefore, text);
  return [action(`Move before the link (line ${linkLine + 1})`, d, [insert, f.text.deleteLine(stmt.line)], true)];
}

const writeFailed: Fixer = (f, d) => {
  const out: CodeAction[] = [];
  const linkLine = relatedLine(d, 'the function was linked here');
  if (linkLine !== undefined) out.push(...moveBeforeLink(f, d, linkLine));
  const stmt = f.assignAt(d.range.start.line);
  if (!stmt) return out;
  const tooMany = /(wr_chans|rd_chans) must be at most (\d+)/.exec(d.message);
  if (tooMany) {
    const fn = f.functionOfWrite(stmt);
    const c = fn ? linkedController(f.ctx, fn.path) : undefined;
    const max = Number(tooMany[2]);
    const hw = c?.profile.edma.present ? (tooMany[1] === 'wr_chans' ? c.profile.edma.wrChannels : c.profile.edma.rdChannels) : undefined;
    const n = hw !== undefined ? Math.min(hw, max) : max;
    out.push(action(hw !== undefined ? `Set to ${n} (the controller's count)` : `Set to ${n} (the maximum)`, d, [{ range: stmt.value.range, newText: String(n) }], true));
  }
  const needs = /(\w+) needs (\w+) ≥ (\d+) \(it is \d+\)/.exec(d.message);
  if (needs) {
    const prefix = stmt.name.text.slice(0, stmt.name.text.length - basename(stmt.name.text).length);
    const indent = /^\s*/.exec(f.text.lines[stmt.line])?.[0] ?? '';
    out.push(action(`Write ${needs[2]} = ${needs[3]} first`, d, [f.text.insertBefore(stmt.line, `${indent}${prefix}${needs[2]} = ${needs[3]}`)], true));
  }
  if (/cannot equal \w+_bar \(\d+\)/.test(d.message)) out.push(...barChoices(f, d, stmt.line));
  return out;
};

/** msi_interrupts / msix_interrupts = n: replace the write, or add one under the function's header. */
function setInterrupts(f: Facts, d: Diagnostic, fn: FunctionInfo | undefined, attr: 'msi_interrupts' | 'msix_interrupts', n: number): CodeAction[] {
  const title = `Set ${attr} = ${n}`;
  const written = relatedLine(d, `${attr} is set here`);
  const stmt = written !== undefined ? f.assignAt(written) : undefined;
  if (stmt) return [action(title, d, [{ range: stmt.value.range, newText: String(n) }], true)];
  if (!fn) return [];
  return [action(title, d, [f.text.insertAfter(fn.line, `${attr} = ${n}`)], true)];
}

const bindFailed: Fixer = (f, d) => {
  const fn = f.functionOfLink(d.range.start.line);
  const e27 = /(wr_chans|rd_chans) = (\d+) must cover the whole (write|read) direction \(0 or (\d+)\)/.exec(d.message);
  if (e27) {
    const line = relatedLine(d, `${e27[1]} is set here`);
    const stmt = line !== undefined ? f.assignAt(line) : undefined;
    if (!stmt) return [];
    const total = Number(e27[4]);
    const out = [action(`Use the whole direction (${total} channels)`, d, [{ range: stmt.value.range, newText: String(total) }], true)];
    const other = e27[1] === 'wr_chans' ? 'rd_chans' : 'wr_chans';
    const otherValue = fn ? f.ctx.emulation.analysis.replay.state.functions.get(fn.path)?.values.get(other) : undefined;
    // With the other direction at 0 as well, bind would fail with "no DMA channels requested".
    if (typeof otherValue !== 'bigint' || otherValue > 0n) out.push(action('Set to 0', d, [{ range: stmt.value.range, newText: '0' }]));
    return out;
  }
  const e28 = /(wr_chans|rd_chans) = (\d+) but the controller has (\d+)/.exec(d.message);
  if (e28) {
    const line = relatedLine(d, `${e28[1]} is set here`);
    const stmt = line !== undefined ? f.assignAt(line) : undefined;
    return stmt ? [action(`Set to ${e28[3]} (the controller's count)`, d, [{ range: stmt.value.range, newText: e28[3] }], true)] : [];
  }
  if (d.message.includes('no usable interrupt vectors')) {
    const attr = /set msi_interrupts/.test(d.message) ? 'msi_interrupts' : 'msix_interrupts';
    return setInterrupts(f, d, fn, attr, 1);
  }
  const bar = /(metadata BAR unusable|DMA window BAR-?\d+ unusable)/.exec(d.message);
  if (bar) {
    const attr = bar[1].startsWith('metadata') ? 'metadata_bar' : 'dma_window_bar';
    const line = relatedLine(d, `${attr} is set here`);
    return line !== undefined ? barChoices(f, d, line) : [];
  }
  return [];
};

const epcInitFailed: Fixer = (f, d) => {
  const m = /pci_epc_set_msix? rejects (msix?_interrupts) = (\d+)/.exec(d.message);
  if (!m) return [];
  const attr = m[1] === 'msix_interrupts' ? 'msix_interrupts' : 'msi_interrupts';
  const max = attr === 'msi_interrupts' ? 32 : 2048;
  const n = Math.min(Math.max(Number(m[2]), 1), max);
  return setInterrupts(f, d, f.functionOfLink(d.range.start.line), attr, n);
};

const unusableBar: Fixer = (f, d) => barChoices(f, d, d.range.start.line);

const maxFunctions: Fixer = (f, d) => {
  const m = /(\S+) supports (\d+) function\(s\).*function number (\d+) would be needed/.exec(d.message);
  const c = m ? f.ctx.emulation.analysis.platform.controllers.get(m[1]) : undefined;
  if (!m || !c) return [];
  const n = Number(m[3]) + 1;
  const title = `Allow ${n} functions (max-functions = ${n} in [platform/${c.name}])`;
  const existing = c.keys.get('max-functions');
  if (existing) return [action(title, d, [{ range: existing.value.range, newText: String(n) }])];
  const after = c.keys.get('compatible')?.line ?? c.header.line;
  return [action(title, d, [f.text.insertAfter(after, `max-functions = ${n}`)])];
};

/** `start = 1` written before the links of its controller: move it after the last one. */
function moveStart(f: Facts, d: Diagnostic, startLine: number): CodeAction[] {
  const stmt = f.assignAt(startLine);
  const op = f.opAt(startLine);
  const path = op?.path ?? (stmt ? f.writePath(stmt) : undefined);
  if (!stmt || !path?.startsWith('controllers/')) return [];
  const epc = path.split('/')[1];
  const last = f.lastLinkTo(epc);
  if (last === undefined || last < startLine) return [];
  const here = sectionAt(f.doc, last);
  const lineText = f.text.lines[startLine];
  const full = `controllers/${epc}/start`;
  // Written relative to its section; re-express it for where it lands.
  const relFor = (dir: string): string => {
    if (f.dirOfLine(startLine) === dir) return lineText;
    const rel = dir === '' ? full : full.startsWith(dir + '/') ? full.slice(dir.length + 1) : full;
    return lineText.slice(0, stmt.name.range.start.character) + rel + lineText.slice(stmt.name.range.end.character);
  };
  let insert: Edit | undefined;
  const dir = `controllers/${epc}`;
  if (here && sectionDir(here) === dir) insert = f.text.insertAfter(last, relFor(dir));
  else {
    const later = f.doc.sections.find((s) => s.header && s.header.line > last && s.header.normPath === dir);
    insert = later?.header ? f.text.insertAfter(later.header.line, relFor(dir)) : f.text.append([`[${dir}]`, relFor(dir)]);
  }
  return [action(`Move \`${stmt.name.text} = ${stmt.value.text}\` after the last link (line ${last + 1})`, d, [removeStart(f, startLine), insert], true)];
}

/**
 * Deletes the start line; when it is all its section holds (no other statement, no comment), the
 * then empty `[controllers/…]` header goes too, with one of the blank lines around it.
 */
function removeStart(f: Facts, startLine: number): Edit {
  const section = sectionAt(f.doc, startLine);
  const header = section?.header;
  const lines = f.text.lines;
  if (!section || !header || section.body.length !== 1 || section.range.end.line !== startLine || header.comment) {
    return f.text.deleteLine(startLine);
  }
  for (let l = header.line + 1; l < startLine; l++) if (lines[l].trim() !== '') return f.text.deleteLine(startLine);
  let from = header.line;
  const blankAfter = startLine + 1 >= lines.length || lines[startLine + 1].trim() === '';
  if (blankAfter && from > 0 && lines[from - 1].trim() === '') from--;
  if (startLine + 1 < lines.length) return { range: { start: pos(from, 0), end: pos(startLine + 1, 0) }, newText: '' };
  const start = from > 0 ? pos(from - 1, lines[from - 1].length) : pos(0, 0);
  return { range: { start, end: pos(startLine, lines[startLine].length) }, newText: '' };
}

const startBeforeLink: Fixer = (f, d) => moveStart(f, d, d.range.start.line);

const linkAfterStart: Fixer = (f, d) => {
  const line = relatedLine(d, 'started here');
  return line === undefined ? [] : moveStart(f, d, line);
};

const neverStarted: Fixer = (f, d) => {
  const m = /controllers\/(\S+) is never started/.exec(d.message);
  if (!m) return [];
  const edit = f.startPlacement(m[1], 'start = 1');
  return edit ? [action('Add start = 1', d, [edit], true)] : [];
};

const FIXERS: Record<string, Fixer> = {
  'write-failed': writeFailed,
  'bind-failed': bindFailed,
  'epc-init-failed': epcInitFailed,
  'unusable-bar': unusableBar,
  'max-functions': maxFunctions,
  'start-before-link': startBeforeLink,
  'link-after-start': linkAfterStart,
  'never-started': neverStarted,
};

function editsKey(edits: readonly Edit[]): string {
  return edits.map((e) => `${e.range.start.line}:${e.range.start.character}-${e.range.end.line}:${e.range.end.character}=${e.newText}`).join('|');
}

function actionsFor(f: Facts, d: Diagnostic): CodeAction[] {
  const own = ownFix(f, d);
  const more = FIXERS[d.code]?.(f, d) ?? [];
  // A computed choice (e.g. a BAR free of the sibling attributes) beats a generic one of the same kind.
  if (own.length && more.some((a) => a.isPreferred) && d.code === 'unusable-bar') own[0].isPreferred = false;
  const out: CodeAction[] = [];
  const seen = new Map<string, CodeAction>();
  for (const a of [...own, ...more]) {
    const key = editsKey(a.edits);
    const kept = seen.get(key);
    if (kept) {
      kept.isPreferred ||= a.isPreferred;
      continue;
    }
    seen.set(key, a);
    out.push(a);
  }
  let preferred = false;
  for (const a of out) {
    if (a.isPreferred && preferred) a.isPreferred = false;
    if (a.isPreferred) preferred = true;
  }
  return out;
}

/** Quick fixes for the diagnostics on the lines of `range`. */
export function codeActions(ctx: FeatureContext, range: Range): CodeAction[] {
  const f = new Facts(ctx);
  const out: CodeAction[] = [];
  for (const d of ctx.emulation.diagnostics) {
    if (linesOverlap(d.range, range)) out.push(...actionsFor(f, d));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fix all

function overlaps(a: Edit, b: Edit): boolean {
  const aEmpty = cmp(a.range.start, a.range.end) === 0;
  const bEmpty = cmp(b.range.start, b.range.end) === 0;
  if (aEmpty && bEmpty) return false;
  if (aEmpty) return cmp(b.range.start, a.range.start) < 0 && cmp(a.range.start, b.range.end) < 0;
  if (bEmpty) return cmp(a.range.start, b.range.start) < 0 && cmp(b.range.start, a.range.end) < 0;
  return cmp(a.range.start, b.range.end) < 0 && cmp(b.range.start, a.range.end) < 0;
}

/** One pass: the preferred fix of every diagnostic, skipping those that collide with an earlier one. */
function preferredEdits(ctx: FeatureContext): Edit[] {
  const f = new Facts(ctx);
  const chosen: Edit[] = [];
  const seen = new Set<string>();
  for (const d of ctx.emulation.diagnostics) {
    const a = actionsFor(f, d).find((x) => x.isPreferred);
    if (!a) continue;
    const key = editsKey(a.edits);
    if (seen.has(key)) continue;
    if (a.edits.some((e) => chosen.some((c) => overlaps(e, c)))) continue;
    seen.add(key);
    chosen.push(...a.edits);
  }
  // Stable by position: insertions at one point keep the order of the diagnostics they fix.
  return chosen
    .map((e, i) => ({ e, i }))
    .sort((x, y) => cmp(x.e.range.start, y.e.range.start) || cmp(x.e.range.end, y.e.range.end) || x.i - y.i)
    .map((x) => x.e);
}

/** Line-level edits turning `before` into `after` (common prefix/suffix, then an LCS of the rest). */
function diffEdits(before: string, after: string): Edit[] {
  const eol = detectEol(before);
  const a = splitLines(before);
  const b = splitLines(after);
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  const n = a.length - p - s;
  const m = b.length - p - s;
  // Hunks as [aStart, aEnd, bStart, bEnd) in whole-file line numbers.
  const hunks: [number, number, number, number][] = [];
  if (n * m > 4_000_000) {
    hunks.push([p, p + n, p, p + m]);
  } else {
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i][j] = a[p + i] === b[p + j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    let open: [number, number] | undefined;
    const close = () => {
      if (open) hunks.push([p + open[0], p + i, p + open[1], p + j]);
      open = undefined;
    };
    while (i < n || j < m) {
      if (i < n && j < m && a[p + i] === b[p + j]) {
        close();
        i++;
        j++;
      } else {
        open ??= [i, j];
        if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) j++;
        else i++;
      }
    }
    close();
  }
  return hunks.map(([a0, a1, b0, b1]): Edit => {
    const added = b.slice(b0, b1);
    if (a1 - a0 === 1 && b1 - b0 === 1) {
      // One line changed: replace only the characters that differ.
      const x = a[a0];
      const y = added[0];
      let l = 0;
      while (l < x.length && l < y.length && x[l] === y[l]) l++;
      let r = 0;
      while (r < x.length - l && r < y.length - l && x[x.length - 1 - r] === y[y.length - 1 - r]) r++;
      return { range: { start: pos(a0, l), end: pos(a0, x.length - r) }, newText: y.slice(l, y.length - r) };
    }
    if (a1 < a.length) {
      return { range: { start: pos(a0, 0), end: pos(a1, 0) }, newText: added.map((l) => l + eol).join('') };
    }
    // The hunk reaches the end of the file: work from the end of the line before it.
    const end = pos(a.length - 1, a[a.length - 1].length);
    if (a0 > 0) {
      const start = pos(a0 - 1, a[a0 - 1].length);
      return { range: { start, end }, newText: added.map((l) => eol + l).join('') };
    }
    return { range: { start: pos(0, 0), end }, newText: added.join(eol) };
  });
}

const MAX_PASSES = 5;

/**
 * Every preferred quick fix that does not collide with another, applied together. A fix can make
 * the next problem visible (a write moved before its link then fails the bind), so fixes are
 * re-applied on the result until nothing is left to fix (at most five passes); the answer is then
 * the line diff from the original text. `reanalyze` builds the context of an intermediate text
 * (pass the server's settings through it).
 */
export function fixAll(ctx: FeatureContext, reanalyze: (text: string) => FeatureContext = createContext): Edit[] {
  const first = preferredEdits(ctx);
  if (first.length === 0) return [];
  const original = ctx.doc.text;
  const afterFirst = applyEdits(original, first);
  let text = afterFirst;
  for (let pass = 1; pass < MAX_PASSES; pass++) {
    const next = preferredEdits(reanalyze(text));
    if (next.length === 0) break;
    const updated = applyEdits(text, next);
    if (updated === text) break;
    text = updated;
  }
  if (text === afterFirst) return first;
  return diffEdits(original, text);
}
