/**
 * DesignWare eDMA (v0: legacy viewport, unroll, HDMA-compat) / HDMA native engine model.
 *
 * A register file (a real byte Buffer the size of the register window, exposed through the `Mmio`
 * interface and `bytes()`), plus channels that execute linked lists (kernel-background D.3) from
 * the EP-local bus and move data between the EP-local bus and the PCIe side (D.6: a write channel
 * reads `local` SAR and writes `remote` DAR; a read channel reads `remote` SAR and writes `local`
 * DAR).
 *
 * Execution model. A doorbell write only marks the channel running/pending (no work inside
 * write32); `run(budget)` executes pending work synchronously, one element per turn, servicing
 * active channels round-robin PER ELEMENT in a fixed order (write channels 0..n-1, then read
 * channels 0..n-1, resuming after the channel served last), and returns whether work remains.
 * Interrupt events are queued while the engine state changes and delivered afterwards, so a
 * handler always sees consistent registers (and may write int_clear / ring the next doorbell from
 * inside the callback). Nothing depends on time or randomness: same inputs → same register bytes.
 *
 * Choices where the fact sheets are silent (all documented again at the code that does it):
 * - Consumer/producer (D.3, databook "PCS-CCS-CB-TCB" quoted in the 3f63297 fix: "CCS … updates
 *   automatically to ~CB in the next chunk"): a data element is consumed only while its CB equals
 *   the consumer cycle state CCS; a link element is always followed (TCB toggles CCS) unless
 *   `linkCycleCheck` is set, in which case a link is valid only when CB == CCS ^ TCB, i.e. its CB
 *   is the post-toggle state — exactly what the driver's "link CB = inverse of the chunk CB" gives.
 *   When the consumer meets a data element with CB ≠ CCS it STOPS (CS = 3, ch_stat = 3) with LLP
 *   left pointing at that element; the next doorbell resumes there. CCS and LLP live in the
 *   channel's registers (ch_control1 CCS / cycle_sync b1, LLP lo/hi) and are updated as the list
 *   is walked, so the driver's "CCS only written on the first chunk" works for any chunk sizes.
 *   The stop is detected eagerly right after each data element (the next element is examined
 *   before the DONE interrupt is delivered), so a chunk's DONE is raised with CS already 3.
 * - Stop with no interrupt pending = status 'waiting' (stopped waiting for the producer): the
 *   channel is idle, CS = 3, no interrupt. 'done' = stopped right after an LIE/RIE element.
 * - eDMA DONE status latches for an element with LIE or RIE; INT_MASK only masks the LOCAL event
 *   (Synopsys remote-only recipe, D.7: LIE|RIE + local bit masked) — status always latches, the
 *   IMWr is governed by RIE alone. HDMA: int_setup masks gate both paths, enables pick local/remote.
 * - HDMA native raises STOP when the channel stops after moving data since its doorbell (element
 *   LIE/RIE bits do not matter there), ABORT on errors.
 * - Aborts (emulator's choice where the sheets are silent): element fetch outside `local` or in an
 *   MMIO region; SAR/DAR range not plain memory (dmaCopy semantics); transfer_size 0; more than
 *   `elementBound` elements (data + link) since the doorbell or the last interrupting element
 *   ("descriptor ring looped past N elements" — a correct ring stops at CB ≠ CCS long before);
 *   engine_en (HDMA-compat ch_pwr_en, HDMA ch_en) cleared while the channel runs; doorbell bit 31
 *   (databook STOP). An abort sets ABORT status (bit 16+ch / HDMA b2), CS = 2 (halted), records
 *   `lastAbort`, and raises the abort interrupt: locally whenever ABORT is unmasked (in LL mode
 *   the element's LIE only enables DONE); remotely to abort_imwr when the channel's
 *   linked_list_err_en bit is set (LL mode; D.4 step 3) or ch_control1 RIE is set (non-LL mode).
 * - err_status (databook-like, unverified): write channel bit ch = data error, bit 16+ch = LL
 *   fetch error; read channel lo bit ch = local (EP) data error, bit 16+ch = LL fetch error, hi
 *   bit ch = PCIe-side read error. Cleared with the ABORT bit through int_clear.
 * - An IMWr whose address register is 0 is not sent (no MSI programmed — the EP-local instance
 *   never programs done_imwr); otherwise it is a 32-bit write into `remote` plus an event.
 * - A doorbell for a channel that is already running has no effect (the running consumer will see
 *   newly produced elements anyway); a doorbell with the engine/channel disabled is ignored.
 */
