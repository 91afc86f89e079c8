/**
 * Navigation over the names a `.pciep` file gives: function directories (`functions/<drv>/<name>`,
 * created by the mkdir of their first section) and controllers (`[platform/<epc>]`, mentioned as
 * `controllers/<epc>`). Go to definition, find references, rename, and document links all read one
 * index of every mention, built from the parse plus the replay's mkdir operations (DESIGN.md 2).
 *
 * Plain data in, plain data out: positions are LSP-shaped (0-based line, UTF-16 character), and
 * nothing here knows LSP (server/src/server.ts converts).
 */
import type { Position, Range, Span, Statement } from '../language/ast';
import { CONFIGFS_ROOT } from '../language/paths';
import { isPlatformPath } from '../language/platform';
import type { Edit, FeatureContext } from './context';
import { contains } from './context';

// ---- path segments ------------------------------------------------------------------------

/**
 * What one segment of a configfs path is:
 * - `namespace`: `functions`, `controllers`, `platform`, `host`, `transfer`/`fault` under host,
 *   `primary`/`secondary` under a function;
 * - `driver`: the `<drv>` of `functions/<drv>/…`;
 * - `function`: the `<name>` of `functions/<drv>/<name>`;
 * - `group`: the driver's own group `<drv>.<N>` inside a function;
 * - `controller`: the `<epc>` of `controllers/<epc>` or `platform/<epc>`;
 * - `host-name`: the `<name>` of `host/transfer/<name>` or `host/fault/<name>`;
 * - `child`: anything else (attribute files, link names, unknown directories).
 */
export type SegmentRole = 'namespace' | 'driver' | 'function' | 'group' | 'controller' | 'host-name' | 'child';

export interface PathSegment {
  text: string;
  /** Where the segment is written; null for segments inherited from the section's directory. */
  range: Range | null;
  role: SegmentRole;
  /** Entity the segment names: `fn:functions/<drv>/<name>`, `epc:<name>` or `drv:<drv>`. */
  key?: string;
}

const ROOT_PREFIX = CONFIGFS_ROOT;

function isHostPath(path: string): boolean {
  return path === 'host' || path.startsWith('host/');
}

