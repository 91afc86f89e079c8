/**
 * pci_epc_set_bar / pci_epc_clear_bar: the core checks (kernel-background C.3) followed by the
 * DesignWare EP op (E.2): BAR-match inbound windows, dynamic re-programming of a configured BAR,
 * and Address-Match subrange windows (C.1 subrange_mapping). Pure data over the controller state.
 */
import type { EpcFeatures, IatuGeometry } from '../../language/profiles/types';

export interface BarSubrange {
  phys: bigint;
  size: number;
}

/** struct pci_epf_bar as handed to set_bar. */
export interface EpfBar {
  barno: number;
  size: number;
  is64: boolean;
  /** Backing memory (BAR-match mode target). */
  phys: bigint;
  submaps?: BarSubrange[];
}

/** What the DWC EP keeps per programmed BAR. */
export interface ProgrammedBar extends EpfBar {
  funcNo: number;
  /** Inbound iATU windows in use for this BAR (1 in BAR-match mode, one per subrange). */
  ibWindows: number;
  /** Address the host assigned at enumeration (read back from config space); undefined before. */
  hostAddr?: bigint;
}

export interface DwcBarState {
  bars: Map<string, ProgrammedBar>;
  ibWindowsUsed: number;
}

export function newDwcBarState(): DwcBarState {
  return { bars: new Map(), ibWindowsUsed: 0 };
}

const key = (funcNo: number, bar: number) => `${funcNo}:${bar}`;

export type SetBarResult = { ok: true } | { ok: false; errno: 'EINVAL'; reason: string; log?: string };

const MIB = 1024 * 1024;
const TIB = 1024 * 1024 * MIB;

function isPow2(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

/** The core's checks, in order (C.3). */
function coreChecks(features: EpcFeatures, b: EpfBar): SetBarResult {
  const desc = features.bars[b.barno];
  if (b.submaps && !(features.dynamicInboundMapping && features.subrangeMapping)) {
    return { ok: false, errno: 'EINVAL', reason: 'subrange mapping needs dynamic_inbound_mapping and subrange_mapping' };
  }
  if (desc.type === 'resizable' && (b.size < MIB || b.size > 128 * TIB)) {
    return { ok: false, errno: 'EINVAL', reason: `resizable BAR${b.barno} size must be 1 MiB..128 TiB, got ${b.size}` };
  }
  if (desc.type === 'fixed' && b.size !== desc.fixedSize) {
    return { ok: false, errno: 'EINVAL', reason: `fixed BAR${b.barno} is ${desc.fixedSize} bytes, got ${b.size}` };
  }
  if (!isPow2(b.size)) return { ok: false, errno: 'EINVAL', reason: `BAR${b.barno} size ${b.size} is not a power of two` };
  if (b.barno === 5 && b.is64) return { ok: false, errno: 'EINVAL', reason: 'BAR5 cannot be 64-bit' };
  if (b.size >= 4 * 1024 * MIB && !b.is64) return { ok: false, errno: 'EINVAL', reason: `BAR${b.barno} of ${b.size} bytes needs the 64-bit flag` };
  return { ok: true };
}

/** Subranges must be sorted, contiguous, cover the BAR and be multiples of the iATU minimum region (C.1). */
function checkSubranges(b: EpfBar, iatu: IatuGeometry): SetBarResult {
  let total = 0;
  for (const [i, s] of b.submaps!.entries()) {
    if (s.size === 0 || s.size % iatu.regionAlign !== 0) {
      return { ok: false, errno: 'EINVAL', reason: `subrange ${i} of BAR${b.barno} (${s.size} bytes) is not a multiple of the ${iatu.regionAlign}-byte iATU region`, log: `BAR${b.barno} submap ${i} size not aligned to iATU region` };
    }
    total += s.size;
  }
  if (total !== b.size) return { ok: false, errno: 'EINVAL', reason: `BAR${b.barno} subranges cover ${total} of ${b.size} bytes` };
  return { ok: true };
}

/**
 * pci_epc_set_bar on a DWC EP. Re-programming an existing BAR keeps its inbound window and the
 * host-assigned address (dynamic inbound mapping, commit 4284c88fff0e); size and flags must then
 * be unchanged.
 */
export function setBar(state: DwcBarState, features: EpcFeatures, iatu: IatuGeometry, funcNo: number, b: EpfBar): SetBarResult {
  const core = coreChecks(features, b);
  if (!core.ok) return core;
  if (b.is64 && b.barno % 2 !== 0) return { ok: false, errno: 'EINVAL', reason: `64-bit BAR${b.barno} must start on an even BAR`, log: 'BAR pairs cannot overlap' };
  const existing = state.bars.get(key(funcNo, b.barno));
  if (existing && (existing.size !== b.size || existing.is64 !== b.is64)) {
    return { ok: false, errno: 'EINVAL', reason: `BAR${b.barno} is already programmed with another size or flags` };
  }
  let windows = 1;
  if (b.submaps) {
    if (!existing?.hostAddr) {
      return { ok: false, errno: 'EINVAL', reason: `BAR${b.barno} has no host-assigned address yet`, log: `BAR${b.barno} not assigned, cannot set up sub-range mappings` };
    }
    const sub = checkSubranges(b, iatu);
    if (!sub.ok) return sub;
    windows = b.submaps.length;
  }
  const freed = existing?.ibWindows ?? 0;
  if (state.ibWindowsUsed - freed + windows > iatu.inbound) {
    return { ok: false, errno: 'EINVAL', reason: `no free inbound iATU window (${iatu.inbound} in all)`, log: 'No free inbound window' };
  }
  state.ibWindowsUsed += windows - freed;
  state.bars.set(key(funcNo, b.barno), { ...b, funcNo, ibWindows: windows, hostAddr: existing?.hostAddr });
  return { ok: true };
}

export function clearBar(state: DwcBarState, funcNo: number, barno: number): void {
  const existing = state.bars.get(key(funcNo, barno));
  if (!existing) return;
  state.ibWindowsUsed -= existing.ibWindows;
  state.bars.delete(key(funcNo, barno));
}

export function programmedBar(state: DwcBarState, funcNo: number, barno: number): ProgrammedBar | undefined {
  return state.bars.get(key(funcNo, barno));
}
