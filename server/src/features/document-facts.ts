/**
 * Facts about a `.pciep` document that completion and quick fixes both need: the functions it
 * creates with the device index the kernel gives each, which section a line is in and the
 * directory it stands for, its link statements, the controller a function is linked to (and
 * where it is first bound), and which of its BARs are
 * still free.
 */
import type { Document, Link, Section, Statement } from '../language/ast';
import type { Controller } from '../language/platform';
import { basename, resolvePath } from '../language/paths';
import { findDriver } from '../language/schema';
import type { BarDesc, Profile } from '../language/profiles/types';
import { parseInt as kstrtoInt } from '../language/kstrto';
import { formatSize } from '../language/units';
import { isUsableBar } from '../emulator/epc/features';
import { IndexAllocator } from '../emulator/configfs/ida';
import type { FeatureContext } from './context';

/** A function directory seen in the file, with the device name the kernel gives it. */
export interface FunctionInfo {
  /** `functions/<driver>/<name>`. */
  path: string;
  driver: string;
  name: string;
  /** Global IDR index: the device (and the driver group) is `<driver>.<index>`. */
  index: number;
  /** Line of the creating section header. */
  line: number;
}

export function devNameOf(f: FunctionInfo): string {
  return `${f.driver}.${f.index}`;
}

/**
 * Every function the file creates, with the index the global IDR gave it (replayed from the mkdir
 * and rmdir operations: lowest free index first, freed on rmdir; kernel-background A.1). A
 * function removed and created again keeps its latest index.
 */
export function functionTable(ctx: FeatureContext): Map<string, FunctionInfo> {
  const out = new Map<string, FunctionInfo>();
  const live = new Map<string, number>();
  // ida_alloc / ida_free like the replay (emulator/configfs/ida.ts). Robustness
  // (docs/robustness.md): searching from 0 on every mkdir made completion in a file with 100,000
  // function sections take 140 s (quadratic).
  const ida = new IndexAllocator();
  for (const op of ctx.emulation.analysis.replay.ops) {
    if (op.result !== 'ok') continue;
    if (op.op === 'mkdir') {
      const index = ida.alloc();
      live.set(op.path, index);
      const [, driver, name] = op.path.split('/');
      out.set(op.path, { path: op.path, driver, name, index, line: op.line });
    } else if (op.op === 'rmdir') {
      const index = live.get(op.path);
      if (index !== undefined) {
        ida.free(index);
        live.delete(op.path);
      }
    }
  }
  return out;
}

/** The pci_ep-relative directory each section stands for ('' before the first header), or null. */
export function sectionDir(section: Section): string | null {
  if (!section.header) return '';
  return section.header.normPath;
}

