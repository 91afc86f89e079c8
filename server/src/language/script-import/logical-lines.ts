/**
 * Logical lines of a shell script (script-import.ts): backslash continuations and quotes that
 * span physical lines are joined, as sh reads them.
 */

export interface LogicalLine {
  text: string;
  /** 0-based first and last physical line. */
  first: number;
  last: number;
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
export function readLogicalLine(lines: string[], first: number, failed: Set<string> = new Set()): LogicalLine {
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
