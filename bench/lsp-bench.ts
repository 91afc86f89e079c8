/**
 * Language-server benchmarks, measured from a real client over stdio (bench/lsp-client.ts) against
 * the built server started as editors start it (`node --max-semi-space-size=64
 * bin/pciep-language-server.js --stdio`). Every figure is wall-clock time in the client, from the
 * message being written to the answer being parsed, so it includes JSON-RPC both ways.
 *
 * Edit-to-diagnostics uses a pull-diagnostics client (LSP 3.17 `textDocument/diagnostic` sent right
 * after the `didChange`): the server then analyses on demand and the figure is compute time. The
 * push path (debounced by 150 ms in server.ts) is measured separately.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CompletionRequest, DocumentDiagnosticRequest, DocumentFormattingRequest, HoverRequest, InlayHintRequest, SemanticTokensRequest,
} from 'vscode-languageserver-protocol';
import type { ClientCapabilities, CompletionItem, CompletionList, Position, Range } from 'vscode-languageserver-protocol';
import { BenchLspClient, pciepServerArgs, ROOT } from './lsp-client';
import { generateDocument } from './generate';
import { logLogFit, median, summarize, type Summary } from './stats';
import { editTarget, jsonSchema, toYaml } from './yaml-peer';

/** Capabilities of a pull-diagnostics client (VS Code ≥ 1.74 sends these). */
export const PULL_CAPABILITIES: ClientCapabilities = {
  textDocument: {
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
    synchronization: { didSave: false },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true } },
    inlayHint: {},
    semanticTokens: { requests: { full: true, range: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] },
  },
};

/** Push-only client: no `textDocument.diagnostic`, so the server publishes (debounced). */
export const PUSH_CAPABILITIES: ClientCapabilities = { textDocument: { publishDiagnostics: { versionSupport: true } } };

/** server.ts DEBOUNCE_MS; yaml-language-server's yamlSettings.validationDelayMs. */
export const OUR_DEBOUNCE_MS = 150;
export const YAML_DEBOUNCE_MS = 200;

export interface SizeRow {
  lines: number;
  /** Sizes of the responses, so a figure for an empty answer shows up as such. */
  diagnostics: number;
  editToDiagnostics: Summary;
  /** Completion sent right after a didChange (the analysis is computed for it): typing. */
  completionAfterEdit: Summary;
  /** Inlay hints for the 60-line viewport around the edit, right after its diagnostics: builds the views' result. */
  inlayHintsAfterEdit: Summary;
  /** Full semantic tokens right after an edit's diagnostics (editors re-ask per version): builds the name index. */
  semanticTokensAfterEdit: Summary;
  /** Warm requests on an analysed version, positions spread over the file. */
  hover: Summary;
  completion: Summary;
  /** A 60-line viewport (scrolling), warm. */
  inlayHints: Summary;
  /** Whole-document formatting (works on the text, no analysis). */
  formatting: Summary;
  tokenCount: number;
  /** The document's first semantic-tokens request (after its first edit): nothing to reuse yet. Absent in results written before it was measured. */
  firstTokensMs?: number;
}

interface Reps {
  edits: number;
  hovers: number;
  completions: number;
  inlay: number;
  format: number;
}

function repsFor(lines: number, quick: boolean): Reps {
  const scale = quick ? 0.3 : 1;
  const r = (n: number): number => Math.max(3, Math.round(n * scale));
  if (lines <= 1000) return { edits: r(100), hovers: r(100), completions: r(100), inlay: r(60), format: r(40) };
  if (lines <= 10000) return { edits: r(25), hovers: r(60), completions: r(60), inlay: r(30), format: r(15) };
  // 20 edits: with 8, the "p95" was the slowest sample, i.e. whichever edit met a mark-compact.
  return { edits: r(20), hovers: r(30), completions: r(30), inlay: r(15), format: r(6) };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

function completionCount(r: CompletionItem[] | CompletionList | null): number {
  return !r ? 0 : Array.isArray(r) ? r.length : r.items.length;
}

/** A document open in a server, edited by changing one value back and forth. */
class EditedDocument {
  version = 1;
  private flip = false;
  readonly target: { line: number; start: number; end: number; value: string };

  constructor(readonly client: BenchLspClient, readonly uri: string, readonly text: string, separator: '=' | ':') {
    this.target = editTarget(text, separator);
  }

  /** Sends the next didChange (the msi_interrupts value 8 ↔ 4) and returns its version. */
  async edit(): Promise<number> {
    this.flip = !this.flip;
    const range: Range = { start: { line: this.target.line, character: this.target.start }, end: { line: this.target.line, character: this.target.start + 1 } };
    this.version++;
    await this.client.changeRange(this.uri, this.version, range, this.flip ? '4' : this.target.value);
    return this.version;
  }

  async pull(): Promise<number> {
    const r = await this.client.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: this.uri } });
    return r.kind === 'full' ? r.items.length : -1;
  }
}

