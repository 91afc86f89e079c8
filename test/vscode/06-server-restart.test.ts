/**
 * The client restarts a crashed language server, in a real VS Code: with a broken example open and
 * its diagnostics shown, the server process is killed with SIGKILL (what a crash or the OOM killer
 * does: no shutdown, no exit notification). vscode-languageclient's default error handler (the
 * extension configures none: client/src/extension.ts) restarts a server whose connection closed, up
 * to 4 times in 3 minutes, without a notification. Checked: a new process (another pid, from the
 * extension's `serverPid()` → `pciep/serverInfo`) answers, the document's diagnostics come back by
 * themselves and follow an edit, and no error, warning or information message is shown on the way.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { PciepApi } from '../../client/src/extension';
import { activeExtension, note, openExample, showDiagnostics, waitFor } from './helpers';

const EXAMPLE = 'broken/e27-partial-direction-unroll.pciep';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The EOPNOTSUPP bind failure's line in `uri`, or undefined while it is not shown. */
function bindFailureLine(uri: vscode.Uri): number | undefined {
  return vscode.languages.getDiagnostics(uri).find((d) => /EOPNOTSUPP/.test(d.message))?.range.start.line;
}

type Show = (...args: unknown[]) => Thenable<unknown>;
const SHOW = ['showErrorMessage', 'showWarningMessage', 'showInformationMessage'] as const;

/**
 * Records every message shown through `vscode.window` by this extension (its API object is shared
 * by the extension and these tests, and vscode-languageclient, bundled in dist/client.js, calls it
 * through the same object), and still shows it.
 */
function recordMessages(): { shown: string[]; dispose(): void } {
  const shown: string[] = [];
  const w = vscode.window as unknown as Record<(typeof SHOW)[number], Show>;
  const originals = SHOW.map((k) => w[k]);
  SHOW.forEach((k, i) => {
    w[k] = (...args: unknown[]) => {
      shown.push(`${k}: ${String(args[0])}`);
      return originals[i].apply(vscode.window, args);
    };
    if (w[k] === originals[i]) throw new Error(`vscode.window.${k} cannot be replaced: messages cannot be watched`);
  });
  return { shown, dispose: () => SHOW.forEach((k, i) => { w[k] = originals[i]; }) };
}

describe('language server crash in a real VS Code', function () {
  this.timeout(90000);
  let api: PciepApi;

  before(async () => {
    const ext = await activeExtension();
    api = (await ext.activate()) as PciepApi;
    assert.equal(typeof api?.serverPid, 'function', 'the extension API has serverPid()');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a server killed with SIGKILL is restarted by the client: diagnostics come back from a new process', async () => {
    const messages = recordMessages();
    try {
      // The recorder sees the extension's own messages: "Emulate" without a .pciep editor says so.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      // (not awaited: the command returns the message's promise, which waits for the user to dismiss it)
      void vscode.commands.executeCommand('pciep.emulate');
      await waitFor('the message recorder to see "open a .pciep file first"', () => messages.shown.length > 0, 10000);
      assert.deepEqual(messages.shown, ['showInformationMessage: PCI EP: open a .pciep file first.'], 'the message recorder works');
      messages.shown.length = 0;
      await vscode.commands.executeCommand('notifications.clearAll');

      const editor = await openExample(EXAMPLE);
      const uri = editor.document.uri;
      const line = await waitFor('the EOPNOTSUPP diagnostic', () => bindFailureLine(uri) !== undefined, 30000, () => showDiagnostics(uri))
        .then(() => bindFailureLine(uri)!);
      const pid1 = await waitFor('the server pid', () => api.serverPid().catch(() => undefined), 20000);
      assert.ok(alive(pid1), `process ${pid1} answers pciep/serverInfo but does not exist`);
      assert.notEqual(pid1, process.pid, 'the server runs in its own process, not in the extension host');

      // What the user would see: the diagnostics of the open file and the client's state, over time.
      const seen: string[] = [];
      const watchDiagnostics = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === uri.toString())) seen.push(bindFailureLine(uri) === undefined ? 'cleared' : `line ${bindFailureLine(uri)! + 1}`);
      });
      const client = api.client();
      assert.ok(client, 'api.client() returns the LanguageClient');
      const states: string[] = [];
      const watchState = client.onDidChangeState((e) => states.push(`${e.oldState}→${e.newState}`));
      try {
        const t0 = Date.now();
        process.kill(pid1, 'SIGKILL');
        await waitFor(`process ${pid1} to end`, () => !alive(pid1), 10000);
        const pid2 = await waitFor('a new server process', async () => {
          const p = await api.serverPid().catch(() => undefined);
          return p !== undefined && p !== pid1 ? p : undefined;
        }, 30000, () => `client states: ${states.join(', ')}`);
        const restartMs = Date.now() - t0;
        assert.ok(alive(pid2));

        // The restarted client re-opens the document on the new server: the diagnostic is back.
        await waitFor('the diagnostics to come back after the restart', () => bindFailureLine(uri) === line, 30000,
          () => `${showDiagnostics(uri)}\n  diagnostics seen: ${seen.join(' → ')}; client states: ${states.join(', ')}; visible: ${vscode.window.visibleTextEditors.map((e) => e.document.uri.path).join(', ')}`);
        // ...and it is the new server that follows edits: a line inserted above moves the diagnostic down.
        assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# edited after the server was killed\n')));
        await waitFor('the diagnostic to follow the edit', () => bindFailureLine(uri) === line + 1, 30000, () => showDiagnostics(uri));
        assert.equal(await api.serverPid(), pid2, 'the same new process answers after the edit (no further restart)');

        note('server restart', `SIGKILL of pid ${pid1} → pid ${pid2} answering in ${restartMs} ms; client states ${states.join(', ')}; diagnostics ${seen.join(' → ')}`);
        // vscode-languageclient's public states: 1 stopped, 2 running, 3 starting.
        assert.ok(states.includes('2→1') && states.includes('3→2'), `the client went down and came back up: ${states.join(', ')}`);
        const cleared = seen.indexOf('cleared');
        assert.ok(cleared >= 0 && seen.indexOf(`line ${line + 1}`) > cleared, `the dead server's diagnostics were cleared, then computed again: ${seen.join(' → ')}`);
        assert.deepEqual(messages.shown, [], 'no message was shown for a restart the client handled');
      } finally {
        watchDiagnostics.dispose();
        watchState.dispose();
      }
    } finally {
      messages.dispose();
    }
  });
});
