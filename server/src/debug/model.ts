/**
 * Plain data shared by the debugger's inspection modules (inspect, evaluate, memory) and the
 * runtime: what is shown at a stop, as trees of named values. Nothing here knows DAP; the session
 * turns these into `Variable`s (vscode-anchors 3.1: the runtime and its views stay protocol-free).
 */
import type { SteppedEmulation } from '../emulator/emulate';
import type { StepInfo } from '../emulator/system/steps';

/** One named value of the Variables view, Watch or a hover. */
export interface VarNode {
  name: string;
  value: string;
  type?: string;
  /** Children, built only when the client expands the node. */
  children?: () => VarNode[];
  /** Opaque reference for readMemory/writeMemory (memory.ts), turning on VS Code's binary view. */
  memoryReference?: string;
  /** Expression that evaluates to this node (evaluate.ts syntax), for "Add to Watch"/"Copy as Expression". */
  evaluateName?: string;
  /** Present when the value can be edited: writes it and returns the new display value, or throws with the reason. */
  set?: (text: string) => string;
}

export interface ScopeNode {
  name: string;
  /** DAP Scope.presentationHint (`registers` for the eDMA register file, as cortex-debug does; vscode-anchors 2.9). */
  hint?: 'registers' | 'locals';
  expensive?: boolean;
  children: () => VarNode[];
}

/** The live emulation at the position the debugger shows. */
export interface DebugState {
  emu: SteppedEmulation;
  /** The step shown: the next one to run, or the one that just failed (exception stops). */
  step: StepInfo | undefined;
  /** Index of `step` in the run. */
  index: number;
  /** Steps of the whole run (from the launch's dry run). */
  total: number;
  /** Register writes go through the runtime so they are journaled for step back (runtime.ts). */
  writeRegister(epc: string, offset: number, value: number): void;
}

export const hex = (v: number | bigint, pad = 0): string => `0x${v.toString(16).padStart(pad, '0')}`;

/** 64 KiB, 1 MiB … for sizes; exact byte counts otherwise. */
export function sizeText(n: number): string {
  if (n >= 1 << 30 && n % (1 << 30) === 0) return `${n / (1 << 30)} GiB`;
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n / (1 << 10)} KiB`;
  return `${n} B`;
}

/** Virtual time as dmesg shows it, in seconds with microseconds. */
export function timeText(us: number): string {
  return `${(us / 1e6).toFixed(6)} s`;
}

export function leaf(name: string, value: string | number | bigint | boolean, extra: Partial<VarNode> = {}): VarNode {
  return { name, value: typeof value === 'string' ? value : String(value), ...extra };
}

export function group(name: string, value: string, children: () => VarNode[], extra: Partial<VarNode> = {}): VarNode {
  return { name, value, children, ...extra };
}

/** Parses a user-typed number (decimal, 0x hex, 0b binary, 0o octal; `_` separators allowed). */
export function parseNumber(text: string): bigint | undefined {
  const t = text.trim().replace(/_/g, '');
  if (!/^-?(0x[0-9a-f]+|0b[01]+|0o[0-7]+|\d+)$/i.test(t)) return undefined;
  const neg = t.startsWith('-');
  const v = BigInt(neg ? t.slice(1) : t);
  return neg ? -v : v;
}
