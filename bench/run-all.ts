/**
 * `npm run bench`: every benchmark in one run, printed, and written to bench/results.json and
 * bench/RESULTS.md (machine, date, load, every figure, targets met or missed, findings).
 *
 * Exit status: 1 when a scaling check fails (edit-to-diagnostics over 2^8…2^14 lines, or any
 * request kind between 10,000 and 50,000 lines: cost per line grows with the file size), 2 when a
 * benchmark could not run. Missed latency targets are reported, not failed: they depend on the
 * machine and its load; the scaling exponents do not.
 *
 * `--quick`: fewer repetitions (a smoke run, ~1 minute); figures are then marked as such.
 * `--render`: no measuring; re-evaluates the checks and rewrites bench/RESULTS.md from
 * bench/results.json (after editing bench/findings.md, say).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { runParseBench } from './parse-bench';
import { runDmaBench, type DmaBenchResult } from './dma-bench';
import { emulate } from '../server/src/emulator/emulate';
import { ROOT } from './lsp-client';
import { runColdStart, runMemory, runOurServer, runPeer, runPush, OUR_DEBOUNCE_MS, type ColdStartResult, type MemoryResult, type OurServerResult, type PeerResult, type PushResult } from './lsp-bench';
import { median, round, type Summary } from './stats';

/**
 * Largest accepted exponent of the log-log fit over 2^8…2^14 lines (least squares over the seven
 * medians). Pure linear work gives 1.000 and n·log n work 1.134 over this range (acceptable: maps,
 * sorts); a quadratic term equal to the linear cost at 16 Ki lines gives 1.152, so 1.15 is the
 * line between "n log n at worst" and "a quadratic term that matters at editor sizes". A fixed
 * per-edit cost pulls the exponent down (1.5 ms fixed + 8 µs/line fits at 0.88), which is why the
 * top-end check below exists. Runs of the same build on this shared 2-core machine gave
 * 0.885–1.004. Like rust-analyzer's AssertLinear, a failing fit is retried (up to 3 runs).
 */
const SCALING_THRESHOLD = 1.15;

/**
 * Per-request check at the top end: the exponent between the 10,000- and 50,000-line figures of
 * every request kind, from the fastest sample of each (other processes on the machine only ever
 * add time, so the minimum is the steadiest estimate of a request's own cost; the 50k rows have
 * few samples). The fit above cannot see a quadratic term hidden behind a request's fixed
 * cost at small sizes (a completion that costs 1 ms at 256 lines and grows as n² still fits
 * below 1.0 up to 2^14); between 10k and 50k lines the fixed cost is gone. Point requests should
 * give ≈ 0 to 1, whole-file work ≈ 1.0 and a quadratic term 2.0. Measured on this machine: linear
 * work 0.8–1.5 (garbage collection grows with the live heap, which holds the 50k-line analysis,
 * and the load varies between the two sizes), the quadratic completion of features/completion.ts
 * before its fix 1.84–2.02. 1.6 sits between the two.
 */
const TOP_END_THRESHOLD = 1.6;
const TOP_END_KINDS = ['editToDiagnostics', 'completionAfterEdit', 'inlayHintsAfterEdit', 'semanticTokensAfterEdit', 'hover', 'completion', 'inlayHints', 'formatting'] as const;

interface TopEnd {
  kind: (typeof TOP_END_KINDS)[number];
  from: number;
  to: number;
  exponent: number;
  ok: boolean;
}

function topEnd(server: OurServerResult): TopEnd[] {
  const a = server.sizes.find((s) => s.lines === 10000);
  const b = server.sizes.find((s) => s.lines === 50000);
  if (!a || !b) return [];
  return TOP_END_KINDS.map((kind) => {
    const exponent = Math.log(b[kind].min / a[kind].min) / Math.log(b.lines / a.lines);
    return { kind, from: a.lines, to: b.lines, exponent, ok: exponent <= TOP_END_THRESHOLD };
  });
}

interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  v8Flags: string;
  date: string;
  loadStart: number[];
  /** Share of CPU time idle, all cores, over the 3 s before the run (the load average lags a minute). */
  idleBeforePct: number;
  loadEnd?: number[];
  /** machineReference() at the start and the end of the run (absent in older results). */
  referenceStart?: { loopMs: number; allocMs: number };
  referenceEnd?: { loopMs: number; allocMs: number };
}

interface DebuggerResult {
  status: 'measured' | 'not measured yet';
  via?: string;
  figures?: unknown;
  output?: string;
}

interface Results {
  machine: Machine;
  quick: boolean;
  durationS?: number;
  parse: ReturnType<typeof runParseBench>;
  server: OurServerResult;
  memory: MemoryResult;
  push: PushResult;
  coldStart: ColdStartResult;
  peer: PeerResult;
  bundles: { file: string; bytes: number }[];
  emulator: { dma: DmaBenchResult; exampleRunMs: { median: number; runs: number; file: string } };
  debugger: DebuggerResult;
  topEnd: TopEnd[];
  targets: { what: string; target: string; value: string; met: boolean }[];
}

const quick = process.argv.includes('--quick');
const log = (s: string): void => console.log(s);

function loadavg(): number[] {
  return os.loadavg().map((x) => round(x, 2));
}

/** Idle share of all cores over `ms` (from os.cpus() tick counters). */
async function idlePct(ms: number): Promise<number> {
  const sample = (): { idle: number; total: number } => os.cpus().reduce((acc, c) => {
    const t = c.times;
    return { idle: acc.idle + t.idle, total: acc.total + t.user + t.nice + t.sys + t.idle + t.irq };
  }, { idle: 0, total: 0 });
  const a = sample();
  await new Promise((res) => setTimeout(res, ms));
  const b = sample();
  return round((100 * (b.idle - a.idle)) / Math.max(1, b.total - a.total), 0);
}

/**
 * The machine's speed at the moment, two ways, each the fastest of five runs in ms: `loop`, a
 * fixed integer loop (10^8 iterations), and `alloc`, building and walking 10^6 small objects (the
 * server's kind of work: allocation, collection, pointer chasing). On this shared VM both move by
 * up to 2x from one minute to the next, and every figure of a run moves with them; recorded at the
 * start and the end of a run so its figures can be read against them, and runs compared.
 */
function machineReference(): { loopMs: number; allocMs: number } {
  let loopMs = Infinity;
  let allocMs = Infinity;
  let sink = 0;
  for (let run = 0; run < 5; run++) {
    let t = performance.now();
    for (let i = 0; i < 1e8; i++) sink += i & 7;
    loopMs = Math.min(loopMs, performance.now() - t);
    t = performance.now();
    const objects: { line: number; text: string; range: { start: number; end: number } }[] = [];
    for (let i = 0; i < 1e6; i++) objects.push({ line: i, text: `x${i & 1023}`, range: { start: i, end: i + 1 } });
    for (const o of objects) sink += o.range.end - o.line;
    allocMs = Math.min(allocMs, performance.now() - t);
  }
  if (sink < 0) throw new Error('unreachable: keeps the loops from being optimised away');
  return { loopMs: round(loopMs, 0), allocMs: round(allocMs, 0) };
}

function refText(r: { loopMs: number; allocMs: number } | undefined): string {
  return r ? `loop ${r.loopMs} ms / alloc ${r.allocMs} ms` : 'n/a';
}

function bundles(): { file: string; bytes: number }[] {
  const dist = path.join(ROOT, 'dist');
  if (!fs.existsSync(dist)) return [];
  return fs.readdirSync(dist).filter((f) => f.endsWith('.js')).sort().map((file) => ({ file: `dist/${file}`, bytes: fs.statSync(path.join(dist, file)).size }));
}

function exampleRun(): { median: number; runs: number; file: string } {
  const file = 'examples/rk3588-dma.pciep';
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const errors = emulate(text).diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`${file} emulates with errors: ${errors[0].message}`);
  for (let i = 0; i < 3; i++) emulate(text);
  const xs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    emulate(text);
    xs.push(performance.now() - t0);
  }
  return { median: median(xs), runs: 20, file };
}

