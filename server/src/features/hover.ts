/**
 * Hovers: what the kernel makes of the line under the cursor, read from the one emulation of the
 * file (DESIGN.md sections 3–4). Attribute names show the schema entry and what this write
 * stored; values show how kstrto* parses them; function headers show the BAR table in the style
 * of rust-analyzer's memory-layout hover; platform, controller, link and host lines show the
 * emulated state. Nothing here parses or emulates on its own.
 */
import type { Assignment, Link, Position, Range, Rmdir, Section, SectionHeader, Statement, Unlink } from '../language/ast';
import type { Diagnostic } from '../language/diagnostics';
import type { AttributeSpec, StoreCheck } from '../language/schema/types';
import { controllerAttribute, findDriver, functionAttribute, groupAttribute } from '../language/schema';
import { explainParse, formatShow, kernelParserName, kstrtobool, parseInt as kstrtoInt } from '../language/kstrto';
import { CONFIGFS_ROOT, dirname, resolvePath } from '../language/paths';
import type { Controller } from '../language/platform';
import { isPlatformPath } from '../language/platform';
import { findPlatformKey } from '../language/profiles/overrides';
import type { MapFormat, Profile } from '../language/profiles/types';
import { MAP_FORMAT_VALUE } from '../language/profiles/types';
import { HOST_KEYS, hostSectionKind, type HostKeySpec, type HostSectionKind } from '../language/host-schema';
import { formatSize, hex, parseSize } from '../language/units';
import type { OpRecord } from '../emulator/configfs/replay';
import type { EpfState, Interface } from '../emulator/configfs/state';
import { devName } from '../emulator/configfs/state';
import { describeErrno, ERRNO, isErrno } from '../emulator/errno';
import type { TransferResult } from '../emulator/host/transfers';
import { decodeMetadata } from '../emulator/metadata/codec';
import type { BarView } from '../emulator/views/bars';
import type { EmulationResult, FunctionResult } from '../emulator/views/result';
import type { FeatureContext } from './context';
import { contains } from './context';
import { code, codeBlock, escapeMarkdown, join, lineRef, rangeText, sizeText, table } from './markdown';

export interface HoverResult {
  markdown: string;
  range: Range;
}

// ---------------------------------------------------------------------------------------------
// Per-context line index, shared with inlay hints and code lenses

/** What a `name -> target` line does, resolved once per context. */
export interface LinkFacts {
  line: number;
  /** `bind`: ln -s between a function interface and a controller; `vf`: a virtual function under a physical one. */
  kind: 'bind' | 'vf' | 'other';
  /** pci_ep-relative path of the link itself (OpRecord.path). */
  path: string;
  /** The function that gets bound (bind) or becomes a VF (vf). */
  fn?: string;
  /** For `vf`: the physical function. */
  pf?: string;
  epc?: string;
  iface?: Interface;
  /** Function number pci_epc_add_epf assigned when the link succeeded. */
  funcNo?: number;
  /** Line of the `unlink` that later removed it. */
  unlinkedAt?: number;
}

export interface FeatureIndex {
  /** Statement standing on each 0-based line (sparse). */
  statementAt: (Statement | undefined)[];
  /** Section each statement line belongs to (sparse). */
  sectionAt: (Section | undefined)[];
  opAt: Map<number, OpRecord>;
  diagnosticsAt: Map<number, Diagnostic[]>;
  transferAt: Map<number, TransferResult>;
  linkAt: Map<number, LinkFacts>;
  /** Every link attempt binding a function (by function path), in file order. */
  linksOf: Map<string, LinkFacts[]>;
  /** Lines of the successful mkdirs and rmdirs of each function path, in file order. */
  mkdirsOf: Map<string, number[]>;
  rmdirsOf: Map<string, number[]>;
}

const INDEX = new WeakMap<FeatureContext, FeatureIndex>();

function linkFacts(stmt: Link, dir: string | undefined): LinkFacts {
  const full = dir === undefined ? undefined : resolvePath(stmt.name.text, dir);
  const path = full?.ok ? full.path : stmt.name.text;
  const parts = dirname(path).split('/');
  const target = stmt.normTarget ?? '';
  const tparts = target.split('/');
  const facts: LinkFacts = { line: stmt.line, kind: 'other', path };
  if (parts[0] === 'controllers' && parts.length === 2) {
    Object.assign(facts, { kind: 'bind', epc: parts[1], iface: 'primary' });
    if (tparts[0] === 'functions' && tparts.length === 3) facts.fn = target;
  } else if (parts[0] === 'functions' && parts.length === 4 && (parts[3] === 'primary' || parts[3] === 'secondary')) {
    Object.assign(facts, { kind: 'bind', fn: parts.slice(0, 3).join('/'), iface: parts[3] });
    if (tparts[0] === 'controllers' && tparts.length === 2) facts.epc = tparts[1];
  } else if (parts[0] === 'functions' && parts.length === 3) {
    Object.assign(facts, { kind: 'vf', pf: parts.join('/') });
    if (tparts[0] === 'functions' && tparts.length === 3) facts.fn = target;
  }
  return facts;
}

