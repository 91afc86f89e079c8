/**
 * Byte-addressed memory for the emulator: real Buffers behind address ranges. The endpoint's
 * local bus (DRAM, the eDMA register window, BAR backing memory) and the host's memory are each
 * an AddressSpace; DMA engines move bytes with Buffer.copy between the resolved backing stores,
 * so emulated transfers run close to memcpy speed.
 */

export interface Region {
  name: string;
  base: bigint;
  size: number;
  /** Backing bytes (allocated lazily, zero-filled, like dma_alloc_coherent memory). */
  bytes(): Buffer;
  /** MMIO regions route accesses to a device model instead of plain bytes. */
  mmio?: Mmio;
}

/** A device register file: 32-bit little-endian accesses at offsets inside its region. */
export interface Mmio {
  read32(offset: number): number;
  write32(offset: number, value: number): void;
}

/** Where an access landed: the region and the offset of the first byte inside it. */
export interface Resolved {
  region: Region;
  offset: number;
}

/**
 * Robustness (docs/robustness.md): the most bytes one region is backed with (emulator limit). A
 * file can ask for BARs Node cannot even allocate (`align = 16G`, huge 64-bit BAR sizes: Buffer
 * throws a RangeError past 4 GiB) or that cost gigabytes of address space per emulation, re-run on
 * every edit. Such a region is backed up to 1 GiB; accesses past that abort like unmapped memory.
 * Backing is allocated lazily, and untouched zero pages cost no resident memory.
 */
export const MAX_REGION_BYTES = 2 ** 30;

export class AddressSpace {
  private readonly regions: Region[] = [];
  /**
   * Regions that were not put on the bus because they overlap one already there (see `add`), as
   * "name overlaps other" lines. Empty in every well-formed run.
   */
  readonly conflicts: string[] = [];

  constructor(readonly name: string) {}

  /** Adds plain memory (see `add` for overlaps and MAX_REGION_BYTES for the size). */
  addRam(name: string, base: bigint, size: number): Region {
    let buf: Buffer | undefined;
    const backed = Math.min(size, MAX_REGION_BYTES);
    return this.add({ name, base, size: backed, bytes: () => (buf ??= Buffer.alloc(backed)) });
  }

  /** Adds memory that is already backed by a buffer (e.g. a BAR's allocation seen from elsewhere). */
  addAlias(name: string, base: bigint, buf: Buffer): Region {
    return this.add({ name, base, size: buf.length, bytes: () => buf });
  }

  addMmio(name: string, base: bigint, size: number, mmio: Mmio): Region {
    let buf: Buffer | undefined;
    const backed = Math.min(size, MAX_REGION_BYTES);
    return this.add({ name, base, size: backed, mmio, bytes: () => (buf ??= Buffer.alloc(backed)) });
  }

  /**
   * Puts `r` on the bus. A region overlapping one already there is returned but left off the bus
   * (recorded in `conflicts`): the first region keeps the addresses. Robustness
   * (docs/robustness.md): this used to throw, and overrides in a file (`edma-reg-phys`,
   * `edma-ll-size`, `align`, huge BARs) can place regions on top of each other, which made the
   * whole emulation (and every editor feature) fail.
   */
  private add(r: Region): Region {
    for (const o of this.regions) {
      if (r.base < o.base + BigInt(o.size) && o.base < r.base + BigInt(r.size)) {
        this.conflicts.push(`${r.name} overlaps ${o.name}`);
        return r;
      }
    }
    this.regions.push(r);
    this.regions.sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
    return r;
  }

  remove(region: Region): void {
    const i = this.regions.indexOf(region);
    if (i >= 0) this.regions.splice(i, 1);
  }

  list(): readonly Region[] {
    return this.regions;
  }

  /** The region holding [addr, addr+len) entirely, or undefined (an access that would abort). */
  resolve(addr: bigint, len: number): Resolved | undefined {
    if (addr < 0n) return undefined;
    let lo = 0;
    let hi = this.regions.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.regions[mid];
      if (addr < r.base) hi = mid - 1;
      else if (addr >= r.base + BigInt(r.size)) lo = mid + 1;
      else {
        const offset = Number(addr - r.base);
        return offset + len <= r.size ? { region: r, offset } : undefined;
      }
    }
    return undefined;
  }

  read32(addr: bigint): number | undefined {
    const r = this.resolve(addr, 4);
    if (!r) return undefined;
    return r.region.mmio ? r.region.mmio.read32(r.offset) >>> 0 : r.region.bytes().readUInt32LE(r.offset);
  }

  write32(addr: bigint, value: number): boolean {
    const r = this.resolve(addr, 4);
    if (!r) return false;
    if (r.region.mmio) r.region.mmio.write32(r.offset, value >>> 0);
    else r.region.bytes().writeUInt32LE(value >>> 0, r.offset);
    return true;
  }

  read(addr: bigint, len: number): Buffer | undefined {
    const r = this.resolve(addr, len);
    if (!r) return undefined;
    if (r.region.mmio) {
      const out = Buffer.alloc(len);
      for (let i = 0; i + 4 <= len; i += 4) out.writeUInt32LE(r.region.mmio.read32(r.offset + i) >>> 0, i);
      return out;
    }
    return r.region.bytes().subarray(r.offset, r.offset + len);
  }

  write(addr: bigint, data: Uint8Array): boolean {
    const r = this.resolve(addr, data.length);
    if (!r) return false;
    if (r.region.mmio) {
      const b = Buffer.from(data.buffer, data.byteOffset, data.length);
      for (let i = 0; i + 4 <= data.length; i += 4) r.region.mmio.write32(r.offset + i, b.readUInt32LE(i));
      return true;
    }
    r.region.bytes().set(data, r.offset);
    return true;
  }
}

/**
 * Copies `len` bytes between two address spaces (a DMA data element). Returns false, copying
 * nothing, when either side is not backed by plain memory over its whole length — the bus error
 * that makes a DMA channel abort.
 */
export function dmaCopy(src: AddressSpace, srcAddr: bigint, dst: AddressSpace, dstAddr: bigint, len: number): boolean {
  if (len === 0) return true;
  const s = src.resolve(srcAddr, len);
  const d = dst.resolve(dstAddr, len);
  if (!s || !d || s.region.mmio || d.region.mmio) return false;
  s.region.bytes().copy(d.region.bytes(), d.offset, s.offset, s.offset + len);
  return true;
}
