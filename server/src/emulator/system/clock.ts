/**
 * Virtual time and the event trace. The emulator never reads the wall clock: the same input gives
 * the same trace, to the microsecond.
 */

export type Side = 'ep' | 'host';

export interface TraceEvent {
  /** Virtual time in microseconds since the first configfs operation. */
  t: number;
  side: Side;
  /** Phase name as the timeline and the debugger show it (e.g. `link-up`, `host-probe`). */
  phase: string;
  /** Kernel log line (dmesg text without the timestamp). */
  text: string;
  /** 0-based source line the event belongs to, when one does. */
  line?: number;
}

export const MS = 1000;

export class VirtualClock {
  now = 0;
  readonly trace: TraceEvent[] = [];

  advanceTo(t: number): void {
    if (t > this.now) this.now = t;
  }

  log(side: Side, phase: string, text: string, line?: number): void {
    this.trace.push({ t: this.now, side, phase, text, ...(line !== undefined ? { line } : {}) });
  }
}

/** dmesg-style timestamp: `[   12.345678]`. */
export function stamp(t: number): string {
  const s = (t / 1e6).toFixed(6);
  return `[${s.padStart(12)}]`;
}
