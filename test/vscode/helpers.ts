/** Helpers for the tests that run inside a real VS Code extension host (see test/vscode/index.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** Repository root (out/test/vscode/ → ../../..): the extension under development. */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string };
/** `publisher.name` from package.json. */
export const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;

/** Facts the tests measured, printed by the launcher at the end (key → text). */
export const notes: Record<string, string> = {};
export function note(key: string, value: string): void {
  notes[key] = value;
  console.log(`    [note] ${key}: ${value}`);
}

/** The workspace folder: a temp copy of examples/ made by scripts/run-vscode-tests.mjs. */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open (the launcher opens a temp copy of examples/)');
  return folder.uri;
}

export function exampleUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));
}

export async function openExample(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(exampleUri(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Writes a new file into the workspace and opens it. */
export async function openNewFile(rel: string, text: string): Promise<vscode.TextEditor> {
  const uri = exampleUri(rel);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Polls `probe` until it returns a truthy value; fails with `what` (and the last value seen) after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 20000, describe?: () => string): Promise<NonNullable<T>> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe ? `\n${describe()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function diagCode(d: vscode.Diagnostic): string {
  return d.code === undefined ? '' : typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

export function showDiagnostics(uri: vscode.Uri): string {
  const ds = vscode.languages.getDiagnostics(uri);
  return ds.length ? ds.map((d) => `  ${d.range.start.line + 1}: [${diagCode(d)}] (${d.source}) ${d.message}`).join('\n') : '  (no diagnostics)';
}

/** The text of hover contents, whatever shape (MarkdownString, MarkedString). */
export function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? []).flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

/** Commands registered now whose id starts with `pciep.`. */
export async function pciepCommands(): Promise<string[]> {
  return (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('pciep.')).sort();
}

/** Fails clearly (rather than skipping) when a command is not registered by the extension. */
export async function requireCommand(id: string): Promise<void> {
  const have = await pciepCommands();
  if (!have.includes(id)) {
    throw new Error(`command '${id}' is not registered by the extension (registered pciep.* commands: ${have.join(', ') || 'none'})`);
  }
}

/** Makes sure the extension is active (opening a .pciep file activates it). */
export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  if (!ext.isActive) {
    await openExample('rk3588-dma.pciep');
    await ext.activate();
  }
  return ext;
}
