/**
 * The hover of a function section header: the device the kernel made of it, how its last bind
 * ended, its BAR and region tables (in the style of rust-analyzer's memory-layout hover), its
 * delegated DMA channels and its decoded PEDM metadata.
 */
import { findDriver } from '../language/schema';
import { CONFIGFS_ROOT } from '../language/paths';
import { hex } from '../language/units';
import { devName } from '../emulator/configfs/state';
import { decodeMetadata } from '../emulator/metadata/codec';
import type { BarView } from '../emulator/views/bars';
import type { FunctionResult } from '../emulator/views/result';
import type { FeatureContext } from './context';
import { functionResultOf, type FeatureIndex } from './feature-index';
import { failureText } from './hover-outcomes';
import { mapNameOf } from './hover-platform';
import { code, escapeMarkdown, join, lineRef, rangeText, sizeText, table } from './markdown';

function barRow(b: BarView): string[] {
  const size = b.size > 0 ? sizeText(b.size) : '—';
  const width = b.type === '64bit-upper' ? '' : b.size > 0 || b.is64 ? (b.is64 ? `64-bit (BAR${b.bar}+BAR${b.bar + 1})` : '32-bit') : '';
  const role = b.role ?? (b.type === '64bit-upper' ? `upper half of BAR${b.bar - 1}` : b.regions.length > 0 ? 'hardware' : b.type === 'disabled' || b.type === 'reserved' ? '' : 'free');
  return [`BAR${b.bar}`, b.type, size, width, escapeMarkdown(role)];
}

const REGION_NAME: Record<string, string> = {
  metadata: 'metadata',
  'msix-table': 'MSI-X table',
  'msix-pba': 'MSI-X PBA',
  'dma-registers': 'DMA register window',
  descriptors: 'descriptor windows',
  'window-padding': 'padding',
  'test-registers': 'test registers',
  buffer: 'test buffer',
};

function regionName(kind: string): string {
  return kind.split('+').map((k) => REGION_NAME[k] ?? k).join(' + ');
}

/** One row per region, plus the unused gaps (like rust-analyzer's padding) inside a programmed BAR. */
function regionRows(b: BarView): string[][] {
  const rows: string[][] = [];
  let at = 0;
  const gap = (end: number) => {
    if (end > at) rows.push([`BAR${b.bar}`, rangeText(at, end - at), sizeText(end - at), '*unused*', '']);
  };
  for (const r of b.regions) {
    if (b.size > 0) gap(r.offset);
    const label = r.label && r.label !== regionName(r.kind) ? ` (${escapeMarkdown(r.label)})` : '';
    rows.push([`BAR${b.bar}`, rangeText(r.offset, r.size), r.size > 0 ? sizeText(r.size) : '—', `${regionName(r.kind)}${label}`, r.phys !== undefined ? hex(r.phys) : '']);
    at = Math.max(at, r.offset + r.size);
  }
  if (b.size > 0) gap(b.size);
  return rows;
}

/** BAR table and region table of a function (CONTRACTS.md `bars`). */
export function barTables(bars: readonly BarView[]): string {
  const regions = bars.flatMap(regionRows);
  return join([
    table(['BAR', 'type', 'size', '64-bit', 'role'], bars.map(barRow)),
    regions.length > 0 && table(['BAR', 'offset', 'size', 'what', 'EP phys'], regions),
  ]);
}

function metadataSummary(f: FunctionResult): string | undefined {
  if (!f.metadata) return undefined;
  const m = decodeMetadata(f.metadata.bytes);
  if (!m) return `**PEDM metadata** in BAR${f.metadata.bar}: ${f.metadata.bytes.length} bytes that do not decode as a blob.`;
  return `**PEDM metadata** in BAR${f.metadata.bar} at offset ${hex(f.metadata.offset)}: len ${sizeText(m.len)}, rev ${m.rev}, ` +
    `REG_BAR ${m.regBar} (register window at ${hex(m.regOffset)}, ${sizeText(m.regSize)}), ` +
    `${m.wrCount} write + ${m.rdCount} read channel entries (stride ${hex(m.entrySize)}), map ${mapNameOf(m.layoutData)}, ` +
    `HOST_REQ ${m.hostReq ? 1 : 0}, READY ${m.ready ? 1 : 0}.`;
}

