/** Diagnostics as text lines and JSON, with 1-based positions (CONTRACTS.md `check`, `emulate --json`). */
import type { Diagnostic } from './diagnostics';

export interface JsonDiagnostic {
  file?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Diagnostic['severity'];
  code: string;
  errno: string | null;
  message: string;
  log?: string[];
  related?: { line: number; column: number; message: string }[];
  ref?: string;
}

/** 1-based line and column, as compilers print them. */
export function toJson(d: Diagnostic, file?: string): JsonDiagnostic {
  return {
    ...(file !== undefined ? { file } : {}),
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: d.severity,
    code: d.code,
    errno: d.errno ?? null,
    message: d.message,
    ...(d.log?.length ? { log: d.log } : {}),
    ...(d.related?.length ? { related: d.related.map((r) => ({ line: r.range.start.line + 1, column: r.range.start.character + 1, message: r.message })) } : {}),
    ...(d.ref ? { ref: d.ref } : {}),
  };
}

export function formatLine(file: string, d: Diagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message}`;
}
