/**
 * The debugger's runtime: it loads a .pciep file, drives the emulator one step at a time, keeps
 * breakpoints, and goes back in time. It knows nothing of DAP (vscode-anchors 3.1, the
 * vscode-mock-debug split): it is driven by method calls and reports through events.
 *
 * Positions. The emulator yields a StepInfo before each step runs (emulateSteps). The runtime
 * holds a live emulation with `done` steps executed and the next one pending; the debugger shows
 * that pending step ("before"), or, right after a step failed, the failed step itself ("after",
 * exception stops). A position is encoded as 2·done ("before done") or 2·k+1 ("after k").
 * Going back is a replay: the emulator is deterministic, so the state at step k is a fresh
 * emulation advanced k steps, plus the user's memory/register edits made at or before k
 * (vscode-anchors 3.5: snapshots are step indices).
 *
 * Events: 'stopped' (StopEvent), 'output' (OutputLine), 'end', 'threads' (the set changed).
 */
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { Diagnostic } from '../language/diagnostics';
import type { PlatformOptions } from '../language/platform';
import { emulateSteps, type SteppedEmulation } from '../emulator/emulate';
import type { StepInfo } from '../emulator/system/steps';
import { stamp } from '../emulator/system/clock';
import { evaluate, truthy } from './evaluate';
import { writeMemory } from './memory';
import type { DebugState } from './model';
import { CHANNEL_ABORTED, DiagTracker, depthOf, dryRun, KernelListing, runSliced, threadOf, type DryRun } from './steps';

export interface LaunchConfig {
  program: string;
  /** The file's text when the caller already has it (inline adapter, virtual workspaces); else read from `program`. */
  programText?: string;
  stopOnEntry?: boolean;
  kernel?: string;
  platform?: string;
  stopOnKernelError?: boolean;
}

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'function breakpoint' | 'exception' | 'pause' | 'goto';

export interface StopEvent {
  reason: StopReason;
  threadId: number;
  description?: string;
  text?: string;
  hitBreakpointIds?: number[];
}

export interface OutputLine {
  text: string;
  category: 'stdout' | 'stderr' | 'console';
  line?: number;
}

export interface LineBreakpoint {
  id: number;
  /** Requested 0-based line; `line` is where it was verified (the next line holding a step). */
  requested: number;
  line: number;
  verified: boolean;
  condition?: string;
  hitCondition?: string;
  hits: number;
  message?: string;
}

export interface FunctionBreakpoint {
  id: number;
  name: string;
  verified: boolean;
  condition?: string;
  hitCondition?: string;
  hits: number;
}

export type ExceptionFilter = 'kernel-error' | 'bind-failure' | 'delegation-failure' | 'host-probe-failure' | 'dma-abort';

export const EXCEPTION_FILTERS: readonly { filter: ExceptionFilter; label: string; description: string }[] = [
  { filter: 'kernel-error', label: 'Kernel errors', description: 'A step makes the kernel fail an operation (any errno).' },
  { filter: 'bind-failure', label: 'Bind failures', description: 'ln -s fails: bind, max-functions or link errors.' },
  { filter: 'delegation-failure', label: 'DMA channel delegation failures', description: 'Bind fails while delegating DMA channels.' },
  { filter: 'host-probe-failure', label: 'Host probe failures', description: 'dw-edma-pcie fails to probe the endpoint.' },
  { filter: 'dma-abort', label: 'DMA aborts', description: 'A transfer aborts or a DMA channel stops with ABORT.' },
];

function matches(filter: ExceptionFilter, d: Diagnostic): boolean {
  switch (filter) {
    case 'kernel-error': return d.errno !== undefined;
    case 'bind-failure': return d.code === 'bind-failed' || d.code === 'max-functions' || d.code === 'link-failed';
    case 'delegation-failure': return d.code === 'bind-failed' && /delegat/i.test(d.message);
    case 'host-probe-failure': return d.code === 'host-probe-failed';
    case 'dma-abort': return d.code === 'transfer-aborted' || d.code === CHANNEL_ABORTED;
  }
}

type Mode = 'continue' | 'next' | 'stepIn' | 'stepOut';

