/**
 * pci_epf_dma BAR layout (seed-series 6.3, v4): the metadata BAR (blob, then the MSI-X table and
 * PBA), and the DMA window BAR whose subranges map the eDMA register window and the channels'
 * descriptor (LL) memory. Pure data: addresses and sizes; the emulator materialises the bytes.
 */
import type { EpcFeatures } from '../../language/profiles/types';
import { MAP_FORMAT_VALUE } from '../../language/profiles/types';
import type { AuxDir, AuxResource } from '../epc/dwc-aux';
import { allocSpace, NO_BAR } from '../epc/features';
import type { PedmChannel, PedmMetadata } from '../metadata/codec';
import { CH_ENTRY_SIZE, HDR_LEN, LAYOUT_DW_EDMA, METADATA_REV } from '../metadata/format';

const U32_MAX = 0xffff_ffff;

export type RegionKind = 'metadata' | 'msix-table' | 'msix-pba' | 'dma-registers' | 'descriptors' | 'window-padding';

/** One subrange of the window BAR, mapped to its own EP physical range (struct pci_epf_bar_submap). */
export interface Submap {
  /** EP physical address; for the padding subrange, set once the BAR's own memory is allocated. */
  phys: bigint;
  /** True for the padding subrange backed by the window BAR's own allocation. */
  scratch?: boolean;
  size: number;
  barOffset: number;
  /** What the subrange exposes, for the views. */
  kinds: RegionKind[];
}

/** Where one aux resource ended up: its BAR and the offset of its first byte in that BAR. */
export interface ResourceMap {
  resource: Extract<AuxResource, { type: 'dma-ctrl-mmio' | 'dma-desc-mem' }>;
  label: string;
  bar: number;
  offset: number;
  /** True when the resource sits in a BAR the controller already exposes (reserved subregion). */
  fixed: boolean;
}

export interface BarAlloc {
  bar: number;
  /** BAR size the host sees (power of two, fixed or resizable minimum per C.4). */
  size: number;
  /** Backing memory (size aligned to `align`). */
  memSize: number;
  is64: boolean;
}

export interface DmaLayout {
  metadata: BarAlloc & {
    /** Bytes the producer needs: blob + MSI-X table + PBA. */
    backing: number;
    blobLen: number;
    msix?: { tableOffset: number; tableSize: number; pbaOffset: number; pbaSize: number; vectors: number };
  };
  /** Present when at least one resource needs a subrange of the DMA window BAR. */
  window?: BarAlloc & { mapped: number; submaps: Submap[] };
  maps: ResourceMap[];
  /** The blob as written at bind (H = 0, R = 0). */
  blob: PedmMetadata;
  /** Facts worth showing (edge cases E21, E24), not errors. */
  notes: string[];
}

export type LayoutResult = { ok: true; layout: DmaLayout } | { ok: false; errno: string; reason: string; log: string };

function alignUp(n: number, a: number): number {
  return a ? Math.ceil(n / a) * a : n;
}

function alignDownBig(n: bigint, a: number): bigint {
  return a ? n - (n % BigInt(a)) : n;
}

export interface LayoutInput {
  features: EpcFeatures;
  metadataBar: number;
  windowBar: number;
  ctrl: Extract<AuxResource, { type: 'dma-ctrl-mmio' }>;
  channels: { dir: AuxDir; hwCh: number; desc: Extract<AuxResource, { type: 'dma-desc-mem' }> }[];
  wr: number;
  rd: number;
  /** MSI-X vectors when the controller is MSI-X capable and msix_interrupts > 0, else 0. */
  msixVectors: number;
}

const err = (errno: string, reason: string, log: string): LayoutResult => ({ ok: false, errno, reason, log });

