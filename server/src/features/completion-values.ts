/**
 * Completion of values after `=`: what the attribute or key accepts, narrowed by what the file
 * already decides (the BARs still free on the linked controller, the channel counts its eDMA map
 * format allows, the channels a transfer can use).
 */
import type { Assignment, Position, Section } from '../language/ast';
import { KERNEL_REVISIONS } from '../language/platform';
import { basename, dirname, resolvePath } from '../language/paths';
import { CONTROLLER_ATTRIBUTES, STANDARD_ATTRIBUTES, findDriver } from '../language/schema';
import type { AttributeSpec } from '../language/schema';
import { findProfile, listProfiles } from '../language/profiles';
import { findPlatformKey } from '../language/profiles/overrides';
import { HOST_KEYS, type HostSectionKind } from '../language/host-schema';
import type { FeatureContext } from './context';
import { classifyDir, type SectionFacts } from './completion-cursor';
import { profileDoc } from './completion-items';
import {
  barAttributes, barsChosenBySiblings, describeBar, freeBars, linkedController, type FunctionInfo,
} from './document-facts';

export interface ValueChoice {
  value: string;
  detail: string;
  documentation?: string;
}

const MSI_COUNTS = [1, 2, 4, 8, 16, 32];
const MSIX_COUNTS = [1, 2, 4, 8, 16, 32, 64, 256, 2048];
const INTX_PINS = ['none (no legacy interrupt)', 'INTA', 'INTB', 'INTC', 'INTD'];
const VENDORS: readonly [string, string][] = [
  ['0x1d87', 'Rockchip'], ['0x104c', 'Texas Instruments'], ['0x1912', 'Renesas'], ['0x10de', 'NVIDIA'],
  ['0x17cb', 'Qualcomm'], ['0x1957', 'Freescale / NXP'], ['0x16c3', 'Synopsys'],
];

function barValues(ctx: FeatureContext, fn: FunctionInfo | undefined, attr: string, line: number, spec: AttributeSpec): ValueChoice[] {
  const auto: ValueChoice = {
    value: '-1', detail: 'auto (NO_BAR): bind picks a free BAR',
    documentation: attr === 'metadata_bar'
      ? 'Bind takes the first free BAR that holds no fixed controller resource and is not the window BAR (seed-series 6.2 step 3).'
      : attr === 'dma_window_bar'
        ? 'Bind picks a free BAR other than the metadata BAR, only when a window is needed (seed-series 6.2 step 4).'
        : 'Auto assignment walks the free BARs in order, skipping explicitly chosen ones (kernel-background B.3).',
  };
  const controller = fn ? linkedController(ctx, fn.path) : undefined;
  if (!controller || !fn) {
    return [auto, ...[0, 1, 2, 3, 4, 5].map((i) => ({ value: String(i), detail: `BAR${i}`, documentation: `${spec.doc}\n\nLink the function to a declared controller to see which BARs are free.` }))];
  }
  const taken = barsChosenBySiblings(ctx, fn, attr, line);
  const profile = controller.profile;
  const free = freeBars(profile, taken);
  const items = free.map((i): ValueChoice => {
    const desc = profile.features.bars[i];
    return {
      value: String(i), detail: `BAR${i}: ${describeBar(desc)} (free)`,
      documentation: `BAR${i} is ${describeBar(desc)} on ${profile.name} (\`controllers/${controller.name}\`) and no other BAR attribute of this function uses it.` +
        (desc.type === 'resizable' ? ' Resizable BARs are at least 1 MiB (kernel-background C.4).' : ''),
    };
  });
  return [...items, auto];
}

function chanValues(ctx: FeatureContext, fn: FunctionInfo | undefined, attr: 'wr_chans' | 'rd_chans'): ValueChoice[] {
  const dir = attr === 'wr_chans' ? 'write (EP → RC)' : 'read (RC → EP)';
  const controller = fn ? linkedController(ctx, fn.path) : undefined;
  if (!controller) {
    return Array.from({ length: 9 }, (_, i) => ({ value: String(i), detail: `${i} ${dir} channel(s)`, documentation: 'configfs accepts 0..8; the controller decides what binds (seed-series 6.1, 6.2).' }));
  }
  const e = controller.profile.edma;
  const name = controller.profile.name;
  const total = attr === 'wr_chans' ? e.wrChannels : e.rdChannels;
  if (!e.present) {
    return [{ value: '0', detail: `${name} has no integrated eDMA`, documentation: 'dw_pcie_edma_detect finds no eDMA on this controller: pci_epf_dma cannot bind (seed-series 2.3).' }];
  }
  if (e.mapFormat === 'unroll' || e.mapFormat === 'hdma-compat') {
    const why = `On the ${e.mapFormat === 'unroll' ? 'eDMA unroll' : 'HDMA compat'} map the engine, doorbell and interrupt registers are direction-wide, so a function takes 0 or all ${total} ${dir} channels; any other count fails bind with EOPNOTSUPP (seed-series 7 E27).`;
    return [
      { value: String(total), detail: `all ${total} ${dir} channels of ${name}`, documentation: why },
      { value: '0', detail: `no ${dir} channels`, documentation: `${why} At least one of wr_chans / rd_chans must be non-zero.` },
    ];
  }
  if (e.mapFormat === 'legacy') {
    return [{ value: '0', detail: `${name}: legacy eDMA map`, documentation: 'The legacy viewport map cannot be shared with the host: bind fails with EOPNOTSUPP whatever the count (kernel-background D.7).' }];
  }
  const max = Math.min(total, 8);
  return Array.from({ length: max + 1 }, (_, i): ValueChoice => ({
    value: String(i), detail: i === 0 ? `no ${dir} channels` : `${dir} channels 0..${i - 1} of ${total}`,
    documentation: `HDMA native gives every channel its own registers, so any dense prefix 0..N-1 can be delegated (seed-series 6.2, 6.6); ${name} has ${total}, configfs accepts at most 8.`,
  }));
}

