#!/usr/bin/env node
// `npm run screenshots`: the README's pictures, taken in a real VS Code 1.100.3 (code-server, started the way
// `npm run editor` starts it) through Debian's Chromium driven by playwright-core, at a fixed 1440×900 viewport:
//   docs/screenshot-editor.png    examples/rk3588-dma.pciep with inlay hints, code lenses and a diagnostic
//   docs/screenshot-hover.png     the hover on its [functions/pci_epf_dma/dma0] header (the BAR table)
//   docs/screenshot-preview.png   "PCI EP: Open Preview" beside it (BAR map, metadata hex view)
//   docs/screenshot-problems.png  examples/broken/e27-partial-direction-unroll.pciep and the Problems panel
//
//   node scripts/screenshots.mjs [--skip-setup] [--vsix FILE] [--out DIR]
//
// Every step waits for something on screen (a selector), with a timeout and an error naming what did not show up;
// on failure the page as it was goes to .vscode-test/screenshots/failed.png. code-server and Chromium are always stopped.
// State lives in .vscode-test/screenshots/ (git-ignored) and is recreated on every run, so runs do not depend on
// each other. The extension is the one users get: `npm run package` (which builds first) makes the .vsix, code-server's
// --install-extension installs it (--vsix FILE: use that .vsix instead). Not development mode: there the workbench
// picks a theme from the extension's folder, and code-server's own built-in themes live under .vscode-test/ in it.
// env: STEP_TIMEOUT_MS (default 30000), VERBOSE=1 (server log and browser console), CODE_SERVER_* / CHROMIUM as in
//      scripts/vscode-common.mjs
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ROOT, CS_VERSION, CHROMIUM, CHROMIUM_ARGS, SETTINGS, log as mkLog, secs, runSetup, checkInstalled, freePort,
  startServer, stopServer, stopOnSignals, isolatedEnv, installVsix,
} from './vscode-common.mjs';

const log = mkLog('screenshots');
const argv = process.argv.slice(2);
const flag = (n) => argv.includes(n);
const arg = (n) => { const i = argv.indexOf(n); return i >= 0 ? argv[i + 1] : undefined; };
const OUT = path.resolve(ROOT, arg('--out') || 'docs');
const STEP_TIMEOUT_MS = Number(process.env.STEP_TIMEOUT_MS || 30000);
const HOME = path.join(ROOT, '.vscode-test', 'screenshots');
const VIEWPORT = { width: 1440, height: 900 };
const EXAMPLE = 'rk3588-dma.pciep';
const BROKEN = 'e27-partial-direction-unroll.pciep';
/** What the pictures should look like: no minimap, no distractions; everything else is VS Code's default. */
const SHOT_SETTINGS = {
  ...SETTINGS,
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'editor.minimap.enabled': false,
  'editor.foldingHighlight': false,
  'editor.guides.indentation': false,
  'editor.hover.delay': 100,
  'editor.hover.sticky': true,
  'editor.hover.above': false,
  'window.commandCenter': false,
  'workbench.layoutControl.enabled': false,
  'extensions.autoCheckUpdates': false,
  'github.gitAuthentication': false,
  'terminal.integrated.enablePersistentSessions': false,
};
let server, browser, page;

