/**
 * How the debugger reads the emulator's steps (emulator/system/steps.ts StepInfo): nesting depth
 * for next/stepIn/stepOut, the thread a step runs on, which diagnostics a step produced, the
 * launch-time dry run, and the generated "kernel" source whose lines the kernel frames point at.
 */
import type { Diagnostic } from '../language/diagnostics';
import type { PlatformOptions } from '../language/platform';
import { emulateSteps, type SteppedEmulation } from '../emulator/emulate';
import type { StepInfo } from '../emulator/system/steps';

// ---- threads -------------------------------------------------------------------------------------

export const THREAD_EP = 1;
export const THREAD_HOST = 2;
const CHANNEL_THREAD_BASE = 100;
/** Read channels after write channels; HDMA native has up to 64 per direction (regs.ts HDMA_MAX_CH). */
const READ_THREAD_OFFSET = 64;

export type StepChannel = NonNullable<StepInfo['channel']>;

export function channelThreadId(c: StepChannel): number {
  return CHANNEL_THREAD_BASE + (c.dir === 'read' ? READ_THREAD_OFFSET : 0) + c.ch;
}

export function channelThreadName(c: StepChannel): string {
  return `eDMA ${c.dir} ch${c.ch}`;
}

/** The thread a step runs on: its DMA channel while a transfer runs, else its side. */
export function threadOf(step: StepInfo): number {
  if (step.channel) return channelThreadId(step.channel);
  return step.side === 'host' ? THREAD_HOST : THREAD_EP;
}

export function threadName(id: number, channel?: StepChannel): string {
  if (id === THREAD_EP) return 'endpoint';
  if (id === THREAD_HOST) return 'host';
  return channel ? channelThreadName(channel) : `thread ${id}`;
}

// ---- depth -----------------------------------------------------------------------------------------

/**
 * Nesting for next/stepIn/stepOut. Statements are depth 0, and so are the steps that stand for the
 * host sections' own lines (`[host]` enumerates and probes, `[host/transfer/…]` runs the transfer):
 * they are the host side's statements, so `next` walks the file top to bottom. Bring-up phases are
 * depth 1 (link training, link up, probe, HOST_REQ, READY, teardown); the endpoint worker and DMA
 * completion interrupts that run inside probes and transfers are depth 2.
 */
export function depthOf(step: StepInfo): number {
  if (step.kind === 'statement') return 0;
  if (step.phase === 'host-enumeration' || step.phase === 'transfer') return 0;
  if (step.phase === 'dma-irq' || step.phase === 'ep-worker') return 2;
  return 1;
}

// ---- diagnostics per step -----------------------------------------------------------------------------

/** Synthetic code for a channel the engine aborted (reported with the step that ran it). */
export const CHANNEL_ABORTED = 'channel-aborted';

export function diagKey(d: Diagnostic): string {
  return `${d.code}|${d.range.start.line}|${d.message}`;
}

/**
 * What each step produced: the live replay and system diagnostics grow as steps run, operations
 * record their errno, and the engines' channel status says when a DMA channel aborted.
 */
export class DiagTracker {
  private nReplay = 0;
  private nSystem = 0;
  private nOps = 0;
  private readonly aborted = new Set<string>();

  constructor(private readonly emu: SteppedEmulation) {}

  /** Diagnostics that appeared since the last call; `step` is the step that just ran (for their range). */
  collect(step?: StepInfo): Diagnostic[] {
    const { replay, system } = this.emu;
    const out = [...replay.diagnostics.slice(this.nReplay), ...system.diagnostics.slice(this.nSystem)];
    for (const op of replay.ops.slice(this.nOps)) {
      if (op.result === 'ok' || out.some((d) => d.errno === op.result && d.range.start.line === op.line)) continue;
      out.push({ range: op.range, severity: 'error', code: `${op.op}-failed`, errno: op.result, message: `${op.result}: ${op.op} ${op.path} failed`, log: op.log });
    }
    this.nReplay = replay.diagnostics.length;
    this.nSystem = system.diagnostics.length;
    this.nOps = replay.ops.length;
    for (const ep of system.eps.values()) {
      if (!ep.engine) continue;
      for (const st of ep.engine.stats()) {
        const key = `${ep.epc.name}:${st.dir}:${st.ch}`;
        if (st.status !== 'aborted') {
          this.aborted.delete(key);
          continue;
        }
        if (this.aborted.has(key)) continue;
        this.aborted.add(key);
        const line = step?.line ?? 0;
        out.push({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, severity: 'error', code: CHANNEL_ABORTED, message: `${ep.epc.name} eDMA ${st.dir} ch${st.ch} aborted: ${st.lastAbort ?? 'ABORT status'}` });
      }
    }
    return out;
  }
}

