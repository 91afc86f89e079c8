/** `pciep check FILE... [--format json]` (CONTRACTS.md). */
import { emulate } from '../emulator/emulate';
import type { Io } from './io';
import { EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, readText } from './io';
import type { JsonDiagnostic } from './output';
import { formatLine, toJson } from './output';

export function runCheck(files: string[], json: boolean, io: Io): number {
  let exit = EXIT_OK;
  const all: JsonDiagnostic[] = [];
  for (const file of files) {
    const text = readText(file, io);
    if (text === undefined) {
      exit = EXIT_UNREADABLE;
      continue;
    }
    // The same diagnostics the editor shows: validation plus what only the emulated run can tell.
    const { diagnostics } = emulate(text);
    for (const d of diagnostics) {
      if (json) all.push(toJson(d, file));
      else io.out(formatLine(file, d));
      if (d.severity === 'error' && exit === EXIT_OK) exit = EXIT_ERRORS;
    }
  }
  if (json) io.out(JSON.stringify(all, null, 2));
  return exit;
}