/**
 * The debugger figures come from bench/dap-bench.ts (another engineer's): an exported function
 * when there is one, else its compiled script run as a child process, else "not measured yet".
 */
async function debuggerBench(): Promise<DebuggerResult> {
  const js = path.join(__dirname, 'dap-bench.js');
  if (!fs.existsSync(js)) return { status: 'not measured yet' };
  const load = createRequire(__filename);
  const mod = load(js) as Record<string, unknown>;
  const exported = Object.entries(mod).find(([name, v]) => typeof v === 'function' && /^run|bench/i.test(name));
  if (exported) {
    const fn = exported[1] as () => unknown;
    return { status: 'measured', via: `${exported[0]}() from bench/dap-bench.ts`, figures: await fn() };
  }
  const r = spawnSync(process.execPath, [js], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) return { status: 'not measured yet', via: 'node out/bench/dap-bench.js', output: `exit ${r.status}: ${(r.stderr || r.stdout).slice(-2000)}` };
  return { status: 'measured', via: 'node out/bench/dap-bench.js (child process)', output: r.stdout.trim() };
}

const ms = (x: number): string => (Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0)) : '–');
const pp = (s: Summary): string => `${ms(s.p50)} / ${ms(s.p95)}`;
const kib = (k: number): string => `${(k / 1024).toFixed(1)} MiB`;
const num = (n: number): string => Math.round(n).toLocaleString('en-US');

function evaluateTargets(r: Results): Results['targets'] {
  const t: Results['targets'] = [];
  const size = (n: number) => r.server.sizes.find((s) => s.lines === n);
  const add = (what: string, target: string, value: number, limit: number, higherIsBetter = false, unit = ' ms'): void => {
    if (!Number.isFinite(value)) return;
    t.push({ what, target, value: `${unit !== '' ? ms(value) : value >= 1000 ? num(value) : value.toFixed(2)}${unit}`, met: higherIsBetter ? value >= limit : value <= limit });
  };
  add('edit-to-diagnostics p95, 1,000 lines', '< 10 ms', size(1000)?.editToDiagnostics.p95 ?? NaN, 10);
  add('edit-to-diagnostics p95, 50,000 lines', '< 200 ms', size(50000)?.editToDiagnostics.p95 ?? NaN, 200);
  add('hover p95, 1,000 lines', '< 20 ms', size(1000)?.hover.p95 ?? NaN, 20);
  add('completion p95, 1,000 lines', '< 20 ms', size(1000)?.completion.p95 ?? NaN, 20);
  for (const row of r.peer.rows) add(`ours / yaml-language-server, edit-to-diagnostics p50, ${num(row.lines)} lines`, '≤ 0.5', row.ratioP50, 0.5, false, '');
  add('parse + validate p50, 10,000 lines, in process (parse-bench.ts target)', '< 50 ms', r.parse.find((x) => x.lines === 10000)?.analyzeMs ?? NaN, 50);
  add('DMA throughput / Buffer.copy', '≥ 0.5', r.emulator.dma.ratio, 0.5, true, '');
  add('DMA: 64-byte LL elements per second, engine only (dma-bench.ts target)', '≥ 1,000,000', r.emulator.dma.elementsPerSecond, 1e6, true, '');
  add('cold start to first diagnostics (p50)', '< 300 ms', r.coldStart.total.p50, 300);
  // The debugger's own figures (bench/dap-bench.ts prints "label: median X ms  p95 Y ms … (target < Z ms)").
  for (const line of (r.debugger.output ?? '').split('\n')) {
    const m = /^(.+?):\s+median\s+([\d.]+) ms\s+p95\s+([\d.]+) ms.*\(target < ([\d.]+) ms\)/.exec(line);
    if (m) add(`debugger: ${m[1].trim()} (p95)`, `< ${m[4]} ms`, Number(m[3]), Number(m[4]));
  }
  t.push({ what: 'linear scaling: log-log exponent of edit-to-diagnostics, 2^8…2^14 lines', target: `≤ ${SCALING_THRESHOLD}`, value: r.server.scaling.exponent.toFixed(3), met: r.server.scaling.ok });
  for (const e of r.topEnd) t.push({ what: `scaling at the top end: ${e.kind}, ${num(e.from)} → ${num(e.to)} lines (exponent)`, target: `≤ ${TOP_END_THRESHOLD}`, value: e.exponent.toFixed(2), met: e.ok });
  // The anchors' budgets (shared/reference/vscode-anchors.md 4.2), informational.
  const big = size(50000);
  add('anchor 4.2: semantic tokens, 1,000 lines (p95)', '< 30 ms', size(1000)?.semanticTokensAfterEdit.p95 ?? NaN, 30);
  add('anchor 4.2: formatting, 1,000 lines (p95)', '< 100 ms', size(1000)?.formatting.p95 ?? NaN, 100);
  if (big) {
    add('anchor 4.2: hover p95, 50,000 lines', '< 100 ms', big.hover.p95, 100);
    add('anchor 4.2: completion p95, 50,000 lines', '< 100 ms', big.completion.p95, 100);
    add('anchor 4.2: semantic tokens p95, 50,000 lines', '< 200 ms', big.semanticTokensAfterEdit.p95, 200);
    add('anchor 4.2: formatting p95, 50,000 lines', '< 500 ms', big.formatting.p95, 500);
  }
  return t;
}

