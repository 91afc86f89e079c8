/**
 * The hostile inputs of the issue, built deterministically at full size under `npm run fuzz`
 * (1 MiB lines, 100,000 sections) and scaled down inside `npm test`: every feature on each, within
 * the linear time bound (invariants.ts). Also the regressions for the hangs and crashes the fuzzers
 * found (docs/robustness.md "Found and fixed"): script import blow-ups, emulator transfer sizes,
 * eDMA register windows and memory layouts a file can ask for.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runAllFeatures } from './all-features';
import { ROOT } from './arbitraries';
import { count, LONG, TIMEOUT_MS } from './config';
import { statementSequence, timed } from './invariants';
import { formatText } from '../../server/src/features/formatting';
import { emulate } from '../../server/src/emulator/emulate';
import { TRANSFER_LIMITS } from '../../server/src/emulator/host/transfers';
import { importScript } from '../../server/src/language/script-import';
import { decodeFields, scanBars } from '../../server/src/emulator/metadata/codec';

const SECTIONS = LONG ? 100_000 : 2_000;
const LINE = LONG ? 1 << 20 : 1 << 16;
const COPIES = LONG ? 40 : 8;
const TOGGLES = LONG ? 2000 : 200;
const RK3588 = fs.readFileSync(path.join(ROOT, 'examples/rk3588-dma.pciep'), 'utf8');
const POS = [{ line: 0, character: 3 }, { line: 9973, character: 5 }];

const big: readonly [string, () => string][] = [
  [`${SECTIONS} function sections`, () => Array.from({ length: SECTIONS }, (_, i) => `[functions/pci_epf_test/t${i}]`).join('\n')],
  [`${SECTIONS} copies of one section`, () => '[functions/pci_epf_test/t]\n'.repeat(SECTIONS)],
  [`${SECTIONS} bound functions with attributes`, () => [
    '[platform/dfc00000.pcie-ep]', 'compatible = snps,dw-pcie-ep', 'max-functions = 8',
    ...Array.from({ length: SECTIONS / 4 }, (_, i) => `[functions/pci_epf_test/t${i}]\nvendorid = 0x${i.toString(16)}\nprimary/ep -> controllers/dfc00000.pcie-ep\nunlink primary/ep`),
  ].join('\n')],
  [`a ${LINE >> 10} KiB value`, () => `[functions/pci_epf_test/t]\nvendorid = ${'9'.repeat(LINE)}`],
  [`a ${LINE >> 10} KiB comment`, () => `# ${'x '.repeat(LINE / 2)}`],
  [`a ${LINE >> 10} KiB section path`, () => `[functions/pci_epf_test/${'x/'.repeat(LINE / 2)}]`],
  [`a ${LINE >> 10} KiB link target`, () => `[functions/pci_epf_test/t]\nprimary/ep -> ${'../'.repeat(LINE / 3)}`],
  [`a ${LINE >> 10} KiB line of brackets and quotes`, () => '[["\'#=->'.repeat(LINE / 8)],
  [`a ${LINE >> 10} KiB quoted value`, () => `a = "${'\\"'.repeat(LINE / 2)}`],
  [`${SECTIONS} lines with NUL bytes`, () => Array.from({ length: SECTIONS }, (_, i) => `[functions/pci_epf_test/t${i}]\u0000`).join('\n')],
  [`${SECTIONS} CR-only line ends`, () => 'vendorid = 1\r'.repeat(SECTIONS)],
  [`${SECTIONS} lone surrogates and BOMs`, () => '\uFEFF[functions/\uD800/\uDFFF]\n\uFEFFa\uD800 = \uDC00\n'.repeat(SECTIONS / 2)],
  [`the RK3588 example ${COPIES} times (every bring-up re-runs every transfer)`, () => Array.from({ length: COPIES }, () => RK3588).join('\n')],
  [`start = 1 / start = 0 toggled ${TOGGLES} times`, () => RK3588.replace('start = 1', 'start = 1\nstart = 0\n'.repeat(TOGGLES) + 'start = 1')],
];

describe('fuzz: the big hostile inputs through every feature', function () {
  this.timeout(TIMEOUT_MS);
  for (const [name, build] of big) {
    it(name, () => {
      const text = build();
      runAllFeatures(text, { positions: LONG ? POS : POS.slice(0, 1), fixAll: LONG });
      count('big documents');
    });
  }
});

describe('fuzz: regressions for what the fuzzers found', function () {
  this.timeout(TIMEOUT_MS);

  it('import: `A=$A$A` doubling, 40 times, is refused past a page instead of throwing "Invalid string length"', () => {
    const script = `A=x\n${'A=$A$A\n'.repeat(40)}cd /sys/kernel/config/pci_ep\nmkdir functions/pci_epf_test/$A\n`;
    const r = timed('importScript', script, () => importScript(script));
    assert.ok(r.warnings.some((w) => /longer than 4096 bytes/.test(w.message)), JSON.stringify(r.warnings.slice(0, 3)));
    assert.ok(r.text.length < 64 * 1024);
  });

  it('import: ${A:-${A:-…}} nested 10,000 deep is refused instead of overflowing the stack', () => {
    const script = `echo ${'${A:-'.repeat(10_000)}x${'}'.repeat(10_000)} > f\n`;
    const r = timed('importScript', script, () => importScript(script));
    assert.ok(r.warnings.some((w) => /nested more than 16 deep/.test(w.message)));
  });

  it(`import: ${SECTIONS * 20} backslash-continued lines and as many lines inside an unterminated quote take linear time`, () => {
    const n = SECTIONS * 20;
    for (const script of [`echo ${'a\\\n'.repeat(n)}> x`, `echo "${'a\n'.repeat(n)}`, `'a"\n`.repeat(n)]) {
      timed('importScript', script, () => importScript(script));
    }
  });

  it('emulator: transfers larger than the limits are reported not-run, never allocated (16G threw, 2G took 7 GB)', () => {
    const base = RK3588.split('[host/transfer/fill]')[0];
    for (const [body, reason] of [
      ['direction = rc-to-ep\nsize = 16G', /at most 64 MiB per transfer/],
      ['direction = rc-to-ep\nsize = 2G', /at most 64 MiB per transfer/],
      ['direction = ep-to-rc\nsize = 1M\nelement-size = 1', /budget of 64 MiB and 65536 LL elements/],
    ] as const) {
      const text = `${base}[host/transfer/x]\n${body}\n`;
      const before = process.memoryUsage().rss;
      const e = timed('emulate', text, () => emulate(text));
      assert.equal(e.system.transfers[0].status, 'not-run');
      assert.match(e.system.transfers[0].reason ?? '', reason);
      assert.ok(e.diagnostics.some((d) => d.code === 'transfer-not-run' && d.range.start.line === text.split('\n').indexOf('[host/transfer/x]')), 'reported on the transfer section');
      assert.ok(process.memoryUsage().rss - before < 256 * 1024 * 1024, 'no gigabyte allocations');
    }
    assert.equal(TRANSFER_LIMITS.bytesPerTransfer, 64 * 1024 * 1024);
  });

  it('emulator: eDMA windows and memory layouts a file can ask for never throw (edma-reg-size 0/1/4G, edma-ll-size 1T, align 16G)', () => {
    for (const line of ['edma-reg-size = 0', 'edma-reg-size = 1', 'edma-reg-size = 0xffffffff', 'edma-reg-size = 4G', 'edma-reg-size = 1T', 'edma-ll-size = 1T', 'align = 16G', 'edma-reg-phys = 0x410000000', 'edma-reg-phys = 0x420000000', 'edma-reg-phys = 0xfffffffffffff000']) {
      const text = RK3588.replace('max-functions = 1', `max-functions = 1\n${line}`);
      const e = timed('emulate', text, () => emulate(text));
      assert.ok(e.system.transfers.length === 2, line);
    }
  });

  it('format: CR + LF never fuse into CRLF, a mid-file U+FEFF never becomes a BOM: idempotent', () => {
    for (const text of ['a = 1\n\u0000\r\f\n\n[functions/pci_epf_test/t]\n', 'a = 1\r\t\n[functions/pci_epf_test/t]\n', '# c\r \n\n\n\nb = 2\n', '\n\uFEFF\n\n# top\n[platform/ep0]\n']) {
      const once = formatText(text);
      assert.equal(formatText(once), once, JSON.stringify(text));
      assert.deepEqual(statementSequence(once), statementSequence(text));
    }
  });

  it('features: rmdir + mkdir of the first function between new ones (IDA reuse) stays linear', () => {
    const n = LONG ? 25_000 : 2_000;
    const lines = ['[functions/pci_epf_test/t0]'];
    for (let i = 0; i < n; i++) lines.push('rmdir', '[functions/pci_epf_test/t0]', `[functions/pci_epf_test/n${i}]`, '[functions/pci_epf_test/t0]');
    runAllFeatures(lines.join('\n'), { positions: [{ line: 1, character: 3 }] });
  });

  it('metadata: a 1 MiB blob with 255+255 channels at stride 0xff decodes within the bound', () => {
    const blob = Buffer.alloc(1 << 20, 0xff);
    blob.writeUInt32LE(0x4d444550, 0);
    timed('decodeFields', blob, () => decodeFields(blob));
    timed('scanBars', blob, () => scanBars([{ index: 0, memory: true, assigned: true, bytes: blob, len: blob.length }]));
  });
});
