/**
 * The embedded emulator, end to end: `emulate(text)` replays configfs, binds pci_epf_dma, brings
 * the link up, runs the host's dw-edma-pcie probe and handshake, moves data through the delegated
 * channels, and tears down — each assertion checks what a kernel (or the host) would see.
 * Faults and hostile descriptor lists are in emulator-faults.test.ts; seed-series 7 edge cases in
 * edge-cases.test.ts.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import type { Io } from '../../server/src/cli/io';
import type { Emulation } from '../../server/src/emulator/emulate';
import { dmaPlans } from '../../server/src/emulator/epf/dma';
import { programmedBar } from '../../server/src/emulator/epc/set-bar';
import { llRegionPhys } from '../../server/src/emulator/epc/dwc-aux';
import { HDMA_CH_EN, hdmaCtx, LL_CB, LL_ELEM_SIZE, LL_LLP, V0_CTRL } from '../../server/src/emulator/edma/regs';
import { toEmulateJson } from '../../server/src/emulator/views/result';
import { MAP_FORMAT_VALUE } from '../../server/src/language/profiles/types';
import {
  ctrlWord, dmaFile, emulate, epBus, EXAMPLES, fault, H, planOf, PLATFORMS, probed, profile, readFixture, show,
  timeline, transfer, type PlatformName,
} from './emulator-helpers';

const HOST = '[host]\ndriver = dw-edma-pcie\n';
const workedExample = (): string => readFixture('worked-example.pciep');

// ------------------------------------------------------------------------------------------------
// seed-series 1.7, transcribed by hand from the sheet's table: the bytes as they sit in memory.
const AUX_ZEROS = '00000000 00000000 00000000 00000000 00000000'; // +0x18..+0x2B, A = 0
const SEED_1_7_TABLE = [
  '50 45 44 4D', // 0x000 magic "PEDM"
  '01 00 CC 00', // 0x004 rev=1, len=0x00CC
  '12 10 60 01', // 0x008 REG_BAR=2, WR=2, RD=2, stride=0x2C, H=0, R=0
  '00 00 00 00', // 0x00C reg window offset lo
  '00 00 00 00', // 0x010 reg window offset hi
  '01 01 00 00', // 0x014 layout id 1 (DW eDMA), layout data 0x01 (eDMA unroll)
  '00 20 00 00', // 0x018 reg window size 0x2000
  // write entry 0 @0x01C: hw_ch 0, desc BAR 2 | off 0x10000 | size 0x1000 | addr 0x4_1000_0000
  '00 02 00 00', '00 00 01 00', '00 00 00 00', '00 10 00 00', '00 00 00 10', '04 00 00 00', AUX_ZEROS,
  // write entry 1 @0x048: ctrl 0x201, off 0x11000, size 0x1000, addr 0x4_1000_1000
  '01 02 00 00', '00 10 01 00', '00 00 00 00', '00 10 00 00', '00 10 00 10', '04 00 00 00', AUX_ZEROS,
  // read entry 0 @0x074: ctrl 0x200, off 0x12000, size 0x1000, addr 0x4_1000_2000
  '00 02 00 00', '00 20 01 00', '00 00 00 00', '00 10 00 00', '00 20 00 10', '04 00 00 00', AUX_ZEROS,
  // read entry 1 @0x0A0: ctrl 0x201, off 0x13000, size 0x1000, addr 0x4_1000_3000
  '01 02 00 00', '00 30 01 00', '00 00 00 00', '00 10 00 00', '00 30 00 10', '04 00 00 00', AUX_ZEROS,
].join('').replace(/\s/g, '').toLowerCase();

function metadataHex(e: Emulation, p = 'functions/pci_epf_dma/dma0'): string {
  const f = (toEmulateJson(e).functions as { path: string; metadata: { hex: string } | null }[]).find((x) => x.path === p);
  assert.ok(f?.metadata, `${p} has metadata:\n${show(e)}`);
  return f.metadata.hex;
}

describe('seed-series 1.7 worked example', () => {
  it('seed-series 1.7: the metadata pci_epf_dma writes at bind is byte for byte the 0xCC-byte table', () => {
    assert.equal(SEED_1_7_TABLE.length, 0xcc * 2, 'the transcription is 0xCC bytes');
    // Bound but never started: the blob exactly as bind wrote it.
    const bound = emulate(workedExample().replace(/^start = 1$/m, ''));
    assert.equal(metadataHex(bound), SEED_1_7_TABLE);
    // Started, no host: the EP's BAR memory holds the same bytes (H = R = 0, nobody asked).
    const started = emulate(workedExample());
    assert.equal(metadataHex(started), SEED_1_7_TABLE);
    assert.equal(started.diagnostics.filter((d) => d.severity === 'error').length, 0, show(started));
  });

  it('seed-series 1.7: metadata BAR0 is 64 KiB; window BAR2 is 0x20000 with submaps {0xE658_0000, 64K}, {0x4_1000_0000, 64K}; descriptors at 0x10000..0x13000', () => {
    const e = emulate(workedExample() + HOST);
    const plan = planOf(e);
    assert.deepEqual([plan.metadataBar, plan.layout.metadata.size, plan.layout.metadata.blobLen], [0, 0x10000, 0xcc]);
    const w = plan.layout.window!;
    assert.deepEqual([w.bar, w.size], [2, 0x20000]);
    assert.deepEqual(w.submaps.map((s) => [s.phys, s.size, s.barOffset, !!s.scratch]), [[0xe658_0000n, 0x10000, 0, false], [0x4_1000_0000n, 0x10000, 0x10000, false]]);
    assert.deepEqual(plan.layout.maps.map((m) => [m.bar, m.offset]), [[2, 0], [2, 0x10000], [2, 0x11000], [2, 0x12000], [2, 0x13000]]);
    // What the DWC EP programmed once the host raised H (dynamic inbound mapping, subranges).
    const dwc = e.analysis.replay.state.controllers.get(PLATFORMS.generic.epc)!.dwc;
    assert.deepEqual(programmedBar(dwc, 0, 2)?.submaps, [{ phys: 0xe658_0000n, size: 0x10000 }, { phys: 0x4_1000_0000n, size: 0x10000 }]);
    assert.equal(programmedBar(dwc, 0, 0)?.size, 0x10000);
  });

  it('seed-series 1.6/1.7: CTRL is 0xC1601012 after the handshake (H and R); a v3 host facing a silent EP leaves 0x41601012 (H only)', () => {
    const e = emulate(workedExample() + HOST);
    assert.equal(probed(e).probe.status, 'ok', show(e));
    assert.equal(ctrlWord(e), 0xc160_1012);
    const hOnly = emulate(workedExample().replace('msix-capable = no', 'msix-capable = no\nkernel = v3') + HOST + fault('f', 'ready-never-set'));
    assert.equal(ctrlWord(hOnly), 0x4160_1012);
  });
});

// ------------------------------------------------------------------------------------------------

/** Every shipped example with a pci_epf_dma function and an emulated host. */
function dmaExamplesWithHost(): string[] {
  return fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.pciep')).sort().filter((f) => {
    const t = fs.readFileSync(path.join(EXAMPLES, f), 'utf8');
    return /^\[functions\/pci_epf_dma\//m.test(t) && /^\[host\]/m.test(t);
  });
}