/** The section whose lines include `line` (the last one starting at or before it). */
export function sectionAt(doc: Document, line: number): Section | undefined {
  const sections = doc.sections;
  let lo = 0;
  let hi = sections.length - 1;
  let found: Section | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sections[mid];
    const start = s.header ? s.header.line : s.range.start.line;
    if (start <= line) {
      found = s;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** A link statement with a resolved target, and the path of the link it makes (undefined when that does not resolve). */
export interface LinkFact {
  stmt: Link;
  /** The link's target relative to the pci_ep root. */
  target: string;
  /** `<section dir>/<name>`, the link itself. */
  path: string | undefined;
}

/** Every link statement of the file whose target resolves, in file order. */
export function* linkStatements(doc: Document): Generator<LinkFact> {
  for (const section of doc.sections) {
    const dir = sectionDir(section);
    if (dir === null) continue;
    for (const stmt of section.body) {
      if (stmt.kind !== 'link' || !stmt.normTarget) continue;
      const lp = resolvePath(stmt.name.text, dir);
      yield { stmt, target: stmt.normTarget, path: lp.ok ? lp.path : undefined };
    }
  }
}

/**
 * Each link binding the function `fnPath` to a controller, in file order: a link inside the
 * function to controllers/<epc>, or a link inside controllers/<epc> to the function.
 */
export function* bindingsOf(doc: Document, fnPath: string): Generator<{ epc: string; line: number }> {
  for (const { stmt, target, path } of linkStatements(doc)) {
    if (path === undefined) continue;
    if (path.startsWith(fnPath + '/') && target.startsWith('controllers/')) yield { epc: target.split('/')[1], line: stmt.line };
    else if (path.startsWith('controllers/') && target === fnPath) yield { epc: path.split('/')[1], line: stmt.line };
  }
}

/** Line of the first link binding the function `fnPath` to a controller, if any. */
export function firstBindLine(ctx: FeatureContext, fnPath: string): number | undefined {
  let first: number | undefined;
  for (const { line } of bindingsOf(ctx.doc, fnPath)) if (first === undefined || line < first) first = line;
  return first;
}

/** The controller a function is linked to anywhere in the file (or the only declared one). */
export function linkedController(ctx: FeatureContext, fnPath: string): Controller | undefined {
  const controllers = ctx.emulation.analysis.platform.controllers;
  for (const { epc } of bindingsOf(ctx.doc, fnPath)) {
    const c = controllers.get(epc);
    if (c) return c;
  }
  return controllers.size === 1 ? [...controllers.values()][0] : undefined;
}

/** Names of the BAR-index attributes of a driver's group (`metadata_bar`, `ctrl_bar`, …). */
export function barAttributes(driver: string): string[] {
  return (findDriver(driver)?.groupAttributes ?? []).filter((a) => a.name.endsWith('_bar')).map((a) => a.name);
}

/**
 * BARs chosen (0..5) by the other BAR attributes of the same function anywhere in the file,
 * the statement on `skipLine` excluded.
 */
export function barsChosenBySiblings(ctx: FeatureContext, fn: FunctionInfo, attr: string, skipLine: number): Set<number> {
  const siblings = new Set(barAttributes(fn.driver).filter((n) => n !== attr));
  const taken = new Set<number>();
  if (siblings.size === 0) return taken;
  for (const section of ctx.doc.sections) {
    const dir = sectionDir(section);
    if (dir === null || !(dir === fn.path || dir.startsWith(fn.path + '/'))) continue;
    for (const stmt of section.body) {
      if (stmt.kind !== 'assign' || stmt.line === skipLine) continue;
      const full = resolvePath(stmt.name.text, dir);
      if (!full.ok || !full.path.startsWith(fn.path + '/') || !siblings.has(basename(full.path))) continue;
      const r = kstrtoInt('s32', stmt.value.text + '\n');
      if (r.ok && r.value >= 0n && r.value <= 5n) taken.add(Number(r.value));
    }
  }
  return taken;
}

/**
 * BARs an endpoint function may still be given: usable types (not reserved, disabled or the upper
 * half of a 64-bit BAR; kernel-background C.2), holding no fixed controller resource (reserved
 * subregions such as RK3588 BAR4's eDMA registers; seed-series 6.2 step 3) and not `taken`.
 */
export function freeBars(profile: Profile, taken: ReadonlySet<number>): number[] {
  const bars = profile.features.bars;
  const out: number[] = [];
  for (let i = 0; i < 6; i++) {
    const d = bars[i];
    if (!isUsableBar(d) || (i > 0 && bars[i - 1].only64bit) || (d.rsvdRegions?.length ?? 0) > 0 || taken.has(i)) continue;
    if (i > 0 && taken.has(i - 1) && bars[i - 1].only64bit) continue;
    out.push(i);
  }
  return out;
}

export function describeBar(desc: BarDesc): string {
  const parts: string[] = [desc.type];
  if (desc.type === 'fixed' && desc.fixedSize !== undefined) parts.push(formatSize(desc.fixedSize));
  if (desc.only64bit) parts.push('64-bit only');
  return parts.join(', ');
}

/** Statements of a document by line (one statement per line). */
export function statementsByLine(doc: Document): Map<number, Statement> {
  return new Map(doc.statements.map((s) => [s.line, s]));
}