type Edit = { done: number; kind: 'memory'; ref: string; offset: number; bytes: Buffer } | { done: number; kind: 'register'; epc: string; offset: number; value: number };

/** One emulation run from step 0, with what the debugger tracks alongside it. */
class Live {
  readonly emu: SteppedEmulation;
  readonly tracker: DiagTracker;
  /** seen[j] = step j as yielded; seen[done] is the pending step. */
  readonly seen: StepInfo[] = [];
  /** The nearest defined line before step j (for "entering a line" breakpoints). */
  readonly lineBefore: (number | undefined)[] = [];
  /** Diagnostics each executed step produced. */
  readonly stepDiags: Diagnostic[][] = [];
  done = 0;
  pending: StepInfo | undefined;
  traceSeen = 0;
  opsSeen = 0;
  private lastLine: number | undefined;

  constructor(text: string, opts: PlatformOptions) {
    this.emu = emulateSteps(text, opts);
    this.tracker = new DiagTracker(this.emu);
    this.take(this.emu.steps.next());
    this.tracker.collect();
  }

  private take(r: IteratorResult<StepInfo>): void {
    this.pending = r.done ? undefined : r.value;
    if (!this.pending) return;
    this.lineBefore.push(this.lastLine);
    this.seen.push(this.pending);
    if (this.pending.line !== undefined) this.lastLine = this.pending.line;
  }

  /** Runs the pending step; returns its diagnostics. */
  advance(): Diagnostic[] {
    const k = this.done;
    this.take(this.emu.steps.next());
    this.done++;
    const d = this.tracker.collect(this.seen[k]);
    this.stepDiags[k] = d;
    return d;
  }
}

export class PciepRuntime extends EventEmitter {
  private config: LaunchConfig | undefined;
  private text = '';
  private opts: PlatformOptions = {};
  private dry: DryRun | undefined;
  private live: Live | undefined;
  private view: 'before' | 'after' = 'before';
  private edits: Edit[] = [];
  private running = false;
  private pauseRequested = false;
  /** Bumped to cancel whatever loop is in flight (terminate, restart). */
  private generation = 0;
  private nextId = 1;
  private lineBps: LineBreakpoint[] = [];
  private fnBps: FunctionBreakpoint[] = [];
  private filters = new Set<ExceptionFilter>();
  /** Whether the client ever set exception filters (then `stopOnKernelError` no longer overrides them). */
  private filtersSet = false;
  private lastException: Diagnostic[] = [];
  readonly kernel = new KernelListing();

  // ---- lifecycle -------------------------------------------------------------------------------------------

  /** Reads the file and dry-runs it (breakpoint lines, which step fails how). */
  async load(config: LaunchConfig): Promise<void> {
    this.config = config;
    this.generation++;
    this.running = false;
    this.pauseRequested = false;
    this.lastException = [];
    const gen = this.generation;
    this.text = config.programText ?? await readFile(config.program, 'utf8');
    const kernel = config.kernel === 'v3' || config.kernel === 'v4' ? config.kernel : undefined;
    this.opts = { ...(kernel ? { defaultKernel: kernel } : {}), ...(config.platform ? { defaultCompatible: config.platform } : {}) };
    const dry = await dryRun(this.text, this.opts, () => gen !== this.generation);
    if (gen !== this.generation) throw new Error('the launch was cancelled (terminated or restarted while loading)');
    this.dry = dry;
    for (const s of this.dry.steps) this.kernel.add(s);
    this.live = new Live(this.text, this.opts);
    this.view = 'before';
    this.edits = [];
    for (const bp of this.lineBps) this.verifyLine(bp);
    for (const bp of this.fnBps) bp.verified = this.dry.functions.has(bp.name);
    for (const bp of [...this.lineBps, ...this.fnBps]) bp.hits = 0;
    if (config.stopOnKernelError && !this.filtersSet) this.filters.add('kernel-error');
  }