function channelTable(f: FunctionResult): string | undefined {
  if (f.channels.length === 0) return undefined;
  return table(['dir', 'hw ch', 'channel', 'state'], f.channels.map((c) => [
    c.dir, String(c.hwCh), c.dir === 'ep-to-rc' ? 'write' : 'read', c.errno ? `${c.state} (-${c.errno})` : c.state,
  ]), ['l', 'r', 'l', 'l']);
}

/** The last bind attempt of a function and how it ended. */
function bindStatus(ctx: FeatureContext, ix: FeatureIndex, fn: string): string {
  const epf = ctx.emulation.analysis.replay.state.functions.get(fn);
  const links = ix.linksOf.get(fn) ?? [];
  const link = epf ? (epf.links.primary ?? epf.links.secondary) : undefined;
  if (epf && link) {
    const n = epf.funcNo.primary ?? epf.funcNo.secondary;
    const vf = epf.pf ? ` · virtual function ${epf.pf.vfuncNo} of ${code(epf.pf.path)}` : '';
    return `${epf.bound ? '**bound**' : 'linked (not bound yet)'} to controller ${code(link.epc)} as **function ${n ?? '?'}** ` +
      `(${code(`${link.dir}/${link.linkName}`)}, ${lineRef(link.origin.line)})${epf.initialised ? ', epc_init done' : ''}${vf}`;
  }
  const last = links[links.length - 1];
  if (!last) return epf?.pf ? `virtual function ${epf.pf.vfuncNo} of ${code(epf.pf.path)}` : 'not linked to any controller';
  const op = ix.opAt.get(last.line);
  if (op && op.result !== 'ok') return `**not bound**: the link at ${lineRef(last.line)} failed with ${failureText(ix, last.line, op.result)}`;
  if (last.unlinkedAt !== undefined) return `not bound: unlinked at ${lineRef(last.unlinkedAt)}`;
  return 'not linked to any controller';
}

export function functionMarkdown(ctx: FeatureContext, ix: FeatureIndex, fn: string, line: number): string | undefined {
  const [, driver, name] = fn.split('/');
  const spec = findDriver(driver);
  if (!spec) return undefined;
  // The directory this header is in: the latest mkdir at or before it. A later rmdir ends it,
  // even when a later section creates the same path again.
  const made = (ix.mkdirsOf.get(fn) ?? []).filter((l) => l <= line).pop();
  const gone = made === undefined ? undefined : (ix.rmdirsOf.get(fn) ?? []).find((l) => l > made);
  const live = ctx.emulation.analysis.replay.state.functions.get(fn);
  const epf = live && live.created.line === made ? live : undefined;
  const f = epf ? functionResultOf(ctx, fn) : undefined;
  const intro = `${escapeMarkdown(spec.summary)}`;
  if (!epf || !f) {
    const why = gone !== undefined ? `was removed by \`rmdir\` at ${lineRef(gone)}` : 'does not exist at the end of the file';
    return join([`### ${code(fn)}`, intro, `The function ${code(name)} ${why}, so it has no device, BARs or channels at the end of the run.`]);
  }
  const title = `### ${code(f.device)} — ${code(fn)}`;
  const mkdir = `Created by ${lineRef(epf.created.line)} (${code(`mkdir ${CONFIGFS_ROOT}/${fn}`)})${spec.hasGroup ? `; driver group ${code(`${devName(epf)}/`)}` : ''}.`;
  const bars = f.bars.length > 0 ? barTables(f.bars) : undefined;
  return join([
    title,
    intro,
    mkdir,
    bindStatus(ctx, ix, fn),
    bars ? `**BAR layout** (sizes as programmed; regions by offset):\n\n${bars}` : 'No BAR layout: the function is not bound to a controller.',
    driver === 'pci_epf_dma' && channelTable(f) ? `**DMA channels** delegated to the host:\n\n${channelTable(f)}` : undefined,
    metadataSummary(f),
    spec.patchOnly && `*Patch only:* ${escapeMarkdown(spec.patchOnly)}`,
    `Reference: ${spec.ref}`,
  ]);
}
