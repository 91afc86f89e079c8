#!/usr/bin/env node
// `npm run test:vsix` (after `npm run package`): checks that the packaged .vsix installs into a real VS Code and works.
//   1. `code-server --install-extension <vsix> --extensions-dir <tmp>` succeeds
//   2. `--list-extensions --show-versions` lists publisher.name@version
//   3. the installed folder has what the extension needs at run time (package.json main, dist/server.js, grammar, …)
//      and none of the sources
//   4. the real-VS-Code suite (test/vscode) passes with the INSTALLED folder as the extension under test
//      (scripts/run-vscode-tests.mjs with PCIEP_EXTENSION_PATH; --no-suite skips this step)
// Prints one line per check and last `N passed, N failed`; exit code = failed checks.
//   node scripts/test-vsix.mjs [FILE.vsix] [--skip-setup] [--no-suite]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, CS_DIR, CS_NODE, log as mkLog, secs, runSetup, checkInstalled } from './vscode-common.mjs';

const log = mkLog('test-vsix');
const argv = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const id = `${pkg.publisher}.${pkg.name}`;
const vsix = path.resolve(argv.find((a) => a.endsWith('.vsix')) || path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`));
let passed = 0, failed = 0;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pciep-vsix-'));

function check(name, fn) {
  const t = Date.now();
  try {
    const detail = fn();
    passed++;
    console.log(`  ✔ ${name} (${secs(Date.now() - t)})${detail ? `\n      ${detail}` : ''}`);
    return true;
  } catch (e) {
    failed++;
    console.log(`  ✘ ${name} (${secs(Date.now() - t)})\n      ${String(e?.message || e).split('\n').join('\n      ')}`);
    return false;
  }
}

function codeServer(...args) {
  const r = spawnSync(CS_NODE, [path.join(CS_DIR, 'out', 'node', 'entry.js'), '--config', path.join(tmp, 'config.yaml'),
    '--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', path.join(tmp, 'extensions'), ...args],
  { encoding: 'utf8', timeout: 120000, env: { ...process.env, TMPDIR: tmp } });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0) throw new Error(`code-server ${args.join(' ')} exited ${r.status ?? r.signal}:\n${out}`);
  return out;
}

try {
  if (!argv.includes('--skip-setup')) runSetup();
  checkInstalled();
  if (!fs.existsSync(vsix)) throw new Error(`${path.relative(ROOT, vsix)} not found: run npm run package first`);
  log(`${path.relative(ROOT, vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB) → code-server --extensions-dir ${tmp}/extensions`);
  const installed = path.join(tmp, 'extensions', `${id}-${pkg.version}`);
  const ok = check(`installs with code-server --install-extension`, () => {
    const out = codeServer('--install-extension', vsix);
    if (!/successfully installed/i.test(out)) throw new Error(out);
    return out.split('\n').filter((l) => /installed/i.test(l)).join(' ');
  });
  check(`--list-extensions shows ${id}@${pkg.version}`, () => {
    const out = codeServer('--list-extensions', '--show-versions');
    if (!out.split('\n').some((l) => l.trim() === `${id}@${pkg.version}`)) throw new Error(`listed:\n${out}`);
  });
  check('the installed extension has its run-time files and no sources', () => {
    const need = [pkg.main, 'dist/server.js', 'package.json', 'language-configuration.json',
      ...(pkg.contributes?.grammars ?? []).map((g) => g.path), ...(pkg.contributes?.snippets ?? []).map((s) => s.path)];
    const missing = need.filter((f) => !fs.existsSync(path.join(installed, f)));
    const forbidden = ['client/src', 'server/src', 'node_modules', 'test', 'out', '.vscode-test'].filter((f) => fs.existsSync(path.join(installed, f)));
    if (missing.length || forbidden.length) throw new Error(`missing: ${missing.join(', ') || '-'}; should not be packaged: ${forbidden.join(', ') || '-'}`);
    return `${path.basename(installed)}: ${fs.readdirSync(installed).sort().join(' ')}`;
  });
  if (!argv.includes('--no-suite')) {
    check('the real-VS-Code suite (test/vscode) passes against the installed .vsix', () => {
      if (!ok) throw new Error('not installed');
      log(`running scripts/run-vscode-tests.mjs with PCIEP_EXTENSION_PATH=${installed}`);
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run-vscode-tests.mjs'), '--skip-setup', '--skip-build'],
        { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PCIEP_EXTENSION_PATH: installed }, timeout: 600000 });
      const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
      process.stdout.write(out.split('\n').map((l) => `      | ${l}`).join('\n') + '\n');
      const last = out.trim().split('\n').pop();
      if (r.status !== 0) throw new Error(`suite: ${last} (exit ${r.status ?? r.signal})`);
      return `suite: ${last}`;
    });
  }
} catch (e) {
  failed++;
  console.log(`  ✘ ${e?.message || e}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(Math.min(failed, 100));
