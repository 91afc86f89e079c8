/**
 * Configfs shell script → `.pciep` (DESIGN.md section 2, "other file forms").
 *
 * Reads what the kernel's endpoint howtos and real bring-up scripts do: `cd` into the pci_ep tree,
 * shell variables (`EPC=…`, `"$F/vendorid"`, `${EPC:-default}`), `mkdir [-p]`, `echo`/`printf`
 * writes (also through `| tee`), `ln -s`, `rm`/`unlink`, `rmdir`. It is a small model of sh, not a
 * shell: anything it cannot evaluate with certainty is kept as a `# (not imported) …` comment with
 * a warning, so nothing is silently dropped and nothing is guessed.
 *
 * The `# [platform/…]` / `# [host…]` comment blocks and `# [dir]` section markers written by
 * script-export.ts become real sections again, so `.pciep` → script → `.pciep` loses nothing.
 */
import * as nodePath from 'node:path';
import { parse } from './parser';
import type { Statement } from './ast';
import { CONFIGFS_ROOT } from './paths';
import { SCRIPT_BANNER, SKIPPED_PREFIX, isForeignSection, isFunctionDir } from './script-export';

export interface ImportWarning {
  /** 1-based line of the script. */
  line: number;
  message: string;
}

export interface ImportResult {
  text: string;
  warnings: ImportWarning[];
}

export interface ImportOptions {
  /** Where pci_ep lives on the board the script was written for; /sys/kernel/config/pci_ep by default. */
  root?: string;
}

const NOT_IMPORTED = '# (not imported) ';
/** Longest value a variable expansion may produce: PAGE_SIZE / PATH_MAX (see Importer.expand). */
const MAX_EXPANSION = 4096;
/** Trailing comments line up here when the statement is short enough, as in DESIGN.md's examples. */
const COMMENT_COLUMN = 40;
const posix = nodePath.posix;

// ---- logical lines ----------------------------------------------------------------------------

interface LogicalLine {
  text: string;
  /** 0-based first and last physical line. */
  first: number;
  last: number;
}

function isBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

/** Where sh may start a word (and so a `#` comment). */
function atWordStart(text: string, i: number): boolean {
  return i === 0 || /[\s;&|()<>]/.test(text[i - 1]);
}

type Quote = "'" | '"' | null;
type LineEndState = 'complete' | 'continued' | 'open-quote';

/**
 * How a line ends: complete, continued by a trailing backslash, or inside an open quote. Scans
 * `text` entering in `quote`; `before` is the character in front of `text` in the logical line
 * (undefined at its start), which decides whether a `#` at index 0 starts a comment.
 */
function lineEnd(text: string, quote: Quote = null, before?: string): { end: LineEndState; quote: Quote } {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote === "'") {
      if (ch === "'") quote = null;
    } else if (ch === '\\') {
      if (i === text.length - 1) return { end: 'continued', quote };
      i++;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '#' && (i > 0 ? atWordStart(text, i) : before === undefined || /[\s;&|()<>]/.test(before))) {
      return { end: 'complete', quote };
    }
  }
  return { end: quote ? 'open-quote' : 'complete', quote };
}

/**
 * Joins backslash continuations and quotes that span lines, as sh reads them.
 *
 * Robustness (docs/robustness.md): this used to re-scan the whole joined text after every added
 * line and rebuild it with `slice` + `+`, which made 100,000 continued or quote-spanning lines take
 * minutes (quadratic). Now each physical line is scanned once per logical line, entering with the
 * quote state the previous one left, and the pieces are joined once. A quote never closed falls
 * back to the first line alone; `failed` remembers every (line, entering state) that ran into such
 * a quote, so the next logical lines, which start inside the same unterminated span, stop at once
 * instead of scanning to the end of the file again (same result, linear time).
 */
function readLogicalLine(lines: string[], first: number, failed: Set<string> = new Set()): LogicalLine {
  const pieces = [lines[first]];
  const visited = [`${first}::1`];
  let last = first;
  const known = failed.has(visited[0]);
  let state: { end: LineEndState; quote: Quote } = known ? { end: 'open-quote', quote: null } : lineEnd(lines[first]);
  let before: string | undefined;
  while (!known && state.end !== 'complete' && last + 1 < lines.length) {
    last++;
    if (state.end === 'continued') {
      const cur = pieces[pieces.length - 1].slice(0, -1);
      pieces[pieces.length - 1] = cur;
      if (cur.length) before = cur[cur.length - 1];
    } else {
      pieces.push('\n');
      before = '\n';
    }
    const wordStart = before === undefined || /[\s;&|()<>]/.test(before);
    const key = `${last}:${state.quote ?? ''}:${state.quote === null && wordStart ? 1 : 0}`;
    visited.push(key);
    if (failed.has(key)) {
      state = { end: 'open-quote', quote: state.quote };
      break;
    }
    pieces.push(lines[last]);
    state = lineEnd(lines[last], state.quote, before);
  }
  // A quote never closed would swallow the rest of the file; keep the damage to one line.
  if (state.end === 'open-quote') {
    for (const k of visited) failed.add(k);
    return { text: lines[first], first, last: first };
  }
  return { text: pieces.join(''), first, last };
}

// ---- lexer ------------------------------------------------------------------------------------

type Part =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean; fallback?: Part[]; ifEmpty: boolean }
  | { kind: 'bad'; what: string };

interface Word {
  parts: Part[];
  start: number;
  end: number;
}

type Token =
  | { kind: 'word'; word: Word }
  | { kind: 'op'; op: string; fd: number | null; start: number; end: number };

interface Lexed {
  tokens: Token[];
  comment?: string;
  error?: string;
}

