/**
 * Hostile hardware state (issue "Robustness and security"): descriptor rings that loop, point
 * outside every window or into the eDMA register window, or change under the engine; metadata
 * with every field at its extremes; link down in every phase of every eDMA map format; a host that
 * writes READY itself. Each must end in the behaviour the kernel and the hardware would show,
 * reported at the right place, and never in an exception or a hang.
 *
 * Already covered elsewhere (docs/robustness.md lists them): looping rings, LLP/SAR/DAR outside
 * memory, descriptor or LL inside the register window, zero-size elements, engine_en cleared while
 * running (test/unit/edma.test.ts "aborts (hang-proof engine)"); the four link-down points,
 * host-sets-ready, ready-never-set, submap failure (test/unit/emulator-faults.test.ts); E17, E20,
 * E25, E26 (test/unit/edge-cases.test.ts). This file adds what was missing.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { AddressSpace } from '../../server/src/emulator/memory';
import { EdmaEngine, type EdmaInterruptEvent } from '../../server/src/emulator/edma/engine';
import { ringDoorbell, startChannel, writeLinkedList, type LlDataElement } from '../../server/src/emulator/edma/ll-builder';
import { LL_CB, LL_ELEM_SIZE, LL_LIE, LL_LLP, LL_RIE, LL_TCB, type EdmaDir, type EdmaMapFormat } from '../../server/src/emulator/edma/regs';
import { FIELD_NAMES, locateField, parseMetadata, patchField, scanBars, validateMetadata } from '../../server/src/emulator/metadata/codec';
import { toEmulateJson } from '../../server/src/emulator/views/result';
import { dmaFile, emulate, fault, probed, show, transfer, type PlatformName } from '../unit/emulator-helpers';
import { validBlob } from '../fuzz/arbitraries';
import { count, params, TIMEOUT_MS } from '../fuzz/config';
import { checkEmulateJson, serialise, timed } from '../fuzz/invariants';
import { expectedValidation } from '../fuzz/metadata-oracle';

// ---------------------------------------------------------------------------------------------
// A bare engine on an EP-local bus (as in test/unit/edma.test.ts)

const EP_RAM = 0x1000_0000n;
const LL = 0x2000_0000n;
const REG = 0x3000_0000n;
const HOST = 0x8_0000_0000n;
const PAGE = 0x1000;
const MAP_FORMATS: readonly EdmaMapFormat[] = ['legacy', 'unroll', 'hdma-compat', 'hdma-native'];

interface Rig {
  local: AddressSpace;
  eng: EdmaEngine;
  events: EdmaInterruptEvent[];
  ep: Buffer;
  host: Buffer;
}

function rig(mapFormat: EdmaMapFormat, elementBound = 4096): Rig {
  const local = new AddressSpace('ep-bus');
  const remote = new AddressSpace('pcie');
  const ep = local.addRam('ep-ram', EP_RAM, 1 << 16).bytes();
  local.addRam('ll', LL, 4 * PAGE);
  const host = remote.addRam('host-ram', HOST, 1 << 16).bytes();
  const events: EdmaInterruptEvent[] = [];
  const eng = new EdmaEngine({ mapFormat, wrChannels: 2, rdChannels: 2, local, remote, onInterrupt: (ev) => events.push(ev), elementBound });
  local.addMmio('edma-regs', REG, eng.windowSize, eng);
  for (let i = 0; i < ep.length; i++) ep[i] = (i * 7 + 3) & 0xff;
  return { local, eng, events, ep, host };
}

const llOf = (dir: EdmaDir, ch: number): bigint => LL + BigInt(((dir === 'write' ? 0 : 2) + ch) * PAGE);

/** Runs the engine until it settles; fails if it needs more than `maxCalls` budgeted calls. */
function settle(eng: EdmaEngine, maxCalls: number, budget = 4096): number {
  let calls = 0;
  while (eng.run(budget)) {
    calls++;
    assert.ok(calls <= maxCalls, `the engine did not settle within ${maxCalls} run(${budget}) calls`);
  }
  return calls;
}

