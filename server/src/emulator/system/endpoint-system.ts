/**
 * The whole emulated system around a replay: each started controller's link, the endpoint
 * functions' runtime (pci_epf_dma's worker and handshake, seed-series 6.4), the host root complex
 * (enumeration, dw-edma-pcie, transfers) and teardown. The configfs replay calls in through
 * ReplayHooks at `start = 1` and before an unbind, so operations and bring-up interleave exactly
 * as in the script the file stands for.
 */
import type { Document } from '../../language/ast';
import type { Diagnostic } from '../../language/diagnostics';
import type { PlatformModel } from '../../language/platform';
import type { EpcState, EpfState, Interface } from '../configfs/state';
import { devName } from '../configfs/state';
import type { ReplayHooks } from '../configfs/replay';
import { dmaPlans, type DmaBindPlan } from '../epf/dma';
import { testPlans } from '../epf/test';
import { programmedBar, setBar } from '../epc/set-bar';
import { AddressSpace } from '../memory';
import { encodeMetadata, patchField } from '../metadata/codec';
import { CTRL_HOST_REQ, CTRL_READY, OFF_CTRL } from '../metadata/format';
import type { EdmaInterruptEvent } from '../edma/engine';
import { describeErrno } from '../errno';
import { MS, VirtualClock } from './clock';
import type { FaultSpec, HostConfig } from './config';
import { buildEpBus, ensureBacking, type EpBus } from './ep-bus';
import { assignBars, newWindow, type HostBar, type Window } from '../host/enumerate';
import { barProxy, programmedTranslate, reservedTranslate } from '../host/bar-space';
import { EP_WORKER_PERIOD_US, probeSteps, type Probe, type ProbeDevice } from '../host/dw-edma-pcie';
import { HOST_XFER_BASE, transferSteps, type TransferResult } from '../host/transfers';
import type { StepInfo, StepSide } from './steps';

/** Link training after `start = 1` and the host's rescan after link up (emulator choices). */
export const LINK_TRAINING_US = 10 * MS;
export const HOST_RESCAN_US = 100 * MS;
export const MSI_ADDRESS = 0xfee0_0000n;
export const MSI_DATA_BASE = 0x4000;

const R = 1 << CTRL_READY.shift;
const H = 1 << CTRL_HOST_REQ.shift;
/** What drainSteps returns when no side-effect step happened. */
const NO_STEPS: readonly StepInfo[] = Object.freeze([]);

export interface DeviceRuntime {
  epf: EpfState;
  epc: EpcState;
  funcNo: number;
  bdf: string;
  bars: HostBar[];
  probe?: Probe;
}

interface WorkerState {
  epf: EpfState;
  epc: EpcState;
  next: number;
  /** Stopped after a submap programming failure until the next link-up (edge case E20). */
  dead: boolean;
}

export interface ChannelView {
  dir: 'ep-to-rc' | 'rc-to-ep';
  hwCh: number;
  state: 'delegated' | 'exposed' | 'reclaimed' | 'failed';
  errno: string | null;
}

export class EndpointSystem {
  readonly clock = new VirtualClock();
  readonly eps = new Map<string, EpBus>();
  readonly hostMem = new AddressSpace('host');
  readonly hostMmio = new AddressSpace('host-mmio');
  readonly devices: DeviceRuntime[] = [];
  readonly diagnostics: Diagnostic[] = [];
  transfers: TransferResult[] = [];
  /** Next free host DRAM address for transfer buffers. */
  hostXferNext = HOST_XFER_BASE;
  /** Channel outcome of functions that were unbound during the run (reclaimed). */
  readonly reclaimed = new Map<EpfState, ChannelView[]>();
  private readonly window: Window;
  private readonly workers: WorkerState[] = [];
  private readonly msiQueue: number[] = [];
  /**
   * Binds whose blob is already in BAR memory. Keyed by the bind (its plan), not the function: every
   * bind writes a fresh blob into freshly allocated BAR memory (seed-series 1.6 step 1, 6.3), so an
   * unlink + relink of the same function must write it again.
   */
  private readonly blobsWritten = new WeakSet<DmaBindPlan>();
  private bus = 0;
  /** Steps that happened as side effects (worker runs, link events), drained by the stepping generators. */
  private readonly happened: StepInfo[] = [];

