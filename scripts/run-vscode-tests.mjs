#!/usr/bin/env node
// `npm run test:vscode`: runs test/vscode/*.test.ts (compiled to out/test/vscode/) with mocha inside the extension host
// of a real VS Code 1.100.3 (the VS Code server bundled in the code-server npm package), with this repository loaded as
// the extension under development, on a workspace that is a temp copy of examples/, its web workbench headless in
// Debian's Chromium. Same mechanism as `code --extensionDevelopmentPath=. --extensionTestsPath=out/test/vscode/index.js`:
// the workbench gets both through its `payload` URL parameter and reports the end through `codeAutomationExit`.
//
//   node scripts/run-vscode-tests.mjs [--skip-setup] [--skip-build] [--grep REGEX]
//
// Steps: 1. scripts/vscode-setup.sh (apt + code-server; idempotent)  2. npm run build + tsc -p .  3. the run.
// Prints mocha's spec report and totals, timings, the extension's activation time, and last a line
// `N passed, N failed`. Exit code: the number of failed tests (1 if the run itself failed; at most 100).
// env: PCIEP_VSCODE_TIMEOUT_MS (whole run in VS Code, default 300000), VERBOSE=1 (browser console + server log),
//      PCIEP_EXTENSION_PATH (load another build of the extension; default: this repository),
//      KEEP_TMP=1 (keep the temp dir), FAIL_SHOT=file.png (screenshot when something failed),
//      CODE_SERVER_VERSION / CODE_SERVER_NODE_MAJOR / CODE_SERVER_NODE / CHROMIUM (see scripts/vscode-common.mjs)
import { spawnSync } from 'node:child_process';
import { format } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ROOT, CS_VERSION, CHROMIUM, CHROMIUM_ARGS, SETTINGS, log as mkLog, secs, runSetup, checkInstalled, freePort,
  startServer, stopServer, stopOnSignals, isolatedEnv,
} from './vscode-common.mjs';

const log = mkLog('vscode-tests');
const argv = process.argv.slice(2);
const flag = (n) => argv.includes(n);
const grepIdx = argv.indexOf('--grep');
const grep = grepIdx >= 0 ? argv[grepIdx + 1] : process.env.PCIEP_VSCODE_GREP || '';
const RUN_TIMEOUT_MS = Number(process.env.PCIEP_VSCODE_TIMEOUT_MS || 300000);
const TESTS_DIR = path.join(ROOT, 'out', 'test', 'vscode');
/** The extension under development (default: this repository). */
const EXT_PATH = path.resolve(process.env.PCIEP_EXTENSION_PATH || ROOT);
const timings = {};
/** Harmless workbench chatter on a closed network (shown with VERBOSE=1). */
const WORKBENCH_NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions cache|ChatSessionStore:)|\[Service Worker\]|ENOTFOUND open-vsx\.org/;
let server, browser, tmp;

