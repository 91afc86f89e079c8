/**
 * Workspace trust and virtual workspaces (issue "Robustness and security"): the manifest declares
 * both capabilities, and nothing from a file is ever executed — exported configfs scripts are only
 * shown. The second part is a source scan: no process spawning, no eval, no Function constructor,
 * no `vm`, no terminals or tasks anywhere in server/src or client/src, except the allow-listed,
 * justified uses (none of which touches file content).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../fuzz/arbitraries';

interface Manifest {
  capabilities?: {
    untrustedWorkspaces?: { supported?: boolean | string; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces?: { supported?: boolean | string; description?: string };
  };
  contributes?: { configuration?: { properties?: Record<string, { scope?: string }> } };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mts|cts|js|mjs)$/.test(e.name)) out.push(p);
    }
  };
  walk(path.join(ROOT, dir));
  return out;
}

/** What would run code or a program: child processes, eval-like constructs, terminals, tasks. */
const FORBIDDEN: readonly { what: string; re: RegExp }[] = [
  { what: 'child_process', re: /\bchild_process\b/ },
  { what: 'exec(…)', re: /(?<![\w.$])(?:exec|execSync|execFile|execFileSync)\s*\(/ },
  { what: 'spawn(…) / fork(…)', re: /(?<![\w.$])(?:spawn|spawnSync|fork)\s*\(|\.(?:spawn|spawnSync|execFile|fork)\s*\(/ },
  { what: 'eval(…)', re: /(?<![\w.$])eval\s*\(/ },
  { what: 'new Function / Function(…)', re: /\bnew\s+Function\b|(?<![\w.$])Function\s*\(/ },
  { what: 'the vm module', re: /['"](?:node:)?vm['"]/ },
  { what: 'worker threads', re: /['"](?:node:)?worker_threads['"]|\bnew\s+Worker\s*\(/ },
  { what: 'dynamic require / import', re: /(?<![\w.$])require\s*\(|(?<![\w.$])import\s*\(/ },
  { what: 'a terminal', re: /\bcreateTerminal\b|\.sendText\s*\(/ },
  { what: 'a task or shell execution', re: /\bexecuteTask\b|\bShellExecution\b|\bProcessExecution\b/ },
  { what: 'a string timer (eval in disguise)', re: /\bset(?:Timeout|Interval)\s*\(\s*['"`]/ },
];

/** Justified exceptions: file, construct, why it does not execute anything that comes from a file. */
const ALLOWED: readonly { file: string; what: string; line: RegExp; why: string }[] = [
  {
    file: 'server/src/emulator/edma/engine.ts', what: 'exec(…)', line: /private exec\(c: Channel\)|return this\.exec\(c\)/,
    why: 'a method of the emulated DMA engine ("execute one data element"), not child_process',
  },
  {
    file: 'client/src/debug.ts', what: 'dynamic require / import', line: /require\(bundle\)/,
    why: "loads the extension's own dist/debug-adapter.js (context.asAbsolutePath), never a path from a document",
  },
];

function stripComments(line: string): string {
  const i = line.indexOf('//');
  return line.trimStart().startsWith('*') || line.trimStart().startsWith('/*') ? '' : i >= 0 ? line.slice(0, i) : line;
}

describe('security: workspace trust, virtual workspaces, nothing from a file is executed', () => {
  it('package.json declares untrusted-workspace support (nothing runs) and virtual-workspace support, with descriptions', () => {
    const caps = manifest.capabilities;
    assert.ok(caps, 'a capabilities block');
    assert.equal(caps.untrustedWorkspaces?.supported, true, 'fully supported in untrusted workspaces: nothing from the workspace is executed');
    assert.match(caps.untrustedWorkspaces?.description ?? '', /never|not/i, 'says why it is safe');
    assert.ok(caps.virtualWorkspaces, 'virtual workspaces declared');
    assert.ok([true, 'limited'].includes(caps.virtualWorkspaces.supported as boolean | string), 'supported or limited');
    assert.ok((caps.virtualWorkspaces.description ?? '').length > 0, 'with a description');
  });

  it('no settings would need restricting in an untrusted workspace (none names a program, a path or a command to run)', () => {
    for (const [key, spec] of Object.entries(manifest.contributes?.configuration?.properties ?? {})) {
      assert.ok(!/path|command|executable|program|shell/i.test(key), `setting ${key} looks like it could run something: restrict it under untrustedWorkspaces`);
      void spec;
    }
  });

  it('server/src and client/src never spawn processes, eval, build functions from strings, or open terminals/tasks (allow-list justified)', () => {
    const hits: string[] = [];
    const used = new Set<(typeof ALLOWED)[number]>();
    for (const file of [...sources('server/src'), ...sources('client/src')]) {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      fs.readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
        const line = stripComments(raw).replace(/\/(?:\\.|[^/\\\n])+\/[gimsuy]*/g, '/re/').replace(/(['"`])(?:\\.|(?!\1).)*\1/g, (m) => (/^['"](?:node:)?(?:vm|worker_threads)['"]$/.test(m) ? m : "''"));
        for (const f of FORBIDDEN) {
          if (!f.re.test(line)) continue;
          const ok = ALLOWED.find((a) => a.file === rel && a.what === f.what && a.line.test(raw));
          if (ok) used.add(ok);
          else hits.push(`${rel}:${i + 1}: ${f.what}: ${raw.trim()}`);
        }
      });
    }
    assert.deepEqual(hits, [], `code that could execute something:\n${hits.join('\n')}`);
    for (const a of ALLOWED) assert.ok(used.has(a), `allow-list entry no longer needed, remove it: ${a.file} ${a.what}`);
  });

  it('the scan catches what it looks for (self-test)', () => {
    const bad = [
      "import { exec } from 'node:child_process';", 'exec(cmd);', "cp.spawn('sh', ['-c', text]);", 'eval(text);', "const f = new Function('x', body);",
      "import * as vm from 'node:vm';", 'require(userPath);', "await import(userPath);", 'vscode.window.createTerminal().sendText(script);',
      'new vscode.ShellExecution(script);', "setTimeout('alert(1)', 0);", "execFileSync('/bin/sh');",
    ];
    for (const line of bad) assert.ok(FORBIDDEN.some((f) => f.re.test(line)), `not caught: ${line}`);
    const fine = ['const m = /x/.exec(s);', 'this.exec(c);', 'dmaFunction(emu);', 'const evaluate = 1;', "setTimeout(() => run(), 10);"];
    for (const line of fine) assert.ok(!FORBIDDEN.some((f) => f.re.test(line)), `false positive: ${line}`);
  });

  it('an exported configfs script is only shown: the export command opens an untitled shellscript document', () => {
    const ext = fs.readFileSync(path.join(ROOT, 'client/src/extension.ts'), 'utf8');
    assert.match(ext, /openTextDocument\(\{\s*language,\s*content\s*\}\)/, 'export and import open untitled documents with the text');
    assert.doesNotMatch(ext, /createTerminal|sendText|executeTask|ShellExecution/, 'no way to run the script');
  });
});
