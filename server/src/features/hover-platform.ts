/**
 * Hovers on what the platform and controllers are: a controller's (possibly overridden) profile
 * with its features and what is uncertain, a controller's state at the end of the file, the
 * platform keys of a `[platform/…]` section, and the names of the eDMA map formats.
 */
import type { Assignment } from '../language/ast';
import type { Controller } from '../language/platform';
import { findPlatformKey } from '../language/profiles/overrides';
import type { MapFormat, Profile } from '../language/profiles/types';
import { MAP_FORMAT_VALUE } from '../language/profiles/types';
import { formatSize, hex, parseSize } from '../language/units';
import { devName } from '../emulator/configfs/state';
import type { FeatureContext } from './context';
import { code, escapeMarkdown, join, lineRef, sizeText, table } from './markdown';

// ---- eDMA map formats ----------------------------------------------------------------------

export const MAP_NAME: Record<MapFormat, string> = {
  legacy: 'legacy viewport (0)',
  unroll: 'eDMA unroll (1)',
  'hdma-compat': 'HDMA compat (5)',
  'hdma-native': 'HDMA native (7)',
};

export const MAP_RULE: Record<MapFormat, string> = {
  legacy: 'the legacy viewport map cannot be shared with the host: bind fails with EOPNOTSUPP',
  unroll: 'engine, doorbell and interrupt registers are direction-wide, so each of `wr_chans`/`rd_chans` must be 0 or the whole direction (else EOPNOTSUPP, E27)',
  'hdma-compat': 'registers are direction-wide, so each of `wr_chans`/`rd_chans` must be 0 or the whole direction (else EOPNOTSUPP, E27)',
  'hdma-native': 'per-channel registers: any dense prefix 0..N-1 of a direction can be delegated',
};

