/** How diagnostics leave the program: the `FILE:LINE:COLUMN: SEVERITY CODE: MESSAGE` line (CONTRACTS.md). */
import type { Diagnostic } from '../language/diagnostics';

export { toJson } from '../language/diagnostic-json';
export type { JsonDiagnostic } from '../language/diagnostic-json';

export function formatLine(file: string, d: Diagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message}`;
}
