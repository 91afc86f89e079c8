/**
 * The extension's commands in a real VS Code: the preview webview panel and the configfs script export.
 * A command that is not registered fails the test, naming the commands that are.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { activeExtension, openExample, requireCommand, waitFor } from './helpers';

const PREVIEW_VIEW_TYPE = 'pciep.preview';

function allTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

function describeTabs(): string {
  return allTabs().map((t) => `  ${t.label} (${t.input instanceof vscode.TabInputWebview ? `webview ${t.input.viewType}` : t.input?.constructor?.name ?? 'unknown'})`).join('\n');
}

describe('commands in a real VS Code', function () {
  before(async function () {
    this.timeout(60000);
    await activeExtension();
  });

  it(`pciep.openPreview opens a webview panel (viewType ${PREVIEW_VIEW_TYPE})`, async function () {
    await requireCommand('pciep.openPreview');
    await openExample('rk3588-dma.pciep');
    await vscode.commands.executeCommand('pciep.openPreview');
    // webview tabs report the viewType with a prefix of the workbench ("mainThreadWebview-pciep.preview")
    const tab = await waitFor('a preview webview tab', () => allTabs().find((t) => t.input instanceof vscode.TabInputWebview
      && (t.input.viewType === PREVIEW_VIEW_TYPE || t.input.viewType.endsWith(`-${PREVIEW_VIEW_TYPE}`))), 20000, () => `open tabs:\n${describeTabs()}`);
    assert.match(tab.label, /rk3588|preview/i, `tab label: ${tab.label}`);
  });

  it('pciep.exportScript opens an untitled shellscript document with the `ln -s` steps', async function () {
    await requireCommand('pciep.exportScript');
    await openExample('rk3588-dma.pciep');
    await vscode.commands.executeCommand('pciep.exportScript');
    const doc = await waitFor('an untitled shellscript document containing `ln -s`', () => vscode.workspace.textDocuments.find((d) =>
      d.isUntitled && d.languageId === 'shellscript' && d.getText().includes('ln -s')), 20000,
    () => `open documents:\n${vscode.workspace.textDocuments.map((d) => `  ${d.uri.toString()} [${d.languageId}]`).join('\n')}`);
    assert.match(doc.getText(), /mkdir .*functions\/pci_epf_dma/);
    assert.equal(vscode.window.activeTextEditor?.document, doc, 'the exported script is shown');
    // close it without a save prompt
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
