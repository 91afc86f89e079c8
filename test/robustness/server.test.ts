/**
 * Language server resilience (issue "Robustness and security"), against the built server process
 * (`pciep-language-server --stdio`) through a real JSON-RPC client:
 * - a failing feature answers with an empty result and a log line, never kills the server;
 * - requests for documents the server never saw, with absurd positions, and with malformed
 *   params are answered (or refused with a JSON-RPC error) and the server keeps serving;
 * - `$/cancelRequest` is honoured, and the server answers the requests that follow;
 * - 10,000 edits of a 1,000-line document (pull diagnostics every 100 edits) do not grow its
 *   memory: RSS measured from /proc/<pid>/status, figures printed (docs/robustness.md).
 * That the client restarts a crashed server needs VS Code itself: see test/vscode.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import {
  CancellationTokenSource, DidChangeTextDocumentNotification, DocumentDiagnosticRequest, DocumentSymbolRequest, HoverRequest,
  LogMessageNotification, RenameRequest, SemanticTokensRequest, CompletionRequest, InlayHintRequest, CodeActionRequest,
  DefinitionRequest, FoldingRangeRequest, DocumentFormattingRequest,
} from 'vscode-languageserver-protocol';
import type { DocumentDiagnosticReport, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient, ROOT } from '../lsp/client';
import { generateDocument } from '../../bench/generate';
import { LONG } from '../fuzz/config';

const EXAMPLE = fs.readFileSync(`${ROOT}/examples/rk3588-dma.pciep`, 'utf8');

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(m, 'VmRSS in /proc/<pid>/status');
  return Number(m[1]);
}

/** A request that must be answered; a JSON-RPC error counts as an answer (the server stays up). */
async function answered(p: Promise<unknown>): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
  try {
    return { result: await p };
  } catch (e) {
    const err = e as { code?: number; message?: string };
    assert.equal(typeof err.code, 'number', `a JSON-RPC error, not a dead connection: ${String(e)}`);
    return { error: { code: err.code!, message: err.message ?? '' } };
  }
}

async function healthy(client: LspClient, uri: string): Promise<void> {
  const h = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: EXAMPLE.split('\n').findIndex((l) => l.startsWith('[functions/')), character: 3 } }) as Hover | null;
  assert.ok(h, 'the server still answers a normal hover');
  assert.match((h.contents as MarkupContent).value, /BAR0/);
  assert.equal(client.proc.exitCode, null, 'the server process is alive');
}

describe('robustness: the language server survives bad requests', function () {
  this.timeout(60_000);
  let client: LspClient;
  const logs: string[] = [];
  const URI = 'file:///robustness/example.pciep';

  before(async () => {
    client = new LspClient();
    client.conn.onNotification(LogMessageNotification.type.method, (p: { message: string }) => { logs.push(p.message); });
    await client.initialize({});
    const wait = client.nextDiagnostics(URI, 1);
    await client.open(URI, EXAMPLE, 1);
    await wait;
  });

  after(async () => {
    assert.equal(await client.shutdown(), 0);
  });

  it('requests for a document the server never saw, at absurd positions, get empty answers', async () => {
    const uri = 'file:///never/opened.pciep';
    for (const position of [{ line: -1, character: -1 }, { line: 2 ** 31 - 1, character: 2 ** 31 - 1 }, { line: 0, character: 0 }]) {
      assert.equal(await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position }), null);
      const c = await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
      assert.deepEqual(c, []);
      assert.deepEqual(await client.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position }), []);
    }
    assert.deepEqual(await client.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }), []);
    assert.deepEqual(await client.conn.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } }), { data: [] });
    assert.deepEqual(await client.conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } }), []);
    await healthy(client, URI);
  });

  it('absurd positions in an open document are answered (no throw, nothing outside the document)', async () => {
    for (const position of [{ line: -5, character: 3 }, { line: 3, character: -7 }, { line: 1e9, character: 0 }, { line: 0, character: 1e9 }, { line: 1.5, character: 2.5 }]) {
      await answered(client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position }));
      const c = await answered(client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position }));
      assert.ok(c.error || Array.isArray(c.result));
      await answered(client.conn.sendRequest(RenameRequest.type, { textDocument: { uri: URI }, position, newName: 'x' }));
    }
    const huge = { start: { line: -10, character: -10 }, end: { line: 1e9, character: 1e9 } };
    await answered(client.conn.sendRequest(InlayHintRequest.type, { textDocument: { uri: URI }, range: huge }));
    await answered(client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: URI }, range: huge, context: { diagnostics: [] } }));
    await healthy(client, URI);
  });

  it('malformed params make a feature throw inside the server: the answer is empty, the failure is logged, the server keeps serving', async () => {
    const before = logs.length;
    // textDocument: null makes `p.textDocument.uri` throw inside the hover handler (a real internal exception).
    const bad: unknown[] = [{ textDocument: null, position: { line: 0, character: 0 } }, {}, { textDocument: { uri: 42 }, position: 'x' }, []];
    for (const params of bad) {
      const h = await answered(client.conn.sendRequest('textDocument/hover', params));
      assert.ok(h.error || h.result === null, `hover ${JSON.stringify(params)} → ${JSON.stringify(h)}`);
      await answered(client.conn.sendRequest('textDocument/documentSymbol', params));
      await answered(client.conn.sendRequest('textDocument/semanticTokens/full', params));
      await answered(client.conn.sendRequest('textDocument/formatting', params));
      await answered(client.conn.sendRequest('textDocument/rename', params));
      await answered(client.conn.sendRequest('pciep/emulation', params));
      await answered(client.conn.sendRequest('pciep/decode', params));
      await answered(client.conn.sendRequest('pciep/importScript', params));
    }
    await answered(client.conn.sendRequest('pciep/decode', { base64: '!!!not base64!!!', offset: -3 }));
    await answered(client.conn.sendRequest('pciep/decode', { base64: Buffer.alloc(70000, 0xff).toString('base64'), offset: 1e12 }));
    await answered(client.conn.sendRequest('pciep/importScript', { text: 'A=x\n'.concat('A=$A$A\n'.repeat(64), 'echo $A > f\n') }));
    await answered(client.conn.sendRequest('no/such/method', { x: 1 }));
    await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///nope', version: 3 }, contentChanges: [{ range: { start: { line: 9, character: 9 }, end: { line: 0, character: 0 } }, text: 'x' }] });
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: null });
    await healthy(client, URI);
    const failures = logs.slice(before).filter((l) => /pciep: .* failed/.test(l));
    assert.ok(failures.length > 0, 'the internal failures were logged through the connection');
    console.log(`      ${failures.length} internal failures answered empty and logged, e.g. "${failures[0].split('\n')[0]}"`);
  });

  it('$/cancelRequest is honoured for queued requests, and later requests are answered', async () => {
    const big = generateDocument(20_000);
    const uri = 'file:///robustness/big.pciep';
    await client.open(uri, big, 1);
    // A slow request keeps the server busy; the next ones queue behind it and are cancelled there.
    const slow = client.conn.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
    const sources = Array.from({ length: 5 }, () => new CancellationTokenSource());
    await client.change(uri, 2, `${big}\n# edit\n`);
    const cancelled = sources.map((s, i) => answered(client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 5 + i, character: 3 } }, s.token)));
    for (const s of sources) s.cancel();
    await slow;
    for (const r of await Promise.all(cancelled)) {
      assert.ok(r.result === null || r.error?.code === -32800, `a cancelled hover is answered empty or with RequestCancelled: ${JSON.stringify(r)}`);
    }
    const h = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 5, character: 3 } });
    assert.ok(h, 'the same hover, not cancelled, is answered in full');
    await healthy(client, URI);
  });
});

