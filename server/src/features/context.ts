/**
 * What every editor feature receives: the document text, its parse, and the one emulation of it
 * (validation included). Features are plain functions of this plus a position; they never parse
 * or emulate on their own, and they know nothing of LSP (server.ts converts).
 */
import type { Document, Position, Range } from '../language/ast';
import type { Emulation } from '../emulator/emulate';
import { emulate } from '../emulator/emulate';
import type { PlatformOptions } from '../language/platform';
import { collectResult, type EmulationResult } from '../emulator/views/result';

export interface FeatureContext {
  text: string;
  doc: Document;
  emulation: Emulation;
  /** The views' result (BAR tables, metadata bytes, channels, host, timeline), computed once. */
  result(): EmulationResult;
}

/** `previous`: the parse of this file's last analysed version (its unchanged lines are reused). */
export function createContext(text: string, opts?: PlatformOptions, previous?: Document): FeatureContext {
  const emulation = emulate(text, opts, previous);
  let result: EmulationResult | undefined;
  return { text, doc: emulation.analysis.doc, emulation, result: () => (result ??= collectResult(emulation)) };
}

export function contains(range: Range, pos: Position): boolean {
  const afterStart = pos.line > range.start.line || (pos.line === range.start.line && pos.character >= range.start.character);
  const beforeEnd = pos.line < range.end.line || (pos.line === range.end.line && pos.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** A text edit, LSP-shaped but independent of it. */
export interface Edit {
  range: Range;
  newText: string;
}
