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

const TYPE_INDEX = new Map<string, number>(TOKEN_TYPES.map((t, i) => [t, i]));
const MOD_BIT = new Map<string, number>(TOKEN_MODIFIERS.map((m, i) => [m, 1 << i]));

function typeIndex(t: TokenType): number {
  return TYPE_INDEX.get(t)!;
}

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

interface Builder {
  out: SemanticToken[];
  /** `mods`: a bit set over TOKEN_MODIFIERS (see MOD). */
  add(range: Range, type: TokenType, mods?: number): void;
}

function builder(): Builder {
  const out: SemanticToken[] = [];
  return {
    out,
    add(range, type, mods = 0) {
      const length = range.end.character - range.start.character;
      if (length <= 0 || range.start.line !== range.end.line) return;
      out.push({ line: range.start.line, char: range.start.character, length, type: typeIndex(type), modifiers: mods });
    },
  };
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
 * Merges token lists that are each in position order into one, in position order; on a tie the
 * earlier list's token comes first (what a stable sort of their concatenation gives). Linear: a
 * 50,000-line file has ~150,000 tokens, and sorting them was a third of the request.
 */
function mergeSorted(lists: SemanticToken[][]): SemanticToken[] {
  let merged: SemanticToken[] = [];
  for (const list of lists) {
    const out: SemanticToken[] = [];
    let i = 0;
    let j = 0;
    while (i < merged.length && j < list.length) out.push(before(list[j], merged[i]) ? list[j++] : merged[i++]);
    while (i < merged.length) out.push(merged[i++]);
    while (j < list.length) out.push(list[j++]);
    merged = out;
  }
  return merged;
}

function inOrder(tokens: SemanticToken[]): boolean {
  for (let i = 1; i < tokens.length; i++) if (before(tokens[i], tokens[i - 1])) return false;
  return true;
}

function segmentType(s: PathSegment): TokenType {
  switch (s.role) {
    case 'namespace': return 'namespace';
    case 'driver': return 'type';
    case 'function': return 'class';
    case 'group': return 'namespace';
    case 'controller': return 'variable';
    case 'host-name': return 'function';
    case 'child': return 'namespace';
  }
}

/** Line → the failing configfs operation's errno, from the replay. */
function failingLines(ctx: FeatureContext): Set<number> {
  const failing = new Set<number>();
  for (const op of ctx.emulation.analysis.replay.ops) if (op.result !== 'ok') failing.add(op.line);
  return failing;
}

function opRange(ctx: FeatureContext, line: number, from: number, op: string): Range | undefined {
  const text = ctx.doc.lines[line] ?? '';
  const at = text.indexOf(op, from);
  return at < 0 ? undefined : { start: { line, character: at }, end: { line, character: at + op.length } };
}

function valueToken(b: Builder, stmt: Statement & { kind: 'assign' }, section: SectionKind, sectionPath: string | null): void {
  const v = stmt.value;
  if (stmt.quote !== 'none') return b.add(v.range, 'string');
  const text = v.text;
  if (text === '') return;
  if (HEX.test(text) || OCTAL.test(text) || DECIMAL.test(text)) return b.add(v.range, 'number');
  if (section === 'host' && sectionPath) {
    const kind = hostSectionKind(sectionPath);
    const spec = kind ? HOST_KEYS[kind].find((k) => k.key === stmt.name.text) : undefined;
    if (spec?.value.kind === 'enum' && spec.value.values.includes(text)) return b.add(v.range, 'enumMember');
  }
  if (section === 'platform' && stmt.name.text === 'kernel' && (text === 'v3' || text === 'v4')) return b.add(v.range, 'enumMember');
  if (BOOL.test(text)) return b.add(v.range, 'enumMember');
  b.add(v.range, 'string');
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
  const paths = builder();
  /** Lines whose statement name was tokenized as a path (the rest are keys of platform/host). */
  const pathNamed = new Set<number>();
  walkPaths(ctx.doc.statements, (stmt, part, segs) => {
    if (!inRange(stmt.line)) return;
    if (part === 'name') pathNamed.add(stmt.line);
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
        type = stmt.kind === 'assign' ? 'property' : 'variable';
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

  const b = builder();
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
        if (!pathNamed.has(stmt.line)) b.add(stmt.name.range, 'property', (section === 'platform' ? MOD.readonly : 0) | errno(stmt.line));
        const eq = opRange(ctx, stmt.line, stmt.name.range.end.character, '=');
        if (eq) b.add(eq, 'operator');
        valueToken(b, stmt, section, sectionPath);
        break;
      }
      case 'link': {
        if (!pathNamed.has(stmt.line)) b.add(stmt.name.range, 'variable', errno(stmt.line));
        const arrow = opRange(ctx, stmt.line, stmt.name.range.end.character, '->');
        if (arrow) b.add(arrow, 'operator');
        break;
      }
      case 'unlink':
        b.add(stmt.keyword.range, 'keyword');
        if (!pathNamed.has(stmt.line)) b.add(stmt.name.range, 'variable', errno(stmt.line));
        break;
      case 'rmdir':
        b.add(stmt.keyword.range, 'keyword', stmt.target ? 0 : errno(stmt.line));
        break;
    }
    if (stmt.comment) b.add(stmt.comment.range, 'comment');
  }
  const comments = builder();
  for (const c of ctx.doc.comments) if (inRange(c.range.start.line)) comments.add(c.range, 'comment');

  // Each list is built in source order; a merge keeps the order without a sort. A malformed line
  // could still put one out of place: then sort (stable, so ties keep the same precedence).
  let out = mergeSorted([paths.out, b.out, comments.out]);
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
