/**
 * Replays a `.pciep` document against the pci_ep configfs tree, statement by statement, the way
 * the shell script it stands for would run: mkdir on first mention of a function, attribute
 * stores, symlinks that bind functions to controllers, unlink, rmdir (kernel-background A).
 * Every operation gets the kernel's result (errno and log lines) at the statement's range; later
 * statements see the state earlier ones left, failures included.
 */
import type { Assignment, Document, Link, Range, Rmdir, Statement, Unlink } from '../../language/ast';
import type { Diagnostic, RelatedLocation } from '../../language/diagnostics';
import type { PlatformModel } from '../../language/platform';
import { isPlatformPath } from '../../language/platform';
import { type Entry, resolveEntry, resolvePath } from '../../language/paths';
import { findDriver } from '../../language/schema';
import type { AttributeSpec } from '../../language/schema/types';
import { describeErrno } from '../errno';
import { driverModel } from '../epf';
import type { BindEnv } from '../epf/types';
import type { ConfigfsState, EpcState, EpfState, Interface, Origin } from './state';
import { IndexAllocator } from './ida';
import { AttributeValues, devName, EP_DRAM_BASE } from './state';
import { newDwcBarState } from '../epc/set-bar';
import { statementFrames, type StepInfo } from '../system/steps';
import { storeAttribute } from './store';
import { CONTROLLER_BY_NAME, STANDARD_BY_NAME, defaultValues, groupAttribute } from './attribute-specs';
import { childDirectory, type Dir, findDirectory } from './directories';
import { explainMissing, explainUnknownAttribute, failureRelated, sectionFix } from './replay-explanations';

export type OpKind = 'mkdir' | 'write' | 'link' | 'unlink' | 'rmdir';

/** One configfs operation and the kernel's answer (CONTRACTS.md `operations`). */
export interface OpRecord {
  line: number;
  range: Range;
  op: OpKind;
  path: string;
  result: string;
  log: string[];
  /** For a successful `ln -s` that bound a physical function: the function number it got. */
  funcNo?: number;
}

/**
 * What the rest of the system does between configfs operations. The validator replays without
 * hooks; the emulator brings the link up and runs the host at `start = 1`, and quiesces delegated
 * channels before an unbind.
 */
export interface ReplayHooks {
  /** Called once with the live configfs state before the first statement runs. */
  attach?(state: ConfigfsState): void;
  /**
   * After `start = 1` succeeded (and any PERST#-driven epc_init ran). The returned steps (link up,
   * host, transfers…) run right after the statement, before the next one.
   */
  afterStart?(epc: EpcState, stmt: Assignment): Iterable<StepInfo> | void;
  /** After `start = 0`. */
  afterStop?(epc: EpcState, stmt: Assignment): void;
  /** Steps that happened as side effects of the last statement (e.g. a teardown's reclaim). */
  drain?(): readonly StepInfo[];
  /** Before a bound function is unbound (unlink), while its state is intact. */
  beforeUnbind?(epf: EpfState, epc: EpcState, iface: Interface, stmt: Unlink): void;
}

export interface ReplayResult {
  ops: OpRecord[];
  diagnostics: Diagnostic[];
  state: ConfigfsState;
  /** The configfs directory (pci_ep-relative) each body statement ran in, by 0-based line. */
  dirAt: (line: number) => string | undefined;
}

const HOST_PREFIX = 'host';
/** The log of an operation that logged nothing: shared, frozen so no caller can append to it. */
const NO_LOG: string[] = Object.freeze([]) as unknown as string[];
/** arm64 (every DWC endpoint SoC here): an unsigned long holds 64 bits. */
const BITS_PER_LONG = 64;

function isHostPath(path: string): boolean {
  return path === HOST_PREFIX || path.startsWith(HOST_PREFIX + '/');
}

/** A statement is its own origin (it has a range and a line); no copy needed. */
function origin(stmt: { range: Range; line: number }): Origin {
  return stmt;
}