import type { AddressSpace, Mmio } from '../memory';
import { Channel, ERR_LL, ERR_LOCAL, ERR_NONE, ERR_REMOTE, IDLE, PENDING, READY, SEEK } from './channel';
import type { EdmaChannelStats, EdmaEngineOptions } from './engine-types';
import { EdmaInterrupts } from './interrupts';
import { quiesceChannelRegs, quiesceDirectionRegs, type IrqMode, type RegWriteLog } from './ll-builder';
import { TWO32 } from './region-cache';
import { EdmaRegisterWindow } from './register-window';
import {
  CS_HALTED, CS_RUNNING, CS_STOPPED, EDMA_MAX_CH, HDMA_CH_STAT, HDMA_CH_STRIDE, HDMA_CONTROL1,
  HDMA_CONTROL1_LINKLIST_EN, HDMA_CYCLE_BIT, HDMA_CYCLE_STATE, HDMA_CYCLE_SYNC, HDMA_DAR_HI, HDMA_DAR_LO,
  HDMA_LLP_HI, HDMA_LLP_LO, HDMA_MAX_CH, HDMA_SAR_HI, HDMA_SAR_LO, HDMA_TRANSFER_SIZE, LL_CB, LL_ELEM_SIZE,
  LL_LIE, LL_LLP, LL_RIE, LL_TCB, V0_CH_CONTROL1, V0_CH_CTX_SIZE, V0_CH_DAR_HI, V0_CH_DAR_LO, V0_CH_LLP_HI,
  V0_CH_LLP_LO, V0_CH_SAR_HI, V0_CH_SAR_LO, V0_CH_TRANSFER_SIZE, V0_CTRL, V0_CTRL1_CCS, V0_CTRL1_CS_MASK,
  V0_CTRL1_CS_SHIFT, V0_CTRL1_LIE, V0_CTRL1_LLE, V0_CTRL1_RIE, V0_CTRL_RD_CNT_SHIFT, V0_LEGACY_CTX,
  V0_UNROLL_CH_BASE, V0_UNROLL_CH_STRIDE, hdmaCtx, registerWindowSize, v0UnrollCtx,
  type EdmaDir, type EdmaMapFormat,
} from './regs';

export type { EdmaDir, EdmaMapFormat } from './regs';
export type { IrqMode } from './ll-builder';
export type { EdmaChannelStats, EdmaChannelStatus, EdmaEngineOptions, EdmaInterruptEvent } from './engine-types';

/** Word-aligned elements up to this size are copied word by word instead of with Buffer.copy. */
const SMALL_COPY = 256;
/** Link elements followed in one service turn before yielding to the next channel. */
const SEEK_LIMIT = 64;
/** Legacy map: per-channel context storage stride behind the viewport. */
const LEGACY_CTX_STRIDE = 0x40;

function hex(hi: number, lo: number): string {
  return hi ? hi.toString(16) + lo.toString(16).padStart(8, '0') : lo.toString(16);
}

