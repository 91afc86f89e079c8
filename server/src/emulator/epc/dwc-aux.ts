/**
 * DesignWare EPC backend: the auxiliary resources it publishes (seed-series 2.3) and DMA channel
 * delegation (seed-series 3, 4.1). Pure functions of the platform profile plus the per-controller
 * delegation table.
 */
import type { MapFormat, Profile } from '../../language/profiles/types';
import type { KernelRevision } from '../../language/platform';
import { NO_BAR } from './features';

export type AuxDir = 'ep-to-rc' | 'rc-to-ep';

export type AuxResource =
  | { type: 'dma-ctrl-mmio'; phys: bigint; size: number; bar: number; barOffset: number;
      regLayout: 'dw-edma'; mapFormat: MapFormat; epToRcChCnt: number; rcToEpChCnt: number }
  | { type: 'dma-chan'; dir: AuxDir; hwCh: number; descMemId: number; bar: number; barOffset: 0; phys: 0n; size: 0 }
  | { type: 'dma-desc-mem'; id: number; phys: bigint; size: number; bar: number; barOffset: 0 }
  | { type: 'doorbell-mmio'; phys: bigint; size: 4; bar: number; barOffset: number; data: 0 };

/**
 * Where the emulated endpoint's coherent allocator places the per-channel LL regions. The kernel's
 * dma_alloc_coherent addresses are arbitrary; the emulator uses one deterministic pool (the
 * seed-series 1.7 worked example's 0x4_1000_0000), write channels first, then read channels.
 */
export const LL_POOL_BASE = 0x4_1000_0000n;

export function llRegionPhys(profile: Profile, dir: AuxDir, ch: number): bigint {
  const index = dir === 'ep-to-rc' ? ch : profile.edma.wrChannels + ch;
  return LL_POOL_BASE + BigInt(index * profile.edma.llRegionSize);
}

export type AuxQuery = { ok: true; resources: AuxResource[] } | { ok: false; errno: string; reason: string };

/** The reserved DMA_CTRL_MMIO subregion behind a BAR, if the platform describes one (seed-series 2.1). */
function dmaCtrlRegion(profile: Profile): { bar: number; offset: number; size: number } | undefined {
  for (let bar = 0; bar < 6; bar++) {
    const r = profile.features.bars[bar].rsvdRegions?.find((x) => x.type === 'dma-ctrl-mmio');
    if (r) return { bar, offset: r.offset, size: r.size };
  }
  return undefined;
}

/**
 * pci_epc_get_aux_resources_count + pci_epc_get_aux_resources on a DWC EP (seed-series 2.3),
 * in the exact order and with the exact ids the backend writes them.
 */
export function getAuxResources(profile: Profile, funcNo: number, vfuncNo: number, kernel: KernelRevision): AuxQuery {
  const e = profile.edma;
  // No integrated register window: count 0, before any VF check (edge case E15).
  if (!e.present || e.regSize === 0) return { ok: true, resources: [] };
  if (vfuncNo !== 0) return { ok: false, errno: 'EOPNOTSUPP', reason: 'DMA/HDMA registers cannot be assigned to a virtual function' };
  // v3 only exposed the eDMA to PF0 (seed-series 4.1; the errno is not in the retrieved text).
  if (kernel === 'v3' && funcNo !== 0) return { ok: false, errno: 'EOPNOTSUPP', reason: 'v3 exposes the eDMA only to physical function 0 (errno unverified)' };
  const resources: AuxResource[] = [];
  const rsvd = dmaCtrlRegion(profile);
  const ctrlSize = rsvd && rsvd.size < e.regSize ? rsvd.size : e.regSize;
  if (e.providerRegistered) {
    // Non-LL providers make the whole query fail, hiding the doorbell too (edge case E1).
    if (e.llRegionSize === 0) return { ok: false, errno: 'EOPNOTSUPP', reason: 'the eDMA provider runs without linked-list regions (non-LL), which the aux-resource ABI cannot describe' };
    resources.push({
      type: 'dma-ctrl-mmio', phys: e.regPhys, size: ctrlSize, bar: rsvd ? rsvd.bar : NO_BAR, barOffset: rsvd ? rsvd.offset : 0,
      regLayout: 'dw-edma', mapFormat: e.mapFormat, epToRcChCnt: e.wrChannels, rcToEpChCnt: e.rdChannels,
    });
    const add = (dir: AuxDir, count: number, idBase: number) => {
      for (let i = 0; i < count; i++) {
        resources.push({ type: 'dma-chan', dir, hwCh: i, descMemId: idBase + i, bar: NO_BAR, barOffset: 0, phys: 0n, size: 0 });
        resources.push({ type: 'dma-desc-mem', id: idBase + i, phys: llRegionPhys(profile, dir, i), size: e.llRegionSize, bar: NO_BAR, barOffset: 0 });
      }
    };
    add('ep-to-rc', e.wrChannels, 0);
    add('rc-to-ep', e.rdChannels, e.wrChannels);
  }
  if (e.doorbellOffset !== null) {
    if (e.doorbellOffset + 4 > ctrlSize) return { ok: false, errno: 'EINVAL', reason: `doorbell offset 0x${e.doorbellOffset.toString(16)} + 4 exceeds the register window (0x${ctrlSize.toString(16)})` };
    resources.push({
      type: 'doorbell-mmio', phys: e.regPhys + BigInt(e.doorbellOffset), size: 4,
      bar: rsvd ? rsvd.bar : NO_BAR, barOffset: rsvd ? rsvd.offset + e.doorbellOffset : 0, data: 0,
    });
  }
  return { ok: true, resources };
}

/** Key of a hardware channel in the per-controller delegation table. */
export function chanKey(dir: AuxDir, hwCh: number): string {
  return `${dir}:${hwCh}`;
}

/**
 * DWC delegate_dma_chan (seed-series 4.1 and the dw-edma helper of 4.3): reserve the hardware
 * channel for `owner` and route its interrupts to the remote side. Returns an errno or undefined.
 */
export function delegateDmaChan(profile: Profile, delegated: Map<string, string>, owner: string,
  vfuncNo: number, dir: AuxDir, hwCh: number): { errno: string; reason: string } | undefined {
  if (vfuncNo !== 0) return { errno: 'EOPNOTSUPP', reason: 'the register window exposed to the RC is PF-only' };
  if (!profile.edma.present || !profile.edma.providerRegistered) return { errno: 'ENODEV', reason: 'no local DW eDMA provider is registered' };
  const count = dir === 'ep-to-rc' ? profile.edma.wrChannels : profile.edma.rdChannels;
  if (hwCh >= count) return { errno: 'EINVAL', reason: `${dir === 'ep-to-rc' ? 'write' : 'read'} channel ${hwCh} does not exist (${count} present)` };
  const key = chanKey(dir, hwCh);
  const holder = delegated.get(key);
  if (holder !== undefined) return { errno: 'EBUSY', reason: `${dir === 'ep-to-rc' ? 'write' : 'read'} channel ${hwCh} is already delegated by ${holder}` };
  delegated.set(key, owner);
  return undefined;
}

export function reclaimDmaChan(delegated: Map<string, string>, owner: string, dir: AuxDir, hwCh: number): void {
  const key = chanKey(dir, hwCh);
  if (delegated.get(key) === owner) delegated.delete(key);
}
