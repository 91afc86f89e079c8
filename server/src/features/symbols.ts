/**
 * Document outline: one symbol per section, in file order (a function re-entered later is a second
 * symbol with the same name), with its attributes, links and teardown operations as children.
 * Details carry what the emulation knows: a function's device name (`pci_epf_dma.0`) and what it
 * is linked to, a controller's compatible, a transfer's direction and size, a failing write's errno.
 */
import type { Assignment, BodyStatement, Range, Section } from '../language/ast';
import type { OpRecord } from '../emulator/configfs/replay';
import { IndexAllocator } from '../emulator/configfs/ida';
import type { FeatureContext } from './context';

export type DocSymbolKind = 'namespace' | 'module' | 'class' | 'object' | 'property' | 'event' | 'key' | 'function' | 'constant';

export interface DocSymbol {
  name: string;
  detail?: string;
  kind: DocSymbolKind;
  /** Whole extent (section: header to last statement or comment). */
  range: Range;
  /** What to reveal and highlight: the section path, the attribute or link name. */
  selectionRange: Range;
  children: DocSymbol[];
}

/** One mkdir … rmdir of a function directory, replayed from the operations. */
interface Lifetime {
  path: string;
  index: number;
  removedAt?: number;
  /** Link path → controller, for the links that bound the function and still stand. */
  links: Map<string, string>;
}

function lifetimes(ctx: FeatureContext): Map<number, Lifetime> {
  const byCreation = new Map<number, Lifetime>();
  const alive = new Map<string, Lifetime>();
  /** ida_alloc / ida_free like the replay (emulator/configfs/ida.ts; a hint search was quadratic). */
  const ida = new IndexAllocator();
  const stmtAt = new Map(ctx.doc.statements.map((s) => [s.line, s]));
  /** Controller-side links (controllers/X/name) → the function they bound. */
  const epcLinks = new Map<string, Lifetime>();
  for (const op of ctx.emulation.analysis.replay.ops) {
    if (op.result !== 'ok') continue;
    if (op.op === 'mkdir') {
      // ida_alloc: the lowest free index, like the replay (kernel-background A.1).
      const index = ida.alloc();
      const life: Lifetime = { path: op.path, index, links: new Map() };
      alive.set(op.path, life);
      byCreation.set(op.line, life);
    } else if (op.op === 'rmdir') {
      const life = alive.get(op.path);
      if (life) {
        life.removedAt = op.line;
        ida.free(life.index);
        alive.delete(op.path);
      }
    } else if (op.op === 'link') {
      const stmt = stmtAt.get(op.line);
      const target = stmt?.kind === 'link' ? stmt.normTarget : null;
      if (!target) continue;
      const parts = op.path.split('/');
      if (parts[0] === 'functions' && (parts[3] === 'primary' || parts[3] === 'secondary') && target.startsWith('controllers/')) {
        alive.get(parts.slice(0, 3).join('/'))?.links.set(op.path, target.slice('controllers/'.length));
      } else if (parts[0] === 'controllers' && parts.length === 3) {
        const life = alive.get(target);
        if (life) {
          life.links.set(op.path, parts[1]);
          epcLinks.set(op.path, life);
        }
      }
    } else if (op.op === 'unlink') {
      const parts = op.path.split('/');
      if (parts[0] === 'functions') alive.get(parts.slice(0, 3).join('/'))?.links.delete(op.path);
      else {
        epcLinks.get(op.path)?.links.delete(op.path);
        epcLinks.delete(op.path);
      }
    }
  }
  return byCreation;
}

function valueOf(section: Section, key: string): string | undefined {
  for (const s of section.body) if (s.kind === 'assign' && s.name.text === key) return s.value.text;
  return undefined;
}

function sourceOf(ctx: FeatureContext, r: Range): string {
  return ctx.doc.lines[r.start.line]?.slice(r.start.character, r.end.character) ?? '';
}

function failure(ops: Map<number, OpRecord>, line: number): string {
  const op = ops.get(line);
  return op && op.result !== 'ok' ? ` (${op.result})` : '';
}

