/**
 * Register semantics of the engine's MMIO window: what a 32-bit write to each eDMA v0 (D.2, D.4)
 * or HDMA native (D.5) register does — read-only registers, int_clear, engine/channel enables,
 * doorbells, the legacy viewport onto the per-channel contexts. Channel state changes (doorbell
 * accepted, abort) are left to the engine through `ChannelControl`.
 */
import { type Channel, ERR_NONE, IDLE } from './channel';
import {
  HDMA_CH_EN, HDMA_CH_EN_BIT, HDMA_CH_STAT, HDMA_CH_STRIDE, HDMA_CTX_SIZE, HDMA_DOORBELL, HDMA_DOORBELL_START,
  HDMA_INT_ABORT, HDMA_INT_CLEAR, HDMA_INT_STAT, HDMA_INT_STOP, HDMA_INT_WATERMARK, HDMA_RD_OFFSET, V0_CH_CONTROL1,
  V0_CH_CTX_SIZE, V0_CH_PWR_EN, V0_CTRL, V0_CTRL1_CS_MASK, V0_DIR, V0_DOORBELL_CH_MASK, V0_DOORBELL_STOP,
  V0_ENGINE_EN, V0_INT_ABORT_MASK, V0_INT_DONE_MASK, V0_LEGACY_CTX, V0_RD_ERR_STATUS, V0_UNROLL_CH_BASE,
  V0_UNROLL_CH_STRIDE, V0_UNROLL_RD_OFFSET, V0_VIEWPORT_CH_MASK, V0_VIEWPORT_READ, V0_VIEWPORT_SEL,
  V0_WR_CH_PWR_EN, type EdmaDir, type EdmaMapFormat,
} from './regs';

/** What a register write may do to the channels (the engine provides it). */
export interface ChannelControl {
  channelCount(dir: EdmaDir): number;
  chan(dir: EdmaDir, ch: number): Channel;
  /** An accepted doorbell: start the channel unless it is already running. */
  ring(c: Channel): void;
  abort(c: Channel, reason: string, err: number): void;
}

export class EdmaRegisterWindow {
  private readonly hdma: boolean;
  private readonly legacy: boolean;
  private readonly compat: boolean;

  constructor(private readonly regs: Buffer, mapFormat: EdmaMapFormat, private readonly control: ChannelControl) {
    this.hdma = mapFormat === 'hdma-native';
    this.legacy = mapFormat === 'legacy';
    this.compat = mapFormat === 'hdma-compat';
  }

  /** The register window with the viewport showing the selected channel's context (legacy, D.2). */
  syncViewport(): void {
    if (!this.legacy) return;
    const c = this.viewportChannel();
    if (c) c.buf.copy(this.regs, V0_LEGACY_CTX, c.base, c.base + V0_CH_CTX_SIZE);
    else this.regs.fill(0, V0_LEGACY_CTX, V0_LEGACY_CTX + V0_CH_CTX_SIZE);
  }

  /** A word-aligned offset inside the window. */
  read32(off: number): number {
    if (this.legacy && off >= V0_LEGACY_CTX && off < V0_LEGACY_CTX + V0_CH_CTX_SIZE) {
      const c = this.viewportChannel();
      return c ? c.buf.readUInt32LE(c.base + off - V0_LEGACY_CTX) : 0;
    }
    return this.regs.readUInt32LE(off);
  }

  /** A word-aligned offset inside the window. */
  write32(off: number, v: number): void {
    if (this.hdma) this.writeHdma(off, v);
    else this.writeV0(off, v);
  }

  // -------------------------------------------------------------------------------------------
  // eDMA v0 (D.2, D.4)
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
      if (ch < this.control.channelCount(dir) && field < V0_CH_CTX_SIZE) this.writeCtxV0(this.control.chan(dir, ch), field, v);
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
      if (this.compat && was && !(v & V0_CH_PWR_EN) && ch < this.control.channelCount(dir)) {
        const c = this.control.chan(dir, ch);
        if (c.phase !== IDLE) this.control.abort(c, 'channel power disabled (ch_pwr_en = 0) while the channel was running', ERR_NONE);
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
    return ch < this.control.channelCount(dir) ? this.control.chan(dir, ch) : undefined;
  }

  private doorbellV0(dir: EdmaDir, v: number): void {
    const ch = v & V0_DOORBELL_CH_MASK;
    if (ch >= this.control.channelCount(dir)) return;
    const c = this.control.chan(dir, ch);
    if (v & V0_DOORBELL_STOP) {
      // Databook STOP (bit 31, unused by Linux): halt the channel — modelled as an abort.
      if (c.phase !== IDLE) this.control.abort(c, 'stopped by doorbell bit 31 (STOP)', ERR_NONE);
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
  // HDMA native (D.5)
  // -------------------------------------------------------------------------------------------

  private writeHdma(off: number, v: number): void {
    const r = this.regs;
    const ch = Math.floor(off / HDMA_CH_STRIDE);
    const inner = off % HDMA_CH_STRIDE;
    const dir: EdmaDir = inner >= HDMA_RD_OFFSET ? 'read' : 'write';
    const field = inner % HDMA_CTX_SIZE;
    if (ch >= this.control.channelCount(dir)) {
      r.writeUInt32LE(v, off);
      return;
    }
    const c = this.control.chan(dir, ch);
    switch (field) {
      case HDMA_CH_EN: {
        const was = r.readUInt32LE(off) & HDMA_CH_EN_BIT;
        r.writeUInt32LE(v, off);
        if (was && !(v & HDMA_CH_EN_BIT) && c.phase !== IDLE) this.control.abort(c, 'channel disabled (ch_en = 0) while running', ERR_NONE);
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

  /** Doorbell accepted only with the engine (HDMA-compat: and ch_pwr_en; HDMA: ch_en) enabled (D.4, D.5). */
  private enabled(c: Channel): boolean {
    if (this.hdma) return (this.regs.readUInt32LE(c.base + HDMA_CH_EN) & HDMA_CH_EN_BIT) !== 0;
    if (!(this.regs.readUInt32LE(V0_DIR[c.dir].engineEn) & V0_ENGINE_EN)) return false;
    if (this.compat) return (this.regs.readUInt32LE(V0_DIR[c.dir].chPwrEn + 4 * c.ch) & V0_CH_PWR_EN) !== 0;
    return true;
  }

  /** A doorbell: counted as ignored with the engine or channel disabled, else handed to the engine. */
  private ring(c: Channel): void {
    if (this.enabled(c)) this.control.ring(c);
    else c.ignoredDoorbells++;
  }

  private haltDirection(dir: EdmaDir, reason: string): void {
    for (let ch = 0; ch < this.control.channelCount(dir); ch++) {
      const c = this.control.chan(dir, ch);
      if (c.phase !== IDLE) this.control.abort(c, reason, ERR_NONE);
    }
  }
}
