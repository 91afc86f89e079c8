/**
 * A diagnostic pull that reaches the server before the didOpen of its document (vscode-languageclient
 * does that when it restarts a crashed server: test/vscode/06-server-restart.test.ts) waits for the
 * didOpen and answers with the document's diagnostics; a document that never opens still gets an
 * empty report, after a bounded wait or at once when the pull is cancelled. Also: `pciep/serverInfo`
 * names the answering process.
 */
import { strict as assert } from 'node:assert';
import { CancellationTokenSource, DocumentDiagnosticRequest } from 'vscode-languageserver-protocol';
import type { DocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import { LspClient } from './client';

const BROKEN = '[platform/a40000000.pcie-ep]\ncompatible = rockchip,rk3588-pcie-ep\n[functions/pci_epf_dma/d]\nmsi_interrupts = 1\npci_epf_dma.0/wr_chans = 1\nprimary/ep -> controllers/a40000000.pcie-ep\n';

function items(r: DocumentDiagnosticReport): { code?: string | number }[] {
  assert.equal(r.kind, 'full');
  return 'items' in r ? r.items : [];
}

describe('language server: pull diagnostics before didOpen', function () {
  this.timeout(20000);
  let client: LspClient;

  before(async () => {
    client = new LspClient();
    await client.initialize({ textDocument: { diagnostic: { dynamicRegistration: false } } });
  });

  after(async () => {
    assert.equal(await client.shutdown(), 0);
  });

  it('a pull sent before the didOpen answers with the diagnostics of the opened document', async () => {
    const uri = 'file:///work/pulled-early.pciep';
    const pull = client.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    await client.open(uri, BROKEN, 1);
    const r = await pull;
    assert.ok(items(r).some((d) => d.code === 'bind-failed'), JSON.stringify(r));
  });

  it('a document that never opens gets an empty report within the bounded wait', async () => {
    const t0 = Date.now();
    const r = await client.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: 'file:///never/opened.pciep' } });
    const ms = Date.now() - t0;
    assert.deepEqual(items(r), []);
    assert.ok(ms < 5000, `answered after ${ms} ms`);
  });

  it('a cancelled pull for a document not open is answered at once', async () => {
    const source = new CancellationTokenSource();
    const t0 = Date.now();
    const pull = client.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: 'file:///never/opened-either.pciep' } }, source.token);
    setTimeout(() => source.cancel(), 50);
    const r = await pull.then((x) => x, (e: unknown) => e);
    const ms = Date.now() - t0;
    assert.ok(ms < 1500, `answered after ${ms} ms`);
    assert.ok(r instanceof Error || items(r as DocumentDiagnosticReport).length === 0, JSON.stringify(r));
  });

  it('pciep/serverInfo names the process that answers', async () => {
    assert.deepEqual(await client.conn.sendRequest('pciep/serverInfo'), { pid: client.proc.pid });
  });
});
