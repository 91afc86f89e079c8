/**
 * The shell command grammar of script-import.ts: list items (`;`, `&&`, `||`) of pipelines of
 * simple commands with their redirections, built from the tokens of one logical line.
 */
import { type Token, type Word, isRedirect, literal } from './shell-lexer';

export interface Redirect {
  fd: number;
  op: string;
  target: Word | null;
}

export interface Command {
  words: Word[];
  redirects: Redirect[];
}

/** A pipeline between list separators (`;`, `&&`, `||`), with its source span. */
export interface Item {
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
export function parseItems(tokens: Token[]): Item[] {
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

export const OPENERS = new Set(['if', 'for', 'while', 'until', 'case', '{']);
export const CLOSERS = new Set(['fi', 'done', 'esac', '}']);
export const KEYWORDS = new Set([...OPENERS, ...CLOSERS, 'then', 'else', 'elif', 'do', 'function', '!', '[[', 'select']);

/** `name() …`: a shell function definition. */
export function isFunctionDefinition(tokens: Token[]): boolean {
  return tokens.some((t, k) => {
    const next = tokens[k + 1];
    return t.kind === 'op' && t.op === '(' && next?.kind === 'op' && next.op === ')';
  });
}

export function commandName(item: Item): string | null {
  const first = item.commands[0]?.words[0];
  return first ? literal(first) : null;
}

/** `NAME` when the word is an assignment `NAME=…` (the name unquoted, as sh requires). */
export function assignmentName(w: Word): string | null {
  const first = w.parts[0];
  if (!first || first.kind !== 'text' || first.quoted) return null;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
  return m ? m[1] : null;
}