class Replayer {
  readonly ops: OpRecord[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly dirByLine: (string | undefined)[] = [];
  readonly state: ConfigfsState = { functions: new Map(), controllers: new Map(), usedIndices: new Set() };

  constructor(platform: PlatformModel, private readonly hooks: ReplayHooks = {}) {
    hooks.attach?.(this.state);
    for (const c of platform.controllers.values()) {
      this.state.controllers.set(c.name, {
        name: c.name, controller: c, started: false, functionNums: new Set(), links: new Map(),
        // Controllers initialised at probe are ready before any link (kernel-background E.1).
        initComplete: c.profile.initAt === 'probe', delegated: new Map(), dwc: newDwcBarState(), dramNext: EP_DRAM_BASE,
      });
    }
  }

  // ---- directory lookup -------------------------------------------------------------------

  /**
   * Directories found so far. Only hits are kept: mkdir can only turn a miss into a hit, so the
   * cache needs clearing on rmdir alone.
   */
  private readonly dirCache = new Map<string, Dir>();
  /** The global EPF IDR (ida.ts: lowest free index in O(log n), robustness fix). */
  private readonly ida = new IndexAllocator();

  lookup(path: string): Dir | undefined {
    const hit = this.dirCache.get(path);
    if (hit) return hit;
    const d = findDirectory(this.state, path);
    if (d) this.dirCache.set(path, d);
    return d;
  }

  /**
   * The directory holding a statement's entry. For `sub/name` it is found from the section's own
   * directory (a cache hit) one level down, without building and hashing the parent's path: each
   * function's group directory (`pci_epf_test.0/`) is named once per section, so a cache keyed by
   * path would miss every time (the same answer as lookup(full.parent): findDirectory walks the
   * same childDirectory steps).
   */
  private parentDir(dir: string, full: Entry): Dir | undefined {
    if (full.sub === undefined) return this.lookup(full.parent);
    const base = this.lookup(dir);
    return base && childDirectory(this.state, base, full.sub);
  }

  // ---- reporting ------------------------------------------------------------------------

  record(stmt: { range: Range; line: number }, op: OpKind, path: string, result: string, log: string[] = NO_LOG): OpRecord {
    const rec: OpRecord = { line: stmt.line, range: stmt.range, op, path, result, log };
    this.ops.push(rec);
    return rec;
  }

  error(range: Range, code: string, message: string, extra: Partial<Diagnostic> = {}): void {
    this.diagnostics.push({ range, severity: 'error', code, message, ...extra });
  }

  warn(range: Range, code: string, message: string, extra: Partial<Diagnostic> = {}): void {
    this.diagnostics.push({ range, severity: 'warning', code, message, ...extra });
  }

  failOp(stmt: { range: Range; line: number }, op: OpKind, path: string, errno: string, code: string, message: string,
    extra: Partial<Diagnostic> = {}, log: string[] = NO_LOG): void {
    this.record(stmt, op, path, errno, log);
    this.error(stmt.range, code, `${describeErrno(errno)}: ${message}`, { errno, log: log.length ? log : undefined, ...extra });
  }

  // ---- statements -----------------------------------------------------------------------

  /** Steps a hook asked to run after the current statement (the bring-up after `start = 1`). */
  private deferred: Iterable<StepInfo>[] = [];
  /** Virtual time of the statements, set by the emulator's clock when one is attached. */
  now: () => number = () => 0;

  run(doc: Document): void {
    for (const step of this.steps(doc, false)) void step;
  }

  private statementStep(stmt: Statement, dir: string): StepInfo {
    const path = stmt.kind === 'section' ? stmt.normPath ?? '' : resolvePath(stmt.kind === 'rmdir' ? stmt.target?.text ?? '' : stmt.name.text, dir);
    const target = typeof path === 'string' ? path : path.ok ? path.path : dir;
    const driver = target.startsWith('functions/') ? target.split('/')[1] : undefined;
    const op = stmt.kind === 'section' ? (this.state.functions.has(target) || !target.startsWith('functions/') ? 'cd' : 'mkdir')
      : stmt.kind === 'assign' ? 'write' : stmt.kind;
    const text = stmt.kind === 'section' ? `${op === 'mkdir' ? 'mkdir' : 'cd'} ${target}`
      : stmt.kind === 'assign' ? `echo ${stmt.value.text} > ${target}`
        : stmt.kind === 'link' ? `ln -s ${stmt.target.text} ${target}`
          : stmt.kind === 'unlink' ? `rm ${target}` : `rmdir ${target}`;
    const isLinkToFunction = stmt.kind === 'link' && stmt.normTarget?.startsWith('functions/');
    const linkDriver = stmt.kind === 'link' ? (isLinkToFunction ? stmt.normTarget!.split('/')[1] : driver) : driver;
    return { kind: 'statement', side: 'ep', phase: 'configfs', line: stmt.line, frames: statementFrames(op, target, linkDriver), text, t: this.now() };
  }

  /**
   * The replay as steps: a StepInfo before each configfs statement (when `describe`), then any
   * side-effect and deferred bring-up steps. Without `describe` nobody reads statement steps (the
   * whole run is drained at once): none are built or yielded, which keeps a plain analysis free of
   * a generator round trip and an object per statement.
   */
  *steps(doc: Document, describe = true): Generator<StepInfo> {
    const drain = this.hooks.drain;
    let dir: string | null = null;
    for (const section of doc.sections) {
      const header = section.header;
      if (header) {
        if (describe && header.normPath && !isPlatformPath(header.normPath) && !isHostPath(header.normPath)) yield this.statementStep(header, '');
        dir = this.enter(header.normPath, header);
      } else {
        dir = '';
      }
      if (dir === null) continue;
      for (const stmt of section.body) {
        this.dirByLine[stmt.line] = dir;
        if (describe) yield this.statementStep(stmt, dir);
        if (stmt.kind === 'assign') this.write(dir, stmt);
        else if (stmt.kind === 'link') this.link(dir, stmt);
        else if (stmt.kind === 'unlink') this.unlink(dir, stmt);
        else this.rmdir(dir, stmt);
        if (drain) {
          const side = drain();
          if (side.length) yield* side;
        }
        while (this.deferred.length) yield* this.deferred.shift()!;
      }
    }
  }

  /** Enters a section; returns the configfs directory, or null when the section is not configfs or failed. */
  enter(path: string | null, header: Statement & { kind: 'section' }): string | null {
    if (path === null || isPlatformPath(path) || isHostPath(path)) return null;
    const parts = path.split('/');
    if (parts[0] === 'functions' && parts.length === 3 && findDriver(parts[1])) {
      if (!this.state.functions.has(path)) this.mkdir(path, header);
      const epf = this.state.functions.get(path);
      if (!epf) return null;
      // The section's body looks its directory up by this very string: cache it now.
      this.dirCache.set(path, { kind: 'function', epf });
      return path;
    }
    if (this.lookup(path)) return path;
    this.error(header.path.range, 'no-such-directory', `${describeErrno('ENOENT')}: ${explainMissing(this.state, path)}`, { errno: 'ENOENT', fix: sectionFix(this.state, header, path), ref: 'kernel-background A.1' });
    return null;
  }

  mkdir(path: string, header: Statement & { kind: 'section' }): void {
    const [, driver, name] = path.split('/');
    const values = new AttributeValues(defaultValues(driver));
    // ida_alloc hands out the lowest free index (kernel-background A.1).
    const index = this.ida.alloc();
    this.state.usedIndices.add(index);
    this.state.functions.set(path, {
      path, driver, name, index, created: origin(header), values, writes: new Map(), links: {}, funcNo: {},
      bound: false, initialised: false,
    });
    this.record(header, 'mkdir', path, 'ok');
  }

  attributeFor(d: Dir, name: string): AttributeSpec | undefined {
    if (d.kind === 'function') return STANDARD_BY_NAME.get(name);
    if (d.kind === 'group') return groupAttribute(d.epf.driver, name);
    if (d.kind === 'controller') return CONTROLLER_BY_NAME.get(name);
    return undefined;
  }

  write(dir: string, stmt: Assignment): void {
    const full = resolveEntry(stmt.name.text, dir);
    if (!full.ok) return this.error(stmt.name.range, 'bad-path', full.message);
    const { path, parent, name } = full;
    const d = this.parentDir(dir, full);
    if (!d) return this.failOp(stmt, 'write', path, 'ENOENT', 'no-such-directory', explainMissing(this.state, parent), { ref: 'kernel-background A.1' });
    const isDir = (d.kind === 'function' && (name === 'primary' || name === 'secondary' || (name.includes('.') && name === devName(d.epf))))
      || d.kind === 'root' || d.kind === 'functions' || d.kind === 'controllers' || d.kind === 'driver';
    if (isDir && this.lookup(path)) return this.failOp(stmt, 'write', path, 'EISDIR', 'write-to-directory', `${name} is a directory, not an attribute`);
    const spec = this.attributeFor(d, name);
    if (!spec) {
      const { message, fix } = explainUnknownAttribute(stmt, d, path, name);
      // configfs directories have no create op: the shell's open(O_CREAT) fails with EACCES.
      return this.failOp(stmt, 'write', path, 'EACCES', 'unknown-attribute', message, { fix, ref: 'kernel-background A.1' });
    }
    const epf = d.kind === 'function' || d.kind === 'group' ? d.epf : undefined;
    const result = storeAttribute(spec, stmt.value.text, {
      bound: !!epf && (epf.links.primary !== undefined || epf.links.secondary !== undefined),
      siblings: epf?.values,
    });
    if (!result.ok) {
      const log = result.log && epf ? [`${epf.driver} ${devName(epf)}: ${result.log}`] : [];
      const related: RelatedLocation[] = [];
      const link = epf && (epf.links.primary ?? epf.links.secondary);
      if (result.check === 'unbound' && link) related.push({ range: link.origin.range, message: 'the function was linked here' });
      return this.failOp(stmt, 'write', path, result.errno, 'write-failed', result.reason, { ref: spec.ref, related: related.length ? related : undefined }, log);
    }
    if (d.kind === 'controller') return this.writeStart(stmt, d.epc, path, result.value === true);
    epf!.values.set(name, result.value);
    epf!.writes.set(name, origin(stmt));
    this.record(stmt, 'write', path, 'ok');
    // Header values reach the hardware only at epc_init (pci_epc_write_header; A.2).
    if (d.kind === 'function' && epf!.initialised) {
      const link = epf!.links.primary ?? epf!.links.secondary;
      this.warn(stmt.range, 'write-after-init',
        `${name} is stored, but the controller was already programmed at epc_init: the new value takes effect only after the next epc_init`,
        { ref: 'kernel-background A.2', related: link ? [{ range: link.origin.range, message: 'epc_init ran when this link bound the function' }] : undefined });
    }
  }

  writeStart(stmt: Assignment, epc: EpcState, path: string, start: boolean): void {
    const log: string[] = [];
    if (start) {
      epc.started = true;
      epc.startOrigin = origin(stmt);
      this.record(stmt, 'write', path, 'ok', log);
      if (epc.links.size === 0 && !this.anyLinked(epc)) {
        this.warn(stmt.range, 'start-before-link',
          `start = 1 while no function is bound to ${epc.name}: the link comes up but the host finds nothing useful; start after the links succeed`,
          { ref: 'kernel-background A.3' });
      }
      this.perstInit(epc);
      const more = this.hooks.afterStart?.(epc, stmt);
      if (more) this.deferred.push(more);
    } else {
      epc.started = false;
      this.record(stmt, 'write', path, 'ok', log);
      this.hooks.afterStop?.(epc, stmt);
    }
  }

  anyLinked(epc: EpcState): boolean {
    for (const f of this.state.functions.values()) {
      if (f.links.primary?.epc === epc.name || f.links.secondary?.epc === epc.name) return true;
    }
    return false;
  }

  // ---- links --------------------------------------------------------------------------

  link(dir: string, stmt: Link): void {
    const full = resolveEntry(stmt.name.text, dir);
    if (!full.ok) return this.error(stmt.name.range, 'bad-path', full.message);
    const { path, parent, name: linkName } = full;
    const d = this.parentDir(dir, full);
    if (!d) return this.failOp(stmt, 'link', path, 'ENOENT', 'no-such-directory', explainMissing(this.state, parent));
    if (stmt.normTarget === null) return;
    const target = this.lookup(stmt.normTarget);
    if (!target) return this.failOp(stmt, 'link', path, 'ENOENT', 'dangling-link', `link target ${stmt.normTarget} does not exist: ${explainMissing(this.state, stmt.normTarget)}`, { ref: 'kernel-background A.4' });
    if (this.linkExists(d, linkName)) return this.failOp(stmt, 'link', path, 'EEXIST', 'duplicate-link', `${path} already exists`);
    if (d.kind === 'controller') {
      if (target.kind !== 'function') return this.failOp(stmt, 'link', path, 'EINVAL', 'bad-link-target', `a controller directory links to a function (functions/<driver>/<name>), not ${stmt.normTarget}`);
      return this.bindLink(stmt, path, target.epf, d.epc, 'primary', linkName, parent);
    }
    if (d.kind === 'iface') {
      if (target.kind !== 'controller') return this.failOp(stmt, 'link', path, 'EINVAL', 'bad-link-target', `${d.iface}/ links to a controller (controllers/<name>), not ${stmt.normTarget}`);
      return this.bindLink(stmt, path, d.epf, target.epc, d.iface, linkName, parent);
    }
    if (d.kind === 'function') {
      if (target.kind !== 'function') return this.failOp(stmt, 'link', path, 'EINVAL', 'bad-link-target', `a function directory links to a virtual function (functions/<driver>/<name>), not ${stmt.normTarget}`);
      return this.vfLink(stmt, path, d.epf, target.epf, linkName);
    }
    // Only controllers/<epc>/, primary/, secondary/ and function directories have allow_link.
    this.failOp(stmt, 'link', path, 'EPERM', 'link-not-allowed', `${parent || 'pci_ep/'} does not accept symlinks`);
  }

  linkExists(d: Dir, name: string): boolean {
    if (d.kind === 'controller') return d.epc.links.has(name);
    if (d.kind === 'iface') {
      const l = d.epf.links[d.iface];
      return l?.linkName === name && l.dir === `${d.epf.path}/${d.iface}`;
    }
    if (d.kind === 'function') return d.epf.vfs?.has(name) === true;
    return false;
  }

  env(epf: EpfState, epc: EpcState, iface: Interface, funcNo: number, vfuncNo: number): BindEnv {
    return {
      epf, epc, controller: epc.controller, iface, funcNo, vfuncNo, state: this.state,
      value: (n) => epf.values.get(n),
    };
  }

  /** pci_epc_add_epf + pci_epf_bind (+ pending epc_init) for `ln -s` (kernel-background A.4). */
  bindLink(stmt: Link, path: string, epf: EpfState, epc: EpcState, iface: Interface, linkName: string, dir: string): void {
    const pfx = `pci_epc ${epc.name}`;
    if (epf.pf) return this.failOp(stmt, 'link', path, 'EINVAL', 'link-failed', `${devName(epf)} is a virtual function of ${epf.pf.path}; only physical functions link to a controller`, { ref: 'kernel-background A.4', related: [{ range: epf.pf.origin.range, message: 'made a virtual function here' }] });
    const existing = epf.links[iface];
    if (existing) {
      return this.failOp(stmt, 'link', path, 'EBUSY', 'link-failed', `the ${iface} interface of ${devName(epf)} is already linked to ${existing.epc}`,
        { ref: 'kernel-background A.4', related: [{ range: existing.origin.range, message: 'linked here' }] });
    }
    let funcNo = 0;
    while (epc.functionNums.has(funcNo)) funcNo++;
    // find_first_zero_bit over one unsigned long: no function number beyond BITS_PER_LONG - 1 (A.4).
    if (funcNo >= BITS_PER_LONG) {
      return this.failOp(stmt, 'link', path, 'EINVAL', 'max-functions', `${epc.name} has no free function number (the map is one ${BITS_PER_LONG}-bit word)`, { ref: 'kernel-background A.4' });
    }
    const max = epc.controller.profile.maxFunctions;
    if (funcNo > max - 1) {
      const others = [...this.state.functions.values()].filter((f) => f.links.primary?.epc === epc.name || f.links.secondary?.epc === epc.name);
      return this.failOp(stmt, 'link', path, 'EINVAL', 'max-functions',
        `${epc.name} supports ${max} function(s) (max-functions) and function number ${funcNo} would be needed`,
        {
          ref: 'kernel-background A.4; seed-series 7 E13',
          related: [
            ...others.map((f) => ({ range: (f.links.primary ?? f.links.secondary)!.origin.range, message: `${devName(f)} took function ${f.funcNo.primary ?? f.funcNo.secondary}` })),
            { range: (epc.controller.keys.get('max-functions') ?? epc.controller.header).range, message: `max-functions = ${max}` },
          ],
        },
        [`${pfx}: Exceeding max supported Function Number`]);
    }
    epc.functionNums.add(funcNo);
    epf.links[iface] = { epc: epc.name, linkName, dir, origin: origin(stmt) };
    epf.funcNo[iface] = funcNo;
    const undoAdd = () => {
      epc.functionNums.delete(funcNo);
      delete epf.links[iface];
      delete epf.funcNo[iface];
    };
    // VFs are bound with their PF; DWC has no max_vfs (kernel-background A.4).
    for (const vfPath of epf.vfs?.values() ?? []) {
      const vf = this.state.functions.get(vfPath)!;
      const maxVfs = epc.controller.profile.maxVfs;
      const vno = vf.pf!.vfuncNo;
      if (!maxVfs) {
        undoAdd();
        return this.failOp(stmt, 'link', path, 'EINVAL', 'bind-failed', `${epc.name} has no virtual-function support (DWC endpoints do not populate max_vfs)`,
          { ref: 'kernel-background A.4', related: [{ range: vf.pf!.origin.range, message: `${devName(vf)} linked as VF ${vno} here` }] },
          [`${pfx}: No support for virt function`]);
      }
      if (vno > (maxVfs[funcNo] ?? 0)) {
        undoAdd();
        return this.failOp(stmt, 'link', path, 'EINVAL', 'bind-failed', `PF${funcNo} supports ${maxVfs[funcNo] ?? 0} virtual functions, VF ${vno} exceeds it`,
          { ref: 'kernel-background A.4', related: [{ range: vf.pf!.origin.range, message: `${devName(vf)} linked here` }] },
          [`${pfx}: PF${funcNo}: Exceeds max vfunc number`]);
      }
    }
    const model = driverModel(epf.driver);
    const env = this.env(epf, epc, iface, funcNo, 0);
    const failure = model?.bind(env);
    if (failure) {
      undoAdd();
      return this.failOp(stmt, 'link', path, failure.errno, 'bind-failed', `bind of ${devName(epf)} failed: ${failure.message}`,
        { ref: failure.ref, related: failureRelated(epf, epc.controller, failure) }, failure.log);
    }
    const ready = epf.driver !== 'pci_epf_ntb' || (epf.links.primary && epf.links.secondary);
    epf.bound = !!ready;
    if (dir.startsWith('controllers/')) epc.links.set(linkName, epf.path);
    this.record(stmt, 'link', path, 'ok').funcNo = funcNo;
    if (epc.started) {
      this.warn(stmt.range, 'link-after-start', `${epc.name} was started before this link: the host may already have enumerated the endpoint without this function`,
        { ref: 'kernel-background A.3', related: epc.startOrigin ? [{ range: epc.startOrigin.range, message: 'started here' }] : undefined });
    }
    if (epf.bound && epc.initComplete) this.epcInit(stmt, epf, epc, iface, funcNo, 'when the link bound it');
  }

  /** epc_init event: its failure does not fail the `ln -s`, it is only logged (A.4, seed-series 6.4). */
  epcInit(stmt: { range: Range }, epf: EpfState, epc: EpcState, iface: Interface, funcNo: number, when: string): void {
    const model = driverModel(epf.driver);
    const failure = model?.epcInit(this.env(epf, epc, iface, funcNo, 0));
    if (failure) {
      this.error(stmt.range, 'epc-init-failed',
        `${describeErrno(failure.errno)}: ${devName(epf)} is bound but its epc_init (${when}) failed: ${failure.message}; ln -s itself succeeds and the function stays unusable`,
        { errno: failure.errno, log: failure.log, ref: failure.ref, related: failureRelated(epf, epc.controller, failure) });
      const last = this.ops[this.ops.length - 1];
      if (last && last.range === stmt.range) last.log = [...last.log, ...failure.log];
      return;
    }
    epf.initialised = true;
  }

  /**
   * Controllers whose core is initialised on PERST# deassert (Qualcomm, Tegra) run epc_init for
   * their bound functions once started: the host powers the link and releases PERST# (E.1).
   */
  perstInit(epc: EpcState): void {
    if (epc.initComplete) return;
    epc.initComplete = true;
    for (const epf of this.state.functions.values()) {
      for (const iface of ['primary', 'secondary'] as const) {
        const l = epf.links[iface];
        if (l?.epc === epc.name && epf.bound) this.epcInit(l.origin, epf, epc, iface, epf.funcNo[iface] ?? 0, 'at PERST# deassert, after start');
      }
    }
  }

  vfLink(stmt: Link, path: string, pf: EpfState, vf: EpfState, linkName: string): void {
    // pci_epf_add_vepf (kernel-background A.4).
    if (pf.links.primary || pf.links.secondary || vf.links.primary || vf.links.secondary || vf.pf) {
      return this.failOp(stmt, 'link', path, 'EBUSY', 'link-failed',
        vf.pf ? `${devName(vf)} is already a virtual function of ${vf.pf.path}` : 'virtual functions must be linked before either function is linked to a controller',
        { ref: 'kernel-background A.4' });
    }
    let vfuncNo = 1;
    const used = new Set([...pf.vfs?.values() ?? []].map((p) => this.state.functions.get(p)!.pf!.vfuncNo));
    while (used.has(vfuncNo)) vfuncNo++;
    if (vfuncNo >= 64) return this.failOp(stmt, 'link', path, 'EINVAL', 'link-failed', 'no free virtual function number');
    (pf.vfs ??= new Map()).set(linkName, vf.path);
    vf.pf = { path: pf.path, vfuncNo, linkName, origin: origin(stmt) };
    this.record(stmt, 'link', path, 'ok');
  }

  // ---- teardown -----------------------------------------------------------------------

  unbind(epf: EpfState, iface: Interface): void {
    const l = epf.links[iface];
    if (!l) return;
    const epc = this.state.controllers.get(l.epc)!;
    const funcNo = epf.funcNo[iface] ?? 0;
    if (epf.bound) driverModel(epf.driver)?.unbind(this.env(epf, epc, iface, funcNo, 0));
    epc.functionNums.delete(funcNo);
    delete epf.links[iface];
    delete epf.funcNo[iface];
    epf.bound = false;
    epf.initialised = false;
  }

  unlink(dir: string, stmt: Unlink): void {
    const full = resolveEntry(stmt.name.text, dir);
    if (!full.ok) return this.error(stmt.name.range, 'bad-path', full.message);
    const { path, name } = full;
    const d = this.parentDir(dir, full);
    let epf: EpfState | undefined;
    let iface: Interface = 'primary';
    let epc: EpcState | undefined;
    if (d?.kind === 'controller' && d.epc.links.has(name)) {
      epf = this.state.functions.get(d.epc.links.get(name)!);
      epc = d.epc;
      d.epc.links.delete(name);
    } else if (d?.kind === 'iface' && d.epf.links[d.iface]?.linkName === name) {
      epf = d.epf;
      iface = d.iface;
      epc = this.state.controllers.get(d.epf.links[d.iface]!.epc);
    } else if (d?.kind === 'function' && d.epf.vfs?.has(name)) {
      const vf = this.state.functions.get(d.epf.vfs.get(name)!)!;
      d.epf.vfs.delete(name);
      delete vf.pf;
      this.record(stmt, 'unlink', path, 'ok');
      return;
    } else {
      return this.failOp(stmt, 'unlink', path, 'ENOENT', 'no-such-link', `there is no link ${path}`);
    }
    const log: string[] = [];
    if (epc?.started) {
      // pci_epc_epf_unlink WARNs when the controller is started (kernel-background A.3).
      log.push('WARNING: drivers/pci/endpoint/pci-ep-cfs.c: pci_epc_epf_unlink: unlinking a function while the controller is started');
      this.warn(stmt.range, 'unlink-while-started', `${epc.name} is started: the kernel WARNs and pulls the function from under a live link; write start = 0 first`,
        { ref: 'kernel-background A.3', log, related: epc.startOrigin ? [{ range: epc.startOrigin.range, message: 'started here' }] : undefined });
    }
    if (epf && epc && epf.bound) this.hooks.beforeUnbind?.(epf, epc, iface, stmt);
    if (epf) this.unbind(epf, iface);
    this.record(stmt, 'unlink', path, 'ok', log);
  }

  rmdir(dir: string, stmt: Rmdir): void {
    const full = stmt.target ? resolvePath(stmt.target.text, dir) : { ok: true as const, path: dir, absolute: false };
    if (!full.ok) return this.error(stmt.target!.range, 'bad-path', full.message);
    const path = full.path;
    const d = this.lookup(path);
    if (!d) return this.failOp(stmt, 'rmdir', path, 'ENOENT', 'no-such-directory', explainMissing(this.state, path));
    if (d.kind !== 'function') {
      // Default groups (controllers/, functions/<driver>/, primary/, the driver group) cannot be removed.
      return this.failOp(stmt, 'rmdir', path, 'EPERM', 'rmdir-failed', `${path || 'pci_ep/'} is created by the kernel and cannot be removed`);
    }
    const epf = d.epf;
    const inside = (['primary', 'secondary'] as const).filter((i) => epf.links[i]?.dir.endsWith(`/${i}`));
    if (inside.length || epf.vfs?.size) {
      return this.failOp(stmt, 'rmdir', path, 'ENOTEMPTY', 'rmdir-failed', `${path} still holds links (${[...inside.map((i) => `${i}/${epf.links[i]!.linkName}`), ...epf.vfs?.keys() ?? []].join(', ')}): unlink them first`);
    }
    const from = (['primary', 'secondary'] as const).map((i) => epf.links[i]).find((l) => l !== undefined);
    if (from || epf.pf) {
      // configfs holds a reference per symlink to the item; the sheets do not give the errno,
      // EBUSY is the emulator's choice (docs/language.md, "unsure").
      const where = from ? `${from.dir}/${from.linkName}` : `${epf.pf!.path}/${epf.pf!.linkName}`;
      return this.failOp(stmt, 'rmdir', path, 'EBUSY', 'rmdir-failed', `${path} is still the target of ${where}: unlink it first (errno chosen by the emulator)`);
    }
    this.state.functions.delete(path);
    this.state.usedIndices.delete(epf.index);
    this.ida.free(epf.index);
    this.dirCache.clear();
    this.record(stmt, 'rmdir', path, 'ok');
  }
}

function resultOf(r: Replayer): ReplayResult {
  return { ops: r.ops, diagnostics: r.diagnostics, state: r.state, dirAt: (line) => r.dirByLine[line] };
}

export function replay(doc: Document, platform: PlatformModel, hooks?: ReplayHooks): ReplayResult {
  const r = new Replayer(platform, hooks);
  r.run(doc);
  return resultOf(r);
}

/**
 * The replay one step at a time: `steps` yields before each statement and bring-up phase;
 * `result` is the live replay state (complete once `steps` is exhausted).
 */
export function replaySteps(doc: Document, platform: PlatformModel, hooks?: ReplayHooks, now?: () => number, describe = true): { steps: Generator<StepInfo>; result: ReplayResult } {
  const r = new Replayer(platform, hooks);
  if (now) r.now = now;
  return { steps: r.steps(doc, describe), result: resultOf(r) };
}