  private step(side: StepSide, phase: string, text: string, frames: string[], line?: number): StepInfo {
    return { kind: 'phase', side, phase, text, frames, t: this.clock.now, ...(line !== undefined ? { line } : {}) };
  }

  /** The side-effect steps so far, oldest first. */
  drainSteps(): readonly StepInfo[] {
    // Called after every configfs statement: no new array when nothing happened.
    return this.happened.length ? this.happened.splice(0) : NO_STEPS;
  }

  constructor(readonly doc: Document, readonly host: HostConfig) {
    this.window = newWindow(host.barWindow, host.barWindowSize);
    this.hostMem.addMmio('MSI doorbell', MSI_ADDRESS, 0x1000, {
      read32: () => 0,
      write32: (_o, v) => { this.msiQueue.push(v); },
    });
  }

  hooks(_platform: PlatformModel): ReplayHooks {
    return {
      attach: (state) => { this.allFunctions = () => state.functions.values(); },
      drain: () => this.drainSteps(),
      afterStart: (epc, stmt) => this.bringUp(epc, stmt.line),
      afterStop: (epc, stmt) => {
        this.clock.log('ep', 'stop', `dw-pcie ${epc.name}: LTSSM disabled (start = 0)`, stmt.line);
        this.linkDown(epc, 'controller stopped');
      },
      beforeUnbind: (epf, epc, iface, stmt) => this.teardown(epf, epc, iface, stmt.line),
    };
  }

  ep(epc: EpcState): EpBus {
    let ep = this.eps.get(epc.name);
    if (!ep) {
      ep = buildEpBus(epc, this.hostMem, (ev) => this.onEdmaInterrupt(epc, ev));
      this.eps.set(epc.name, ep);
    }
    return ep;
  }

  private onEdmaInterrupt(epc: EpcState, ev: EdmaInterruptEvent): void {
    if (ev.kind === 'local') this.clock.log('ep', 'dma-irq', `dw-edma ${epc.name}: ${ev.dir} ch${ev.ch} ${ev.status} (local interrupt)`);
  }

  popMsi(): number | undefined {
    return this.msiQueue.shift();
  }

  // ---- endpoint side ---------------------------------------------------------------------

  private boundFunctions(epc: EpcState, all: Iterable<EpfState>): EpfState[] {
    const out: EpfState[] = [];
    for (const f of all) if (f.bound && f.initialised && (f.links.primary?.epc === epc.name || f.links.secondary?.epc === epc.name)) out.push(f);
    return out.sort((a, b) => (a.funcNo.primary ?? 0) - (b.funcNo.primary ?? 0));
  }

  /** Puts every bound function's BAR memory on the EP bus; pci_epf_dma's blob was written at bind. */
  private materialise(ep: EpBus, f: EpfState): void {
    const plan = dmaPlans.get(f);
    if (plan) {
      const meta = ensureBacking(ep, `${devName(f)} metadata BAR${plan.metadataBar}`, plan.metadataPhys, plan.layout.metadata.memSize);
      if (plan.layout.window && plan.windowPhys !== undefined) ensureBacking(ep, `${devName(f)} DMA window BAR${plan.windowBar}`, plan.windowPhys, plan.layout.window.memSize);
      if (!this.blobsWritten.has(plan)) {
        const enc = encodeMetadata(plan.layout.blob);
        if (enc.ok) enc.bytes.copy(meta.bytes(), 0);
        this.blobsWritten.add(plan);
      }
    }
    for (const b of testPlans.get(f)?.bars ?? []) ensureBacking(ep, `${devName(f)} BAR${b.bar}`, b.phys, b.memSize);
  }

  blobCtrlAddr(plan: DmaBindPlan): bigint {
    return plan.metadataPhys + BigInt(OFF_CTRL);
  }

