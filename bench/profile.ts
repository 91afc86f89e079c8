/**
 * Where the server spends an edit: spawns it with `--cpu-prof` (as editors start it, plus the
 * flag), opens a generated document, makes N edits each followed by a pull of diagnostics (or
 * sends N requests of another kind on the analysed version), shuts it down so V8 writes the
 * .cpuprofile, and prints self time per function, and per file.
 *
 *   node out/bench/profile.js [lines=10000] [count=20] [request=diagnostic|hover|completion|tokens|format]
 *   node out/bench/profile.js --read FILE.cpuprofile     (aggregate an existing profile)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CompletionRequest, DocumentDiagnosticRequest, DocumentFormattingRequest, HoverRequest, SemanticTokensRequest,
} from 'vscode-languageserver-protocol';
import { BenchLspClient, pciepServerArgs } from './lsp-client';
import { PULL_CAPABILITIES } from './lsp-bench';
import { generateDocument } from './generate';
import { editTarget } from './yaml-peer';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** Self time per function and per source file of a V8 .cpuprofile. */
export function aggregate(profile: CpuProfile): { total: number; functions: SelfTime[]; files: SelfTime[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n] as const));
  const fns = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    if (!n) return;
    total += dt;
    const cf = n.callFrame;
    const file = cf.url ? cf.url.replace(/^file:\/\//, '').split('/').slice(-2).join('/') : '(native)';
    const fn = `${cf.functionName || '(anonymous)'} ${file}:${cf.lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + dt);
    files.set(file, (files.get(file) ?? 0) + dt);
  });
  const rows = (m: Map<string, number>): SelfTime[] => [...m].map(([name, ms]) => ({ name, ms, share: ms / total })).sort((a, b) => b.ms - a.ms);
  return { total, functions: rows(fns), files: rows(files) };
}

function print(agg: ReturnType<typeof aggregate>, top = 30): void {
  const line = (r: SelfTime): string => `${r.ms.toFixed(1).padStart(9)} ms ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.name}`;
  console.log(`total sampled ${agg.total.toFixed(0)} ms; self time by function:`);
  for (const r of agg.functions.slice(0, top)) console.log(line(r));
  console.log('by file (bundle: dist/server.js has no per-module files; see the function names):');
  for (const r of agg.files.slice(0, 10)) console.log(line(r));
}

async function profileServer(lines: number, edits: number, request: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pciep-prof-'));
  const client = new BenchLspClient({ args: pciepServerArgs(['--cpu-prof', `--cpu-prof-dir=${dir}`]) });
  await client.initialize(PULL_CAPABILITIES);
  const text = generateDocument(lines);
  const uri = 'file:///bench/profile.pciep';
  await client.open(uri, 'pciep', text, 1);
  const t = editTarget(text, '=');
  const pull = (): Promise<unknown> => client.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
  await pull();
  const header = text.split('\n').findIndex((l) => l.startsWith('[functions/'));
  const t0 = performance.now();
  for (let v = 2; v < edits + 2; v++) {
    if (request === 'diagnostic') {
      await client.changeRange(uri, v, { start: { line: t.line, character: t.start }, end: { line: t.line, character: t.start + 1 } }, v % 2 ? t.value : '4');
      await pull();
    }
    if (request === 'hover') await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: header + 9 * (v % 50), character: 3 } });
    if (request === 'completion') await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: t.line, character: t.end } });
    if (request === 'tokens') await client.conn.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
    if (request === 'format') await client.conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
  }
  const what = request === 'diagnostic' ? 'edit + pull diagnostics' : `${request} (same version, analysis cached)`;
  console.log(`${edits} × ${what} at ${lines} lines: ${((performance.now() - t0) / edits).toFixed(1)} ms each (with profiling on)`);
  await client.shutdown();
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  return path.join(dir, file);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const read = args.indexOf('--read');
  const file = read >= 0 ? args[read + 1] : await profileServer(Number(args[0] ?? 10000), Number(args[1] ?? 20), args[2] ?? 'diagnostic');
  console.log(`profile: ${file}`);
  print(aggregate(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exitCode = 1;
  });
}