export class EdmaEngine implements Mmio {
  readonly mapFormat: EdmaMapFormat;
  readonly wrChannels: number;
  readonly rdChannels: number;
  readonly windowSize: number;
  readonly elementBound: number;
  readonly linkCycleCheck: boolean;
  readonly local: AddressSpace;
  readonly remote: AddressSpace;
  private readonly regs: Buffer;
  /** Legacy map only: the per-channel contexts behind the viewport window. */
  private readonly legacyCtx: Buffer;
  private readonly hdma: boolean;
  private readonly legacy: boolean;
  private readonly defaultBudget: number;
  private readonly channels: Channel[] = [];
  private readonly active: Channel[] = [];
  private readonly irq: EdmaInterrupts;
  private readonly window: EdmaRegisterWindow;
  private lastServed = -1;
  private inRun = false;
  private lastAbortInfo: { dir: EdmaDir; ch: number; reason: string } | undefined;
  // Channel-context field WORD indices of this layout (offset / 4), and where CCS lives.
  private readonly iSize: number;
  private readonly iSarLo: number;
  private readonly iSarHi: number;
  private readonly iDarLo: number;
  private readonly iDarHi: number;
  private readonly iLlpLo: number;
  private readonly iLlpHi: number;
  private readonly iCcs: number;
  private readonly ccsBit: number;

