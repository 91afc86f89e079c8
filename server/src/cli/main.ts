/**
 * The `pciep` command line (CONTRACTS.md): every view the editor has, for scripts and CI.
 * Exit status: 0 no errors, 1 errors found, 2 a file could not be read or bad usage.
 */
import * as fs from 'node:fs';
import type { Io } from './io';
import { EXIT_UNREADABLE } from './io';
import { runCheck } from './check';
import { runProfiles } from './profiles';
import { runEmulate } from './emulate';
import { runScript } from './script';
import { runImport } from './import';
import { parseDecodeArgs, runDecode } from './decode';

const USAGE = `usage: pciep <command> [options]

  check FILE... [--format json]   validate .pciep files; one line per diagnostic
  emulate FILE [--json]           run the whole emulation and print the report (or JSON)
  script FILE                     print the equivalent configfs shell script
  import SCRIPT                   convert a configfs shell script into .pciep
  profiles [--json]               list the built-in platform profiles
  decode FILE.bin [--offset N] [--json]
                                  decode a PEDM metadata blob from a BAR dump
`;

export const nodeIo: Io = {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
  readFile: (p) => fs.readFileSync(p),
};

export async function main(argv: string[], io: Io = nodeIo): Promise<number> {
  const [command, ...rest] = argv;
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const args: string[] = [];
  let format: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--format') format = rest[++i];
    else if (rest[i].startsWith('--format=')) format = rest[i].slice('--format='.length);
    else if (!rest[i].startsWith('--')) args.push(rest[i]);
  }
  if (format !== undefined && format !== 'json' && format !== 'text') {
    io.err(`pciep: unknown --format '${format}' (json or text)`);
    return EXIT_UNREADABLE;
  }
  switch (command) {
    case 'check':
      if (args.length === 0) break;
      return runCheck(args, format === 'json' || flags.has('--json'), io);
    case 'emulate':
      if (args.length !== 1) break;
      return runEmulate(args[0], flags.has('--json') || format === 'json', io);
    case 'script':
      if (args.length !== 1) break;
      return runScript(args[0], io);
    case 'import':
      if (args.length !== 1) break;
      return runImport(args[0], io);
    case 'decode': {
      const d = parseDecodeArgs(rest);
      if ('error' in d) {
        io.err(`pciep: ${d.error}`);
        break;
      }
      return runDecode(d.file, d.offset, d.json, io);
    }
    case 'profiles':
      return runProfiles(flags.has('--json') || format === 'json', io);
    case '--help':
    case '-h':
    case 'help':
      io.out(USAGE);
      return 0;
  }
  io.err(USAGE);
  return EXIT_UNREADABLE;
}
