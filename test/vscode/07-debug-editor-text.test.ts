/**
 * Debugging the text the editor has, in a real VS Code (client/src/debug.ts, client/src/launch-config.ts):
 * - an untitled `.pciep` document (no path on any disk, like a file of a virtual workspace) is
 *   launched, stops on entry and at a breakpoint set in it, and its stack frames name it by its URI;
 * - a file with unsaved changes is debugged as shown: a restart after an edit, and a new session,
 *   stop on the lines of the edited text, under the file's path.
 * (The launcher sets "[pciep]": { "debug.saveBeforeStart": "none" }, else VS Code would save the dirty file
 * first; for an untitled .pciep the extension's language default already skips the save, checked without it.)
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { activeExtension, exampleUri, openExample, waitFor } from './helpers';

interface Frame { line: number; source?: { name?: string; path?: string } }

/** Records the stopped / terminated events of pciep sessions, as VS Code receives them. */
function track(): { events: string[]; dispose(): void } {
  const events: string[] = [];
  const d = vscode.debug.registerDebugAdapterTrackerFactory('pciep', {
    createDebugAdapterTracker: () => ({
      onDidSendMessage: (m: { type?: string; event?: string; body?: { reason?: string } }) => {
        if (m.type === 'event' && (m.event === 'stopped' || m.event === 'terminated')) events.push(m.event === 'stopped' ? `stopped:${m.body?.reason}` : m.event);
      },
    }),
  });
  return { events, dispose: () => d.dispose() };
}

/**
 * The file path a frame's source names. customRequest answers travel through the workbench, which in
 * this remote setup (VS Code server + browser) turns a file's path into its `vscode-remote://` URI.
 */
function filePath(source: Frame['source']): string | undefined {
  const p = source?.path;
  return p && /^vscode-remote:/.test(p) ? vscode.Uri.parse(p).path : p;
}

async function topFrame(session: vscode.DebugSession): Promise<Frame> {
  const r = await session.customRequest('stackTrace', { threadId: 1, startFrame: 0, levels: 1 }) as { stackFrames: Frame[] };
  assert.ok(r.stackFrames.length, 'a stack frame');
  return r.stackFrames[0];
}

async function stopped(t: { events: string[] }, reason: string, count: number): Promise<void> {
  await waitFor(`stop #${count} (${reason})`, () => t.events.filter((e) => e === `stopped:${reason}`).length >= count || undefined, 30000, () => t.events.join(', '));
}

async function stopAll(t: { events: string[] }): Promise<void> {
  const session = vscode.debug.activeDebugSession;
  if (!session) return;
  const ended = t.events.filter((e) => e === 'terminated').length;
  await vscode.debug.stopDebugging(session);
  await waitFor('the session to end', () => !vscode.debug.activeDebugSession || t.events.filter((e) => e === 'terminated').length > ended || undefined, 20000).catch(() => undefined);
}