function step(name, cmd, args) {
  const t = Date.now();
  log(`${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  timings[name] = Date.now() - t;
  if (r.status !== 0) throw new Error(`${name} failed (exit ${r.status ?? r.signal})`);
}

async function main() {
  const tAll = Date.now();
  if (!flag('--skip-setup')) timings.setup = runSetup();
  checkInstalled();
  if (!flag('--skip-build')) {
    step('build', process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')]);
    step('tsc', process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
  }
  const index = path.join(TESTS_DIR, 'index.js');
  if (!fs.existsSync(index)) throw new Error(`${path.relative(ROOT, index)} missing: compile with tsc -p .`);
  if (!fs.existsSync(path.join(EXT_PATH, 'dist', 'client.js'))) throw new Error(`${path.join(EXT_PATH, 'dist', 'client.js')} missing: npm run build`);
  const { chromium } = await import('playwright-core');

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pciep-vscode-'));
  const workspace = path.join(tmp, 'examples');
  fs.cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
  const wsFile = path.join(tmp, 'pciep-tests.code-workspace');
  // the web workbench keeps user settings in the browser: the settings go into the workspace file
  fs.writeFileSync(wsFile, JSON.stringify({ folders: [{ path: workspace }], settings: SETTINGS }, null, 2));
  const userDataDir = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(SETTINGS));
  const extensionsDir = path.join(tmp, 'extensions'); fs.mkdirSync(extensionsDir);
  const resultsFile = path.join(tmp, 'results.json');
  // the server's environment reaches the extension host, and so the mocha runner (test/vscode/index.ts)
  const env = isolatedEnv(tmp, { PCIEP_VSCODE_RESULTS: resultsFile, PCIEP_VSCODE_GREP: grep, PCIEP_VSCODE_WORKSPACE: workspace });

  const tStart = Date.now();
  const port = await freePort();
  log(`starting VS Code ${CS_VERSION} server (code-server's lib/vscode) on 127.0.0.1:${port}; workspace: temp copy of examples/ (${workspace})`);
  server = await startServer({ mode: 'vscode-server', port, dataDir: tmp, userDataDir, extensionsDir, env, echo: !!process.env.VERBOSE });
  browser = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), { executablePath: CHROMIUM, headless: true, env, args: CHROMIUM_ARGS });
  const page = browser.pages()[0] || await browser.newPage();
  let finish; const done = new Promise((r) => { finish = r; });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    // mocha's reporters log printf-style (console.log('%s) %s:', …)): format like Node's console would
    const text = format(...(Array.isArray(args) ? args : [args]));
    if (!process.env.VERBOSE && WORKBENCH_NOISE.test(text)) return;
    (type === 'error' ? console.error : console.log)(text);
  });
  await page.exposeFunction('codeAutomationExit', (code) => finish(code));
  if (process.env.VERBOSE) page.on('console', (m) => console.log('[browser]', m.text()));
  page.on('crash', () => finish('browser page crashed'));
  const remote = (p) => `vscode-remote://${server.host}${p}`;
  const payload = [['extensionDevelopmentPath', remote(EXT_PATH)], ['extensionTestsPath', remote(index)], ['skipWelcome', 'true']];
  await page.goto(`http://${server.host}/?workspace=${encodeURIComponent(wsFile)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  timings.start = Date.now() - tStart;
  log(`workbench loaded in Chromium (${secs(timings.start)}); running ${path.relative(ROOT, TESTS_DIR)}/*.test.js in the extension host${grep ? ` (grep ${grep})` : ''}`);

  const tRun = Date.now();
  let timer;
  const code = await Promise.race([done, new Promise((r) => { timer = setTimeout(() => r('timeout'), RUN_TIMEOUT_MS); })]);
  clearTimeout(timer);
  timings.tests = Date.now() - tRun;

  let results = null;
  try { results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { /* the runner never finished */ }
  if (code !== 0 || !results || results.failures) {
    if (code === 'timeout') log(`TIMEOUT: no result after ${RUN_TIMEOUT_MS / 1000}s (PCIEP_VSCODE_TIMEOUT_MS)`);
    else if (code !== 0) log(`the workbench ended the test run with ${code}`);
    if (process.env.FAIL_SHOT) await page.screenshot({ path: process.env.FAIL_SHOT }).catch(() => {});
    if (!results || code === 'timeout') console.log(`--- server log (last 4000 chars) ---\n${server.log.slice(-4000)}\n---`);
  }
  timings.total = Date.now() - tAll;
  return { code, results };
}

async function cleanup() {
  try { if (browser) await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 5000))]); } catch { /* already gone */ }
  await stopServer(server);
  try { if (tmp && !process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true }); } catch { /* best effort */ }
  if (tmp && process.env.KEEP_TMP) log(`kept ${tmp}`);
}

function report({ code, results }) {
  const t = (k) => (timings[k] !== undefined ? `${k} ${secs(timings[k])}` : null);
  log(`timings: ${[t('setup'), t('build'), t('tsc'), t('start'), t('tests'), t('total')].filter(Boolean).join(', ')}`);
  if (results?.notes && Object.keys(results.notes).length) {
    for (const [k, v] of Object.entries(results.notes)) log(`${k}: ${v}`);
  }
  if (results?.failures) {
    log('failed:');
    for (const f of results.tests.filter((x) => x.state === 'failed')) console.log(`  - ${f.fullTitle}\n      ${String(f.error).split('\n')[0]}`);
  }
  if (!results) {
    // the runner never reported: count the run itself as one failure
    console.log('0 passed, 1 failed');
    return 1;
  }
  const failed = results.failures + (code !== 0 && !results.failures ? 1 : 0);
  console.log(`${results.passes} passed, ${failed} failed${results.pending ? `, ${results.pending} skipped` : ''}`);
  return Math.min(failed, 100);
}

stopOnSignals({ log, cleanup, getServer: () => server });

main().then(
  async (r) => { await cleanup(); process.exit(report(r)); },
  async (e) => {
    console.error(`[vscode-tests] ${e?.stack || e}`);
    if (server) console.error(`--- server log (last 4000 chars) ---\n${server.log.slice(-4000)}`);
    await cleanup();
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
