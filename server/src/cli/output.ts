/** How diagnostics leave the program: the `FILE:LINE:COLUMN: SEVERITY CODE: MESSAGE` line (CONTRACTS.md). */
export { formatLine, toJson } from '../language/diagnostic-json';
export type { JsonDiagnostic } from '../language/diagnostic-json';