function renderFigures(figures: unknown, prefix = ''): string[] {
  if (figures === null || typeof figures !== 'object') return [`| ${prefix || 'value'} | ${String(figures)} |`];
  const rows: string[] = [];
  for (const [k, v] of Object.entries(figures as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) rows.push(...renderFigures(v, key));
    else rows.push(`| ${key} | ${typeof v === 'number' ? round(v, 3) : JSON.stringify(v)} |`);
  }
  return rows;
}

function markdown(r: Results): string {
  const m = r.machine;
  const L: string[] = [];
  L.push('# Benchmark results', '');
  L.push('Generated by `npm run bench` (bench/run-all.ts); bench/results.json holds the same figures. Times are milliseconds, wall clock in the client (JSON-RPC both ways included), "p50 / p95".', '');
  if (r.quick) L.push('**Quick run (`--quick`): reduced repetitions, not the reference figures.**', '');
  L.push('## Machine', '');
  L.push('| | |', '|---|---|');
  L.push(`| CPU | ${m.cpu} |`, `| cores | ${m.cores} |`, `| memory | ${m.memoryGiB.toFixed(1)} GiB |`, `| OS | ${m.os} |`, `| Node | ${m.node} (${m.v8Flags}) |`);
  L.push(`| date | ${m.date} |`, `| load average (1/5/15 min) at start | ${m.loadStart.join(' / ')} (CPU idle over the 3 s before: ${m.idleBeforePct} %) |`, `| at end | ${(m.loadEnd ?? []).join(' / ')} |`, `| duration | ${r.durationS?.toFixed(0)} s |`,
    `| machine reference (fastest of 5; lower is a faster machine at that moment: a 10^8 integer loop / building and walking 10^6 objects) | ${refText(m.referenceStart)} at start, ${refText(m.referenceEnd)} at end |`, '');
  L.push('The machine is shared (other engineers build and test on it); a load average near or above the core count means a request may wait for a CPU, which shows in the p95 columns first. The bench itself keeps about one core busy (client + server), so the load average during and after it reads at least ~1.', '');

  L.push('## Targets', '');
  L.push('| what | target | measured | |', '|---|---|---|---|');
  for (const t of r.targets) L.push(`| ${t.what} | ${t.target} | ${t.value} | ${t.met ? 'met' : '**MISSED**'} |`);
  L.push('');

  L.push('## Language server (real client over stdio, pull diagnostics)', '');
  L.push('Generated documents (bench/generate.ts). **Edit → diagnostics**: one `didChange` changing one value (`msi_interrupts` 8 ↔ 4, mid-file), then `textDocument/diagnostic`; the server re-parses, re-validates and re-emulates the whole file. Then, for that version, what an editor asks next: **inlay hints** for the 60-line viewport around the edit (the first request to need the views\' result: BAR tables, metadata, builds it) and **semantic tokens** (full). **Completion after edit**: `didChange` then completion at once (typing; the analysis is computed for it). **Hover**, **completion**, **inlay hints (scrolling)**: warm, on an analysed version, positions spread over the file (hover: half section headers with their BAR tables, half attributes; completion: half values, half attribute names). **Formatting**: whole document.', '');
  L.push('| lines | edit → diagnostics | inlay hints after edit | semantic tokens after edit | completion after edit | hover | completion | inlay hints (scrolling) | formatting |');
  L.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of r.server.sizes) {
    L.push(`| ${num(s.lines)} | ${pp(s.editToDiagnostics)} | ${pp(s.inlayHintsAfterEdit)} | ${pp(s.semanticTokensAfterEdit)} | ${pp(s.completionAfterEdit)} | ${pp(s.hover)} | ${pp(s.completion)} | ${pp(s.inlayHints)} | ${pp(s.formatting)} |`);
  }
  L.push('', `Samples per size: edits ${r.server.sizes.map((s) => s.editToDiagnostics.n).join('/')}, hovers ${r.server.sizes.map((s) => s.hover.n).join('/')}, completions ${r.server.sizes.map((s) => s.completion.n).join('/')}, formatting ${r.server.sizes.map((s) => s.formatting.n).join('/')}. Diagnostics per document: ${r.server.sizes.map((s) => s.diagnostics).join('/')}; semantic tokens: ${r.server.sizes.map((s) => num(s.tokenCount)).join('/')}. The first semantic-tokens request of each document (after its first edit, outside the samples above: it has no earlier path segments to reuse) took ${r.server.sizes.map((s) => (s.firstTokensMs === undefined ? 'n/a' : s.firstTokensMs.toFixed(1))).join('/')} ms.`, '');
  if (r.topEnd.length) {
    L.push('Exponent between the 10,000- and 50,000-line figures (fastest sample of each; 1 = linear in the file size, 0 = independent of it, 2 = quadratic; must be ≤ ' + TOP_END_THRESHOLD + '): ' + r.topEnd.map((e) => `${e.kind} ${e.exponent.toFixed(2)}${e.ok ? '' : ' **(FAIL)**'}`).join(', ') + '.', '');
  }

  const sc = r.server.scaling;
  L.push('### Linear scaling', '');
  L.push(`Median edit-to-diagnostics per size, least-squares fit of log(time) on log(lines): **exponent ${sc.exponent.toFixed(3)}** (R² ${sc.r2.toFixed(3)}), threshold ${sc.threshold} → ${sc.ok ? 'linear (pass)' : '**FAIL: cost per line grows with size**'}${sc.attempts > 1 ? ` (after ${sc.attempts} runs)` : ''}.`, '');
  L.push('| lines | ms | µs/line |', '|---:|---:|---:|');
  for (const s of sc.sizes) L.push(`| ${num(s.lines)} | ${ms(s.ms)} | ${s.usPerLine.toFixed(2)} |`);
  L.push('', `Threshold ${SCALING_THRESHOLD}: over 2^8…2^14, pure linear work fits at 1.000, n·log n at 1.134 (acceptable), and a quadratic term equal to the linear cost at 16 Ki lines at 1.152; so the threshold passes n·log n and fails a quadratic term that matters at editor sizes. Runs of the same build here gave 0.885–1.004. Limitation: a fixed per-edit cost pulls the fit down (1.5 ms fixed + 8 µs/line fits at 0.88, and then even that quadratic term only at 1.03), so every request kind is also checked between 10,000 and 50,000 lines, where fixed costs vanish (above). Per line, the cost rises from ~4–8 µs below 1,000 lines (the analysis fits in cache and in V8's young generation) to ~9 µs from 4,096 lines on, and stays there up to 50,000 lines. The bench exits non-zero when a check fails (the tests do not).`, '');

  const mem = r.memory;
  L.push('### Memory', '');
  L.push(`Server process, /proc/<pid>/status: VmRSS after initialize ${kib(mem.rssStartKiB)}, after opening a ${num(mem.lines)}-line file ${kib(mem.rssOpenKiB)}, **after ${num(mem.edits)} edits (each analysed) ${kib(mem.rssAfterKiB)}**, peak (VmHWM) ${kib(mem.peakKiB)}; every 100 edits: ${mem.rssEvery100KiB.map((k) => (k / 1024).toFixed(0)).join(', ')} MiB. Edit-to-diagnostics over those ${num(mem.edits)} edits: ${pp(mem.editToDiagnostics)}.`, '');

  L.push('### Push diagnostics and debounce', '');
  L.push(`Push-only client (no \`textDocument.diagnostic\`), ${num(r.push.lines)} lines: edit → \`publishDiagnostics\` of that version ${pp(r.push.total)}, of which ${OUR_DEBOUNCE_MS} ms is the server's debounce (server.ts DEBOUNCE_MS: typing never waits for validation); minus the debounce ${pp(r.push.minusDebounce)}.`, '');

  L.push('### Cold start', '');
  L.push(`Spawn → initialize → didOpen(examples/rk3588-dma.pciep) → first diagnostics: **${pp(r.coldStart.total)}** over ${r.coldStart.runs} runs (initialize answered after ${pp(r.coldStart.initialize)}); the example gets ${r.coldStart.diagnostics} diagnostic${r.coldStart.diagnostics === 1 ? '' : 's'}.`, '');

  L.push('### Extension bundles', '');
  L.push('| file | bytes |', '|---|---:|');
  for (const b of r.bundles) L.push(`| ${b.file} | ${num(b.bytes)} |`);
  L.push('');

  const p = r.peer;
  L.push('## Peer comparison: yaml-language-server', '');
  L.push(`The same generated configuration as YAML (line for line: each section a mapping, attributes as keys) with a JSON Schema (${num(p.schemaBytes)} bytes) generated from our attribute schema data (integer widths, store range checks, kstrtobool words, enumerations, link targets, \`additionalProperties: false\`), validated by yaml-language-server ${p.yamlServerVersion} (\`--stdio\`, schema via \`yaml.schemas\` answered from \`workspace/configuration\`, schema store off). Before timing it must report two deliberate errors: ${p.sanity.deliberateErrors.map((e) => `"${e}"`).join('; ')}; the clean file gives ${p.sanity.cleanDiagnostics} diagnostics.`, '');
  L.push('yaml-language-server has no pull diagnostics and a fixed 200 ms debounce, so both servers are driven as push clients and each figure is edit → `publishDiagnostics` minus that server\'s own debounce (ours 150 ms). Our server parses, validates **and emulates** (bind, BAR layout, eDMA, host probe); the peer checks the schema only.', '');
  L.push('| lines | ours (push − 150 ms) | yaml-language-server (push − 200 ms) | ratio p50 | ratio p95 | ours, pull | pull / peer p50 |', '|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of p.rows) {
    L.push(`| ${num(row.lines)} | ${pp(row.ours.minusDebounce)} | ${pp(row.yaml.minusDebounce)} | **${row.ratioP50.toFixed(2)}** | ${row.ratioP95.toFixed(2)} | ${row.oursPull ? pp(row.oursPull) : '–'} | ${row.ratioPullP50 !== undefined ? row.ratioPullP50.toFixed(2) : '–'} |`);
  }
  L.push('');

  L.push('## Emulator', '');
  const d = r.emulator.dma;
  const gib = (bytes: number, t: number): string => (bytes / (t / 1000) / 2 ** 30).toFixed(2);
  L.push('| | |', '|---|---|');
  L.push(`| eDMA write channel, 256 MiB in 1 MiB LL elements (driver model, chunks, IRQs) | ${ms(d.emulatedMs)} ms (${gib(d.totalBytes, d.emulatedMs)} GiB/s) |`);
  L.push(`| plain Buffer.copy of the same bytes, same run | ${ms(d.plainCopyMs)} ms (${gib(d.totalBytes, d.plainCopyMs)} GiB/s) |`);
  L.push(`| throughput ratio (Buffer.copy time / emulated time) | **${d.ratio.toFixed(2)}** |`);
  L.push(`| ${d.smallElementBytes}-byte LL elements, engine only | ${num(d.elementsPerSecond)} elements/s |`);
  L.push(`| same through the dw-edma driver model (169-element chunks) | ${num(d.driverElementsPerSecond)} elements/s |`);
  L.push(`| emulate() of ${r.emulator.exampleRunMs.file}, median of ${r.emulator.exampleRunMs.runs} | ${ms(r.emulator.exampleRunMs.median)} ms |`, '');

  L.push('## Parse + validate (in process, bench/parse-bench.ts)', '');
  L.push('| lines | parse | parse + validate (p50) | p95 | µs/line |', '|---:|---:|---:|---:|---:|');
  for (const row of r.parse) L.push(`| ${num(row.lines)} | ${ms(row.parseMs)} | ${ms(row.analyzeMs)} | ${ms(row.p95Ms)} | ${((row.analyzeMs * 1000) / row.lines).toFixed(2)} |`);
  L.push('');

  L.push('## Debugger', '');
  const dbg = r.debugger;
  if (dbg.status !== 'measured') {
    L.push(`Step latency and readMemory latency: **not measured yet** (bench/dap-bench.ts is being written by another engineer; run-all calls its exported function, or runs out/bench/dap-bench.js, as soon as it exists).${dbg.output ? ` Last attempt: ${dbg.output}` : ''}`, '');
  } else if (dbg.figures !== undefined) {
    L.push(`Via ${dbg.via}.`, '', '| figure | value |', '|---|---|', ...renderFigures(dbg.figures), '');
  } else {
    L.push(`Via ${dbg.via}:`, '', '```', dbg.output ?? '', '```', '');
  }

  const findings = path.join(ROOT, 'bench/findings.md');
  if (fs.existsSync(findings)) L.push(fs.readFileSync(findings, 'utf8').trim(), '');
  return L.join('\n');
}

