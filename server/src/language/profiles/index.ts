/**
 * Platform profile lookup, copying and self-consistency checks. The built-in data lives in
 * `data.ts` (frozen); `[platform/<epc>]` overrides (`overrides.ts`) apply to a `cloneProfile()`.
 */
import { closest } from '../suggest';
import { formatSize, hex, isPowerOfTwo } from '../units';
import { PROFILES } from './data';
import type { BarDesc, EpcFeatures, Profile } from './types';

export { PROFILES } from './data';

const BY_COMPATIBLE: ReadonlyMap<string, Profile> = new Map(PROFILES.map((p) => [p.compatible, p]));
const COMPATIBLES: readonly string[] = PROFILES.map((p) => p.compatible);

/** The built-in (frozen) profile for a devicetree compatible, exact match after trimming. */
export function findProfile(compatible: string): Profile | undefined {
  return BY_COMPATIBLE.get(compatible.trim());
}

export function listProfiles(): readonly Profile[] {
  return PROFILES;
}

/** The chip token of a compatible: `rockchip,rk3588-pcie-ep` → `rk3588`. */
function chipToken(compatible: string): string {
  const afterVendor = compatible.slice(compatible.indexOf(',') + 1);
  const dash = afterVendor.indexOf('-');
  return (dash < 0 ? afterVendor : afterVendor.slice(0, dash)).toLowerCase();
}

/**
 * "Did you mean" for an unknown compatible: the closest built-in by edit distance (catches the
 * root-complex compatible `rockchip,rk3588-pcie` and typos), else the single built-in whose chip
 * token (`rk3588`, `tegra194`, `r8a779f0`) appears in the text.
 */
export function suggestCompatible(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  if (t === '') return undefined;
  const byDistance = closest(t, COMPATIBLES, Math.max(3, Math.floor(t.length / 4)));
  if (byDistance !== undefined) return byDistance;
  const byChip = COMPATIBLES.filter((c) => {
    const chip = chipToken(c);
    return chip.length >= 4 && t.includes(chip);
  });
  return byChip.length === 1 ? byChip[0] : undefined;
}

function cloneBar(b: BarDesc): BarDesc {
  const copy: BarDesc = { type: b.type };
  if (b.fixedSize !== undefined) copy.fixedSize = b.fixedSize;
  if (b.only64bit !== undefined) copy.only64bit = b.only64bit;
  if (b.rsvdRegions !== undefined) copy.rsvdRegions = b.rsvdRegions.map((r) => ({ ...r }));
  return copy;
}

/** A deep, mutable copy: overrides change the copy, never the built-in data. */
export function cloneProfile(p: Profile): Profile {
  const bars = p.features.bars;
  const features: EpcFeatures = {
    ...p.features,
    bars: [cloneBar(bars[0]), cloneBar(bars[1]), cloneBar(bars[2]), cloneBar(bars[3]), cloneBar(bars[4]), cloneBar(bars[5])],
  };
  return {
    ...p,
    features,
    maxVfs: p.maxVfs === null ? null : [...p.maxVfs],
    iatu: { ...p.iatu },
    edma: { ...p.edma },
    unsure: { ...p.unsure },
  };
}

export interface ProfileProblem {
  /** Field path, e.g. `features.bars[2]`, `edma.irqs`. */
  field: string;
  message: string;
}


/** eDMA v0 maps (legacy/unroll/HDMA-compat) have at most 8 channels per direction (D.1, E.4 step 3). */
const EDMA_V0_MAX_CH = 8;
/** HDMA native: 8 in mainline, 64 with the AMD patch (D.1). */
const HDMA_MAX_CH = 64;

/**
 * Checks that a profile (built-in or overridden) describes something the kernel could have
 * probed: BAR descriptor rules (C.1, C.3), align, iATU limits (E.2), eDMA detection sanity (E.4)
 * and the doorbell bound (seed-series 2.3). Returns an empty list when consistent.
 */
