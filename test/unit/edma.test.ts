import { strict as assert } from 'node:assert';
import { AddressSpace } from '../../server/src/emulator/memory';
import { EdmaEngine, type EdmaEngineOptions, type EdmaInterruptEvent } from '../../server/src/emulator/edma/engine';
import {
  DwEdmaChannel, lastElementIrq, llCapacity, programImwr, ringDoorbell, startChannel, writeLinkedList,
  type LlDataElement,
} from '../../server/src/emulator/edma/ll-builder';
import {
  CS_HALTED, CS_RUNNING, CS_STOPPED, HDMA_CH_EN, HDMA_CH_STAT, HDMA_FUNC_NUM, HDMA_INT_SETUP, HDMA_INT_STAT,
  HDMA_INT_ABORT, HDMA_INT_STOP, LL_CB, LL_ELEM_SIZE, LL_LIE, LL_LLP, LL_RIE, LL_TCB, V0_CH_CONTROL1, V0_CH_LLP_LO,
  V0_CTRL, V0_CTRL1_CS_MASK, V0_CTRL1_CS_SHIFT, V0_CTRL1_FUNC_NUM_MASK, V0_CTRL1_FUNC_NUM_SHIFT, V0_LEGACY_CTX,
  V0_RD_INT_MASK, V0_RD_INT_STATUS, V0_VIEWPORT_SEL, V0_WR_DOORBELL, V0_WR_ENGINE_EN, V0_WR_ERR_STATUS,
  V0_WR_INT_CLEAR, V0_WR_INT_MASK, V0_WR_INT_STATUS, V0_RD_ENGINE_EN, V0_RD_ERR_STATUS, hdmaCtx, v0ChPwrEn,
  v0UnrollCtx, v0ViewportSel,
  type EdmaDir, type EdmaMapFormat,
} from '../../server/src/emulator/edma/regs';

// EP-local bus: RAM, LL regions (one 4 KiB page per channel, E.4 step 5) and the register window.
const EP_RAM = 0x1000_0000n;
const LL = 0x2000_0000n;
const REG = 0x3000_0000n;
// Host memory as the EP sees it through the outbound mapping (above 4 GiB to exercise the hi halves).
const HOST = 0x8_0000_0000n;
const MSI = 0xfee0_0000n;
const PAGE = 0x1000;

interface Rig {
  local: AddressSpace;
  remote: AddressSpace;
  eng: EdmaEngine;
  events: EdmaInterruptEvent[];
  ep: Buffer;
  host: Buffer;
}

function rig(mapFormat: EdmaMapFormat, extra: Partial<EdmaEngineOptions> = {}, onEv?: (ev: EdmaInterruptEvent) => void): Rig {
  const local = new AddressSpace('ep-bus');
  const remote = new AddressSpace('pcie');
  const epR = local.addRam('ep-ram', EP_RAM, 1 << 20);
  local.addRam('ll', LL, 4 * PAGE);
  const hostR = remote.addRam('host-ram', HOST, 1 << 20);
  remote.addRam('msi', MSI, PAGE);
  const events: EdmaInterruptEvent[] = [];
  const eng = new EdmaEngine({
    mapFormat, wrChannels: 2, rdChannels: 2, local, remote,
    onInterrupt: (ev) => { events.push(ev); onEv?.(ev); }, ...extra,
  });
  local.addMmio('edma-regs', REG, eng.windowSize, eng);
  const ep = epR.bytes();
  const host = hostR.bytes();
  for (let i = 0; i < ep.length; i++) ep[i] = (i * 7 + 3) & 0xff;
  for (let i = 0; i < host.length; i++) host[i] = (i * 13 + 5) & 0xff;
  return { local, remote, eng, events, ep, host };
}

const llOf = (dir: EdmaDir, ch: number): bigint => LL + BigInt(((dir === 'write' ? 0 : 2) + ch) * PAGE);

function cs(r: Rig, mf: EdmaMapFormat, dir: EdmaDir, ch: number): number {
  if (mf === 'hdma-native') return r.eng.read32(hdmaCtx(dir, ch) + HDMA_CH_STAT) & 3;
  if (mf === 'legacy') {
    r.eng.write32(V0_VIEWPORT_SEL, v0ViewportSel(dir, ch));
    return (r.eng.read32(V0_LEGACY_CTX) & V0_CTRL1_CS_MASK) >>> V0_CTRL1_CS_SHIFT;
  }
  return (r.eng.read32(v0UnrollCtx(dir, ch) + V0_CH_CONTROL1) & V0_CTRL1_CS_MASK) >>> V0_CTRL1_CS_SHIFT;
}