/** Lines of the document worth hovering: half section headers, half attribute keys, spread over the file. */
function hoverPositions(text: string, count: number): Position[] {
  const lines = text.split('\n');
  const headers: number[] = [];
  const attrs: number[] = [];
  lines.forEach((l, i) => (l.startsWith('[') ? headers : /^\s*[a-z_][\w./-]*\s*=/.test(l) ? attrs : []).push(i));
  const pick = (xs: number[], n: number): number[] => Array.from({ length: n }, (_, k) => xs[Math.floor(((k + 0.5) * xs.length) / n)]);
  const out: Position[] = [];
  for (const line of pick(headers, Math.ceil(count / 2))) out.push({ line, character: 3 });
  for (const line of pick(attrs, Math.floor(count / 2))) out.push({ line, character: 1 });
  return out;
}

/** Completion positions: half after `= ` of an attribute (values), half on an empty line in a section (attribute names). */
function completionPositions(text: string, count: number): Position[] {
  const lines = text.split('\n');
  const values: Position[] = [];
  const names: Position[] = [];
  lines.forEach((l, i) => {
    const m = /^(\s*[a-z_][\w./-]*\s*=\s*)\S/.exec(l);
    if (m) values.push({ line: i, character: m[1].length });
    else if (l === '' && i > 0 && lines[i - 1] !== '' && !lines[i - 1].startsWith('#')) names.push({ line: i, character: 0 });
  });
  const pick = (xs: Position[], n: number): Position[] => Array.from({ length: n }, (_, k) => xs[Math.floor(((k + 0.5) * xs.length) / n)]);
  return [...pick(values, Math.ceil(count / 2)), ...pick(names, Math.floor(count / 2))];
}