describe('hostile hardware: descriptor rings', function () {
  this.timeout(TIMEOUT_MS);

  it('random LL memory (any words, any LLP) never throws; without interrupt bits every ring stops within the element bound', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MAP_FORMATS), fc.constantFrom('write' as const, 'read' as const), fc.nat(1),
        fc.array(fc.tuple(fc.nat(4 * PAGE / 4 - 1), fc.oneof(fc.nat(), fc.constantFrom(LL_CB, LL_CB | LL_LLP, LL_CB | LL_LLP | LL_TCB, LL_LLP | LL_TCB, 0xffffffff, 8, 0))), { maxLength: 200 }),
        fc.oneof(fc.constantFrom(LL, LL + 24n, REG, REG + 0x200n, EP_RAM, 0n, 0xffff_ffff_ffff_ffe8n, HOST), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
        fc.array(fc.tuple(fc.nat(0x2000), fc.nat()), { maxLength: 6 }),
        (mf, dir, ch, words, llp, regWrites) => {
          count('random descriptor rings');
          const r = rig(mf, 4096);
          // Interrupt bits cleared: a ring is then bounded by elementBound (a ring that interrupts on
          // every pass runs forever on real hardware too; each run(budget) call still returns).
          for (const [k, v] of words) r.local.write32(LL + BigInt(k * 4), (v & ~(LL_LIE | LL_RIE)) >>> 0);
          startChannel(r.local, REG, mf, dir, ch, llp, 0, 'local');
          ringDoorbell(r.local, REG, mf, dir, ch);
          timed('engine on a random ring', Buffer.alloc(4 * PAGE), () => {
            r.eng.run(1000);
            // Registers poked under the engine (the host and the EP both can): never an exception.
            for (const [off, v] of regWrites) r.eng.write32(off & ~3, v >>> 0);
            settle(r.eng, 72);
          });
          const s = r.eng.channelStats(dir, ch);
          assert.notEqual(s.status, 'running', 'settled');
          if (s.status === 'aborted') assert.ok((s.lastAbort ?? '').length > 0, 'an abort says why');
        },
      ),
      params('edmaRings', 200, 20000),
    );
  });

  it('a ring modified between doorbells: the second doorbell runs the list as it is now (new addresses, new sizes)', () => {
    for (const mf of MAP_FORMATS) {
      const r = rig(mf);
      const ll = llOf('write', 0);
      startChannel(r.local, REG, mf, 'write', 0, ll, 0, 'local');
      writeLinkedList(r.local, ll, PAGE, [{ sar: EP_RAM, dar: HOST, size: 64 }], 1, { lie: true, rie: false });
      ringDoorbell(r.local, REG, mf, 'write', 0);
      settle(r.eng, 4);
      assert.ok(r.ep.subarray(0, 64).equals(r.host.subarray(0, 64)), `${mf}: first chunk copied`);
      // The producer rewrites the same ring for the next cycle with different descriptors.
      writeLinkedList(r.local, ll, PAGE, [{ sar: EP_RAM + 0x100n, dar: HOST + 0x1000n, size: 32 }, { sar: EP_RAM + 0x200n, dar: HOST + 0x2000n, size: 16 }], 0, { lie: true, rie: false });
      ringDoorbell(r.local, REG, mf, 'write', 0);
      settle(r.eng, 4);
      assert.ok(r.ep.subarray(0x100, 0x120).equals(r.host.subarray(0x1000, 0x1020)), `${mf}: new element 1 copied`);
      assert.ok(r.ep.subarray(0x200, 0x210).equals(r.host.subarray(0x2000, 0x2010)), `${mf}: new element 2 copied`);
      assert.equal(r.eng.channelStats('write', 0).elementsDone, 3, mf);
    }
  });

  it('a descriptor changed under the running engine takes effect when fetched: a later element pointed outside memory aborts there', () => {
    for (const mf of MAP_FORMATS) {
      const r = rig(mf);
      const ll = llOf('read', 1);
      const els: LlDataElement[] = Array.from({ length: 10 }, (_, i) => ({ sar: HOST + BigInt(i * 16), dar: EP_RAM + BigInt(i * 16), size: 16 }));
      writeLinkedList(r.local, ll, PAGE, els, 1, { lie: true, rie: false });
      startChannel(r.local, REG, mf, 'read', 1, ll, 0, 'local');
      ringDoorbell(r.local, REG, mf, 'read', 1);
      r.eng.run(3);
      // Element 6's SAR now points outside every window (as a buggy or hostile producer would).
      r.local.write32(ll + BigInt(6 * LL_ELEM_SIZE + 8), 0xdead_0000);
      r.local.write32(ll + BigInt(6 * LL_ELEM_SIZE + 12), 0);
      settle(r.eng, 4);
      const s = r.eng.channelStats('read', 1);
      assert.equal(s.status, 'aborted', mf);
      assert.equal(s.elementsDone, 6, `${mf}: the six elements before it were done`);
      assert.match(s.lastAbort ?? '', /source outside memory 0xdead0000/, mf);
    }
  });

  it('a write-channel descriptor whose SOURCE is the eDMA register window aborts (the engine never DMA-reads its own registers)', () => {
    for (const mf of MAP_FORMATS) {
      const r = rig(mf);
      const ll = llOf('write', 1);
      writeLinkedList(r.local, ll, PAGE, [{ sar: REG, dar: HOST, size: 64 }], 1, { lie: true, rie: false });
      startChannel(r.local, REG, mf, 'write', 1, ll, 0, 'local');
      ringDoorbell(r.local, REG, mf, 'write', 1);
      settle(r.eng, 4);
      assert.match(r.eng.channelStats('write', 1).lastAbort ?? '', /source 0x30000000 is in MMIO region edma-regs/, mf);
      assert.ok(r.host.subarray(0, 64).every((b) => b === 0), `${mf}: nothing reached the host`);
    }
  });

  it('descriptors straddling the end of memory or wrapping the 64-bit address space abort, they do not wrap', () => {
    const cases: [bigint, bigint, number][] = [
      [EP_RAM + 0xfff8n, HOST, 16], // source runs past the end of EP RAM
      [EP_RAM, HOST + 0xfff0n, 0x20], // destination runs past the end of host RAM
      [0xffff_ffff_ffff_fff0n, HOST, 0x20], // source wraps 2^64
      [EP_RAM, 0xffff_ffff_ffff_ffffn, 2], // destination wraps 2^64
      [EP_RAM, HOST, 0xffff_ffff], // 4 GiB - 1 bytes
    ];
    for (const [sar, dar, size] of cases) {
      const r = rig('unroll');
      writeLinkedList(r.local, llOf('write', 0), PAGE, [{ sar, dar, size }], 1, { lie: true, rie: false });
      startChannel(r.local, REG, 'unroll', 'write', 0, llOf('write', 0), 0, 'local');
      ringDoorbell(r.local, REG, 'unroll', 'write', 0);
      settle(r.eng, 4);
      const s = r.eng.channelStats('write', 0);
      assert.equal(s.status, 'aborted', `sar 0x${sar.toString(16)} dar 0x${dar.toString(16)} size 0x${size.toString(16)}`);
      assert.match(s.lastAbort ?? '', /outside memory/);
    }
  });

  it('an LLP at the last bytes of the 64-bit space or straddling the LL region end aborts with a bad element address', () => {
    for (const llp of [0xffff_ffff_ffff_fff8n, LL + BigInt(4 * PAGE - 8)]) {
      const r = rig('hdma-native');
      startChannel(r.local, REG, 'hdma-native', 'write', 0, llp, 0, 'local');
      ringDoorbell(r.local, REG, 'hdma-native', 'write', 0);
      settle(r.eng, 4);
      assert.match(r.eng.channelStats('write', 0).lastAbort ?? '', /bad element address/);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Metadata at its extremes

/** 0, 1, the largest value of the field's width, all ones (and 2^63 for 64-bit fields). */
function extremes(blob: Uint8Array, name: string): bigint[] {
  const loc = locateField(blob, name);
  assert.ok(loc, name);
  if (loc.wide) return [0n, 1n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n];
  const max = (1n << BigInt(loc.bits.width)) - 1n;
  return [...new Set([0n, 1n, max - 1n, max, 0xffff_ffffn])].filter((v) => v >= 0n);
}

const ENTRY_NAMES = ['wr[0]', 'wr[1]', 'rd[0]', 'rd[1]'].flatMap((e) => FIELD_NAMES.entry.map((f) => `${e}.${f}`));

describe('hostile hardware: every metadata field at 0, 1, max per width and all-ones', () => {
  for (const layoutData of [1, 5, 7]) {
    it(`map format ${layoutData}: scanBars / validateMetadata / parseMetadata never throw and give the 6.5-ordered errno`, () => {
      const base = validBlob(2, 2, layoutData);
      const barLen = 0x10000;
      let n = 0;
      for (const name of [...FIELD_NAMES.header, ...ENTRY_NAMES]) {
        for (const value of extremes(base, name)) {
          const blob = Buffer.alloc(barLen);
          base.copy(blob);
          assert.ok(patchField(blob, name, value), `${name} is inside the blob`);
          for (const revision of ['v4', 'v1v2'] as const) {
            const want = expectedValidation(blob, barLen, revision);
            const v = validateMetadata(blob, barLen, { revision });
            assert.equal(v.ok, want.ok, `${name} = 0x${value.toString(16)} (${revision}): ok`);
            if (!v.ok) assert.deepEqual([v.errno, v.field], [want.errno, want.field], `${name} = 0x${value.toString(16)} (${revision})`);
            const scan = scanBars([0, 1, 2, 3, 4, 5].map((i) => ({ index: i, memory: true, assigned: true, bytes: i === 0 ? blob : new Uint8Array(0x100), len: i === 0 ? barLen : 0x100 })), { revision });
            if (want.ok) assert.ok(scan.ok && scan.bar === 0, `${name}: found in BAR0`);
            else if (want.errno === 'ENODEV') assert.ok(!scan.ok && scan.errno === 'ENODEV' && scan.bar === null, `${name}: no metadata anywhere`);
            else assert.ok(!scan.ok && scan.errno === want.errno && scan.bar === 0, `${name}: rejected at BAR0 with ${want.errno}`);
            const p = parseMetadata(blob, barLen, [barLen, 0x100000, 0x100000, 0x100000, 0x2000, 0x100000], { revision });
            if (!v.ok) assert.equal(p.ok, false);
            else if (!p.ok) assert.ok(['EINVAL', 'EOPNOTSUPP'].includes(p.errno) && p.field.length > 0, `${name}: parse ${p.errno}`);
            n++;
          }
        }
      }
      count('metadata field extremes checked', n);
      assert.ok(n > 200);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The whole system under faults

const DMA_PLATFORMS: readonly PlatformName[] = ['rk3588', 'sa8775p', 'rcar', 'generic'];

function emulateChecked(text: string): ReturnType<typeof emulate> {
  const e = timed('emulate with faults', text, () => emulate(text));
  checkEmulateJson(serialise(toEmulateJson(e)), text.split('\n').length);
  return e;
}

describe('hostile hardware: faults through the whole emulated system', function () {
  this.timeout(TIMEOUT_MS);

  it('link down at every point on every eDMA platform: probe and transfers end, a fault is never an exception', () => {
    for (const platform of DMA_PLATFORMS) {
      for (const at of ['before-probe', 'after-host-req', 'after-ready', 'during-transfer']) {
        const wr = platform === 'sa8775p' ? 1 : 2;
        // The generic profile has no alignment, so its window submaps fail (E20) unless it gets one.
        const overrides = platform === 'generic' ? ['align = 0x10000'] : [];
        const e = emulateChecked(dmaFile({ platform, overrides, wr, rd: wr, hostSections: [transfer('t', 'rc-to-ep', '64K'), fault('f', 'link-down', [`at = ${at}`])] }));
        const links = e.system.clock.trace.filter((ev) => /Link down/.test(ev.text));
        const probe = [...e.system.devices].reverse().find((d) => d.probe)?.probe;
        const t = e.system.transfers[0];
        if (!probe) {
          // This platform's bring-up does not reach the host (e.g. a bind error): the transfer says why.
          assert.equal(t.status, 'not-run', `${platform} ${at}:\n${show(e)}`);
          continue;
        }
        const reached = at === 'before-probe' || at === 'after-host-req' || probe.status === 'ok';
        if (reached) assert.ok(links.length >= 1, `${platform} ${at}: the link went down\n${show(e)}`);
        if (at === 'during-transfer') assert.equal(t.status, 'abort', `${platform} ${at}: outstanding TLPs are lost`);
        else if (probe.status === 'ok') assert.deepEqual([t.status, t.verified], ['done', true], `${platform} ${at}: the handshake recovers\n${show(e)}`);
        count('link-down scenarios');
      }
    }
  });

  it('a host that writes READY itself, on every eDMA platform: a timeout or abort, never a hang', () => {
    for (const platform of DMA_PLATFORMS) {
      const wr = platform === 'sa8775p' ? 1 : 2;
      const e = emulateChecked(dmaFile({ platform, wr, rd: wr, hostSections: [transfer('t', 'ep-to-rc', '4K'), fault('f', 'host-sets-ready')] }));
      const t = e.system.transfers[0];
      assert.ok(['timeout', 'abort', 'not-run'].includes(t.status), `${platform}: ${t.status} ${t.reason ?? ''}`);
      count('host-sets-ready scenarios');
    }
  });

  it('corrupt-metadata with every header field at its extremes: the host probe fails with the 6.5-ordered errno, reported on [host]', () => {
    const clean = emulate(dmaFile({ hostSections: [transfer('t', 'rc-to-ep', '4K')] }));
    const f = toEmulateJson(clean).functions[0] as { metadata: { hex: string; bar: number }; bars: { bar: number; size: number }[] };
    const blob = Buffer.from(f.metadata.hex, 'hex');
    const barLen = f.bars.find((b) => b.bar === f.metadata.bar)!.size;
    let n = 0;
    for (const name of FIELD_NAMES.header) {
      for (const value of extremes(blob, name)) {
        const text = dmaFile({ hostSections: [transfer('t', 'rc-to-ep', '4K'), fault('f', 'corrupt-metadata', [`field = ${name}`, `value = 0x${value.toString(16)}`])] });
        const e = emulateChecked(text);
        const patched = Buffer.alloc(barLen);
        blob.copy(patched);
        patchField(patched, name, value);
        // H and R as the endpoint left them at bind (0): the host sees the blob before its handshake.
        patchField(patched, 'ctrl.H', 0);
        patchField(patched, 'ctrl.R', 0);
        const want = expectedValidation(patched, barLen);
        const p = probed(e).probe;
        if (!want.ok) {
          assert.equal(p.status, want.errno, `${name} = 0x${value.toString(16)}: probe ${p.status}, expected ${want.errno}\n${show(e)}`);
          const d = e.diagnostics.find((x) => x.code === 'host-probe-failed');
          assert.ok(d, `${name}: a host-probe-failed diagnostic`);
          assert.equal(d.errno, want.errno);
          const hostLine = text.split('\n').indexOf('[host]');
          assert.equal(d.range.start.line, hostLine, `${name}: reported on the [host] section`);
          assert.ok(d.related?.some((r) => /fault 'f'/.test(r.message)), `${name}: points at the fault`);
          assert.equal(e.system.transfers[0].status, 'not-run');
        } else {
          assert.ok(['ok', 'EINVAL', 'EOPNOTSUPP', 'ETIMEDOUT'].includes(p.status), `${name} = 0x${value.toString(16)}: probe ${p.status}`);
        }
        n++;
      }
    }
    count('corrupt-metadata scenarios', n);
  });
});

