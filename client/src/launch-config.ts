/**
 * The pure part of Run and Debug, without the `vscode` API (test/unit/launch-config.test.ts loads
 * it): which text a debug session runs, and how a program that is not a file travels through the
 * debug adapter. client/src/debug.ts applies it.
 *
 * - A document that is not a file (`untitled:`, `vscode-vfs://…` in a virtual workspace) has no
 *   path the adapter could read: the launch configuration carries its text (`programText`, which
 *   server/src/debug/runtime.ts prefers to reading `program`) and names it by its URI. The inline
 *   adapter is given a stand-in path for it (`adapterPathFor`) and every `path` in the messages
 *   is mapped between the two (`mapPaths`), so stack frames, output and breakpoints refer to
 *   that document in the editor.
 * - A file with unsaved changes is debugged as the editor shows it (when the adapter runs inline):
 *   the lines the user steps through and sets breakpoints on are the ones on screen, not those
 *   of an older version on disk. `program` stays the file's path, so breakpoints and stack
 *   frames map to the file exactly as for a saved one.
 * - A saved file is read from disk by the adapter, as before.
 *
 * Text taken from the editor is marked (`programTextFromEditor`): VS Code restarts a session with
 * the configuration it launched with, so the restart takes the editor's text again (or goes back
 * to the disk once the file is saved) instead of replaying the text of the first launch.
 */
import * as path from 'node:path';

/** What this module needs of a `vscode.Uri`. */
export interface UriLike {
  readonly scheme: string;
  readonly authority: string;
  readonly path: string;
  readonly fsPath: string;
  toString(): string;
}

/** What this module needs of a `vscode.TextDocument`. */
export interface DocumentLike {
  readonly uri: UriLike;
  readonly isDirty: boolean;
  getText(): string;
}

/** The fields of a `pciep` launch configuration this module reads or writes (the rest passes through). */
export interface PciepLaunchConfig {
  program?: unknown;
  programText?: unknown;
  /** Set when `programText` was taken from the editor (and so is taken again on restart). */
  programTextFromEditor?: boolean;
  [key: string]: unknown;
}

/**
 * True for a URI string (`untitled:Untitled-1`, `vscode-vfs://github/o/r/a.pciep`), false for a
 * path. A scheme has at least two characters, so `C:\x.pciep` is a path (as VS Code decides).
 */
export function isUriString(s: string): boolean {
  return /^[a-zA-Z][\w+.-]+:/.test(s);
}

/** How a launch configuration names a document: its path for a file, else its URI. */
export function programOf(uri: UriLike): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

/** The name shown for a program (`Emulate <name>`). */
export function programName(uri: UriLike): string {
  return path.posix.basename(uri.path) || uri.toString();
}

/**
 * The launch configuration for `program` open (or not) in the editor as `doc`, following the rules
 * above; `dirtyFiles` is false for the executable adapter, which cannot take the text again on
 * restart. Returns a new object; `config` is not changed.
 */
export function launchConfigFor<T extends PciepLaunchConfig>(config: T, doc: DocumentLike | undefined, options: { dirtyFiles: boolean }): T {
  const out: T = { ...config };
  if (doc && doc.uri.scheme !== 'file') {
    out.program = doc.uri.toString();
    out.programText = doc.getText();
    out.programTextFromEditor = true;
  } else if (doc && doc.isDirty && options.dirtyFiles) {
    out.programText = doc.getText();
    out.programTextFromEditor = true;
  } else if (out.programTextFromEditor && (doc || !isUriString(String(out.program ?? '')))) {
    // Taken from the editor before, now saved (or closed): the file on disk is the program again.
    // A document that is not a file and no longer open keeps the text it was launched with.
    delete out.programText;
    delete out.programTextFromEditor;
  }
  return out;
}

/**
 * The absolute path the inline adapter is given for a document that is not a file: never read
 * (the text travels as `programText`), unique per URI, and ending in the document's own name, which
 * the adapter shows as the source's name.
 */
export function adapterPathFor(uri: UriLike): string {
  const segments = uri.path.split('/').filter((s) => s && s !== '.' && s !== '..');
  return path.resolve(path.sep, '.pciep-editor', encodeURIComponent(uri.scheme), encodeURIComponent(uri.authority) || '_', ...segments);
}

/**
 * A copy of a DAP message with every `path` property equal to `from` replaced by `to` (sources of
 * stack frames, breakpoints, output…); the parts without one are shared, and a message without one
 * is returned as it is.
 */
export function mapPaths<T>(value: T, from: string, to: string): T {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v: unknown, i) => {
      const m = mapPaths(v, from, to);
      if (m !== v) (out ??= value.slice())[i] = m;
    });
    return (out ?? value) as T;
  }
  if (value !== null && typeof value === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const m = k === 'path' && v === from ? to : mapPaths(v, from, to);
      if (m !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = m;
    }
    return (out ?? value) as T;
  }
  return value;
}