  /** Starts the run: stop on entry, or run to the first breakpoint. */
  start(stopOnEntry: boolean): void {
    const live = this.live!;
    const name = this.config?.program.replace(/^.*[\\/]/, '') ?? '';
    this.emit('output', { text: `pciep: emulating ${name}: ${this.dry?.steps.length ?? 0} steps; kernel log below (EP = endpoint, HOST = root complex)`, category: 'console' } satisfies OutputLine);
    if (!live.pending) return void this.emit('end');
    if (stopOnEntry) return this.stop({ reason: 'entry' });
    const bp = this.breakpointAt(live);
    if (bp) return this.stop(bp);
    this.resume('continue');
  }

  /** Cancels whatever runs, without an `end` event (disconnect). */
  dispose(): void {
    this.generation++;
    this.running = false;
  }

  terminate(): void {
    this.generation++;
    this.running = false;
    this.emit('end');
  }

  get isRunning(): boolean {
    return this.running;
  }

  get launchConfig(): LaunchConfig | undefined {
    return this.config;
  }

  // ---- breakpoints ----------------------------------------------------------------------------------------

  private verifyLine(bp: LineBreakpoint): void {
    const lines = this.dry?.lines ?? [];
    const at = lines.find((l) => l >= bp.requested);
    bp.verified = at !== undefined;
    bp.line = at ?? bp.requested;
    bp.message = at === undefined ? 'no step of the bring-up runs at or after this line' : undefined;
  }

  setLineBreakpoints(specs: { line: number; condition?: string; hitCondition?: string }[]): LineBreakpoint[] {
    this.lineBps = specs.map((s) => {
      const bp: LineBreakpoint = { id: this.nextId++, requested: s.line, line: s.line, verified: false, condition: s.condition, hitCondition: s.hitCondition, hits: 0 };
      if (this.dry) this.verifyLine(bp);
      return bp;
    });
    return this.lineBps;
  }

  setFunctionBreakpoints(specs: { name: string; condition?: string; hitCondition?: string }[]): FunctionBreakpoint[] {
    this.fnBps = specs.map((s) => ({ id: this.nextId++, name: s.name.trim(), verified: this.dry ? this.dry.functions.has(s.name.trim()) : true, condition: s.condition, hitCondition: s.hitCondition, hits: 0 }));
    return this.fnBps;
  }

  setExceptionFilters(filters: string[]): void {
    this.filtersSet = true;
    this.filters = new Set(filters.filter((f): f is ExceptionFilter => EXCEPTION_FILTERS.some((x) => x.filter === f)));
  }

  /** Lines holding a step within [from, to] (0-based), for breakpointLocations. */
  stepLines(from: number, to: number): number[] {
    return (this.dry?.lines ?? []).filter((l) => l >= from && l <= to);
  }

  // ---- state for the views -------------------------------------------------------------------------------

  /** The position shown: its step, index and thread. */
  private shown(): { step: StepInfo | undefined; index: number } {
    const live = this.live!;
    return this.view === 'after' ? { step: live.seen[live.done - 1], index: live.done - 1 } : { step: live.pending, index: live.done };
  }

  state(): DebugState {
    const live = this.live!;
    const { step, index } = this.shown();
    return {
      emu: live.emu, step, index, total: this.dry?.steps.length ?? 0,
      writeRegister: (epc, offset, value) => this.writeRegister(epc, offset, value),
    };
  }

  /** Steps seen so far on this timeline (seen[index] is the shown step unless it ended). */
  history(): { steps: readonly StepInfo[]; index: number } {
    return { steps: this.live?.seen ?? [], index: this.shown().index };
  }

  currentThread(): number {
    if (!this.live) return 1;
    const s = this.shown().step;
    return s ? threadOf(s) : 1;
  }

  exception(): Diagnostic[] {
    return this.lastException;
  }

  // ---- edits (journaled so a replay reproduces them) ----------------------------------------------------------

  writeRegister(epc: string, offset: number, value: number): void {
    const engine = this.live?.emu.system.eps.get(epc)?.engine;
    if (!engine) throw new Error(`${epc} has no eDMA engine yet (built at start = 1)`);
    engine.write32(offset, value);
    this.edits.push({ done: this.live!.done, kind: 'register', epc, offset, value });
  }