export function buildDmaLayout(input: LayoutInput): LayoutResult {
  const { features, metadataBar, windowBar, ctrl } = input;
  const align = features.align;
  const notes: string[] = [];

  // Metadata BAR backing: blob, then the MSI-X table at ALIGN(blob, 8) and the PBA after it.
  const blobLen = HDR_LEN + (input.wr + input.rd) * CH_ENTRY_SIZE;
  let backing = blobLen;
  let msix: DmaLayout['metadata']['msix'];
  if (input.msixVectors > 0) {
    const n = input.msixVectors;
    const tableOffset = alignUp(blobLen, 8);
    const tableSize = n * 16;
    const pbaOffset = tableOffset + tableSize;
    const pbaSize = alignUp(Math.ceil(n / 8), 8);
    if (pbaOffset + pbaSize > U32_MAX) return err('EOVERFLOW', 'MSI-X table offset exceeds 32 bits', 'MSI-X layout overflow');
    msix = { tableOffset, tableSize, pbaOffset, pbaSize, vectors: n };
    backing = pbaOffset + pbaSize;
  }
  // BAR size = ALIGN(backing, align), allocated through pci_epf_alloc_space, whose C.4 rules
  // (minimum 128 B, resizable ≥ 1 MiB, fixed size, power of two) then apply [obs].
  const meta = allocSpace(features, metadataBar, alignUp(backing, align));
  if (!meta.ok) return err('ENOMEM', `metadata BAR${metadataBar}: ${meta.log}`, 'failed to allocate metadata BAR');

  // Map list: ctrl, write descriptors, read descriptors (seed-series 6.3).
  const maps: ResourceMap[] = [];
  const submaps: Submap[] = [];
  let tail = 0;
  const mapped = new Set<AuxResource>();
  const todo: { r: ResourceMap['resource']; label: string; kind: RegionKind }[] = [
    { r: ctrl, label: 'DMA registers', kind: 'dma-registers' },
    ...input.channels.map((c) => ({ r: c.desc, label: `${c.dir === 'ep-to-rc' ? 'write' : 'read'} ch${c.hwCh} descriptors`, kind: 'descriptors' as const })),
  ];
  for (const { r, label, kind } of todo) {
    if (mapped.has(r)) continue;
    mapped.add(r);
    if (r.size === 0) return err('EINVAL', `${label}: zero-size resource`, 'zero-sized DMA resource');
    if (r.bar !== NO_BAR) {
      if (r.bar < 0 || r.bar > 5 || r.bar === metadataBar || r.bar === windowBar) {
        return err('EINVAL', `${label} is fixed in BAR${r.bar}, which is also the metadata or window BAR`, 'fixed DMA resource conflicts with a function BAR');
      }
      maps.push({ resource: r, label, bar: r.bar, offset: r.barOffset, fixed: true });
      continue;
    }
    if (windowBar === -1) return err('EOPNOTSUPP', `${label} needs a DMA window BAR but none is available`, 'no DMA window BAR');
    const aligned = alignDownBig(r.phys, align);
    const inOff = Number(r.phys - aligned);
    const mapSize = alignUp(r.size + inOff, align);
    const covering = submaps.find((s) => aligned >= s.phys && aligned + BigInt(mapSize) <= s.phys + BigInt(s.size));
    let offset: number;
    if (covering) {
      offset = covering.barOffset + Number(aligned - covering.phys) + inOff;
      if (!covering.kinds.includes(kind)) covering.kinds.push(kind);
    } else {
      const last = submaps[submaps.length - 1];
      if (last && last.phys + BigInt(last.size) === aligned && last.barOffset + last.size === tail) {
        offset = last.barOffset + Number(aligned - last.phys) + inOff;
        last.size += mapSize;
        if (!last.kinds.includes(kind)) last.kinds.push(kind);
      } else {
        submaps.push({ phys: aligned, size: mapSize, barOffset: tail, kinds: [kind] });
        offset = tail + inOff;
      }
      tail += mapSize;
      if (tail > U32_MAX) return err('EOVERFLOW', 'DMA window exceeds 32 bits', 'DMA window overflow');
    }
    if (mapSize > r.size && !covering) {
      // Edge cases E21/E24: the aligned window exposes more than the resource; the blob states the resource size.
      notes.push(`${label}: ${r.size} B resource exposed through a ${mapSize} B aligned window at 0x${aligned.toString(16)}`);
    }
    maps.push({ resource: r, label, bar: windowBar, offset, fixed: false });
  }

  // The metadata is written now, before the window BAR is allocated.
  const ctrlMap = maps.find((m) => m.resource === ctrl);
  if (!ctrlMap) return err('EINVAL', 'the DMA register window was not mapped', 'no DMA controller map');
  if (input.wr > 255 || input.rd > 255 || CH_ENTRY_SIZE > 255 || ctrl.size > U32_MAX) {
    return err('EOVERFLOW', 'a metadata field does not fit its width', 'metadata overflow');
  }
  const entry = (c: LayoutInput['channels'][number]): PedmChannel => {
    const m = maps.find((x) => x.resource === c.desc)!;
    return {
      hwCh: c.hwCh, descBar: m.bar, descOffset: BigInt(m.offset), descSize: c.desc.size, descAddr: c.desc.phys,
      auxValid: false, auxBar: 0, auxOffset: 0n, auxSize: 0, auxAddr: 0n,
    };
  };
  const blob: PedmMetadata = {
    rev: METADATA_REV, len: blobLen, regBar: ctrlMap.bar, wrCount: input.wr, rdCount: input.rd, entrySize: CH_ENTRY_SIZE,
    hostReq: false, ready: false, regOffset: BigInt(ctrlMap.offset), layoutId: LAYOUT_DW_EDMA,
    layoutData: MAP_FORMAT_VALUE[ctrl.mapFormat], regSize: ctrl.size,
    wr: input.channels.filter((c) => c.dir === 'ep-to-rc').map(entry),
    rd: input.channels.filter((c) => c.dir === 'rc-to-ep').map(entry),
  };

  let window: DmaLayout['window'];
  if (submaps.length > 0) {
    const w = allocSpace(features, windowBar, tail);
    if (!w.ok) return err('ENOMEM', `DMA window BAR${windowBar}: ${w.log}`, 'failed to allocate DMA window BAR');
    if (w.size > tail) {
      // One extra tail submap covers the padding with the BAR's own (zeroed) allocation.
      submaps.push({ phys: 0n, scratch: true, size: w.size - tail, barOffset: tail, kinds: ['window-padding'] });
    }
    window = { bar: windowBar, size: w.size, memSize: w.memSize, is64: w.is64, mapped: tail, submaps };
  }
  return {
    ok: true,
    layout: { metadata: { bar: metadataBar, size: meta.size, memSize: meta.memSize, is64: meta.is64, backing, blobLen, msix }, window, maps, blob, notes },
  };
}