/** All per-request figures for one generated document size, on an already initialised pull client. */
async function measureSize(client: BenchLspClient, lines: number, quick: boolean): Promise<SizeRow> {
  const reps = repsFor(lines, quick);
  const text = generateDocument(lines);
  const uri = `file:///bench/gen-${lines}.pciep`;
  await client.open(uri, 'pciep', text, 1);
  const doc = new EditedDocument(client, uri, text, '=');
  const diagnostics = await doc.pull();

  const total = text.split('\n').length;
  const viewport = (line: number): Range => {
    const start = Math.max(0, Math.min(total - 61, line - 30));
    return { start: { line: start, character: 0 }, end: { line: Math.min(total - 1, start + 60), character: 0 } };
  };
  /** One edit as an editor follows it up: diagnostics, then inlay hints for the viewport and semantic tokens (VS Code). */
  const round = async (): Promise<{ e2d: number; inlay: number; tokens: number; tokenCount: number }> => {
    const t0 = performance.now();
    await doc.edit();
    await doc.pull();
    const e2d = performance.now() - t0;
    const inlay = (await timed(() => client.conn.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: viewport(doc.target.line) }))).ms;
    const tok = await timed(() => client.conn.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } }));
    return { e2d, inlay, tokens: tok.ms, tokenCount: (tok.value?.data.length ?? 0) / 5 };
  };
  // Warm-up (JIT, caches), the same rounds as measured. The first semantic-tokens request of a
  // document computes every path's segments; later ones reuse those of unchanged lines. It is
  // reported on its own (firstTokens), not mixed into the per-edit figures.
  const firstTokens = (await round()).tokens;
  for (let i = 0; i < 2; i++) await round();

  const e2d: number[] = [];
  const inlayAfter: number[] = [];
  const tokensAfter: number[] = [];
  let tokenCount = 0;
  for (let i = 0; i < reps.edits; i++) {
    const r = await round();
    e2d.push(r.e2d);
    inlayAfter.push(r.inlay);
    tokensAfter.push(r.tokens);
    tokenCount = r.tokenCount;
  }

  const cAfter: number[] = [];
  const typingAt = { line: doc.target.line, character: doc.target.end };
  for (let i = 0; i < Math.max(3, Math.ceil(reps.edits / 2)); i++) {
    const t0 = performance.now();
    await doc.edit();
    const r = await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: typingAt });
    cAfter.push(performance.now() - t0);
    if (completionCount(r) === 0) throw new Error(`no completion after edit at ${lines} lines`);
  }
  await doc.pull();

  const hov: number[] = [];
  let hoverHits = 0;
  for (const position of hoverPositions(text, reps.hovers)) {
    const r = await timed(() => client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position }));
    hov.push(r.ms);
    if (r.value) hoverHits++;
  }
  if (hoverHits < reps.hovers / 2) throw new Error(`only ${hoverHits}/${reps.hovers} hovers answered at ${lines} lines`);

  const comp: number[] = [];
  for (const position of completionPositions(text, reps.completions)) {
    const r = await timed(() => client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }));
    comp.push(r.ms);
  }

  const inlay: number[] = [];
  for (let k = 0; k < reps.inlay; k++) {
    inlay.push((await timed(() => client.conn.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: viewport(Math.floor(((k + 0.5) * total) / reps.inlay)) }))).ms);
  }

  const fmt: number[] = [];
  for (let k = 0; k < reps.format; k++) {
    fmt.push((await timed(() => client.conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } }))).ms);
  }
  await client.close(uri);
  return {
    lines, diagnostics, editToDiagnostics: summarize(e2d), completionAfterEdit: summarize(cAfter), inlayHintsAfterEdit: summarize(inlayAfter),
    semanticTokensAfterEdit: summarize(tokensAfter), hover: summarize(hov), completion: summarize(comp), inlayHints: summarize(inlay), formatting: summarize(fmt), tokenCount, firstTokensMs: firstTokens,
  };
}

export interface ScalingResult {
  sizes: { lines: number; ms: number; usPerLine: number }[];
  exponent: number;
  r2: number;
  threshold: number;
  attempts: number;
  ok: boolean;
}

/** Linear-scaling check: median edit-to-diagnostics over 2^8…2^14 lines, exponent of a log-log fit. */
async function measureScaling(client: BenchLspClient, threshold: number, quick: boolean): Promise<ScalingResult> {
  let last: ScalingResult | undefined;
  const maxAttempts = 3;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const sizes: ScalingResult['sizes'] = [];
    for (let p = 8; p <= 14; p++) {
      const lines = 2 ** p;
      const text = generateDocument(lines);
      const uri = `file:///bench/scale-${lines}-${attempt}.pciep`;
      await client.open(uri, 'pciep', text, 1);
      const doc = new EditedDocument(client, uri, text, '=');
      await doc.pull();
      for (let i = 0; i < 2; i++) { await doc.edit(); await doc.pull(); }
      const n = Math.max(quick ? 3 : 7, Math.round((quick ? 8 : 25) / Math.max(1, p - 9)));
      const xs: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await doc.edit();
        await doc.pull();
        xs.push(performance.now() - t0);
      }
      await client.close(uri);
      const ms = median(xs);
      sizes.push({ lines, ms, usPerLine: (ms * 1000) / lines });
    }
    const fit = logLogFit(sizes.map((s) => ({ x: s.lines, y: s.ms })));
    last = { sizes, exponent: fit.exponent, r2: fit.r2, threshold, attempts: attempt, ok: fit.exponent <= threshold };
    if (last.ok) break;
  }
  return last!;
}

