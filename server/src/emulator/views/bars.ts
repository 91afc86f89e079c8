/**
 * The BAR table of one endpoint function, as every view shows it (CONTRACTS.md `bars`): all six
 * BARs with the platform's type, the size the function programmed, 64-bit pairing, and what lives
 * where inside (metadata, MSI-X table/PBA, DMA register window, descriptor windows, padding,
 * test registers, NTB regions, MHI MMIO). Reads the driver models' plans; derives nothing on its own.
 */
import type { Profile } from '../../language/profiles/types';
import type { EpfState, Interface } from '../configfs/state';
import { dmaPlans } from '../epf/dma';
import { testPlans } from '../epf/test';
import { ntbPlans } from '../epf/ntb';
import { mhiPlans } from '../epf/mhi';

export type BarTypeView = 'programmable' | 'fixed' | 'resizable' | 'reserved' | '64bit-upper' | 'disabled';

export interface RegionView {
  offset: number;
  size: number;
  kind: string;
  /** EP physical address behind the region, when it maps one. */
  phys?: bigint;
  label?: string;
}

export interface BarView {
  bar: number;
  type: BarTypeView;
  /** Size the function programmed (0 = unused by this function). */
  size: number;
  is64: boolean;
  /** What this BAR is for this function, e.g. "metadata", "DMA window", "test registers". */
  role?: string;
  regions: RegionView[];
}

function baseBars(profile: Profile): BarView[] {
  return profile.features.bars.map((d, bar) => ({ bar, type: d.type, size: 0, is64: !!d.only64bit, regions: [] }));
}

/** Marks the upper half of a 64-bit BAR the function programmed. */
function pair(bars: BarView[], bar: number): void {
  if (bars[bar].is64 && bar < 5) bars[bar + 1] = { ...bars[bar + 1], type: '64bit-upper', role: `upper half of BAR${bar}` };
}

/** Role shown for each NTB logical BAR (kernel-background B.2, B.3). */
const NTB_ROLE: Record<string, string> = {
  CONFIG: 'NTB config',
  DB: 'NTB doorbells',
  PEER_SPAD: 'NTB peer scratchpads',
  DB_MW1: 'NTB doorbells+MW1',
};

/**
 * `iface` picks the interface whose BARs are shown for a function with two (pci_epf_ntb: primary
 * on its primary controller, secondary on the other one); `profile` must be that interface's
 * controller profile. Single-interface functions ignore it.
 */
export function functionBars(epf: EpfState, profile: Profile, iface: Interface = 'primary'): BarView[] {
  const bars = baseBars(profile);
  // Reserved BARs keep their hardware subregions whatever the function does (seed-series 2.1).
  profile.features.bars.forEach((d, i) => {
    for (const r of d.rsvdRegions ?? []) {
      const kind = r.type === 'dma-ctrl-mmio' ? 'dma-registers' : r.type === 'msix-tbl-ram' ? 'msix-table' : 'msix-pba';
      bars[i].regions.push({ offset: r.offset, size: r.size, kind, phys: r.type === 'dma-ctrl-mmio' ? profile.edma.regPhys : undefined, label: 'hardware' });
    }
  });
  const dma = dmaPlans.get(epf);
  if (dma) {
    const { metadata, window, blob } = dma.layout;
    const m = bars[metadata.bar];
    Object.assign(m, { size: metadata.size, is64: metadata.is64, role: 'metadata' });
    m.regions.push({ offset: 0, size: blob.len, kind: 'metadata', phys: dma.metadataPhys, label: 'PEDM blob' });
    if (metadata.msix) {
      m.regions.push({ offset: metadata.msix.tableOffset, size: metadata.msix.tableSize, kind: 'msix-table', phys: dma.metadataPhys + BigInt(metadata.msix.tableOffset) });
      m.regions.push({ offset: metadata.msix.pbaOffset, size: metadata.msix.pbaSize, kind: 'msix-pba', phys: dma.metadataPhys + BigInt(metadata.msix.pbaOffset) });
    }
    pair(bars, metadata.bar);
    if (window) {
      const w = bars[window.bar];
      Object.assign(w, { size: window.size, is64: window.is64, role: 'DMA window' });
      for (const s of window.submaps) w.regions.push({ offset: s.barOffset, size: s.size, kind: s.kinds.join('+'), phys: s.phys, label: s.scratch ? 'padding' : 'subrange' });
      pair(bars, window.bar);
    }
    // Fixed resources (register window behind a reserved BAR) are labelled where the metadata points.
    for (const map of dma.layout.maps) {
      if (!map.fixed) continue;
      const r = bars[map.bar].regions.find((x) => x.offset === map.offset);
      if (r) r.label = `hardware: ${map.label}`;
    }
  }
  const test = testPlans.get(epf);
  if (test) {
    for (const b of test.bars) {
      Object.assign(bars[b.bar], { size: b.size, is64: b.is64, role: b.role === 'test-registers' ? 'test registers' : 'test buffer' });
      bars[b.bar].regions.push({ offset: 0, size: b.role === 'test-registers' ? 128 : b.requested, kind: b.role === 'test-registers' ? 'test-registers' : 'buffer', phys: b.phys });
      pair(bars, b.bar);
    }
  }
  // NTB regions (B.2, B.3): config = control block + scratchpads, doorbells, memory windows.
  const ntb = ntbPlans.get(epf)?.interfaces[iface];
  if (ntb) {
    for (const b of ntb.bars) {
      Object.assign(bars[b.bar], { size: b.size, is64: b.is64, role: NTB_ROLE[b.role] ?? `NTB ${b.role}` });
      for (const r of b.regions) bars[b.bar].regions.push({ offset: r.offset, size: r.size, kind: r.kind, phys: r.phys, label: r.label });
      pair(bars, b.bar);
    }
  }
  // MHI (B.4): BAR0 is a window onto the controller's MMIO registers.
  const mhi = mhiPlans.get(epf);
  if (mhi) {
    Object.assign(bars[mhi.bar], { size: mhi.size, is64: mhi.is64, role: 'MHI MMIO' });
    bars[mhi.bar].regions.push({ offset: 0, size: mhi.size, kind: 'mhi-mmio', phys: mhi.phys, label: 'MHI registers' });
  }
  for (const b of bars) b.regions.sort((x, y) => x.offset - y.offset);
  return bars;
}
