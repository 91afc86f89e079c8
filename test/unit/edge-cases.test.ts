/**
 * seed-series 7: one test per behavioural edge case, at the level where the kernel behaviour
 * lives — the DWC aux-resource query (E1, E2, E15), bind (E13, E16, E18, E19, E27, E28), the
 * pci_epf_dma worker and teardown (E8, E20, E22, E23), the host's dw-edma-pcie (E11, E17, E25,
 * E26) and the BAR windows (E21/E24). Each builds a small .pciep (inline, or
 * test/fixtures/emulator/), runs the emulator and asserts what the kernel would make visible.
 *
 * Not behavioural, so no test here:
 * - E3  cross-series build dependency (helpers used before part 1 defines them): a compile-time fact.
 * - E4  irq_mode restored without the channel lock: a data race; the emulator is single-threaded.
 * - E5  epc->ops dereferenced before the ERR_PTR-safe check: a crash on an invalid EPC pointer,
 *       which neither configfs nor the emulator can hand to the API.
 * - E6  v2 → v3 resource-model redesign: review history (the v3+ model is what E2 pins).
 * - E7  use-after-free window of the v1 dma_get_slave_channel API: review history, gone in v4.
 * - E9  stale hardware state after kexec / remove ordering: unclean hand-offs and driver removal
 *       are outside the configfs + probe flow the emulator runs.
 * - E10 terminate_all only flags STOP: a host DMAengine-client API detail; the emulated host never
 *       terminates a transfer.
 * - E12 helpers moved between patches, min() vs min_t(): review history.
 * - E14 trailing colons in documentation headings.
 * Codec-level E25/E26 are in metadata.test.ts and validator-level E27/E28 in validate.test.ts;
 * the tests below take them through the whole system instead.
 */
import { strict as assert } from 'node:assert';
import * as dwcAux from '../../server/src/emulator/epc/dwc-aux';
import { getAuxResources, llRegionPhys, type AuxResource } from '../../server/src/emulator/epc/dwc-aux';
import { programmedBar } from '../../server/src/emulator/epc/set-bar';
import {
  HDMA_CH_EN, HDMA_CTX_SIZE, HDMA_INT_SETUP, HDMA_SETUP_ABORT_MASK, HDMA_SETUP_STOP_MASK, hdmaCtx,
  V0_RD_ENGINE_EN, V0_RD_INT_MASK, V0_WR_ENGINE_EN, V0_WR_INT_MASK,
} from '../../server/src/emulator/edma/regs';
import { HOST_TIMEOUT_US } from '../../server/src/emulator/host/dw-edma-pcie';
import { toEmulateJson } from '../../server/src/emulator/views/result';
import { cloneProfile, listProfiles } from '../../server/src/language/profiles';
import type { Profile } from '../../server/src/language/profiles/types';
import {
  bindError, ctrlWord, dmaFile, emulate, epBus, epf, event, events, fault, H, linkResult, PLATFORMS, planOf, probed,
  profile, R, readExample, readFixture, show, TEARDOWN, timeline, transfer,
} from './emulator-helpers';

const RK = PLATFORMS.rk3588.compatible;
/** Bind only: no link start, no host. */
const BIND_ONLY = { start: false, host: false } as const;