export interface MemoryResult {
  lines: number;
  edits: number;
  rssStartKiB: number;
  rssOpenKiB: number;
  rssAfterKiB: number;
  peakKiB: number;
  /** VmRSS after every 100 edits (does it keep growing?). */
  rssEvery100KiB: number[];
  /** Edit-to-diagnostics over the 1,000 edits (a large sample at 1,000 lines). */
  editToDiagnostics: Summary;
}

/** A fresh server: initialize, open a 1,000-line file, 1,000 edits each followed by a pull of diagnostics. */
export async function runMemory(quick: boolean): Promise<MemoryResult> {
  const client = new BenchLspClient({ args: pciepServerArgs() });
  try {
    await client.initialize(PULL_CAPABILITIES);
    return await measureMemory(client, client.memory()?.rssKiB ?? NaN, quick);
  } finally {
    await client.shutdown();
  }
}

async function measureMemory(client: BenchLspClient, rssStartKiB: number, quick: boolean): Promise<MemoryResult> {
  const lines = 1000;
  const edits = quick ? 200 : 1000;
  const text = generateDocument(lines);
  const uri = 'file:///bench/memory.pciep';
  await client.open(uri, 'pciep', text, 1);
  const doc = new EditedDocument(client, uri, text, '=');
  await doc.pull();
  const rssOpenKiB = client.memory()?.rssKiB ?? NaN;
  const xs: number[] = [];
  const rssEvery100KiB: number[] = [];
  for (let i = 0; i < edits; i++) {
    const t0 = performance.now();
    await doc.edit();
    await doc.pull();
    xs.push(performance.now() - t0);
    if ((i + 1) % 100 === 0) rssEvery100KiB.push(client.memory()?.rssKiB ?? NaN);
  }
  const m = client.memory();
  await client.close(uri);
  return { lines, edits, rssStartKiB, rssOpenKiB, rssAfterKiB: m?.rssKiB ?? NaN, peakKiB: m?.hwmKiB ?? NaN, rssEvery100KiB, editToDiagnostics: summarize(xs) };
}

export interface OurServerResult {
  sizes: SizeRow[];
  scaling: ScalingResult;
  stderr: string;
}

export async function runOurServer(opts: { sizes: number[]; threshold: number; quick: boolean; log: (s: string) => void }): Promise<OurServerResult> {
  const client = new BenchLspClient({ args: pciepServerArgs() });
  try {
    const init = await client.initialize(PULL_CAPABILITIES);
    if (!init.capabilities.diagnosticProvider) throw new Error('server did not switch to pull diagnostics');
    const sizes: SizeRow[] = [];
    for (const lines of opts.sizes) {
      opts.log(`  our server: ${lines} lines…`);
      sizes.push(await measureSize(client, lines, opts.quick));
    }
    opts.log('  our server: linear-scaling fit 2^8…2^14 lines…');
    const scaling = await measureScaling(client, opts.threshold, opts.quick);
    return { sizes, scaling, stderr: client.stderr.join('') };
  } finally {
    await client.shutdown();
  }
}

/** Push path: edit → publishDiagnostics for that version, including the server's debounce. */
export interface PushResult {
  lines: number;
  total: Summary;
  /** total − debounce: what the push path adds beyond the timer. */
  minusDebounce: Summary;
  debounceMs: number;
}

/** One edit → the publishDiagnostics that follows it (of that version when the server sends versions), ms. */
async function pushEdit(client: BenchLspClient, doc: EditedDocument, byVersion: boolean): Promise<number> {
  const t0 = performance.now();
  const version = await doc.edit();
  const p = await client.nextDiagnostics(doc.uri, { version: byVersion ? version : undefined, after: t0 });
  return p.at - t0;
}

function pushResult(lines: number, total: number[], debounceMs: number): PushResult {
  return { lines, total: summarize(total), minusDebounce: summarize(total.map((t) => t - debounceMs)), debounceMs };
}

