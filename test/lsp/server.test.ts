/**
 * Protocol tests: the built server (`pciep-language-server --stdio`) driven by a real JSON-RPC
 * client, as an editor would drive it.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionRequest, CompletionRequest, DocumentDiagnosticRequest, DocumentFormattingRequest, DocumentSymbolRequest,
  HoverRequest, InlayHintRequest, SemanticTokensRequest, DefinitionRequest, CodeLensRequest,
} from 'vscode-languageserver-protocol';
import type { CompletionItem, CompletionList, Diagnostic, Hover, MarkupContent, TextEdit } from 'vscode-languageserver-protocol';
import { LspClient, ROOT } from './client';

const URI = 'file:///work/rk3588.pciep';
const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples/rk3588-dma.pciep'), 'utf8');
const BROKEN = '[platform/a40000000.pcie-ep]\ncompatible = rockchip,rk3588-pcie-ep\n[functions/pci_epf_dma/d]\nmsi_interrupts = 1\npci_epf_dma.0/wr_chans = 1\nprimary/ep -> controllers/a40000000.pcie-ep\n';

function items(r: CompletionItem[] | CompletionList | null): CompletionItem[] {
  return !r ? [] : Array.isArray(r) ? r : r.items;
}

describe('language server over stdio (real JSON-RPC client)', function () {
  this.timeout(20000);
  let client: LspClient;

  before(async () => {
    client = new LspClient();
    const init = await client.initialize({});
    const caps = init.capabilities;
    assert.ok(caps.hoverProvider && caps.completionProvider && caps.codeActionProvider && caps.documentFormattingProvider);
    assert.ok(caps.semanticTokensProvider && caps.inlayHintProvider && caps.renameProvider && caps.definitionProvider);
    assert.equal(caps.diagnosticProvider, undefined, 'push diagnostics for a client without pull support');
  });

  after(async () => {
    const code = await client.shutdown();
    assert.equal(code, 0, 'shutdown then exit ends the process with status 0');
  });

  it('publishes diagnostics with errno and related information after didOpen (seed-series 7 E27)', async () => {
    const wait = client.nextDiagnostics(URI, 1);
    await client.open(URI, BROKEN, 1);
    const p = await wait;
    const d = p.diagnostics.find((x: Diagnostic) => x.code === 'bind-failed');
    assert.ok(d, JSON.stringify(p.diagnostics));
    assert.equal(d.range.start.line, 5);
    assert.match(String(d.message), /EOPNOTSUPP/);
    assert.equal(d.source, 'pciep EOPNOTSUPP');
    assert.equal(d.relatedInformation?.[0].location.range.start.line, 4);
  });

  it('re-validates after didChange, debounced, for the newest version only', async () => {
    const fixed = BROKEN.replace('wr_chans = 1', 'wr_chans = 2');
    await client.change(URI, 2, BROKEN.replace('wr_chans = 1', 'wr_chans = 3'));
    await client.change(URI, 3, fixed);
    const p = await client.nextDiagnostics(URI, 3);
    assert.deepEqual(p.diagnostics.filter((d) => d.severity === 1), []);
  });

  it('hover on a function header shows its BAR table', async () => {
    const uri = 'file:///work/example.pciep';
    const wait = client.nextDiagnostics(uri, 1);
    await client.open(uri, EXAMPLE, 1);
    await wait;
    const line = EXAMPLE.split(/\r?\n/).findIndex((l) => l.startsWith('[functions/pci_epf_dma/'));
    const h = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: 3 } }) as Hover;
    const md = (h.contents as MarkupContent).value;
    assert.match(md, /BAR0/);
    assert.match(md, /1 MiB/);
    assert.match(md, /metadata/i);
  });

  it('completion offers the driver group attributes in a pci_epf_dma function', async () => {
    const uri = 'file:///work/complete.pciep';
    const text = '[platform/a40000000.pcie-ep]\ncompatible = rockchip,rk3588-pcie-ep\n[functions/pci_epf_dma/d]\n\n';
    await client.open(uri, text, 1);
    const r = await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 3, character: 0 } });
    const labels = items(r).map((i) => i.label);
    assert.ok(labels.includes('pci_epf_dma.0/wr_chans'), labels.join(', '));
    assert.ok(labels.includes('msi_interrupts'));
  });

  it('a quick fix is offered for a did-you-mean attribute and its edit renames it', async () => {
    const uri = 'file:///work/typo.pciep';
    const text = '[platform/a40000000.pcie-ep]\ncompatible = rockchip,rk3588-pcie-ep\n[functions/pci_epf_test/t]\nvendor_id = 0x104c\n';
    const wait = client.nextDiagnostics(uri, 1);
    await client.open(uri, text, 1);
    const p = await wait;
    const d = p.diagnostics.find((x) => x.code === 'unknown-attribute')!;
    const actions = await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const fix = (actions ?? []).find((a) => 'title' in a && /vendorid/.test(a.title));
    assert.ok(fix && 'edit' in fix && fix.edit, JSON.stringify(actions));
    const edits = fix.edit!.changes![uri] as TextEdit[];
    assert.equal(edits[0].newText, 'vendorid');
  });

  it('formatting returns edits that canonicalise spacing', async () => {
    const uri = 'file:///work/fmt.pciep';
    await client.open(uri, '[functions/pci_epf_test/t]\nvendorid=0x104c   \n', 1);
    const edits = await client.conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.ok(edits && edits.some((e) => e.newText.includes('vendorid = 0x104c')), JSON.stringify(edits));
  });

  it('answers symbols, semantic tokens, inlay hints, code lens and definition', async () => {
    const uri = 'file:///work/example.pciep';
    const symbols = await client.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    assert.ok(symbols && symbols.length >= 3);
    const tokens = await client.conn.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
    assert.ok(tokens && tokens.data.length > 0 && tokens.data.length % 5 === 0);
    const lines = EXAMPLE.split(/\r?\n/);
    const hints = await client.conn.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } } });
    assert.ok(hints && hints.some((h) => /function 0/.test(typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''))), JSON.stringify(hints));
    const lenses = await client.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    assert.ok(lenses && lenses.some((l) => l.command?.command === 'pciep.openPreview'));
    const linkLine = lines.findIndex((l) => /-> controllers\//.test(l));
    const col = lines[linkLine].indexOf('controllers/') + 'controllers/'.length + 2;
    const def = await client.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: linkLine, character: col } });
    const locs = Array.isArray(def) ? def : def ? [def] : [];
    assert.ok(locs.length === 1 && 'range' in locs[0] && lines[locs[0].range.start.line].startsWith('[platform/'), JSON.stringify(def));
  });

  it('pciep/emulation returns the schema-1 emulation result', async () => {
    const r = await client.conn.sendRequest('pciep/emulation', { uri: 'file:///work/example.pciep' }) as { schema: number; functions: { metadata: { hex: string } }[]; transfers: { status: string }[] };
    assert.equal(r.schema, 1);
    assert.match(r.functions[0].metadata.hex, /^5045444d/);
    assert.ok(r.transfers.every((t) => t.status === 'done'));
  });
});

describe('language server with pull diagnostics', function () {
  this.timeout(20000);
  it('declares a diagnostic provider and answers textDocument/diagnostic', async () => {
    const client = new LspClient();
    const init = await client.initialize({ textDocument: { diagnostic: { dynamicRegistration: false } } });
    assert.ok(init.capabilities.diagnosticProvider);
    await client.open(URI, BROKEN, 1);
    const report = await client.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: URI } });
    assert.equal(report.kind, 'full');
    assert.ok('items' in report && report.items.some((d) => d.code === 'bind-failed'));
    assert.equal(await client.shutdown(), 0);
  });
});