function isGroupName(driver: string, name: string): boolean {
  if (name.length <= driver.length + 1 || !name.startsWith(driver) || name[driver.length] !== '.') return false;
  for (let i = driver.length + 1; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Gives segment `i` its role (see SegmentRole), from its position and the segments before it. */
function classifyAt(out: PathSegment[], i: number): void {
  const s = out[i];
  if (i === 0) {
    s.role = 'namespace';
    return;
  }
  const ns = out[0].text;
  if (ns === 'functions') {
    if (i === 1) {
      s.role = 'driver';
      s.key = `drv:${s.text}`;
    } else if (i === 2) {
      s.role = 'function';
      s.key = `fn:functions/${out[1].text}/${s.text}`;
    } else if (i === 3) {
      if (s.text === 'primary' || s.text === 'secondary') s.role = 'namespace';
      else if (isGroupName(out[1].text, s.text)) {
        s.role = 'group';
        s.key = out[2].key;
      }
    }
  } else if (ns === 'controllers' || ns === 'platform') {
    if (i === 1) {
      s.role = 'controller';
      s.key = `epc:${s.text}`;
    }
  } else if (ns === 'host') {
    if (i === 1 && (s.text === 'transfer' || s.text === 'fault')) s.role = 'namespace';
    else if (i === 2 && (out[1].text === 'transfer' || out[1].text === 'fault')) s.role = 'host-name';
  }
}

/** Gives each segment of a resolved path its role (see SegmentRole). */
function classify(segs: { text: string; range: Range | null }[]): PathSegment[] {
  const out: PathSegment[] = segs.map((s) => ({ text: s.text, range: s.range, role: 'child' as SegmentRole }));
  for (let i = 0; i < out.length; i++) classifyAt(out, i);
  return out;
}

/**
 * The classified segments of a section's directory, for the statements in its body: every
 * statement of a section resolves against the same directory, so it is split and classified once
 * (a 50,000-line file re-split it for each of ~45,000 statements). Callers only read segments.
 */
let lastBase: string | undefined;
let lastBaseSegments: readonly PathSegment[] = [];
function baseSegments(base: string): readonly PathSegment[] {
  if (base !== lastBase) {
    lastBaseSegments = classify(base.split('/').map((text) => ({ text, range: null })));
    lastBase = base;
  }
  return lastBaseSegments;
}

/** A relative path of one segment with nothing to resolve (`vendorid`, `ep`): the common case. */
function isSingleSegment(raw: string): boolean {
  return raw !== '' && raw !== '.' && raw !== '..' && raw.indexOf('/') < 0;
}

/**
 * Splits a path written in the file into the segments of its pci_ep-relative form, each with the
 * range it was written at. Mirrors resolvePath: the absolute prefix is dropped, `.`/`//` skipped,
 * `..` pops; a relative path starts from `base`. Null when the path cannot be resolved.
 */
export function pathSegments(span: Span, base: string): PathSegment[] | null {
  const raw = span.text;
  const line = span.range.start.line;
  const at = span.range.start.character;
  if (base !== '' && isSingleSegment(raw)) {
    const out: PathSegment[] = [...baseSegments(base), { text: raw, range: span.range, role: 'child' }];
    classifyAt(out, out.length - 1);
    return out;
  }
  let offset = 0;
  const stack: { text: string; range: Range | null }[] = [];
  if (raw.startsWith('/')) {
    if (raw !== ROOT_PREFIX && !raw.startsWith(ROOT_PREFIX + '/')) return null;
    offset = ROOT_PREFIX.length;
  } else if (base !== '') {
    for (const b of base.split('/')) stack.push({ text: b, range: null });
  }
  let i = offset;
  while (i <= raw.length) {
    let j = raw.indexOf('/', i);
    if (j < 0) j = raw.length;
    const part = raw.slice(i, j);
    if (part === '..') {
      if (stack.length === 0) return null;
      stack.pop();
    } else if (part !== '' && part !== '.') {
      stack.push({ text: part, range: { start: { line, character: at + i }, end: { line, character: at + j } } });
    }
    i = j + 1;
  }
  return classify(stack);
}

export type PathPart = 'header' | 'name' | 'target';

interface PathVisit {
  stmt: Statement;
  part: PathPart;
  segs: readonly PathSegment[];
}

/**
 * Every path of a parse, computed once: the name index, semantic tokens and document links each
 * walk them for the same version. Keyed by the statements array, which each parse makes anew.
 */
const VISITS = new WeakMap<readonly Statement[], PathVisit[]>();

/** The visits of one statement, and the directory it was resolved against. */
interface LineVisits {
  stmt: Statement;
  dir: string | null;
  visits: PathVisit[];
}

/**
 * The last computed parse's visits by line. An edit re-parses only the lines it touched and keeps
 * the other statement objects (parser.ts), so the next version reuses the visits of every
 * statement that is the same object in the same directory: splitting and classifying ~45,000
 * paths was a third of a semantic-tokens request on a 50,000-line file. One slot: with several
 * documents the cache only misses (and recomputes) when they alternate.
 */
let lastByLine: (LineVisits | undefined)[] = [];

function pathVisits(statements: readonly Statement[]): PathVisit[] {
  const cached = VISITS.get(statements);
  if (cached) return cached;
  const prior = lastByLine;
  const byLine: (LineVisits | undefined)[] = [];
  const out: PathVisit[] = [];
  // Directory body statements resolve against: '' before any header, null when not configfs.
  let dir: string | null = '';
  for (const stmt of statements) {
    const before = dir;
    if (stmt.kind === 'section') {
      const norm = stmt.normPath;
      dir = norm === null || isPlatformPath(norm) || isHostPath(norm) ? null : norm;
    }
    const p = prior[stmt.line];
    const line = p && p.stmt === stmt && p.dir === before ? p : { stmt, dir: before, visits: statementVisits(stmt, before) };
    byLine[stmt.line] = line;
    for (const v of line.visits) out.push(v);
  }
  lastByLine = byLine;
  VISITS.set(statements, out);
  return out;
}

/** The paths one statement writes, resolved against `dir` (its section's directory). */
function statementVisits(stmt: Statement, dir: string | null): PathVisit[] {
  const out: PathVisit[] = [];
  const visit = (part: PathPart, segs: PathSegment[] | null): void => {
    if (segs) out.push({ stmt, part, segs });
  };
  if (stmt.kind === 'section') {
    if (stmt.normPath !== null) visit('header', pathSegments(stmt.path, ''));
  } else if (stmt.kind === 'rmdir') {
    if (stmt.target && dir !== null) visit('target', pathSegments(stmt.target, dir));
  } else {
    if (dir !== null && stmt.name.text !== '') visit('name', pathSegments(stmt.name, dir));
    if (stmt.kind === 'link' && stmt.normTarget !== null) visit('target', pathSegments(stmt.target, ''));
  }
  return out;
}

/**
 * Calls `visit` for every configfs path the document writes, in source order: section headers,
 * the names of body statements (relative to their section's directory), link targets and rmdir
 * targets. Keys of platform and host sections are not paths and are not visited (their headers are).
 * The segments are shared between walks of the same parse: read them, never change them.
 */
export function walkPaths(
  statements: readonly Statement[],
  visit: (stmt: Statement, part: PathPart, segs: readonly PathSegment[]) => void,
): void {
  for (const v of pathVisits(statements)) visit(v.stmt, v.part, v.segs);
}

// ---- the index ------------------------------------------------------------------------------

/**
 * One mention of a named entity.
 * - `name`: the entity's own name segment (renamed with it);
 * - `driver`: the driver segment of a function path (never renamed here);
 * - `group`: the `<drv>.<N>` group inside a function (points at the function);
 * - `link`: a link's own name, or an `unlink` name, pointing at what the link targets.
 */
export interface Mention {
  key: string;
  role: 'name' | 'driver' | 'group' | 'link';
  range: Range;
  line: number;
  /** The creating header (first mention = mkdir) of a function, or the `[platform/X]` header. */
  declaration: boolean;
  /** Mentioned in a section header (`[...]`). */
  inHeader: boolean;
}

export interface NameIndex {
  /** Every mention, in source order. */
  mentions: Mention[];
  /** `name` mentions per entity key, in source order. */
  names: Map<string, Mention[]>;
  /** Declarations per entity key, in source order (a function removed and created again has several). */
  declarations: Map<string, Mention[]>;
  byLine: Map<number, Mention[]>;
}

function joinSegs(segs: readonly PathSegment[]): string {
  return segs.map((s) => s.text).join('/');
}

/** Entity a link target names: its last segment when that is a function or a controller. */
function targetKey(segs: readonly PathSegment[]): string | undefined {
  const last = segs[segs.length - 1];
  if (!last) return undefined;
  if ((last.role === 'function' && segs.length === 3) || (last.role === 'controller' && segs.length === 2 && segs[0].text === 'controllers')) return last.key;
  return undefined;
}

export function buildIndex(ctx: FeatureContext): NameIndex {
  const mkdirLines = new Set<number>();
  for (const op of ctx.emulation.analysis.replay.ops) if (op.op === 'mkdir') mkdirLines.add(op.line);

  const mentions: Mention[] = [];
  /** Full link path → entity its link points at (the latest link statement seen). */
  const links = new Map<string, string>();
  const declared = new Set<string>();
  /** First `[functions/<drv>/<name>]` header of each function, for functions never created by a mkdir. */
  const firstHeader = new Map<string, Mention>();

  const add = (key: string, role: Mention['role'], range: Range, stmt: Statement, declaration = false): Mention => {
    const m: Mention = { key, role, range, line: stmt.line, declaration, inHeader: stmt.kind === 'section' };
    mentions.push(m);
    return m;
  };

  walkPaths(ctx.doc.statements, (stmt, part, segs) => {
    let linkKey: string | undefined;
    if (stmt.kind === 'link' && part === 'name') {
      const t = stmt.normTarget === null ? null : pathSegments(stmt.target, '');
      linkKey = t ? targetKey(t) : undefined;
      if (linkKey) links.set(joinSegs(segs), linkKey);
    } else if (stmt.kind === 'unlink') {
      linkKey = links.get(joinSegs(segs));
    }
    segs.forEach((s, i) => {
      if (!s.range) return;
      const last = i === segs.length - 1;
      if (s.role === 'function' && s.key) {
        const decl = part === 'header' && last && mkdirLines.has(stmt.line);
        if (decl) declared.add(s.key);
        const m = add(s.key, 'name', s.range, stmt, decl);
        if (part === 'header' && last && segs.length === 3 && !firstHeader.has(s.key)) firstHeader.set(s.key, m);
      } else if (s.role === 'controller' && s.key) {
        const decl = part === 'header' && last && segs[0].text === 'platform' && !declared.has(s.key);
        if (decl) declared.add(s.key);
        add(s.key, 'name', s.range, stmt, decl);
      } else if (s.role === 'driver' && s.key) {
        add(s.key, 'driver', s.range, stmt);
      } else if (s.role === 'group' && s.key) {
        add(s.key, 'group', s.range, stmt);
      } else if (last && linkKey && (stmt.kind === 'link' || stmt.kind === 'unlink') && part === 'name') {
        add(linkKey, 'link', s.range, stmt);
      }
    });
  });

  // A function whose mkdir never ran (unknown driver…) is still "declared" by its first header.
  for (const [key, m] of firstHeader) if (!declared.has(key)) m.declaration = true;

  const names = new Map<string, Mention[]>();
  const declarations = new Map<string, Mention[]>();
  const byLine = new Map<number, Mention[]>();
  for (const m of mentions) {
    if (m.role === 'name') push(names, m.key, m);
    if (m.declaration) push(declarations, m.key, m);
    push(byLine, m.line, m);
  }
  return { mentions, names, declarations, byLine };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function mentionAt(index: NameIndex, pos: Position): Mention | undefined {
  return index.byLine.get(pos.line)?.find((m) => contains(m.range, pos));
}

/**
 * The declaration a mention on `line` refers to: for a function, the latest mkdir at or before the
 * line (a function removed and created again is a new directory), else its first one; for a
 * controller, its `[platform/X]` header.
 */
export function declarationFor(index: NameIndex, key: string, line: number): Mention | undefined {
  const decls = index.declarations.get(key);
  if (!decls || decls.length === 0) return undefined;
  // Binary search (declarations are in line order). Robustness (docs/robustness.md): the linear scan
  // made document links quadratic for a function re-created thousands of times (16 s at 100k lines).
  let lo = 0;
  let hi = decls.length - 1;
  let best: Mention | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (decls[mid].line <= line) {
      best = decls[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best ?? decls[0];
}

function displayName(key: string): string {
  return key.startsWith('fn:') ? key.slice(3) : key.startsWith('epc:') ? `controllers/${key.slice(4)}` : key.slice(4);
}

// ---- definition, references ---------------------------------------------------------------

/** Go to definition: the name segment in the header that created the function / described the controller. */
export function definition(ctx: FeatureContext, pos: Position, index: NameIndex = buildIndex(ctx)): Range[] {
  const m = mentionAt(index, pos);
  if (!m || m.role === 'driver') return [];
  const decl = declarationFor(index, m.key, m.line);
  return decl ? [decl.range] : [];
}

/** Every mention of the function or controller under the cursor (name segments only), in source order. */
export function references(ctx: FeatureContext, pos: Position, includeDeclaration: boolean, index: NameIndex = buildIndex(ctx)): Range[] {
  const m = mentionAt(index, pos);
  if (!m || m.role === 'driver') return [];
  return (index.names.get(m.key) ?? []).filter((r) => includeDeclaration || !r.declaration).map((r) => r.range);
}

// ---- rename -------------------------------------------------------------------------------

function refusal(m: Mention): string | undefined {
  if (m.role === 'driver') {
    const drv = m.key.slice(4);
    return `'${drv}' is the function's driver, not its name: a different driver is a different kind of function (configfs cannot rename across drivers). Rename the directory name after functions/${drv}/ instead, or change the driver by editing the path.`;
  }
  if (m.role === 'group') {
    return `this is the kernel's device name (<driver>.<index>), given by the order functions are created; it cannot be renamed. Rename the function's directory name in its [functions/…] header instead.`;
  }
  if (m.role === 'link') {
    return `this is the link's own name, not the ${m.key.startsWith('epc:') ? 'controller' : 'function'} it points at; rename ${displayName(m.key)} where it is written instead.`;
  }
  return undefined;
}

/**
 * Where a rename would apply and the current name, or undefined when the cursor is on nothing
 * renamable. A driver segment, a device group (`pci_epf_dma.0`) or a link's own name still answers
 * with its range, so that rename() runs and says why it refuses (see renameRefusal to say it
 * before the input box instead).
 */
export function prepareRename(ctx: FeatureContext, pos: Position, index: NameIndex = buildIndex(ctx)):
  { range: Range; placeholder: string } | undefined {
  const m = mentionAt(index, pos);
  if (!m) return undefined;
  const text = ctx.doc.lines[m.line]?.slice(m.range.start.character, m.range.end.character) ?? '';
  return { range: m.range, placeholder: m.role === 'name' ? nameOf(m.key) : text };
}

/** Why the name under the cursor cannot be renamed (driver, device group, link name), if so. */
export function renameRefusal(ctx: FeatureContext, pos: Position, index: NameIndex = buildIndex(ctx)): string | undefined {
  const m = mentionAt(index, pos);
  return m ? refusal(m) : undefined;
}

function nameOf(key: string): string {
  return key.startsWith('epc:') ? key.slice(4) : key.slice(key.lastIndexOf('/') + 1);
}

const BAD_NAME_CHARS = /[\s/#=[\]"'\\]/;

/** Why `name` cannot name a configfs directory written in a `.pciep` file, if it cannot. */
export function invalidName(name: string): string | undefined {
  if (name === '') return 'the name is empty';
  if (name === '.' || name === '..') return `'${name}' is not a directory name`;
  const bad = BAD_NAME_CHARS.exec(name);
  if (bad) {
    const ch = bad[0];
    if (ch === '/') return `'${name}' contains '/': a directory name is one path segment`;
    if (/\s/.test(ch)) return `'${name}' contains a blank: configfs paths in a .pciep file cannot`;
    return `'${name}' contains '${ch}', which the .pciep syntax would read as something else`;
  }
  if (name.includes('->')) return `'${name}' contains '->', which reads as a link`;
  return undefined;
}

/** Renames a function directory name or a controller name everywhere it is written. */
export function rename(ctx: FeatureContext, pos: Position, newName: string, index: NameIndex = buildIndex(ctx)):
  { edits: Edit[] } | { error: string } {
  const m = mentionAt(index, pos);
  if (!m) return { error: 'nothing to rename here: put the cursor on a function name (functions/<driver>/<name>) or a controller name' };
  const why = refusal(m);
  if (why) return { error: why };
  const oldName = nameOf(m.key);
  if (newName === oldName) return { edits: [] };
  const invalid = invalidName(newName);
  if (invalid) return { error: invalid };
  const newKey = m.key.startsWith('fn:') ? `${m.key.slice(0, m.key.lastIndexOf('/') + 1)}${newName}` : `epc:${newName}`;
  const clash = index.names.get(newKey);
  if (clash && clash.length > 0) {
    return { error: `${displayName(newKey)} already exists (line ${clash[0].line + 1}): pick another name` };
  }
  const edits = (index.names.get(m.key) ?? []).map((r) => ({ range: r.range, newText: newName }));
  return { edits };
}

// ---- document links ---------------------------------------------------------------------

export interface DocLink {
  range: Range;
  /** 0-based line of the defining header. */
  targetLine: number;
  tooltip: string;
}

/**
 * Link targets and re-entered section headers, linked to the header that defines what they name
 * (the function's mkdir, the controller's `[platform/X]`).
 */
export function documentLinks(ctx: FeatureContext, index: NameIndex = buildIndex(ctx)): DocLink[] {
  const out: DocLink[] = [];
  const linkTo = (range: Range, key: string, line: number): void => {
    const decl = declarationFor(index, key, line);
    if (!decl || decl.line === line) return;
    const what = key.startsWith('fn:') ? `the mkdir of ${displayName(key)}` : `[platform/${key.slice(4)}]`;
    out.push({ range, targetLine: decl.line, tooltip: `Go to ${what} (line ${decl.line + 1})` });
  };
  walkPaths(ctx.doc.statements, (stmt, part, segs) => {
    if (part === 'header' && stmt.kind === 'section') {
      const entity = segs.length > 1 && (segs[0].text === 'functions' || segs[0].text === 'controllers')
        ? segs.find((s) => (s.role === 'function' || s.role === 'controller') && s.key)
        : undefined;
      if (entity?.key) linkTo(stmt.path.range, entity.key, stmt.line);
    } else if (part === 'target' && stmt.kind === 'link') {
      const key = targetKey(segs);
      if (key) linkTo(stmt.target.range, key, stmt.line);
    }
  });
  return out;
}
