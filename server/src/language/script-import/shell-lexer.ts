/**
 * The shell tokenizer of script-import.ts: splits one logical line into words (with their quoting
 * and the expansions they contain) and operators, like sh's tokenizer.
 */

function isBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

export type Part =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean; fallback?: Part[]; ifEmpty: boolean }
  | { kind: 'bad'; what: string };

export interface Word {
  parts: Part[];
  start: number;
  end: number;
}

export type Token =
  | { kind: 'word'; word: Word }
  | { kind: 'op'; op: string; fd: number | null; start: number; end: number };

export interface Lexed {
  tokens: Token[];
  comment?: string;
  error?: string;
}

const WORD_END = ';&|()<>';
const REDIRECT = /^(\d*)(>>|>\||>&|<<-|<<|<&|<>|&>|>|<)/;
const CONTROL = ['&&', '||', ';;', ';', '&', '|', '(', ')'];
const NAME = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]|[@*#?$!-])/;

export function isRedirect(op: string): boolean {
  return REDIRECT.test(op);
}

/** Splits one logical line into words (with their quoting) and operators, like sh's tokenizer. */
export class Lexer {
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
export function literal(word: Word): string | null {
  let text = '';
  for (const p of word.parts) {
    if (p.kind !== 'text') return null;
    text += p.text;
  }
  return text;
}
