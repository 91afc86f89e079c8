/**
 * Memory references for DAP readMemory/writeMemory (vscode-anchors 3.4: a `memoryReference` on a
 * variable turns on VS Code's binary view). A reference is a stable string naming an address
 * space and a base address, so it survives stops, steps back and the hex editor's re-reads:
 *   `ep:<controller>:0x…`   the endpoint's local bus (DRAM, BAR backing, LL regions, eDMA MMIO)
 *   `host:0x…`              host DRAM (transfer buffers, the MSI doorbell)
 *   `bar:0x…`               host MMIO: BARs as the host sees them (through the iATU)
 *   `blob:<function path>`  a pci_epf_dma function's metadata BAR memory; before `start = 1` puts
 *                           it on the EP bus, the bytes bind wrote (read-only)
 * Unmapped bytes are reported as `unreadableBytes` (DAP ReadMemoryResponse), never invented.
 */
import type { SteppedEmulation } from '../emulator/emulate';
import type { AddressSpace, Region } from '../emulator/memory';
import { dmaPlans } from '../emulator/epf/dma';
import { encodeMetadata } from '../emulator/metadata/codec';

export type MemTarget =
  | { kind: 'ep'; epc: string; base: bigint }
  | { kind: 'host'; base: bigint }
  | { kind: 'bar'; base: bigint }
  | { kind: 'blob'; fn: string };

export function memRef(t: MemTarget): string {
  switch (t.kind) {
    case 'ep': return `ep:${t.epc}:0x${t.base.toString(16)}`;
    case 'host': return `host:0x${t.base.toString(16)}`;
    case 'bar': return `bar:0x${t.base.toString(16)}`;
    case 'blob': return `blob:${t.fn}`;
  }
}

const ADDR = /^0x[0-9a-f]+$/i;

export function parseMemRef(ref: string): MemTarget | undefined {
  const i = ref.indexOf(':');
  if (i < 0) return undefined;
  const kind = ref.slice(0, i);
  const rest = ref.slice(i + 1);
  if (kind === 'blob') return rest ? { kind, fn: rest } : undefined;
  if (kind === 'host' || kind === 'bar') return ADDR.test(rest) ? { kind, base: BigInt(rest) } : undefined;
  if (kind === 'ep') {
    const j = rest.lastIndexOf(':');
    const addr = rest.slice(j + 1);
    return j > 0 && ADDR.test(addr) ? { kind, epc: rest.slice(0, j), base: BigInt(addr) } : undefined;
  }
  return undefined;
}

export interface MemoryRead {
  /** Address of the first byte asked for. */
  address: bigint;
  data: Buffer;
  /** Unreadable bytes right after `data` (DAP: how many to skip before a later read can succeed). */
  unreadable: number;
}

export class MemoryError extends Error {}

/** Bytes of one region, MMIO through aligned 32-bit reads (the register file has no byte lanes). */
function regionBytes(r: Region, offset: number, n: number): Buffer {
  if (!r.mmio) return r.bytes().subarray(offset, offset + n);
  const start = offset & ~3;
  const end = Math.min(r.size, (offset + n + 3) & ~3);
  const out = Buffer.alloc(end - start);
  for (let o = start; o + 4 <= end; o += 4) out.writeUInt32LE(r.mmio.read32(o) >>> 0, o - start);
  return out.subarray(offset - start, offset - start + n);
}

function regionAt(space: AddressSpace, addr: bigint): Region | undefined {
  return space.resolve(addr, 1)?.region;
}

function nextRegion(space: AddressSpace, addr: bigint): Region | undefined {
  return space.list().find((r) => r.base > addr);
}

/** Reads up to `count` bytes at `addr`, stopping at the first unmapped byte. */
export function readSpace(space: AddressSpace, addr: bigint, count: number): MemoryRead {
  const parts: Buffer[] = [];
  let at = addr;
  let left = count;
  while (left > 0) {
    const r = regionAt(space, at);
    if (!r) break;
    const offset = Number(at - r.base);
    const n = Math.min(left, r.size - offset);
    parts.push(regionBytes(r, offset, n));
    at += BigInt(n);
    left -= n;
  }
  let unreadable = 0;
  if (left > 0) {
    const next = nextRegion(space, at);
    unreadable = next ? Math.min(left, Number(next.base - at)) : left;
  }
  return { address: addr, data: parts.length === 1 ? parts[0] : Buffer.concat(parts), unreadable };
}

/** Bytes from `addr` that are mapped, up to `count`. */
function mappedLength(space: AddressSpace, addr: bigint, count: number): number {
  let at = addr;
  let done = 0;
  while (done < count) {
    const r = regionAt(space, at);
    if (!r) break;
    const n = Math.min(count - done, r.size - Number(at - r.base));
    done += n;
    at += BigInt(n);
  }
  return done;
}

