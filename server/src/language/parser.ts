/**
 * Line-oriented, error-tolerant parser for `.pciep` files (DESIGN.md section 2).
 *
 * Like rust-analyzer's parser it never fails: each line is parsed on its own, so a syntax error
 * on one line never hides the statements on the next, and every node and error carries the exact
 * range (0-based line, UTF-16 character) it was read from.
 */
import type {
  Assignment, BodyStatement, Comment, Document, Link, ParseError, Position, Range, Rmdir, Section,
  SectionHeader, Span, Statement, Unlink,
} from './ast';
import { resolvePath } from './paths';

const BOM = '\uFEFF';

function pos(line: number, character: number): Position {
  return { line, character };
}

function range(line: number, start: number, end: number): Range {
  return { start: pos(line, start), end: pos(line, end) };
}

function span(text: string, line: number, start: number): Span {
  return { text, range: range(line, start, start + text.length) };
}

export function isBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\f' || ch === '\v';
}

/** Splits text into lines on LF, CRLF or lone CR, like editors do. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

/**
 * Index of a `#` that starts a comment, or -1. A `#` starts a comment at the start of the code or
 * after a blank, outside quotes: `a#b` stays a value, as it would in the shell.
 */
export function commentStart(line: string, from: number): number {
  let quote: '"' | "'" | null = null;
  for (let i = from; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === from || isBlank(line[i - 1]))) return i;
  }
  return -1;
}

function trimEnd(line: string, end: number, start: number): number {
  while (end > start && isBlank(line[end - 1])) end--;
  return end;
}

/** Reads a name token: everything up to a blank, `=`, `->`, or a comment. */
function readName(line: string, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const ch = line[i];
    if (isBlank(ch) || ch === '=' || (ch === '-' && line[i + 1] === '>')) break;
    i++;
  }
  return i;
}

function skipBlanks(line: string, i: number, end: number): number {
  while (i < end && isBlank(line[i])) i++;
  return i;
}

/** Parses a value (bare or quoted) between `start` and `end`. */
function parseValue(line: string, lineNo: number, start: number, end: number, errors: ParseError[]):
  { value: Span; quote: Assignment['quote'] } {
  const first = line[start];
  if (first !== '"' && first !== "'") {
    return { value: span(line.slice(start, end), lineNo, start), quote: 'none' };
  }
  let text = '';
  let i = start + 1;
  let closed = false;
  while (i < end) {
    const ch = line[i];
    if (first === '"' && ch === '\\' && i + 1 < end) {
      // Only \" and \\ are escapes inside double quotes, as in the shell; other backslashes stay.
      const next = line[i + 1];
      if (next === '"' || next === '\\') {
        text += next;
        i += 2;
        continue;
      }
    }
    if (ch === first) {
      closed = true;
      i++;
      break;
    }
    text += ch;
    i++;
  }
  const quote = first === '"' ? 'double' : 'single';
  if (!closed) {
    errors.push({ code: 'unterminated-quote', message: `missing closing ${first} in value`, range: range(lineNo, start, end) });
  } else if (skipBlanks(line, i, end) < end) {
    errors.push({
      code: 'text-after-quote',
      message: 'unexpected text after the closing quote (quote the whole value)',
      range: range(lineNo, i, end),
    });
  }
  return { value: { text, range: range(lineNo, start, closed ? i : end) }, quote };
}

function parseHeader(line: string, lineNo: number, start: number, end: number, errors: ParseError[]): SectionHeader {
  const close = line.lastIndexOf(']', end - 1);
  let inner: number;
  let innerEnd: number;
  let stmtEnd = end;
  if (close < start) {
    errors.push({ code: 'unclosed-section', message: "section header is missing its closing ']'", range: range(lineNo, start, end) });
    inner = start + 1;
    innerEnd = end;
  } else {
    inner = start + 1;
    innerEnd = close;
    stmtEnd = close + 1;
    if (skipBlanks(line, stmtEnd, end) < end) {
      errors.push({ code: 'text-after-section', message: "unexpected text after ']'", range: range(lineNo, stmtEnd, end) });
    }
  }
  const a = skipBlanks(line, inner, innerEnd);
  const b = trimEnd(line, innerEnd, a);
  const path = span(line.slice(a, b), lineNo, a);
  let normPath: string | null = null;
  let absolute = false;
  if (path.text === '') {
    errors.push({ code: 'empty-section', message: 'section header names no path', range: range(lineNo, start, stmtEnd) });
  } else if (/\s/.test(path.text)) {
    errors.push({ code: 'blank-in-path', message: 'a configfs path cannot contain blanks here', range: path.range });
  } else {
    const r = resolvePath(path.text);
    if (r.ok) {
      normPath = r.path;
      absolute = r.absolute;
      if (normPath === '') {
        errors.push({ code: 'root-section', message: 'the pci_ep root itself is not a section; name a directory under it', range: path.range });
        normPath = null;
      }
    } else {
      errors.push({ code: 'bad-path', message: r.message, range: path.range });
    }
  }
  return { kind: 'section', path, normPath, absolute, range: range(lineNo, start, stmtEnd), line: lineNo };
}