// ---- time slices --------------------------------------------------------------------------------------

/** Budget of one synchronous slice: short enough that a pause request is seen within 20 ms (vscode-anchors 3.5, 4.2). */
export const SLICE_MS = 8;

/** Runs `work` (true when finished) in slices of SLICE_MS, yielding to the event loop between them. */
export function runSliced(work: () => boolean, cancelled: () => boolean = () => false): Promise<void> {
  return new Promise((resolve) => {
    const slice = (): void => {
      const t0 = performance.now();
      while (!cancelled()) {
        if (work()) return resolve();
        if (performance.now() - t0 > SLICE_MS) {
          setImmediate(slice);
          return;
        }
      }
      resolve();
    };
    slice();
  });
}

// ---- dry run -------------------------------------------------------------------------------------------

export interface DryRun {
  steps: StepInfo[];
  /** Diagnostics only the finished run reports (validator rules, transfer results), by the step they belong to. */
  late: Diagnostic[][];
  /** Sorted lines (0-based) that hold a step: where line breakpoints can be verified. */
  lines: number[];
  /** Every kernel function name some step calls (function breakpoints). */
  functions: Set<string>;
}

/**
 * Runs the whole emulation once, fast and in slices, to learn the step sequence and which step
 * produced which diagnostics. Diagnostics that exist only after finish() are attributed by line:
 * to the last step on that line, else the next step after it, else the last step.
 */
export async function dryRun(text: string, opts: PlatformOptions, cancelled: () => boolean): Promise<DryRun> {
  const emu = emulateSteps(text, opts);
  const tracker = new DiagTracker(emu);
  const steps: StepInfo[] = [];
  const seen = new Set<string>();
  await runSliced(() => {
    const r = emu.steps.next();
    for (const d of tracker.collect()) seen.add(diagKey(d));
    if (r.done) return true;
    steps.push(r.value);
    return false;
  }, cancelled);
  const late: Diagnostic[][] = steps.map(() => []);
  if (!cancelled() && steps.length) {
    for (const d of emu.finish().diagnostics) {
      if (seen.has(diagKey(d))) continue;
      const line = d.range.start.line;
      let at = -1;
      for (let i = steps.length - 1; i >= 0 && at < 0; i--) if (steps[i].line === line) at = i;
      if (at < 0) at = steps.findIndex((s) => s.line !== undefined && s.line > line);
      late[at < 0 ? steps.length - 1 : at].push(d);
    }
  }
  const lines = [...new Set(steps.flatMap((s) => (s.line === undefined ? [] : [s.line])))].sort((a, b) => a - b);
  return { steps, late, lines, functions: new Set(steps.flatMap((s) => s.frames)) };
}

// ---- the generated kernel source ---------------------------------------------------------------------------

/**
 * Frames without a file line point into a generated text (a DAP Source with a sourceReference):
 * one block per distinct call chain, its functions indented by depth. Blocks are only appended,
 * so a line once handed out keeps its meaning; `version` changes when a block is added.
 */
export class KernelListing {
  private readonly lines: string[] = [
    '/*',
    ' * Kernel call chains of this emulated bring-up, as the pciep debugger steps through them.',
    ' * Generated from the emulator\'s steps (server/src/emulator/system/steps.ts); not kernel source.',
    ' * Outermost caller first; each block is one phase of the bring-up.',
    ' */',
  ];
  private readonly blocks = new Map<string, number>();
  version = 1;

  private key(step: StepInfo): string {
    return `${step.phase}|${step.frames.join('>')}`;
  }

  add(step: StepInfo): number {
    const k = this.key(step);
    let at = this.blocks.get(k);
    if (at === undefined) {
      this.lines.push('', `/* ${step.phase} (${step.side === 'ep' ? 'endpoint' : 'host'}): ${step.text.replace(/\*\//g, '* /')} */`);
      at = this.lines.length;
      step.frames.forEach((fn, i) => this.lines.push(`${'  '.repeat(i)}${fn}()`));
      if (step.frames.length === 0) this.lines.push(`${step.phase}()`);
      this.blocks.set(k, at);
      this.version++;
    }
    return at;
  }

  /** 0-based line of frame `level` (0 = outermost) of the step's chain. */
  lineOf(step: StepInfo, level: number): number {
    return this.add(step) + Math.max(0, Math.min(level, step.frames.length - 1));
  }

  text(): string {
    return this.lines.join('\n') + '\n';
  }
}