/** The EP-local driver: write one chunk, first-chunk setup, doorbell (D.3, D.4 / D.5). */
function submitLocal(r: Rig, mf: EdmaMapFormat, dir: EdmaDir, ch: number, els: LlDataElement[], funcNo = 0): void {
  writeLinkedList(r.local, llOf(dir, ch), PAGE, els, 1, lastElementIrq(true, 'local'));
  startChannel(r.local, REG, mf, dir, ch, llOf(dir, ch), funcNo, 'local');
  ringDoorbell(r.local, REG, mf, dir, ch);
}

function drain(e: EdmaEngine): void {
  let guard = 0;
  while (e.run(4096)) if (++guard > 10_000) throw new Error('engine did not settle');
}

const epOff = (a: bigint): number => Number(a - EP_RAM);
const hostOff = (a: bigint): number => Number(a - HOST);

describe('DW eDMA engine — unroll map (kernel-background D.2–D.4, D.6)', () => {
  it('D.2/E.4: CTRL reports the channel counts (wr 3:0, rd 19:16) and is read-only', () => {
    const r = rig('unroll');
    assert.equal(r.eng.read32(V0_CTRL), 0x0002_0002);
    r.eng.write32(V0_CTRL, 0xffff_ffff);
    assert.equal(r.eng.read32(V0_CTRL), 0x0002_0002);
  });

  it('D.3/D.4/D.6: a 3-element write-channel list moves EP→host bytes; DONE and CS=3 only after the last element', () => {
    const r = rig('unroll');
    const els = [
      { sar: EP_RAM + 0x100n, dar: HOST + 0x1000n, size: 64 },
      { sar: EP_RAM + 0x800n, dar: HOST + 0x2000n, size: 4096 },
      { sar: EP_RAM + 0x4000n, dar: HOST + 0x9000n, size: 3 },
    ];
    submitLocal(r, 'unroll', 'write', 0, els);
    assert.equal(cs(r, 'unroll', 'write', 0), CS_RUNNING, 'doorbell accepted → running');
    for (let i = 0; i < 3; i++) {
      assert.equal(r.eng.step(), i < 2, `work remains after element ${i}`);
      const st = r.eng.read32(V0_WR_INT_STATUS);
      assert.equal(r.eng.channelStats('write', 0).elementsDone, i + 1);
      if (i < 2) {
        assert.equal(st & 1, 0, `no DONE after element ${i}`);
        assert.equal(cs(r, 'unroll', 'write', 0), CS_RUNNING);
        assert.equal(r.events.length, 0);
      } else {
        assert.equal(st, 1, 'DONE bit 0 only');
        assert.equal(cs(r, 'unroll', 'write', 0), CS_STOPPED);
        assert.deepEqual(r.events, [{ kind: 'local', dir: 'write', ch: 0, status: 'done' }]);
      }
    }
    for (const e of els) assert.ok(r.ep.subarray(epOff(e.sar), epOff(e.sar) + e.size).equals(r.host.subarray(hostOff(e.dar), hostOff(e.dar) + e.size)));
    assert.equal(r.host[0x1000 + 64], ((0x1000 + 64) * 13 + 5) & 0xff, 'bytes after the element untouched');
    const s = r.eng.channelStats('write', 0);
    assert.equal(s.status, 'done');
    assert.equal(s.bytesDone, 64 + 4096 + 3);
    // LLP is left on the first slot (after the link, D.3 ring), CCS toggled to 0 by the link's TCB.
    assert.equal(r.eng.read32(v0UnrollCtx('write', 0) + V0_CH_LLP_LO), Number(llOf('write', 0) & 0xffffffffn));
    assert.equal(r.eng.read32(v0UnrollCtx('write', 0) + V0_CH_CONTROL1) & 0x100, 0);
  });

  it('D.6: a read channel moves host→EP bytes', () => {
    const r = rig('unroll');
    const els = [{ sar: HOST + 0x300n, dar: EP_RAM + 0x20000n, size: 1000 }, { sar: HOST + 0x5000n, dar: EP_RAM + 0x30000n, size: 24 }];
    submitLocal(r, 'unroll', 'read', 1, els);
    drain(r.eng);
    for (const e of els) assert.ok(r.host.subarray(hostOff(e.sar), hostOff(e.sar) + e.size).equals(r.ep.subarray(epOff(e.dar), epOff(e.dar) + e.size)));
    assert.equal(r.eng.read32(V0_RD_INT_STATUS), 1 << 1);
    assert.equal(cs(r, 'unroll', 'read', 1), CS_STOPPED);
    assert.deepEqual(r.events, [{ kind: 'local', dir: 'read', ch: 1, status: 'done' }]);
  });

  it('seed-series 5: FUNC_NUM is written into ch_control1 bits 16:12 (HDMA: func_num bits 7:0)', () => {
    const r = rig('unroll');
    startChannel(r.local, REG, 'unroll', 'write', 1, llOf('write', 1), 5, 'local');
    const c1 = r.eng.read32(v0UnrollCtx('write', 1) + V0_CH_CONTROL1);
    assert.equal((c1 & V0_CTRL1_FUNC_NUM_MASK) >>> V0_CTRL1_FUNC_NUM_SHIFT, 5);
    assert.equal(c1 & 0x300, 0x300, 'CCS | LLE');
    const h = rig('hdma-native');
    startChannel(h.local, REG, 'hdma-native', 'read', 0, llOf('read', 0), 3, 'local');
    assert.equal(h.eng.read32(hdmaCtx('read', 0) + HDMA_FUNC_NUM), 3);
  });

  it('D.4: the start sequence writes engine_en, int_mask, linked_list_err_en, ch_control1, LLP in order', () => {
    const r = rig('hdma-compat');
    const log: { offset: number; value: number }[] = [];
    startChannel(r.local, REG, 'hdma-compat', 'write', 1, 0x1_2345_6780n, 0, 'local', { log });
    assert.deepEqual(log.map((w) => w.offset), [0x00c, v0ChPwrEn('write', 1), 0x054, 0x090, 0x400, 0x41c, 0x420]);
    assert.deepEqual(log.slice(-2).map((w) => w.value), [0x2345_6780, 1]);
  });

  it('D.1/D.4: HDMA-compat needs ch_pwr_en as well as engine_en before a doorbell is accepted', () => {
    const r = rig('hdma-compat');
    writeLinkedList(r.local, llOf('write', 0), PAGE, [{ sar: EP_RAM, dar: HOST, size: 16 }], 1, { lie: true, rie: false });
    r.eng.write32(V0_WR_ENGINE_EN, 1);
    r.eng.write32(V0_WR_DOORBELL, 0);
    assert.equal(r.eng.channelStats('write', 0).ignoredDoorbells, 1);
    assert.equal(r.eng.hasWork(), false);
    submitLocal(r, 'hdma-compat', 'write', 0, [{ sar: EP_RAM, dar: HOST, size: 16 }]);
    drain(r.eng);
    assert.equal(r.eng.channelStats('write', 0).status, 'done');
  });
});