const WORD_END = ';&|()<>';
const REDIRECT = /^(\d*)(>>|>\||>&|<<-|<<|<&|<>|&>|>|<)/;
const CONTROL = ['&&', '||', ';;', ';', '&', '|', '(', ')'];
const NAME = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]|[@*#?$!-])/;

function isRedirect(op: string): boolean {
  return REDIRECT.test(op);
}

/** Splits one logical line into words (with their quoting) and operators, like sh's tokenizer. */
class Lexer {
  private i = 0;

  /** `depth`: how many `${X:-…}` defaults this text is nested in (see MAX_DEFAULT_NESTING). */
  constructor(private readonly s: string, private readonly depth = 0) {}

  lex(): Lexed {
    const tokens: Token[] = [];
    while (this.i < this.s.length) {
      const ch = this.s[this.i];
      if (isBlank(ch) || ch === '\n') {
        this.i++;
        continue;
      }
      if (ch === '#') return { tokens, comment: this.s.slice(this.i) };
      const op = this.operator();
      if (op) {
        tokens.push(op);
        continue;
      }
      const start = this.i;
      const parts = this.readParts(true);
      if (typeof parts === 'string') return { tokens, error: parts };
      tokens.push({ kind: 'word', word: { parts, start, end: this.i } });
    }
    return { tokens };
  }

  private operator(): Token | null {
    const start = this.i;
    const rest = this.s.slice(start);
    const r = REDIRECT.exec(rest);
    if (r) {
      this.i += r[0].length;
      return { kind: 'op', op: r[2], fd: r[1] === '' ? null : Number(r[1]), start, end: this.i };
    }
    const c = CONTROL.find((op) => rest.startsWith(op));
    if (!c) return null;
    this.i += c.length;
    return { kind: 'op', op: c, fd: null, start, end: this.i };
  }

  /** Reads one word (or, for `${X:-…}` defaults, the whole string) into parts; a string is an error. */
  readParts(stopAtBlank: boolean): Part[] | string {
    const s = this.s;
    const parts: Part[] = [];
    const wordStart = this.i;
    let lit = '';
    const flush = (): void => {
      if (lit) parts.push({ kind: 'text', text: lit, quoted: false });
      lit = '';
    };
    while (this.i < s.length) {
      const ch = s[this.i];
      if (stopAtBlank && (isBlank(ch) || ch === '\n' || WORD_END.includes(ch))) break;
      if (ch === '\\') {
        lit += s[this.i + 1] ?? '';
        this.i += 2;
        continue;
      }
      if (ch !== "'" && ch !== '"' && ch !== '$' && ch !== '`' && ch !== '*' && ch !== '?' && !(ch === '~' && this.i === wordStart)) {
        lit += ch;
        this.i++;
        continue;
      }
      flush();
      const part = this.special(ch);
      if (typeof part === 'string') return part;
      parts.push(...part);
    }
    flush();
    return parts;
  }

  /** Quotes, expansions and the characters sh would expand (globs, `~`). */
  private special(ch: string): Part[] | string {
    if (ch === "'") {
      const close = this.s.indexOf("'", this.i + 1);
      if (close < 0) return "missing closing ' quote";
      const text = this.s.slice(this.i + 1, close);
      this.i = close + 1;
      return [{ kind: 'text', text, quoted: true }];
    }
    if (ch === '"') return this.readDouble();
    if (ch === '$') {
      const p = this.readDollar(false);
      return typeof p === 'string' ? p : [p];
    }
    if (ch === '`') return this.readBackquote();
    this.i++;
    return [{ kind: 'bad', what: ch === '~' ? 'tilde expansion (~)' : `the wildcard '${ch}'` }];
  }

  private readDouble(): Part[] | string {
    const s = this.s;
    const parts: Part[] = [];
    let lit = '';
    this.i++;
    while (this.i < s.length) {
      const ch = s[this.i];
      if (ch === '"') {
        this.i++;
        if (lit || parts.length === 0) parts.push({ kind: 'text', text: lit, quoted: true });
        return parts;
      }
      if (ch === '\\' && '$`"\\\n'.includes(s[this.i + 1] ?? 'x')) {
        lit += s[this.i + 1] === '\n' ? '' : s[this.i + 1];
        this.i += 2;
      } else if (ch === '$' || ch === '`') {
        if (lit) parts.push({ kind: 'text', text: lit, quoted: true });
        lit = '';
        const p = ch === '$' ? this.readDollar(true) : this.readBackquote();
        if (typeof p === 'string') return p;
        parts.push(...(Array.isArray(p) ? p : [p]));
      } else {
        lit += ch;
        this.i++;
      }
    }
    return 'missing closing " quote';
  }

  private readBackquote(): Part[] | string {
    const close = this.s.indexOf('`', this.i + 1);
    if (close < 0) return 'missing closing backquote';
    this.i = close + 1;
    return [{ kind: 'bad', what: 'command substitution `…`' }];
  }

  /** Index of the bracket closing the one at `open`, or -1. */
  private matching(open: number, opener: string, closer: string): number {
    let depth = 0;
    for (let i = open; i < this.s.length; i++) {
      if (this.s[i] === opener) depth++;
      else if (this.s[i] === closer && --depth === 0) return i;
    }
    return -1;
  }

  private readDollar(quoted: boolean): Part | string {
    const at = this.i;
    const next = this.s[at + 1];
    if (next === '(') {
      const close = this.matching(at + 1, '(', ')');
      if (close < 0) return 'missing closing ) of $(';
      this.i = close + 1;
      return { kind: 'bad', what: this.s[at + 2] === '(' ? 'arithmetic $((…))' : 'command substitution $(…)' };
    }
    if (next === '{') {
      const close = this.matching(at + 1, '{', '}');
      if (close < 0) return 'missing closing } of ${';
      this.i = close + 1;
      return braceVariable(this.s.slice(at + 2, close), quoted, this.depth);
    }
    const name = NAME.exec(this.s.slice(at + 1));
    if (!name) {
      this.i = at + 1;
      return { kind: 'text', text: '$', quoted };
    }
    this.i = at + 1 + name[0].length;
    return { kind: 'var', name: name[0], quoted, ifEmpty: false };
  }
}

/**
 * Robustness (docs/robustness.md): defaults nested deeper than this are refused. Each level lexes
 * its default with a new Lexer, so `${A:-${A:-…}}` 10,000 deep overflowed the stack (an exception
 * out of importScript, which must never throw) after quadratic work.
 */
const MAX_DEFAULT_NESTING = 16;

/** `${NAME}`, `${NAME:-default}`, `${NAME-default}` (`:=`/`=` read the same); anything else is refused. */
function braceVariable(inner: string, quoted: boolean, depth = 0): Part {
  const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+)(?:(:?)([-=])([\s\S]*))?$/.exec(inner);
  if (!m) return { kind: 'bad', what: `\${${inner}}` };
  if (m[3] === undefined) return { kind: 'var', name: m[1], quoted, ifEmpty: false };
  if (depth >= MAX_DEFAULT_NESTING) return { kind: 'bad', what: `\${…} defaults nested more than ${MAX_DEFAULT_NESTING} deep` };
  const fallback = new Lexer(m[4], depth + 1).readParts(false);
  if (typeof fallback === 'string') return { kind: 'bad', what: `\${${inner}}` };
  return { kind: 'var', name: m[1], quoted, fallback, ifEmpty: m[2] === ':' };
}

