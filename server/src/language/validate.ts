/**
 * The validation pipeline: parse → platform facts → configfs replay (the kernel's result per
 * operation) → rules. Every stage is total: bad input yields diagnostics, never an exception.
 */
import type { Assignment, Document } from './ast';
import type { Diagnostic } from './diagnostics';
import { parse } from './parser';
import type { PlatformModel, PlatformOptions } from './platform';
import { resolvePlatforms } from './platform';
import { RULES } from './rules';
import type { RuleContext } from './rules/types';
import type { OpRecord, ReplayHooks, ReplayResult } from '../emulator/configfs/replay';
import { replay } from '../emulator/configfs/replay';

export interface Analysis {
  doc: Document;
  platform: PlatformModel;
  replay: ReplayResult;
  diagnostics: Diagnostic[];
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** The successful writes of a replay with their statements, joined once for every rule that reads values. */
function successfulWrites(doc: Document, result: ReplayResult): RuleContext['writes'] {
  // An array indexed by line, not a Map: one statement per line.
  const byLine: (Document['statements'][number] | undefined)[] = new Array(doc.lines.length);
  for (const s of doc.statements) byLine[s.line] = s;
  const writes: { op: OpRecord; stmt: Assignment }[] = [];
  for (const op of result.ops) {
    if (op.op !== 'write' || op.result !== 'ok') continue;
    const stmt = byLine[op.line];
    if (stmt?.kind === 'assign') writes.push({ op, stmt });
  }
  return writes;
}

/** Every diagnostic the validator reports for a finished replay, in position order. */
export function diagnose(doc: Document, platform: PlatformModel, result: ReplayResult): Diagnostic[] {
  const diagnostics: Diagnostic[] = doc.errors.map((e) => ({ range: e.range, severity: 'error' as const, code: e.code, message: e.message }));
  diagnostics.push(...platform.diagnostics, ...result.diagnostics);
  const ctx: RuleContext = { doc, platform, replay: result, writes: successfulWrites(doc, result) };
  for (const rule of RULES) diagnostics.push(...rule.run(ctx));
  diagnostics.sort(byPosition);
  return diagnostics;
}

/** `hooks` let the emulator run the link and the host between configfs operations. */
export function analyzeDocument(doc: Document, hooks?: (platform: PlatformModel) => ReplayHooks, opts?: PlatformOptions): Analysis {
  const platform = resolvePlatforms(doc, opts);
  const result = replay(doc, platform, hooks?.(platform));
  return { doc, platform, replay: result, diagnostics: diagnose(doc, platform, result) };
}

export function analyze(text: string, opts?: PlatformOptions): Analysis {
  return analyzeDocument(parse(text), undefined, opts);
}