describe('DW eDMA engine — legacy viewport (D.2)', () => {
  it('viewport_sel routes the 0x100 window to the selected channel context (bit 31 = read)', () => {
    const r = rig('legacy');
    r.eng.write32(V0_VIEWPORT_SEL, v0ViewportSel('read', 1));
    r.eng.write32(V0_LEGACY_CTX + V0_CH_LLP_LO, 0xabcd_0000);
    assert.equal(r.eng.read32(V0_LEGACY_CTX + V0_CH_LLP_LO), 0xabcd_0000);
    r.eng.write32(V0_VIEWPORT_SEL, v0ViewportSel('write', 1));
    assert.equal(r.eng.read32(V0_LEGACY_CTX + V0_CH_LLP_LO), 0, 'write channel 1 has its own context');
    r.eng.write32(V0_LEGACY_CTX + V0_CH_LLP_LO, 0x1111_0000);
    r.eng.write32(V0_VIEWPORT_SEL, v0ViewportSel('read', 1));
    assert.equal(r.eng.read32(V0_LEGACY_CTX + V0_CH_LLP_LO), 0xabcd_0000);
    assert.equal(r.eng.bytes().readUInt32LE(V0_LEGACY_CTX + V0_CH_LLP_LO), 0xabcd_0000, 'raw bytes show the selected context');
    r.eng.write32(V0_VIEWPORT_SEL, 7); // no write channel 7
    assert.equal(r.eng.read32(V0_LEGACY_CTX + V0_CH_LLP_LO), 0);
  });

  it('a transfer programmed through the viewport runs on the selected channel', () => {
    const r = rig('legacy');
    const els = [{ sar: HOST + 0x40n, dar: EP_RAM + 0x8000n, size: 200 }];
    submitLocal(r, 'legacy', 'read', 1, els);
    drain(r.eng);
    assert.ok(r.host.subarray(0x40, 0x40 + 200).equals(r.ep.subarray(0x8000, 0x8000 + 200)));
    assert.equal(r.eng.read32(V0_RD_INT_STATUS), 1 << 1);
    assert.equal(cs(r, 'legacy', 'read', 1), CS_STOPPED);
    assert.equal(cs(r, 'legacy', 'read', 0), 0, 'the other read channel never ran');
  });
});

