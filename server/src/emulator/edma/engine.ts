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
import type { AddressSpace, Mmio, Region } from '../memory';
import { quiesceChannelRegs, quiesceDirectionRegs, type IrqMode, type RegWriteLog } from './ll-builder';
import {
  CS_HALTED, CS_RUNNING, CS_STOPPED, EDMA_MAX_CH, HDMA_CH_EN, HDMA_CH_EN_BIT, HDMA_CH_STAT, HDMA_CH_STRIDE,
  HDMA_CONTROL1, HDMA_CONTROL1_LINKLIST_EN, HDMA_CTX_SIZE, HDMA_CYCLE_BIT, HDMA_CYCLE_STATE, HDMA_CYCLE_SYNC,
  HDMA_DAR_HI, HDMA_DAR_LO, HDMA_DOORBELL, HDMA_DOORBELL_START, HDMA_INT_ABORT, HDMA_INT_CLEAR, HDMA_INT_SETUP,
  HDMA_INT_STAT, HDMA_INT_STOP, HDMA_INT_WATERMARK, HDMA_LLP_HI, HDMA_LLP_LO, HDMA_MAX_CH, HDMA_MSI_ABORT_HI,
  HDMA_MSI_ABORT_LO, HDMA_MSI_MSGDATA, HDMA_MSI_STOP_HI, HDMA_MSI_STOP_LO, HDMA_RD_OFFSET, HDMA_SAR_HI, HDMA_SAR_LO,
  HDMA_SETUP_ABORT_MASK, HDMA_SETUP_LAIE, HDMA_SETUP_LSIE, HDMA_SETUP_RAIE, HDMA_SETUP_RSIE, HDMA_SETUP_STOP_MASK,
  HDMA_TRANSFER_SIZE, LL_CB, LL_ELEM_SIZE, LL_LIE, LL_LLP, LL_RIE, LL_TCB, V0_CH_CONTROL1, V0_CH_CTX_SIZE,
  V0_CH_DAR_HI, V0_CH_DAR_LO, V0_CH_LLP_HI, V0_CH_LLP_LO, V0_CH_PWR_EN, V0_CH_SAR_HI, V0_CH_SAR_LO,
  V0_CH_TRANSFER_SIZE, V0_CTRL, V0_CTRL1_CCS, V0_CTRL1_CS_MASK, V0_CTRL1_CS_SHIFT, V0_CTRL1_LIE, V0_CTRL1_LLE,
  V0_CTRL1_RIE, V0_CTRL_RD_CNT_SHIFT, V0_DIR, V0_DOORBELL_CH_MASK, V0_DOORBELL_STOP, V0_ENGINE_EN,
  V0_INT_ABORT_MASK, V0_INT_DONE_MASK, V0_LEGACY_CTX, V0_RD_ERR_STATUS, V0_UNROLL_CH_BASE, V0_UNROLL_CH_STRIDE,
  V0_UNROLL_RD_OFFSET, V0_VIEWPORT_CH_MASK, V0_VIEWPORT_READ, V0_VIEWPORT_SEL, V0_WR_CH_PWR_EN, hdmaCtx,
  registerWindowSize, v0ImwrDataReg, v0IntAbort, v0IntDone, v0UnrollCtx,
  type EdmaDir, type EdmaMapFormat,
} from './regs';

export type { EdmaDir, EdmaMapFormat } from './regs';
export type { IrqMode } from './ll-builder';

export type EdmaChannelStatus = 'idle' | 'running' | 'done' | 'aborted' | 'waiting';

export interface EdmaInterruptEvent {
  /** 'local': the EP-side edma_int line; 'remote-imwr': the IMWr (MSI write) towards the PCIe side. */
  kind: 'local' | 'remote-imwr';
  dir: EdmaDir;
  ch: number;
  status: 'done' | 'abort';
  /** remote-imwr: the MSI address (done_imwr / abort_imwr, HDMA msi_stop / msi_abort). */
  address?: bigint;
  /** remote-imwr: the MSI data (the channel's half of chXY_imwr_data, HDMA msi_msgdata). */
  data?: number;
  /** remote-imwr: whether the 32-bit write landed in `remote` (false: no memory/MMIO there). */
  delivered?: boolean;
}

