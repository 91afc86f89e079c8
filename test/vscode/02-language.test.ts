/**
 * The language server through VS Code's own API: diagnostics (with the errno), hover, completion and a quick fix,
 * as VS Code shows them to a user (vscode.languages.getDiagnostics, vscode.execute*Provider, workspace.applyEdit).
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { activeExtension, diagCode, hoverText, openExample, openNewFile, showDiagnostics, waitFor } from './helpers';

interface Expectation { line: number; code: string; errno?: string }

/** `# expect: LINE CODE [ERRNO]` lines of a broken example's leading comment block (LINE is 1-based). */
function expectations(text: string): Expectation[] {
  const out: Expectation[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() && !line.trimStart().startsWith('#')) break;
    const m = /^#\s*expect:\s*(\d+)\s+(\S+)(?:\s+(\S+))?\s*$/.exec(line);
    if (m) out.push({ line: Number(m[1]), code: m[2], errno: m[3] });
  }
  return out;
}

function matches(d: vscode.Diagnostic, e: Expectation): boolean {
  return d.range.start.line === e.line - 1 && diagCode(d) === e.code && (!e.errno || `${d.message} ${d.source ?? ''}`.includes(e.errno));
}

describe('language features in a real VS Code', function () {
  before(async function () {
    this.timeout(60000);
    await activeExtension();
  });

  it('diagnostics from examples/broken/e27-partial-direction-unroll.pciep arrive with the errno (EOPNOTSUPP)', async function () {
    const editor = await openExample('broken/e27-partial-direction-unroll.pciep');
    const uri = editor.document.uri;
    const lines = editor.document.getText().split(/\r?\n/);
    const linkLine = lines.findIndex((l) => l.startsWith('primary/ep ->'));
    const d = await waitFor('an EOPNOTSUPP diagnostic', () => vscode.languages.getDiagnostics(uri)
      .find((x) => /EOPNOTSUPP/.test(`${x.message} ${x.source ?? ''}`)), 20000, () => showDiagnostics(uri));
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagCode(d), 'bind-failed');
    assert.equal(d.range.start.line, linkLine, 'reported on the `primary/ep -> controllers/…` link, where bind fails');
    assert.match(d.message, /EOPNOTSUPP/);
    assert.match(d.source ?? '', /pciep/);
  });

  it('every examples/broken file: its `# expect:` lines arrive as VS Code diagnostics', async function () {
    this.timeout(90000);
    const files = (await vscode.workspace.findFiles('broken/*.pciep')).sort((a, b) => a.path.localeCompare(b.path));
    assert.ok(files.length >= 10, `found only ${files.length} broken examples`);
    const problems: string[] = [];
    for (const uri of files) {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: true });
      const expected = expectations(doc.getText());
      assert.ok(expected.length, `${uri.path} has no '# expect:' line`);
      const ok = await waitFor(`diagnostics of ${uri.path}`, () => expected.every((e) => vscode.languages.getDiagnostics(uri).some((d) => matches(d, e))), 15000)
        .catch(() => false);
      if (!ok) {
        const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
        problems.push(`${name}: expected ${expected.map((e) => `${e.line} ${e.code} ${e.errno ?? ''}`.trim()).join('; ')}; got\n${showDiagnostics(uri)}`);
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('hover on a function header shows its BAR table (BAR0)', async function () {
    const editor = await openExample('rk3588-dma.pciep');
    const line = editor.document.getText().split(/\r?\n/).findIndex((l) => l.startsWith('[functions/pci_epf_dma/'));
    assert.ok(line >= 0, 'rk3588-dma.pciep has a [functions/pci_epf_dma/…] header');
    const pos = new vscode.Position(line, 3);
    let text = '';
    await waitFor('a hover with a BAR table', async () => {
      text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, pos));
      return /BAR0/.test(text);
    }, 20000, () => `last hover text:\n${text || '(none)'}`);
    assert.match(text, /BAR0/);
    assert.match(text, /\|/, 'a (markdown) table');
  });

  it('completion offers pci_epf_dma.0/wr_chans in a pci_epf_dma function section', async function () {
    const text = '[platform/a40000000.pcie-ep]\ncompatible = rockchip,rk3588-pcie-ep\n\n[functions/pci_epf_dma/d]\n\n';
    const editor = await openNewFile('vscode-test-completion.pciep', text);
    const pos = new vscode.Position(4, 0);
    let labels: string[] = [];
    await waitFor('pci_epf_dma.0/wr_chans among the completions', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, pos);
      labels = (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      return labels.includes('pci_epf_dma.0/wr_chans');
    }, 20000, () => `completions: ${labels.join(', ') || '(none)'}`);
    assert.ok(labels.includes('pci_epf_dma.0/rd_chans'), labels.join(', '));
  });

  it('a quick fix for a misspelt attribute applies via workspace.applyEdit and the diagnostic goes away', async function () {
    const editor = await openExample('broken/unknown-attribute-typo.pciep');
    const doc = editor.document;
    const uri = doc.uri;
    const d = await waitFor('the unknown-attribute diagnostic', () => vscode.languages.getDiagnostics(uri)
      .find((x) => diagCode(x) === 'unknown-attribute'), 20000, () => showDiagnostics(uri));
    assert.match(`${d.message} ${d.source ?? ''}`, /EACCES/);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = (actions ?? []).find((a): a is vscode.CodeAction => 'edit' in a && !!a.edit && /wr_chans/.test(a.title));
    assert.ok(fix?.edit, `no quick fix with an edit mentioning wr_chans; offered: ${(actions ?? []).map((a) => a.title).join(' | ') || '(none)'}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'workspace.applyEdit refused the edit');
    assert.match(doc.getText(), /^pci_epf_dma\.0\/wr_chans = 2/m);
    await waitFor('the unknown-attribute diagnostic to go away', () => !vscode.languages.getDiagnostics(uri)
      .some((x) => diagCode(x) === 'unknown-attribute'), 20000, () => showDiagnostics(uri));
    assert.ok(await doc.save(), 'saved the fixed copy');
    assert.equal(vscode.languages.getDiagnostics(uri).filter((x) => x.severity === vscode.DiagnosticSeverity.Error).length, 0,
      `no error left:\n${showDiagnostics(uri)}`);
  });
});