describe('DW HDMA engine — native map (D.5)', () => {
  for (const dir of ['write', 'read'] as const) {
    it(`${dir} channel: LINKLIST_EN list, STOP status b0, ch_stat 3, local event`, () => {
      const r = rig('hdma-native');
      const els = dir === 'write'
        ? [{ sar: EP_RAM + 0x10n, dar: HOST + 0x100n, size: 100 }, { sar: EP_RAM + 0x900n, dar: HOST + 0x4000n, size: 7 }]
        : [{ sar: HOST + 0x10n, dar: EP_RAM + 0x100n, size: 100 }, { sar: HOST + 0x900n, dar: EP_RAM + 0x4000n, size: 7 }];
      submitLocal(r, 'hdma-native', dir, 1, els);
      assert.equal(cs(r, 'hdma-native', dir, 1), CS_RUNNING);
      drain(r.eng);
      for (const e of els) {
        const [src, so, dst, dO] = dir === 'write' ? [r.ep, epOff(e.sar), r.host, hostOff(e.dar)] : [r.host, hostOff(e.sar), r.ep, epOff(e.dar)];
        assert.ok(src.subarray(so, so + e.size).equals(dst.subarray(dO, dO + e.size)));
      }
      assert.equal(r.eng.read32(hdmaCtx(dir, 1) + HDMA_INT_STAT), HDMA_INT_STOP);
      assert.equal(cs(r, 'hdma-native', dir, 1), CS_STOPPED);
      assert.deepEqual(r.events, [{ kind: 'local', dir, ch: 1, status: 'done' }]);
      r.eng.write32(hdmaCtx(dir, 1) + 0x8c, HDMA_INT_STOP);
      assert.equal(r.eng.read32(hdmaCtx(dir, 1) + HDMA_INT_STAT), 0, 'int_clear clears');
    });
  }
});

describe('multi-chunk transfers: CB alternation, link CB inverse (D.3)', () => {
  function chunkRun(linkCycleCheck: boolean, sizes: number[]): void {
    const r = rig('unroll', { linkCycleCheck });
    const ll = llOf('write', 0);
    let off = 0;
    startChannel(r.local, REG, 'unroll', 'write', 0, ll, 0, 'local');
    sizes.forEach((n, k) => {
      const cb = (k % 2 === 0 ? 1 : 0) as 0 | 1;
      const els = Array.from({ length: n }, (_, i) => ({ sar: EP_RAM + BigInt(off + i * 100), dar: HOST + BigInt(off + i * 100), size: 100 }));
      off += n * 100;
      const link = writeLinkedList(r.local, ll, PAGE, els, cb, { lie: true, rie: false });
      // Data CB = chunk cycle; link = LLP|TCB (+CB when the chunk's CB is 0).
      assert.equal(r.local.read32(ll)! & LL_CB, cb);
      assert.equal(r.local.read32(link), LL_LLP | LL_TCB | (cb ? 0 : LL_CB));
      assert.equal(r.local.read32(link - BigInt(LL_ELEM_SIZE))! & LL_LIE, LL_LIE, 'LIE on the last data element');
      if (n > 1) assert.equal(r.local.read32(ll)! & LL_LIE, 0, 'no LIE on earlier elements');
      ringDoorbell(r.local, REG, 'unroll', 'write', 0);
      drain(r.eng);
      assert.equal(r.eng.read32(V0_WR_INT_STATUS), 1, `chunk ${k} DONE`);
      assert.equal(r.eng.channelStats('write', 0).status, 'done');
      r.eng.write32(V0_WR_INT_CLEAR, 1);
    });
    assert.equal(r.events.length, sizes.length);
    assert.ok(r.ep.subarray(0, off).equals(r.host.subarray(0, off)));
    assert.equal(r.eng.channelStats('write', 0).elementsDone, sizes.reduce((a, b) => a + b, 0));
  }

  it('chunks of growing and shrinking size complete (links followed, TCB toggles CCS)', () => chunkRun(false, [3, 5, 1, 4, 4]));
  it('same with the strict link check (link CB must equal the post-toggle CCS)', () => chunkRun(true, [3, 5, 1, 4, 4]));

  it('a spurious doorbell with nothing produced stops at once: status waiting, no interrupt', () => {
    const r = rig('unroll');
    submitLocal(r, 'unroll', 'write', 0, [{ sar: EP_RAM, dar: HOST, size: 8 }]);
    drain(r.eng);
    r.eng.write32(V0_WR_INT_CLEAR, 1);
    ringDoorbell(r.local, REG, 'unroll', 'write', 0);
    drain(r.eng);
    assert.equal(r.eng.channelStats('write', 0).status, 'waiting');
    assert.equal(r.eng.read32(V0_WR_INT_STATUS), 0);
    assert.equal(cs(r, 'unroll', 'write', 0), CS_STOPPED);
    assert.equal(r.events.length, 1);
  });

  it('DwEdmaChannel splits by llCapacity and submits the next chunk from the DONE handler', () => {
    const irq: { drv?: DwEdmaChannel } = {};
    const r = rig('unroll', {}, (ev) => { if (ev.kind === 'local' && ev.dir === 'read' && ev.ch === 0) irq.drv?.handleInterrupt(); });
    const llSize = 5 * LL_ELEM_SIZE;
    assert.equal(llCapacity(llSize), 4);
    assert.equal(llCapacity(4096), 169, 'E.4/D.3: one page → 169 elements');
    assert.equal(llCapacity(0x800), 84);
    const drv = new DwEdmaChannel({ regs: r.local, regBase: REG, mapFormat: 'unroll', dir: 'read', ch: 0, llMem: r.local, llBase: llOf('read', 0), llSize });
    irq.drv = drv;
    const els = Array.from({ length: 10 }, (_, i) => ({ sar: HOST + BigInt(i * 333), dar: EP_RAM + 0x40000n + BigInt(i * 333), size: 333 }));
    drv.submit(els);
    drain(r.eng);
    assert.equal(drv.state, 'complete');
    assert.equal(drv.chunksSubmitted, 3);
    assert.ok(r.host.subarray(0, 3330).equals(r.ep.subarray(0x40000, 0x40000 + 3330)));
    assert.equal(r.eng.read32(V0_RD_INT_STATUS), 0, 'handler cleared every DONE');
    assert.ok(drv.hardwareStopped());
  });

  it('HDMA: cycle_sync written once (3f63297) completes; rewriting it per chunk (older kernels) stalls chunk 2', () => {
    for (const resync of [false, true]) {
      const irq: { drv?: DwEdmaChannel } = {};
      const r = rig('hdma-native', {}, () => irq.drv?.handleInterrupt());
      const drv = new DwEdmaChannel({ regs: r.local, regBase: REG, mapFormat: 'hdma-native', dir: 'write', ch: 0, llMem: r.local, llBase: llOf('write', 0), llSize: 3 * LL_ELEM_SIZE, hdmaResyncCycle: resync });
      irq.drv = drv;
      drv.submit(Array.from({ length: 5 }, (_, i) => ({ sar: EP_RAM + BigInt(i * 10), dar: HOST + BigInt(i * 10), size: 10 })));
      drain(r.eng);
      if (!resync) {
        assert.equal(drv.state, 'complete');
        assert.equal(r.eng.channelStats('write', 0).elementsDone, 5);
      } else {
        assert.equal(drv.state, 'busy', 'the handler never gets a second STOP');
        assert.equal(r.eng.channelStats('write', 0).status, 'waiting');
        assert.equal(r.eng.channelStats('write', 0).elementsDone, 2);
      }
    }
  });
});