describe('round trip: the host parses exactly the layout the endpoint wrote (seed-series 6.3, 6.5)', () => {
  const files = dmaExamplesWithHost();
  it(`seed-series 6: covers the DMA examples (${files.join(', ')})`, () => {
    for (const f of ['rk3588-dma.pciep', 'rcar-s4-dma.pciep', 'tegra194-dma.pciep', 'sa8775p-hdma-partial.pciep']) assert.ok(files.includes(f), f);
  });
  for (const file of files) {
    it(`seed-series 6.3/6.5 ${file}: probe ok, and regBar/regOffset/regSize and every channel's desc BAR/offset/size/paddr match the endpoint's plan`, () => {
      const e = emulate(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
      const dev = probed(e);
      assert.equal(dev.probe.status, 'ok', show(e));
      const plan = dmaPlans.get(dev.epf)!;
      assert.ok(plan, 'the probed function is bound');
      const got = dev.probe.parsed!;
      const blob = plan.layout.blob;
      const ctrlMap = plan.layout.maps.find((m) => m.resource === plan.ctrl)!;
      assert.equal(got.mapFormat, MAP_FORMAT_VALUE[plan.ctrl.mapFormat]);
      assert.deepEqual([got.regBar, got.regOffset, got.regSize], [blob.regBar, blob.regOffset, blob.regSize], 'host vs blob');
      assert.deepEqual([got.regBar, got.regOffset, got.regSize], [ctrlMap.bar, BigInt(ctrlMap.offset), plan.ctrl.size], 'host vs layout');
      assert.deepEqual([got.wrCount, got.rdCount], [plan.wr, plan.rd]);
      for (const dir of ['wr', 'rd'] as const) {
        const chans = plan.channels.filter((c) => (c.dir === 'ep-to-rc') === (dir === 'wr'));
        assert.equal(got[dir].length, chans.length, dir);
        chans.forEach((c, i) => {
          const map = plan.layout.maps.find((m) => m.resource === c.desc)!;
          const h = got[dir][i];
          const w = blob[dir][i];
          const at = `${dir}[${i}]`;
          assert.deepEqual([h.hwCh, h.desc.bar, h.desc.offset, h.desc.size, h.desc.paddr], [w.hwCh, w.descBar, w.descOffset, w.descSize, w.descAddr], `${at}: host vs blob`);
          assert.deepEqual([h.hwCh, h.desc.bar, h.desc.offset, h.desc.size, h.desc.paddr], [c.hwCh, map.bar, BigInt(map.offset), c.desc.size, c.desc.phys], `${at}: host vs layout`);
          assert.equal(h.aux, undefined, `${at}: pci_epf_dma never sets A`);
        });
      }
      // The windows really lead where the metadata says: a host write through the descriptor
      // window lands in the channel's LL region; the register window reads the live engine.
      const bar = (i: number) => dev.bars.find((b) => b.bar === i)!.address!;
      const ep = e.system.eps.get(dev.epc.name)!;
      for (const c of [...got.wr, ...got.rd]) {
        const marker = 0x5a00_0000 + Number(c.desc.paddr & 0xffffn);
        assert.ok(e.system.hostMmio.write32(bar(c.desc.bar) + c.desc.offset + 0x100n, marker));
        assert.equal(ep.bus.read32(c.desc.paddr + 0x100n), marker, `descriptor window of LL 0x${c.desc.paddr.toString(16)}`);
      }
      const reg = plan.ctrl.mapFormat === 'hdma-native' ? hdmaCtx('write', 0) + HDMA_CH_EN : V0_CTRL;
      const viaHost = e.system.hostMmio.read32(bar(got.regBar) + got.regOffset + BigInt(reg));
      assert.notEqual(viaHost, 0xffff_ffff, 'register window decodes');
      assert.equal(viaHost, ep.engine!.read32(reg));
      for (const t of e.system.transfers) assert.deepEqual([t.name, t.status, t.verified], [t.name, 'done', true]);
    });
  }
});

// ------------------------------------------------------------------------------------------------

describe('corrupted metadata through the whole system: the host probe fails with the errno of seed-series 6.5', () => {
  // SA8775P: 4 KiB metadata BAR (align 4 KiB), so even "len > BAR length" is expressible in 16 bits.
  type Case = { name: string; patch: [string, number][]; errno: string; field: string; afterReady: boolean };
  const before = (name: string, patch: [string, number][], errno: string, field: string): Case => ({ name, patch, errno, field, afterReady: false });
  const after = (name: string, patch: [string, number][], errno: string, field: string): Case => ({ name, patch, errno, field, afterReady: true });
  const CASES: Case[] = [
    before('magic ≠ "PEDM" (no BAR has metadata)', [['magic', 0x4d44_4551]], 'ENODEV', 'magic'),
    before('revision 2', [['rev', 2]], 'EINVAL', 'rev'),
    before('len < 0x1C', [['len', 0x10]], 'EINVAL', 'len'),
    before('len > BAR length', [['len', 0x2000]], 'EINVAL', 'len'),
    before('layout id 2', [['layout.id', 2]], 'EOPNOTSUPP', 'layout.id'),
    before('layout data 0 (legacy)', [['layout.data', 0]], 'EOPNOTSUPP', 'layout.data'),
    before('layout data 2 (unknown map)', [['layout.data', 2]], 'EINVAL', 'layout.data'),
    before('REG_BAR 6', [['ctrl.reg_bar', 6]], 'EINVAL', 'ctrl.reg_bar'),
    before('WR = RD = 0', [['ctrl.wr', 0], ['ctrl.rd', 0]], 'EINVAL', 'ctrl.wr'),
    before('WR = 9', [['ctrl.wr', 9]], 'EINVAL', 'ctrl.wr'),
    before('stride 0x28 (< 0x2C)', [['ctrl.stride', 0x28]], 'EINVAL', 'ctrl.stride'),
    before('stride 0x2E (not a multiple of 4)', [['ctrl.stride', 0x2e]], 'EINVAL', 'ctrl.stride'),
    before('tables past len (RD = 3)', [['ctrl.rd', 3]], 'EINVAL', 'len'),
    after('register window size 0', [['reg_size', 0]], 'EINVAL', 'reg_size'),
    after('descriptor window outside its BAR', [['wr[0].desc_off', 0x10_0000]], 'EINVAL', 'wr[0].desc_off'),
    after('descriptor BAR 6', [['wr[1].desc_bar', 6]], 'EINVAL', 'wr[1].desc_bar'),
  ];
  for (const c of CASES) {
    it(`seed-series 6.5: ${c.name} → ${c.errno} (${c.afterReady ? 'parse after READY' : 'validation before HOST_REQ'})`, () => {
      const faults = c.patch.map(([field, value], i) => fault(`c${i}`, 'corrupt-metadata', [`field = ${field}`, `value = ${value}`]));
      const e = emulate(dmaFile({ platform: 'sa8775p', hostSections: faults }));
      const p = probed(e).probe;
      assert.deepEqual([p.status, p.field], [c.errno, c.field], show(e));
      const d = e.diagnostics.find((x) => x.code === 'host-probe-failed');
      assert.equal(d?.errno, c.errno);
      assert.equal(p.hostReqAt !== undefined, c.afterReady, 'HOST_REQ raised only for a blob that validated');
      assert.equal(p.readyAt !== undefined, c.afterReady);
      assert.equal(ctrlWord(e) & H, 0, c.afterReady ? 'a v4 host drops H after a parse failure' : 'H never raised');
      assert.deepEqual(e.system.transfers, []);
    });
  }
});

// ------------------------------------------------------------------------------------------------

describe('transfers, verified end to end (kernel-background D.3–D.6; seed-series 4.2)', () => {
  // floor(4096 / 24) - 1 = 169 data elements per 4 KiB LL region: 200 × 16 B needs two chunks,
  // 400 × 16 B three.
  const cases: [string, PlatformName, number][] = [['eDMA unroll (RK3588)', 'rk3588', 4], ['HDMA native (SA8775P)', 'sa8775p', 4]];
  for (const [name, platform, msi] of cases) {
    it(`kernel-background D.3/D.4, seed-series 4.2: ${name}: both directions, single and multi-chunk, done and verified`, function () {
      this.timeout(5000);
      const e = emulate(dmaFile({
        platform, msi, hostSections: [
          transfer('in', 'rc-to-ep', '256K'),
          transfer('out', 'ep-to-rc', '64K', ['channel = 1', 'pattern = random:7']),
          transfer('in2', 'rc-to-ep', '3200', ['element-size = 16']),
          transfer('out3', 'ep-to-rc', '6400', ['element-size = 16', 'channel = 1']),
        ],
      }));
      assert.equal(probed(e).probe.status, 'ok', show(e));
      assert.deepEqual(e.system.transfers.map((t) => [t.name, t.status, t.verified, t.elements, t.chunks]), [
        ['in', 'done', true, 1, 1], ['out', 'done', true, 1, 1], ['in2', 'done', true, 200, 2], ['out3', 'done', true, 400, 3],
      ], timeline(e));
      // The data really moved: destination bytes equal the source pattern (spot check, beyond `verified`).
      const out = e.system.transfers[1];
      assert.deepEqual(e.system.hostMem.read(out.dst!, 4096), epBus(e, platform).bus.read(out.src!, 4096));
      // Chunk 2 of `in2` ran with CB = 0 (D.3): element 0 was rewritten by it, element 100 still
      // holds chunk 1 (CB = 1), and chunk 2's link element (slot 31) has LLP.
      const ll = llRegionPhys(profile(PLATFORMS[platform].compatible), 'rc-to-ep', 0);
      const ctl = (i: number) => epBus(e, platform).bus.read32(ll + BigInt(i * LL_ELEM_SIZE))!;
      assert.equal(ctl(0) & LL_CB, 0, 'chunk 2 data element CB = 0');
      assert.equal(ctl(100) & LL_CB, LL_CB, 'chunk 1 data element CB = 1');
      assert.equal(ctl(31) & LL_LLP, LL_LLP, 'chunk 2 link element');
      assert.equal(ctl(31) & LL_CB, LL_CB, 'link CB is the inverse of the chunk CB');
    });
  }
});

// ------------------------------------------------------------------------------------------------

describe('determinism', () => {
  const all = [
    ...fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.pciep')),
    ...fs.readdirSync(path.join(EXAMPLES, 'broken')).filter((f) => f.endsWith('.pciep')).map((f) => `broken/${f}`),
  ].sort();
  it(`CONTRACTS.md schema 1 / virtual clock (clock.ts): the same file gives the identical JSON twice, for all ${all.length} examples`, function () {
    this.timeout(10000);
    let timelines = 0;
    for (const f of all) {
      const text = fs.readFileSync(path.join(EXAMPLES, f), 'utf8');
      const a = JSON.stringify(toEmulateJson(emulate(text)));
      const b = JSON.stringify(toEmulateJson(emulate(text)));
      assert.equal(a, b, f);
      if ((JSON.parse(a) as { timeline: unknown[] }).timeline.length > 0) timelines++;
    }
    assert.ok(timelines >= 5, 'several examples actually run a bring-up');
  });
});

// ------------------------------------------------------------------------------------------------

function cli(argv: string[], files: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
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
  return main(argv, io).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }));
}

