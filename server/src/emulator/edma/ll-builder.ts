/**
 * The dw-edma driver's side of the eDMA/HDMA protocol: building linked lists (kernel-background
 * D.3), the register write sequences that start a channel and ring its doorbell (D.4 eDMA v0,
 * D.5 HDMA native), IMWr/MSI routing for remote instances (D.4), the quiesce sequences of
 * seed-series 4.4 and a small channel driver that splits a transfer into chunks and submits the
 * next chunk from the DONE interrupt (D.3 "next chunk started from the done interrupt").
 *
 * Everything goes through an AddressSpace (or a RegPort), so the same code drives the engine
 * locally (the EP's own dw-edma instance, DW_EDMA_CHIP_LOCAL) or through a host BAR mapping (the
 * host's remote dw-edma-pcie instance).
 */
import type { AddressSpace } from '../memory';
import {
  CS_STOPPED, HDMA_CH_EN, HDMA_CH_EN_BIT, HDMA_CH_STAT, HDMA_CH_STAT_MASK, HDMA_CONTROL1, HDMA_CONTROL1_LINKLIST_EN, HDMA_CYCLE_BIT, HDMA_CYCLE_STATE,
  HDMA_CYCLE_SYNC, HDMA_DOORBELL, HDMA_DOORBELL_START, HDMA_FUNC_NUM, HDMA_FUNC_NUM_MASK, HDMA_INT_ABORT,
  HDMA_INT_CLEAR, HDMA_INT_STAT, HDMA_INT_STOP, HDMA_INT_SETUP, HDMA_LLP_HI, HDMA_LLP_LO, HDMA_MSI_ABORT_HI,
  HDMA_MSI_ABORT_LO, HDMA_MSI_MSGDATA, HDMA_MSI_STOP_HI, HDMA_MSI_STOP_LO, HDMA_SETUP_ABORT_MASK, HDMA_SETUP_LAIE,
  HDMA_SETUP_LSIE, HDMA_SETUP_RAIE, HDMA_SETUP_RSIE, HDMA_SETUP_STOP_MASK, LL_CB, LL_ELEM_SIZE, LL_LIE, LL_LLP, LL_RIE,
  LL_TCB, V0_CH_CONTROL1, V0_CH_LLP_HI, V0_CH_LLP_LO, V0_CTRL1_CCS, V0_CTRL1_CS_MASK, V0_CTRL1_CS_SHIFT,
  V0_CTRL1_FUNC_NUM_MASK, V0_CTRL1_FUNC_NUM_SHIFT, V0_CTRL1_LLE, V0_DIR, V0_ENGINE_EN, V0_INT_ABORT_MASK,
  V0_INT_DONE_MASK, V0_LEGACY_CTX, V0_VIEWPORT_SEL, hdmaCtx, v0ChPwrEn, v0ImwrDataReg, v0IntAbort, v0IntDone,
  v0UnrollCtx, v0ViewportSel,
  type EdmaDir, type EdmaMapFormat,
} from './regs';

/** Per-channel interrupt routing of the dw-edma software state (seed-series 5, D.7). */
export type IrqMode = 'local' | 'remote';

/** 32-bit register access relative to the eDMA register base. */
export interface RegPort {
  read32(offset: number): number;
  write32(offset: number, value: number): void;
}