describe('interrupts: RIE / IMWr, int_mask, int_clear (D.2, D.4, D.7, seed-series 5)', () => {
  /** A host-side (remote, non-LOCAL) dw-edma instance reaching the engine and the LL windows through BARs. */
  function hostInstance(r: Rig): AddressSpace {
    const bus = new AddressSpace('host-bus');
    bus.addMmio('bar0-edma', 0xe000_0000n, r.eng.windowSize, r.eng);
    bus.addAlias('bar2-ll', 0xe100_0000n, r.local.resolve(LL, 4 * PAGE)!.region.bytes());
    return bus;
  }

  it('RIE → IMWr lands at done_imwr with the odd/even channel half of chXY_imwr_data; local interrupt masked', () => {
    const seen: number[] = [];
    const r = rig('unroll', { defaultIrqMode: 'remote' }, () => seen.push(r.remote.read32(MSI)!));
    const bus = hostInstance(r);
    programImwr(bus, 0xe000_0000n, 'unroll', 'write', 0, MSI, 0x11);
    // done_imwr / abort_imwr are per direction; only the data differs per channel (D.2).
    programImwr(bus, 0xe000_0000n, 'unroll', 'write', 1, MSI, 0x22);
    assert.equal(r.eng.read32(0x070), 0x0022_0011, 'ch01_imwr_data: even 15:0, odd 31:16');
    for (const ch of [0, 1]) {
      const drv = new DwEdmaChannel({
        regs: bus, regBase: 0xe000_0000n, mapFormat: 'unroll', dir: 'write', ch, llMem: bus,
        llBase: 0xe100_0000n + BigInt(ch * PAGE), llPhys: llOf('write', ch), llSize: PAGE, irqMode: 'remote', chipLocal: false,
      });
      drv.submit([{ sar: EP_RAM + BigInt(ch * 0x100), dar: HOST + 0x7000n + BigInt(ch * 0x100), size: 0x100 }]);
      const last = r.local.read32(llOf('write', ch))!;
      assert.equal(last & (LL_LIE | LL_RIE), LL_LIE | LL_RIE, 'non-LOCAL chip, REMOTE channel: LIE|RIE');
    }
    assert.equal(r.eng.read32(V0_WR_INT_MASK), 0x0003_0003, 'REMOTE channels: local DONE/ABORT masked');
    drain(r.eng);
    assert.deepEqual(r.events, [
      { kind: 'remote-imwr', dir: 'write', ch: 0, status: 'done', address: MSI, data: 0x11, delivered: true },
      { kind: 'remote-imwr', dir: 'write', ch: 1, status: 'done', address: MSI, data: 0x22, delivered: true },
    ]);
    assert.deepEqual(seen, [0x11, 0x22], 'each IMWr is in host memory when its event is reported');
    assert.equal(r.eng.read32(V0_WR_INT_STATUS), 0x3, 'status latches although masked');
    assert.ok(r.host.subarray(0x7000, 0x7200).equals(r.ep.subarray(0, 0x200)));
  });

  it('HDMA native REMOTE: remote stop enable → IMWr to msi_stop with msi_msgdata', () => {
    const r = rig('hdma-native');
    programImwr(r.local, REG, 'hdma-native', 'read', 1, MSI + 8n, 0xbeef);
    writeLinkedList(r.local, llOf('read', 1), PAGE, [{ sar: HOST, dar: EP_RAM, size: 4 }], 1, lastElementIrq(false, 'remote'));
    startChannel(r.local, REG, 'hdma-native', 'read', 1, llOf('read', 1), 0, 'remote');
    ringDoorbell(r.local, REG, 'hdma-native', 'read', 1);
    drain(r.eng);
    assert.deepEqual(r.events, [{ kind: 'remote-imwr', dir: 'read', ch: 1, status: 'done', address: MSI + 8n, data: 0xbeef, delivered: true }]);
    assert.equal(r.remote.read32(MSI + 8n), 0xbeef);
  });

  it('int_mask masks the local event but DONE still latches; int_clear clears it', () => {
    const r = rig('unroll');
    writeLinkedList(r.local, llOf('read', 0), PAGE, [{ sar: HOST, dar: EP_RAM, size: 32 }], 1, { lie: true, rie: false });
    startChannel(r.local, REG, 'unroll', 'read', 0, llOf('read', 0), 0, 'local');
    r.eng.write32(V0_RD_INT_MASK, 1);
    ringDoorbell(r.local, REG, 'unroll', 'read', 0);
    drain(r.eng);
    assert.equal(r.events.length, 0);
    assert.equal(r.eng.read32(V0_RD_INT_STATUS), 1);
    r.eng.write32(V0_RD_INT_STATUS, 0); // read-only
    assert.equal(r.eng.read32(V0_RD_INT_STATUS), 1);
    r.eng.write32(0x0ac, 1);
    assert.equal(r.eng.read32(V0_RD_INT_STATUS), 0);
  });
});