/** Builds (once per context) the maps every feature looks lines up in: one pass over statements, ops, diagnostics. */
export function featureIndex(ctx: FeatureContext): FeatureIndex {
  const hit = INDEX.get(ctx);
  if (hit) return hit;
  const { doc } = ctx;
  const replay = ctx.emulation.analysis.replay;
  const ix: FeatureIndex = {
    statementAt: new Array<Statement | undefined>(doc.lines.length),
    sectionAt: new Array<Section | undefined>(doc.lines.length),
    opAt: new Map(),
    diagnosticsAt: new Map(),
    transferAt: new Map(),
    linkAt: new Map(),
    linksOf: new Map(),
    mkdirsOf: new Map(),
    rmdirsOf: new Map(),
  };
  for (const section of doc.sections) {
    if (section.header) {
      ix.statementAt[section.header.line] = section.header;
      ix.sectionAt[section.header.line] = section;
    }
    for (const stmt of section.body) {
      ix.statementAt[stmt.line] = stmt;
      ix.sectionAt[stmt.line] = section;
      if (stmt.kind === 'link') {
        const facts = linkFacts(stmt, replay.dirAt(stmt.line));
        ix.linkAt.set(stmt.line, facts);
        if (facts.kind === 'bind' && facts.fn) {
          const list = ix.linksOf.get(facts.fn);
          if (list) list.push(facts);
          else ix.linksOf.set(facts.fn, [facts]);
        }
      }
    }
  }
  for (const d of ctx.emulation.diagnostics) {
    const list = ix.diagnosticsAt.get(d.range.start.line);
    if (list) list.push(d);
    else ix.diagnosticsAt.set(d.range.start.line, [d]);
  }
  for (const t of ctx.emulation.system.transfers) ix.transferAt.set(t.line, t);
  // Function numbers: the replay keeps them only for links still in place at the end, so links
  // undone later get theirs by following epc->function_num_map through the successful ops
  // (lowest free bit on add, cleared on unlink; kernel-background A.4).
  const numMap = new Map<string, number>();
  const live = new Map<string, LinkFacts>();
  for (const op of replay.ops) {
    ix.opAt.set(op.line, op);
    if (op.result !== 'ok') continue;
    if (op.op === 'link') {
      const facts = ix.linkAt.get(op.line);
      if (facts?.kind !== 'bind' || !facts.epc) continue;
      const map = numMap.get(facts.epc) ?? 0;
      let n = 0;
      while (map & (1 << n)) n++;
      numMap.set(facts.epc, map | (1 << n));
      facts.funcNo = n;
      live.set(op.path, facts);
    } else if (op.op === 'unlink') {
      const facts = live.get(op.path);
      if (!facts?.epc || facts.funcNo === undefined) continue;
      numMap.set(facts.epc, (numMap.get(facts.epc) ?? 0) & ~(1 << facts.funcNo));
      facts.unlinkedAt = op.line;
      live.delete(op.path);
    } else if (op.op === 'mkdir' || op.op === 'rmdir') {
      const map = op.op === 'mkdir' ? ix.mkdirsOf : ix.rmdirsOf;
      const list = map.get(op.path);
      if (list) list.push(op.line);
      else map.set(op.path, [op.line]);
    }
  }
  // Links still in place: the replay's own record wins.
  for (const epf of replay.state.functions.values()) {
    for (const iface of ['primary', 'secondary'] as const) {
      const l = epf.links[iface];
      const facts = l ? ix.linkAt.get(l.origin.line) : undefined;
      const n = epf.funcNo[iface];
      if (facts && n !== undefined) facts.funcNo = n;
    }
  }
  INDEX.set(ctx, ix);
  return ix;
}

const BY_PATH = new WeakMap<EmulationResult, Map<string, FunctionResult>>();

/** The views' result for one function directory (CONTRACTS.md `functions[]`), by path. */
export function functionResultOf(ctx: FeatureContext, path: string): FunctionResult | undefined {
  const result = ctx.result();
  let map = BY_PATH.get(result);
  if (!map) {
    map = new Map(result.functions.map((f) => [f.path, f]));
    BY_PATH.set(result, map);
  }
  return map.get(path);
}

// ---------------------------------------------------------------------------------------------
// Shared facts

const MAP_NAME: Record<MapFormat, string> = {
  legacy: 'legacy viewport (0)',
  unroll: 'eDMA unroll (1)',
  'hdma-compat': 'HDMA compat (5)',
  'hdma-native': 'HDMA native (7)',
};