/** A RegPort over registers reached through an address space (locally or through a host BAR). */
export function regPort(space: AddressSpace, regBase: bigint): RegPort {
  return {
    read32(offset) {
      const v = space.read32(regBase + BigInt(offset));
      if (v === undefined) throw new Error(`${space.name}: eDMA register read at 0x${(regBase + BigInt(offset)).toString(16)} is unmapped`);
      return v;
    },
    write32(offset, value) {
      if (!space.write32(regBase + BigInt(offset), value >>> 0)) {
        throw new Error(`${space.name}: eDMA register write at 0x${(regBase + BigInt(offset)).toString(16)} is unmapped`);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Linked lists (D.3)
// ---------------------------------------------------------------------------------------------

export interface LlDataElement {
  sar: bigint;
  dar: bigint;
  size: number;
}

/** Data elements that fit in one chunk: one slot is reserved for the link (D.3 ll_max). */
export function llCapacity(llSize: number): number {
  return Math.max(0, Math.floor(llSize / LL_ELEM_SIZE) - 1);
}

/**
 * Interrupt bits of a chunk's last data element (D.3, seed-series 5): LIE always; RIE only on a
 * non-LOCAL chip (mainline) for a channel whose irq_mode is REMOTE (2026 patch).
 */
export function lastElementIrq(chipLocal: boolean, irqMode: IrqMode): { lie: boolean; rie: boolean } {
  return { lie: true, rie: !chipLocal && irqMode === 'remote' };
}

const lo32 = (v: bigint): number => Number(v & 0xffffffffn);
const hi32 = (v: bigint): number => Number((v >> 32n) & 0xffffffffn);

/**
 * Writes one chunk at llBase (D.3): N data elements with CB = chunkCycle (LIE/RIE only on the last
 * one), then one link element LLP|TCB (+ CB when the chunk's CB is 0, i.e. the inverse of the data
 * CB) pointing back to the start of the region. `linkTarget` is the address the ENGINE uses for
 * the region (ll_region.paddr); it defaults to llBase, which is right when the writer and the
 * engine see the region at the same address (EP-local driver). Each element's control word is
 * written last (D.3). Returns the address (in `mem`) of the link element.
 */
export function writeLinkedList(
  mem: AddressSpace, llBase: bigint, llSize: number, elements: readonly LlDataElement[],
  chunkCycle: 0 | 1, irq: { lie: boolean; rie: boolean }, linkTarget: bigint = llBase,
): bigint {
  const cap = llCapacity(llSize);
  if (elements.length === 0) throw new Error('writeLinkedList: a chunk needs at least one data element');
  if (elements.length > cap) throw new Error(`writeLinkedList: ${elements.length} elements exceed the region capacity ${cap} (floor(${llSize}/24) - 1)`);
  const n = elements.length;
  const base = chunkCycle ? LL_CB : 0;
  const lastIrq = (irq.lie ? LL_LIE : 0) | (irq.rie ? LL_RIE : 0);
  const linkCtrl = LL_LLP | LL_TCB | (chunkCycle ? 0 : LL_CB);
  const span = (n + 1) * LL_ELEM_SIZE;
  const r = mem.resolve(llBase, span);
  if (r && !r.region.mmio) {
    // Plain memory: write straight into the backing buffer.
    const b = r.region.bytes();
    let o = r.offset;
    for (let i = 0; i < n; i++, o += LL_ELEM_SIZE) {
      const e = elements[i];
      b.writeUInt32LE(e.size >>> 0, o + 4);
      b.writeUInt32LE(lo32(e.sar), o + 8);
      b.writeUInt32LE(hi32(e.sar), o + 12);
      b.writeUInt32LE(lo32(e.dar), o + 16);
      b.writeUInt32LE(hi32(e.dar), o + 20);
      b.writeUInt32LE((base | (i === n - 1 ? lastIrq : 0)) >>> 0, o);
    }
    b.writeUInt32LE(0, o + 4);
    b.writeUInt32LE(lo32(linkTarget), o + 8);
    b.writeUInt32LE(hi32(linkTarget), o + 12);
    b.writeUInt32LE(0, o + 16);
    b.writeUInt32LE(0, o + 20);
    b.writeUInt32LE(linkCtrl, o);
    return llBase + BigInt(n * LL_ELEM_SIZE);
  }
  // MMIO or split mapping: 32-bit writes, control word last (D.3 "elements written with MMIO").
  const w = (addr: bigint, v: number): void => {
    if (!mem.write32(addr, v >>> 0)) throw new Error(`writeLinkedList: LL address 0x${addr.toString(16)} is unmapped in ${mem.name}`);
  };
  let a = llBase;
  for (let i = 0; i < n; i++, a += BigInt(LL_ELEM_SIZE)) {
    const e = elements[i];
    w(a + 4n, e.size);
    w(a + 8n, lo32(e.sar)); w(a + 12n, hi32(e.sar));
    w(a + 16n, lo32(e.dar)); w(a + 20n, hi32(e.dar));
    w(a, base | (i === n - 1 ? lastIrq : 0));
  }
  w(a + 4n, 0);
  w(a + 8n, lo32(linkTarget)); w(a + 12n, hi32(linkTarget));
  w(a + 16n, 0); w(a + 20n, 0);
  w(a, linkCtrl);
  return a;
}

/** The remote driver's dummy read of the LL memory that flushes posted writes before the doorbell (D.3). */
export function flushLinkedList(mem: AddressSpace, llBase: bigint): void {
  mem.read32(llBase);
}

// ---------------------------------------------------------------------------------------------
// Channel register access per layout
// ---------------------------------------------------------------------------------------------

/** Writes a channel-context register: through the viewport on the legacy map (viewport_sel, then the window — D.2). */
function chWrite(port: RegPort, mf: EdmaMapFormat, dir: EdmaDir, ch: number, field: number, value: number): void {
  if (mf === 'legacy') {
    port.write32(V0_VIEWPORT_SEL, v0ViewportSel(dir, ch));
    port.write32(V0_LEGACY_CTX + field, value);
  } else {
    port.write32(v0UnrollCtx(dir, ch) + field, value);
  }
}

function chRead(port: RegPort, mf: EdmaMapFormat, dir: EdmaDir, ch: number, field: number): number {
  if (mf === 'legacy') {
    port.write32(V0_VIEWPORT_SEL, v0ViewportSel(dir, ch));
    return port.read32(V0_LEGACY_CTX + field);
  }
  return port.read32(v0UnrollCtx(dir, ch) + field);
}

/** ch_control1 CS (eDMA) / ch_stat (HDMA native) of a channel, as the driver reads it (D.4 "false busy" check). */
export function readChannelStatus(engineRegs: AddressSpace, regBase: bigint, mf: EdmaMapFormat, dir: EdmaDir, ch: number): number {
  const port = regPort(engineRegs, regBase);
  if (mf === 'hdma-native') return port.read32(hdmaCtx(dir, ch) + HDMA_CH_STAT) & HDMA_CH_STAT_MASK;
  return (chRead(port, mf, dir, ch, V0_CH_CONTROL1) & V0_CTRL1_CS_MASK) >>> V0_CTRL1_CS_SHIFT;
}

export interface StartOptions {
  /** Log of the register writes performed (offset, value), for views and tests. */
  log?: { offset: number; value: number }[];
}

function logged(port: RegPort, log: { offset: number; value: number }[] | undefined): RegPort {
  if (!log) return port;
  return {
    read32: (o) => port.read32(o),
    write32: (o, v) => { log.push({ offset: o, value: v >>> 0 }); port.write32(o, v); },
  };
}

/**
 * First-chunk channel setup (the `first` branch of the core start routine).
 * eDMA v0 (D.4): 1. engine_en = 1 (HDMA_COMPAT: also ch_pwr_en[c] = 1); 2. int_mask: unmask DONE c
 * and ABORT 16+c — or set them when the channel's interrupts are routed to the remote side
 * (seed-series 5); 3. linked_list_err_en |= bit c; 4. ch_control1 = CCS | LLE | func_no << 12;
 * 5. LLP lo/hi = the LL region's bus address (two 32-bit writes).
 * HDMA native (D.5): ch_en = 1; int_setup = unmask stop/abort + local enables (LOCAL) or remote
 * enables (REMOTE, seed-series 5); control1 = LINKLIST_EN; func_num (seed-series 5); LLP;
 * cycle_sync = CCS | CB — once, on the first chunk, as fixed upstream (3f63297, "dw-edma: HDMA
 * consumer cycle initialised only once"); older kernels rewrote it per chunk, see ringDoorbell.
 */
export function startChannel(
  engineRegs: AddressSpace, regBase: bigint, mapFormat: EdmaMapFormat, dir: EdmaDir, ch: number,
  llPhys: bigint, funcNo: number, irqMode: IrqMode, opts: StartOptions = {},
): void {
  const port = logged(regPort(engineRegs, regBase), opts.log);
  if (mapFormat === 'hdma-native') {
    const c = hdmaCtx(dir, ch);
    port.write32(c + HDMA_CH_EN, HDMA_CH_EN_BIT);
    let setup = port.read32(c + HDMA_INT_SETUP);
    setup &= ~(HDMA_SETUP_STOP_MASK | HDMA_SETUP_ABORT_MASK | HDMA_SETUP_RSIE | HDMA_SETUP_LSIE | HDMA_SETUP_RAIE | HDMA_SETUP_LAIE);
    setup |= irqMode === 'remote' ? HDMA_SETUP_RSIE | HDMA_SETUP_RAIE : HDMA_SETUP_LSIE | HDMA_SETUP_LAIE;
    port.write32(c + HDMA_INT_SETUP, setup);
    port.write32(c + HDMA_CONTROL1, HDMA_CONTROL1_LINKLIST_EN);
    port.write32(c + HDMA_FUNC_NUM, funcNo & HDMA_FUNC_NUM_MASK);
    port.write32(c + HDMA_LLP_LO, lo32(llPhys));
    port.write32(c + HDMA_LLP_HI, hi32(llPhys));
    port.write32(c + HDMA_CYCLE_SYNC, HDMA_CYCLE_STATE | HDMA_CYCLE_BIT);
    return;
  }
  const d = V0_DIR[dir];
  port.write32(d.engineEn, V0_ENGINE_EN);
  if (mapFormat === 'hdma-compat') port.write32(v0ChPwrEn(dir, ch), 1);
  let mask = port.read32(d.intMask);
  const bits = v0IntDone(ch) | v0IntAbort(ch);
  mask = irqMode === 'remote' ? mask | bits : mask & ~bits;
  port.write32(d.intMask, mask >>> 0);
  port.write32(d.llErrEn, (port.read32(d.llErrEn) | v0IntDone(ch)) >>> 0);
  chWrite(port, mapFormat, dir, ch, V0_CH_CONTROL1, (V0_CTRL1_CCS | V0_CTRL1_LLE | ((funcNo << V0_CTRL1_FUNC_NUM_SHIFT) & V0_CTRL1_FUNC_NUM_MASK)) >>> 0);
  chWrite(port, mapFormat, dir, ch, V0_CH_LLP_LO, lo32(llPhys));
  chWrite(port, mapFormat, dir, ch, V0_CH_LLP_HI, hi32(llPhys));
}

export interface DoorbellOptions extends StartOptions {
  /** Remote instances: the dummy read of the LL memory before the doorbell (D.3). */
  flush?: { mem: AddressSpace; llBase: bigint };
  /** HDMA native: rewrite cycle_sync = CCS|CB before every doorbell, as kernels before the 3f63297 fix did (D.5). */
  hdmaResyncCycle?: boolean;
}

/** Every chunk: (remote) dummy read, then d.doorbell = c (eDMA, D.4) / ch doorbell = START (HDMA, D.5). */
export function ringDoorbell(
  engineRegs: AddressSpace, regBase: bigint, mapFormat: EdmaMapFormat, dir: EdmaDir, ch: number, opts: DoorbellOptions = {},
): void {
  const port = logged(regPort(engineRegs, regBase), opts.log);
  if (mapFormat === 'hdma-native') {
    const c = hdmaCtx(dir, ch);
    if (opts.hdmaResyncCycle) port.write32(c + HDMA_CYCLE_SYNC, HDMA_CYCLE_STATE | HDMA_CYCLE_BIT);
    if (opts.flush) flushLinkedList(opts.flush.mem, opts.flush.llBase);
    port.write32(c + HDMA_DOORBELL, HDMA_DOORBELL_START);
    return;
  }
  if (opts.flush) flushLinkedList(opts.flush.mem, opts.flush.llBase);
  port.write32(V0_DIR[dir].doorbell, ch);
}

/**
 * MSI routing of a remote instance (D.4): done_imwr / abort_imwr = MSI address and the channel's
 * 16-bit half of chXY_imwr_data = MSI data (eDMA v0); msi_stop / msi_abort / msi_msgdata (HDMA).
 */
export function programImwr(
  engineRegs: AddressSpace, regBase: bigint, mapFormat: EdmaMapFormat, dir: EdmaDir, ch: number, msiAddr: bigint, msiData: number,
): void {
  const port = regPort(engineRegs, regBase);
  if (mapFormat === 'hdma-native') {
    const c = hdmaCtx(dir, ch);
    port.write32(c + HDMA_MSI_STOP_LO, lo32(msiAddr));
    port.write32(c + HDMA_MSI_STOP_HI, hi32(msiAddr));
    port.write32(c + HDMA_MSI_ABORT_LO, lo32(msiAddr));
    port.write32(c + HDMA_MSI_ABORT_HI, hi32(msiAddr));
    port.write32(c + HDMA_MSI_MSGDATA, msiData >>> 0);
    return;
  }
  const d = V0_DIR[dir];
  port.write32(d.doneImwr, lo32(msiAddr));
  port.write32(d.doneImwr + 4, hi32(msiAddr));
  port.write32(d.abortImwr, lo32(msiAddr));
  port.write32(d.abortImwr + 4, hi32(msiAddr));
  const { offset, shift } = v0ImwrDataReg(dir, ch);
  const old = port.read32(offset);
  port.write32(offset, ((old & ~(0xffff << shift)) | ((msiData & 0xffff) << shift)) >>> 0);
}

// ---------------------------------------------------------------------------------------------
// Quiesce (seed-series 4.4)
// ---------------------------------------------------------------------------------------------

export type RegWriteLog = { offset: number; value: number }[];

/**
 * Direction-wide quiesce of the eDMA v0 layouts (unroll, HDMA-compat; legacy has the same global
 * registers): mask DONE|ABORT of all channels → engine_en = 0 → int_clear DONE|ABORT of all
 * channels, in that order (v4), so status raised while disabling is drained. On HDMA native the
 * direction is quiesced channel by channel. Returns the writes performed.
 */
export function quiesceDirectionRegs(port: RegPort, mf: EdmaMapFormat, dir: EdmaDir, channels: number): RegWriteLog {
  const log: RegWriteLog = [];
  const p = logged(port, log);
  if (mf === 'hdma-native') {
    for (let ch = 0; ch < channels; ch++) quiesceHdmaChannel(p, dir, ch);
    return log;
  }
  const d = V0_DIR[dir];
  const all = (V0_INT_DONE_MASK | V0_INT_ABORT_MASK) >>> 0;
  p.write32(d.intMask, all);
  p.write32(d.engineEn, 0);
  p.write32(d.intClear, all);
  return log;
}

/**
 * Per-channel quiesce. HDMA native: int_setup = STOP|ABORT masks → ch_en = 0 → int_clear
 * STOP|ABORT. The v0 layouts have no per-channel engine or interrupt registers, so "per-channel"
 * quiesce is direction-wide there (seed-series 4.4, review finding E8).
 */
export function quiesceChannelRegs(port: RegPort, mf: EdmaMapFormat, dir: EdmaDir, ch: number, channels: number): RegWriteLog {
  if (mf !== 'hdma-native') return quiesceDirectionRegs(port, mf, dir, channels);
  const log: RegWriteLog = [];
  quiesceHdmaChannel(logged(port, log), dir, ch);
  return log;
}

function quiesceHdmaChannel(p: RegPort, dir: EdmaDir, ch: number): void {
  const c = hdmaCtx(dir, ch);
  p.write32(c + HDMA_INT_SETUP, HDMA_SETUP_STOP_MASK | HDMA_SETUP_ABORT_MASK);
  p.write32(c + HDMA_CH_EN, 0);
  p.write32(c + HDMA_INT_CLEAR, HDMA_INT_STOP | HDMA_INT_ABORT);
}

// ---------------------------------------------------------------------------------------------
// A dw-edma channel driver: chunking and completion handling (D.3, D.4)
// ---------------------------------------------------------------------------------------------

export interface DwEdmaChannelConfig {
  /** Where the driver reaches the engine registers (EP bus, or a host BAR window). */
  regs: AddressSpace;
  regBase: bigint;
  mapFormat: EdmaMapFormat;
  dir: EdmaDir;
  ch: number;
  /** Where the driver writes the LL region, and the region's address in that space. */
  llMem: AddressSpace;
  llBase: bigint;
  /** The region's address as the engine fetches it (ll_region.paddr); defaults to llBase. */
  llPhys?: bigint;
  llSize: number;
  funcNo?: number;
  irqMode?: IrqMode;
  /** DW_EDMA_CHIP_LOCAL (the EP's own instance); defaults to irqMode === 'local'. */
  chipLocal?: boolean;
  /** Dummy-read the LL before each doorbell (remote instances, D.3); defaults to !chipLocal. */
  flushBeforeDoorbell?: boolean;
  /** Reproduce the pre-3f63297 HDMA behaviour (cycle_sync rewritten on every chunk). */
  hdmaResyncCycle?: boolean;
}

export type DwEdmaChannelState = 'idle' | 'busy' | 'complete' | 'aborted';

/**
 * One dmaengine channel of a dw-edma instance: `submit()` starts a descriptor, splitting it into
 * chunks of at most ll_max elements (CB 1, 0, 1, … per chunk); `handleInterrupt()` is the IRQ
 * handler: reads the channel's status bits, clears them through int_clear (D.4) and submits the next
 * chunk or completes the descriptor.
 */
export class DwEdmaChannel {
  private elements: readonly LlDataElement[] = [];
  /** Index of the first element not yet written into a chunk. */
  private next = 0;
  private chunkIndex = 0;
  state: DwEdmaChannelState = 'idle';
  chunksSubmitted = 0;

  constructor(readonly cfg: DwEdmaChannelConfig) {}

  private get irqMode(): IrqMode {
    return this.cfg.irqMode ?? 'local';
  }

  private get chipLocal(): boolean {
    return this.cfg.chipLocal ?? this.irqMode === 'local';
  }

  get capacity(): number {
    return llCapacity(this.cfg.llSize);
  }

  /** Starts a new descriptor (first chunk: full channel setup). */
  submit(elements: readonly LlDataElement[]): void {
    if (elements.length === 0) throw new Error('DwEdmaChannel.submit: empty transfer');
    if (this.state === 'busy') throw new Error('DwEdmaChannel.submit: channel busy');
    this.elements = elements.slice();
    this.next = 0;
    this.chunkIndex = 0;
    this.state = 'busy';
    this.submitChunk(true);
  }

  private submitChunk(first: boolean): void {
    const c = this.cfg;
    const chunk = this.elements.slice(this.next, this.next + this.capacity);
    this.next += chunk.length;
    // D.3: 1st chunk CB=1, 2nd CB=0, 3rd CB=1, ...
    const cb: 0 | 1 = this.chunkIndex % 2 === 0 ? 1 : 0;
    this.chunkIndex++;
    this.chunksSubmitted++;
    writeLinkedList(c.llMem, c.llBase, c.llSize, chunk, cb, lastElementIrq(this.chipLocal, this.irqMode), c.llPhys ?? c.llBase);
    if (first) startChannel(c.regs, c.regBase, c.mapFormat, c.dir, c.ch, c.llPhys ?? c.llBase, c.funcNo ?? 0, this.irqMode);
    const flush = c.flushBeforeDoorbell ?? !this.chipLocal;
    ringDoorbell(c.regs, c.regBase, c.mapFormat, c.dir, c.ch, {
      flush: flush ? { mem: c.llMem, llBase: c.llBase } : undefined,
      hdmaResyncCycle: c.hdmaResyncCycle,
    });
  }

  /**
   * The interrupt handler for this channel: 'none' when neither DONE nor ABORT is pending for it;
   * otherwise clears the bit(s) via int_clear and reports what happened.
   */
  handleInterrupt(): 'none' | 'chunk-started' | 'complete' | 'aborted' {
    const c = this.cfg;
    const port = regPort(c.regs, c.regBase);
    let done: boolean;
    let abort: boolean;
    if (c.mapFormat === 'hdma-native') {
      const base = hdmaCtx(c.dir, c.ch);
      const st = port.read32(base + HDMA_INT_STAT);
      done = (st & HDMA_INT_STOP) !== 0;
      abort = (st & HDMA_INT_ABORT) !== 0;
      if (done || abort) port.write32(base + HDMA_INT_CLEAR, st & (HDMA_INT_STOP | HDMA_INT_ABORT));
    } else {
      const d = V0_DIR[c.dir];
      const st = port.read32(d.intStatus);
      done = (st & v0IntDone(c.ch)) !== 0;
      abort = (st & v0IntAbort(c.ch)) !== 0;
      const clr = (done ? v0IntDone(c.ch) : 0) | (abort ? v0IntAbort(c.ch) : 0);
      if (clr) port.write32(d.intClear, clr >>> 0);
    }
    if (abort) {
      this.state = 'aborted';
      this.next = this.elements.length;
      return 'aborted';
    }
    if (!done) return 'none';
    if (this.state !== 'busy') return 'none';
    if (this.next >= this.elements.length) {
      this.state = 'complete';
      return 'complete';
    }
    this.submitChunk(false);
    return 'chunk-started';
  }

  /** Whether the hardware reports the channel stopped (CS = 3), the driver's "false busy" test (D.4). */
  hardwareStopped(): boolean {
    return readChannelStatus(this.cfg.regs, this.cfg.regBase, this.cfg.mapFormat, this.cfg.dir, this.cfg.ch) === CS_STOPPED;
  }
}
