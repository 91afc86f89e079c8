/**
 * EPC core helpers over `struct pci_epc_features`: free-BAR selection (kernel-background C.2) and
 * BAR space sizing (C.4), shared by every endpoint function model.
 */
import type { BarDesc, EpcFeatures } from '../../language/profiles/types';

export const NO_BAR = -1;

/** Types an EPF may never program (newer kernels also skip 64BIT_UPPER and DISABLED; C.2). */
export function isUsableBar(desc: BarDesc): boolean {
  return desc.type !== 'reserved' && desc.type !== '64bit-upper' && desc.type !== 'disabled';
}

/**
 * pci_epc_get_next_free_bar(features, bar): the first usable BAR at or after `bar`, stepping past
 * the upper half of an only_64bit BAR; NO_BAR when none is left (kernel-background C.2).
 */
export function nextFreeBar(features: EpcFeatures, bar: number): number {
  if (bar > 0 && features.bars[bar - 1]?.only64bit) bar++;
  for (let i = bar; i < 6; i++) {
    if (isUsableBar(features.bars[i])) return i;
  }
  return NO_BAR;
}

export const firstFreeBar = (features: EpcFeatures): number => nextFreeBar(features, 0);

export type AllocResult = { ok: true; size: number; memSize: number; is64: boolean } | { ok: false; errno: 'ENOMEM'; log: string };

function roundupPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * pci_epf_alloc_space() sizing rules of mainline ≥ ~v6.16 (kernel-background C.4): minimum 128
 * bytes, resizable BARs at least 1 MiB, fixed BARs take their fixed size (larger requests fail),
 * otherwise the next power of two; backing memory is that size aligned up to `align`.
 */
export function allocSpace(features: EpcFeatures, bar: number, requested: number): AllocResult {
  const desc = features.bars[bar];
  let size = Math.max(requested, 128);
  if (desc.type === 'resizable' && size < 1024 * 1024) size = 1024 * 1024;
  if (desc.type === 'fixed' && desc.fixedSize) {
    if (size > desc.fixedSize) return { ok: false, errno: 'ENOMEM', log: 'requested BAR size is larger than fixed size' };
    size = desc.fixedSize;
  } else {
    size = roundupPow2(size);
  }
  const align = features.align;
  const memSize = align ? Math.ceil(size / align) * align : size;
  const is64 = size >= 2 ** 32 || !!desc.only64bit;
  return { ok: true, size, memSize, is64 };
}
