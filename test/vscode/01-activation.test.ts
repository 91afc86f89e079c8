/**
 * Activation in a real VS Code: opening a .pciep file activates the extension (it must not be active before), and
 * every command it contributes is registered. Records the activation time for the launcher's summary.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, ROOT, note, openExample, pciepCommands, waitFor } from './helpers';

/** The commands the extension's client registers (client/src/extension.ts). */
const EXPECTED_COMMANDS = ['pciep.openPreview', 'pciep.emulate', 'pciep.exportScript', 'pciep.importScript',
  'pciep.decodeMetadata', 'pciep.selectPlatform', 'pciep.restartServer'];

describe('extension in a real VS Code', function () {
  it(`activates on opening a .pciep file (${EXTENSION_ID})`, async function () {
    this.timeout(60000);
    note('VS Code', `${vscode.version} (${vscode.env.appHost}, uiKind ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'})`);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded; loaded: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ')}`);
    const activeBefore = ext.isActive;
    const t0 = performance.now();
    const editor = await openExample('rk3588-dma.pciep');
    assert.equal(editor.document.languageId, 'pciep', 'a .pciep file gets the pciep language');
    // poll finely: calling ext.activate() here would activate it by itself and prove nothing
    const t1 = await waitFor('the extension to activate after opening a .pciep file', async () => {
      if (ext.isActive) return performance.now();
      await new Promise((r) => setTimeout(r, 5));
      return 0;
    }, 30000);
    const openToActive = t1 - t0;
    const t2 = performance.now();
    const api = (await ext.activate()) as { activationMs?: unknown } | undefined;
    const activateCall = performance.now() - t2;
    if (typeof api?.activationMs === 'number') {
      note('activation', `${api.activationMs.toFixed(1)} ms (the extension's own activate(), its exported activationMs); opening a .pciep file → active: ${openToActive.toFixed(0)} ms`);
    } else {
      note('activation', `${openToActive.toFixed(0)} ms from opening a .pciep file to active, measured by the test (the extension exports no activationMs); ext.activate() afterwards: ${activateCall.toFixed(1)} ms`);
    }
    assert.equal(activeBefore, false, 'the extension was already active before any .pciep file was opened');
    assert.ok(ext.isActive);
  });

  it('registers every command it contributes', async function () {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes?: { commands?: { command: string }[] } };
    const contributed = (pkg.contributes?.commands ?? []).map((c) => c.command);
    const want = [...new Set([...EXPECTED_COMMANDS, ...contributed])];
    // registration happens during activation; give a late registration a moment
    let have: string[] = [];
    await waitFor('the commands to be registered', async () => (have = await pciepCommands(), want.every((c) => have.includes(c))), 3000).catch(() => undefined);
    const missing = want.filter((c) => !have.includes(c));
    assert.deepEqual(missing, [], `commands not registered: ${missing.join(', ')} (registered pciep.* commands: ${have.join(', ') || 'none'})`);
  });
});