export interface EdmaEngineOptions {
  mapFormat: EdmaMapFormat;
  wrChannels: number;
  rdChannels: number;
  /** EP bus: LL regions and EP memory (an LLP is an EP-local address). */
  local: AddressSpace;
  /** PCIe side: host memory as the EP sees it through its outbound mapping. */
  remote: AddressSpace;
  onInterrupt?: (ev: EdmaInterruptEvent) => void;
  /** Hard bound of elements per doorbell without an interrupting element (default 1 << 20). */
  elementBound?: number;
  /** Default budget of `run()` (default 1 << 20 elements). */
  defaultBudget?: number;
  /** Register window size; defaults to registerWindowSize(mapFormat, wr, rd). */
  windowSize?: number;
  /** Require a link element's CB to equal CCS ^ TCB (see the header); default false: links always followed. */
  linkCycleCheck?: boolean;
  /** Initial per-channel irq_mode (driver software state, seed-series 5); default 'local'. */
  defaultIrqMode?: IrqMode;
}

export interface EdmaChannelStats {
  dir: EdmaDir;
  ch: number;
  status: EdmaChannelStatus;
  elementsDone: number;
  bytesDone: number;
  lastAbort?: string;
  irqMode: IrqMode;
  doorbells: number;
  ignoredDoorbells: number;
}

const TWO32 = 4294967296;
const EMPTY = Buffer.alloc(0);
/** Word-aligned elements up to this size are copied word by word instead of with Buffer.copy. */
const SMALL_COPY = 256;
/** Link elements followed in one service turn before yielding to the next channel. */
const SEEK_LIMIT = 64;
/** Legacy map: per-channel context storage stride behind the viewport. */
const LEGACY_CTX_STRIDE = 0x40;

const IDLE = 0;
const PENDING = 1;
const SEEK = 2;
const READY = 3;

const ERR_NONE = 0;
const ERR_LL = 1;
const ERR_LOCAL = 2;
const ERR_REMOTE = 3;

function hex(hi: number, lo: number): string {
  return hi ? hi.toString(16) + lo.toString(16).padStart(8, '0') : lo.toString(16);
}

/**
 * Resolves [addr, addr+len) in an address space, remembering the last region so consecutive
 * elements in the same region cost a few number compares instead of BigInt arithmetic. The cached
 * region is revalidated against the space's region list (same length, same object at the same
 * index), so adding/removing regions is noticed.
 */
class RegionCache {
  private region: Region | undefined;
  private base = 0;
  private end = 0;
  private idx = -1;
  private count = -1;
  /** Backing store of the region found by the last successful lookup (EMPTY for MMIO). */
  buf: Buffer = EMPTY;
  /** The same bytes as a DataView (little-endian element reads at any alignment). */
  dv: DataView = new DataView(EMPTY.buffer, EMPTY.byteOffset, 0);
  /** The same bytes as 32-bit words when the backing store is 4-byte aligned (fast small copies). */
  u32: Uint32Array | undefined;
  mmio = false;
  name = '';

  constructor(private readonly space: AddressSpace) {}

  lookup(hi: number, lo: number, len: number): number {
    if (this.region !== undefined && hi < 0x200000) {
      const a = hi * TWO32 + lo;
      if (a >= this.base && a + len <= this.end) {
        const list = this.space.list();
        if (list.length === this.count && list[this.idx] === this.region) return a - this.base;
      }
    }
    return this.miss(hi, lo, len);
  }

  private miss(hi: number, lo: number, len: number): number {
    const res = this.space.resolve((BigInt(hi) << 32n) | BigInt(lo), len);
    if (!res) return -1;
    const reg = res.region;
    this.mmio = reg.mmio !== undefined;
    this.name = reg.name;
    const buf = this.mmio ? EMPTY : reg.bytes();
    this.buf = buf;
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.u32 = buf.byteOffset % 4 === 0 ? new Uint32Array(buf.buffer, buf.byteOffset, buf.byteLength >>> 2) : undefined;
    const end = reg.base + BigInt(reg.size);
    if (end <= 9007199254740991n) {
      const list = this.space.list();
      this.region = reg;
      this.base = Number(reg.base);
      this.end = Number(end);
      this.idx = list.indexOf(reg);
      this.count = list.length;
    } else {
      this.region = undefined;
    }
    return res.offset;
  }
}

