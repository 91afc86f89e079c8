/** Small I/O seam for the commands, so tests can run them in-process and read what they print. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): Buffer;
}

export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_UNREADABLE = 2;

/**
 * Decodes file bytes as UTF-8. Invalid sequences become U+FFFD rather than failing, so a file with
 * stray bytes is still checked line by line.
 */
export function decodeText(buf: Buffer): string {
  return buf.toString('utf8');
}

/** Reads a file as text for a command; says why on stderr and returns undefined when it cannot. */
export function readText(file: string, io: Io): string | undefined {
  try {
    return decodeText(io.readFile(file));
  } catch (e) {
    io.err(`pciep: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    return undefined;
  }
}
