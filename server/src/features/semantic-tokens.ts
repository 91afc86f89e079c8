/**
 * Semantic tokens: the roles the TextMate grammar (syntaxes/pciep.tmLanguage.json) cannot know —
 * which header creates a function, which segment is a driver or a controller, which statement's
 * kernel operation fails (custom `errno` modifier, from the replay's operation results).
 *
 * Tokens are plain data, sorted by position, one line each; the server delta-encodes them.
 */
import type { Range, Statement } from '../language/ast';
import { isPlatformPath } from '../language/platform';
import { findDriver } from '../language/schema';
import { HOST_KEYS, hostSectionKind } from '../language/host-schema';
import type { FeatureContext } from './context';
import type { NameIndex, PathSegment } from './navigation';
import { buildIndex, walkPaths } from './navigation';

export const TOKEN_TYPES = [
  'namespace', 'type', 'class', 'variable', 'property', 'enumMember', 'number', 'string', 'keyword', 'operator', 'comment', 'function',
] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'deprecated', 'defaultLibrary', 'errno'] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export interface SemanticToken {
  line: number;
  char: number;
  length: number;
  /** Index into TOKEN_TYPES. */
  type: number;
  /** Bit set over TOKEN_MODIFIERS. */
  modifiers: number;
}

const MOD_BIT = new Map<string, number>(TOKEN_MODIFIERS.map((m, i) => [m, 1 << i]));

/** Index into TOKEN_TYPES per type, as constants: a token is made per name in the file. */
const T = Object.fromEntries(TOKEN_TYPES.map((t, i) => [t, i])) as Record<TokenType, number>;
const NAMESPACE = T.namespace, TYPE = T.type, CLASS = T.class, VARIABLE = T.variable, PROPERTY = T.property;
const ENUM_MEMBER = T.enumMember, NUMBER = T.number, STRING = T.string, KEYWORD = T.keyword, OPERATOR = T.operator;
const COMMENT = T.comment, FUNCTION = T.function;

export function modifierBits(mods: readonly TokenModifier[]): number {
  let bits = 0;
  for (const m of mods) bits |= MOD_BIT.get(m)!;
  return bits;
}

// The same value classes as the grammar's `value` patterns (whole value only).
const HEX = /^[-+]?0[xX][0-9a-fA-F](?:_?[0-9a-fA-F])*(?:[ \t]*(?:[kmgtKMGT](?:[iI]?[bB])?|[bB]))?$/;
const OCTAL = /^[-+]?0[0-9]+$/;
const DECIMAL = /^[-+]?[0-9](?:_?[0-9])*(?:[ \t]*(?:[kmgtKMGT](?:[iI]?[bB])?|[bB]))?$/;
const BOOL = /^(?:true|false|yes|no|on|off|y|n)$/i;

type SectionKind = 'configfs' | 'platform' | 'host' | 'unknown';

/** Tokens of one kind, in source order. `type` is an index into TOKEN_TYPES, `mods` a bit set over TOKEN_MODIFIERS (see MOD). */
class Builder {
  readonly out: SemanticToken[] = [];

  add(range: Range, type: number, mods = 0): void {
    if (range.start.line === range.end.line) this.at(range.start.line, range.start.character, range.end.character - range.start.character, type, mods);
  }

  at(line: number, char: number, length: number, type: number, mods = 0): void {
    if (length > 0) this.out.push({ line, char, length, type, modifiers: mods });
  }
}

/** Modifier bits, computed once (a token is made per name in the file). */
const MOD = {
  declaration: modifierBits(['declaration']), readonly: modifierBits(['readonly']),
  defaultLibrary: modifierBits(['defaultLibrary']), errno: modifierBits(['errno']),
};

/** A position as one number, for sets of positions: lines below 2^21, characters below 2^32. */
function positionKey(line: number, char: number): number {
  return line * 2 ** 32 + char;
}

function before(x: SemanticToken, y: SemanticToken): boolean {
  return x.line < y.line || (x.line === y.line && x.char < y.char);
}

