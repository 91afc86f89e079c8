/**
 * How one operation of the file ended, in the words every hover uses: success or the errno with
 * the validator's explanation, the kernel log it printed, and virtual timestamps as dmesg shows them.
 */
import type { Diagnostic } from '../language/diagnostics';
import type { OpRecord } from '../emulator/configfs/replay';
import { describeErrno, ERRNO, isErrno } from '../emulator/errno';
import type { FeatureIndex } from './feature-index';
import { code, codeBlock, escapeMarkdown } from './markdown';

/** The error diagnostics at a line that carry `errno` (the kernel's answer to that operation). */
export function failureAt(ix: FeatureIndex, line: number, errno: string): Diagnostic | undefined {
  return ix.diagnosticsAt.get(line)?.find((d) => d.errno === errno && d.severity === 'error');
}

/** `-EINVAL` (Invalid argument): the failure diagnostic's message without its errno prefix, escaped. */
export function failureText(ix: FeatureIndex, line: number, errno: string): string {
  const d = failureAt(ix, line, errno);
  const strerror = isErrno(errno) ? ` (${ERRNO[errno].text})` : '';
  const message = d ? d.message.replace(`${describeErrno(errno)}: `, '') : '';
  return `\`-${errno}\`${strerror}${message ? `: ${escapeMarkdown(message)}` : ''}`;
}

/** "✓ write succeeded" / "✗ write fails with `-EINVAL` (Invalid argument): …" for an operation. */
export function opOutcome(ix: FeatureIndex, op: OpRecord | undefined, what: string): string {
  if (!op) return `**Not run:** the ${what} never reaches the kernel (see the error on the section header or path).`;
  if (op.result === 'ok') return `**✓ ${what} succeeded** (\`${op.op}\` ${code(op.path)}).`;
  return `**✗ ${what} fails** with ${failureText(ix, op.line, op.result)}`;
}

export function kernelLog(op: OpRecord | undefined): string | undefined {
  if (!op || op.log.length === 0) return undefined;
  return `Kernel log:\n\n${codeBlock(op.log)}`;
}

/** Virtual time (µs) as seconds, the way dmesg timestamps read. */
export function stamp(us: number): string {
  return `${(us / 1e6).toFixed(6)} s`;
}
