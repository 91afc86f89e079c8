/**
 * The state of one eDMA/HDMA channel: where its register context lives, where its linked-list
 * walk stands (phase), the interrupt it owes, and its statistics (engine.ts drives it).
 */
import type { AddressSpace } from '../memory';
import type { EdmaChannelStatus } from './engine-types';
import type { IrqMode } from './ll-builder';
import { RegionCache } from './region-cache';
import type { EdmaDir } from './regs';

/** Channel phases: not running, doorbell accepted, following link elements, at a data element. */
export const IDLE = 0;
export const PENDING = 1;
export const SEEK = 2;
export const READY = 3;

/** Which err_status lane an abort sets: none, LL fetch, local (EP) data, PCIe-side data. */
export const ERR_NONE = 0;
export const ERR_LL = 1;
export const ERR_LOCAL = 2;
export const ERR_REMOTE = 3;

export class Channel {
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
