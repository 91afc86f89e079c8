/**
 * The per-context line index every statement feature looks lines up in (hover, inlay hints):
 * which statement, section, operation, diagnostics, transfer and link stand on each line, and
 * the function number each link got, built in one pass and kept as long as the context lives.
 */
import type { Link, Section, Statement } from '../language/ast';
import type { Diagnostic } from '../language/diagnostics';
import { dirname, resolvePath } from '../language/paths';
import type { OpRecord } from '../emulator/configfs/replay';
import type { Interface } from '../emulator/configfs/state';
import type { TransferResult } from '../emulator/host/transfers';
import type { EmulationResult, FunctionResult } from '../emulator/views/result';
import type { FeatureContext } from './context';

/** What a `name -> target` line does, resolved once per context. */
export interface LinkFacts {
  line: number;
  /** `bind`: ln -s between a function interface and a controller; `vf`: a virtual function under a physical one. */
  kind: 'bind' | 'vf' | 'other';
  /** pci_ep-relative path of the link itself (OpRecord.path). */
  path: string;
  /** The function that gets bound (bind) or becomes a VF (vf). */
  fn?: string;
  /** For `vf`: the physical function. */
  pf?: string;
  epc?: string;
  iface?: Interface;
  /** Function number pci_epc_add_epf assigned when the link succeeded. */
  funcNo?: number;
  /** Line of the `unlink` that later removed it. */
  unlinkedAt?: number;
}

export interface FeatureIndex {
  /** Statement standing on each 0-based line (sparse). */
  statementAt: (Statement | undefined)[];
  /** Section each statement line belongs to (sparse). */
  sectionAt: (Section | undefined)[];
  opAt: Map<number, OpRecord>;
  diagnosticsAt: Map<number, Diagnostic[]>;
  transferAt: Map<number, TransferResult>;
  linkAt: Map<number, LinkFacts>;
  /** Every link attempt binding a function (by function path), in file order. */
  linksOf: Map<string, LinkFacts[]>;
  /** Lines of the successful mkdirs and rmdirs of each function path, in file order. */
  mkdirsOf: Map<string, number[]>;
  rmdirsOf: Map<string, number[]>;
}

const INDEX = new WeakMap<FeatureContext, FeatureIndex>();

function linkFacts(stmt: Link, dir: string | undefined): LinkFacts {
  const full = dir === undefined ? undefined : resolvePath(stmt.name.text, dir);
  const path = full?.ok ? full.path : stmt.name.text;
  const parts = dirname(path).split('/');
  const target = stmt.normTarget ?? '';
  const tparts = target.split('/');
  const facts: LinkFacts = { line: stmt.line, kind: 'other', path };
  if (parts[0] === 'controllers' && parts.length === 2) {
    Object.assign(facts, { kind: 'bind', epc: parts[1], iface: 'primary' });
    if (tparts[0] === 'functions' && tparts.length === 3) facts.fn = target;
  } else if (parts[0] === 'functions' && parts.length === 4 && (parts[3] === 'primary' || parts[3] === 'secondary')) {
    Object.assign(facts, { kind: 'bind', fn: parts.slice(0, 3).join('/'), iface: parts[3] });
    if (tparts[0] === 'controllers' && tparts.length === 2) facts.epc = tparts[1];
  } else if (parts[0] === 'functions' && parts.length === 3) {
    Object.assign(facts, { kind: 'vf', pf: parts.join('/') });
    if (tparts[0] === 'functions' && tparts.length === 3) facts.fn = target;
  }
  return facts;
}

