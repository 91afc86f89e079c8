/**
 * The endpoint's local bus for one controller: the per-channel LL pool, the eDMA register window
 * (a live engine), and the backing memory of every BAR an endpoint function allocated. Built from
 * the replayed state; regions appear as functions bind (pci_epf_alloc_space).
 */
import type { EpcState } from '../configfs/state';
import { AddressSpace, type Region } from '../memory';
import { LL_POOL_BASE } from '../epc/dwc-aux';
import { EdmaEngine, type EdmaInterruptEvent } from '../edma/engine';

/** EP memory the emulator hands to transfers whose `src`/`dst` the file leaves open. */
export const EP_XFER_BASE = 0x4_8000_0000n;

export interface EpBus {
  epc: EpcState;
  bus: AddressSpace;
  engine?: EdmaEngine;
  /** Backing regions by EP physical base, so each allocation is added once. */
  backings: Map<bigint, Region>;
  xferNext: bigint;
}

/** Largest register window the engine models with its own backing store (the rest of a larger window reads 0). */
export const MAX_MODELLED_REG_WINDOW = 16 * 1024 * 1024;

/**
 * Robustness (docs/robustness.md): the eDMA facts come from the profile, and a file may override
 * them (`edma-reg-size`). Before, `edma-reg-size = 0` (documented as "no register window") or any
 * window the engine cannot hold threw out of the emulator, and a 4 GiB window overflowed the
 * engine's register file. Now the engine keeps its own register file when the published window
 * cannot be modelled (the MMIO region still spans the published size; reads past the registers
 * return 0). Overlapping regions are handled by AddressSpace.add.
 */
function newEngine(e: EpcState['controller']['profile']['edma'], bus: AddressSpace, remote: AddressSpace, onInterrupt: (ev: EdmaInterruptEvent) => void): EdmaEngine | undefined {
  const opts = { mapFormat: e.mapFormat, wrChannels: e.wrChannels, rdChannels: e.rdChannels, local: bus, remote, onInterrupt };
  for (const windowSize of [e.regSize <= MAX_MODELLED_REG_WINDOW ? e.regSize : undefined, undefined]) {
    try {
      return new EdmaEngine({ ...opts, windowSize });
    } catch {
      // Not a window the engine can model: try its own register file, else no engine at all.
    }
  }
  return undefined;
}

export function buildEpBus(epc: EpcState, remote: AddressSpace, onInterrupt: (ev: EdmaInterruptEvent) => void): EpBus {
  const bus = new AddressSpace(`ep:${epc.name}`);
  const e = epc.controller.profile.edma;
  let engine: EdmaEngine | undefined;
  if (e.present) {
    const ll = (e.wrChannels + e.rdChannels) * e.llRegionSize;
    if (ll > 0) bus.addRam('LL regions', LL_POOL_BASE, ll);
    engine = newEngine(e, bus, remote, onInterrupt);
    if (engine) bus.addMmio('eDMA registers', e.regPhys, e.regSize, engine);
  }
  return { epc, bus, engine, backings: new Map(), xferNext: EP_XFER_BASE };
}

/** Makes sure `size` bytes at `phys` are backed (a BAR's dma_alloc_coherent memory). */
export function ensureBacking(ep: EpBus, name: string, phys: bigint, size: number): Region {
  let r = ep.backings.get(phys);
  if (!r) {
    r = ep.bus.addRam(name, phys, size);
    ep.backings.set(phys, r);
  }
  return r;
}

/** A buffer in EP memory for a transfer (the EP-side client's buffer in a real system). */
export function allocEpBuffer(ep: EpBus, size: number): bigint {
  const addr = ep.xferNext;
  ep.bus.addRam(`transfer buffer @0x${addr.toString(16)}`, addr, size);
  ep.xferNext = addr + BigInt(Math.ceil(size / 0x10000) * 0x10000 + 0x10000);
  return addr;
}