/**
 * Merges three token lists that are each in position order into one, in position order; on a tie
 * the earlier list's token comes first (what a stable sort of their concatenation gives). Linear
 * and in one pass: a 50,000-line file has ~150,000 tokens, and sorting them was a third of the
 * request.
 */
function merge3(a: SemanticToken[], b: SemanticToken[], c: SemanticToken[]): SemanticToken[] {
  const out: SemanticToken[] = [];
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length || k < c.length) {
    let pick = i < a.length ? a[i] : undefined;
    let from = 0;
    if (j < b.length && (!pick || before(b[j], pick))) {
      pick = b[j];
      from = 1;
    }
    if (k < c.length && (!pick || before(c[k], pick))) {
      pick = c[k];
      from = 2;
    }
    out.push(pick!);
    if (from === 0) i++;
    else if (from === 1) j++;
    else k++;
  }
  return out;
}

function inOrder(tokens: SemanticToken[]): boolean {
  for (let i = 1; i < tokens.length; i++) if (before(tokens[i], tokens[i - 1])) return false;
  return true;
}

function segmentType(s: PathSegment): number {
  switch (s.role) {
    case 'namespace': return NAMESPACE;
    case 'driver': return TYPE;
    case 'function': return CLASS;
    case 'group': return NAMESPACE;
    case 'controller': return VARIABLE;
    case 'host-name': return FUNCTION;
    case 'child': return NAMESPACE;
  }
}

/** Line → the failing configfs operation's errno, from the replay. */
function failingLines(ctx: FeatureContext): Set<number> {
  const failing = new Set<number>();
  for (const op of ctx.emulation.analysis.replay.ops) if (op.result !== 'ok') failing.add(op.line);
  return failing;
}

/** The operator `op` written on `line` after character `from`, as a token. */
function operatorToken(b: Builder, ctx: FeatureContext, line: number, from: number, op: string): void {
  const at = (ctx.doc.lines[line] ?? '').indexOf(op, from);
  if (at >= 0) b.at(line, at, op.length, OPERATOR);
}

function valueToken(b: Builder, stmt: Statement & { kind: 'assign' }, section: SectionKind, sectionPath: string | null): void {
  const v = stmt.value;
  if (stmt.quote !== 'none') return b.add(v.range, STRING);
  const text = v.text;
  if (text === '') return;
  if (HEX.test(text) || OCTAL.test(text) || DECIMAL.test(text)) return b.add(v.range, NUMBER);
  if (section === 'host' && sectionPath) {
    const kind = hostSectionKind(sectionPath);
    const spec = kind ? HOST_KEYS[kind].find((k) => k.key === stmt.name.text) : undefined;
    if (spec?.value.kind === 'enum' && spec.value.values.includes(text)) return b.add(v.range, ENUM_MEMBER);
  }
  if (section === 'platform' && stmt.name.text === 'kernel' && (text === 'v3' || text === 'v4')) return b.add(v.range, ENUM_MEMBER);
  if (BOOL.test(text)) return b.add(v.range, ENUM_MEMBER);
  b.add(v.range, STRING);
}

/**
 * Tokens for the statements and comments on lines [first, last], sorted by position.
 * `index` lets a caller reuse the navigation index (declarations).
 */
