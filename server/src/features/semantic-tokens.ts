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
  add(range: Range, type: TokenType, mods?: readonly TokenModifier[]): void;
}

function builder(): Builder {
  const out: SemanticToken[] = [];
  return {
    out,
    add(range, type, mods = []) {
      const length = range.end.character - range.start.character;
      if (length <= 0 || range.start.line !== range.end.line) return;
      out.push({ line: range.start.line, char: range.start.character, length, type: typeIndex(type), modifiers: modifierBits(mods) });
    },
  };
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
  const b = builder();
  const failing = failingLines(ctx);
  const declarations = new Set<string>();
  for (const list of index.declarations.values()) for (const d of list) declarations.add(`${d.line}:${d.range.start.character}`);
  const inRange = (line: number): boolean => line >= first && line <= last;

  // Paths: headers, configfs names, link and rmdir targets.
  /** Lines whose statement name was tokenized as a path (the rest are keys of platform/host). */
  const pathNamed = new Set<number>();
  walkPaths(ctx.doc.statements, (stmt, part, segs) => {
    if (!inRange(stmt.line)) return;
    if (part === 'name') pathNamed.add(stmt.line);
    const written = segs.filter((s) => s.range !== null);
    written.forEach((s, i) => {
      const range = s.range!;
      const leaf = i === written.length - 1;
      const mods: TokenModifier[] = [];
      let type = segmentType(s);
      if (part === 'name' && leaf) {
        type = stmt.kind === 'assign' ? 'property' : 'variable';
        if (failing.has(stmt.line)) mods.push('errno');
      } else if (part === 'target' && leaf && stmt.kind === 'rmdir' && failing.has(stmt.line)) {
        mods.push('errno');
      }
      if ((s.role === 'function' || s.role === 'controller') && part === 'header' && declarations.has(`${stmt.line}:${range.start.character}`)) mods.push('declaration');
      if (s.role === 'host-name' && part === 'header') mods.push('declaration');
      if (s.role === 'driver' && findDriver(s.text)) mods.push('defaultLibrary');
      b.add(range, type, mods);
    });
  });

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
        if (!pathNamed.has(stmt.line)) {
          const mods: TokenModifier[] = section === 'platform' ? ['readonly'] : [];
          if (failing.has(stmt.line)) mods.push('errno');
          b.add(stmt.name.range, 'property', mods);
        }
        const eq = opRange(ctx, stmt.line, stmt.name.range.end.character, '=');
        if (eq) b.add(eq, 'operator');
        valueToken(b, stmt, section, sectionPath);
        break;
      }
      case 'link': {
        if (!pathNamed.has(stmt.line)) b.add(stmt.name.range, 'variable', failing.has(stmt.line) ? ['errno'] : []);
        const arrow = opRange(ctx, stmt.line, stmt.name.range.end.character, '->');
        if (arrow) b.add(arrow, 'operator');
        break;
      }
      case 'unlink':
        b.add(stmt.keyword.range, 'keyword');
        if (!pathNamed.has(stmt.line)) b.add(stmt.name.range, 'variable', failing.has(stmt.line) ? ['errno'] : []);
        break;
      case 'rmdir':
        b.add(stmt.keyword.range, 'keyword', failing.has(stmt.line) && !stmt.target ? ['errno'] : []);
        break;
    }
    if (stmt.comment) b.add(stmt.comment.range, 'comment');
  }
  for (const c of ctx.doc.comments) if (inRange(c.range.start.line)) b.add(c.range, 'comment');

  const out = b.out;
  out.sort((x, y) => x.line - y.line || x.char - y.char);
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