  private ctrlWord(ep: EpBus, plan: DmaBindPlan): number {
    return ep.bus.read32(this.blobCtrlAddr(plan)) ?? 0;
  }

  private setCtrl(ep: EpBus, plan: DmaBindPlan, set: number, clear: number): void {
    const v = this.ctrlWord(ep, plan);
    ep.bus.write32(this.blobCtrlAddr(plan), ((v & ~clear) | set) >>> 0);
  }

  private fault(kind: string, at?: string): FaultSpec | undefined {
    return this.host.faults.find((f) => f.kind === kind && (at === undefined || (f.at ?? 'before-probe') === at));
  }

  /** One run of pci_epf_dma's worker (seed-series 6.4). */
  private workerTick(w: WorkerState): void {
    w.next = this.clock.now + EP_WORKER_PERIOD_US;
    const plan = dmaPlans.get(w.epf);
    if (!plan || w.dead) return;
    const ep = this.ep(w.epc);
    const ctrl = this.ctrlWord(ep, plan);
    if (!(ctrl & H)) return;
    if (this.fault('ready-never-set')) return;
    const name = `pci_epf_dma ${devName(w.epf)}`;
    if (plan.layout.window && !plan.submapsProgrammed) {
      const win = plan.layout.window;
      const p = w.epc.controller.profile;
      const failing = this.fault('submap-failure');
      const r = failing
        ? { ok: false as const, reason: 'injected submap programming failure' }
        : setBar(w.epc.dwc, p.features, p.iatu, w.epf.funcNo.primary ?? 0, {
          barno: win.bar, size: win.size, is64: win.is64, phys: plan.windowPhys!,
          submaps: win.submaps.map((s) => ({ phys: s.phys, size: s.size })),
        });
      if (!r.ok) {
        // No retry until the next link-up or re-init (edge case E20).
        this.clock.log('ep', 'worker', `${name}: failed to program DMA window BAR submaps (${r.reason})`);
        this.happened.push(this.step('ep', 'ep-worker', `${name}: failed to program DMA window BAR submaps`, ['pci_epf_dma_worker', 'pci_epc_set_bar']));
        w.dead = true;
        return;
      }
      plan.submapsProgrammed = true;
      this.clock.log('ep', 'worker', `${name}: DMA window BAR${win.bar} mapped with ${win.submaps.length} subranges`);
      this.happened.push(this.step('ep', 'ep-worker', `${name}: HOST_REQ seen; DMA window BAR${win.bar} re-programmed with ${win.submaps.length} subranges`, ['pci_epf_dma_worker', 'pci_epc_set_bar', 'dw_pcie_ep_set_bar']));
    }
    if (!(ctrl & R)) {
      this.setCtrl(ep, plan, R, 0);
      plan.channelsExposed = true;
      this.clock.log('ep', 'worker', `${name}: READY set, ${plan.wr} write and ${plan.rd} read channels exposed`);
      this.happened.push(this.step('ep', 'ep-worker', `${name}: READY set`, ['pci_epf_dma_worker']));
    }
  }

  /** Runs every endpoint worker due up to time t. */
  runEndpointUntil(t: number): void {
    // Every tick moves a worker's next run forward by 500 ms, so this ends; the bound is a backstop.
    for (let guard = 0; guard < 100_000; guard++) {
      const due = this.workers.filter((w) => !w.dead && w.next <= t).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.clock.advanceTo(due.next);
      this.workerTick(due);
    }
    this.clock.advanceTo(t);
  }

  private linkUp(epc: EpcState): void {
    this.clock.log('ep', 'link-up', `dw-pcie ${epc.name}: Link up`);
    this.happened.push(this.step('ep', 'link-up', `${epc.name}: link up; pci_epf_dma schedules its worker`, ['dw_pcie_ep_linkup', 'pci_epc_linkup', 'pci_epf_dma_link_up']));
    for (const w of this.workers) {
      if (w.epc !== epc || !dmaPlans.has(w.epf)) continue;
      w.dead = false;
      w.next = this.clock.now;
    }
    this.runEndpointUntil(this.clock.now);
  }