describe('pciep emulate (CONTRACTS.md)', () => {
  const good = `${workedExample()}${HOST}${transfer('push', 'rc-to-ep', '64K')}\n`;

  it('CONTRACTS.md --json: schema 1, 1-based operation lines, metadata.hex = the blob in BAR memory at the end, exit 0', async () => {
    const r = await cli(['emulate', 'w.pciep', '--json'], { 'w.pciep': good });
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as {
      schema: number; operations: { line: number; op: string; path: string; result: string }[];
      functions: { path: string; metadata: { bar: number; offset: number; hex: string } }[];
      host: { driver: string; probe: string; bars: { bar: number; address: string; size: number }[] };
      transfers: { name: string; status: string; verified: boolean; bytes: number }[];
    };
    assert.equal(j.schema, 1);
    const lines = good.split('\n');
    assert.ok(j.operations.length >= 9);
    for (const o of j.operations) {
      const src = lines[o.line - 1] ?? '';
      const name = o.path.split('/').pop()!;
      assert.ok(o.op === 'mkdir' ? src.startsWith('[functions/') : src.includes(name), `operation ${o.op} ${o.path} at line ${o.line}: '${src}'`);
    }
    // The whole 0xCC blob; CTRL now carries H and R (0xC1601012 → bytes 12 10 60 c1).
    const expected = SEED_1_7_TABLE.slice(0, 16) + '121060c1' + SEED_1_7_TABLE.slice(24);
    assert.deepEqual([j.functions[0].metadata.bar, j.functions[0].metadata.offset, j.functions[0].metadata.hex], [0, 0, expected]);
    assert.equal(j.host.probe, 'ok');
    assert.deepEqual(j.host.bars.map((b) => [b.bar, b.size]), [[0, 0x10000], [2, 0x20000]]);
    assert.match(j.host.bars[0].address, /^0x[0-9a-f]+$/);
    assert.deepEqual(j.transfers.map((t) => [t.name, t.status, t.verified, t.bytes]), [['push', 'done', true, 65536]]);
  });

  it('CONTRACTS.md: exits 1 when the run has an error (here: READY never set), 2 on an unreadable file', async () => {
    const bad = await cli(['emulate', 'b.pciep', '--json'], { 'b.pciep': good + fault('f', 'ready-never-set') });
    assert.equal(bad.code, 1);
    const j = JSON.parse(bad.out) as { diagnostics: { code: string; errno: string | null }[]; host: { probe: string } };
    assert.equal(j.host.probe, 'ETIMEDOUT');
    assert.ok(j.diagnostics.some((d) => d.code === 'host-probe-failed' && d.errno === 'ETIMEDOUT'));
    assert.equal((await cli(['emulate', 'b.pciep'], { 'b.pciep': good + fault('f', 'ready-never-set') })).code, 1);
    assert.equal((await cli(['emulate', 'missing.pciep'], {})).code, 2);
  });

  it('CONTRACTS.md: the readable report has the BAR table, the decoded metadata, the transfers and the timeline', async () => {
    const r = await cli(['emulate', 'w.pciep'], { 'w.pciep': good });
    assert.equal(r.code, 0);
    assert.match(r.out, /^BAR {2}type {10}size/m);
    assert.match(r.out, /^2 +programmable +128 KiB +no +DMA window: dma-registers@0x0\+64 KiB→0xe6580000, descriptors@0x10000\+64 KiB→0x410000000$/m);
    assert.match(r.out, /0x008 +12 10 60 c1/);
    assert.match(r.out, /## Transfers\n\n {2}push +rc-to-ep ch0 64 KiB +done, verified/);
    assert.match(r.out, /## Timeline \(virtual time\)/);
    assert.match(r.out, /\] HOST dw-edma-pcie 0000:01:00\.0: endpoint DMA metadata found in BAR0, HOST_REQ set/);
    assert.match(r.out, /\] EP {3}pci_epf_dma pci_epf_dma\.0: READY set/);
  });
});