/** Writes bytes; partial MMIO words are read-modify-written so neighbouring bytes keep their values. */
export function writeSpace(space: AddressSpace, addr: bigint, data: Uint8Array, allowPartial: boolean): number {
  const n = mappedLength(space, addr, data.length);
  if (n < data.length && !allowPartial) {
    throw new MemoryError(`${data.length - n} of the ${data.length} bytes at 0x${(addr + BigInt(n)).toString(16)} are not mapped in ${space.name}; nothing was written`);
  }
  let at = addr;
  let done = 0;
  while (done < n) {
    const r = regionAt(space, at)!;
    const offset = Number(at - r.base);
    const len = Math.min(n - done, r.size - offset);
    const chunk = data.subarray(done, done + len);
    if (r.mmio) {
      const start = offset & ~3;
      const end = Math.min(r.size, (offset + len + 3) & ~3);
      const words = Buffer.from(regionBytes(r, start, end - start));
      words.set(chunk, offset - start);
      for (let o = 0; o + 4 <= words.length; o += 4) r.mmio.write32(start + o, words.readUInt32LE(o));
    } else {
      r.bytes().set(chunk, offset);
    }
    done += len;
    at += BigInt(len);
  }
  return n;
}

interface Resolved {
  space?: AddressSpace;
  base: bigint;
  /** Readable length from `base`, for bounded references (the blob). */
  limit?: number;
  /** Bytes to serve when the memory is not on any bus yet (the blob before start). */
  detached?: Buffer;
}

function resolveTarget(emu: SteppedEmulation, t: MemTarget): Resolved {
  const sys = emu.system;
  switch (t.kind) {
    case 'host': return { space: sys.hostMem, base: t.base };
    case 'bar': return { space: sys.hostMmio, base: t.base };
    case 'ep': {
      const ep = sys.eps.get(t.epc);
      if (!ep) throw new MemoryError(`the endpoint bus of ${t.epc} does not exist yet: the emulator builds it at start = 1`);
      return { space: ep.bus, base: t.base };
    }
    case 'blob': {
      const epf = emu.replay.state.functions.get(t.fn);
      const plan = epf ? dmaPlans.get(epf) : undefined;
      if (!epf || !plan) throw new MemoryError(`${t.fn} has no metadata BAR (it is not a bound pci_epf_dma function)`);
      const link = epf.links.primary ?? epf.links.secondary;
      const ep = link ? sys.eps.get(link.epc) : undefined;
      const limit = plan.layout.metadata.memSize;
      if (ep?.backings.has(plan.metadataPhys)) return { space: ep.bus, base: plan.metadataPhys, limit };
      // Not materialised yet: dma_alloc_coherent memory is zeroed, then bind wrote the blob (seed-series 6.3).
      const enc = encodeMetadata(plan.layout.blob);
      const bytes = Buffer.alloc(limit);
      if (enc.ok) enc.bytes.copy(bytes, 0);
      return { base: plan.metadataPhys, limit, detached: bytes };
    }
  }
}

export function readMemory(emu: SteppedEmulation, ref: string, offset: number, count: number): MemoryRead {
  const t = parseMemRef(ref);
  if (!t) throw new MemoryError(`unknown memory reference '${ref}'`);
  const r = resolveTarget(emu, t);
  const addr = r.base + BigInt(offset);
  if (r.limit !== undefined && (offset < 0 || offset + count > r.limit)) {
    // Bounded references: bytes outside [0, limit) are unreadable (the BAR ends there).
    const from = Math.max(0, Math.min(offset, r.limit));
    const to = Math.max(from, Math.min(offset + count, r.limit));
    if (offset < 0 || from >= r.limit) return { address: addr, data: Buffer.alloc(0), unreadable: count };
    const inner = readBounded(r, from, to - from);
    return { address: addr, data: inner.data, unreadable: inner.unreadable + (count - (to - from)) };
  }
  return readBounded(r, offset, count);
}

function readBounded(r: Resolved, offset: number, count: number): MemoryRead {
  const addr = r.base + BigInt(offset);
  if (r.detached) return { address: addr, data: r.detached.subarray(offset, offset + count), unreadable: 0 };
  return readSpace(r.space!, addr, count);
}

export function writeMemory(emu: SteppedEmulation, ref: string, offset: number, data: Uint8Array, allowPartial = false): number {
  const t = parseMemRef(ref);
  if (!t) throw new MemoryError(`unknown memory reference '${ref}'`);
  const r = resolveTarget(emu, t);
  if (r.detached) throw new MemoryError('the metadata BAR has no memory on the endpoint bus yet (it is materialised at start = 1); step past start = 1 to edit it');
  if (r.limit !== undefined && (offset < 0 || offset + data.length > r.limit)) {
    if (!allowPartial || offset < 0 || offset >= r.limit) throw new MemoryError(`the write runs past the end of the metadata BAR memory (0x${r.limit.toString(16)} bytes)`);
    data = data.subarray(0, r.limit - offset);
  }
  return writeSpace(r.space!, r.base + BigInt(offset), data, allowPartial);
}