  writeMemory(ref: string, offset: number, bytes: Buffer, allowPartial: boolean): number {
    const n = writeMemory(this.live!.emu, ref, offset, bytes, allowPartial);
    this.edits.push({ done: this.live!.done, kind: 'memory', ref, offset, bytes: Buffer.from(bytes.subarray(0, n)) });
    return n;
  }

  private applyEdits(live: Live): void {
    for (const e of this.edits) {
      if (e.done !== live.done) continue;
      if (e.kind === 'register') live.emu.system.eps.get(e.epc)?.engine?.write32(e.offset, e.value);
      else writeMemory(live.emu, e.ref, e.offset, e.bytes, true);
    }
  }

  // ---- forward execution ------------------------------------------------------------------------------------

  continue(): void { this.resume('continue'); }
  next(): void { this.resume('next'); }
  stepIn(): void { this.resume('stepIn'); }
  stepOut(): void { this.resume('stepOut'); }

  pause(): void {
    if (this.running) this.pauseRequested = true;
  }

  private resume(mode: Mode): void {
    const live = this.live!;
    const from = this.shown().step;
    const depth = from ? depthOf(from) : 0;
    const gen = this.generation;
    this.running = true;
    this.pauseRequested = false;
    let outcome: StopEvent | 'end' | undefined;
    void runSliced(() => {
      outcome = this.tick(live, mode, depth);
      if (!outcome && this.pauseRequested) outcome = { reason: 'pause', threadId: 0 };
      return outcome !== undefined;
    }, () => gen !== this.generation).then(() => {
      if (gen !== this.generation) return;
      this.running = false;
      if (outcome === 'end') this.emit('end');
      else if (outcome) this.stop(outcome);
    });
  }

  /** One step of a forward run; a StopEvent or 'end' when the run stops here. */
  private tick(live: Live, mode: Mode, depth: number): StopEvent | 'end' | undefined {
    if (this.view === 'after') {
      this.view = 'before';
    } else {
      if (!live.pending) return 'end';
      const k = live.done;
      const diags = [...live.advance(), ...(this.dry?.late[k] ?? [])];
      live.stepDiags[k] = diags;
      this.applyEdits(live);
      this.flushOutput(live);
      const hit = this.stopping(live, k, diags);
      if (hit.length) {
        this.view = 'after';
        this.lastException = hit;
        return { reason: 'exception', threadId: 0, description: hit[0].message, text: hit.map((d) => d.message).join('\n') };
      }
    }
    if (!live.pending) return 'end';
    const bp = this.breakpointAt(live);
    if (bp) return bp;
    const d = depthOf(live.pending);
    const target = mode === 'stepIn' ? true : mode === 'next' ? d <= depth : mode === 'stepOut' ? (depth === 0 ? d <= 0 : d < depth) : false;
    return target ? { reason: 'step', threadId: 0 } : undefined;
  }

  /**
   * The diagnostics of step k an enabled filter stops on. A transfer whose channel already
   * stopped with ABORT is not reported a second time when the transfer result says so.
   */
  private stopping(live: Live, k: number, diags: Diagnostic[]): Diagnostic[] {
    const abortedAt = (line: number) => live.stepDiags.some((prev, i) => i < k && prev.some((p) => p.code === CHANNEL_ABORTED && p.range.start.line === line));
    return diags.filter((d) => [...this.filters].some((f) => matches(f, d)) && !(d.code === 'transfer-aborted' && abortedAt(d.range.start.line)));
  }

  private conditionHolds(expr: string | undefined, live: Live): boolean {
    if (!expr?.trim()) return true;
    try {
      return truthy(evaluate({ ...this.state(), emu: live.emu, step: live.pending, index: live.done }, expr));
    } catch (e) {
      // A broken condition stops (like VS Code's own debuggers) and says why.
      this.emit('output', { text: `breakpoint condition '${expr}': ${e instanceof Error ? e.message : String(e)}`, category: 'stderr' } satisfies OutputLine);
      return true;
    }
  }