function attributeValues(ctx: FeatureContext, spec: AttributeSpec, fn: FunctionInfo | undefined, line: number): ValueChoice[] {
  const name = spec.name;
  if (name === 'start') {
    return [
      { value: '1', detail: 'start the controller (link training)', documentation: spec.doc },
      { value: '0', detail: 'stop the controller', documentation: spec.doc },
    ];
  }
  if (name === 'msi_interrupts') {
    return MSI_COUNTS.map((n) => ({ value: String(n), detail: `${n} MSI vector${n > 1 ? 's' : ''}`, documentation: 'pci_epc_set_msi accepts 1..32; the capability advertises a power of two (kernel-background A.4).' }));
  }
  if (name === 'msix_interrupts') {
    return MSIX_COUNTS.map((n) => ({ value: String(n), detail: `${n} MSI-X vector${n > 1 ? 's' : ''}`, documentation: 'pci_epc_set_msix accepts 1..2048; the table takes 16 bytes per vector in a BAR (kernel-background A.4).' }));
  }
  if (name === 'interrupt_pin') {
    return INTX_PINS.map((p, i) => ({ value: String(i), detail: p, documentation: spec.doc }));
  }
  if (name === 'vendorid' || name === 'subsys_vendor_id') {
    return VENDORS.map(([v, who]) => ({ value: v, detail: who, documentation: spec.doc }));
  }
  if (name === 'wr_chans' || name === 'rd_chans') return chanValues(ctx, fn, name);
  if (fn && barAttributes(fn.driver).includes(name)) return barValues(ctx, fn, name, line, spec);
  return [];
}

function platformValues(ctx: FeatureContext, epc: string, key: string): ValueChoice[] {
  if (key === 'compatible') {
    return listProfiles().map((p) => ({ value: p.compatible, detail: p.name, documentation: profileDoc(p) }));
  }
  if (key === 'kernel') {
    return KERNEL_REVISIONS.map((k) => ({
      value: k, detail: k === 'v4' ? 'series v4 (default)' : 'series v3 (as in the seeds)',
      documentation: 'Revision of the PCI endpoint DMA series whose behaviour is emulated (DESIGN.md §2).',
    }));
  }
  const spec = findPlatformKey(key);
  if (!spec) return [];
  if (spec.values) return spec.values.map((v) => ({ value: v, detail: spec.valueSyntax, documentation: spec.doc }));
  const c = ctx.emulation.analysis.platform.controllers.get(epc);
  const compatible = c?.keys.get('compatible')?.value.text.trim();
  const base = compatible ? findProfile(compatible) : undefined;
  if (!base) return [];
  return [{ value: spec.show(base), detail: `built-in value for ${base.name}`, documentation: spec.doc }];
}

function hostValues(ctx: FeatureContext, kind: HostSectionKind, key: string, section: Section | undefined): ValueChoice[] {
  const spec = HOST_KEYS[kind].find((k) => k.key === key);
  if (!spec) return [];
  const v = spec.value;
  if (v.kind === 'enum') return v.values.map((x) => ({ value: x, detail: key, documentation: spec.doc }));
  if (key === 'msi-vectors') return MSI_COUNTS.map((n) => ({ value: String(n), detail: `${n} vector(s)`, documentation: spec.doc }));
  if (key === 'size') return ['4K', '64K', '1M'].map((s) => ({ value: s, detail: 'bytes', documentation: spec.doc }));
  if (key === 'channel' && kind === 'transfer') {
    const direction = section?.body.find((s): s is Assignment => s.kind === 'assign' && s.name.text === 'direction')?.value.text.trim();
    const attr = direction === 'ep-to-rc' ? 'wr_chans' : 'rd_chans';
    let count = 0;
    for (const f of ctx.emulation.analysis.replay.state.functions.values()) {
      const n = f.values.get(attr);
      if (f.driver === 'pci_epf_dma' && typeof n === 'bigint' && Number(n) > count) count = Number(n);
    }
    return Array.from({ length: count }, (_, i) => ({
      value: String(i), detail: `delegated ${attr === 'wr_chans' ? 'write' : 'read'} channel ${i}`,
      documentation: `${spec.doc} ${attr} delegates channels 0..${count - 1}.`,
    }));
  }
  return [];
}

export function completeValue(ctx: FeatureContext, facts: SectionFacts, name: string, pos: Position, functions: Map<string, FunctionInfo>): ValueChoice[] {
  const info = facts.info;
  if (info.kind === 'platform') return platformValues(ctx, info.epc, name.trim());
  if (info.kind === 'host') return hostValues(ctx, info.host, name.trim(), facts.section);
  if (facts.dir === null) return [];
  const full = resolvePath(name, facts.dir);
  if (!full.ok) return [];
  const attr = basename(full.path);
  const parent = dirname(full.path);
  const target = classifyDir(parent);
  if (target.kind === 'controller') {
    const spec = CONTROLLER_ATTRIBUTES.find((a) => a.name === attr);
    return spec ? attributeValues(ctx, spec, undefined, pos.line) : [];
  }
  if (target.kind === 'function' || target.kind === 'group') {
    const fn = functions.get(target.fn);
    const spec = target.kind === 'function'
      ? STANDARD_ATTRIBUTES.find((a) => a.name === attr)
      : findDriver(target.driver)?.groupAttributes.find((a) => a.name === attr);
    return spec ? attributeValues(ctx, spec, fn, pos.line) : [];
  }
  return [];
}
