/**
 * `pciep emulate FILE [--json]` (CONTRACTS.md): the whole run, as a readable report or the schema-1
 * JSON object. Exit status as for `check`.
 */
import { emulate } from '../emulator/emulate';
import { toEmulateJson } from '../emulator/views/result';
import { renderReport } from '../emulator/views/report';
import type { Io } from './io';
import { EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, readText } from './io';

export function runEmulate(file: string, json: boolean, io: Io): number {
  const text = readText(file, io);
  if (text === undefined) return EXIT_UNREADABLE;
  const e = emulate(text);
  const exit = e.diagnostics.some((d) => d.severity === 'error') ? EXIT_ERRORS : EXIT_OK;
  if (json) {
    io.out(JSON.stringify(toEmulateJson(e), null, 2));
    return exit;
  }
  io.out(renderReport(file, e));
  return exit;
}
