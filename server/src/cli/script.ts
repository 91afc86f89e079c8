/** `pciep script FILE` (CONTRACTS.md): the configfs shell script a `.pciep` file stands for. */
import { parse } from '../language/parser';
import { exportScriptDetailed } from '../language/script-export';
import type { Io } from './io';
import { decodeText, EXIT_OK, EXIT_UNREADABLE } from './io';

export function runScript(file: string, io: Io): number {
  let text: string;
  try {
    text = decodeText(io.readFile(file));
  } catch (e) {
    io.err(`pciep: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    return EXIT_UNREADABLE;
  }
  const { text: script, skipped } = exportScriptDetailed(parse(text));
  // The script carries `# skipped:` comments; stderr says so too, since stdout is usually redirected.
  for (const s of skipped) io.err(`${file}:${s.line}: warning: skipped: ${s.message}`);
  io.out(script.replace(/\n$/, ''));
  return EXIT_OK;
}