async function main() {
  const t0 = Date.now();
  if (!flag('--skip-setup')) runSetup();
  checkInstalled();
  const { chromium } = await import('playwright-core');

  // A fresh state for every run: no remembered editors, panels or dismissed notifications from the last one.
  const home = HOME;
  fs.rmSync(home, { recursive: true, force: true });
  const userDataDir = path.join(home, 'user-data'), extensionsDir = path.join(home, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(SHOT_SETTINGS, null, 2));
  const folder = path.join(ROOT, 'examples');
  const env = isolatedEnv(home);

  // The extension as users get it: packaged by `npm run package` (which builds first) and installed from the .vsix.
  let vsix = arg('--vsix') && path.resolve(arg('--vsix'));
  if (!vsix) {
    vsix = path.join(home, 'pciep-dma-studio.vsix');
    log('npm run package');
    const t = Date.now();
    const r = spawnSync('npm', ['run', '--silent', 'package', '--', '--out', vsix], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0 || !fs.existsSync(vsix)) throw new Error(`npm run package failed (exit ${r.status ?? r.signal})`);
    log(`packaged in ${secs(Date.now() - t)}`);
  }
  log(`installing ${path.relative(ROOT, vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB)`);
  installVsix({ vsix, dataDir: home, userDataDir, extensionsDir, env });
  const port = await freePort();
  log(`starting code-server ${CS_VERSION} on 127.0.0.1:${port} (folder ${path.relative(ROOT, folder)}/)`);
  server = await startServer({ mode: 'code-server', port, dataDir: home, userDataDir, extensionsDir, folder, env, echo: !!process.env.VERBOSE });
  browser = await chromium.launchPersistentContext(path.join(home, 'chromium-profile'), {
    executablePath: CHROMIUM, headless: true, env, viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: 'dark',
    args: [...CHROMIUM_ARGS, '--disable-dev-shm-usage'],
  });
  page = browser.pages()[0] || await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  if (process.env.VERBOSE) page.on('console', (m) => console.log('[browser]', m.text()));
  await page.goto(`http://${server.host}/?folder=${encodeURIComponent(folder)}`, { timeout: 60000 });
  await expect(page.locator('.monaco-workbench .part.editor'), 'the workbench');
  await expect(page.locator('.explorer-folders-view .monaco-list-row').first(), 'the Explorer listing examples/');
  log(`workbench up (${secs(Date.now() - t0)})`);
  await closeEditors();

  // 1. the editor: inlay hints, code lenses, the info diagnostic on the link
  await openFile(EXAMPLE);
  const editor = page.locator('.editor-group-container.active .monaco-editor').first();
  await expect(editor.locator('.codelens-decoration a', { hasText: 'Open preview' }).first(), 'the code lenses (language server up)');
  await expect(editor.locator('.view-line', { hasText: 'pci_epf_dma.0: BAR0' }).first(), 'the inlay hint on the function header');
  // The example explains itself in long comments; folded, the whole bring-up fits on one screen.
  await runCommand('Fold All Block Comments');
  await expect(editor.locator('.view-line', { hasText: '→ function 0' }).first(), 'the link line with its inlay hint, after folding the comments');
  await expect(editor.locator('.squiggly-info').first(), 'the info squiggle on the link line');
  await settle();
  await shoot('screenshot-editor.png');

  // 2. the hover on the function header
  const headerLine = editor.locator('.view-line', { hasText: '[functions/pci_epf_dma/dma0]' }).first();
  const header = headerLine.locator('span span', { hasText: /^functions$/ }).first();
  await expect(header, 'the word "functions" in the [functions/pci_epf_dma/dma0] header');
  await header.hover();
  const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'BAR' }).first();
  const barTable = hover.locator('table').first();
  await expect(barTable, 'the hover with the BAR table');
  // A hover opens at most 250 px high; drag its lower edge down, as a person would, so the whole BAR table shows.
  const sash = page.locator('.monaco-resizable-hover .monaco-sash.orthogonal-edge-south:not(.disabled)').first();
  await expect(sash, 'the lower edge (sash) of the hover');
  const s = await sash.boundingBox();
  await page.mouse.move(s.x + s.width / 2, s.y + s.height / 2);
  await page.mouse.down();
  await page.mouse.move(s.x + s.width / 2, VIEWPORT.height - 40, { steps: 8 });
  await page.mouse.up();
  // then rest the pointer on the hover's title, off the (highlighted) sash
  await hover.locator('h1, h2, h3, p').first().hover();
  await page.locator('.monaco-resizable-hover .monaco-sash.orthogonal-edge-south.hover').waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
  await page.waitForFunction(([t, h]) => t.getBoundingClientRect().bottom <= h.getBoundingClientRect().bottom,
    [await barTable.elementHandle(), await hover.elementHandle()], { timeout: 5000 })
    .catch(() => { throw new Error('the BAR table still does not fit in the hover after enlarging it'); });
  await settle();
  await shoot('screenshot-hover.png');
  await page.keyboard.press('Escape');
  await page.mouse.move(5, VIEWPORT.height - 5);
  await hover.waitFor({ state: 'hidden' }).catch(() => {});

  // 3. the preview, beside the editor; without the side bar both get half the width
  await runCommand('View: Close Primary Side Bar');
  await runCommand('PCI EP: Open Preview');
  const webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await expect(webview.locator('svg.barmap').first(), 'the preview\'s BAR map');
  await expect(webview.locator('.hex').first(), 'the preview\'s metadata hex view');
  await settle();
  await shoot('screenshot-preview.png');

  // 4. a kernel error and the Problems panel
  await closeEditors();
  await runCommand('View: Show Explorer');
  await openFile(BROKEN);
  await expect(page.locator('.editor-group-container.active .monaco-editor .squiggly-error').first(), 'the error squiggle');
  await runCommand('View: Focus Problems (Errors, Warnings, Infos)');
  const problems = page.locator('.markers-panel .monaco-list-row');
  await expect(problems.filter({ hasText: 'EOPNOTSUPP' }).first(), 'the EOPNOTSUPP row in the Problems panel');
  await settle();
  await shoot('screenshot-problems.png');
  log(`done in ${secs(Date.now() - t0)}`);
}