const MAP_RULE: Record<MapFormat, string> = {
  legacy: 'the legacy viewport map cannot be shared with the host: bind fails with EOPNOTSUPP',
  unroll: 'engine, doorbell and interrupt registers are direction-wide, so each of `wr_chans`/`rd_chans` must be 0 or the whole direction (else EOPNOTSUPP, E27)',
  'hdma-compat': 'registers are direction-wide, so each of `wr_chans`/`rd_chans` must be 0 or the whole direction (else EOPNOTSUPP, E27)',
  'hdma-native': 'per-channel registers: any dense prefix 0..N-1 of a direction can be delegated',
};

function mapNameOf(value: number): string {
  const f = (Object.keys(MAP_FORMAT_VALUE) as MapFormat[]).find((k) => MAP_FORMAT_VALUE[k] === value);
  return f ? MAP_NAME[f] : `unknown map format ${value}`;
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

/** The error diagnostics at a line that carry `errno` (the kernel's answer to that operation). */
function failureAt(ix: FeatureIndex, line: number, errno: string): Diagnostic | undefined {
  return ix.diagnosticsAt.get(line)?.find((d) => d.errno === errno && d.severity === 'error');
}

/** `-EINVAL` (Invalid argument): the failure diagnostic's message without its errno prefix, escaped. */
function failureText(ix: FeatureIndex, line: number, errno: string): string {
  const d = failureAt(ix, line, errno);
  const strerror = isErrno(errno) ? ` (${ERRNO[errno].text})` : '';
  const message = d ? d.message.replace(`${describeErrno(errno)}: `, '') : '';
  return `\`-${errno}\`${strerror}${message ? `: ${escapeMarkdown(message)}` : ''}`;
}

/** "✓ write succeeded" / "✗ write fails with `-EINVAL` (Invalid argument): …" for an operation. */
function opOutcome(ix: FeatureIndex, op: OpRecord | undefined, what: string): string {
  if (!op) return `**Not run:** the ${what} never reaches the kernel (see the error on the section header or path).`;
  if (op.result === 'ok') return `**✓ ${what} succeeded** (\`${op.op}\` ${code(op.path)}).`;
  return `**✗ ${what} fails** with ${failureText(ix, op.line, op.result)}`;
}

function kernelLog(op: OpRecord | undefined): string | undefined {
  if (!op || op.log.length === 0) return undefined;
  return `Kernel log:\n\n${codeBlock(op.log)}`;
}

/** Virtual time (µs) as seconds, the way dmesg timestamps read. */
function stamp(us: number): string {
  return `${(us / 1e6).toFixed(6)} s`;
}

function sectionPath(ix: FeatureIndex, line: number): string | undefined {
  return ix.sectionAt[line]?.header?.normPath ?? undefined;
}

// ---------------------------------------------------------------------------------------------
// Entry point

/** The hover for `pos`, or undefined where there is nothing to add (comments, unknown names, blank lines). */
export function hover(ctx: FeatureContext, pos: Position): HoverResult | undefined {
  const ix = featureIndex(ctx);
  const stmt = ix.statementAt[pos.line];
  if (!stmt || !contains(stmt.range, pos)) return undefined;
  switch (stmt.kind) {
    case 'section':
      return headerHover(ctx, ix, stmt);
    case 'assign':
      return assignmentHover(ctx, ix, stmt, pos);
    case 'link':
      return linkHover(ctx, ix, stmt);
    case 'unlink':
    case 'rmdir':
      return teardownHover(ix, stmt);
  }
}

// ---------------------------------------------------------------------------------------------
// Section headers

function headerHover(ctx: FeatureContext, ix: FeatureIndex, header: SectionHeader): HoverResult | undefined {
  const path = header.normPath;
  if (path === null) return undefined;
  const range = header.range;
  const parts = path.split('/');
  let markdown: string | undefined;
  if (isPlatformPath(path)) {
    const c = ctx.emulation.analysis.platform.controllers.get(parts.slice(1).join('/'));
    markdown = c ? profileMarkdown(c) : undefined;
  } else if (parts[0] === 'functions' && parts.length >= 3) {
    markdown = functionMarkdown(ctx, ix, parts.slice(0, 3).join('/'), header.line);
  } else if (parts[0] === 'functions' && parts.length === 2) {
    const spec = findDriver(parts[1]);
    markdown = spec ? join([`### Driver ${code(spec.name)}`, spec.doc, spec.patchOnly && `*Patch only:* ${escapeMarkdown(spec.patchOnly)}`, `Reference: ${spec.ref}`]) : undefined;
  } else if (parts[0] === 'controllers' && parts.length === 2) {
    markdown = controllerMarkdown(ctx, parts[1]);
  } else {
    const kind = hostSectionKind(path);
    if (kind === 'host') markdown = hostMarkdown(ctx);
    else if (kind === 'transfer') markdown = transferMarkdown(ix, header.line, parts[2]);
    else if (kind === 'fault') markdown = faultMarkdown(ctx, header.line, parts[2]);
  }
  return markdown === undefined ? undefined : { markdown, range };
}

// ---- functions ------------------------------------------------------------------------------

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

function functionMarkdown(ctx: FeatureContext, ix: FeatureIndex, fn: string, line: number): string | undefined {
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
function profileMarkdown(c: Controller): string {
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

function controllerMarkdown(ctx: FeatureContext, name: string): string | undefined {
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

// ---- host -----------------------------------------------------------------------------------

function hostMarkdown(ctx: FeatureContext): string {
  const host = ctx.result().host;
  const cfg = ctx.emulation.system.host;
  const title = '### Host — the emulated root complex';
  if (!host) return join([title, 'No `[host]` section: the host side is not emulated.']);
  const dev = [...ctx.emulation.system.devices].reverse().find((d) => d.probe);
  const probe = dev?.probe;
  const status = host.probe === 'ok' ? '**probe ok**' : host.probe === 'not-run' ? '**probe not run**' : `**probe failed with \`-${host.probe}\`**`;
  const bars = host.bars.length > 0
    ? table(['BAR', 'bus address', 'size'], host.bars.map((b) => [`BAR${b.bar}`, `${hex(b.address)}–${hex(b.address + BigInt(b.size))}`, sizeText(b.size)]))
    : undefined;
  const handshake = probe && probe.hostReqAt !== undefined
    ? `Metadata found in BAR${probe.bar ?? '?'}; HOST_REQ set at ${stamp(probe.hostReqAt)}` + (probe.readyAt !== undefined ? `, READY seen at ${stamp(probe.readyAt)}.` : ', READY never seen.')
    : undefined;
  const vectors = probe
    ? `IRQ vectors: ${probe.parsed ? `${probe.parsed.irqs} requested (wr + rd), ` : ''}${probe.vectors} granted; the host grants up to ${cfg.msiVectors} MSI (\`msi-vectors\`).`
    : `The host grants up to ${cfg.msiVectors} MSI vectors (\`msi-vectors\`).`;
  const edma = probe?.parsed ? `eDMA: ${escapeMarkdown(probe.parsed.mapFormatName)}, ${probe.parsed.wrCount} write + ${probe.parsed.rdCount} read channels.` : undefined;
  return join([
    title,
    `Driver ${code(host.driver)} (driver_override + drivers_probe)${host.bdf ? ` · device ${code(host.bdf)}` : ''} · ${status}${host.reason ? `: ${escapeMarkdown(host.reason)}` : ''}`,
    bars,
    handshake,
    vectors,
    edma,
    'Reference: seed-series 6.5, kernel-background D.8',
  ]);
}

function transferMarkdown(ix: FeatureIndex, line: number, name: string): string {
  const t = ix.transferAt.get(line);
  const title = `### Transfer ${code(name)}`;
  if (!t) return join([title, 'This transfer is not part of the run.']);
  const channel = t.direction === 'rc-to-ep' ? 'read' : 'write';
  const status = t.status === 'done' ? (t.verified ? 'done ✓ (destination verified)' : 'done ✗ (destination does NOT hold the source bytes)') : t.status === 'not-run' ? 'not run' : t.status;
  const rows: string[][] = [
    ['status', status],
    ['direction', `${t.direction} on ${channel} channel ${t.channel} (${t.direction === 'rc-to-ep' ? 'host → endpoint' : 'endpoint → host'})`],
    ['bytes', sizeText(t.bytes)],
  ];
  if (t.src !== undefined) rows.push(['source', `${hex(t.src)} (${t.direction === 'rc-to-ep' ? 'host' : 'EP-local'})`]);
  if (t.dst !== undefined) rows.push(['destination', `${hex(t.dst)} (${t.direction === 'rc-to-ep' ? 'EP-local' : 'host'})`]);
  rows.push(['LL elements / chunks', `${t.elements} / ${t.chunks}`]);
  if (t.startUs !== undefined && t.endUs !== undefined) rows.push(['virtual time', `${stamp(t.startUs)} → ${stamp(t.endUs)} (${t.endUs - t.startUs} µs)`]);
  if (t.reason) rows.push(['reason', escapeMarkdown(t.reason)]);
  return join([title, table(['', ''], rows), 'Reference: kernel-background D.3, D.4, D.6; seed-series 4.2']);
}

function faultMarkdown(ctx: FeatureContext, line: number, name: string): string {
  const f = ctx.emulation.system.host.faults.find((x) => x.line === line);
  const events = ctx.emulation.system.clock.trace.filter((e) => e.line === line).map((e) => `${stamp(e.t)} ${e.text}`);
  return join([
    `### Injected fault ${code(name)}`,
    f ? `Kind ${code(f.kind || '(none)')}${f.at ? ` at ${code(f.at)}` : ''}${f.field ? `, field ${code(f.field)}` : ''}${f.value !== undefined ? ` = ${hex(f.value)}` : ''}.` : undefined,
    events.length > 0 ? codeBlock(events) : 'The run logged nothing for this fault.',
  ]);
}

// ---------------------------------------------------------------------------------------------
// Assignments

function assignmentHover(ctx: FeatureContext, ix: FeatureIndex, stmt: Assignment, pos: Position): HoverResult | undefined {
  const onValue = contains(stmt.value.range, pos) && stmt.value.text !== '';
  const range = onValue ? stmt.value.range : stmt.name.range;
  const path = sectionPath(ix, stmt.line);
  const hostKind = path === undefined ? undefined : hostSectionKind(path);
  let markdown: string | undefined;
  if (path !== undefined && isPlatformPath(path)) {
    markdown = platformKeyMarkdown(ctx, path.split('/').slice(1).join('/'), stmt, onValue);
  } else if (path !== undefined && hostKind) {
    markdown = hostKeyMarkdown(ctx, ix, hostKind, path, stmt, onValue);
  } else {
    markdown = attributeMarkdown(ctx, ix, stmt, onValue);
  }
  return markdown === undefined ? undefined : { markdown, range };
}

// ---- configfs attributes --------------------------------------------------------------------

export interface ResolvedAttribute {
  spec: AttributeSpec;
  /** pci_ep-relative path of the attribute file. */
  path: string;
  /** The function directory it belongs to, or the controller name. */
  fn?: string;
  driver?: string;
  controller?: string;
}

/** What kind of configfs directory a path is, for attribute lookups (cached: files reuse a few directories). */
type DirKind =
  | { kind: 'function'; fn: string; driver: string }
  | { kind: 'group'; fn: string; driver: string }
  | { kind: 'controller'; controller: string }
  | { kind: 'other' };

const DIR_KINDS = new Map<string, DirKind>();

function dirKind(dir: string): DirKind {
  let k = DIR_KINDS.get(dir);
  if (k) return k;
  const parts = dir.split('/');
  if (parts[0] === 'functions' && parts.length === 3 && findDriver(parts[1])) k = { kind: 'function', fn: dir, driver: parts[1] };
  else if (parts[0] === 'functions' && parts.length === 4 && parts[3].startsWith(`${parts[1]}.`) && findDriver(parts[1])) {
    k = { kind: 'group', fn: parts.slice(0, 3).join('/'), driver: parts[1] };
  } else if (parts[0] === 'controllers' && parts.length === 2) k = { kind: 'controller', controller: parts[1] };
  else k = { kind: 'other' };
  if (DIR_KINDS.size > 4096) DIR_KINDS.clear();
  DIR_KINDS.set(dir, k);
  return k;
}

/** The schema entry an `name = value` line in directory `dir` writes, with where it lives. */
export function attributeAt(dir: string, rawName: string): ResolvedAttribute | undefined {
  let path: string;
  if (rawName.includes('/') || rawName.includes(' ') || rawName === '.' || rawName === '..') {
    const full = resolvePath(rawName, dir);
    if (!full.ok) return undefined;
    path = full.path;
  } else {
    path = dir === '' ? rawName : `${dir}/${rawName}`;
  }
  const slash = path.lastIndexOf('/');
  const k = dirKind(slash < 0 ? '' : path.slice(0, slash));
  const name = path.slice(slash + 1);
  if (k.kind === 'function') {
    const spec = functionAttribute(name);
    return spec && { spec, path, fn: k.fn, driver: k.driver };
  }
  if (k.kind === 'group') {
    const spec = groupAttribute(k.driver, name);
    return spec && { spec, path, fn: k.fn, driver: k.driver };
  }
  if (k.kind === 'controller') {
    const spec = controllerAttribute(name);
    return spec && { spec, path, controller: k.controller };
  }
  return undefined;
}

function resolveAttribute(ctx: FeatureContext, ix: FeatureIndex, stmt: Assignment): ResolvedAttribute | undefined {
  const dir = ctx.emulation.analysis.replay.dirAt(stmt.line) ?? sectionPath(ix, stmt.line);
  return dir === undefined ? undefined : attributeAt(dir, stmt.name.text);
}

function describeCheck(spec: AttributeSpec, c: StoreCheck): string {
  const parser = spec.parse.kind === 'bool' ? 'kstrtobool' : `${kernelParserName(spec.parse.type)} base 0`;
  switch (c.check) {
    case 'parse':
      return c.errno === 'EINVAL'
        ? `parse with \`${parser}\`; any parse failure → \`EINVAL\``
        : `parse with \`${parser}\`; its error is returned as-is (\`EINVAL\` on junk, \`ERANGE\` on overflow)`;
    case 'unbound':
      return `refused with \`${c.errno}\` once the function is bound (linked to a controller)`;
    case 'range': {
      const bounds = c.min !== undefined && c.max !== undefined ? `${c.min}..${c.max}` : c.max !== undefined ? `at most ${c.max}` : `at least ${c.min}`;
      return `value must be ${bounds}, else \`${c.errno}\``;
    }
    case 'pow2':
      return `value must be a power of two, else \`${c.errno}\``;
    case 'differs':
      return `value must differ from \`${c.from}\`${c.unless !== undefined ? ` (unless ${c.unless})` : ''}, else \`${c.errno}\``;
    case 'index-le':
      return `${c.index} must be ≤ \`${c.sibling}\`, else \`${c.errno}\`${c.log ? ` (log "${escapeMarkdown(c.log)}")` : ''}`;
  }
}

export interface StoredValue {
  value: bigint | boolean;
  shown: string;
}

/** Show outputs already formatted (format + value → text); files repeat the same few values. */
const SHOWN = new Map<string, string>();

/** What `echo TEXT > attr` stores and what `cat attr` then prints, or undefined when the parse fails. */
export function readBackOf(spec: AttributeSpec, text: string): StoredValue | undefined {
  const page = `${text}\n`;
  const r = spec.parse.kind === 'bool' ? kstrtobool(page) : kstrtoInt(spec.parse.type, page);
  if (!r.ok) return undefined;
  const key = `${spec.show}\0${String(r.value)}`;
  let shown = SHOWN.get(key);
  if (shown === undefined) {
    shown = formatShow(spec.show, r.value);
    if (SHOWN.size > 4096) SHOWN.clear();
    SHOWN.set(key, shown);
  }
  return { value: r.value, shown };
}

/** What this line's write stores and how `cat` shows it, when it succeeds. */
function storedValue(spec: AttributeSpec, text: string, op: OpRecord | undefined): StoredValue | undefined {
  return op?.result === 'ok' ? readBackOf(spec, text) : undefined;
}

function storedText(v: StoredValue): string {
  const n = typeof v.value === 'boolean' ? (v.value ? '1 (true)' : '0 (false)') : v.value >= 10n ? `${v.value} (${hex(v.value)})` : String(v.value);
  return `stored ${n}, reads back as ${code(v.shown)}`;
}

function parseExplanation(spec: AttributeSpec, text: string): string {
  return escapeMarkdown(explainParse(spec.parse.kind === 'bool' ? 'bool' : spec.parse.type, `${text}\n`));
}

function attributeMarkdown(ctx: FeatureContext, ix: FeatureIndex, stmt: Assignment, onValue: boolean): string | undefined {
  const a = resolveAttribute(ctx, ix, stmt);
  if (!a) return undefined;
  const { spec } = a;
  const op = ix.opAt.get(stmt.line);
  const stored = storedValue(spec, stmt.value.text, op);
  const thisLine = `**This line:** ${code(`echo ${stmt.value.text} > ${a.path}`)} — ${stored ? `${storedText(stored)}.` : 'nothing is stored.'}`;
  const outcome = opOutcome(ix, op, 'write');
  const extra = spec.name === 'wr_chans' || spec.name === 'rd_chans'
    ? channelsMarkdown(ctx, ix, a, stmt, stored)
    : a.controller !== undefined ? controllerMarkdown(ctx, a.controller) : undefined;
  if (onValue) {
    const failed = op !== undefined && op.result !== 'ok';
    return join([
      `${code(stmt.value.text)} → ${code(spec.name)}`,
      failed && outcome,
      `${failed ? 'Parsing alone: ' : ''}${parseExplanation(spec, stmt.value.text)}`,
      stored ? `The kernel ${storedText(stored)} (show format ${code(spec.show)}).` : undefined,
      !failed && outcome,
      kernelLog(op),
      extra,
    ]);
  }
  const driverSpec = a.driver ? findDriver(a.driver) : undefined;
  const dflt = spec.group === 'function' ? driverSpec?.headerDefaults[spec.name] ?? spec.defaultValue : spec.defaultValue;
  const typeText = spec.parse.kind === 'bool' ? 'bool, parsed with `kstrtobool`' : `${code(spec.parse.type)}, parsed with \`${kernelParserName(spec.parse.type)}\` base 0`;
  const where = spec.group === 'driver-group' ? 'driver group attribute' : spec.group === 'controller' ? 'controller attribute' : 'function attribute';
  const rows: string[][] = [
    ['type', typeText],
    ['show', `${code(spec.show)}`],
  ];
  if (dflt !== undefined) rows.push(['default', `${code(formatShow(spec.show, BigInt(dflt)))}${driverSpec && spec.group === 'function' && driverSpec.headerDefaults[spec.name] !== undefined ? ` (set by ${driverSpec.name} probe)` : ''}`]);
  rows.push(['reference', escapeMarkdown(spec.ref)]);
  return join([
    `### ${code(spec.name)} — ${where}`,
    spec.doc,
    table(['', ''], rows),
    `**Store checks** (kernel order):\n${spec.store.map((c, i) => `${i + 1}. ${describeCheck(spec, c)}`).join('\n')}`,
    spec.bindNote && `**Checked later${spec.group === 'controller' ? '' : ' (bind / epc_init)'}:** ${spec.bindNote}`,
    spec.patchOnly && `*Patch only:* ${escapeMarkdown(spec.patchOnly)}`,
    thisLine,
    outcome,
    kernelLog(op),
    extra,
  ]);
}

// ---- wr_chans / rd_chans --------------------------------------------------------------------

function channelsMarkdown(ctx: FeatureContext, ix: FeatureIndex, a: ResolvedAttribute, stmt: Assignment, stored: StoredValue | undefined): string | undefined {
  if (!a.fn) return undefined;
  const write = a.spec.name === 'wr_chans';
  const dir = write ? 'ep-to-rc' : 'rc-to-ep';
  const dirText = write ? 'write channels (EP → RC)' : 'read channels (RC → EP)';
  const state = ctx.emulation.analysis.replay.state;
  const epf: EpfState | undefined = state.functions.get(a.fn);
  const links = ix.linksOf.get(a.fn) ?? [];
  const link = epf ? (epf.links.primary ?? epf.links.secondary) : undefined;
  const attempt = links.find((l) => l.line > stmt.line) ?? links[links.length - 1];
  const epcName = link?.epc ?? attempt?.epc;
  const controller = epcName ? ctx.emulation.analysis.platform.controllers.get(epcName) : undefined;
  const parts: (string | undefined)[] = [`**${write ? 'Write' : 'Read'} channels**`];
  if (controller) {
    const e = controller.profile.edma;
    const total = write ? e.wrChannels : e.rdChannels;
    parts.push(e.present
      ? `Controller ${code(controller.name)} has ${total} ${dirText}; map format ${MAP_NAME[e.mapFormat]}: ${MAP_RULE[e.mapFormat]}.`
      : `Controller ${code(controller.name)} has no integrated eDMA detected: bind cannot delegate channels.`);
  } else {
    parts.push('The function is not linked to a controller, so no hardware channels are chosen yet.');
  }
  const written = stored && typeof stored.value === 'bigint' ? Number(stored.value) : undefined;
  if (!epf?.bound && written !== undefined) {
    parts.push(written > 0
      ? `${code(`${a.spec.name} = ${written}`)} asks for hardware ${dirText.split(' ')[0]} channel${written > 1 ? 's' : ''} ${Array.from({ length: Math.min(written, 64) }, (_, i) => i).join(', ')} (the dense prefix).`
      : `${code(`${a.spec.name} = 0`)} delegates no ${dirText}.`);
  }
  const f = epf && link ? functionResultOf(ctx, a.fn) : undefined;
  const mine = f?.channels.filter((c) => c.dir === dir) ?? [];
  if (f && link && epf?.bound) {
    parts.push(mine.length > 0
      ? `Delegated at bind (${lineRef(link.origin.line)}): hardware ${dirText.split(' ')[0]} channel${mine.length > 1 ? 's' : ''} ${mine.map((c) => c.hwCh).join(', ')}.\n\n` +
        table(['dir', 'hw ch', 'state'], mine.map((c) => [c.dir, String(c.hwCh), c.errno ? `${c.state} (-${c.errno})` : c.state]), ['l', 'r', 'l'])
      : `No ${dirText} are delegated (the count at bind was 0).`);
  } else if (attempt) {
    const op = ix.opAt.get(attempt.line);
    if (op && op.result !== 'ok') {
      const ref = failureAt(ix, attempt.line, op.result)?.ref;
      parts.push(`**Bind fails** at ${lineRef(attempt.line)} with ${failureText(ix, attempt.line, op.result)}${ref ? ` (${escapeMarkdown(ref)})` : ''}`);
    } else if (attempt.unlinkedAt !== undefined) {
      // The function may be gone (rmdir) by the end of the run: look the reclaim up by path.
      let reclaimed: { hwCh: number }[] | undefined;
      for (const [f2, views] of ctx.emulation.system.reclaimed) if (f2.path === a.fn) reclaimed = views.filter((c) => c.dir === dir);
      parts.push(`Bound at ${lineRef(attempt.line)}, unlinked at ${lineRef(attempt.unlinkedAt)}${reclaimed && reclaimed.length > 0 ? `: channels ${reclaimed.map((c) => c.hwCh).join(', ')} reclaimed` : ''}.`);
    }
  }
  return join(parts);
}

// ---- platform keys --------------------------------------------------------------------------

function sizeValue(text: string): string | undefined {
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

function platformKeyMarkdown(ctx: FeatureContext, name: string, stmt: Assignment, onValue: boolean): string | undefined {
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

// ---- host keys ------------------------------------------------------------------------------

function hostValue(spec: HostKeySpec, text: string): string | undefined {
  const v = spec.value;
  if (v.kind === 'size' || v.kind === 'address') return sizeValue(text);
  if (v.kind === 'int') return `an integer ${v.min}..${v.max}`;
  if (v.kind === 'enum') return `one of ${v.values.map((x) => code(x)).join(', ')}`;
  return undefined;
}

function hostKeyMarkdown(ctx: FeatureContext, ix: FeatureIndex, kind: HostSectionKind, path: string, stmt: Assignment, onValue: boolean): string | undefined {
  const spec = HOST_KEYS[kind].find((k) => k.key === stmt.name.text.trim());
  if (!spec) return undefined;
  const header = ix.sectionAt[stmt.line]?.header;
  const name = path.split('/')[2] ?? '';
  const status = kind === 'host' ? hostMarkdown(ctx) : kind === 'transfer' && header ? transferMarkdown(ix, header.line, name) : header ? faultMarkdown(ctx, header.line, name) : undefined;
  const parsed = hostValue(spec, stmt.value.text);
  const value = parsed ? `${code(stmt.value.text)}: ${parsed}` : undefined;
  if (onValue) return join([`${code(stmt.value.text)} → ${code(spec.key)}`, value, status]);
  return join([`### ${code(spec.key)} — ${kind === 'host' ? 'host' : kind} setting`, spec.doc, value, status]);
}

// ---------------------------------------------------------------------------------------------
// Links and teardown

function linkHover(ctx: FeatureContext, ix: FeatureIndex, stmt: Link): HoverResult | undefined {
  const facts = ix.linkAt.get(stmt.line);
  if (!facts) return undefined;
  const op = ix.opAt.get(stmt.line);
  const target = stmt.normTarget ?? stmt.target.text;
  const shell = code(`ln -s ${CONFIGFS_ROOT}/${target} ${CONFIGFS_ROOT}/${facts.path}`);
  let what: string;
  let result: string | undefined;
  if (facts.kind === 'bind') {
    const iface = (facts.iface ?? 'primary').toUpperCase();
    what = `\`pci_epc_add_epf(epc, epf, ${iface})\` takes the lowest free function number of ${facts.epc ? code(facts.epc) : 'the controller'} ` +
      '(it must stay below `max-functions`), then `pci_epf_bind()` runs the driver\'s bind; if bind fails, the add is undone and `ln -s` fails with bind\'s errno.';
    if (op?.result === 'ok') {
      const epf = facts.fn ? ctx.emulation.analysis.replay.state.functions.get(facts.fn) : undefined;
      const dev = epf ? ` (${code(devName(epf))}${epf.bound ? ' bound' : ', waits for its other interface'})` : '';
      const n = facts.funcNo !== undefined ? `**function ${facts.funcNo}**` : 'a function number';
      result = `**✓ Linked:** ${n} on ${code(facts.epc ?? '?')}${dev}${facts.unlinkedAt !== undefined ? `; unlinked at ${lineRef(facts.unlinkedAt)}` : ''}.`;
      const init = ix.diagnosticsAt.get(stmt.line)?.find((d) => d.code === 'epc-init-failed');
      if (init?.errno) result += `\n\n**✗ epc_init fails** with ${failureText(ix, stmt.line, init.errno)}`;
    }
  } else if (facts.kind === 'vf') {
    what = '`pci_epf_add_vepf(pf, vf)` makes the target a virtual function of this physical function (VFs are numbered from 1); it is bound together with its PF.';
    if (op?.result === 'ok') {
      const vf = facts.fn ? ctx.emulation.analysis.replay.state.functions.get(facts.fn) : undefined;
      result = `**✓ Linked** as virtual function ${vf?.pf?.vfuncNo ?? '?'}.`;
    }
  } else {
    what = 'Only `controllers/<epc>/`, `primary/`, `secondary/` and function directories accept symlinks.';
  }
  return {
    markdown: join([`### Link ${code(stmt.name.text)} → ${code(target)}`, shell, what, result ?? opOutcome(ix, op, 'link'), kernelLog(op), 'Reference: kernel-background A.4']),
    range: stmt.range,
  };
}

function teardownHover(ix: FeatureIndex, stmt: Unlink | Rmdir): HoverResult | undefined {
  const op = ix.opAt.get(stmt.line);
  if (!op) return undefined;
  const what = stmt.kind === 'unlink'
    ? 'Removes the symlink: for a controller link the function is unbound (its driver\'s unbind runs: pci_epf_dma quiesces and reclaims its channels) and its function number is freed.'
    : 'Removes the function directory; it must hold no links and be no link\'s target.';
  return {
    markdown: join([`### ${code(`${stmt.kind === 'unlink' ? 'rm' : 'rmdir'} ${CONFIGFS_ROOT}/${op.path}`)}`, what, opOutcome(ix, op, stmt.kind), kernelLog(op)]),
    range: stmt.range,
  };
}