/** Builds (once per context) the maps every feature looks lines up in: one pass over statements, ops, diagnostics. */
export function featureIndex(ctx: FeatureContext): FeatureIndex {
  const hit = INDEX.get(ctx);
  if (hit) return hit;
  const { doc } = ctx;
  const replay = ctx.emulation.analysis.replay;
  const ix: FeatureIndex = {
    statementAt: new Array<Statement | undefined>(doc.lines.length),
    sectionAt: new Array<Section | undefined>(doc.lines.length),
    opAt: new Map(),
    diagnosticsAt: new Map(),
    transferAt: new Map(),
    linkAt: new Map(),
    linksOf: new Map(),
    mkdirsOf: new Map(),
    rmdirsOf: new Map(),
  };
  for (const section of doc.sections) {
    if (section.header) {
      ix.statementAt[section.header.line] = section.header;
      ix.sectionAt[section.header.line] = section;
    }
    for (const stmt of section.body) {
      ix.statementAt[stmt.line] = stmt;
      ix.sectionAt[stmt.line] = section;
      if (stmt.kind === 'link') {
        const facts = linkFacts(stmt, replay.dirAt(stmt.line));
        ix.linkAt.set(stmt.line, facts);
        if (facts.kind === 'bind' && facts.fn) {
          const list = ix.linksOf.get(facts.fn);
          if (list) list.push(facts);
          else ix.linksOf.set(facts.fn, [facts]);
        }
      }
    }
  }
  for (const d of ctx.emulation.diagnostics) {
    const list = ix.diagnosticsAt.get(d.range.start.line);
    if (list) list.push(d);
    else ix.diagnosticsAt.set(d.range.start.line, [d]);
  }
  for (const t of ctx.emulation.system.transfers) ix.transferAt.set(t.line, t);
  // Function numbers: the replay keeps them only for links still in place at the end, so links
  // undone later get theirs by following epc->function_num_map through the successful ops
  // (lowest free bit on add, cleared on unlink; kernel-background A.4).
  const numMap = new Map<string, number>();
  const live = new Map<string, LinkFacts>();
  for (const op of replay.ops) {
    ix.opAt.set(op.line, op);
    if (op.result !== 'ok') continue;
    if (op.op === 'link') {
      const facts = ix.linkAt.get(op.line);
      if (facts?.kind !== 'bind' || !facts.epc) continue;
      const map = numMap.get(facts.epc) ?? 0;
      let n = 0;
      while (map & (1 << n)) n++;
      numMap.set(facts.epc, map | (1 << n));
      facts.funcNo = n;
      live.set(op.path, facts);
    } else if (op.op === 'unlink') {
      const facts = live.get(op.path);
      if (!facts?.epc || facts.funcNo === undefined) continue;
      numMap.set(facts.epc, (numMap.get(facts.epc) ?? 0) & ~(1 << facts.funcNo));
      facts.unlinkedAt = op.line;
      live.delete(op.path);
    } else if (op.op === 'mkdir' || op.op === 'rmdir') {
      const map = op.op === 'mkdir' ? ix.mkdirsOf : ix.rmdirsOf;
      const list = map.get(op.path);
      if (list) list.push(op.line);
      else map.set(op.path, [op.line]);
    }
  }
  // Links still in place: the replay's own record wins.
  for (const epf of replay.state.functions.values()) {
    for (const iface of ['primary', 'secondary'] as const) {
      const l = epf.links[iface];
      const facts = l ? ix.linkAt.get(l.origin.line) : undefined;
      const n = epf.funcNo[iface];
      if (facts && n !== undefined) facts.funcNo = n;
    }
  }
  INDEX.set(ctx, ix);
  return ix;
}

const BY_PATH = new WeakMap<EmulationResult, Map<string, FunctionResult>>();

/** The views' result for one function directory (CONTRACTS.md `functions[]`), by path. */
export function functionResultOf(ctx: FeatureContext, path: string): FunctionResult | undefined {
  const result = ctx.result();
  let map = BY_PATH.get(result);
  if (!map) {
    map = new Map(result.functions.map((f) => [f.path, f]));
    BY_PATH.set(result, map);
  }
  return map.get(path);
}

/** The normalised path of the section a line belongs to. */
export function sectionPath(ix: FeatureIndex, line: number): string | undefined {
  return ix.sectionAt[line]?.header?.normPath ?? undefined;
}