/** The word's text when it has no expansions (command names, keywords, heredoc delimiters). */
function literal(word: Word): string | null {
  let text = '';
  for (const p of word.parts) {
    if (p.kind !== 'text') return null;
    text += p.text;
  }
  return text;
}

// ---- commands ---------------------------------------------------------------------------------

interface Redirect {
  fd: number;
  op: string;
  target: Word | null;
}

interface Command {
  words: Word[];
  redirects: Redirect[];
}

/** A pipeline between list separators (`;`, `&&`, `||`), with its source span. */
interface Item {
  commands: Command[];
  start: number;
  end: number;
  sep: string;
  problem?: string;
}

function newCommand(): Command {
  return { words: [], redirects: [] };
}

/** Groups tokens into list items of pipelines of simple commands. */
function parseItems(tokens: Token[]): Item[] {
  const items: Item[] = [];
  let commands: Command[] = [];
  let cmd = newCommand();
  let pending: Redirect | null = null;
  let problem: string | undefined;
  let start = -1;
  let end = -1;
  const endCommand = (): void => {
    if (cmd.words.length || cmd.redirects.length) commands.push(cmd);
    cmd = newCommand();
  };
  const endItem = (sep: string): void => {
    endCommand();
    if (commands.length || problem) items.push({ commands, start, end, sep, problem });
    commands = [];
    problem = undefined;
    start = -1;
  };
  for (const t of tokens) {
    const span = t.kind === 'word' ? t.word : t;
    if (t.kind === 'op' && (t.op === ';' || t.op === '&&' || t.op === '||')) {
      endItem(t.op);
      continue;
    }
    if (start < 0) start = span.start;
    end = span.end;
    if (t.kind === 'word') {
      if (pending) pending.target = t.word;
      else cmd.words.push(t.word);
      pending = null;
    } else if (isRedirect(t.op)) {
      pending = { fd: t.fd ?? (t.op.startsWith('<') ? 0 : 1), op: t.op, target: null };
      cmd.redirects.push(pending);
    } else if (t.op === '|') {
      endCommand();
    } else {
      problem ??= t.op === '&' ? 'a background command (&)' : `'${t.op}' (subshells and case arms)`;
    }
  }
  endItem('');
  return foldFallbacks(items);
}

/** `cmd || true`, `cmd || exit 1`: error handling around one command, which still just runs it. */
function foldFallbacks(items: Item[]): Item[] {
  const out: Item[] = [];
  for (let k = 0; k < items.length; k++) {
    const item = items[k];
    if (item.sep === '||') {
      const next = items[k + 1];
      if (next && isTrivialFallback(next)) {
        out.push({ ...item, end: next.end, sep: next.sep });
        k++;
        continue;
      }
    }
    out.push(item);
  }
  return out;
}

function isTrivialFallback(item: Item): boolean {
  if (item.problem || item.commands.length !== 1) return false;
  const words = item.commands[0].words;
  const name = words.length ? literal(words[0]) : null;
  return name === 'true' || name === ':' || ((name === 'exit' || name === 'return') && words.length <= 2);
}

/** The commands import models; every other command is kept as a comment. */
const BUILTINS = new Set(['cd', 'pushd', 'popd', 'export', 'readonly', 'local', 'set', 'true', ':', 'mkdir', 'ln', 'rm', 'unlink', 'rmdir', 'mount']);

const OPENERS = new Set(['if', 'for', 'while', 'until', 'case', '{']);
const CLOSERS = new Set(['fi', 'done', 'esac', '}']);
const KEYWORDS = new Set([...OPENERS, ...CLOSERS, 'then', 'else', 'elif', 'do', 'function', '!', '[[', 'select']);

/** `name() …`: a shell function definition. */
function isFunctionDefinition(tokens: Token[]): boolean {
  return tokens.some((t, k) => {
    const next = tokens[k + 1];
    return t.kind === 'op' && t.op === '(' && next?.kind === 'op' && next.op === ')';
  });
}

function commandName(item: Item): string | null {
  const first = item.commands[0]?.words[0];
  return first ? literal(first) : null;
}

// ---- output -----------------------------------------------------------------------------------

interface OutLine {
  kind: 'blank' | 'comment' | 'header' | 'stmt';
  text: string;
}

function relative(dir: string, path: string): string {
  return dir === '' ? path : path.slice(dir.length + 1);
}

function isStrictAncestor(dir: string, path: string): boolean {
  return dir === '' ? path !== '' : path.startsWith(dir + '/');
}

/** Directories the kernel makes (or the user made as a function); `ln -s T DIR` links inside them. */
function isKernelDirectory(path: string): boolean {
  const parts = path.split('/');
  if (path === '') return true;
  if (parts[0] !== 'functions' && parts[0] !== 'controllers') return false;
  if (parts.length <= 2) return true;
  if (parts[0] !== 'functions') return false;
  if (parts.length === 3) return true;
  return parts.length === 4 && (parts[3] === 'primary' || parts[3] === 'secondary' || isDriverGroup(parts[1], parts[3]));
}

/** `pci_epf_vntb.0` under functions/pci_epf_vntb/<name>: the driver's own attribute group. */
function isDriverGroup(driver: string, name: string): boolean {
  return name.startsWith(driver + '.') && /^\d+$/.test(name.slice(driver.length + 1));
}