/**
 * One line: its statement (carrying any trailing comment), a comment-only line's comment, or
 * nothing. Errors go straight into the document's list (no array per line: 50,000-line files).
 */
function parseLine(line: string, lineNo: number, errors: ParseError[]): Statement | Comment | undefined {
  const start = skipBlanks(line, 0, line.length);
  const hash = commentStart(line, start);
  let comment: Comment | undefined;
  if (hash >= 0) {
    const text = line.slice(hash);
    comment = { text, body: text.slice(1).trim(), range: range(lineNo, hash, line.length) };
  }
  const end = trimEnd(line, hash >= 0 ? hash : line.length, start);
  if (start >= end) return comment;

  if (line[start] === '[') {
    const header = parseHeader(line, lineNo, start, end, errors);
    header.comment = comment;
    return header;
  }

  const nameEnd = readName(line, start, end);
  const name = span(line.slice(start, nameEnd), lineNo, start);
  const op = skipBlanks(line, nameEnd, end);

  if (line[op] === '=') {
    const vStart = skipBlanks(line, op + 1, end);
    const { value, quote } = parseValue(line, lineNo, vStart, end, errors);
    if (name.text === '') errors.push({ code: 'missing-name', message: "expected an attribute name before '='", range: range(lineNo, start, op + 1) });
    const stmt: Assignment = { kind: 'assign', name, value, quote, range: range(lineNo, start, end), line: lineNo, comment };
    return stmt;
  }
  if (line[op] === '-' && line[op + 1] === '>') {
    const tStart = skipBlanks(line, op + 2, end);
    const target = span(line.slice(tStart, end), lineNo, tStart);
    let normTarget: string | null = null;
    if (name.text === '') errors.push({ code: 'missing-name', message: "expected a link name before '->'", range: range(lineNo, start, op + 2) });
    if (target.text === '') {
      errors.push({ code: 'missing-target', message: "expected a link target after '->'", range: range(lineNo, op, op + 2) });
    } else if (/\s/.test(target.text)) {
      errors.push({ code: 'blank-in-path', message: 'a link target cannot contain blanks', range: target.range });
    } else {
      const r = resolvePath(target.text);
      if (r.ok && r.path !== '') normTarget = r.path;
      else errors.push({ code: 'bad-path', message: r.ok ? 'a link cannot point at the pci_ep root' : r.message, range: target.range });
    }
    const stmt: Link = { kind: 'link', name, target, normTarget, range: range(lineNo, start, end), line: lineNo, comment };
    return stmt;
  }
  if (name.text === 'unlink' || name.text === 'rmdir') {
    const argStart = op;
    const argText = line.slice(argStart, end);
    const keyword = name;
    if (name.text === 'unlink') {
      const arg = span(argText, lineNo, argStart);
      if (argText === '') errors.push({ code: 'missing-name', message: "'unlink' needs the name of the link to remove", range: keyword.range });
      else if (/\s/.test(argText)) errors.push({ code: 'blank-in-path', message: 'a link name cannot contain blanks', range: arg.range });
      const stmt: Unlink = { kind: 'unlink', keyword, name: arg, range: range(lineNo, start, end), line: lineNo, comment };
      return stmt;
    }
    const stmt: Rmdir = { kind: 'rmdir', keyword, range: range(lineNo, start, end), line: lineNo, comment };
    if (argText !== '') {
      stmt.target = span(argText, lineNo, argStart);
      if (/\s/.test(argText)) errors.push({ code: 'blank-in-path', message: 'a directory path cannot contain blanks', range: stmt.target.range });
    }
    return stmt;
  }
  errors.push({
    code: 'syntax',
    message: nameEnd === end
      ? `expected '${name.text} = VALUE', '${name.text} -> TARGET', '[section]', 'unlink NAME' or 'rmdir'`
      : `unexpected '${line.slice(op, end)}': expected '=' or '->' after '${name.text}'`,
    range: range(lineNo, start, end),
  });
  return comment;
}

/** One line's parse: what `parseLine` returned and the errors it reported (usually none). */
interface LineEntry {
  result: Statement | Comment | undefined;
  errors: ParseError[] | undefined;
}

