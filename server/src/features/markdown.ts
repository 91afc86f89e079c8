/**
 * Small Markdown builders for hovers: escaping of user text (names come from the file), code
 * spans that survive backticks and table pipes, tables, and the size/address formats every
 * feature shows. Plain strings in, plain strings out.
 */
import { formatSize, hex } from '../language/units';

/** Punctuation that starts or ends inline markup anywhere in a line (links, emphasis, code, tables, strike). */
const INLINE_MARKUP = /[\\`*_[\]|~]/g;
/** What only means something at the start of a line: headings, list items, block quotes, setext rules. */
const LINE_START_MARKUP = /^(\s*)([#+\-=]|\d+(?=[.)]))/;

/**
 * User text as literal Markdown text: HTML-significant characters become entities (so a name
 * like `<script>` is shown, never interpreted) and Markdown punctuation is backslash-escaped.
 * Line breaks become spaces: a hover line never ends inside user text.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(INLINE_MARKUP, (c) => `\\${c}`)
    .replace(LINE_START_MARKUP, (_m, blank: string, mark: string) => (/\d/.test(mark) ? `${blank}${mark}\\` : `${blank}\\${mark}`));
}

/**
 * An inline code span holding `text` verbatim: the fence is one backtick longer than the longest
 * backtick run inside, padded with a space when the text starts or ends with a backtick or blank.
 * Inside a table cell a `|` would end the cell even within a code span (GFM), so `inTable`
 * escapes it; GFM removes that backslash before the span is read.
 */
export function code(text: string, inTable = false): string {
  let t = text.replace(/[\r\n]+/g, ' ');
  if (inTable) t = t.replace(/\|/g, '\\|');
  if (t === '') return '` `';
  let longest = 0;
  for (const run of t.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = /^[`\s]|[`\s]$/.test(t) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A fenced code block whose fence outlasts any backtick run in the text (log lines may hold user names). */
export function codeBlock(lines: readonly string[], lang = 'text'): string {
  let longest = 2;
  for (const l of lines) for (const run of l.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${lang}`, ...lines.map((l) => l.replace(/[\r\n]+/g, ' ')), fence].join('\n');
}

/** A GFM table; cells are Markdown already (use `code(x, true)` / `escapeMarkdown` for user text). */
export function table(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const sep = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  const line = (cells: readonly string[]) => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
  return [line(header), line(sep), ...rows.map(line)].join('\n');
}

/** `1 MiB (0x100000)`; `204 B (0xcc)`. */
export function sizeText(n: number | bigint): string {
  return `${formatSize(n)} (${hex(n)})`;
}

/** `0x0–0xcc` (end exclusive), the way memory-layout hovers show an offset range. */
export function rangeText(offset: number, size: number): string {
  return `${hex(offset)}–${hex(offset + size)}`;
}

/** A blank-line separated Markdown document from parts, skipping empty ones. */
export function join(parts: readonly (string | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join('\n\n');
}

/** 1-based line number as shown to users. */
export function lineRef(line: number): string {
  return `line ${line + 1}`;
}
