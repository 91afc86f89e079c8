/**
 * The `extensionTestsPath` module: VS Code loads it in the extension host (with this repository as the extension
 * under development) and awaits `run()`. It runs every out/test/vscode/*.test.js with mocha and writes the totals,
 * each test's outcome and the notes the tests recorded (activation time, …) to $PCIEP_VSCODE_RESULTS for
 * scripts/run-vscode-tests.mjs. Mocha's spec report goes to the console, which the workbench forwards to the launcher.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { notes } from './helpers';

interface TestResult { fullTitle: string; state: 'passed' | 'failed' | 'pending'; durationMs?: number; error?: string }

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30000, color: false, reporter: 'spec' });
  if (process.env.PCIEP_VSCODE_GREP) mocha.grep(new RegExp(process.env.PCIEP_VSCODE_GREP));
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  const tests: TestResult[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats ?? { passes: 0, failures, pending: 0, duration: 0 };
      const results = { passes: s.passes, failures: s.failures, pending: s.pending, durationMs: s.duration, tests, notes };
      if (process.env.PCIEP_VSCODE_RESULTS) fs.writeFileSync(process.env.PCIEP_VSCODE_RESULTS, JSON.stringify(results, null, 2));
      if (failures) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => tests.push({ fullTitle: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err: Error) => tests.push({ fullTitle: t.fullTitle(), state: 'failed', error: err?.message ?? String(err) }));
    runner.on('pending', (t) => tests.push({ fullTitle: t.fullTitle(), state: 'pending' }));
  });
}