describe('debugging the editor text in a real VS Code', function () {
  this.timeout(90000);
  let text = '';

  before(async () => {
    await activeExtension();
    text = Buffer.from(await vscode.workspace.fs.readFile(exampleUri('rk3588-dma.pciep'))).toString('utf8');
  });

  afterEach(async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('an untitled .pciep document: stops on entry and at its breakpoint, frames name it by its URI', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'pciep', content: text });
    await vscode.window.showTextDocument(doc, { preview: false });
    assert.equal(doc.uri.scheme, 'untitled');
    const link = text.split(/\r?\n/).findIndex((l) => l.startsWith('primary/ep ->'));
    assert.ok(link > 0);
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(doc.uri, new vscode.Position(link, 0)))]);
    const t = track();
    try {
      // What F5 without a launch.json produces for the active untitled editor: the program is its URI.
      const started = await vscode.debug.startDebugging(undefined, {
        type: 'pciep', request: 'launch', name: 'untitled document', program: doc.uri.toString(), stopOnEntry: true, stopOnKernelError: false,
      });
      assert.ok(started, 'startDebugging returned false');
      await stopped(t, 'entry', 1);
      const session = vscode.debug.activeDebugSession!;
      assert.equal(session.configuration.programTextFromEditor, true, 'the launch configuration carries the editor text');
      const entry = await topFrame(session);
      assert.equal(entry.source?.path, doc.uri.toString(), `the entry frame names the untitled document: ${JSON.stringify(entry)}`);
      assert.ok(entry.line >= 1 && entry.line <= doc.lineCount);

      await session.customRequest('continue', { threadId: 1 });
      await stopped(t, 'breakpoint', 1);
      const atBreakpoint = await topFrame(session);
      assert.equal(atBreakpoint.line, link + 1, 'stopped on the breakpoint set in the untitled editor');
      assert.equal(atBreakpoint.source?.path, doc.uri.toString());
      const bp = vscode.debug.breakpoints[0] as vscode.SourceBreakpoint;
      assert.equal(bp.location.uri.toString(), doc.uri.toString());
    } finally {
      await stopAll(t);
      t.dispose();
    }
  });

  it('F5 on an untitled .pciep under the extension\'s save policy starts without a Save As prompt (package.json [pciep] default)', async () => {
    // debug.saveBeforeStart is language-overridable and VS Code reads it for the active editor's
    // language; its own default, allEditorsInActiveGroup, asks where to save an untitled editor
    // before launching. The launcher's [pciep] "none" is removed for this test, so the
    // extension's language default is the one in force.
    const inPciep = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('debug', { languageId: 'pciep' });
    assert.equal(inPciep().inspect('saveBeforeStart')?.defaultLanguageValue, 'nonUntitledEditorsInActiveGroup');
    // The launcher writes its settings as user and as workspace settings.
    const saved = inPciep().inspect('saveBeforeStart');
    const before = inPciep().get('saveBeforeStart');
    await inPciep().update('saveBeforeStart', undefined, vscode.ConfigurationTarget.Global, true);
    await inPciep().update('saveBeforeStart', undefined, vscode.ConfigurationTarget.Workspace, true);
    const doc = await vscode.workspace.openTextDocument({ language: 'pciep', content: text });
    await vscode.window.showTextDocument(doc, { preview: false });
    const t = track();
    try {
      assert.equal(inPciep().get('saveBeforeStart'), 'nonUntitledEditorsInActiveGroup', `the extension default is in force: ${JSON.stringify(inPciep().inspect('saveBeforeStart'))}`);
      const started = vscode.debug.startDebugging(undefined, {
        type: 'pciep', request: 'launch', name: 'untitled, extension save policy', program: doc.uri.toString(), stopOnEntry: true, stopOnKernelError: false,
      });
      // A Save As prompt would hold the launch: no stop would come.
      await stopped(t, 'entry', 1);
      assert.ok(await started);
      assert.equal(doc.uri.scheme, 'untitled', 'the document was not saved');
      assert.ok(doc.isDirty);
    } finally {
      await stopAll(t);
      t.dispose();
      await inPciep().update('saveBeforeStart', saved?.globalLanguageValue, vscode.ConfigurationTarget.Global, true);
      await inPciep().update('saveBeforeStart', saved?.workspaceLanguageValue, vscode.ConfigurationTarget.Workspace, true);
    }
    assert.equal(inPciep().get('saveBeforeStart'), before, 'the launcher setting is back for the next tests');
  });

  it('a file with unsaved changes: restarts and new sessions run the edited text, under the file path', async () => {
    const editor = await openExample('rk3588-dma.pciep');
    const doc = editor.document;
    const t = track();
    const insertLine = async (): Promise<void> => {
      assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# a line not saved yet\n')));
    };
    try {
      const config = { type: 'pciep', request: 'launch', name: 'dirty file', program: doc.uri.fsPath, stopOnEntry: true, stopOnKernelError: false };
      assert.ok(await vscode.debug.startDebugging(undefined, config));
      await stopped(t, 'entry', 1);
      const session = vscode.debug.activeDebugSession!;
      const saved = await topFrame(session);
      assert.equal(filePath(saved.source), doc.uri.fsPath);
      assert.equal(session.configuration.programText, undefined, 'a saved file is read from disk');

      // Restart after an edit: the new text, not the text of the first launch (VS Code restarts with that configuration).
      await insertLine();
      assert.ok(doc.isDirty);
      await vscode.commands.executeCommand('workbench.action.debug.restart');
      await stopped(t, 'entry', 2);
      const restarted = await topFrame(vscode.debug.activeDebugSession!);
      assert.equal(restarted.line, saved.line + 1, 'the restart ran the edited text');
      assert.equal(filePath(restarted.source), doc.uri.fsPath, 'under the file path');

      await insertLine();
      await vscode.commands.executeCommand('workbench.action.debug.restart');
      await stopped(t, 'entry', 3);
      assert.equal((await topFrame(vscode.debug.activeDebugSession!)).line, saved.line + 2, 'and again after a second edit');
      await stopAll(t);

      // A new session on the dirty file.
      assert.ok(await vscode.debug.startDebugging(undefined, config));
      await stopped(t, 'entry', 4);
      const fresh = vscode.debug.activeDebugSession!;
      assert.equal(fresh.configuration.programTextFromEditor, true);
      const top = await topFrame(fresh);
      assert.equal(top.line, saved.line + 2, 'a new session runs the unsaved text');
      assert.equal(filePath(top.source), doc.uri.fsPath);
      assert.equal(doc.lineAt(top.line - 1).text, text.split(/\r?\n/)[saved.line - 1], 'the stop is on the same statement, two lines down');
    } finally {
      await stopAll(t);
      t.dispose();
    }
  });
});