  private hitConditionHolds(hit: string | undefined, hits: number): boolean {
    const m = /^\s*(>=|>|==|=|<=|<|%)?\s*(\d+)\s*$/.exec(hit ?? '');
    if (!hit?.trim() || !m) return true;
    const n = Number(m[2]);
    switch (m[1]) {
      case '>': return hits > n;
      case '<': return hits < n;
      case '<=': return hits <= n;
      case '%': return n > 0 && hits % n === 0;
      case '==': case '=': return hits === n;
      default: return hits >= n;
    }
  }

  /** Line breakpoints hit when a step enters their line (the previous line-bearing step was elsewhere). */
  private lineHit(live: Live, j: number, bp: LineBreakpoint): boolean {
    const s = live.seen[j];
    return bp.verified && s.line === bp.line && live.lineBefore[j] !== bp.line;
  }

  private breakpointAt(live: Live): StopEvent | undefined {
    const j = live.done;
    const s = live.pending!;
    const hitIds: number[] = [];
    let fn = false;
    for (const bp of this.lineBps) {
      if (!this.lineHit(live, j, bp) || !this.conditionHolds(bp.condition, live)) continue;
      bp.hits++;
      if (this.hitConditionHolds(bp.hitCondition, bp.hits)) hitIds.push(bp.id);
    }
    for (const bp of this.fnBps) {
      if (!s.frames.includes(bp.name) || !this.conditionHolds(bp.condition, live)) continue;
      bp.hits++;
      if (this.hitConditionHolds(bp.hitCondition, bp.hits)) {
        hitIds.push(bp.id);
        fn = true;
      }
    }
    if (!hitIds.length) return undefined;
    const lineHit = this.lineBps.some((b) => hitIds.includes(b.id));
    return { reason: lineHit || !fn ? 'breakpoint' : 'function breakpoint', threadId: 0, hitBreakpointIds: hitIds, description: s.text };
  }

  private stop(ev: Omit<StopEvent, 'threadId'> & { threadId?: number }): void {
    if (ev.reason !== 'exception') this.lastException = [];
    this.emit('threads');
    this.emit('stopped', { ...ev, threadId: this.currentThread() } satisfies StopEvent);
  }

  /** The kernel log lines (and failed operations' log) the last steps produced, dmesg style. */
  private flushOutput(live: Live): void {
    const trace = live.emu.system.clock.trace;
    const ops = live.emu.replay.ops;
    // Operations carry no timestamp of their own: they run at the time of the step that did them.
    const t = live.seen[live.done - 1]?.t ?? live.emu.system.clock.now;
    for (; live.opsSeen < ops.length; live.opsSeen++) {
      const op = ops[live.opsSeen];
      for (const l of op.log) this.emit('output', { text: `${stamp(t)} EP   ${l}`, category: op.result === 'ok' ? 'stdout' : 'stderr', line: op.line } satisfies OutputLine);
      if (op.result !== 'ok' && op.log.length === 0) this.emit('output', { text: `${stamp(t)} EP   ${op.op} ${op.path}: ${op.result}`, category: 'stderr', line: op.line } satisfies OutputLine);
    }
    for (; live.traceSeen < trace.length; live.traceSeen++) {
      const ev = trace[live.traceSeen];
      this.emit('output', { text: `${stamp(ev.t)} ${ev.side === 'ep' ? 'EP  ' : 'HOST'} ${ev.text}`, category: 'stdout', line: ev.line } satisfies OutputLine);
    }
  }

  // ---- backwards ------------------------------------------------------------------------------------------------

  private positionCode(): number {
    const live = this.live!;
    return this.view === 'after' ? 2 * (live.done - 1) + 1 : 2 * live.done;
  }