function collect(ctx: FeatureContext, first: number, last: number, index: NameIndex): SemanticToken[] {
  const failing = failingLines(ctx);
  const errno = (line: number): number => (failing.has(line) ? MOD.errno : 0);
  const declarations = new Set<number>();
  for (const list of index.declarations.values()) for (const d of list) declarations.add(positionKey(d.line, d.range.start.character));
  const inRange = (line: number): boolean => line >= first && line <= last;

  // Paths: headers, configfs names, link and rmdir targets.
  const paths = new Builder();
  /** Lines whose statement name was tokenized as a path (the rest are keys of platform/host). */
  const pathNamed = new Uint8Array(ctx.doc.lines.length + 1);
  walkPaths(ctx.doc.statements, (stmt, part, segs) => {
    if (!inRange(stmt.line)) return;
    if (part === 'name') pathNamed[stmt.line] = 1;
    let lastWritten = segs.length - 1;
    while (lastWritten >= 0 && segs[lastWritten].range === null) lastWritten--;
    for (let i = 0; i <= lastWritten; i++) {
      const s = segs[i];
      const range = s.range;
      if (range === null) continue;
      const leaf = i === lastWritten;
      let mods = 0;
      let type = segmentType(s);
      if (part === 'name' && leaf) {
        type = stmt.kind === 'assign' ? PROPERTY : VARIABLE;
        mods |= errno(stmt.line);
      } else if (part === 'target' && leaf && stmt.kind === 'rmdir') {
        mods |= errno(stmt.line);
      }
      if ((s.role === 'function' || s.role === 'controller') && part === 'header' && declarations.has(positionKey(stmt.line, range.start.character))) mods |= MOD.declaration;
      if (s.role === 'host-name' && part === 'header') mods |= MOD.declaration;
      if (s.role === 'driver' && findDriver(s.text)) mods |= MOD.defaultLibrary;
      paths.add(range, type, mods);
    }
  });

  const b = new Builder();
  let section: SectionKind = 'configfs';
  let sectionPath: string | null = null;
  for (const stmt of ctx.doc.statements) {
    if (stmt.kind === 'section') {
      sectionPath = stmt.normPath;
      section = sectionPath === null ? 'unknown' : isPlatformPath(sectionPath) ? 'platform' : sectionPath === 'host' || sectionPath.startsWith('host/') ? 'host' : 'configfs';
    }
    if (!inRange(stmt.line)) continue;
    switch (stmt.kind) {
      case 'section':
        break;
      case 'assign': {
        if (!pathNamed[stmt.line]) b.add(stmt.name.range, PROPERTY, (section === 'platform' ? MOD.readonly : 0) | errno(stmt.line));
        operatorToken(b, ctx, stmt.line, stmt.name.range.end.character, '=');
        valueToken(b, stmt, section, sectionPath);
        break;
      }
      case 'link': {
        if (!pathNamed[stmt.line]) b.add(stmt.name.range, VARIABLE, errno(stmt.line));
        operatorToken(b, ctx, stmt.line, stmt.name.range.end.character, '->');
        break;
      }
      case 'unlink':
        b.add(stmt.keyword.range, KEYWORD);
        if (!pathNamed[stmt.line]) b.add(stmt.name.range, VARIABLE, errno(stmt.line));
        break;
      case 'rmdir':
        b.add(stmt.keyword.range, KEYWORD, stmt.target ? 0 : errno(stmt.line));
        break;
    }
    if (stmt.comment) b.add(stmt.comment.range, COMMENT);
  }
  const comments = new Builder();
  for (const c of ctx.doc.comments) if (inRange(c.range.start.line)) comments.add(c.range, COMMENT);

  // Each list is built in source order; a merge keeps the order without a sort. A malformed line
  // could still put one out of place: then sort (stable, so ties keep the same precedence).
  let out = merge3(paths.out, b.out, comments.out);
  if (!inOrder(out)) out = [...paths.out, ...b.out, ...comments.out].sort((x, y) => x.line - y.line || x.char - y.char);
  // Never emit overlapping tokens (a malformed line could yield two at one place).
  const result: SemanticToken[] = [];
  for (const t of out) {
    const prev = result[result.length - 1];
    if (prev && prev.line === t.line && prev.char + prev.length > t.char) continue;
    result.push(t);
  }
  return result;
}

export function semanticTokens(ctx: FeatureContext, index: NameIndex = buildIndex(ctx)): SemanticToken[] {
  return collect(ctx, 0, Number.MAX_SAFE_INTEGER, index);
}

/** Tokens that intersect `range` (whole lines are computed, partial ones filtered). */
export function semanticTokensRange(ctx: FeatureContext, range: Range, index: NameIndex = buildIndex(ctx)): SemanticToken[] {
  return collect(ctx, range.start.line, range.end.line, index).filter((t) => {
    if (t.line === range.start.line && t.char + t.length <= range.start.character) return false;
    if (t.line === range.end.line && t.char >= range.end.character) return false;
    return true;
  });
}
