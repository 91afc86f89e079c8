/**
 * `pciep emulate FILE [--json]` (CONTRACTS.md): the whole run, as a readable report or the schema-1
 * JSON object. Exit status as for `check`.
 */
import { emulate } from '../emulator/emulate';
import { toEmulateJson } from '../emulator/views/result';
import { renderReport } from '../emulator/views/report';
import type { Io } from './io';
import { decodeText, EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE } from './io';

export function runEmulate(file: string, json: boolean, io: Io): number {
  let text: string;
  try {
    text = decodeText(io.readFile(file));
  } catch (e) {
    io.err(`pciep: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    return EXIT_UNREADABLE;
  }
  const e = emulate(text);
  const exit = e.diagnostics.some((d) => d.severity === 'error') ? EXIT_ERRORS : EXIT_OK;
  if (json) {
    io.out(JSON.stringify(toEmulateJson(e), null, 2));
    return exit;
  }
  io.out(renderReport(file, e));
  return exit;
}