describe('aborts (hang-proof engine)', () => {
  function abortCase(mf: EdmaMapFormat, dir: EdmaDir, els: LlDataElement[], llPhys?: bigint, extra: Partial<EdmaEngineOptions> = {}): Rig {
    const r = rig(mf, extra);
    writeLinkedList(r.local, llOf(dir, 0), PAGE, els, 1, { lie: true, rie: false });
    startChannel(r.local, REG, mf, dir, 0, llPhys ?? llOf(dir, 0), 0, 'local');
    ringDoorbell(r.local, REG, mf, dir, 0);
    drain(r.eng);
    return r;
  }

  it('SAR outside memory → ABORT bit 16+ch, CS halted, err_status, reason, local abort event', () => {
    const r = abortCase('unroll', 'write', [{ sar: 0xdead_0000n, dar: HOST, size: 16 }]);
    assert.equal(r.eng.read32(V0_WR_INT_STATUS), 1 << 16);
    assert.equal(cs(r, 'unroll', 'write', 0), CS_HALTED);
    assert.equal(r.eng.read32(V0_WR_ERR_STATUS), 1);
    const s = r.eng.channelStats('write', 0);
    assert.equal(s.status, 'aborted');
    assert.match(s.lastAbort!, /source outside memory 0xdead0000/);
    assert.deepEqual(r.eng.lastAbort, { dir: 'write', ch: 0, reason: s.lastAbort });
    assert.deepEqual(r.events, [{ kind: 'local', dir: 'write', ch: 0, status: 'abort' }]);
    r.eng.write32(V0_WR_INT_CLEAR, 1 << 16);
    assert.equal(r.eng.read32(V0_WR_INT_STATUS), 0);
    assert.equal(r.eng.read32(V0_WR_ERR_STATUS), 0, 'err_status cleared with the abort');
  });

  it('read channel: a source beyond the end of host memory aborts (PCIe-side error in rd_err_status hi)', () => {
    const r = abortCase('unroll', 'read', [{ sar: HOST + 0xfff00n, dar: EP_RAM, size: 0x200 }]);
    assert.equal(r.eng.read32(V0_RD_INT_STATUS), 1 << 16);
    assert.equal(r.eng.read32(V0_RD_ERR_STATUS + 4), 1);
    assert.match(r.eng.channelStats('read', 0).lastAbort!, /source outside memory 0x8000fff00/);
  });

  it('LLP outside EP-local memory → bad element address, LL fetch error bit', () => {
    const r = abortCase('unroll', 'write', [{ sar: EP_RAM, dar: HOST, size: 16 }], 0x7000_0000n);
    assert.match(r.eng.channelStats('write', 0).lastAbort!, /bad element address 0x70000000/);
    assert.equal(r.eng.read32(V0_WR_ERR_STATUS), 1 << 16);
  });

  it('zero-size data element → abort (emulator choice)', () => {
    const r = abortCase('hdma-native', 'write', [{ sar: EP_RAM, dar: HOST, size: 0 }]);
    assert.match(r.eng.channelStats('write', 0).lastAbort!, /zero-size/);
    assert.equal(r.eng.read32(hdmaCtx('write', 0) + HDMA_INT_STAT), HDMA_INT_ABORT);
    assert.equal(cs(r, 'hdma-native', 'write', 0), CS_HALTED);
    assert.deepEqual(r.events, [{ kind: 'local', dir: 'write', ch: 0, status: 'abort' }]);
  });

  it('descriptor pointing into the register window (MMIO) → abort; LL in MMIO → abort', () => {
    const r = abortCase('unroll', 'read', [{ sar: HOST, dar: REG + 0x10n, size: 4 }]);
    assert.match(r.eng.channelStats('read', 0).lastAbort!, /destination 0x30000010 is in MMIO region edma-regs/);
    assert.equal(r.eng.read32(V0_RD_ENGINE_EN), 1, 'the DMA wrote nothing into its own registers');
    const r2 = abortCase('unroll', 'write', [{ sar: EP_RAM, dar: HOST, size: 4 }], REG + 0x800n);
    assert.match(r2.eng.channelStats('write', 0).lastAbort!, /bad element address 0x30000800 \(MMIO region edma-regs\)/);
  });

  it('a hostile all-CB-matching cycle terminates at the element bound and reports looped', () => {
    const r = rig('unroll', { elementBound: 1000 });
    const ll = llOf('write', 0);
    // data (CB=1, no LIE) → link without TCB back to the start: CCS never changes.
    r.local.write(ll, Buffer.alloc(48));
    r.local.write32(ll + 4n, 8);
    r.local.write32(ll + 8n, Number(EP_RAM & 0xffffffffn));
    r.local.write32(ll + 16n, Number(HOST & 0xffffffffn));
    r.local.write32(ll + 20n, Number(HOST >> 32n));
    r.local.write32(ll, LL_CB);
    r.local.write32(ll + 32n, Number(ll));
    r.local.write32(ll + 24n, LL_LLP | LL_CB);
    startChannel(r.local, REG, 'unroll', 'write', 0, ll, 0, 'local');
    ringDoorbell(r.local, REG, 'unroll', 'write', 0);
    let slices = 0;
    while (r.eng.run(64)) slices++;
    assert.ok(slices > 10, 'the budget slices the work');
    const s = r.eng.channelStats('write', 0);
    assert.equal(s.status, 'aborted');
    assert.match(s.lastAbort!, /looped past 1000 elements/);
    assert.equal(s.elementsDone, 500);
    assert.equal(r.eng.read32(V0_WR_INT_STATUS), 1 << 16);
  });

  it('a link-only self loop also terminates', () => {
    const r = rig('hdma-native', { elementBound: 5000 });
    const ll = llOf('read', 1);
    r.local.write32(ll + 8n, Number(ll));
    r.local.write32(ll, LL_LLP | LL_TCB);
    startChannel(r.local, REG, 'hdma-native', 'read', 1, ll, 0, 'local');
    ringDoorbell(r.local, REG, 'hdma-native', 'read', 1);
    drain(r.eng);
    assert.match(r.eng.channelStats('read', 1).lastAbort!, /looped past 5000/);
  });

  it('engine_en = 0 while running halts the channel (abort status)', () => {
    const r = rig('unroll');
    submitLocal(r, 'unroll', 'write', 1, [{ sar: EP_RAM, dar: HOST, size: 4 }, { sar: EP_RAM, dar: HOST, size: 4 }]);
    r.eng.step();
    r.eng.write32(V0_WR_ENGINE_EN, 0);
    assert.equal(r.eng.channelStats('write', 1).status, 'aborted');
    assert.equal(r.eng.read32(V0_WR_INT_STATUS), 1 << 17);
    assert.equal(r.eng.hasWork(), false);
  });
});