/** Waits until `locator` is visible; the error says what was expected. */
async function expect(locator, what, timeout = STEP_TIMEOUT_MS) {
  try {
    await locator.waitFor({ state: 'visible', timeout });
  } catch (e) {
    throw new Error(`timed out after ${timeout / 1000}s waiting for ${what}${/Timeout/.test(e?.message) ? '' : `: ${e?.message}`}`);
  }
}

/** Runs a command by its title through the command palette. */
async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await expect(input, 'the command palette');
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await expect(row, `"${title}" in the command palette`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Opens a workspace file by name with Quick Open and waits for its editor. */
async function openFile(name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await expect(input, 'Quick Open');
  await input.fill(name);
  await expect(page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first(), `${name} in Quick Open`);
  await page.keyboard.press('Enter');
  await expect(page.locator(`.tabs-container .tab.active[data-resource-name="${name}"]`), `the editor tab of ${name}`);
  await expect(page.locator('.editor-group-container.active .monaco-editor .view-lines').first(), `the text of ${name}`);
}

async function closeEditors() {
  await runCommand('View: Close All Editors');
}

/** Nothing in front of the picture: notification toasts are cleared, then the UI gets two frames to repaint. */
async function settle() {
  const toasts = page.locator('.notification-toast-container').filter({ visible: true });
  if (await toasts.count()) {
    log(`clearing ${await toasts.count()} notification(s): ${(await toasts.locator('.notification-list-item-message').allInnerTexts()).join(' | ')}`);
    await runCommand('Notifications: Clear All Notifications');
    await toasts.first().waitFor({ state: 'detached' });
  }
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function shoot(name) {
  const file = path.join(OUT, name);
  fs.mkdirSync(OUT, { recursive: true });
  // finite animations (the hover's fade-in) are run to their end, infinite ones (the cursor) stopped
  await page.screenshot({ path: file, animations: 'disabled' });
  log(`${path.relative(ROOT, file)} (${(fs.statSync(file).size / 1024).toFixed(0)} KiB)`);
}

async function cleanup() {
  try { if (browser) await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 5000))]); } catch { /* already gone */ }
  await stopServer(server);
}

stopOnSignals({ log, cleanup, getServer: () => server });

main().then(
  async () => {
    await cleanup();
    fs.rmSync(HOME, { recursive: true, force: true });  // Chromium's profile, the server's state, the .vsix
    process.exit(0);
  },
  async (e) => {
    console.error(`[screenshots] FAILED: ${e?.message || e}`);
    if (page) {
      const shot = path.join(HOME, 'failed.png');
      await page.screenshot({ path: shot, timeout: 10000 }).then(() => console.error(`[screenshots] the page as it was: ${path.relative(ROOT, shot)}`), () => {});
    }
    if (server && !process.env.VERBOSE) console.error(`--- server log (last 3000 chars) ---\n${server.log.slice(-3000)}`);
    await cleanup();
    console.error(`[screenshots] state kept for a look in ${path.relative(ROOT, HOME)}/`);
    process.exit(1);
  },
);
