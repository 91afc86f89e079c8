/** `pciep check` and `pciep profiles` exactly as CONTRACTS.md says: line format, JSON shape, exit codes. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import type { Io } from '../../server/src/cli/io';

const ROOT = path.resolve(__dirname, '../../..');

function run(argv: string[], files: Record<string, string> = {}): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    readFile: (p) => {
      if (p in files) return Buffer.from(files[p]);
      const e: NodeJS.ErrnoException = new Error(`ENOENT: ${p}`);
      e.code = 'ENOENT';
      throw e;
    },
  };
  let code = -1;
  void main(argv, io).then((c) => { code = c; });
  return { get code() { return code; }, out, err };
}

async function runAsync(argv: string[], files: Record<string, string> = {}) {
  const r = run(argv, files);
  await new Promise((res) => setImmediate(res));
  return r;
}

const GOOD = '[platform/a40000000.pcie-ep]\ncompatible = rockchip,rk3588-pcie-ep\n';
const BAD = `${GOOD}[functions/pci_epf_dma/d]\npci_epf_dma.0/wr_chans = 9\ndeviceid = 010\n`;

describe('pciep check (CONTRACTS.md)', () => {
  it('prints FILE:LINE:COLUMN: SEVERITY CODE: MESSAGE with 1-based positions and exits 1 on errors', async () => {
    const r = await runAsync(['check', 'bad.pciep'], { 'bad.pciep': BAD });
    assert.equal(r.code, 1);
    assert.deepEqual(r.out.map((l) => l.replace(/: [^:]*$/, '').split(': ').slice(0, 1)[0]), ['bad.pciep:4:1', 'bad.pciep:5:12']);
    assert.match(r.out[0], /^bad\.pciep:4:1: error write-failed: EINVAL \(Invalid argument\): /);
    assert.match(r.out[1], /^bad\.pciep:5:12: warning octal-value: /);
  });

  it('exits 0 when there are only warnings or nothing', async () => {
    const r = await runAsync(['check', 'good.pciep', 'warn.pciep'], { 'good.pciep': GOOD, 'warn.pciep': `${GOOD}[functions/pci_epf_test/t]\ndeviceid = 010\n` });
    assert.equal(r.code, 0);
    assert.equal(r.out.length, 1);
  });

  it('exits 2 when a file cannot be read, and still checks the others', async () => {
    const r = await runAsync(['check', 'missing.pciep', 'bad.pciep'], { 'bad.pciep': BAD });
    assert.equal(r.code, 2);
    assert.match(r.err[0], /cannot read missing\.pciep: ENOENT/);
    assert.equal(r.out.length, 2);
  });

  it('--format json prints one array with line, column, severity, code, errno, message', async () => {
    const r = await runAsync(['check', '--format', 'json', 'bad.pciep'], { 'bad.pciep': BAD });
    assert.equal(r.code, 1);
    const arr = JSON.parse(r.out.join('\n')) as Record<string, unknown>[];
    assert.equal(arr.length, 2);
    assert.deepEqual({ ...arr[0], message: undefined, ref: undefined }, {
      file: 'bad.pciep', line: 4, column: 1, endLine: 4, endColumn: 27, severity: 'error', code: 'write-failed', errno: 'EINVAL', message: undefined, ref: undefined,
    });
    assert.equal(arr[1].errno, null);
  });

  it('bad usage exits 2 with the usage text', async () => {
    const r = await runAsync(['check']);
    assert.equal(r.code, 2);
    assert.match(r.err.join('\n'), /usage: pciep/);
    const f = await runAsync(['check', '--format', 'xml', 'a']);
    assert.equal(f.code, 2);
  });

  it('the built executable runs on a real file (bin/pciep.js → dist/cli.js)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pciep-'));
    const file = path.join(dir, 'bad.pciep');
    fs.writeFileSync(file, BAD);
    const p = spawnSync(process.execPath, [path.join(ROOT, 'bin/pciep.js'), 'check', file], { encoding: 'utf8' });
    assert.equal(p.status, 1, p.stderr);
    assert.match(p.stdout, new RegExp(`^${file.replace(/[.\\/]/g, '\\$&')}:4:1: error write-failed: EINVAL`));
  });
});

describe('pciep profiles', () => {
  it('lists every built-in compatible, and --json gives their data with hex addresses', async () => {
    const r = await runAsync(['profiles']);
    assert.equal(r.code, 0);
    assert.ok(r.out.some((l) => l.startsWith('rockchip,rk3588-pcie-ep')));
    const j = await runAsync(['profiles', '--json']);
    const arr = JSON.parse(j.out.join('\n')) as { compatible: string; edma: { regPhys: string } }[];
    assert.ok(arr.length >= 11);
    assert.match(arr[0].edma.regPhys, /^0x[0-9a-f]+$/);
  });
});