async function pushEdits(client: BenchLspClient, doc: EditedDocument, reps: number, debounceMs: number, byVersion: boolean): Promise<PushResult> {
  const total: number[] = [];
  for (let i = 0; i < reps + 1; i++) {
    const ms = await pushEdit(client, doc, byVersion);
    if (i > 0) total.push(ms); // the first one warms up
  }
  return pushResult(doc.text.split('\n').length - 1, total, debounceMs);
}

export interface PeerResult {
  yamlServerVersion: string;
  schemaBytes: number;
  /** The deliberate error found by yaml-language-server before timing (message). */
  sanity: { deliberateErrors: string[]; cleanDiagnostics: number };
  rows: { lines: number; ours: PushResult; yaml: PushResult; oursPull?: Summary; ratioP50: number; ratioP95: number; ratioPullP50?: number }[];
}

/**
 * Peer comparison: the same generated configuration, as .pciep to our server and as YAML + JSON
 * Schema to yaml-language-server, both push-only clients (yaml-language-server has no pull
 * diagnostics), edit-to-publish minus each server's own debounce timer.
 */
export async function runPeer(opts: { sizes: number[]; quick: boolean; pull: Map<number, Summary>; log: (s: string) => void }): Promise<PeerResult> {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'pciep-bench-'));
  const schemaPath = path.join(dir, 'pciep.schema.json');
  const schemaText = JSON.stringify(jsonSchema(), null, 1);
  fs.writeFileSync(schemaPath, schemaText);
  const yamlPkg = path.join(ROOT, 'node_modules/yaml-language-server');
  const yamlServerVersion = (JSON.parse(fs.readFileSync(path.join(yamlPkg, 'package.json'), 'utf8')) as { version: string }).version;
  const settings = {
    yaml: { schemas: { [schemaPath]: '*.yaml' }, validate: true, hover: true, completion: true, schemaStore: { enable: false }, kubernetesCRDStore: { enable: false } },
    http: {}, '[yaml]': {}, editor: {},
  };
  const yaml = new BenchLspClient({ args: [path.join(yamlPkg, 'bin/yaml-language-server'), '--stdio'], settings });
  const ours = new BenchLspClient({ args: pciepServerArgs() });
  try {
    await yaml.initialize({ workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: {} } }, `file://${dir}`);
    await yaml.didChangeConfiguration();
    await ours.initialize(PUSH_CAPABILITIES);

    // Sanity: it really validates. Two deliberate errors (a u16 out of range, an unknown attribute), then the clean file.
    const small = toYaml(generateDocument(200));
    const broken = small.replace('vendorid: 0x16c3', 'vendorid: 0x1ffff').replace('msi_interrupts: 8', 'msi_interruptz: 8');
    const sanityUri = `file://${dir}/sanity.yaml`;
    let t0 = performance.now();
    await yaml.open(sanityUri, 'yaml', broken, 1);
    const bad = await yaml.nextDiagnostics(sanityUri, { after: t0 });
    const deliberateErrors = bad.params.diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message}`);
    if (!deliberateErrors.some((m) => /maximum/.test(m)) || !deliberateErrors.some((m) => /msi_interruptz/.test(m))) {
      throw new Error(`yaml-language-server did not report the deliberate errors: ${JSON.stringify(deliberateErrors)}`);
    }
    t0 = performance.now();
    await yaml.conn.sendNotification('textDocument/didChange', { textDocument: { uri: sanityUri, version: 2 }, contentChanges: [{ text: small }] });
    const clean = await yaml.nextDiagnostics(sanityUri, { after: t0 });
    await yaml.close(sanityUri);

    const rows: PeerResult['rows'] = [];
    for (const lines of opts.sizes) {
      opts.log(`  peer: ${lines} lines…`);
      const reps = opts.quick ? 4 : lines <= 1000 ? 25 : 10;
      const text = generateDocument(lines);
      const yText = toYaml(text);
      const yUri = `file://${dir}/gen-${lines}.yaml`;
      const oUri = `file:///bench/peer-${lines}.pciep`;
      t0 = performance.now();
      await yaml.open(yUri, 'yaml', yText, 1);
      const first = await yaml.nextDiagnostics(yUri, { after: t0, timeoutMs: 60000 });
      if (first.params.diagnostics.length > 0) throw new Error(`the YAML form of ${lines} lines is not clean: ${first.params.diagnostics[0].message}`);
      t0 = performance.now();
      await ours.open(oUri, 'pciep', text, 1);
      await ours.nextDiagnostics(oUri, { version: 1, after: t0, timeoutMs: 60000 });
      const yDoc = new EditedDocument(yaml, yUri, yText, ':');
      const oDoc = new EditedDocument(ours, oUri, text, '=');
      if (oDoc.target.line !== yDoc.target.line) throw new Error('the .pciep and YAML edits are not on the same line');
      // Interleaved, one edit each in turn, so a change in machine load hits both alike.
      const yTimes: number[] = [];
      const oTimes: number[] = [];
      for (let i = 0; i < reps + 1; i++) {
        const y = await pushEdit(yaml, yDoc, false);
        const o = await pushEdit(ours, oDoc, true);
        if (i > 0) { yTimes.push(y); oTimes.push(o); } // the first pair warms up
      }
      await yaml.close(yUri);
      await ours.close(oUri);
      const yRes = pushResult(lines, yTimes, YAML_DEBOUNCE_MS);
      const oRes = pushResult(lines, oTimes, OUR_DEBOUNCE_MS);
      const pull = opts.pull.get(lines);
      rows.push({
        lines, ours: oRes, yaml: yRes, oursPull: pull,
        ratioP50: oRes.minusDebounce.p50 / yRes.minusDebounce.p50,
        ratioP95: oRes.minusDebounce.p95 / yRes.minusDebounce.p95,
        ratioPullP50: pull ? pull.p50 / yRes.minusDebounce.p50 : undefined,
      });
    }
    return { yamlServerVersion, schemaBytes: Buffer.byteLength(schemaText), sanity: { deliberateErrors, cleanDiagnostics: clean.params.diagnostics.length }, rows };
  } finally {
    await Promise.all([yaml.shutdown(), ours.shutdown()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Our push path at one size (debounce reported separately from compute). */
export async function runPush(lines: number, reps: number): Promise<PushResult> {
  const client = new BenchLspClient({ args: pciepServerArgs() });
  try {
    await client.initialize(PUSH_CAPABILITIES);
    const text = generateDocument(lines);
    const uri = 'file:///bench/push.pciep';
    const t0 = performance.now();
    await client.open(uri, 'pciep', text, 1);
    await client.nextDiagnostics(uri, { version: 1, after: t0 });
    return await pushEdits(client, new EditedDocument(client, uri, text, '='), reps, OUR_DEBOUNCE_MS, true);
  } finally {
    await client.shutdown();
  }
}

export interface ColdStartResult {
  runs: number;
  /** spawn → first publishDiagnostics of the example (ms). */
  total: Summary;
  /** spawn → initialize answered. */
  initialize: Summary;
  diagnostics: number;
}

/** Cold start: spawn → initialize → didOpen(examples/rk3588-dma.pciep) → first diagnostics (push client). */
export async function runColdStart(runs: number): Promise<ColdStartResult> {
  const text = fs.readFileSync(path.join(ROOT, 'examples/rk3588-dma.pciep'), 'utf8');
  const total: number[] = [];
  const init: number[] = [];
  let diagnostics = 0;
  for (let i = 0; i < runs + 1; i++) {
    const client = new BenchLspClient({ args: pciepServerArgs() });
    try {
      await client.initialize(PUSH_CAPABILITIES);
      const tInit = performance.now();
      const uri = 'file:///bench/rk3588-dma.pciep';
      await client.open(uri, 'pciep', text, 1);
      const p = await client.nextDiagnostics(uri, { version: 1, after: client.spawnedAt });
      diagnostics = p.params.diagnostics.length;
      if (i > 0) { // the first run warms the OS file cache
        total.push(p.at - client.spawnedAt);
        init.push(tInit - client.spawnedAt);
      }
    } finally {
      await client.shutdown();
    }
  }
  return { runs, total: summarize(total), initialize: summarize(init), diagnostics };
}