export function mapNameOf(value: number): string {
  const f = (Object.keys(MAP_FORMAT_VALUE) as MapFormat[]).find((k) => MAP_FORMAT_VALUE[k] === value);
  return f ? MAP_NAME[f] : `unknown map format ${value}`;
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

// ---- platform ---------------------------------------------------------------------------------

function profileBarRows(p: Profile): string[][] {
  return p.features.bars.map((b, i) => [
    `BAR${i}`,
    b.type,
    b.fixedSize !== undefined ? sizeText(b.fixedSize) : '',
    b.only64bit ? `only 64-bit (BAR${i + 1} upper)` : '',
    (b.rsvdRegions ?? []).map((r) => `${r.type} ${hex(r.offset)}+${hex(r.size)}`).join(', '),
  ]);
}

/** The features table of a controller's (possibly overridden) profile, and what is not certain. */
export function profileMarkdown(c: Controller): string {
  const p = c.profile;
  const f = p.features;
  const e = p.edma;
  const edma = e.present
    ? `${MAP_NAME[e.mapFormat]}, ${e.wrChannels} write (EP→RC) + ${e.rdChannels} read (RC→EP) channels, LL ${formatSize(e.llRegionSize)}/channel, ` +
      `registers ${hex(e.regPhys)} + ${hex(e.regSize)}, doorbell ${e.doorbellOffset === null ? 'none' : hex(e.doorbellOffset)}, ${e.irqs} IRQ(s), ` +
      `provider ${e.providerRegistered ? 'registered' : 'not registered'}`
    : 'not detected';
  const rows: string[][] = [
    ['MSI / MSI-X / INTx', `${yesNo(f.msiCapable)} / ${yesNo(f.msixCapable)} / ${yesNo(f.intxCapable)}`],
    ['linkup notifier', yesNo(f.linkupNotifier)],
    ['dynamic inbound / subrange mapping', `${yesNo(f.dynamicInboundMapping)} / ${yesNo(f.subrangeMapping)}`],
    ['align', f.align === 0 ? '0 (none)' : sizeText(f.align)],
    ['max-functions', String(p.maxFunctions)],
    ['virtual functions', p.maxVfs === null ? 'none (max_vfs not populated)' : p.maxVfs.join(', ')],
    ['iATU', `${p.iatu.inbound} inbound, ${p.iatu.outbound} outbound, region align ${formatSize(p.iatu.regionAlign)}`],
    ['eDMA', edma],
    ['init at', p.initAt === 'probe' ? 'probe (core ready before any link)' : 'PERST# deassert (after start and link training)'],
  ];
  const overridden = [...c.keys.values()]
    .filter((a) => a.name.text !== 'compatible' && a.name.text !== 'kernel' && findPlatformKey(a.name.text))
    .map((a) => `${code(a.name.text)} = ${code(a.value.text)} (${lineRef(a.line)})`);
  const unsure = Object.entries(p.unsure).map(([k, v]) => `- ${code(k)}: ${escapeMarkdown(v)}`);
  return join([
    `### Platform ${code(c.name)} — ${escapeMarkdown(p.name)}`,
    `${code(p.compatible)} · glue ${code(p.glue)} · ${p.dwc ? 'DesignWare' : 'not DesignWare'} · series ${c.kernel}`,
    table(['BAR', 'type', 'fixed size', '64-bit', 'reserved subregions'], profileBarRows(p)),
    table(['feature', 'value'], rows),
    overridden.length > 0 && `Overridden here: ${overridden.join(', ')}`,
    unsure.length > 0 && `**Not certain:**\n${unsure.join('\n')}`,
    `Reference: ${escapeMarkdown(p.ref)}`,
  ]);
}

// ---- controllers ----------------------------------------------------------------------------

export function controllerMarkdown(ctx: FeatureContext, name: string): string | undefined {
  const epc = ctx.emulation.analysis.replay.state.controllers.get(name);
  if (!epc) return undefined;
  const rows: string[][] = [];
  for (const epf of ctx.emulation.analysis.replay.state.functions.values()) {
    for (const iface of ['primary', 'secondary'] as const) {
      const l = epf.links[iface];
      if (l?.epc !== name) continue;
      rows.push([code(epf.path, true), code(devName(epf), true), String(epf.funcNo[iface] ?? '?'), iface, epf.bound ? 'bound' : 'linked', lineRef(l.origin.line)]);
    }
  }
  const delegated = [...epc.delegated.entries()].map(([k, owner]) => `${code(k)} → ${code(owner)}`);
  const started = epc.started
    ? `**started** (\`start = 1\` at ${epc.startOrigin ? lineRef(epc.startOrigin.line) : '?'})`
    : '**stopped** (`start` reads back 0)';
  const p = epc.controller.profile;
  return join([
    `### Controller ${code(name)} — ${escapeMarkdown(p.name)}`,
    `State at the end of the file: ${started}; core ${epc.initComplete ? 'initialised' : `not initialised yet (waits for PERST#)`}; ` +
      `function numbers in use: ${rows.length} of max-functions ${p.maxFunctions}.`,
    rows.length > 0
      ? table(['function', 'device', 'func no.', 'interface', 'state', 'link'], rows)
      : 'No function is linked to this controller.',
    delegated.length > 0 && `Delegated DMA channels: ${delegated.join(', ')}`,
    `The platform facts are in ${lineRef(epc.controller.header.line)} (${code(`[platform/${name}]`)}).`,
  ]);
}

// ---- platform keys --------------------------------------------------------------------------

/** A SIZE, ADDRESS or OFFSET+SIZE value in bytes, hex and units, or undefined when it does not parse. */
export function sizeValue(text: string): string | undefined {
  const t = text.trim();
  const plus = t.indexOf('+');
  if (plus > 0) {
    const off = parseSize(t.slice(0, plus));
    const size = parseSize(t.slice(plus + 1));
    if (off.ok && size.ok) return `offset ${sizeText(off.value)}, size ${sizeText(size.value)}`;
    return undefined;
  }
  const r = parseSize(t);
  return r.ok ? `${r.value} bytes (${hex(r.value)}, ${formatSize(r.value)})` : undefined;
}

export function platformKeyMarkdown(ctx: FeatureContext, name: string, stmt: Assignment, onValue: boolean): string | undefined {
  const c = ctx.emulation.analysis.platform.controllers.get(name);
  if (!c) return undefined;
  const key = stmt.name.text.trim();
  if (key === 'compatible') return profileMarkdown(c);
  if (key === 'kernel') {
    return join([
      `### ${code('kernel')} — series revision`,
      `Which revision of the PCI endpoint DMA series is emulated: \`v4\` (default) or \`v3\`, as in the seeds. This controller uses **${c.kernel}**.`,
      'Reference: DESIGN.md 2; seed-series 0, 3, 4.1',
    ]);
  }
  const spec = findPlatformKey(key);
  if (!spec) return undefined;
  const current = spec.show(c.profile);
  const parsed = /^(SIZE|ADDRESS|OFFSET)/.test(spec.valueSyntax) ? sizeValue(stmt.value.text) : undefined;
  const valueLine = `Effective value for ${code(name)}: ${code(current)}${parsed ? ` — written ${code(stmt.value.text)} = ${parsed}` : ''}.`;
  if (onValue) return join([`${code(stmt.value.text)} → ${code(spec.key)}`, valueLine, `Accepted: ${code(spec.valueSyntax)}`]);
  return join([
    `### ${code(spec.key)} — platform fact`,
    spec.doc,
    `Accepted: ${code(spec.valueSyntax)}`,
    valueLine,
    `Reference: ${escapeMarkdown(spec.ref)}`,
  ]);
}