describe('quiesce (seed-series 4.4)', () => {
  it('eDMA v0: direction-wide — mask all → engine_en = 0 → clear all; the other direction untouched', () => {
    const r = rig('unroll');
    submitLocal(r, 'unroll', 'write', 0, [{ sar: EP_RAM, dar: HOST, size: 8 }]);
    submitLocal(r, 'unroll', 'read', 0, [{ sar: HOST, dar: EP_RAM + 0x100n, size: 8 }]);
    drain(r.eng);
    // Channel 1 is mid-transfer when the quiesce comes.
    submitLocal(r, 'unroll', 'write', 1, [{ sar: EP_RAM, dar: HOST, size: 8 }, { sar: EP_RAM, dar: HOST, size: 8 }]);
    r.eng.step();
    const nEvents = r.events.length;
    const log = r.eng.quiesceChannel('write', 1);
    assert.deepEqual(log, [
      { offset: V0_WR_INT_MASK, value: 0x00ff00ff },
      { offset: V0_WR_ENGINE_EN, value: 0 },
      { offset: V0_WR_INT_CLEAR, value: 0x00ff00ff },
    ], 'a per-channel request is direction-wide on v0 (E8)');
    assert.equal(r.eng.read32(V0_WR_ENGINE_EN), 0);
    assert.equal(r.eng.read32(V0_WR_INT_STATUS), 0, 'the abort raised by disabling was drained');
    assert.equal(r.events.length, nEvents, 'masked first: no interrupt escaped');
    assert.equal(r.eng.channelStats('write', 1).status, 'aborted');
    assert.equal(r.eng.read32(V0_RD_ENGINE_EN), 1);
    assert.equal(r.eng.read32(V0_RD_INT_STATUS), 1, 'read direction keeps its DONE');
    assert.deepEqual(r.eng.quiesceDirection('write'), log);
  });

  it('HDMA native: per channel — int_setup masks, ch_en = 0, int_clear; other channels untouched', () => {
    const r = rig('hdma-native');
    submitLocal(r, 'hdma-native', 'write', 0, [{ sar: EP_RAM, dar: HOST, size: 8 }]);
    submitLocal(r, 'hdma-native', 'write', 1, [{ sar: EP_RAM, dar: HOST + 8n, size: 8 }]);
    drain(r.eng);
    const setup1 = r.eng.read32(hdmaCtx('write', 1) + HDMA_INT_SETUP);
    const log = r.eng.quiesceChannel('write', 0);
    assert.deepEqual(log.map((w) => w.offset), [HDMA_INT_SETUP, HDMA_CH_EN, 0x8c]);
    assert.equal(r.eng.read32(hdmaCtx('write', 0) + HDMA_INT_SETUP), 0b101);
    assert.equal(r.eng.read32(hdmaCtx('write', 0) + HDMA_CH_EN), 0);
    assert.equal(r.eng.read32(hdmaCtx('write', 0) + HDMA_INT_STAT), 0);
    assert.equal(r.eng.read32(hdmaCtx('write', 1) + HDMA_CH_EN), 1);
    assert.equal(r.eng.read32(hdmaCtx('write', 1) + HDMA_INT_STAT), HDMA_INT_STOP);
    assert.equal(r.eng.read32(hdmaCtx('write', 1) + HDMA_INT_SETUP), setup1);
  });
});

