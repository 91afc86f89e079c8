/**
 * The VS Code side: starts the bundled language server, and turns its custom requests into
 * commands, the preview and the language status item. Everything the user sees about the
 * endpoint comes from the server's one emulation; this file only connects VS Code to it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { PreviewPanel } from './preview/panel';
import { registerDebugging } from './debug';

let client: LanguageClient | undefined;

interface StatusParams {
  uri: string;
  errors: number;
  ms: number;
  probe: string | null;
  transfers: { total: number; done: number };
}

/** What `activate` returns: used by the real-editor tests. */
export interface PciepApi {
  activationMs: number;
  client(): LanguageClient | undefined;
  /** The language server's process id (`pciep/serverInfo`); undefined while it is not running. */
  serverPid(): Promise<number | undefined>;
}

function settings(): { kernel: string; defaultPlatform: string } {
  const c = vscode.workspace.getConfiguration('pciep');
  return { kernel: c.get('kernel', 'v4'), defaultPlatform: c.get('defaultPlatform', '') };
}

function activeUri(arg?: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === 'pciep' ? doc.uri : undefined;
}

async function request<T>(method: string, params: unknown): Promise<T | undefined> {
  if (!client || client.state !== State.Running) {
    void vscode.window.showErrorMessage('PCI EP: the language server is not running (try "PCI EP: Restart Language Server").');
    return undefined;
  }
  return (await client.sendRequest(method, params)) as T;
}

async function openUntitled(language: string, content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language, content });
  return vscode.window.showTextDocument(doc, { preview: false });
}

