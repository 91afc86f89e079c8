/**
 * The host's view of an endpoint function's BARs: each assigned BAR is a window whose accesses the
 * endpoint's inbound iATU translates to EP bus addresses — the whole BAR to its backing memory in
 * BAR-match mode, or subrange by subrange once the window BAR is re-programmed with submaps
 * (kernel-background E.2, C.1). Accesses that translate nowhere complete as all-ones reads and
 * dropped writes, as an Unsupported Request does on PCIe.
 */
import type { AddressSpace, Mmio } from '../memory';
import type { ProgrammedBar } from '../epc/set-bar';
import type { RsvdRegion } from '../../language/profiles/types';

export type Translate = (offset: number) => bigint | undefined;

/** Offset inside a programmed BAR → EP bus address, following the BAR's current programming. */
export function programmedTranslate(bar: () => ProgrammedBar | undefined): Translate {
  return (offset) => {
    const b = bar();
    if (!b || offset >= b.size) return undefined;
    if (!b.submaps) return b.phys + BigInt(offset);
    let base = 0;
    for (const s of b.submaps) {
      if (offset < base + s.size) return s.phys + BigInt(offset - base);
      base += s.size;
    }
    return undefined;
  };
}

/** A reserved (hardware-backed) BAR: only its described subregions decode (seed-series 2.1). */
export function reservedTranslate(regions: readonly RsvdRegion[], dmaCtrlPhys: bigint | undefined, ramPhys: (r: RsvdRegion) => bigint | undefined): Translate {
  return (offset) => {
    for (const r of regions) {
      if (offset < r.offset || offset >= r.offset + r.size) continue;
      const base = r.type === 'dma-ctrl-mmio' ? dmaCtrlPhys : ramPhys(r);
      return base === undefined ? undefined : base + BigInt(offset - r.offset);
    }
    return undefined;
  };
}

/** MMIO proxy that forwards 32-bit accesses through `translate` into the EP bus. */
export function barProxy(ep: AddressSpace, translate: Translate): Mmio {
  return {
    read32(offset) {
      const a = translate(offset);
      const v = a === undefined ? undefined : ep.read32(a);
      return v === undefined ? 0xffff_ffff : v;
    },
    write32(offset, value) {
      const a = translate(offset);
      if (a !== undefined) ep.write32(a, value);
    },
  };
}