  private linkDown(epc: EpcState, why: string): void {
    this.clock.log('ep', 'link-down', `dw-pcie ${epc.name}: Link down (${why})`);
    this.happened.push(this.step('ep', 'link-down', `${epc.name}: link down (${why}); READY cleared`, ['dw_pcie_ep_linkdown', 'pci_epc_linkdown', 'pci_epf_dma_link_down']));
    const ep = this.ep(epc);
    for (const w of this.workers) {
      if (w.epc !== epc) continue;
      const plan = dmaPlans.get(w.epf);
      // link_down: cancel the worker, clear READY (HOST_REQ kept), submaps no longer programmed (6.4, E22).
      w.next = Number.POSITIVE_INFINITY;
      if (plan) {
        this.setCtrl(ep, plan, 0, R);
        plan.submapsProgrammed = false;
      }
    }
  }

  /** Link down then up again 10 ms later: the worker re-programs and sets READY without host action (1.6 step 6). */
  flapLink(epc: EpcState, why: string): void {
    this.linkDown(epc, why);
    this.clock.advanceTo(this.clock.now + LINK_TRAINING_US);
    this.linkUp(epc);
  }

  // ---- bring-up ----------------------------------------------------------------------

  private *bringUp(epc: EpcState, line: number): Generator<StepInfo> {
    const ep = this.ep(epc);
    this.clock.log('ep', 'start', `dw-pcie ${epc.name}: LTSSM enabled (start = 1)`, line);
    const functions = this.boundFunctions(epc, this.allFunctions());
    for (const f of functions) {
      this.materialise(ep, f);
      if (dmaPlans.has(f) && !this.workers.some((w) => w.epf === f)) {
        // epc_init scheduled the worker "now" (seed-series 6.4).
        this.workers.push({ epf: f, epc, next: this.clock.now, dead: false });
      }
    }
    yield this.step('ep', 'link-training', `${epc.name}: LTSSM trains the link`, ['dw_pcie_ep_start', 'dw_pcie_start_link'], line);
    this.clock.advanceTo(this.clock.now + LINK_TRAINING_US);
    this.linkUp(epc);
    yield* this.drainSteps();
    if (!this.host.present) return;
    this.clock.advanceTo(this.clock.now + HOST_RESCAN_US);
    this.runEndpointUntil(this.clock.now);
    yield* this.drainSteps();
    this.bus++;
    yield this.step('host', 'host-enumeration', `host: rescan bus ${this.bus}, size and assign the BARs`, ['pci_rescan_bus', 'pci_scan_device', 'pci_assign_unassigned_bus_resources'], this.host.line);
    const found = functions.map((f) => this.enumerate(ep, f));
    if (this.host.driver === 'none') return this.transfersNotRun('no host driver is bound ([host] driver = none)');
    // driver_override names the endpoint-DMA function; without one the driver meets whatever is there.
    const target = found.find((d) => d.epf.driver === 'pci_epf_dma') ?? found[0];
    if (!target) return this.transfersNotRun('the host found no bound endpoint function');
    yield* this.probe(target, ep);
  }

  /**
   * Transfers the file asks for while dw-edma-pcie is not bound (driver = none, nothing to probe,
   * probe failed) are listed as not-run with the reason (CONTRACTS.md `transfers[].status`), not dropped.
   */
  transfersNotRun(reason: string): void {
    this.transfers = this.host.transfers.map((t) => ({
      name: t.name, direction: t.direction, channel: t.channel, bytes: t.size, status: 'not-run' as const, verified: false,
      elements: 0, chunks: 0, line: t.line, reason,
    }));
  }

  /** The replay's live functions (set by the attach hook). */
  private allFunctions: () => Iterable<EpfState> = () => [];