class Channel {
  phase = IDLE;
  inActive = false;
  llMode = true;
  status: EdmaChannelStatus = 'idle';
  elementsDone = 0;
  bytesDone = 0;
  lastAbort: string | undefined;
  /** Elements (data + link) since the doorbell or the last interrupting element. */
  sinceIrq = 0;
  /** Data moved since the doorbell (HDMA STOP interrupt). */
  moved = false;
  /** The last executed data element carried LIE/RIE. */
  lastWasIrq = false;
  /** A DONE owed for the last element, delivered once the stop/continue decision is made. */
  pendIrq = false;
  pendLie = false;
  pendRie = false;
  doorbells = 0;
  ignoredDoorbells = 0;
  /** The context buffer as 32-bit words, and the context's first word index (hot path). */
  readonly r32: Uint32Array;
  readonly w: number;
  readonly llCache: RegionCache;
  readonly srcCache: RegionCache;
  readonly dstCache: RegionCache;

  constructor(
    readonly dir: EdmaDir, readonly ch: number, readonly index: number,
    /** Where the channel context lives (register buffer, or the legacy context store) and its offset. */
    readonly buf: Buffer, readonly base: number,
    public irqMode: IrqMode, local: AddressSpace, remote: AddressSpace,
  ) {
    this.r32 = new Uint32Array(buf.buffer, buf.byteOffset, buf.byteLength >>> 2);
    this.w = base >>> 2;
    this.llCache = new RegionCache(local);
    this.srcCache = new RegionCache(dir === 'write' ? local : remote);
    this.dstCache = new RegionCache(dir === 'write' ? remote : local);
  }
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
  private readonly compat: boolean;
  private readonly onInterrupt: (ev: EdmaInterruptEvent) => void;
  private readonly defaultBudget: number;
  private readonly channels: Channel[] = [];
  private readonly active: Channel[] = [];
  private readonly events: EdmaInterruptEvent[] = [];
  private lastServed = -1;
  private inRun = false;
  private flushing = false;
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
    this.compat = mapFormat === 'hdma-compat';
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
    this.onInterrupt = opts.onInterrupt ?? (() => undefined);
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
    if (this.legacy) {
      // The viewport window shows the selected channel's context (D.2).
      const c = this.viewportChannel();
      if (c) c.buf.copy(this.regs, V0_LEGACY_CTX, c.base, c.base + V0_CH_CTX_SIZE);
      else this.regs.fill(0, V0_LEGACY_CTX, V0_LEGACY_CTX + V0_CH_CTX_SIZE);
    }
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
        if (this.events.length > 0) this.flushEvents();
      }
    } finally {
      this.inRun = false;
    }
    if (this.events.length > 0) this.flushEvents();
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
    this.events.length = 0;
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
    if (this.legacy && off >= V0_LEGACY_CTX && off < V0_LEGACY_CTX + V0_CH_CTX_SIZE) {
      const c = this.viewportChannel();
      return c ? c.buf.readUInt32LE(c.base + off - V0_LEGACY_CTX) : 0;
    }
    return this.regs.readUInt32LE(off);
  }

  write32(offset: number, value: number): void {
    const off = offset & ~3;
    if (off < 0 || off + 4 > this.windowSize) return;
    const v = value >>> 0;
    if (this.hdma) this.writeHdma(off, v);
    else this.writeV0(off, v);
    if (!this.inRun && this.events.length > 0) this.flushEvents();
  }

  // -------------------------------------------------------------------------------------------
  // Register semantics: eDMA v0 (D.2, D.4)
  // -------------------------------------------------------------------------------------------

  private writeV0(off: number, v: number): void {
    const r = this.regs;
    if (this.legacy && off >= V0_LEGACY_CTX && off < V0_LEGACY_CTX + V0_CH_CTX_SIZE) {
      const c = this.viewportChannel();
      if (c) this.writeCtxV0(c, off - V0_LEGACY_CTX, v);
      return;
    }
    if (!this.legacy && off >= V0_UNROLL_CH_BASE) {
      const rel = off - V0_UNROLL_CH_BASE;
      const ch = Math.floor(rel / V0_UNROLL_CH_STRIDE);
      const inner = rel % V0_UNROLL_CH_STRIDE;
      const dir: EdmaDir = inner >= V0_UNROLL_RD_OFFSET ? 'read' : 'write';
      const field = inner % V0_UNROLL_RD_OFFSET;
      if (ch < this.channelCount(dir) && field < V0_CH_CTX_SIZE) this.writeCtxV0(this.chan(dir, ch), field, v);
      else r.writeUInt32LE(v, off);
      return;
    }
    for (const dir of ['write', 'read'] as const) {
      const d = V0_DIR[dir];
      switch (off) {
        case d.engineEn: {
          const was = r.readUInt32LE(off) & V0_ENGINE_EN;
          r.writeUInt32LE(v, off);
          if (was && !(v & V0_ENGINE_EN)) this.haltDirection(dir, 'engine disabled (engine_en = 0) while the channel was running');
          return;
        }
        case d.doorbell:
          this.doorbellV0(dir, v);
          return;
        case d.intStatus:
          return; // read-only
        case d.intClear:
          this.clearV0(dir, v);
          return;
        case d.errStatus:
          return; // read-only
        default:
          break;
      }
    }
    if (off === V0_CTRL || off === V0_RD_ERR_STATUS + 4) return; // read-only
    if (!this.legacy && off >= V0_WR_CH_PWR_EN && off < V0_WR_CH_PWR_EN + 0x80) {
      // wr_ch{n}_pwr_en 0x128 + 4n, rd_ch{n}_pwr_en 0x168 + 4n (D.2); HDMA-compat channels need it (D.1).
      const rd = off >= V0_WR_CH_PWR_EN + 0x40;
      const ch = ((off - V0_WR_CH_PWR_EN) % 0x40) / 4;
      const was = r.readUInt32LE(off) & V0_CH_PWR_EN;
      r.writeUInt32LE(v, off);
      const dir: EdmaDir = rd ? 'read' : 'write';
      if (this.compat && was && !(v & V0_CH_PWR_EN) && ch < this.channelCount(dir)) {
        const c = this.chan(dir, ch);
        if (c.phase !== IDLE) this.abort(c, 'channel power disabled (ch_pwr_en = 0) while the channel was running', ERR_NONE);
      }
      return;
    }
    r.writeUInt32LE(v, off);
  }

  private writeCtxV0(c: Channel, field: number, v: number): void {
    if (field === V0_CH_CONTROL1) {
      // CS (bits 6:5) is owned by the hardware.
      const old = c.buf.readUInt32LE(c.base);
      c.buf.writeUInt32LE(((v & ~V0_CTRL1_CS_MASK) | (old & V0_CTRL1_CS_MASK)) >>> 0, c.base);
      return;
    }
    c.buf.writeUInt32LE(v, c.base + field);
  }

  /** Legacy: the channel selected by viewport_sel (bits 2:0, bit 31 = read channel), if it exists. */
  private viewportChannel(): Channel | undefined {
    const sel = this.regs.readUInt32LE(V0_VIEWPORT_SEL);
    const dir: EdmaDir = sel & V0_VIEWPORT_READ ? 'read' : 'write';
    const ch = sel & V0_VIEWPORT_CH_MASK;
    return ch < this.channelCount(dir) ? this.chan(dir, ch) : undefined;
  }

  private doorbellV0(dir: EdmaDir, v: number): void {
    const ch = v & V0_DOORBELL_CH_MASK;
    if (ch >= this.channelCount(dir)) return;
    const c = this.chan(dir, ch);
    if (v & V0_DOORBELL_STOP) {
      // Databook STOP (bit 31, unused by Linux): halt the channel — modelled as an abort.
      if (c.phase !== IDLE) this.abort(c, 'stopped by doorbell bit 31 (STOP)', ERR_NONE);
      return;
    }
    this.ring(c);
  }

  private clearV0(dir: EdmaDir, v: number): void {
    const d = V0_DIR[dir];
    const bits = v & (V0_INT_DONE_MASK | V0_INT_ABORT_MASK);
    const st = this.regs.readUInt32LE(d.intStatus);
    this.regs.writeUInt32LE((st & ~bits) >>> 0, d.intStatus);
    const abortCh = (bits & V0_INT_ABORT_MASK) >>> 16;
    if (abortCh) {
      // The error record goes with the abort status it explains.
      const lanes = (abortCh | (abortCh << 16)) >>> 0;
      this.regs.writeUInt32LE((this.regs.readUInt32LE(d.errStatus) & ~lanes) >>> 0, d.errStatus);
      if (dir === 'read') this.regs.writeUInt32LE((this.regs.readUInt32LE(d.errStatus + 4) & ~abortCh) >>> 0, d.errStatus + 4);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Register semantics: HDMA native (D.5)
  // -------------------------------------------------------------------------------------------

  private writeHdma(off: number, v: number): void {
    const r = this.regs;
    const ch = Math.floor(off / HDMA_CH_STRIDE);
    const inner = off % HDMA_CH_STRIDE;
    const dir: EdmaDir = inner >= HDMA_RD_OFFSET ? 'read' : 'write';
    const field = inner % HDMA_CTX_SIZE;
    if (ch >= this.channelCount(dir)) {
      r.writeUInt32LE(v, off);
      return;
    }
    const c = this.chan(dir, ch);
    switch (field) {
      case HDMA_CH_EN: {
        const was = r.readUInt32LE(off) & HDMA_CH_EN_BIT;
        r.writeUInt32LE(v, off);
        if (was && !(v & HDMA_CH_EN_BIT) && c.phase !== IDLE) this.abort(c, 'channel disabled (ch_en = 0) while running', ERR_NONE);
        return;
      }
      case HDMA_DOORBELL:
        if (v & HDMA_DOORBELL_START) this.ring(c);
        return;
      case HDMA_CH_STAT:
      case HDMA_INT_STAT:
        return; // read-only
      case HDMA_INT_CLEAR: {
        const st = r.readUInt32LE(c.base + HDMA_INT_STAT);
        r.writeUInt32LE((st & ~(v & (HDMA_INT_STOP | HDMA_INT_WATERMARK | HDMA_INT_ABORT))) >>> 0, c.base + HDMA_INT_STAT);
        return;
      }
      default:
        r.writeUInt32LE(v, off);
    }
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

  /** Doorbell accepted only with the engine (HDMA-compat: and ch_pwr_en; HDMA: ch_en) enabled (D.4, D.5). */
  private enabled(c: Channel): boolean {
    if (this.hdma) return (this.regs.readUInt32LE(c.base + HDMA_CH_EN) & HDMA_CH_EN_BIT) !== 0;
    if (!(this.regs.readUInt32LE(V0_DIR[c.dir].engineEn) & V0_ENGINE_EN)) return false;
    if (this.compat) return (this.regs.readUInt32LE(V0_DIR[c.dir].chPwrEn + 4 * c.ch) & V0_CH_PWR_EN) !== 0;
    return true;
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

  private ring(c: Channel): void {
    if (!this.enabled(c)) {
      c.ignoredDoorbells++;
      return;
    }
    c.doorbells++;
    if (c.phase !== IDLE) return; // already running: the consumer continues on its own
    c.phase = PENDING;
    c.status = 'running';
    this.setCs(c, CS_RUNNING);
    this.addActive(c);
  }

  private haltDirection(dir: EdmaDir, reason: string): void {
    for (const c of this.channels) if (c.dir === dir && c.phase !== IDLE) this.abort(c, reason, ERR_NONE);
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
      if (c.pendIrq) this.raiseDone(c); // the list continues: DONE with CS still running
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
    this.raiseDone(c);
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
    if (this.hdma ? c.moved : c.pendIrq) this.raiseDone(c);
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
    if (owedDone) this.raiseDone(c); // the element before the failure did complete
    const r = this.regs;
    if (this.hdma) {
      r.writeUInt32LE((r.readUInt32LE(c.base + HDMA_INT_STAT) | HDMA_INT_ABORT) >>> 0, c.base + HDMA_INT_STAT);
      const setup = r.readUInt32LE(c.base + HDMA_INT_SETUP);
      if (setup & HDMA_SETUP_ABORT_MASK) return;
      if (setup & HDMA_SETUP_LAIE) this.events.push({ kind: 'local', dir: c.dir, ch: c.ch, status: 'abort' });
      if (setup & HDMA_SETUP_RAIE) this.pushImwr(c, 'abort', this.read64(c.base + HDMA_MSI_ABORT_LO, c.base + HDMA_MSI_ABORT_HI), r.readUInt32LE(c.base + HDMA_MSI_MSGDATA));
      return;
    }
    const d = V0_DIR[c.dir];
    const bit = v0IntAbort(c.ch);
    r.writeUInt32LE((r.readUInt32LE(d.intStatus) | bit) >>> 0, d.intStatus);
    if (err !== ERR_NONE) {
      if (err === ERR_LL) r.writeUInt32LE((r.readUInt32LE(d.errStatus) | bit) >>> 0, d.errStatus);
      else if (c.dir === 'read' && err === ERR_REMOTE) r.writeUInt32LE((r.readUInt32LE(d.errStatus + 4) | v0IntDone(c.ch)) >>> 0, d.errStatus + 4);
      else r.writeUInt32LE((r.readUInt32LE(d.errStatus) | v0IntDone(c.ch)) >>> 0, d.errStatus);
    }
    const c1 = c.buf.readUInt32LE(c.base + V0_CH_CONTROL1);
    const localEn = c.llMode || (c1 & V0_CTRL1_LIE) !== 0;
    const remoteEn = c.llMode ? (r.readUInt32LE(d.llErrEn) & v0IntDone(c.ch)) !== 0 : (c1 & V0_CTRL1_RIE) !== 0;
    if (localEn && !(r.readUInt32LE(d.intMask) & bit)) this.events.push({ kind: 'local', dir: c.dir, ch: c.ch, status: 'abort' });
    if (remoteEn) this.pushImwr(c, 'abort', this.read64(d.abortImwr, d.abortImwr + 4), this.imwrData(c));
  }

  /** DONE / STOP: status latches; local event unless masked; IMWr per RIE (eDMA) / remote enable (HDMA). */
  private raiseDone(c: Channel): void {
    const r = this.regs;
    c.pendIrq = false;
    if (this.hdma) {
      r.writeUInt32LE((r.readUInt32LE(c.base + HDMA_INT_STAT) | HDMA_INT_STOP) >>> 0, c.base + HDMA_INT_STAT);
      const setup = r.readUInt32LE(c.base + HDMA_INT_SETUP);
      if (setup & HDMA_SETUP_STOP_MASK) return;
      if (setup & HDMA_SETUP_LSIE) this.events.push({ kind: 'local', dir: c.dir, ch: c.ch, status: 'done' });
      if (setup & HDMA_SETUP_RSIE) this.pushImwr(c, 'done', this.read64(c.base + HDMA_MSI_STOP_LO, c.base + HDMA_MSI_STOP_HI), r.readUInt32LE(c.base + HDMA_MSI_MSGDATA));
      return;
    }
    const d = V0_DIR[c.dir];
    const bit = v0IntDone(c.ch);
    r.writeUInt32LE((r.readUInt32LE(d.intStatus) | bit) >>> 0, d.intStatus);
    if (c.pendLie && !(r.readUInt32LE(d.intMask) & bit)) this.events.push({ kind: 'local', dir: c.dir, ch: c.ch, status: 'done' });
    if (c.pendRie) this.pushImwr(c, 'done', this.read64(d.doneImwr, d.doneImwr + 4), this.imwrData(c));
  }

  private read64(atLo: number, atHi: number): bigint {
    return (BigInt(this.regs.readUInt32LE(atHi)) << 32n) | BigInt(this.regs.readUInt32LE(atLo));
  }

  /** chXY_imwr_data: even channel bits 15:0, odd channel bits 31:16 (D.2). */
  private imwrData(c: Channel): number {
    const { offset, shift } = v0ImwrDataReg(c.dir, c.ch);
    return (this.regs.readUInt32LE(offset) >>> shift) & 0xffff;
  }

  private pushImwr(c: Channel, status: 'done' | 'abort', address: bigint, data: number): void {
    if (address === 0n) return; // no MSI programmed (see header)
    this.events.push({ kind: 'remote-imwr', dir: c.dir, ch: c.ch, status, address, data });
  }

  /** Delivers queued events in order: an IMWr is first written into `remote`, then reported. */
  private flushEvents(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.events.length > 0) {
        const ev = this.events.shift() as EdmaInterruptEvent;
        if (ev.kind === 'remote-imwr' && ev.address !== undefined) ev.delivered = this.remote.write32(ev.address, ev.data ?? 0);
        this.onInterrupt(ev);
      }
    } finally {
      this.flushing = false;
    }
  }
}