export function checkProfile(p: Profile): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  const add = (field: string, message: string): void => {
    problems.push({ field, message });
  };
  const bars = p.features.bars;
  if (bars.length !== 6) add('features.bars', `expected 6 BAR descriptors, found ${bars.length}`);

  bars.forEach((b, i) => {
    const f = `features.bars[${i}]`;
    if (b.type === 'fixed' && !(b.fixedSize !== undefined && b.fixedSize > 0)) {
      add(f, `BAR${i} is fixed but has no fixed size (set bar${i}-fixed-size)`);
    }
    if (b.type !== 'fixed' && b.fixedSize !== undefined) {
      add(f, `BAR${i} has a fixed size but is ${b.type}: the kernel only uses fixed_size for BAR_FIXED`);
    }
    if (b.only64bit === true) {
      if (i % 2 !== 0 || i === 5) {
        add(f, `BAR${i} is only_64bit but a 64-bit BAR must start on an even BAR below BAR5 (C.2, C.3)`);
      } else if (bars[i + 1].type !== '64bit-upper') {
        add(f, `BAR${i} is only_64bit, so BAR${i + 1} must be 64bit-upper (it is ${bars[i + 1].type})`);
      }
    }
    if (b.type === '64bit-upper' && (i === 0 || bars[i - 1].only64bit !== true)) {
      add(f, `BAR${i} is 64bit-upper but BAR${i - 1 < 0 ? '?' : i - 1} is not only_64bit`);
    }
    const regions = b.rsvdRegions ?? [];
    if (regions.length > 0 && b.type !== 'reserved') {
      add(f, `BAR${i} has reserved subregions but is ${b.type}: subregions describe a BAR_RESERVED BAR (seed-series 2.1)`);
    }
    const sorted = [...regions].sort((x, y) => x.offset - y.offset);
    sorted.forEach((r, k) => {
      if (!(r.size > 0) || r.offset < 0) add(f, `BAR${i} ${r.type} region ${hex(r.offset)}+${hex(r.size)} is empty or negative`);
      const next = sorted[k + 1];
      if (next !== undefined && r.offset + r.size > next.offset) {
        add(f, `BAR${i} ${r.type} region overlaps ${next.type} at ${hex(next.offset)}`);
      }
    });
  });

  const align = p.features.align;
  if (!(align === 0 || isPowerOfTwo(align))) add('features.align', `align ${align} must be 0 or a power of two`);

  const { inbound, outbound, regionAlign } = p.iatu;
  for (const [field, n] of [['iatu.inbound', inbound], ['iatu.outbound', outbound]] as const) {
    if (!Number.isInteger(n) || n < 0 || n > 256) add(field, `${n} windows is outside 0..256 (MAX_IATU_IN/OUT, E.2)`);
  }
  if (!isPowerOfTwo(regionAlign) || regionAlign < 4096 || regionAlign > 65536) {
    add('iatu.regionAlign', `iATU region align ${formatSize(regionAlign)} must be a power of two from 4 KiB to 64 KiB (E.2)`);
  }

  if (!Number.isInteger(p.maxFunctions) || p.maxFunctions < 1 || p.maxFunctions > 255) {
    add('maxFunctions', `max-functions ${p.maxFunctions} is outside 1..255`);
  }
  if (p.maxVfs !== null && p.maxVfs.length !== p.maxFunctions) {
    add('maxVfs', `max_vfs has ${p.maxVfs.length} entries for ${p.maxFunctions} functions`);
  }

  const e = p.edma;
  if (e.providerRegistered && !e.present) add('edma.providerRegistered', 'a DW eDMA provider cannot register without a detected eDMA');
  if (e.present) {
    const max = e.mapFormat === 'hdma-native' ? HDMA_MAX_CH : EDMA_V0_MAX_CH;
    for (const [field, n] of [['edma.wrChannels', e.wrChannels], ['edma.rdChannels', e.rdChannels]] as const) {
      if (!Number.isInteger(n) || n < 1 || n > max) {
        add(field, `${n} channels is outside 1..${max} for ${e.mapFormat}: dw_pcie_edma_detect would skip the eDMA (E.4 step 3)`);
      }
    }
    if (!(e.regSize > 0)) add('edma.regSize', 'a detected eDMA needs a register window (regSize > 0)');
    if (!Number.isInteger(e.llRegionSize) || e.llRegionSize < 0) add('edma.llRegionSize', `LL region size ${e.llRegionSize} must be ≥ 0`);
    if (e.irqs !== 1 && e.irqs !== e.wrChannels + e.rdChannels) {
      add('edma.irqs', `${e.irqs} eDMA IRQs: must be 1 (shared "dma") or wr + rd = ${e.wrChannels + e.rdChannels}, else "Invalid eDMA IRQs found" (E.4 step 4)`);
    }
    if (e.doorbellOffset !== null && (e.doorbellOffset < 0 || e.doorbellOffset + 4 > e.regSize)) {
      add('edma.doorbellOffset', `doorbell at ${hex(e.doorbellOffset)} + 4 exceeds the ${hex(e.regSize)}-byte register window (-EINVAL, seed-series 2.3)`);
    }
  }
  return problems;
}