  constructor(opts: EdmaEngineOptions) {
    const { mapFormat, wrChannels, rdChannels } = opts;
    this.mapFormat = mapFormat;
    this.hdma = mapFormat === 'hdma-native';
    this.legacy = mapFormat === 'legacy';
    const max = this.hdma ? HDMA_MAX_CH : EDMA_MAX_CH;
    for (const [n, what] of [[wrChannels, 'wrChannels'], [rdChannels, 'rdChannels']] as const) {
      if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`EdmaEngine: ${what} = ${n} outside 0..${max} for ${mapFormat} (D.1)`);
    }
    this.wrChannels = wrChannels;
    this.rdChannels = rdChannels;
    const need = registerWindowSize(mapFormat, wrChannels, rdChannels);
    const size = opts.windowSize ?? need;
    const minimum = this.hdma ? Math.max(wrChannels, rdChannels) * HDMA_CH_STRIDE
      : this.legacy ? V0_LEGACY_CTX + V0_CH_CTX_SIZE
        : V0_UNROLL_CH_BASE + Math.max(wrChannels, rdChannels) * V0_UNROLL_CH_STRIDE;
    if (size < minimum || size % 4 !== 0) throw new Error(`EdmaEngine: window size 0x${size.toString(16)} cannot hold the ${mapFormat} registers (needs 0x${minimum.toString(16)})`);
    this.windowSize = size;
    // Word-aligned backing stores, so channels can use Uint32Array views in the hot path.
    this.regs = Buffer.from(new Uint32Array(size >>> 2).buffer);
    this.legacyCtx = Buffer.from(new Uint32Array(this.legacy ? ((wrChannels + rdChannels) * LEGACY_CTX_STRIDE) >>> 2 : 0).buffer);
    this.local = opts.local;
    this.remote = opts.remote;
    this.irq = new EdmaInterrupts(this.regs, this.hdma, this.remote, opts.onInterrupt ?? (() => undefined));
    this.window = new EdmaRegisterWindow(this.regs, mapFormat, {
      channelCount: (dir) => this.channelCount(dir),
      chan: (dir, ch) => this.chan(dir, ch),
      ring: (c) => this.ring(c),
      abort: (c, reason, err) => this.abort(c, reason, err),
    });
    this.elementBound = opts.elementBound ?? 1 << 20;
    this.defaultBudget = opts.defaultBudget ?? 1 << 20;
    this.linkCycleCheck = opts.linkCycleCheck ?? false;
    const f = this.hdma
      ? [HDMA_TRANSFER_SIZE, HDMA_SAR_LO, HDMA_SAR_HI, HDMA_DAR_LO, HDMA_DAR_HI, HDMA_LLP_LO, HDMA_LLP_HI, HDMA_CYCLE_SYNC]
      : [V0_CH_TRANSFER_SIZE, V0_CH_SAR_LO, V0_CH_SAR_HI, V0_CH_DAR_LO, V0_CH_DAR_HI, V0_CH_LLP_LO, V0_CH_LLP_HI, V0_CH_CONTROL1];
    [this.iSize, this.iSarLo, this.iSarHi, this.iDarLo, this.iDarHi, this.iLlpLo, this.iLlpHi, this.iCcs] = f.map((o) => o >>> 2);
    // CCS: ch_control1 bit 8 (eDMA, D.2) / cycle_sync b1 consumer cycle state (HDMA, D.5).
    this.ccsBit = this.hdma ? HDMA_CYCLE_STATE : V0_CTRL1_CCS;
    const mode = opts.defaultIrqMode ?? 'local';
    let index = 0;
    for (const dir of ['write', 'read'] as const) {
      const n = dir === 'write' ? wrChannels : rdChannels;
      for (let ch = 0; ch < n; ch++, index++) {
        const [buf, base] = this.hdma ? [this.regs, hdmaCtx(dir, ch)]
          : this.legacy ? [this.legacyCtx, index * LEGACY_CTX_STRIDE]
            : [this.regs, v0UnrollCtx(dir, ch)];
        this.channels.push(new Channel(dir, ch, index, buf, base, mode, this.local, this.remote));
      }
    }
    this.initRegisters();
  }

  private initRegisters(): void {
    // D.2 / E.4: CTRL is read-only, write count in bits 3:0, read count in bits 19:16.
    if (!this.hdma) this.regs.writeUInt32LE((this.wrChannels | (this.rdChannels << V0_CTRL_RD_CNT_SHIFT)) >>> 0, V0_CTRL);
  }

  // -------------------------------------------------------------------------------------------
  // Public API
  // -------------------------------------------------------------------------------------------

  /** The raw register window (live; debug views only — write through write32). */
  bytes(): Buffer {
    this.window.syncViewport();
    return this.regs;
  }

  /** Channel count of a direction. */
  channelCount(dir: EdmaDir): number {
    return dir === 'write' ? this.wrChannels : this.rdChannels;
  }

  stats(): EdmaChannelStats[] {
    return this.channels.map((c) => this.statsOf(c));
  }

  channelStats(dir: EdmaDir, ch: number): EdmaChannelStats {
    return this.statsOf(this.chan(dir, ch));
  }

  /** The most recent abort of any channel (for the UI). */
  get lastAbort(): { dir: EdmaDir; ch: number; reason: string } | undefined {
    return this.lastAbortInfo;
  }

  /** The dw-edma driver's per-channel irq_mode (software state shown in views; seed-series 5). */
  irqMode(dir: EdmaDir, ch: number): IrqMode {
    return this.chan(dir, ch).irqMode;
  }

  setIrqMode(dir: EdmaDir, ch: number, mode: IrqMode): void {
    this.chan(dir, ch).irqMode = mode;
  }

  /** Whether any channel has work left for run(). */
  hasWork(): boolean {
    return this.active.length > 0;
  }

  /**
   * Executes pending channel work, at most `budget` element fetches (data elements executed and
   * link elements followed), and returns whether work remains. Re-entrant calls (from an
   * interrupt callback) return immediately.
   */
  run(budget: number = this.defaultBudget): boolean {
    if (this.inRun) return this.active.length > 0;
    this.inRun = true;
    try {
      let used = 0;
      while (used < budget && this.active.length > 0) {
        used += this.service(this.nextActive());
        if (this.irq.pending()) this.irq.flush();
      }
    } finally {
      this.inRun = false;
    }
    if (this.irq.pending()) this.irq.flush();
    return this.active.length > 0;
  }

  /** One element of the next channel in round-robin order. */
  step(): boolean {
    return this.run(1);
  }

  /** Seed-series 4.4: direction-wide quiesce on v0 layouts, every channel of the direction on HDMA native. */
  quiesceDirection(dir: EdmaDir): RegWriteLog {
    return quiesceDirectionRegs(this, this.mapFormat, dir, this.channelCount(dir));
  }

  /** Seed-series 4.4: per channel on HDMA native; direction-wide on the v0 layouts (E8). */
  quiesceChannel(dir: EdmaDir, ch: number): RegWriteLog {
    return quiesceChannelRegs(this, this.mapFormat, dir, ch, this.channelCount(dir));
  }

  /** Power-on state: registers zeroed (CTRL restored), channels idle, statistics cleared. */
  reset(): void {
    this.regs.fill(0);
    this.legacyCtx.fill(0);
    this.irq.clear();
    this.active.length = 0;
    this.lastServed = -1;
    this.lastAbortInfo = undefined;
    for (const c of this.channels) {
      c.phase = IDLE; c.inActive = false; c.status = 'idle'; c.elementsDone = 0; c.bytesDone = 0;
      c.lastAbort = undefined; c.pendIrq = false; c.doorbells = 0; c.ignoredDoorbells = 0;
    }
    this.initRegisters();
  }

  // -------------------------------------------------------------------------------------------
  // Mmio
  // -------------------------------------------------------------------------------------------

  read32(offset: number): number {
    const off = offset & ~3;
    if (off < 0 || off + 4 > this.windowSize) return 0;
    return this.window.read32(off);
  }

  write32(offset: number, value: number): void {
    const off = offset & ~3;
    if (off < 0 || off + 4 > this.windowSize) return;
    this.window.write32(off, value >>> 0);
    if (!this.inRun && this.irq.pending()) this.irq.flush();
  }


  // -------------------------------------------------------------------------------------------
  // Channel state helpers
  // -------------------------------------------------------------------------------------------

  private chan(dir: EdmaDir, ch: number): Channel {
    const n = this.channelCount(dir);
    if (!Number.isInteger(ch) || ch < 0 || ch >= n) throw new Error(`EdmaEngine: no ${dir} channel ${ch} (have ${n})`);
    return this.channels[dir === 'write' ? ch : this.wrChannels + ch];
  }

  private statsOf(c: Channel): EdmaChannelStats {
    return {
      dir: c.dir, ch: c.ch, status: c.status, elementsDone: c.elementsDone, bytesDone: c.bytesDone,
      lastAbort: c.lastAbort, irqMode: c.irqMode, doorbells: c.doorbells, ignoredDoorbells: c.ignoredDoorbells,
    };
  }


  private llEnabled(c: Channel): boolean {
    if (this.hdma) return (c.buf.readUInt32LE(c.base + HDMA_CONTROL1) & HDMA_CONTROL1_LINKLIST_EN) !== 0;
    return (c.buf.readUInt32LE(c.base + V0_CH_CONTROL1) & V0_CTRL1_LLE) !== 0;
  }

  /** The consumer cycle state as 0/1. */
  private ccs(c: Channel): number {
    return (c.r32[c.w + this.iCcs] & this.ccsBit) !== 0 ? 1 : 0;
  }

  private toggleCcs(c: Channel): void {
    c.r32[c.w + this.iCcs] ^= this.ccsBit;
  }

  private setCs(c: Channel, cs: number): void {
    if (this.hdma) {
      c.buf.writeUInt32LE(cs, c.base + HDMA_CH_STAT);
      return;
    }
    const v = c.buf.readUInt32LE(c.base + V0_CH_CONTROL1);
    c.buf.writeUInt32LE(((v & ~V0_CTRL1_CS_MASK) | (cs << V0_CTRL1_CS_SHIFT)) >>> 0, c.base + V0_CH_CONTROL1);
  }

  private addActive(c: Channel): void {
    if (c.inActive) return;
    c.inActive = true;
    let i = this.active.length;
    while (i > 0 && this.active[i - 1].index > c.index) i--;
    this.active.splice(i, 0, c);
  }

  private removeActive(c: Channel): void {
    if (!c.inActive) return;
    c.inActive = false;
    this.active.splice(this.active.indexOf(c), 1);
  }

  /** Round-robin per element in fixed channel order, resuming after the channel served last. */
  private nextActive(): Channel {
    const a = this.active;
    let next = a[0];
    for (let i = 0; i < a.length; i++) {
      if (a[i].index > this.lastServed) {
        next = a[i];
        break;
      }
    }
    this.lastServed = next.index;
    return next;
  }

  /** A doorbell the register window accepted (engine / channel enabled). */
  private ring(c: Channel): void {
    c.doorbells++;
    if (c.phase !== IDLE) return; // already running: the consumer continues on its own
    c.phase = PENDING;
    c.status = 'running';
    this.setCs(c, CS_RUNNING);
    this.addActive(c);
  }


  // -------------------------------------------------------------------------------------------
  // Execution
  // -------------------------------------------------------------------------------------------

  /** One turn of a channel; returns the number of element fetches it cost (0 for a pure state change). */
  private service(c: Channel): number {
    switch (c.phase) {
      case PENDING:
        return this.start(c);
      case SEEK:
        return this.seek(c);
      default:
        return this.exec(c);
    }
  }

  /** Doorbell accepted: LL mode walks from LLP with the CCS held in the registers; else one block (non-LL). */
  private start(c: Channel): number {
    c.sinceIrq = 0;
    c.moved = false;
    c.lastWasIrq = false;
    c.pendIrq = false;
    c.llMode = this.llEnabled(c);
    if (!c.llMode) return this.execSingle(c);
    c.phase = SEEK;
    return this.seek(c);
  }

  /**
   * Follows link elements from LLP until a consumable data element (→ READY) or a stop (CB ≠ CCS)
   * or an error. Link: LLP = its pointer, TCB toggles CCS (D.3).
   */
  private seek(c: Channel): number {
    const r = c.r32;
    const w = c.w;
    const cache = c.llCache;
    let n = 0;
    for (;;) {
      const lo = r[w + this.iLlpLo];
      const hi = r[w + this.iLlpHi];
      const off = cache.lookup(hi, lo, LL_ELEM_SIZE);
      if (off < 0 || cache.mmio) {
        this.abort(c, `bad element address 0x${hex(hi, lo)} (${off < 0 ? 'not in EP-local memory' : `MMIO region ${cache.name}`})`, ERR_LL);
        return n + 1;
      }
      const dv = cache.dv;
      const ctrl = dv.getUint32(off, true);
      const ccs = this.ccs(c);
      if (ctrl & LL_LLP) {
        n++;
        if (this.linkCycleCheck && ((ctrl & LL_CB) ^ ((ctrl & LL_TCB) >>> 1)) !== ccs) {
          this.stop(c);
          return n;
        }
        if (++c.sinceIrq > this.elementBound) {
          this.abort(c, `descriptor ring looped past ${this.elementBound} elements without an interrupt or a stop (at 0x${hex(hi, lo)})`, ERR_NONE);
          return n;
        }
        r[w + this.iLlpLo] = dv.getUint32(off + 8, true);
        r[w + this.iLlpHi] = dv.getUint32(off + 12, true);
        if (ctrl & LL_TCB) this.toggleCcs(c);
        if (n >= SEEK_LIMIT) return n;
        continue;
      }
      if ((ctrl & LL_CB) !== ccs) {
        this.stop(c);
        return n + 1;
      }
      c.phase = READY;
      if (c.pendIrq) this.irq.raiseDone(c); // the list continues: DONE with CS still running
      return n;
    }
  }

  /** Executes the data element at LLP, then looks ahead (seek) so a stop is known before DONE is raised. */
  private exec(c: Channel): number {
    const r = c.r32;
    const w = c.w;
    const llpLo = r[w + this.iLlpLo];
    const llpHi = r[w + this.iLlpHi];
    const cache = c.llCache;
    const off = cache.lookup(llpHi, llpLo, LL_ELEM_SIZE);
    if (off < 0 || cache.mmio) {
      this.abort(c, `bad element address 0x${hex(llpHi, llpLo)} (${off < 0 ? 'not in EP-local memory' : `MMIO region ${cache.name}`})`, ERR_LL);
      return 1;
    }
    const dv = cache.dv;
    const ctrl = dv.getUint32(off, true);
    if (ctrl & LL_LLP) {
      // The producer turned it into a link since the look-ahead.
      c.phase = SEEK;
      return this.seek(c);
    }
    if ((ctrl & LL_CB) !== this.ccs(c)) {
      this.stop(c);
      return 1;
    }
    if (++c.sinceIrq > this.elementBound) {
      this.abort(c, `descriptor ring looped past ${this.elementBound} elements without an interrupt or a stop (at 0x${hex(llpHi, llpLo)})`, ERR_NONE);
      return 1;
    }
    const size = dv.getUint32(off + 4, true);
    const sarLo = dv.getUint32(off + 8, true);
    const sarHi = dv.getUint32(off + 12, true);
    const darLo = dv.getUint32(off + 16, true);
    const darHi = dv.getUint32(off + 20, true);
    if (size === 0) {
      this.abort(c, `zero-size data element at 0x${hex(llpHi, llpLo)}`, ERR_NONE);
      return 1;
    }
    if (!this.transfer(c, sarHi, sarLo, darHi, darLo, size)) return 1;
    // Register side effects: the element's control bits are loaded into ch_control1 (eDMA) /
    // its CB into cycle_sync b0 (HDMA); transfer_size counts down to 0, SAR/DAR advance, LLP
    // moves to the next element.
    if (this.hdma) r[w + this.iCcs] = (r[w + this.iCcs] & ~HDMA_CYCLE_BIT) | (ctrl & LL_CB);
    else r[w] = (r[w] & ~0x1f) | (ctrl & 0x1f);
    r[w + this.iSize] = 0;
    this.add64(r, w + this.iSarLo, w + this.iSarHi, sarHi, sarLo, size);
    this.add64(r, w + this.iDarLo, w + this.iDarHi, darHi, darLo, size);
    this.add64(r, w + this.iLlpLo, w + this.iLlpHi, llpHi, llpLo, LL_ELEM_SIZE);
    c.elementsDone++;
    c.bytesDone += size;
    c.moved = true;
    const irq = !this.hdma && (ctrl & (LL_LIE | LL_RIE)) !== 0;
    c.lastWasIrq = irq;
    if (irq) {
      c.pendIrq = true;
      c.pendLie = (ctrl & LL_LIE) !== 0;
      c.pendRie = (ctrl & LL_RIE) !== 0;
      c.sinceIrq = 0;
    }
    c.phase = SEEK;
    return 1 + this.seek(c);
  }

  /** Non-LL mode: one block from the channel registers (transfer_size, SAR, DAR). */
  private execSingle(c: Channel): number {
    const r = c.r32;
    const w = c.w;
    const size = r[w + this.iSize];
    const sarLo = r[w + this.iSarLo];
    const sarHi = r[w + this.iSarHi];
    const darLo = r[w + this.iDarLo];
    const darHi = r[w + this.iDarHi];
    if (size === 0) {
      this.abort(c, 'zero transfer_size in non-linked-list mode', ERR_NONE);
      return 1;
    }
    if (!this.transfer(c, sarHi, sarLo, darHi, darLo, size)) return 1;
    r[w + this.iSize] = 0;
    this.add64(r, w + this.iSarLo, w + this.iSarHi, sarHi, sarLo, size);
    this.add64(r, w + this.iDarLo, w + this.iDarHi, darHi, darLo, size);
    c.elementsDone++;
    c.bytesDone += size;
    c.moved = true;
    c.phase = IDLE;
    this.removeActive(c);
    c.status = 'done';
    this.setCs(c, CS_STOPPED);
    if (!this.hdma) {
      // Non-LL mode: ch_control1 LIE/RIE enable the interrupts (databook).
      c.pendLie = (r[w] & V0_CTRL1_LIE) !== 0;
      c.pendRie = (r[w] & V0_CTRL1_RIE) !== 0;
    }
    this.irq.raiseDone(c);
    return 1;
  }

  /** 64-bit register pair (lo, hi) = (hi:lo) + add, with carry. */
  private add64(r: Uint32Array, iLo: number, iHi: number, hi: number, lo: number, add: number): void {
    const sum = lo + add;
    if (sum >= TWO32) {
      r[iLo] = sum - TWO32;
      r[iHi] = hi + 1;
    } else {
      r[iLo] = sum;
      r[iHi] = hi;
    }
  }

  /**
   * dmaCopy semantics (memory.ts): both ranges must be plain memory over their whole length, else
   * the channel aborts and nothing is copied. Small word-aligned elements are copied word by word
   * (cheaper than Buffer.copy's call overhead); everything else with Buffer.copy.
   */
  private transfer(c: Channel, sarHi: number, sarLo: number, darHi: number, darLo: number, size: number): boolean {
    const write = c.dir === 'write';
    const s = c.srcCache;
    const sOff = s.lookup(sarHi, sarLo, size);
    if (sOff < 0 || s.mmio) {
      const where = write ? 'EP-local memory' : 'remote (PCIe) memory';
      this.abort(c, sOff < 0
        ? `source outside memory 0x${hex(sarHi, sarLo)} (+0x${size.toString(16)} bytes not in ${where})`
        : `source 0x${hex(sarHi, sarLo)} is in MMIO region ${s.name}`, write ? ERR_LOCAL : ERR_REMOTE);
      return false;
    }
    const d = c.dstCache;
    const dOff = d.lookup(darHi, darLo, size);
    if (dOff < 0 || d.mmio) {
      const where = write ? 'remote (PCIe) memory' : 'EP-local memory';
      this.abort(c, dOff < 0
        ? `destination outside memory 0x${hex(darHi, darLo)} (+0x${size.toString(16)} bytes not in ${where})`
        : `destination 0x${hex(darHi, darLo)} is in MMIO region ${d.name}`, write ? ERR_REMOTE : ERR_LOCAL);
      return false;
    }
    const su = s.u32;
    const du = d.u32;
    if (size <= SMALL_COPY && su !== undefined && du !== undefined && ((sOff | dOff | size) & 3) === 0
      && s.buf.buffer !== d.buf.buffer) {
      let i = sOff >>> 2;
      let j = dOff >>> 2;
      const e = i + (size >>> 2);
      while (i < e) du[j++] = su[i++];
    } else {
      s.buf.copy(d.buf, dOff, sOff, sOff + size);
    }
    return true;
  }

  /** Consumer met CB ≠ CCS: the channel stops (CS = 3); 'done' right after an interrupting element, else 'waiting'. */
  private stop(c: Channel): void {
    c.phase = IDLE;
    this.removeActive(c);
    const done = this.hdma ? c.moved : c.lastWasIrq;
    c.status = done ? 'done' : 'waiting';
    this.setCs(c, CS_STOPPED);
    if (this.hdma ? c.moved : c.pendIrq) this.irq.raiseDone(c);
  }

  private abort(c: Channel, reason: string, err: number): void {
    if (c.phase === PENDING) c.llMode = this.llEnabled(c);
    const owedDone = !this.hdma && c.pendIrq;
    c.phase = IDLE;
    this.removeActive(c);
    c.status = 'aborted';
    c.lastAbort = reason;
    this.lastAbortInfo = { dir: c.dir, ch: c.ch, reason };
    this.setCs(c, CS_HALTED);
    if (owedDone) this.irq.raiseDone(c); // the element before the failure did complete
    this.irq.raiseAbort(c, err);
  }
}