describe('scheduling and determinism', () => {
  function scenario(): { regs: Buffer; host: Buffer; ep: Buffer; events: EdmaInterruptEvent[] } {
    const r = rig('unroll');
    for (const [dir, ch] of [['write', 0], ['write', 1], ['read', 0], ['read', 1]] as const) {
      const els = Array.from({ length: 7 }, (_, i) => dir === 'write'
        ? { sar: EP_RAM + BigInt(ch * 0x1000 + i * 50), dar: HOST + BigInt(0x10000 + ch * 0x1000 + i * 50), size: 50 + i }
        : { sar: HOST + BigInt(ch * 0x1000 + i * 50), dar: EP_RAM + BigInt(0x10000 + ch * 0x1000 + i * 50), size: 50 + i });
      submitLocal(r, 'unroll', dir, ch, els, ch);
    }
    drain(r.eng);
    return { regs: Buffer.from(r.eng.bytes()), host: Buffer.from(r.host), ep: Buffer.from(r.ep), events: r.events };
  }

  it('same inputs → same final register bytes, memory and event order', () => {
    const a = scenario();
    const b = scenario();
    assert.ok(a.regs.equals(b.regs));
    assert.ok(a.host.equals(b.host));
    assert.ok(a.ep.equals(b.ep));
    assert.deepEqual(a.events, b.events);
    assert.deepEqual(a.events.map((e) => `${e.dir}${e.ch}`), ['write0', 'write1', 'read0', 'read1'], 'round-robin per element in fixed order');
  });

  it('doorbells only mark work; run() slices by element budget', () => {
    const r = rig('unroll');
    submitLocal(r, 'unroll', 'write', 0, Array.from({ length: 10 }, (_, i) => ({ sar: EP_RAM + BigInt(i), dar: HOST + BigInt(i), size: 1 })));
    assert.equal(r.eng.channelStats('write', 0).elementsDone, 0, 'nothing ran inside write32');
    assert.equal(r.eng.run(4), true);
    assert.equal(r.eng.channelStats('write', 0).elementsDone, 4);
    assert.equal(r.eng.run(), false);
    assert.equal(r.eng.channelStats('write', 0).elementsDone, 10);
  });
});