  private enumerate(ep: EpBus, f: EpfState): DeviceRuntime {
    const funcNo = f.funcNo.primary ?? f.funcNo.secondary ?? 0;
    const bdf = `0000:${this.bus.toString(16).padStart(2, '0')}:00.${funcNo}`;
    const epc = ep.epc;
    const bars: HostBar[] = [];
    for (const b of epc.dwc.bars.values()) if (b.funcNo === funcNo) bars.push({ bar: b.barno, size: b.size, is64: b.is64 });
    // Hardware-backed reserved BARs decode their subregions (RK3588 BAR4; seed-series 2.1).
    const profile = epc.controller.profile;
    profile.features.bars.forEach((d, i) => {
      if (d.type !== 'reserved' || !d.rsvdRegions?.length || bars.some((b) => b.bar === i)) return;
      let size = 4096;
      const end = Math.max(...d.rsvdRegions.map((r) => r.offset + r.size));
      while (size < end) size *= 2;
      bars.push({ bar: i, size, is64: !!d.only64bit, reserved: true });
    });
    bars.sort((a, b) => a.bar - b.bar);
    for (const line of assignBars(bars, this.window, bdf)) this.clock.log('host', 'enumerate', line);
    for (const b of bars) {
      if (b.address === undefined) continue;
      const pb = programmedBar(epc.dwc, funcNo, b.bar);
      if (pb) pb.hostAddr = b.address;
      const d = profile.features.bars[b.bar];
      const translate = b.reserved
        ? reservedTranslate(d.rsvdRegions ?? [], profile.edma.present ? profile.edma.regPhys : undefined, () => undefined)
        : programmedTranslate(() => programmedBar(epc.dwc, funcNo, b.bar));
      this.hostMmio.addMmio(`${bdf} BAR${b.bar}`, b.address, b.size, barProxy(ep.bus, translate));
    }
    const dev = { epf: f, epc, funcNo, bdf, bars };
    this.devices.push(dev);
    return dev;
  }

  private msiCapOf(f: EpfState, epc: EpcState): { msi: number; msix: number } {
    const feat = epc.controller.profile.features;
    const msi = feat.msiCapable ? Number(f.values.get('msi_interrupts') ?? 0n) : 0;
    let p = msi > 0 ? 1 : 0;
    while (p && p < msi) p *= 2;
    const msix = feat.msixCapable ? Number(f.values.get('msix_interrupts') ?? 0n) : 0;
    return { msi: Math.min(p, 32), msix };
  }

