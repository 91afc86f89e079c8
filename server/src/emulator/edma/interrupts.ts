/**
 * The interrupt side of the eDMA/HDMA engine: DONE/STOP and ABORT status latching (int_status,
 * err_status), the local edma_int event and the IMWr (MSI write) towards the PCIe side. Events
 * are queued while the engine state changes and delivered afterwards by flush() (see the header
 * of engine.ts for the choices made where the fact sheets are silent).
 */
import type { AddressSpace } from '../memory';
import { type Channel, ERR_LL, ERR_NONE, ERR_REMOTE } from './channel';
import type { EdmaInterruptEvent } from './engine-types';
import {
  HDMA_INT_ABORT, HDMA_INT_SETUP, HDMA_INT_STAT, HDMA_INT_STOP, HDMA_MSI_ABORT_HI, HDMA_MSI_ABORT_LO,
  HDMA_MSI_MSGDATA, HDMA_MSI_STOP_HI, HDMA_MSI_STOP_LO, HDMA_SETUP_ABORT_MASK, HDMA_SETUP_LAIE, HDMA_SETUP_LSIE,
  HDMA_SETUP_RAIE, HDMA_SETUP_RSIE, HDMA_SETUP_STOP_MASK, V0_CH_CONTROL1, V0_CTRL1_LIE, V0_CTRL1_RIE, V0_DIR,
  v0ImwrDataReg, v0IntAbort, v0IntDone,
} from './regs';

export class EdmaInterrupts {
  private readonly events: EdmaInterruptEvent[] = [];
  private flushing = false;

  constructor(
    private readonly regs: Buffer,
    private readonly hdma: boolean,
    /** Where an IMWr is written (the PCIe side). */
    private readonly remote: AddressSpace,
    private readonly onInterrupt: (ev: EdmaInterruptEvent) => void,
  ) {}

  /** Whether events wait for flush(). */
  pending(): boolean {
    return this.events.length > 0;
  }

  /** Drops the queued events (engine reset). */
  clear(): void {
    this.events.length = 0;
  }

  /** DONE / STOP: status latches; local event unless masked; IMWr per RIE (eDMA) / remote enable (HDMA). */
  raiseDone(c: Channel): void {
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

  /**
   * ABORT: status (and the err_status lane of `err`) latches; the local event whenever ABORT is
   * unmasked (in LL mode the element's LIE only enables DONE); the IMWr to abort_imwr when the
   * channel's linked_list_err_en bit is set (LL mode; D.4 step 3) or ch_control1 RIE is set (non-LL).
   */
  raiseAbort(c: Channel, err: number): void {
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

  private read64(atLo: number, atHi: number): bigint {
    return (BigInt(this.regs.readUInt32LE(atHi)) << 32n) | BigInt(this.regs.readUInt32LE(atLo));
  }

  /** chXY_imwr_data: even channel bits 15:0, odd channel bits 31:16 (D.2). */
  private imwrData(c: Channel): number {
    const { offset, shift } = v0ImwrDataReg(c.dir, c.ch);
    return (this.regs.readUInt32LE(offset) >>> shift) & 0xffff;
  }

  private pushImwr(c: Channel, status: 'done' | 'abort', address: bigint, data: number): void {
    if (address === 0n) return; // no MSI programmed (see the engine.ts header)
    this.events.push({ kind: 'remote-imwr', dir: c.dir, ch: c.ch, status, address, data });
  }

  /** Delivers queued events in order: an IMWr is first written into `remote`, then reported. */
  flush(): void {
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