function registerCommands(context: vscode.ExtensionContext, output: vscode.OutputChannel): void {
  const reg = (id: string, fn: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  reg('pciep.openPreview', (arg) => {
    const uri = activeUri(arg);
    if (!uri) return vscode.window.showInformationMessage('PCI EP: open a .pciep file first.');
    PreviewPanel.show(context, uri, (u) => request('pciep/emulation', { uri: u }));
  });

  reg('pciep.emulate', async (arg) => {
    const uri = activeUri(arg);
    if (!uri) return vscode.window.showInformationMessage('PCI EP: open a .pciep file first.');
    const report = await request<string>('pciep/report', { uri: uri.toString(), name: vscode.workspace.asRelativePath(uri) });
    if (report === undefined || report === null) return;
    output.clear();
    output.appendLine(report);
    output.show(true);
  });

  reg('pciep.exportScript', async (arg) => {
    const uri = activeUri(arg);
    if (!uri) return vscode.window.showInformationMessage('PCI EP: open a .pciep file first.');
    const script = await request<string>('pciep/exportScript', { uri: uri.toString() });
    // Shown, never run: the script is for the board.
    if (typeof script === 'string') await openUntitled('shellscript', script);
  });

  reg('pciep.importScript', async () => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc) return vscode.window.showInformationMessage('PCI EP: open a configfs shell script first.');
    const r = await request<{ text: string; warnings: { line: number; message: string }[] }>('pciep/importScript', { text: doc.getText() });
    if (!r) return;
    await openUntitled('pciep', r.text);
    if (r.warnings.length) {
      output.clear();
      for (const w of r.warnings) output.appendLine(`${doc.fileName}:${w.line}: warning: ${w.message}`);
      void vscode.window.showWarningMessage(`PCI EP: ${r.warnings.length} line(s) were not imported; see the output.`, 'Show').then((a) => a && output.show(true));
    }
  });

  reg('pciep.decodeMetadata', async (arg) => {
    const picked = arg instanceof vscode.Uri ? [arg] : await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'BAR dump': ['bin', 'dump', 'raw'], 'All files': ['*'] } });
    if (!picked?.length) return;
    const bytes = await vscode.workspace.fs.readFile(picked[0]);
    const r = await request<{ rows: { offset: number; name: string; hex: string; meaning: string }[]; notes: string[]; verdict: { ok: boolean; errno?: string; field?: string; reason?: string } }>(
      'pciep/decode', { base64: Buffer.from(bytes).toString('base64') });
    if (!r) return;
    const lines = [`# PEDM metadata in ${vscode.workspace.asRelativePath(picked[0])}`, '', '| offset | bytes | field | meaning |', '|---|---|---|---|'];
    for (const row of r.rows) lines.push(`| 0x${row.offset.toString(16).padStart(3, '0')} | \`${row.hex}\` | ${row.name} | ${row.meaning.replace(/\|/g, '\\|')} |`);
    lines.push('', r.verdict.ok ? '**Host parser verdict:** accepted.' : `**Host parser verdict:** rejected with ${r.verdict.errno} at \`${r.verdict.field}\`: ${r.verdict.reason}`);
    for (const n of r.notes) lines.push('', `- ${n}`);
    await openUntitled('markdown', lines.join('\n'));
  });

  reg('pciep.selectPlatform', async () => {
    const editor = vscode.window.activeTextEditor;
    const profiles = await request<{ compatible: string; name: string; epcName: string }[]>('pciep/profiles', {});
    if (!profiles || !editor || editor.document.languageId !== 'pciep') return;
    const pick = await vscode.window.showQuickPick(profiles.map((p) => ({ label: p.compatible, description: p.name, detail: `controller ${p.epcName}`, p })), { placeHolder: 'Platform profile' });
    if (!pick) return;
    const doc = editor.document;
    const compat = /^\s*compatible\s*=.*$/m;
    const text = doc.getText();
    const m = compat.exec(text);
    await editor.edit((b) => {
      if (m) {
        const start = doc.positionAt(m.index);
        b.replace(new vscode.Range(start, doc.positionAt(m.index + m[0].length)), `compatible = ${pick.p.compatible}`);
      } else {
        b.insert(new vscode.Position(0, 0), `[platform/${pick.p.epcName}]\ncompatible = ${pick.p.compatible}\n\n`);
      }
    });
  });

  reg('pciep.restartServer', async () => {
    await client?.restart();
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<PciepApi> {
  const t0 = performance.now();
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  // The syntax tree of a large file survives every scavenge; a larger young generation keeps
  // parse + validate linear (see bench/parse-bench.ts).
  const execArgv = ['--max-semi-space-size=64'];
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...execArgv, '--nolazy', '--inspect=6011'] } },
  };
  const output = vscode.window.createOutputChannel('PCI Endpoint DMA Studio', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'pciep' }],
    initializationOptions: settings(),
    synchronize: { configurationSection: 'pciep' },
    outputChannel: output,
  };
  client = new LanguageClient('pciep', 'PCI Endpoint DMA Studio', serverOptions, clientOptions);

  const status = vscode.languages.createLanguageStatusItem('pciep.status', { language: 'pciep' });
  status.name = 'PCI EP emulation';
  status.text = 'PCI EP: …';
  status.command = { title: 'Emulate', command: 'pciep.emulate' };
  context.subscriptions.push(status, output);

  registerCommands(context, output);
  registerDebugging(context);
  context.subscriptions.push(vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document.languageId === 'pciep') PreviewPanel.current(e.document.uri)?.refresh();
  }));

  // Starting the client returns before the server is up; activation itself stays short.
  void client.start().then(() => {
    context.subscriptions.push(client!.onNotification('pciep/status', (p: StatusParams) => {
      const verdict = p.errors ? `${p.errors} error${p.errors === 1 ? '' : 's'}` : 'ok';
      const probe = p.probe ? ` · probe ${p.probe}` : '';
      const xfers = p.transfers.total ? ` · ${p.transfers.done}/${p.transfers.total} transfers` : '';
      status.text = `PCI EP: ${verdict}${probe}${xfers}`;
      status.detail = `emulated in ${p.ms} ms`;
      status.severity = p.errors ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    }));
  }, (e: unknown) => output.appendLine(`language server failed to start: ${String(e)}`));

  const activationMs = performance.now() - t0;
  return { activationMs, client: () => client, serverPid };
}

async function serverPid(): Promise<number | undefined> {
  if (!client || client.state !== State.Running) return undefined;
  const info = await client.sendRequest<{ pid: number } | null>('pciep/serverInfo');
  return info?.pid;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
