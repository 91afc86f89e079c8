#!/usr/bin/env node
// `npm run editor`: a real VS Code (code-server 4.100.3 = VS Code 1.100.3) on 127.0.0.1 with this repository loaded as
// the extension under development and examples/ open. Prints the URL and runs until Ctrl-C.
//
//   node scripts/editor.mjs [--port N] [--folder DIR] [--skip-setup] [--skip-build] [--vsix FILE]
//
// The extension is loaded in development mode through the workbench's `payload` URL parameter, so open the printed
// URL as is (after `npm run build`, reload the page to pick up a new build). With --vsix FILE the packaged extension is
// installed into the editor's extensions dir instead (then the plain URL is enough).
// State (user settings, installed extensions) lives in .vscode-test/editor/ and survives restarts.
// env: PORT (default 8123, or a free port when that one is taken), CODE_SERVER_* / CHROMIUM as in scripts/vscode-common.mjs
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  ROOT, CS_VERSION, SETTINGS, log as mkLog, secs, runSetup, checkInstalled, freePort, startServer,
  stopServer, killServerSync, isolatedEnv, installVsix,
} from './vscode-common.mjs';

const log = mkLog('editor');
const argv = process.argv.slice(2);
const arg = (n) => { const i = argv.indexOf(n); return i >= 0 ? argv[i + 1] : undefined; };
const flag = (n) => argv.includes(n);
let server, stopping = false;

const portFree = (port) => new Promise((resolve) => {
  const s = net.createServer(); s.once('error', () => resolve(false));
  s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
});

async function main() {
  const t0 = Date.now();
  if (!flag('--skip-setup')) runSetup();
  checkInstalled();
  if (!flag('--skip-build')) {
    log('npm run build');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
  const folder = path.resolve(arg('--folder') || path.join(ROOT, 'examples'));
  const home = path.join(ROOT, '.vscode-test', 'editor');
  const userDataDir = path.join(home, 'user-data'), extensionsDir = path.join(home, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(settingsFile)) fs.writeFileSync(settingsFile, JSON.stringify(SETTINGS, null, 2));
  const vsix = arg('--vsix');
  if (vsix) {
    log(`installing ${vsix} into ${path.relative(ROOT, extensionsDir)}`);
    console.log(installVsix({ vsix, dataDir: home, userDataDir, extensionsDir }));
  }
  const wanted = Number(arg('--port') || process.env.PORT || 8123);
  const port = await portFree(wanted) ? wanted : await freePort();
  if (port !== wanted) log(`port ${wanted} is taken; using ${port}`);
  const runDir = fs.mkdtempSync(path.join(home, 'run-'));
  server = await startServer({ mode: 'code-server', port, dataDir: home, userDataDir, extensionsDir, folder, env: isolatedEnv(runDir) });
  server.runDir = runDir;
  server.child.stdout.pipe(process.stdout); server.child.stderr.pipe(process.stderr);
  const query = `folder=${encodeURIComponent(folder)}`;
  const payload = [['extensionDevelopmentPath', `vscode-remote://${server.host}${ROOT}`]];
  const devUrl = `http://${server.host}/?${query}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  console.log('');
  log(`code-server ${CS_VERSION} is running (ready in ${secs(Date.now() - t0)}), folder ${folder}`);
  if (!vsix) log(`open (extension in development mode from ${ROOT}):\n\n    ${devUrl}\n`);
  else log(`open:\n\n    http://${server.host}/?${query}\n`);
  log('Ctrl-C stops it.');
  await new Promise((resolve) => server.child.on('exit', resolve));
  if (!stopping) throw new Error(`code-server exited (${server.child.exitCode ?? server.child.signalCode})`);
}

async function stop(code) {
  if (stopping) return; stopping = true;
  log('stopping');
  await stopServer(server);
  if (server?.runDir) fs.rmSync(server.runDir, { recursive: true, force: true });
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { void stop(0); });
process.on('exit', () => killServerSync(server));
main().then(() => stop(0), (e) => { console.error(`[editor] ${e?.message || e}`); void stop(1); });