/**
 * Each document's per-line parses, so the next version re-parses only the lines an edit changed
 * (the parse of a line depends on its text and its number alone). A WeakMap: the cache goes with
 * the document, and the AST stays plain data.
 */
const LINES = new WeakMap<Document, LineEntry[]>();

/**
 * A copy of `line` that does not hold on to the document text it was split from. V8 makes a
 * substring of 13 characters or more a view into its parent string, so a line (and every name
 * and value sliced from it) kept the whole text of the version it was parsed in alive. Lines are
 * reused across versions, so an edit on a new line each time kept one more full copy of the file:
 * 0.2 MB per edit at 10,000 lines, growing without end (test/unit/parse-incremental.test.ts,
 * "memory stays flat").
 * Concatenating and cutting again makes V8 flatten the line into a string of its own.
 */
function detach(line: string): string {
  return (' ' + line).slice(1);
}

function parseOne(line: string, lineNo: number, scratch: ParseError[]): LineEntry {
  if (line.includes('\0')) {
    const at = line.indexOf('\0');
    return { result: undefined, errors: [{ code: 'nul-byte', message: 'NUL byte in the file: the line is ignored', range: range(lineNo, at, at + 1) }] };
  }
  const result = parseLine(line, lineNo, scratch);
  return { result, errors: scratch.length ? scratch.splice(0) : undefined };
}

/**
 * Parses a document. With `previous` (an earlier version of the same file, parsed here), lines
 * equal to the previous version's at the same number, before and after the edited region, reuse
 * its nodes: nodes are never mutated after parsing, and a line's nodes depend only on its text
 * and number. Lines that moved (the edit added or removed lines) are parsed again, so positions
 * are always exact. The result is the same as a parse from scratch (test/unit/parse-incremental).
 */
export function parse(input: string, previous?: Document): Document {
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const lines = splitLines(text);
  const n = lines.length;
  const old = previous && LINES.get(previous);
  const oldLines = previous?.lines ?? [];
  // Reusable: [0, head) and, when the line count is unchanged, [tail, n).
  let head = 0;
  let tail = n;
  if (old) {
    const m = Math.min(n, oldLines.length);
    while (head < m && lines[head] === oldLines[head]) head++;
    if (oldLines.length === n) while (tail > head && lines[tail - 1] === oldLines[tail - 1]) tail--;
  }
  const entries: LineEntry[] = new Array(n);
  const scratch: ParseError[] = [];
  for (let i = 0; i < n; i++) {
    if (old && (i < head || i >= tail)) {
      entries[i] = old[i];
      // Keep the old string too (equal text): the new one from split dies young, while a
      // document's lines live until the next edit; a fresh copy of every line would be copied by
      // the next scavenges and promoted, for every edit of a large file.
      lines[i] = oldLines[i];
    } else {
      // A parse from scratch keeps its lines as views: the document holds that text anyway, and
      // the versions after it keep at most this one copy (copying every line cost a third of a
      // full parse). Lines parsed for a later version are copied.
      if (old) lines[i] = detach(lines[i]);
      entries[i] = parseOne(lines[i], i, scratch);
    }
  }

  const sections: Section[] = [];
  const statements: Statement[] = [];
  const comments: Comment[] = [];
  const errors: ParseError[] = [];
  let current: Section | undefined;
  /** Where the current section ends so far (its range is set when the next one starts). */
  let end: Position | undefined;
  const close = (): void => {
    if (current && end) current.range = { start: current.range.start, end };
  };
  for (let lineNo = 0; lineNo < n; lineNo++) {
    const { result, errors: lineErrors } = entries[lineNo];
    if (lineErrors) for (const e of lineErrors) errors.push(e);
    if (!result) continue;
    if (!('kind' in result)) {
      comments.push(result);
      if (current) end = result.range.end;
      continue;
    }
    const stmt = result;
    statements.push(stmt);
    const stmtEnd = stmt.comment ? stmt.comment.range.end : stmt.range.end;
    if (stmt.kind === 'section') {
      close();
      current = { header: stmt, body: [], range: { start: stmt.range.start, end: stmtEnd } };
      end = stmtEnd;
      sections.push(current);
      continue;
    }
    if (!current) {
      current = { body: [], range: { start: stmt.range.start, end: stmtEnd } };
      sections.push(current);
    }
    current.body.push(stmt as BodyStatement);
    end = stmtEnd;
  }
  close();
  const doc: Document = { text, lines, sections, statements, comments, errors };
  LINES.set(doc, entries);
  return doc;
}
