/**
 * `npm run fuzz`: the long, seeded fuzz run (issue "Robustness and security"). Runs the specs of
 * test/fuzz and test/robustness with PCIEP_FUZZ=long — thousands of inputs per property, the
 * full-size hostile inputs (1 MiB lines, 100,000 sections) — and writes the figures to
 * out/fuzz-report.json (or --report FILE). `npm test` runs the same specs in their short form.
 *
 *   npm run fuzz                          every property, fixed seeds (docs/robustness.md)
 *   npm run fuzz -- --grep import         only matching tests
 *   npm run fuzz -- --seed 42 --runs 500  another seed / run count for every property
 *   npm run fuzz -- --short               the short form, as inside npm test
 *
 * A failure prints fast-check's report: seed, path and the shrunk counterexample; re-run it with
 * --seed. Exit status 1 when a property fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'out', 'test');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function specs(dir: string): string[] {
  const abs = path.join(OUT, dir);
  return fs.existsSync(abs) ? fs.readdirSync(abs).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join(abs, f)) : [];
}

function main(): void {
  if (!process.argv.includes('--short')) process.env.PCIEP_FUZZ = 'long';
  const seed = arg('seed');
  const runs = arg('runs');
  if (seed !== undefined) process.env.PCIEP_FUZZ_SEED = seed;
  if (runs !== undefined) process.env.PCIEP_FUZZ_RUNS = runs;
  process.env.PCIEP_FUZZ_REPORT = path.resolve(arg('report') ?? path.join(ROOT, 'out', 'fuzz-report.json'));
  const files = [...specs('fuzz'), ...specs('robustness')];
  if (files.length === 0) {
    console.error('pciep fuzz: no compiled specs under out/test (run `npm run build && npm run compile` first)');
    process.exitCode = 2;
    return;
  }
  const mocha = new Mocha({ reporter: 'spec', timeout: 1_800_000, ...(arg('grep') ? { grep: arg('grep') } : {}) });
  for (const f of files) mocha.addFile(f);
  console.log(`pciep fuzz: ${process.env.PCIEP_FUZZ === 'long' ? 'long' : 'short'} run of ${files.length} spec files${seed ? `, seed ${seed}` : ', fixed seeds'}${runs ? `, ${runs} runs per property` : ''}`);
  const t0 = Date.now();
  mocha.run((failures) => {
    console.log(`pciep fuzz: ${failures ? `${failures} failing` : 'all passing'} in ${Math.round((Date.now() - t0) / 1000)} s; figures in ${path.relative(process.cwd(), process.env.PCIEP_FUZZ_REPORT!)}`);
    process.exitCode = failures ? 1 : 0;
  });
}

main();
