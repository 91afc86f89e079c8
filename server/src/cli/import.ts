/** `pciep import SCRIPT` (CONTRACTS.md): a configfs shell script converted into `.pciep`. */
import { importScript } from '../language/script-import';
import type { Io } from './io';
import { decodeText, EXIT_OK, EXIT_UNREADABLE } from './io';

export function runImport(file: string, io: Io): number {
  let text: string;
  try {
    text = decodeText(io.readFile(file));
  } catch (e) {
    io.err(`pciep: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    return EXIT_UNREADABLE;
  }
  const result = importScript(text);
  for (const w of result.warnings) io.err(`${file}:${w.line}: warning: ${w.message}`);
  io.out(result.text.replace(/\n$/, ''));
  return EXIT_OK;
}