describe('robustness: no unbounded memory growth in the server', function () {
  this.timeout(LONG ? 900_000 : 180_000);

  it('10,000 incremental edits of a 1,000-line document (after 3,000 warm-up edits) with pull diagnostics every 100 edits', async () => {
    const client = new LspClient();
    try {
      await client.initialize({ textDocument: { diagnostic: { dynamicRegistration: false } } });
      const pid = client.proc.pid!;
      const uri = 'file:///robustness/edits.pciep';
      const text = generateDocument(1000);
      const lines = text.split('\n');
      await client.open(uri, text, 1);
      const pull = async () => {
        const r = await client.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }) as DocumentDiagnosticReport;
        assert.equal(r.kind, 'full');
      };
      await pull();
      const rssStart = rssKiB(pid);
      const samples: number[] = [];
      let rss0 = rssStart;
      const t0 = Date.now();
      // 3,000 warm-up edits first: V8 sizes its young generation (the server runs with
      // --max-semi-space-size=64) and JIT-compiles; what follows measures growth, not warm-up.
      const WARMUP = 3000;
      const EDITS = 10_000;
      let last = { line: 0, character: 0 };
      for (let v = 2; v <= WARMUP + EDITS + 1; v++) {
        if (v === WARMUP + 2) rss0 = rssKiB(pid);
        // Typing: insert a character into a line, then delete it again with the next edit.
        let change;
        if (v % 2 === 0) {
          const line = (v * 7919) % (lines.length - 1);
          last = { line, character: Math.min(lines[line].length, 4) };
          change = { range: { start: last, end: last }, text: 'x' };
        } else {
          change = { range: { start: last, end: { line: last.line, character: last.character + 1 } }, text: '' };
        }
        void client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: v }, contentChanges: [change] });
        if ((v - 1) % 100 === 0) {
          await pull();
          if (v > WARMUP + 1) samples.push(rssKiB(pid));
        }
      }
      await pull();
      const ms = Date.now() - t0;
      const rss1 = rssKiB(pid);
      const half = samples.length / 2;
      const firstHalfMax = Math.max(...samples.slice(0, half));
      const secondHalfMax = Math.max(...samples.slice(half));
      const growthMiB = (rss1 - rss0) / 1024;
      const mib = (k: number) => Math.round(k / 1024);
      console.log(`      ${WARMUP} warm-up + ${EDITS} edits, ${(WARMUP + EDITS) / 100 + 2} pulls, in ${ms} ms; server RSS ${mib(rssStart)} MiB at open, ${mib(rss0)} MiB after warm-up, ${mib(rss1)} MiB after ${EDITS} edits (${growthMiB >= 0 ? '+' : ''}${growthMiB.toFixed(1)} MiB); peak RSS first half ${mib(firstHalfMax)} MiB, second half ${mib(secondHalfMax)} MiB`);
      assert.ok(growthMiB < 150, `RSS grew by ${growthMiB.toFixed(1)} MiB over ${EDITS} edits (bound 150 MiB)`);
      // Linear growth would make the second half's peak exceed the first half's by about as much as
      // the first half grew from the start; a bounded heap levels off (GC sawtooth tolerated: 64 MiB).
      assert.ok(secondHalfMax - firstHalfMax < 64 * 1024, `RSS still climbing in the second half: ${Math.round(firstHalfMax / 1024)} → ${Math.round(secondHalfMax / 1024)} MiB`);
      const h = await client.conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
      assert.ok(Array.isArray(h), 'the server still answers after the edits');
    } finally {
      await client.shutdown();
    }
  });
});