  private *probe(dev: DeviceRuntime, ep: EpBus): Generator<StepInfo> {
    const plan = dmaPlans.get(dev.epf);
    const corrupt = this.host.faults.filter((f) => f.kind === 'corrupt-metadata');
    if (plan && corrupt.length) {
      const meta = ep.backings.get(plan.metadataPhys)!;
      for (const c of corrupt) {
        if (c.field && patchField(meta.bytes(), c.field, c.value ?? 0n)) this.clock.log('host', 'fault', `fault '${c.name}': metadata field ${c.field} corrupted to 0x${(c.value ?? 0n).toString(16)}`, c.line);
      }
    }
    if (this.fault('link-down', 'before-probe')) this.flapLink(dev.epc, 'injected before the host probe');
    yield* this.drainSteps();
    yield this.step('host', 'host-probe', `dw-edma-pcie ${dev.bdf}: probe: IRQ vectors, BAR scan, metadata validation`, ['dw_edma_pcie_probe', 'dw_edma_pcie_find_ep_metadata'], this.host.line);
    const cap = this.msiCapOf(dev.epf, dev.epc);
    const probeDev: ProbeDevice = { bdf: dev.bdf, bars: dev.bars, mmio: this.hostMmio, msiCap: cap.msi, msixCap: cap.msix };
    this.clock.log('host', 'host-probe', `dw-edma-pcie ${dev.bdf}: probe (driver_override)`, this.host.line);
    const hostSetsReady = this.fault('host-sets-ready');
    const linkDownAfterReq = this.fault('link-down', 'after-host-req');
    let flapped = false;
    const clock = {
      now: () => this.clock.now,
      runEndpointUntil: (t: number) => {
        if (hostSetsReady && plan) this.setCtrl(ep, plan, R, 0);
        if (linkDownAfterReq && !flapped) {
          flapped = true;
          this.flapLink(dev.epc, 'injected after HOST_REQ');
        }
        this.runEndpointUntil(t);
      },
      drain: () => this.drainSteps(),
    };
    dev.probe = yield* probeSteps(probeDev, this.host.msiVectors, clock, dev.epc.controller.kernel === 'v4',
      (l) => this.clock.log('host', 'host-probe', l, this.host.line), this.host.line);
    if (dev.probe.status !== 'ok') {
      const related = [];
      const link = dev.epf.links.primary ?? dev.epf.links.secondary;
      if (link) related.push({ range: link.origin.range, message: `${devName(dev.epf)} bound here` });
      const fault = this.host.faults[0];
      if (fault) related.push({ range: fault.range, message: `fault '${fault.name}' injected here` });
      this.diagnostics.push({
        range: this.host.range ?? this.doc.statements[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: 'error', code: 'host-probe-failed', errno: dev.probe.status,
        message: `${describeErrno(dev.probe.status)}: dw-edma-pcie probe of ${dev.bdf} (${devName(dev.epf)}) failed: ${dev.probe.reason ?? ''}`,
        log: dev.probe.log, related, ref: 'seed-series 6.5',
      });
      return this.transfersNotRun(`dw-edma-pcie probe failed with ${dev.probe.status}`);
    }
    if (this.fault('link-down', 'after-ready')) this.flapLink(dev.epc, 'injected after READY');
    yield* this.drainSteps();
    this.transfers = yield* transferSteps(this, dev, ep);
  }

  // ---- teardown ---------------------------------------------------------------------

  private teardown(epf: EpfState, epc: EpcState, _iface: Interface, line: number): void {
    const plan = dmaPlans.get(epf);
    if (!plan) return;
    const ep = this.ep(epc);
    const wi = this.workers.findIndex((x) => x.epf === epf);
    if (wi >= 0) this.workers.splice(wi, 1);
    // deinit clears H and R; unbind reclaims every delegated channel, quiescing them when they
    // may have been exposed to the host (READY was ever set; seed-series 3, 6.4, E22).
    if (ep.backings.has(plan.metadataPhys)) this.setCtrl(ep, plan, 0, H | R);
    const quiesce = plan.channelsExposed;
    if (quiesce && ep.engine) {
      const dirs = new Set(plan.channels.map((c) => (c.dir === 'ep-to-rc' ? 'write' : 'read') as 'write' | 'read'));
      for (const d of dirs) {
        if (ep.engine.mapFormat === 'hdma-native') {
          for (const c of plan.channels) if ((c.dir === 'ep-to-rc' ? 'write' : 'read') === d) ep.engine.quiesceChannel(d, c.hwCh);
        } else {
          ep.engine.quiesceDirection(d);
        }
      }
    }
    this.clock.log('ep', 'teardown', `pci_epf_dma ${devName(epf)}: unbind: ${plan.channels.length} channels reclaimed (quiesce=${quiesce})`, line);
    this.happened.push(this.step('ep', 'teardown', `${devName(epf)}: reclaim ${plan.channels.length} channels (quiesce=${quiesce})`, ['pci_epf_dma_unbind', 'pci_epc_reclaim_dma_chan', 'dw_edma_release_delegated_chan'], line));
    this.reclaimed.set(epf, plan.channels.map((c) => ({ dir: c.dir, hwCh: c.hwCh, state: 'reclaimed', errno: null })));
  }

  /** Channel outcome of a function as the views show it. */
  channelViews(epf: EpfState): ChannelView[] {
    const plan = dmaPlans.get(epf);
    if (plan) return plan.channels.map((c) => ({ dir: c.dir, hwCh: c.hwCh, state: plan.channelsExposed ? 'exposed' : 'delegated', errno: null }));
    return this.reclaimed.get(epf) ?? [];
  }
}
