/**
 * Syntax tree of a `.pciep` document. The parser never throws: every line becomes either a
 * statement or a ParseError, and every node carries the exact range it was read from.
 *
 * Positions follow LSP: 0-based line, 0-based UTF-16 character offset, end exclusive.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A piece of source text with the range it came from. */
export interface Span {
  text: string;
  range: Range;
}

export interface Comment extends Span {
  /** Text after the `#`, without leading blanks. */
  body: string;
}

interface StatementBase {
  /** The whole statement, from its first to its last non-blank character (comment excluded). */
  range: Range;
  /** 0-based line the statement stands on. */
  line: number;
  /** Trailing `# …` comment on the same line, if any. */
  comment?: Comment;
}

/**
 * `[path]`: enter a directory. For `functions/<driver>/<name>` the first mention is the mkdir.
 * `path` is the text between the brackets; `normPath` is the path relative to the pci_ep root
 * (absolute `/sys/kernel/config/pci_ep/` prefix removed, `.`/`..`/`//` resolved, no trailing `/`),
 * or null when the path cannot be resolved (an error says why).
 */
export interface SectionHeader extends StatementBase {
  kind: 'section';
  path: Span;
  normPath: string | null;
  /** True when the path was written with the `/sys/kernel/config/pci_ep/` prefix. */
  absolute: boolean;
}

/** `name = value`: echo value > name. `value.text` is the unquoted bytes echo writes (less its newline). */
export interface Assignment extends StatementBase {
  kind: 'assign';
  name: Span;
  value: Span;
  /** How the value was written: bare, "double" or 'single' quoted. */
  quote: 'none' | 'double' | 'single';
}

/** `name -> target`: ln -s <pci_ep>/target <dir>/name. */
export interface Link extends StatementBase {
  kind: 'link';
  name: Span;
  target: Span;
  /** Target relative to the pci_ep root, or null when it cannot be resolved. */
  normTarget: string | null;
}

/** `unlink name`: rm <dir>/name. */
export interface Unlink extends StatementBase {
  kind: 'unlink';
  keyword: Span;
  name: Span;
}

/** `rmdir` (the current section's directory) or `rmdir path`. */
export interface Rmdir extends StatementBase {
  kind: 'rmdir';
  keyword: Span;
  target?: Span;
}

export type Statement = SectionHeader | Assignment | Link | Unlink | Rmdir;
export type BodyStatement = Assignment | Link | Unlink | Rmdir;

/** A section: its header (absent for statements before the first header) and the statements under it. */
export interface Section {
  header?: SectionHeader;
  body: BodyStatement[];
  /** From the header (or first statement) to the last statement or comment of the section. */
  range: Range;
}

export interface ParseError {
  code: string;
  message: string;
  range: Range;
}

export interface Document {
  /** The text as parsed (a leading BOM removed). */
  text: string;
  /** Line texts without their terminators. */
  lines: string[];
  sections: Section[];
  /** Every statement in source order (headers included): the replay order. */
  statements: Statement[];
  /** Standalone comment lines, for folding, formatting and import/export round trips. */
  comments: Comment[];
  errors: ParseError[];
}