function printSummary(r: Results): void {
  log('');
  log('lines   edit→diag p50/p95   hover p50/p95   completion p50/p95   inlay(after edit)   tokens(after edit)   format p50/p95');
  for (const s of r.server.sizes) {
    log(`${String(s.lines).padStart(6)}  ${pp(s.editToDiagnostics).padStart(17)}  ${pp(s.hover).padStart(14)}  ${pp(s.completion).padStart(19)}  ${pp(s.inlayHintsAfterEdit).padStart(17)}  ${pp(s.semanticTokensAfterEdit).padStart(18)}  ${pp(s.formatting).padStart(14)}`);
  }
  log(`scaling exponent ${r.server.scaling.exponent.toFixed(3)} (≤ ${SCALING_THRESHOLD}): ${r.server.scaling.sizes.map((s) => `${s.lines}:${ms(s.ms)}`).join(' ')}`);
  log(`memory after ${r.memory.edits} edits: RSS ${kib(r.memory.rssAfterKiB)} (peak ${kib(r.memory.peakKiB)})`);
  log(`push: ${pp(r.push.total)} incl. ${OUR_DEBOUNCE_MS} ms debounce; cold start ${pp(r.coldStart.total)}`);
  for (const row of r.peer.rows) log(`peer ${row.lines} lines: ours ${pp(row.ours.minusDebounce)} vs yaml-language-server ${pp(row.yaml.minusDebounce)} → ratio ${row.ratioP50.toFixed(2)}`);
  log(`DMA ratio ${r.emulator.dma.ratio.toFixed(2)}, ${num(r.emulator.dma.elementsPerSecond)} elements/s, example run ${ms(r.emulator.exampleRunMs.median)} ms`);
  log(`debugger: ${r.debugger.status}`);
  log('');
  for (const t of r.targets) log(`${t.met ? 'met   ' : 'MISSED'}  ${t.what}: ${t.value} (target ${t.target})`);
}

