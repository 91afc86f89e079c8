import type { Range } from './ast';

export type Severity = 'error' | 'warning' | 'info';

/** Another place involved in a diagnostic (e.g. the `ln -s` whose bind fails because of this line). */
export interface RelatedLocation {
  range: Range;
  message: string;
}

/**
 * A finding about a document, independent of LSP. `errno` and `log` are set when the kernel would
 * fail the operation (or print a line) at this point.
 */
export interface Diagnostic {
  range: Range;
  severity: Severity;
  /** Stable kebab-case code, e.g. `unknown-attribute`, `write-after-bind`, `bind-failed`. */
  code: string;
  message: string;
  errno?: string;
  /** Kernel log lines the operation would print (dmesg text without timestamp). */
  log?: string[];
  related?: RelatedLocation[];
  /** Reference section the rule comes from, e.g. `kernel-background A.4`. */
  ref?: string;
  /** A replacement that fixes the problem, when one is certain (quick fixes). */
  fix?: { title: string; range: Range; newText: string };
}