function child(ctx: FeatureContext, stmt: BodyStatement, ops: Map<number, OpRecord>): DocSymbol {
  const range = stmt.range;
  switch (stmt.kind) {
    case 'assign':
      return { name: stmt.name.text || '=', detail: `${sourceOf(ctx, stmt.value.range)}${failure(ops, stmt.line)}`, kind: 'property', range, selectionRange: stmt.name.text ? stmt.name.range : range, children: [] };
    case 'link':
      return {
        name: `${stmt.name.text || '?'} → ${stmt.target.text || '?'}`, detail: failure(ops, stmt.line).trim() || undefined, kind: 'key', range,
        selectionRange: stmt.name.text ? stmt.name.range : range, children: [],
      };
    case 'unlink':
      return { name: `unlink ${stmt.name.text}`.trim(), detail: failure(ops, stmt.line).trim() || undefined, kind: 'function', range, selectionRange: stmt.keyword.range, children: [] };
    case 'rmdir':
      return { name: stmt.target ? `rmdir ${stmt.target.text}` : 'rmdir', detail: failure(ops, stmt.line).trim() || undefined, kind: 'function', range, selectionRange: stmt.keyword.range, children: [] };
  }
}

/** Last op per line wins (one statement, one configfs operation). */
function opsByLine(ctx: FeatureContext): Map<number, OpRecord> {
  const m = new Map<number, OpRecord>();
  for (const op of ctx.emulation.analysis.replay.ops) m.set(op.line, op);
  return m;
}

export function documentSymbols(ctx: FeatureContext): DocSymbol[] {
  const ops = opsByLine(ctx);
  const lives = lifetimes(ctx);
  /** Function path → the lifetime a section of it belongs to (the latest mkdir before it). */
  const current = new Map<string, Lifetime>();
  const controllers = ctx.emulation.analysis.platform.controllers;
  const out: DocSymbol[] = [];

  for (const section of ctx.doc.sections) {
    const children = section.body.map((s) => child(ctx, s, ops));
    const header = section.header;
    if (!header) {
      const first = section.body[0];
      out.push({ name: '(before the first section)', kind: 'module', range: section.range, selectionRange: first ? first.range : section.range, children });
      continue;
    }
    const norm = header.normPath;
    const name = norm ?? (header.path.text || '[]');
    const parts = norm ? norm.split('/') : [];
    let kind: DocSymbolKind = 'module';
    let detail: string | undefined;
    if (parts[0] === 'platform' && parts.length === 2) {
      kind = 'namespace';
      const compatible = section.body.find((s): s is Assignment => s.kind === 'assign' && s.name.text === 'compatible');
      detail = compatible ? compatible.value.text : `${controllers.get(parts[1])?.profile.compatible ?? 'snps,dw-pcie-ep'} (default)`;
    } else if (parts[0] === 'functions' && parts.length >= 3) {
      kind = 'class';
      const path = parts.slice(0, 3).join('/');
      const created = lives.get(header.line);
      if (created && parts.length === 3) current.set(path, created);
      const life = current.get(path);
      if (!life) detail = 'not created';
      else {
        const dev = `${parts[1]}.${life.index}`;
        const epcs = [...new Set(life.links.values())];
        detail = life.removedAt !== undefined ? `${dev} · removed (line ${life.removedAt + 1})`
          : epcs.length ? `${dev} → ${epcs.join(', ')}` : `${dev} · not linked`;
      }
    } else if (parts[0] === 'controllers' && parts.length === 2) {
      kind = 'object';
      const c = controllers.get(parts[1]);
      detail = c ? c.profile.compatible : `no [platform/${parts[1]}] section`;
    } else if (norm === 'host') {
      kind = 'module';
      detail = valueOf(section, 'driver');
    } else if (parts[0] === 'host' && parts[1] === 'transfer' && parts.length === 3) {
      kind = 'event';
      const dir = valueOf(section, 'direction');
      const ch = valueOf(section, 'channel');
      const size = valueOf(section, 'size');
      detail = [dir, ch !== undefined ? `ch${ch}` : undefined, size].filter((x) => x !== undefined).join(' ') || undefined;
    } else if (parts[0] === 'host' && parts[1] === 'fault' && parts.length === 3) {
      kind = 'constant';
      const what = valueOf(section, 'kind');
      const at = valueOf(section, 'at');
      detail = what !== undefined ? (at !== undefined ? `${what} @ ${at}` : what) : undefined;
    }
    out.push({ name, detail, kind, range: section.range, selectionRange: header.path.text ? header.path.range : header.range, children });
  }
  return out;
}
