/**
 * Parse + validate benchmark (issue: a 10,000-line file in under 50 ms). Prints the figures;
 * it is not a pass/fail test. Run with `npm run bench`, which starts Node with the V8 flag the
 * language server and the CLI run with (`--max-semi-space-size=64`): the syntax tree of a large
 * file survives every young-generation GC, and with V8's default 16 MiB semi-space the copying
 * made 10,000 lines cost ~90 ms instead of ~35 ms (measured with --cpu-prof; see README).
 */
import { performance } from 'node:perf_hooks';
import { parse } from '../server/src/language/parser';
import { analyze } from '../server/src/language/validate';
import { generateDocument } from './generate';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, runs: number): { median: number; p95: number } {
  for (let i = 0; i < 3; i++) fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
  }
  const s = [...xs].sort((a, b) => a - b);
  return { median: median(xs), p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] };
}

export function runParseBench(): { lines: number; parseMs: number; analyzeMs: number; p95Ms: number }[] {
  const rows = [];
  for (const lines of [256, 1000, 4096, 10000, 16384]) {
    const text = generateDocument(lines);
    const p = time(() => parse(text), 20);
    const a = time(() => analyze(text), 20);
    rows.push({ lines, parseMs: p.median, analyzeMs: a.median, p95Ms: a.p95 });
  }
  return rows;
}

if (require.main === module) {
  const rows = runParseBench();
  console.log('lines    parse(ms)  parse+validate(ms)  p95(ms)  µs/line');
  for (const r of rows) {
    console.log(`${String(r.lines).padStart(6)}  ${r.parseMs.toFixed(2).padStart(9)}  ${r.analyzeMs.toFixed(2).padStart(18)}  ${r.p95Ms.toFixed(2).padStart(7)}  ${((r.analyzeMs * 1000) / r.lines).toFixed(2).padStart(7)}`);
  }
  const flags = process.execArgv.join(' ') || '(no V8 flags)';
  console.log(`node ${process.version} ${flags}`);
  const tenK = rows.find((r) => r.lines === 10000)!;
  console.log(`10,000-line parse + validate: ${tenK.analyzeMs.toFixed(2)} ms (target < 50 ms): ${tenK.analyzeMs < 50 ? 'met' : 'MISSED'}`);
}
