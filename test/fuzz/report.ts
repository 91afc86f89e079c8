/**
 * The figures of a fuzz run (inputs tried per kind, the slowest call per operation against its
 * time bound), printed once at the end by the root hook in report.test.ts and, when PCIEP_FUZZ_REPORT
 * names a file, written there as JSON (scripts/fuzz.ts does; docs/robustness.md quotes them).
 */
import * as fs from 'node:fs';
import { LONG, SEEDS, tried } from './config';
import { slowest, TIME_BOUND } from './invariants';

export interface FuzzReport {
  mode: 'short' | 'long';
  seeds: Record<string, number>;
  runsOverride?: number;
  seedOverride?: number;
  tried: Record<string, number>;
  timeBound: typeof TIME_BOUND;
  slowest: { operation: string; ms: number; bytes: number; boundMs: number }[];
}

export function fuzzReport(): FuzzReport {
  const env = (k: string) => (process.env[k] ? Number(process.env[k]) : undefined);
  return {
    mode: LONG ? 'long' : 'short',
    seeds: { ...SEEDS },
    runsOverride: env('PCIEP_FUZZ_RUNS'),
    seedOverride: env('PCIEP_FUZZ_SEED'),
    tried: Object.fromEntries([...tried].sort()),
    timeBound: TIME_BOUND,
    slowest: [...slowest].map(([operation, s]) => ({ operation, ms: Math.round(s.ms * 10) / 10, bytes: s.bytes, boundMs: Math.round(s.boundMs) }))
      .sort((a, b) => b.ms / b.boundMs - a.ms / a.boundMs),
  };
}

export function printReport(): void {
  if (tried.size === 0) return;
  const r = fuzzReport();
  const lines = [`  fuzz figures (${r.mode} run${r.seedOverride !== undefined ? `, seed ${r.seedOverride}` : ''}):`];
  for (const [k, n] of Object.entries(r.tried)) lines.push(`    ${String(n).padStart(8)}  ${k}`);
  lines.push('  closest to the time bound (ms / bound ms, input bytes):');
  for (const s of r.slowest.slice(0, 8)) lines.push(`    ${s.ms.toFixed(1).padStart(8)} / ${String(s.boundMs).padStart(6)}  ${s.operation} (${s.bytes} bytes)`);
  console.log(lines.join('\n'));
  const file = process.env.PCIEP_FUZZ_REPORT;
  if (file) fs.writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
}
