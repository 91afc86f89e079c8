/** `pciep import SCRIPT` (CONTRACTS.md): a configfs shell script converted into `.pciep`. */
import { importScript } from '../language/script-import';
import type { Io } from './io';
import { EXIT_OK, EXIT_UNREADABLE, readText } from './io';

export function runImport(file: string, io: Io): number {
  const text = readText(file, io);
  if (text === undefined) return EXIT_UNREADABLE;
  const result = importScript(text);
  for (const w of result.warnings) io.err(`${file}:${w.line}: warning: ${w.message}`);
  io.out(result.text.replace(/\n$/, ''));
  return EXIT_OK;
}
