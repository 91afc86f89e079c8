/** Address resolution for the engine's hot path: element fetches and data copies (engine.ts). */
import type { AddressSpace, Region } from '../memory';

/** 2^32: the weight of the hi word of a hi:lo register pair. */
export const TWO32 = 4294967296;
const EMPTY = Buffer.alloc(0);

/**
 * Resolves [addr, addr+len) in an address space, remembering the last region so consecutive
 * elements in the same region cost a few number compares instead of BigInt arithmetic. The cached
 * region is revalidated against the space's region list (same length, same object at the same
 * index), so adding/removing regions is noticed.
 */
export class RegionCache {
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