function render(): number {
  const r = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench/results.json'), 'utf8')) as Results;
  r.topEnd = topEnd(r.server);
  r.targets = evaluateTargets(r);
  fs.writeFileSync(path.join(ROOT, 'bench/RESULTS.md'), markdown(r) + '\n');
  log(`rewrote bench/RESULTS.md from bench/results.json (run of ${r.machine.date})`);
  return r.server.scaling.ok && r.topEnd.every((e) => e.ok) ? 0 : 1;
}

async function main(): Promise<number> {
  if (process.argv.includes('--render')) return render();
  const t0 = performance.now();
  const cpus = os.cpus();
  const machine: Machine = {
    cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memoryGiB: os.totalmem() / 2 ** 30, node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`, v8Flags: process.execArgv.join(' ') || 'no V8 flags', date: new Date().toISOString(), loadStart: loadavg(),
    idleBeforePct: await idlePct(3000), referenceStart: machineReference(),
  };
  log(`bench: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}, load ${machine.loadStart.join(' ')}, idle ${machine.idleBeforePct} %, machine reference ${refText(machine.referenceStart)}${quick ? ' (quick)' : ''}`);
  const sizes = [100, 1000, 10000, 50000];
  // In-process parse + validate first, while this process is fresh (its heap is not yet holding the client's history).
  log('parse + validate (in process)…');
  const parse = runParseBench();
  // Cold start next, on a quiet machine as when an editor opens the first file: measured after
  // the large-file runs it read 30-110 ms more (this process then holds their history, and its
  // own collector competes for the two cores with the server being timed).
  log('cold start…');
  const coldStart = await runColdStart(quick ? 3 : 7);
  log('language server…');
  const server = await runOurServer({ sizes, threshold: SCALING_THRESHOLD, quick, log });
  log('memory: 1,000 edits on a fresh server…');
  const memory = await runMemory(quick);
  log('push path (debounce)…');
  const push = await runPush(1000, quick ? 4 : 10);
  log('peer comparison (yaml-language-server)…');
  const pull = new Map(server.sizes.map((s) => [s.lines, s.editToDiagnostics] as const));
  const peer = await runPeer({ sizes: [1000, 10000], quick, pull, log });
  log('emulator…');
  const exampleRunMs = exampleRun();
  const dma = runDmaBench();
  log('debugger…');
  const dbg = await debuggerBench();
  machine.loadEnd = loadavg();
  machine.referenceEnd = machineReference();
  log(`machine reference at end: ${refText(machine.referenceEnd)} (start ${refText(machine.referenceStart)})`);
  const r: Results = {
    machine, quick, parse, server, memory, push, coldStart, peer, bundles: bundles(), emulator: { dma, exampleRunMs }, debugger: dbg, topEnd: topEnd(server), targets: [],
  };
  r.targets = evaluateTargets(r);
  r.durationS = (performance.now() - t0) / 1000;
  fs.writeFileSync(path.join(ROOT, 'bench/results.json'), JSON.stringify(r, null, 2) + '\n');
  fs.writeFileSync(path.join(ROOT, 'bench/RESULTS.md'), markdown(r) + '\n');
  printSummary(r);
  if (server.stderr.trim()) log(`server stderr:\n${server.stderr.slice(-2000)}`);
  log(`wrote bench/results.json and bench/RESULTS.md (${r.durationS.toFixed(0)} s)`);
  let code = 0;
  if (!server.scaling.ok) {
    log(`FAIL: edit-to-diagnostics does not scale linearly (exponent ${server.scaling.exponent.toFixed(3)} > ${SCALING_THRESHOLD})`);
    code = 1;
  }
  for (const e of r.topEnd.filter((x) => !x.ok)) {
    log(`FAIL: ${e.kind} grows faster than the file: exponent ${e.exponent.toFixed(2)} between ${e.from} and ${e.to} lines (> ${TOP_END_THRESHOLD})`);
    code = 1;
  }
  return code;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exitCode = 2;
});