/** How a value is written after `=` so that the parser reads back exactly these bytes. */
function valueText(value: string): string {
  const bare = value !== '' && !/^\s|\s$/.test(value) && !/^["']/.test(value) && !/(^|\s)#/.test(value);
  return bare ? value : `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** Parses `text` back and checks it is exactly the one statement meant. */
function parsesAs(text: string, check: (s: Statement) => boolean): boolean {
  const doc = parse(text);
  return doc.errors.length === 0 && doc.statements.length === 1 && check(doc.statements[0]);
}

/**
 * Builds the `.pciep` text: tracks the section the output is in and which function directories
 * exist, because in `.pciep` the first `[functions/<driver>/<name>]` *is* the mkdir — a header for
 * a function the script never created must not be emitted (the statement goes under
 * `[functions/<driver>]` instead).
 */
class Emitter {
  readonly lines: OutLine[] = [];
  /** The directory of the last header; null before any header (statements then run at the root). */
  private section: string | null = null;
  /** The output is inside a platform/host section: configfs statements need a new header. */
  private foreign = false;
  private readonly functions = new Set<string>();

  push(line: OutLine): void {
    if (line.kind === 'blank') {
      const last = this.lines[this.lines.length - 1];
      if (!last || last.kind === 'blank') return;
    }
    if (line.kind === 'header') this.separate();
    this.lines.push(line);
  }

  /** A blank line before a new section, above the comments that introduce it. */
  private separate(): void {
    let k = this.lines.length;
    while (k > 0 && this.lines[k - 1].kind === 'comment') k--;
    const before = this.lines[k - 1];
    if (before && (before.kind === 'stmt' || before.kind === 'header')) this.lines.splice(k, 0, { kind: 'blank', text: '' });
  }

  /** Appends a trailing comment to the last statement written since `mark`, else a comment line. */
  attachComment(mark: number, comment: string): void {
    const last = this.lines[this.lines.length - 1];
    if (this.lines.length <= mark || !last || (last.kind !== 'stmt' && last.kind !== 'header')) {
      this.push({ kind: 'comment', text: comment });
      return;
    }
    last.text = last.text.length < COMMENT_COLUMN - 1 ? last.text.padEnd(COMMENT_COLUMN) + comment : `${last.text}  ${comment}`;
  }

  text(): string {
    while (this.lines.length && this.lines[this.lines.length - 1].kind === 'blank') this.lines.pop();
    return this.lines.map((l) => l.text + '\n').join('');
  }

  foreignHeader(text: string): void {
    this.push({ kind: 'header', text });
    this.foreign = true;
    this.section = null;
  }

  /** A `# [dir]` marker from script-export: the section the statements below were written in. */
  marker(dir: string, comment: string | undefined): boolean {
    if (isForeignSection(dir) || (isFunctionDir(dir) && !this.functions.has(dir))) return false;
    if (this.header(dir) !== null) return false;
    if (comment) this.attachComment(this.lines.length - 1, comment);
    return true;
  }

  private header(dir: string): string | null {
    const text = `[${dir}]`;
    if (dir === '' || !parsesAs(text, (s) => s.kind === 'section' && s.normPath === dir)) {
      return `the directory '${dir}' cannot be written as a .pciep section`;
    }
    this.push({ kind: 'header', text });
    this.section = dir;
    this.foreign = false;
    if (isFunctionDir(dir)) this.functions.add(dir);
    return null;
  }

  /**
   * The section a statement about `path` goes in: the current one when `path` is inside it (and
   * it is at least as specific as the natural one), otherwise the natural one — the function for
   * everything under `functions/<driver>/<name>/`, the controller under `controllers/<epc>/`.
   */
  private place(path: string): { dir: string; header: boolean } | string {
    const anchor = this.anchor(path);
    const cur = this.section;
    // Before the first header the file runs at the pci_ep root; stay there for paths outside
    // functions/ and controllers/ (a header could never lead back to the root).
    if (cur === null && !this.foreign && !/^(functions|controllers)\//.test(path)) return { dir: '', header: false };
    if (!this.foreign && cur !== null && isStrictAncestor(cur, path) && (cur === anchor || isStrictAncestor(anchor, cur))) {
      return { dir: cur, header: false };
    }
    if (anchor !== '') return { dir: anchor, header: true };
    if (!this.foreign && cur === null) return { dir: '', header: false };
    return `'${path}' is directly in the pci_ep root, which a .pciep file can only address before its first section`;
  }

  private anchor(path: string): string {
    const parts = path.split('/');
    if (parts[0] === 'functions' && parts.length >= 3) {
      const fn = parts.slice(0, 3).join('/');
      return parts.length >= 4 && this.functions.has(fn) ? fn : parts.slice(0, 2).join('/');
    }
    if (parts[0] === 'controllers' && parts.length >= 3) return parts.slice(0, 2).join('/');
    return posix.dirname(path) === '.' ? '' : posix.dirname(path);
  }

  private statement(path: string, make: (rel: string) => string, check: (s: Statement, rel: string) => boolean): string | null {
    const where = this.place(path);
    if (typeof where === 'string') return where;
    const rel = relative(where.dir, path);
    const text = make(rel);
    if (!parsesAs(text, (s) => check(s, rel))) return `'${text}' would not read back as the same .pciep statement`;
    if (where.header) {
      const err = this.header(where.dir);
      if (err) return err;
    }
    this.push({ kind: 'stmt', text });
    return null;
  }

  assign(path: string, value: string): string | null {
    if (value.includes('\n')) return 'a value spanning several lines cannot be written in .pciep';
    return this.statement(path, (rel) => `${rel} = ${valueText(value)}`,
      (s, rel) => s.kind === 'assign' && s.name.text === rel && s.value.text === value);
  }

  link(path: string, target: string): string | null {
    if (target === '') return 'a link to the pci_ep root itself';
    return this.statement(path, (rel) => `${rel} -> ${target}`,
      (s, rel) => s.kind === 'link' && s.name.text === rel && s.normTarget === target);
  }

  unlink(path: string): string | null {
    return this.statement(path, (rel) => `unlink ${rel}`, (s, rel) => s.kind === 'unlink' && s.name.text === rel);
  }

  rmdir(path: string): string | null {
    if (path === '') return 'rmdir of the pci_ep root';
    let err: string | null = null;
    if (!this.foreign && this.section === path) this.push({ kind: 'stmt', text: 'rmdir' });
    else err = this.statement(path, (rel) => `rmdir ${rel}`, (s, rel) => s.kind === 'rmdir' && s.target?.text === rel);
    if (!err) this.functions.delete(path);
    return err;
  }

  /** `mkdir [-p] path`: only a function directory has a `.pciep` form (its first section header). */
  mkdir(path: string, parents: boolean): string | null {
    const parts = path.split('/');
    const fn = parts[0] === 'functions' && parts.length >= 3 ? parts.slice(0, 3).join('/') : null;
    if (fn && (path === fn || parents) && !this.functions.has(fn)) {
      const err = this.header(fn);
      if (err || path === fn) return err;
    }
    if (path === fn) return parents ? null : `${fn} already exists at this point: mkdir would fail with EEXIST`;
    if (parents && isKernelDirectory(path)) return null;
    if (fn && parts.length === 4 && isDriverGroup(parts[1], parts[3])) {
      return `${path} is the driver's attribute group: kernels since v6.2 create it, and .pciep has no mkdir for it`;
    }
    if (isKernelDirectory(path) && !/^controllers\/[^/]+$/.test(path)) return `${path} is created by the kernel: mkdir would fail with EEXIST`;
    return `only functions/<driver>/<name> directories can be created in pci_ep (not ${path})`;
  }
}

// ---- the importer -----------------------------------------------------------------------------

type Outcome = { ok: true } | { ok: false; message: string };

const OK: Outcome = { ok: true };

function fail(message: string): Outcome {
  return { ok: false, message };
}

type Expanded = { ok: true; text: string } | { ok: false; message: string };

/** Runs the script's lines through a model of sh that knows variables, the cwd and configfs writes. */
class Importer {
  readonly out = new Emitter();
  readonly warnings: ImportWarning[] = [];
  private readonly vars = new Map<string, string>();
  /** Variables whose value import cannot know, with why (used in the warning where they are read). */
  private readonly unknownVars = new Map<string, string>();
  private cwd: string | null;
  private cwdLost = '';
  private readonly dirStack: (string | null)[] = [];
  /** Nesting of if/for/while/case/{ blocks: commands inside them are conditional in the script. */
  private depth = 0;
  /** Inside a `# [platform/…]` / `# [host…]` block written by script-export. */
  private inForeignBlock = false;
  private line = 0;
  /** The logical line being run (continuations joined); word offsets point into it. */
  private current = '';
  /** (line, entering quote state) pairs known to run into a quote that never closes (readLogicalLine). */
  private readonly unterminated = new Set<string>();

  constructor(private readonly lines: string[], private readonly root: string) {
    this.cwd = root;
  }

  run(): void {
    let i = 0;
    while (i < this.lines.length) i = this.physicalLine(i);
  }

  private warn(message: string, line = this.line): void {
    this.warnings.push({ line: line + 1, message });
  }

  private physicalLine(i: number): number {
    this.line = i;
    const trimmed = this.lines[i].trim();
    if ((i === 0 && trimmed.startsWith('#!')) || SCRIPT_BANNER.includes(trimmed)) return i + 1;
    if (trimmed === '') {
      this.out.push({ kind: 'blank', text: '' });
      return i + 1;
    }
    if (trimmed.startsWith('#')) {
      this.commentLine(trimmed, this.lines[i].trimEnd());
      return i + 1;
    }
    this.inForeignBlock = false;
    return this.logicalLine(readLogicalLine(this.lines, i, this.unterminated));
  }

  // ---- comments ----

  /** `text` is the trimmed comment, `raw` the line with its indentation (kept for plain comments). */
  private commentLine(text: string, raw: string): void {
    const marker = parseMarker(text);
    if (marker && isForeignSection(marker.dir)) {
      this.inForeignBlock = true;
      this.out.foreignHeader(marker.body);
      return;
    }
    if (marker && this.out.marker(marker.dir, marker.comment)) {
      this.inForeignBlock = false;
      return;
    }
    if (text.startsWith(SKIPPED_PREFIX + '[')) this.inForeignBlock = false;
    if (this.inForeignBlock) return this.restore(text);
    // script-export doubles the `#` of comments that would read as markers.
    this.out.push({ kind: 'comment', text: /^##\s*\[/.test(text) ? raw.replace('##', '#') : raw });
  }

  /** A line of a platform/host block: the `.pciep` line it came from, when it reads as one. */
  private restore(text: string): void {
    const body = text.replace(/^# ?/, '');
    const doc = parse(body);
    if (body.trim() === '' || doc.errors.length > 0) this.out.push({ kind: 'comment', text });
    else if (doc.statements.length === 1) this.out.push({ kind: 'stmt', text: body });
    else this.out.push({ kind: 'comment', text: body });
  }

  // ---- commands ----

  private logicalLine(logical: LogicalLine): number {
    this.current = logical.text;
    const lexed = new Lexer(logical.text).lex();
    if (lexed.error) {
      this.notImported(logical, lexed.error);
      return logical.last + 1;
    }
    const heredoc = this.heredocEnd(lexed.tokens, logical.last);
    if (heredoc !== null) {
      this.notImported({ ...logical, last: heredoc }, 'here-documents are not imported');
      return heredoc + 1;
    }
    const items = parseItems(lexed.tokens);
    if (isFunctionDefinition(lexed.tokens) || items.some((it) => KEYWORDS.has(commandName(it) ?? ''))) {
      this.controlFlow(items);
      this.notImported(logical, 'shell control flow is not imported; the commands inside it are imported as if it always ran');
      return logical.last + 1;
    }
    const mark = this.out.lines.length;
    let previous: { sep: string; ok: boolean } = { sep: ';', ok: true };
    for (const item of items) {
      const before = this.out.lines.length;
      const outcome = this.item(item);
      // `A || B` runs B only if A fails; `A && B` depends on A when A was not imported either.
      const conditional = previous.sep === '||' || (previous.sep === '&&' && !previous.ok);
      previous = { sep: item.sep, ok: outcome.ok };
      if (conditional && this.out.lines.length > before) {
        const text = logical.text.slice(item.start, item.end);
        this.warn(`imported unconditionally: in the script '${text}' runs only depending on the result of the command before it`);
      }
      if (outcome.ok) continue;
      if (items.length === 1) {
        this.notImported(logical, outcome.message);
        return logical.last + 1;
      }
      // Several commands on the line: only the one that failed becomes a comment.
      this.warn(outcome.message);
      this.out.push({ kind: 'comment', text: NOT_IMPORTED + logical.text.slice(item.start, item.end) });
    }
    if (this.depth > 0 && this.out.lines.length > mark) {
      this.warn('imported unconditionally: this line is inside a shell if/for/while/case block or function');
    }
    if (lexed.comment) this.out.attachComment(mark, lexed.comment);
    return logical.last + 1;
  }

  /** The last line of a here-document started on this line, or null. */
  private heredocEnd(tokens: Token[], last: number): number | null {
    const at = tokens.findIndex((t) => t.kind === 'op' && (t.op === '<<' || t.op === '<<-'));
    if (at < 0) return null;
    const next = tokens[at + 1];
    const delim = next?.kind === 'word' ? literal(next.word) : null;
    if (delim === null) return last;
    let k = last + 1;
    while (k < this.lines.length && this.lines[k].replace(/^\t+/, '') !== delim) k++;
    return Math.min(k, this.lines.length - 1);
  }

  /** Tracks block nesting; `f() {` opens a function body, whose commands only run when called. */
  private controlFlow(items: Item[]): void {
    for (const item of items) {
      const name = commandName(item) ?? '';
      const words = item.commands.flatMap((c) => c.words);
      const last = words.length ? literal(words[words.length - 1]) : null;
      if (OPENERS.has(name) || (name !== '{' && last === '{')) this.depth++;
      else if (CLOSERS.has(name)) this.depth = Math.max(0, this.depth - 1);
    }
  }

  private notImported(logical: LogicalLine, message: string): void {
    this.warn(message, logical.first);
    for (let k = logical.first; k <= logical.last; k++) {
      const text = this.lines[k].trim();
      this.out.push({ kind: 'comment', text: k === logical.first ? NOT_IMPORTED + text : `#   ${text}` });
    }
  }

  private item(item: Item): Outcome {
    const outcome = this.runItem(item);
    if (!outcome.ok && ['cd', 'pushd', 'popd'].includes(commandName(item) ?? '')) {
      // A directory change import cannot follow: later relative paths must not be guessed.
      this.cwd = null;
      this.cwdLost = `the directory change on line ${this.line + 1}`;
    }
    return outcome;
  }

  private runItem(item: Item): Outcome {
    if (item.problem) return fail(`${item.problem} is not imported`);
    if (item.commands.length === 2) return this.teePipeline(item.commands[0], item.commands[1]);
    if (item.commands.length > 2) return fail('pipelines are not imported');
    return this.command(item.commands[0]);
  }

  private expand(parts: Part[], split: boolean): Expanded {
    let text = '';
    let expanded = false;
    for (const p of parts) {
      // Robustness (docs/robustness.md): `A=$A$A` repeated doubles a value each line; 40 lines
      // threw "Invalid string length" out of importScript after gigabytes of work. A value built
      // from variables may not exceed a page: configfs takes at most PAGE_SIZE per write and a
      // path at most PATH_MAX, both 4096 bytes, so nothing importable is longer.
      if (expanded && text.length > MAX_EXPANSION) return { ok: false, message: `the expanded value is longer than ${MAX_EXPANSION} bytes` };
      if (p.kind === 'text') {
        text += p.text;
        continue;
      }
      if (p.kind === 'bad') return { ok: false, message: `${p.what} cannot be evaluated by import` };
      const value = this.vars.get(p.name);
      if (p.fallback && (value === undefined || (p.ifEmpty && value === ''))) {
        const fb = this.expand(p.fallback, split && !p.quoted);
        if (!fb.ok) return fb;
        text += fb.text;
        expanded = true;
        continue;
      }
      if (value === undefined) {
        const why = this.unknownVars.get(p.name);
        return { ok: false, message: why ? `$${p.name} ${why}` : `$${p.name} is not set by the script` };
      }
      if (split && !p.quoted && /\s/.test(value)) return { ok: false, message: `unquoted $${p.name} would be split at its blanks` };
      text += value;
      expanded = true;
    }
    if (expanded && text.length > MAX_EXPANSION) return { ok: false, message: `the expanded value is longer than ${MAX_EXPANSION} bytes` };
    return { ok: true, text };
  }

  private expandWords(words: Word[]): string[] | string {
    const out: string[] = [];
    for (const w of words) {
      const e = this.expand(w.parts, true);
      if (!e.ok) return e.message;
      out.push(e.text);
    }
    return out;
  }

  private command(cmd: Command): Outcome {
    const leading = cmd.words.findIndex((w) => assignmentName(w) === null);
    if (leading < 0) return this.assign(cmd.words);
    if (leading > 0) return fail('a variable assignment in front of a command is not imported');
    const argv = this.expandWords(cmd.words);
    if (typeof argv === 'string') return fail(argv);
    const args = argv[0] === 'sudo' && argv.length > 1 && !argv[1].startsWith('-') ? argv.slice(1) : argv;
    if (args[0] === 'echo' || args[0] === 'printf') return this.write(args, cmd.redirects);
    if (args[0] === '[' || args[0] === 'test') return fail('shell tests ([ … ]) are not imported');
    if (!BUILTINS.has(args[0])) return fail(`'${args[0]}' is not a configfs command`);
    const quiet = this.quietRedirects(cmd.redirects);
    if (quiet) return fail(quiet);
    return this.builtin(args);
  }

  private builtin(args: string[]): Outcome {
    const [name, ...rest] = args;
    switch (name) {
      case 'cd':
        return this.cd(rest);
      case 'pushd':
        this.dirStack.push(this.cwd);
        return this.cd(rest);
      case 'popd':
        this.cwd = this.dirStack.length ? this.dirStack.pop()! : null;
        if (this.cwd === null) this.cwdLost = `popd on line ${this.line + 1}`;
        return OK;
      case 'export':
      case 'readonly':
      case 'local':
        return this.exportLike(rest);
      case 'set':
        return rest.every((a) => /^[-+]/.test(a)) ? OK : fail("'set' with arguments is not imported");
      case 'true':
      case ':':
        return OK;
      case 'mkdir':
        return this.mkdir(rest);
      case 'ln':
        return this.ln(rest);
      case 'rm':
      case 'unlink':
        return this.rm(name, rest);
      case 'rmdir':
        return this.rmdir(rest);
      case 'mount':
        return fail("'mount' is not imported: a .pciep file assumes configfs is mounted on /sys/kernel/config");
      default:
        return fail(`'${name}' is not a configfs command`);
    }
  }

  // ---- variables and directories ----

  private assign(words: Word[]): Outcome {
    for (const w of words) {
      const name = assignmentName(w)!;
      const valueParts = new Lexer(this.wordSource(w).slice(name.length + 1)).readParts(true);
      const value = typeof valueParts === 'string' ? { ok: false as const, message: valueParts } : this.expand(valueParts, false);
      if (!value.ok) {
        this.vars.delete(name);
        this.unknownVars.set(name, `comes from line ${this.line + 1}, which import cannot evaluate`);
        return fail(`cannot evaluate ${name}: ${value.message}; commands that use $${name} are not imported`);
      }
      this.vars.set(name, value.text);
      this.unknownVars.delete(name);
    }
    return OK;
  }

  private wordSource(w: Word): string {
    return this.current.slice(w.start, w.end);
  }

  private exportLike(args: string[]): Outcome {
    for (const a of args) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(a);
      if (m) {
        this.vars.set(m[1], m[2]);
        this.unknownVars.delete(m[1]);
      }
    }
    return OK;
  }

  private cd(args: string[]): Outcome {
    const dirs = args.filter((a) => a !== '-P' && a !== '-L');
    if (dirs[0] === '-') {
      this.warn("'cd -' is ignored: the current directory is taken to be unchanged");
      return OK;
    }
    if (dirs.length > 1) return fail("'cd' with more than one directory is not imported");
    const target = dirs.length === 0 ? null : this.absolute(dirs[0]);
    if (typeof target !== 'string') {
      this.cwd = null;
      this.cwdLost = `${dirs.length === 0 ? "'cd' to the home directory" : 'cd'} on line ${this.line + 1}`;
      return dirs.length === 0 ? OK : fail(target?.message ?? 'unknown directory');
    }
    this.cwd = target;
    return OK;
  }

  /** An absolute, normalised filesystem path for an argument, resolving it against the cwd. */
  private absolute(arg: string): string | { message: string } {
    if (arg === '') return { message: 'an empty path' };
    if (!arg.startsWith('/') && this.cwd === null) {
      return { message: `'${arg}' is relative, but the current directory is unknown after ${this.cwdLost}` };
    }
    const full = posix.normalize(arg.startsWith('/') ? arg : `${this.cwd}/${arg}`);
    return full.length > 1 ? full.replace(/\/+$/, '') : full;
  }

  /** The pci_ep-relative path of an argument, or why it has none. */
  private configfs(arg: string): string | { message: string } {
    const abs = this.absolute(arg);
    if (typeof abs !== 'string') return abs;
    if (abs === this.root) return '';
    if (abs.startsWith(this.root + '/')) return abs.slice(this.root.length + 1);
    return { message: `'${abs}' is outside ${this.root}` };
  }

  /** Only redirections that do not change what a non-writing command does (stderr, /dev/null). */
  private quietRedirects(redirects: Redirect[]): string | null {
    for (const r of redirects) {
      const target = r.target ? this.expand(r.target.parts, false) : null;
      if (r.op.startsWith('<')) return 'input redirections and here-documents are not imported';
      if (r.op === '>&' || r.fd === 2 || (target?.ok && target.text === '/dev/null')) continue;
      return `the redirection '${r.fd === 1 ? '' : r.fd}${r.op}' is not imported`;
    }
    return null;
  }

  // ---- writes ----

  /** `echo`/`printf` with its output in a pci_ep attribute. */
  private write(args: string[], redirects: Redirect[]): Outcome {
    const value = writtenValue(args);
    if (typeof value !== 'string') return fail(value.message);
    const files: string[] = [];
    for (const r of redirects) {
      if (r.op.startsWith('<')) return fail('input redirections and here-documents are not imported');
      if (r.op === '>&' && r.fd !== 1) continue;
      const target = r.target ? this.expand(r.target.parts, true) : { ok: false as const, message: 'a redirection without a file' };
      if (!target.ok) return fail(target.message);
      if (r.op === '>&') return fail(`${args[0]} to file descriptor ${target.text} only prints`);
      if (r.fd === 1 && target.text !== '/dev/null') files.push(target.text);
    }
    if (files.length === 0) return fail(`${args[0]} without a redirection into pci_ep only prints a message`);
    if (files.length > 1) return fail(`${args[0]} with more than one output file is not imported`);
    return this.assignFiles(files, value);
  }

  private assignFiles(files: string[], value: string): Outcome {
    for (const f of files) {
      const path = this.configfs(f);
      if (typeof path !== 'string') return fail(path.message);
      if (path === '') return fail('a write to the pci_ep directory itself');
      const err = this.out.assign(path, value);
      if (err) return fail(err);
    }
    return OK;
  }

  /** `echo VALUE | [sudo] tee [-a] FILE… [>/dev/null]`, the usual way to write as root. */
  private teePipeline(producer: Command, consumer: Command): Outcome {
    const left = this.expandWords(producer.words);
    if (typeof left === 'string') return fail(left);
    const right = this.expandWords(consumer.words);
    if (typeof right === 'string') return fail(right);
    const tee = right[0] === 'sudo' ? right.slice(1) : right;
    if ((left[0] !== 'echo' && left[0] !== 'printf') || tee[0] !== 'tee') return fail('pipelines are not imported');
    const value = writtenValue(left);
    if (typeof value !== 'string') return fail(value.message);
    const quiet = this.quietRedirects(producer.redirects) ?? this.quietRedirects(consumer.redirects);
    if (quiet) return fail(quiet);
    const files = tee.slice(1).filter((a) => a !== '-a' && a !== '--append');
    if (files.length === 0 || files.some((f) => f.startsWith('-'))) return fail('tee options other than -a are not imported');
    return this.assignFiles(files, value);
  }

  // ---- directories and links ----

  private mkdir(args: string[]): Outcome {
    let parents = false;
    const dirs: string[] = [];
    for (let k = 0; k < args.length; k++) {
      const a = args[k];
      if (a === '-m') k++;
      else if (/^-[pv]+$/.test(a) || a === '--parents') parents ||= a.includes('p');
      else if (a.startsWith('-m')) continue;
      else if (a.startsWith('-') && a !== '--') return fail(`mkdir option '${a}' is not imported`);
      else if (a !== '--') dirs.push(a);
    }
    if (dirs.length === 0) return fail('mkdir without a directory');
    for (const d of dirs) {
      const path = this.configfs(d);
      if (typeof path !== 'string') return fail(path.message);
      const err = this.out.mkdir(path, parents);
      if (err) return fail(err);
    }
    return OK;
  }

  private ln(args: string[]): Outcome {
    const opts = args.filter((a) => a.startsWith('-') && a !== '--').join('').replace(/-/g, '');
    const rest = args.filter((a) => !a.startsWith('-') || a === '--').filter((a) => a !== '--');
    if (!opts.includes('s')) return fail('only symbolic links (ln -s) exist in configfs');
    if (/[^sfnvT]/.test(opts)) return fail(`ln option '-${opts}' is not imported`);
    if (rest.length < 1 || rest.length > 2) return fail('ln -s with more than one target is not imported');
    if (opts.includes('f')) this.warn('ln -f is read as ln -s: an existing link is not replaced first');
    const target = this.configfs(rest[0]);
    if (typeof target !== 'string') return fail(`link target ${target.message}`);
    const linkArg = rest[1] ?? '.';
    const linkPath = this.configfs(linkArg);
    if (typeof linkPath !== 'string') return fail(linkPath.message);
    // Like ln: a link made in an existing directory is named after the target.
    const intoDir = !opts.includes('T') && (linkArg.endsWith('/') || rest.length === 1 || isKernelDirectory(linkPath));
    const path = intoDir ? (linkPath === '' ? posix.basename(target) : `${linkPath}/${posix.basename(target)}`) : linkPath;
    const err = this.out.link(path, target);
    return err ? fail(err) : OK;
  }

  private rm(name: string, args: string[]): Outcome {
    const files: string[] = [];
    for (const a of args) {
      if (a === '--') continue;
      if (name === 'rm' && /^-[fv]+$/.test(a)) continue;
      if (a.startsWith('-')) return fail(`${name} option '${a}' is not imported (configfs removes directories with rmdir)`);
      files.push(a);
    }
    if (files.length === 0) return fail(`${name} without a file`);
    for (const f of files) {
      const path = this.configfs(f);
      if (typeof path !== 'string') return fail(path.message);
      const err = path === '' ? 'rm of the pci_ep directory' : this.out.unlink(path);
      if (err) return fail(err);
    }
    return OK;
  }

  private rmdir(args: string[]): Outcome {
    const dirs = args.filter((a) => a !== '--' && a !== '-v');
    if (dirs.length === 0) return fail('rmdir without a directory');
    if (dirs.some((d) => d.startsWith('-'))) return fail('rmdir options are not imported (rmdir -p would try to remove kernel directories)');
    for (const d of dirs) {
      const path = this.configfs(d);
      if (typeof path !== 'string') return fail(path.message);
      const err = this.out.rmdir(path);
      if (err) return fail(err);
    }
    return OK;
  }
}

/** `NAME` when the word is an assignment `NAME=…` (the name unquoted, as sh requires). */
function assignmentName(w: Word): string | null {
  const first = w.parts[0];
  if (!first || first.kind !== 'text' || first.quoted) return null;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
  return m ? m[1] : null;
}

/** The bytes `echo`/`printf` write, less the final newline, or why import cannot tell. */
function writtenValue(args: string[]): string | { message: string } {
  if (args[0] === 'printf') return printfValue(args.slice(1));
  let k = 1;
  let escapes = false;
  while (k < args.length && /^-[neE]+$/.test(args[k])) escapes ||= args[k++].includes('e');
  const value = args.slice(k).join(' ');
  if (escapes && value.includes('\\')) return { message: 'echo -e with backslash escapes is not imported' };
  return value;
}

function printfValue(args: string[]): string | { message: string } {
  const [format, ...rest] = args;
  if ((format === '%s\\n' || format === '%s') && rest.length <= 1) return rest[0] ?? '';
  if (format !== undefined && rest.length === 0 && !format.includes('%')) {
    const value = format.endsWith('\\n') ? format.slice(0, -2) : format;
    if (!value.includes('\\')) return value;
  }
  return { message: "only printf '%s\\n' VALUE and printf 'VALUE\\n' are imported" };
}

/** A comment `# [path]  # …` whose body is one section header, with its pci_ep-relative path. */
function parseMarker(text: string): { dir: string; body: string; comment?: string } | null {
  if (!/^#\s*\[/.test(text)) return null;
  const body = text.replace(/^#\s?/, '');
  const doc = parse(body);
  const stmt = doc.statements[0];
  if (doc.errors.length || doc.statements.length !== 1 || stmt.kind !== 'section' || stmt.normPath === null) return null;
  return { dir: stmt.normPath, body, comment: stmt.comment?.text };
}

/**
 * Converts a configfs shell script into `.pciep` text. Never throws: lines it cannot evaluate are
 * kept as `# (not imported) …` comments, each with a warning.
 */
export function importScript(text: string, opts: ImportOptions = {}): ImportResult {
  const root = (opts.root ?? CONFIGFS_ROOT).replace(/\/+$/, '');
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const importer = new Importer(lines, root);
  importer.run();
  return { text: importer.out.text(), warnings: importer.warnings };
}