describe('seed-series 7 edge cases', () => {
  it('E1 (seed-series 2.3, 7): a non-LL eDMA provider fails the whole aux query with EOPNOTSUPP, hiding the standalone doorbell', () => {
    const ll = getAuxResources(profile(RK), 0, 0, 'v4');
    assert.ok(ll.ok);
    assert.deepEqual(ll.resources[ll.resources.length - 1],
      { type: 'doorbell-mmio', phys: 0xa_4038_00a0n, size: 4, bar: 4, barOffset: 0xa0, data: 0 }, 'RK3588 publishes its doorbell last, in BAR4');
    const nonLl = getAuxResources(profile(RK, { 'edma-ll-size': '0' }), 0, 0, 'v4');
    assert.equal(nonLl.ok, false);
    assert.equal(!nonLl.ok && nonLl.errno, 'EOPNOTSUPP');
    // Contrast: with no provider at all the doorbell alone survives — it is the non-LL refusal that hides it.
    const noProvider = getAuxResources(profile(RK, { 'edma-provider': 'no' }), 0, 0, 'v4');
    assert.ok(noProvider.ok);
    assert.deepEqual(noProvider.resources.map((r) => r.type), ['doorbell-mmio']);
    // Through configfs: the link (bind) fails with the query's errno.
    const e = emulate(dmaFile({ overrides: ['edma-ll-size = 0'], ...BIND_ONLY }));
    assert.equal(linkResult(e), 'EOPNOTSUPP');
  });

  it('E2 (seed-series 2.3): aux count = 1 + 2×(wr+rd) (+1 doorbell) and the fill order matches it, for every eDMA profile', () => {
    const cases: [string, Profile][] = listProfiles()
      .filter((p) => p.edma.present && p.edma.providerRegistered && p.edma.llRegionSize > 0)
      .map((p) => [p.compatible, cloneProfile(p)]);
    cases.push(['tegra194 with edma = yes', profile('nvidia,tegra194-pcie-ep', { edma: 'yes' })]);
    cases.push(['rk3588 8 wr + 3 rd, no doorbell', profile(RK, { 'edma-wr-channels': '8', 'edma-rd-channels': '3', 'edma-doorbell': 'none' })]);
    assert.ok(cases.length >= 5, `several profiles (${cases.map((c) => c[0]).join(', ')})`);
    for (const [name, p] of cases) {
      const { wrChannels: wr, rdChannels: rd, doorbellOffset } = p.edma;
      const r = getAuxResources(p, 0, 0, 'v4');
      assert.ok(r.ok, name);
      const db = doorbellOffset === null ? 0 : 1;
      assert.equal(r.resources.length, 1 + 2 * (wr + rd) + db, `${name}: ${wr} wr + ${rd} rd, doorbell ${db}`);
      const types = ['dma-ctrl-mmio', ...Array.from({ length: wr + rd }, () => ['dma-chan', 'dma-desc-mem']).flat(), ...(db ? ['doorbell-mmio'] : [])];
      assert.deepEqual(r.resources.map((x) => x.type), types, name);
      const ctrl = r.resources[0] as Extract<AuxResource, { type: 'dma-ctrl-mmio' }>;
      assert.deepEqual([ctrl.epToRcChCnt, ctrl.rcToEpChCnt], [wr, rd], name);
      for (let i = 0; i < wr + rd; i++) {
        const chan = r.resources[1 + 2 * i] as Extract<AuxResource, { type: 'dma-chan' }>;
        const desc = r.resources[2 + 2 * i] as Extract<AuxResource, { type: 'dma-desc-mem' }>;
        assert.deepEqual([chan.dir, chan.hwCh, chan.descMemId, desc.id], [i < wr ? 'ep-to-rc' : 'rc-to-ep', i < wr ? i : i - wr, i, i], `${name} entry ${i}`);
      }
    }
  });

  it('E8 (seed-series 4.4): reclaiming an exposed eDMA v0 direction quiesces the WHOLE direction (engine off, all channels masked); HDMA native only the owned channels', function () {
    this.timeout(5000);
    // eDMA unroll: the host used write channel 1 only; the other direction is not owned.
    const rk = { wr: 2, rd: 0, hostSections: [transfer('out', 'ep-to-rc', '4K', ['channel = 1'])] };
    const live = epBus(emulate(dmaFile(rk))).engine!;
    const tornE = emulate(dmaFile({ ...rk, after: TEARDOWN }));
    const torn = epBus(tornE).engine!;
    assert.equal(live.read32(V0_WR_ENGINE_EN) & 1, 1, 'the host enabled the write engine');
    assert.equal(live.read32(V0_WR_INT_MASK) & 0x0001_0001, 0, 'channel 0 was never touched by the host');
    event(tornE, /unbind: 2 channels reclaimed \(quiesce=true\)/);
    assert.equal(torn.read32(V0_WR_ENGINE_EN) & 1, 0, 'write engine disabled');
    assert.equal(torn.read32(V0_WR_INT_MASK) >>> 0, 0x00ff_00ff, 'DONE and ABORT masked for every write channel, channel 0 included');
    assert.equal(torn.read32(V0_RD_INT_MASK), live.read32(V0_RD_INT_MASK), 'read direction untouched');
    assert.equal(torn.read32(V0_RD_ENGINE_EN), live.read32(V0_RD_ENGINE_EN), 'read engine untouched');
    // HDMA native: channel 0 of each direction owned out of 8.
    const qc = { platform: 'sa8775p' as const, wr: 1, rd: 1, msi: 2, hostSections: [transfer('in', 'rc-to-ep', '4K'), transfer('out', 'ep-to-rc', '4K')] };
    const hLive = epBus(emulate(dmaFile(qc)), 'sa8775p').engine!;
    const hTorn = epBus(emulate(dmaFile({ ...qc, after: TEARDOWN })), 'sa8775p').engine!;
    const ctx = (eng: typeof hLive, dir: 'write' | 'read', ch: number) => Array.from({ length: HDMA_CTX_SIZE / 4 }, (_, i) => eng.read32(hdmaCtx(dir, ch) + 4 * i));
    for (const dir of ['write', 'read'] as const) {
      assert.equal(hLive.read32(hdmaCtx(dir, 0) + HDMA_CH_EN) & 1, 1, `${dir} ch0 enabled by the host`);
      assert.equal(hTorn.read32(hdmaCtx(dir, 0) + HDMA_CH_EN) & 1, 0, `${dir} ch0 disabled`);
      const mask = HDMA_SETUP_STOP_MASK | HDMA_SETUP_ABORT_MASK;
      assert.equal(hTorn.read32(hdmaCtx(dir, 0) + HDMA_INT_SETUP) & mask, mask, `${dir} ch0 STOP/ABORT masked`);
      for (let ch = 1; ch < 8; ch++) assert.deepEqual(ctx(hTorn, dir, ch), ctx(hLive, dir, ch), `${dir} ch${ch} (kept by the endpoint) untouched`);
    }
  });

  it('E11 (seed-series 6.5): no static PCI ID — without driver_override (`driver = none`) dw-edma-pcie never probes and HOST_REQ is never raised', () => {
    const sections = [transfer('t', 'rc-to-ep', '4K')];
    const none = emulate(dmaFile({ host: 'none', hostSections: sections }));
    assert.equal(none.system.devices.length, 1, 'the host still enumerates the function');
    assert.equal(none.system.devices[0].probe, undefined);
    assert.equal((toEmulateJson(none).host as { probe: string }).probe, 'not-run');
    assert.deepEqual(events(none, /dw-edma-pcie/), [], timeline(none));
    assert.equal(ctrlWord(none) & (H | R), 0, 'neither H nor R');
    assert.deepEqual(none.system.transfers.map((t) => [t.name, t.status, t.reason]), [['t', 'not-run', 'no host driver is bound ([host] driver = none)']]);
    assert.ok(none.diagnostics.some((d) => d.code === 'transfer-not-run' && d.severity === 'warning'), show(none));
    assert.ok(none.system.channelViews(epf(none)).every((c) => c.state === 'delegated'));
    // The same file with driver_override probes.
    assert.equal(probed(emulate(dmaFile({ hostSections: sections }))).probe.status, 'ok');
  });

  it('E13 (kernel-background A.4; seed-series 7): max-functions = 1 refuses a second function with EINVAL; max-functions = 2 takes it as function 1', () => {
    const second = (epc: string) => `[functions/pci_epf_test/t]\nmsi_interrupts = 1\nprimary/ep -> controllers/${epc}\n[controllers/${epc}]\nstart = 1\n[host]\ndriver = dw-edma-pcie\n`;
    const one = emulate(dmaFile({ ...BIND_ONLY }) + second(PLATFORMS.rk3588.epc));
    const op = one.analysis.replay.ops.find((o) => o.op === 'link' && o.path.startsWith('functions/pci_epf_test'));
    assert.equal(op?.result, 'EINVAL');
    assert.ok(op?.log.some((l) => /Exceeding max supported Function Number/.test(l)), JSON.stringify(op?.log));
    assert.deepEqual(one.system.devices.map((d) => d.bdf), ['0000:01:00.0'], 'the host sees one function');
    const two = emulate(dmaFile({ platform: 'rcar', msi: 1, overrides: ['max-functions = 2'], ...BIND_ONLY }) + second(PLATFORMS.rcar.epc));
    assert.equal(epf(two, 'functions/pci_epf_test/t').funcNo.primary, 1);
    assert.deepEqual(two.system.devices.map((d) => d.bdf), ['0000:01:00.0', '0000:01:00.1']);
    assert.equal(probed(two).probe.status, 'ok', show(two));
  });

  it('E15 (seed-series 2.3): a VF query on a controller without an eDMA register window returns count 0, not EOPNOTSUPP (the window check comes first)', () => {
    assert.deepEqual(getAuxResources(profile(RK, { edma: 'no' }), 0, 1, 'v4'), { ok: true, resources: [] });
    assert.deepEqual(getAuxResources(profile(RK, { 'edma-reg-size': '0' }), 0, 1, 'v4'), { ok: true, resources: [] });
    const vf = getAuxResources(profile(RK), 0, 1, 'v4');
    assert.equal(!vf.ok && vf.errno, 'EOPNOTSUPP', 'with a window, the VF is refused');
  });

  it('E16 (seed-series 6.2 step 3): a BAR holding a fixed resource (the DMA_CTRL region) cannot be the metadata BAR; auto-pick steps over it', () => {
    // RK3588 BAR4: reserved and holding the eDMA registers.
    const rk = emulate(dmaFile({ metadataBar: 4, ...BIND_ONLY }));
    assert.equal(linkResult(rk), 'EINVAL');
    assert.match(bindError(rk)?.message ?? '', /metadata BAR unusable: BAR4/);
    // The fixed-resource rule alone: a programmable BAR3 that carries the DMA_CTRL region.
    const gen = { platform: 'generic' as const, ...BIND_ONLY };
    const fixed = emulate(dmaFile({ ...gen, overrides: ['bar3-dma-ctrl = 0x0+0x2000'], metadataBar: 3 }));
    assert.equal(linkResult(fixed), 'EINVAL');
    assert.match(bindError(fixed)?.message ?? '', /BAR3 holds a fixed controller resource/);
    const auto = emulate(dmaFile({ ...gen, overrides: ['bar0-dma-ctrl = 0x0+0x2000'] }));
    const plan = planOf(auto);
    assert.deepEqual([plan.metadataBar, plan.windowBar, plan.layout.blob.regBar], [1, 2, 0], 'metadata skips BAR0; the blob points at BAR0 for the registers');
  });

  it('E17 (seed-series 6.5): a v4 host clears H after a READY timeout or a parse failure; a v3 host (`kernel = v3`) leaves it set', () => {
    const timeout = [fault('f', 'ready-never-set')];
    const parse = [fault('f', 'corrupt-metadata', ['field = rd[1].hw_ch', 'value = 2'])];
    for (const [kernel, keep] of [['v4', false], ['v3', true]] as const) {
      for (const [what, sections, errno] of [['timeout', timeout, 'ETIMEDOUT'], ['parse failure', parse, 'EOPNOTSUPP']] as const) {
        const e = emulate(dmaFile({ overrides: [`kernel = ${kernel}`], hostSections: [...sections] }));
        assert.equal(probed(e).probe.status, errno, `${kernel} ${what}`);
        assert.equal((ctrlWord(e) & H) !== 0, keep, `${kernel} ${what}: H ${keep ? 'kept' : 'cleared'} (CTRL 0x${ctrlWord(e).toString(16)})`);
      }
    }
  });

  it('E18 (kernel-background C.2; seed-series 6.2): auto-pick skips a DISABLED BAR (newer helper) — R-Car S4 gets BAR0 + BAR2; a user-set DISABLED BAR fails bind with EINVAL', () => {
    // The emulator models the newer pci_epc_get_next_free_bar, which skips DISABLED BARs (C.2); the
    // older helper that could return one (so bind failed with EINVAL instead of trying the next
    // BAR) is [unverified] in the sheet and not modelled: auto-pick never lands on BAR1/3/5 here.
    const rcar = { platform: 'rcar' as const, msi: 1, ...BIND_ONLY };
    const plan = planOf(emulate(dmaFile(rcar)));
    assert.deepEqual([plan.metadataBar, plan.windowBar], [0, 2], 'BAR1 (disabled) skipped');
    const user = emulate(dmaFile({ ...rcar, windowBar: 1 }));
    assert.equal(linkResult(user), 'EINVAL');
    assert.match(bindError(user)?.message ?? '', /BAR1 is disabled/);
  });

  it('E19 (seed-series 6.2 step 4): a user dma_window_bar is validated even when no window is needed, and then left unused', () => {
    // DWC publishes descriptor memory with bar = NO_BAR (seed-series 2.3), so a window is always
    // needed there. Model an EPC whose descriptor memory is already exposed in BAR4 (the aux API
    // allows a bar per resource, 2.1) by wrapping the query; restored afterwards.
    const mod = dwcAux as unknown as { getAuxResources: typeof getAuxResources };
    const real = mod.getAuxResources;
    mod.getAuxResources = (...args) => {
      const r = real(...args);
      return r.ok ? { ok: true, resources: r.resources.map((x) => (x.type === 'dma-desc-mem' ? { ...x, bar: 4 } : x)) } : r;
    };
    try {
      const auto = planOf(emulate(dmaFile(BIND_ONLY)));
      assert.deepEqual([auto.windowNeeded, auto.windowBar, auto.layout.window], [false, -1, undefined], 'no window needed');
      const unused = emulate(dmaFile({ ...BIND_ONLY, windowBar: 2 }));
      const plan = planOf(unused);
      assert.deepEqual([plan.windowBar, plan.layout.window], [-1, undefined], 'a valid user window BAR is left unused');
      assert.equal(programmedBar(unused.analysis.replay.state.controllers.get(PLATFORMS.rk3588.epc)!.dwc, 0, 2), undefined, 'BAR2 never programmed');
      const bad = emulate(dmaFile({ ...BIND_ONLY, windowBar: 4 }));
      assert.equal(linkResult(bad), 'EINVAL', show(bad));
      assert.match(bindError(bad)?.message ?? '', /DMA window BAR4 unusable/);
    } finally {
      mod.getAuxResources = real;
    }
  });

  it('E20 (seed-series 6.4): a submap programming failure is not retried until the next link-up; READY stays clear and the host times out 2 s after HOST_REQ', function () {
    this.timeout(5000);
    const e = emulate(dmaFile({ hostSections: [fault('f', 'submap-failure')] }));
    const probe = probed(e).probe;
    assert.equal(probe.status, 'ETIMEDOUT');
    const failed = event(e, /failed to program DMA window BAR submaps/);
    assert.ok(failed.t > probe.hostReqAt! && failed.t <= probe.hostReqAt! + 500_000, 'at the first worker run after H');
    assert.deepEqual(events(e, /READY set|mapped with/), [], 'no retry, READY never set');
    assert.equal(event(e, /timed out waiting for endpoint DMA READY/).t, probe.hostReqAt! + HOST_TIMEOUT_US);
    assert.equal(ctrlWord(e) & R, 0);
    // A link down/up cycle (start = 0, start = 1) revives the worker; it tries once more after the new H.
    const cycled = emulate(dmaFile({ after: 'start = 0\nstart = 1', hostSections: [fault('f', 'submap-failure')] }));
    const fails = events(cycled, /failed to program DMA window BAR submaps/);
    const ups = events(cycled, /Link up/);
    assert.equal(fails.length, 2, timeline(cycled));
    assert.ok(fails[0].t < ups[1].t && fails[1].t > ups[1].t, 'the second attempt follows the second link-up');
  });

  it('E21/E24 (seed-series 1.7): the 64 KiB-aligned window exposes more than the resources, while the blob states the 4 KiB resource size', () => {
    const e = emulate(`${readFixture('worked-example.pciep')}[host]\ndriver = dw-edma-pcie\n`);
    const plan = planOf(e);
    for (const c of [...plan.layout.blob.wr, ...plan.layout.blob.rd]) assert.equal(c.descSize, 0x1000, 'E24: resource size');
    assert.deepEqual(plan.layout.window!.submaps.map((s) => s.size), [0x10000, 0x10000]);
    assert.ok(e.diagnostics.some((d) => d.code === 'window-exposes-more' && d.severity === 'info'), show(e));
    // Endpoint memory no metadata entry describes, 32 KiB past the LL regions, inside the same 64 KiB submap.
    const ep = epBus(e, 'generic');
    ep.bus.addRam('unrelated EP memory', 0x4_1000_8000n, 0x1000).bytes().write('not for the host', 'latin1');
    const bar2 = probed(e).bars.find((b) => b.bar === 2)!.address!;
    const leaked = Buffer.alloc(16);
    for (let i = 0; i < 4; i++) leaked.writeUInt32LE(e.system.hostMmio.read32(bar2 + 0x18000n + BigInt(4 * i))!, 4 * i);
    assert.equal(leaked.toString('latin1'), 'not for the host', 'E21: the host reads it through BAR2 + 0x18000');
  });

  it('E22 (seed-series 6.4): the reclaim quiesce flag is "READY was ever set", even after a link-down cleared READY', () => {
    const stopped = emulate(dmaFile({ after: 'start = 0' }));
    assert.equal(ctrlWord(stopped) & R, 0, 'link-down cleared READY');
    assert.notEqual(ctrlWord(stopped) & H, 0, 'H kept');
    assert.ok(stopped.system.channelViews(epf(stopped)).every((c) => c.state === 'exposed'), 'still counted as exposed');
    const withHost = emulate(dmaFile({ after: TEARDOWN }));
    event(withHost, /unbind: 4 channels reclaimed \(quiesce=true\)/);
    assert.deepEqual(withHost.system.channelViews(epf(withHost)).map((c) => c.state), ['reclaimed', 'reclaimed', 'reclaimed', 'reclaimed']);
    const never = emulate(dmaFile({ after: TEARDOWN, host: false }));
    event(never, /unbind: 4 channels reclaimed \(quiesce=false\)/);
  });

  it('E23 (seed-series 1.6, 6.4): after teardown and a new bind the host must raise H again — the second bring-up has its own HOST_REQ', () => {
    const check = (name: string, text: string) => {
      const e = emulate(text);
      const reqs = events(e, /HOST_REQ set/);
      const ready = events(e, /READY set/);
      const ups = events(e, /Link up/);
      assert.equal(reqs.length, 2, `${name}:\n${timeline(e)}`);
      assert.ok(reqs[1].t > ups[1].t, `${name}: second HOST_REQ after the second link-up`);
      assert.equal(ready.length, 2, name);
      assert.ok(ready[1].t > reqs[1].t, `${name}: READY only after the new HOST_REQ, not carried over`);
      assert.deepEqual(e.system.devices.map((d) => d.probe?.status), ['ok', 'ok'], `${name}:\n${show(e)}`);
    };
    check('teardown.pciep (rmdir, new function)', readExample('teardown.pciep'));
    // The same function unlinked and linked again: a fresh bind writes a fresh blob (H = R = 0).
    check('relink of the same function', dmaFile({ after: `${TEARDOWN}\nprimary/ep -> controllers/${PLATFORMS.rk3588.epc}\n[controllers/${PLATFORMS.rk3588.epc}]\nstart = 1` }));
  });

  it('E25 (seed-series 6.5): a blob that skips a channel (rd[1].hw_ch = 2) fails the host parse after READY with EOPNOTSUPP', () => {
    const e = emulate(dmaFile({ hostSections: [fault('c', 'corrupt-metadata', ['field = rd[1].hw_ch', 'value = 2'])] }));
    const p = probed(e).probe;
    assert.deepEqual([p.status, p.field], ['EOPNOTSUPP', 'rd[1].hw_ch']);
    assert.ok(p.readyAt !== undefined, 'validation passed; the parse after READY rejected it');
    assert.equal(e.diagnostics.find((d) => d.code === 'host-probe-failed')?.errno, 'EOPNOTSUPP');
  });

  it('E26 (seed-series 1.3, 6.5): the host places the read table with the metadata WR count', () => {
    // The metadata says WR = 1 while the endpoint wrote two write entries: the host reads the
    // endpoint's wr[1] entry (hw_ch 1) as rd[0].
    const shifted = probed(emulate(dmaFile({ hostSections: [fault('c', 'corrupt-metadata', ['field = ctrl.wr', 'value = 1'])] }))).probe;
    assert.deepEqual([shifted.status, shifted.field], ['EOPNOTSUPP', 'rd[0].hw_ch']);
    // WR = 3, RD = 2 on HDMA native: rd[i] is found at 0x1C + 3 × 0x2C + i × 0x2C and names read LL region i.
    const e = emulate(dmaFile({ platform: 'sa8775p', wr: 3, rd: 2, msi: 8 }));
    const parsed = probed(e).probe.parsed!;
    const p = profile(PLATFORMS.sa8775p.compatible);
    assert.deepEqual(parsed.rd.map((c) => c.desc.paddr), [0, 1].map((i) => llRegionPhys(p, 'rc-to-ep', i)));
    assert.deepEqual(parsed.wr.map((c) => c.desc.paddr), [0, 1, 2].map((i) => llRegionPhys(p, 'ep-to-rc', i)));
  });

  it('E27 (seed-series 6.2, 6.6): a partial write direction on eDMA unroll (and HDMA compat) fails bind with EOPNOTSUPP; HDMA native binds and the host drives it', () => {
    for (const overrides of [[], ['edma-map-format = hdma-compat']]) {
      const e = emulate(dmaFile({ wr: 1, rd: 2, overrides, ...BIND_ONLY }));
      assert.equal(linkResult(e), 'EOPNOTSUPP', overrides.join());
      assert.match(bindError(e)?.message ?? '', /must cover the whole write direction/);
    }
    const e = emulate(dmaFile({ platform: 'sa8775p', wr: 1, rd: 1, msi: 2, hostSections: [transfer('t', 'ep-to-rc', '8K')] }));
    assert.equal(linkResult(e), 'ok');
    const p = probed(e).probe.parsed!;
    assert.deepEqual([p.wrCount, p.rdCount, p.mapFormat], [1, 1, 7]);
    assert.deepEqual([...e.analysis.replay.state.controllers.get(PLATFORMS.sa8775p.epc)!.delegated.keys()].sort(), ['ep-to-rc:0', 'rc-to-ep:0'], 'channels 1..7 stay with the endpoint');
    assert.deepEqual(e.system.transfers.map((t) => [t.status, t.verified]), [['done', true]]);
  });

  it('E28 (seed-series 6.1, 6.2): wr_chans above the controller count is accepted by configfs but fails bind with EINVAL', () => {
    const e = emulate(dmaFile({ wr: 4, ...BIND_ONLY }));
    assert.equal(e.analysis.replay.ops.find((o) => o.path.endsWith('/wr_chans'))?.result, 'ok', 'configfs only caps at 8');
    assert.equal(linkResult(e), 'EINVAL');
    assert.match(bindError(e)?.message ?? '', /wr_chans = 4 but the controller has 2 write/);
    const qc = { platform: 'sa8775p' as const, msi: 8, ...BIND_ONLY };
    assert.equal(linkResult(emulate(dmaFile({ ...qc, wr: 8, rd: 8 }))), 'ok', 'all 8 of 8');
    assert.equal(linkResult(emulate(dmaFile({ ...qc, wr: 4, overrides: ['edma-wr-channels = 2'] }))), 'EINVAL');
  });
});
