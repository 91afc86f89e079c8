/** `pciep script FILE` (CONTRACTS.md): the configfs shell script a `.pciep` file stands for. */
import { parse } from '../language/parser';
import { exportScriptDetailed } from '../language/script-export';
import type { Io } from './io';
import { EXIT_OK, EXIT_UNREADABLE, readText } from './io';

export function runScript(file: string, io: Io): number {
  const text = readText(file, io);
  if (text === undefined) return EXIT_UNREADABLE;
  const { text: script, skipped } = exportScriptDetailed(parse(text));
  // The script carries `# skipped:` comments; stderr says so too, since stdout is usually redirected.
  for (const s of skipped) io.err(`${file}:${s.line}: warning: skipped: ${s.message}`);
  io.out(script.replace(/\n$/, ''));
  return EXIT_OK;
}