  /** Replays from step 0 to position `code`, re-applying edits made at or before it; no output. */
  private async rebuild(code: number): Promise<boolean> {
    const gen = this.generation;
    const target = Math.floor(code / 2) + (code % 2);
    const live = new Live(this.text, this.opts);
    this.applyEdits(live);
    await runSliced(() => {
      if (live.done >= target || !live.pending) return true;
      const k = live.done;
      live.advance();
      live.stepDiags[k] = [...live.stepDiags[k], ...(this.dry?.late[k] ?? [])];
      this.applyEdits(live);
      return false;
    }, () => gen !== this.generation);
    if (gen !== this.generation) return false;
    live.traceSeen = live.emu.system.clock.trace.length;
    live.opsSeen = live.emu.replay.ops.length;
    this.edits = this.edits.filter((e) => e.done <= live.done);
    this.live = live;
    this.view = code % 2 ? 'after' : 'before';
    this.lastException = code % 2 ? this.stopping(live, live.done - 1, live.stepDiags[live.done - 1]) : [];
    const s = this.shown().step;
    this.emit('output', { text: `⟲ back to step ${this.shown().index + 1} of ${this.dry?.steps.length ?? 0} (${stamp(live.emu.system.clock.now)}${s ? `: ${s.text}` : ''})`, category: 'console' } satisfies OutputLine);
    return true;
  }

  private async goBack(code: number, ev: Omit<StopEvent, 'threadId'>): Promise<void> {
    this.running = true;
    const ok = await this.rebuild(code);
    this.running = false;
    if (!ok) return;
    if (ev.reason === 'exception') {
      const hit = this.lastException;
      return this.stop({ reason: 'exception', description: hit[0]?.message, text: hit.map((d) => d.message).join('\n') });
    }
    this.stop(ev);
  }

  /** Back to the previous step of the same or a lower depth (the reverse of `next`). */
  stepBack(): void {
    const live = this.live!;
    if (this.view === 'after') return void this.goBack(2 * (live.done - 1), { reason: 'step' });
    const from = live.pending ?? live.seen[live.done - 1];
    const depth = from ? depthOf(from) : 0;
    let j = live.done - 1;
    while (j > 0 && depthOf(live.seen[j]) > depth) j--;
    void this.goBack(2 * Math.max(0, j), { reason: live.done === 0 ? 'entry' : 'step' });
  }

  /**
   * Back to the latest earlier position where a forward run would have stopped: a line or function
   * breakpoint (conditions re-evaluated in a replay), or an enabled exception. Hit counts are not
   * applied backwards. With none, back to the first step (reason `entry`).
   */
  reverseContinue(): void {
    void this.reverseContinueAsync();
  }

  private async reverseContinueAsync(): Promise<void> {
    const live = this.live!;
    const limit = this.positionCode();
    const needsReplay = [...this.lineBps, ...this.fnBps].some((b) => b.condition?.trim());
    let best = -1;
    let bestEv: Omit<StopEvent, 'threadId'> = { reason: 'entry' };
    const consider = (code: number, ev: Omit<StopEvent, 'threadId'>) => {
      if (code < limit && code > best) {
        best = code;
        bestEv = ev;
      }
    };
    const scan = (l: Live, j: number, withConditions: boolean) => {
      const s = l.seen[j];
      const lineIds = this.lineBps.filter((b) => this.lineHit(l, j, b) && (!withConditions || this.conditionHolds(b.condition, l))).map((b) => b.id);
      const fnIds = this.fnBps.filter((b) => s.frames.includes(b.name) && (!withConditions || this.conditionHolds(b.condition, l))).map((b) => b.id);
      if (lineIds.length || fnIds.length) consider(2 * j, { reason: lineIds.length ? 'breakpoint' : 'function breakpoint', hitBreakpointIds: [...lineIds, ...fnIds], description: s.text });
    };
    for (let k = 0; k < live.done; k++) {
      if (this.stopping(live, k, live.stepDiags[k] ?? []).length) consider(2 * k + 1, { reason: 'exception' });
    }
    if (!needsReplay) {
      for (let j = 0; j < live.seen.length; j++) scan(live, j, false);
    } else {
      // Conditions need the state at each candidate: one replay forward, evaluating as it goes.
      const gen = this.generation;
      const probe = new Live(this.text, this.opts);
      this.applyEdits(probe);
      this.running = true;
      await runSliced(() => {
        if (!probe.pending || 2 * probe.done >= limit) return true;
        scan(probe, probe.done, true);
        probe.advance();
        this.applyEdits(probe);
        return false;
      }, () => gen !== this.generation);
      this.running = false;
      if (gen !== this.generation) return;
    }
    await this.goBack(Math.max(0, best), best < 0 ? { reason: 'entry' } : bestEv);
  }
}
