/**
 * Completion for `.pciep` files: section paths inside `[…]`, attribute and key names at the start
 * of a line, values after `=`, link targets after `->`, and whole-setup snippets at the top of the
 * file. Everything is decided from the text of the line up to the cursor and the section the
 * cursor is in, and read from the one emulation the context already holds (nothing is re-run), so a
 * request stays well under a millisecond per hundred lines.
 *
 * The items are plain data; server.ts maps them to LSP CompletionItems.
 */
import type { Assignment, Document, Position, Range, Section, Statement } from '../language/ast';
import type { Controller } from '../language/platform';
import { KERNEL_REVISIONS } from '../language/platform';
import { CONFIGFS_ROOT, basename, dirname, resolvePath } from '../language/paths';
import { CONTROLLER_ATTRIBUTES, DRIVERS, STANDARD_ATTRIBUTES, findDriver } from '../language/schema';
import type { AttributeSpec, DriverSpec } from '../language/schema';
import { findProfile, listProfiles } from '../language/profiles';
import { PLATFORM_KEYS, findPlatformKey } from '../language/profiles/overrides';
import type { BarDesc, Profile } from '../language/profiles/types';
import { HOST_KEYS, hostSectionKind } from '../language/host-schema';
import type { HostKeySpec, HostSectionKind } from '../language/host-schema';
import { parseInt as kstrtoInt } from '../language/kstrto';
import { formatSize } from '../language/units';
import { isUsableBar } from '../emulator/epc/features';
import { IndexAllocator } from '../emulator/configfs/ida';
import snippetFile from '../../../snippets/pciep.json';
import type { FeatureContext } from './context';
import { commentStart, isBlank } from '../language/parser';

export type CompletionKind =
  | 'section' | 'driver' | 'function' | 'controller' | 'attribute' | 'value' | 'keyword' | 'snippet' | 'key';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text to insert instead of the label (a snippet when `snippet` is true). */
  insertText?: string;
  /** `insertText` uses snippet syntax (`$1`, `${1:default}`, `${1|a,b|}`, `$0`). */
  snippet?: boolean;
  /** The text the item replaces (also what the client filters against). */
  range?: Range;
  sortText?: string;
  filterText?: string;
  commitCharacters?: string[];
}

// ---------------------------------------------------------------------------------------------
// Shared document facts (also used by code-actions.ts)

/** A function directory seen in the file, with the device name the kernel gives it. */
export interface FunctionInfo {
  /** `functions/<driver>/<name>`. */
  path: string;
  driver: string;
  name: string;
  /** Global IDR index: the device (and the driver group) is `<driver>.<index>`. */
  index: number;
  /** Line of the creating section header. */
  line: number;
}

export function devNameOf(f: FunctionInfo): string {
  return `${f.driver}.${f.index}`;
}

/**
 * Every function the file creates, with the index the global IDR gave it (replayed from the mkdir
 * and rmdir operations: lowest free index first, freed on rmdir; kernel-background A.1). A
 * function removed and created again keeps its latest index.
 */
export function functionTable(ctx: FeatureContext): Map<string, FunctionInfo> {
  const out = new Map<string, FunctionInfo>();
  const live = new Map<string, number>();
  // ida_alloc / ida_free like the replay (emulator/configfs/ida.ts). Robustness
  // (docs/robustness.md): searching from 0 on every mkdir made completion in a file with 100,000
  // function sections take 140 s (quadratic).
  const ida = new IndexAllocator();
  for (const op of ctx.emulation.analysis.replay.ops) {
    if (op.result !== 'ok') continue;
    if (op.op === 'mkdir') {
      const index = ida.alloc();
      live.set(op.path, index);
      const [, driver, name] = op.path.split('/');
      out.set(op.path, { path: op.path, driver, name, index, line: op.line });
    } else if (op.op === 'rmdir') {
      const index = live.get(op.path);
      if (index !== undefined) {
        ida.free(index);
        live.delete(op.path);
      }
    }
  }
  return out;
}

/** The pci_ep-relative directory each section stands for ('' before the first header), or null. */
export function sectionDir(section: Section): string | null {
  if (!section.header) return '';
  return section.header.normPath;
}

/** The section whose lines include `line` (the last one starting at or before it). */
export function sectionAt(doc: Document, line: number): Section | undefined {
  const sections = doc.sections;
  let lo = 0;
  let hi = sections.length - 1;
  let found: Section | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sections[mid];
    const start = s.header ? s.header.line : s.range.start.line;
    if (start <= line) {
      found = s;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** The controller a function is linked to anywhere in the file (or the only declared one). */
export function linkedController(ctx: FeatureContext, fnPath: string): Controller | undefined {
  const controllers = ctx.emulation.analysis.platform.controllers;
  for (const section of ctx.doc.sections) {
    const dir = sectionDir(section);
    if (dir === null) continue;
    for (const stmt of section.body) {
      if (stmt.kind !== 'link' || !stmt.normTarget) continue;
      const linkPath = resolvePath(stmt.name.text, dir);
      if (!linkPath.ok) continue;
      let epc: string | undefined;
      if (linkPath.path.startsWith(fnPath + '/') && stmt.normTarget.startsWith('controllers/')) epc = stmt.normTarget.split('/')[1];
      else if (linkPath.path.startsWith('controllers/') && stmt.normTarget === fnPath) epc = linkPath.path.split('/')[1];
      const c = epc === undefined ? undefined : controllers.get(epc);
      if (c) return c;
    }
  }
  return controllers.size === 1 ? [...controllers.values()][0] : undefined;
}

/** Names of the BAR-index attributes of a driver's group (`metadata_bar`, `ctrl_bar`, …). */
export function barAttributes(driver: string): string[] {
  return (findDriver(driver)?.groupAttributes ?? []).filter((a) => a.name.endsWith('_bar')).map((a) => a.name);
}

/**
 * BARs chosen (0..5) by the other BAR attributes of the same function anywhere in the file,
 * the statement on `skipLine` excluded.
 */
export function barsChosenBySiblings(ctx: FeatureContext, fn: FunctionInfo, attr: string, skipLine: number): Set<number> {
  const siblings = new Set(barAttributes(fn.driver).filter((n) => n !== attr));
  const taken = new Set<number>();
  if (siblings.size === 0) return taken;
  for (const section of ctx.doc.sections) {
    const dir = sectionDir(section);
    if (dir === null || !(dir === fn.path || dir.startsWith(fn.path + '/'))) continue;
    for (const stmt of section.body) {
      if (stmt.kind !== 'assign' || stmt.line === skipLine) continue;
      const full = resolvePath(stmt.name.text, dir);
      if (!full.ok || !full.path.startsWith(fn.path + '/') || !siblings.has(basename(full.path))) continue;
      const r = kstrtoInt('s32', stmt.value.text + '\n');
      if (r.ok && r.value >= 0n && r.value <= 5n) taken.add(Number(r.value));
    }
  }
  return taken;
}

/**
 * BARs an endpoint function may still be given: usable types (not reserved, disabled or the upper
 * half of a 64-bit BAR; kernel-background C.2), holding no fixed controller resource (reserved
 * subregions such as RK3588 BAR4's eDMA registers; seed-series 6.2 step 3) and not `taken`.
 */
export function freeBars(profile: Profile, taken: ReadonlySet<number>): number[] {
  const bars = profile.features.bars;
  const out: number[] = [];
  for (let i = 0; i < 6; i++) {
    const d = bars[i];
    if (!isUsableBar(d) || (i > 0 && bars[i - 1].only64bit) || (d.rsvdRegions?.length ?? 0) > 0 || taken.has(i)) continue;
    if (i > 0 && taken.has(i - 1) && bars[i - 1].only64bit) continue;
    out.push(i);
  }
  return out;
}

export function describeBar(desc: BarDesc): string {
  const parts: string[] = [desc.type];
  if (desc.type === 'fixed' && desc.fixedSize !== undefined) parts.push(formatSize(desc.fixedSize));
  if (desc.only64bit) parts.push('64-bit only');
  return parts.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Where the cursor is

type DirInfo =
  | { kind: 'top' }
  | { kind: 'function'; fn: string; driver: string }
  | { kind: 'iface'; fn: string; driver: string; iface: 'primary' | 'secondary' }
  | { kind: 'group'; fn: string; driver: string }
  | { kind: 'controller'; epc: string }
  | { kind: 'platform'; epc: string }
  | { kind: 'host'; host: HostSectionKind }
  | { kind: 'other' };

function classifyDir(path: string | null): DirInfo {
  if (path === null) return { kind: 'other' };
  if (path === '') return { kind: 'top' };
  const parts = path.split('/');
  if (parts[0] === 'functions' && parts.length >= 3 && findDriver(parts[1])) {
    const fn = parts.slice(0, 3).join('/');
    const driver = parts[1];
    if (parts.length === 3) return { kind: 'function', fn, driver };
    if (parts.length === 4 && (parts[3] === 'primary' || parts[3] === 'secondary')) return { kind: 'iface', fn, driver, iface: parts[3] };
    if (parts.length === 4 && parts[3].startsWith(driver + '.') && findDriver(driver)?.hasGroup) return { kind: 'group', fn, driver };
    return { kind: 'other' };
  }
  if (parts[0] === 'controllers' && parts.length === 2) return { kind: 'controller', epc: parts[1] };
  if (parts[0] === 'platform' && parts.length === 2) return { kind: 'platform', epc: parts[1] };
  const host = hostSectionKind(path);
  if (host) return { kind: 'host', host };
  return { kind: 'other' };
}

/** True when a `#` comment has started before `end` (the parser's own rule). */
function inComment(line: string, end: number): boolean {
  let start = 0;
  while (start < end && isBlank(line[start])) start++;
  const c = commentStart(line, start);
  return c >= 0 && c < end;
}

function range(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** End of the token that continues after the cursor (up to a blank or one of `stops`). */
function tokenEnd(line: string, from: number, stops: string): number {
  let i = from;
  while (i < line.length && !isBlank(line[i]) && !stops.includes(line[i]) && !(line[i] === '-' && line[i + 1] === '>')) i++;
  return i;
}

// ---------------------------------------------------------------------------------------------
// Item helpers

function sortKey(group: number, index: number): string {
  return `${group}_${String(index).padStart(4, '0')}`;
}

function withRange(items: CompletionItem[], r: Range): CompletionItem[] {
  return items.map((it, i) => ({ ...it, range: r, sortText: it.sortText ?? sortKey(1, i) }));
}

function typeText(spec: AttributeSpec): string {
  return spec.parse.kind === 'bool' ? 'kstrtobool' : `${spec.parse.type}, base 0`;
}

function defaultText(spec: AttributeSpec, driver: DriverSpec | undefined): string | undefined {
  const own = driver?.headerDefaults[spec.name];
  const v = own ?? spec.defaultValue;
  if (v === undefined) return undefined;
  if (spec.show === '0x%04x') return `0x${v.toString(16).padStart(4, '0')}`;
  return String(v);
}

function attributeDoc(spec: AttributeSpec, extra?: string): string {
  const parts = [spec.doc];
  if (spec.bindNote) parts.push(`**At bind:** ${spec.bindNote}`);
  if (spec.patchOnly) parts.push(`*Patch only:* ${spec.patchOnly}`);
  if (extra) parts.push(extra);
  parts.push(`*${spec.ref}*`);
  return parts.join('\n\n');
}

function attributeItem(label: string, spec: AttributeSpec, driver: DriverSpec | undefined, appendOp: boolean, extraDoc?: string): CompletionItem {
  const def = defaultText(spec, driver);
  return {
    label,
    kind: 'attribute',
    detail: `${typeText(spec)}${def !== undefined ? ` · default ${def}` : ''}`,
    documentation: attributeDoc(spec, extraDoc),
    insertText: appendOp ? `${label} = ` : label,
    filterText: label,
  };
}

function linkName(f: FunctionInfo, others: Iterable<FunctionInfo>): string {
  for (const o of others) if (o.path !== f.path && o.name === f.name) return `${f.name}.${f.driver}`;
  return f.name;
}

// ---------------------------------------------------------------------------------------------
// Whole-setup snippets, composed from snippets/pciep.json bodies

interface SnippetDef {
  prefix: string | string[];
  description: string;
  body: string[];
}

const SNIPPETS: readonly SnippetDef[] = Object.values(snippetFile as Record<string, SnippetDef>);

function snippetBody(prefix: string): SnippetDef | undefined {
  return SNIPPETS.find((s) => (Array.isArray(s.prefix) ? s.prefix : [s.prefix]).includes(prefix));
}

const PLACEHOLDER = /\$\{(\d+)((?:[:|])(?:\\.|[^}\\])*)?\}|\$(\d+)/g;

interface SnippetPart {
  prefix: string;
  /** Tab stop → an earlier (already renumbered) tab stop it mirrors. */
  alias?: Record<number, number>;
  /** Tab stop → fixed text. */
  literal?: Record<number, string>;
}

/** Joins snippet bodies into one, renumbering tab stops so they do not collide; `$0` only from the last. */
function composeSnippet(parts: readonly SnippetPart[]): string | undefined {
  const out: string[] = [];
  let offset = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    const def = snippetBody(part.prefix);
    if (!def) return undefined;
    const last = p === parts.length - 1;
    let max = offset;
    for (const line of def.body) {
      out.push(line.replace(PLACEHOLDER, (whole: string, n1: string | undefined, rest: string | undefined, n2: string | undefined) => {
        const n = Number(n1 ?? n2);
        if (n === 0) return last ? whole : '';
        const literal = part.literal?.[n];
        if (literal !== undefined) return literal;
        const alias = part.alias?.[n];
        if (alias !== undefined) return `$${alias}`;
        max = Math.max(max, n + offset);
        return n1 !== undefined ? `\${${n + offset}${rest ?? ''}}` : `$${n + offset}`;
      }));
    }
    offset = max;
  }
  return out.join('\n');
}

/** The text a snippet inserts when every placeholder keeps its default (for documentation). */
function expandSnippet(snippet: string): string {
  const defaults = new Map<number, string>();
  snippet.replace(PLACEHOLDER, (whole: string, n1: string | undefined, rest: string | undefined) => {
    if (n1 !== undefined && rest) {
      const text = rest.startsWith('|') ? rest.slice(1, -1).split(/(?<!\\),/)[0] : rest.slice(1);
      defaults.set(Number(n1), text.replace(/\\(.)/g, '$1'));
    }
    return whole;
  });
  return snippet.replace(PLACEHOLDER, (_w: string, n1: string | undefined, _r: string | undefined, n2: string | undefined) => defaults.get(Number(n1 ?? n2)) ?? '');
}

interface SetupDef {
  label: string;
  detail: string;
  description: string;
  parts: SnippetPart[];
}

const SETUPS: readonly SetupDef[] = [
  {
    label: 'setup: RK3588 + pci_epf_dma + host transfer',
    detail: 'whole file: platform, pci_epf_dma function (2+2 eDMA channels), start, host, one transfer',
    description:
      'A complete RK3588 endpoint exposing its eDMA channels to the host (DESIGN.md §2): the platform facts, the ' +
      '`pci_epf_dma` function with its driver attributes written before the link, `start = 1`, the emulated host with ' +
      '`dw-edma-pcie`, and one DMA transfer.',
    parts: [
      { prefix: 'platform', literal: { 2: 'rockchip,rk3588-pcie-ep' } },
      { prefix: 'pci_epf_dma', alias: { 9: 1 } },
      { prefix: 'host' },
      { prefix: 'transfer' },
    ],
  },
  {
    label: 'setup: pci_epf_test',
    detail: 'whole file: platform, pci_epf_test function, start',
    description: 'The mainline test function on a controller of your choice, linked and started (host side: `pci_endpoint_test`).',
    parts: [{ prefix: 'platform' }, { prefix: 'pci_epf_test', alias: { 6: 1 } }],
  },
  {
    label: 'setup: pci_epf_vntb',
    detail: 'whole file: platform, virtual NTB function, start',
    description: 'A virtual NTB between the host and the endpoint\'s own Linux: doorbells, scratchpads, one memory window.',
    parts: [{ prefix: 'platform' }, { prefix: 'pci_epf_vntb', alias: { 13: 1 } }],
  },
  {
    label: 'setup: host + transfer',
    detail: '[host] with dw-edma-pcie and one [host/transfer/…]',
    description: 'The emulated root complex and a DMA transfer it runs once the delegated channels are up.',
    parts: [{ prefix: 'host' }, { prefix: 'transfer' }],
  },
];

let setupCache: CompletionItem[] | undefined;

function setupItems(): CompletionItem[] {
  if (setupCache) return setupCache;
  const items: CompletionItem[] = [];
  for (const s of SETUPS) {
    const text = composeSnippet(s.parts);
    if (text === undefined) continue;
    items.push({
      label: s.label,
      kind: 'snippet',
      detail: s.detail,
      documentation: `${s.description}\n\n\`\`\`pciep\n${expandSnippet(text).trimEnd()}\n\`\`\``,
      insertText: text,
      snippet: true,
      filterText: s.label.replace(/^setup: /, ''),
    });
  }
  setupCache = items;
  return items;
}

// ---------------------------------------------------------------------------------------------
// Section paths inside [ … ]

interface PathCandidate {
  path: string;
  kind: CompletionKind;
  detail: string;
  documentation?: string;
}

function driverDoc(d: DriverSpec): string {
  const parts = [d.doc];
  if (d.hasGroup) parts.push(`Attribute group \`${d.name}.N/\`: ${d.groupAttributes.map((a) => `\`${a.name}\``).join(', ')}.`);
  if (d.patchOnly) parts.push(`*Patch only:* ${d.patchOnly}`);
  parts.push(`*${d.ref}*`);
  return parts.join('\n\n');
}

function profileDoc(p: Profile): string {
  const bars = p.features.bars.map((b, i) => `BAR${i} ${describeBar(b)}`).join(' · ');
  const e = p.edma;
  const edma = e.present ? `eDMA ${e.mapFormat}, ${e.wrChannels} write + ${e.rdChannels} read channels` : 'no integrated eDMA detected';
  return [
    `**${p.name}** (\`${p.compatible}\`, ${p.glue}); usual controller name \`${p.epcName}\`.`,
    `${bars}`,
    `MSI ${p.features.msiCapable ? 'yes' : 'no'}, MSI-X ${p.features.msixCapable ? 'yes' : 'no'}, align ${p.features.align === 0 ? 'none' : formatSize(p.features.align)}, max-functions ${p.maxFunctions}; ${edma}.`,
    `*${p.ref}*`,
  ].join('\n\n');
}

function pathCandidates(ctx: FeatureContext, functions: Map<string, FunctionInfo>): PathCandidate[] {
  const out: PathCandidate[] = [];
  const controllers = ctx.emulation.analysis.platform.controllers;
  for (const f of functions.values()) {
    const d = findDriver(f.driver);
    out.push({ path: f.path, kind: 'function', detail: `${devNameOf(f)}: ${d?.summary ?? f.driver}`, documentation: d ? driverDoc(d) : undefined });
  }
  for (const f of functions.values()) {
    const d = findDriver(f.driver);
    if (d?.hasGroup) {
      out.push({
        path: `${f.path}/${devNameOf(f)}`, kind: 'section', detail: `${f.driver}'s attribute group of ${f.name}`,
        documentation: `The driver's own attributes (${d.groupAttributes.map((a) => `\`${a.name}\``).join(', ')}). ` +
          `The group is named after the device \`${devNameOf(f)}\`: the index counts every function created before it, across all drivers (kernel-background A.1).`,
      });
    }
    out.push({ path: `${f.path}/primary`, kind: 'section', detail: 'primary interface: link a controller here', documentation: 'A link `NAME -> controllers/<epc>` in this directory binds the function to that controller (kernel-background A.4).' });
    if (d?.interfaces === 'primary+secondary') {
      out.push({ path: `${f.path}/secondary`, kind: 'section', detail: 'secondary interface: link the second controller here', documentation: 'pci_epf_ntb binds only once both primary/ and secondary/ are linked (kernel-background B.2).' });
    }
  }
  for (const c of controllers.values()) {
    out.push({ path: `controllers/${c.name}`, kind: 'controller', detail: `${c.profile.name}: start it and link functions`, documentation: profileDoc(c.profile) });
  }
  out.push({ path: 'functions/', kind: 'section', detail: 'endpoint functions: functions/<driver>/<name> (mkdir)' });
  for (const d of DRIVERS) out.push({ path: `functions/${d.name}/`, kind: 'driver', detail: d.summary, documentation: driverDoc(d) });
  out.push({ path: 'controllers/', kind: 'section', detail: 'endpoint controllers (declared by [platform/…] sections)' });
  out.push({
    path: 'platform/', kind: 'section', detail: 'controller facts as probed (devicetree; not configfs)',
    documentation: 'A `[platform/<epc>]` section describes a controller the kernel probed: `compatible` selects a built-in profile and any profile value can be overridden (DESIGN.md §2).',
  });
  const seen = new Set<string>();
  for (const p of listProfiles()) {
    if (controllers.has(p.epcName) || seen.has(p.epcName)) continue;
    seen.add(p.epcName);
    out.push({ path: `platform/${p.epcName}`, kind: 'controller', detail: `${p.name} (${p.compatible})`, documentation: profileDoc(p) });
  }
  out.push({ path: 'host', kind: 'section', detail: 'the emulated root complex', documentation: HOST_KEYS.host.map((k) => `- \`${k.key}\`: ${k.doc}`).join('\n') });
  out.push({ path: 'host/transfer/', kind: 'section', detail: 'a DMA transfer the host runs: host/transfer/<name>', documentation: HOST_KEYS.transfer.map((k) => `- \`${k.key}\`: ${k.doc}`).join('\n') });
  out.push({ path: 'host/fault/', kind: 'section', detail: 'an injected fault: host/fault/<name>', documentation: HOST_KEYS.fault.map((k) => `- \`${k.key}\`: ${k.doc}`).join('\n') });
  return out;
}

function completeSectionPath(ctx: FeatureContext, line: string, pos: Position, pathStart: number): CompletionItem[] {
  let typed = line.slice(pathStart, pos.character);
  let base = 0;
  if (typed.startsWith('/')) {
    const root = CONFIGFS_ROOT + '/';
    if (!typed.startsWith(root)) return [];
    base = root.length;
    typed = typed.slice(root.length);
  }
  const slash = typed.lastIndexOf('/');
  const dirTyped = typed.slice(0, slash + 1);
  const segStart = pathStart + base + slash + 1;
  const end = tokenEnd(line, pos.character, ']');
  const closed = line.indexOf(']', pos.character) >= 0;
  const r = range(pos.line, segStart, end);
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  pathCandidates(ctx, functionTable(ctx)).forEach((c, i) => {
    if (!c.path.startsWith(dirTyped) || c.path.length === dirTyped.length) return;
    const label = c.path.slice(dirTyped.length);
    if (seen.has(label)) return;
    seen.add(label);
    const open = label.endsWith('/');
    items.push({
      label, kind: c.kind, detail: c.detail, documentation: c.documentation, range: r, sortText: sortKey(1, i), filterText: label,
      insertText: open || closed ? label : `${label}]`,
    });
  });
  return items;
}

// ---------------------------------------------------------------------------------------------
// Names at the start of a line

interface SectionFacts {
  section: Section | undefined;
  dir: string | null;
  info: DirInfo;
  /** Full paths written by assignments of this section (cursor line excluded). */
  written: Set<string>;
}

function sectionFacts(ctx: FeatureContext, line: number): SectionFacts {
  const section = sectionAt(ctx.doc, line);
  const dir = section ? sectionDir(section) : '';
  const written = new Set<string>();
  if (section && dir !== null) {
    for (const stmt of section.body) {
      if (stmt.kind !== 'assign' || stmt.line === line) continue;
      const full = resolvePath(stmt.name.text, dir);
      if (full.ok) written.add(full.path);
    }
  }
  return { section, dir, info: classifyDir(dir), written };
}

/** Line of the first link binding `fn` to a controller, if any. */
function firstBindLine(ctx: FeatureContext, fnPath: string): number | undefined {
  let first: number | undefined;
  for (const section of ctx.doc.sections) {
    const dir = sectionDir(section);
    if (dir === null) continue;
    for (const stmt of section.body) {
      if (stmt.kind !== 'link' || !stmt.normTarget) continue;
      const lp = resolvePath(stmt.name.text, dir);
      if (!lp.ok) continue;
      const binds = (lp.path.startsWith(fnPath + '/') && stmt.normTarget.startsWith('controllers/'))
        || (lp.path.startsWith('controllers/') && stmt.normTarget === fnPath);
      if (binds && (first === undefined || stmt.line < first)) first = stmt.line;
    }
  }
  return first;
}

function rankWritten(items: CompletionItem[], isWritten: (it: CompletionItem) => boolean): CompletionItem[] {
  return items.map((it, i) => ({ ...it, sortText: sortKey(isWritten(it) ? 8 : 1, i) }));
}

function keywordItems(kinds: ('unlink' | 'rmdir')[]): CompletionItem[] {
  const out: CompletionItem[] = [];
  if (kinds.includes('unlink')) {
    out.push({
      label: 'unlink', kind: 'keyword', detail: 'rm a symlink of this directory (unbinds)',
      documentation: '`unlink NAME` removes the link `NAME` (`rm <dir>/NAME`): a function linked to a controller is unbound. Unlinking while the controller is started makes the kernel WARN (kernel-background A.3).',
      insertText: 'unlink ',
    });
  }
  if (kinds.includes('rmdir')) {
    out.push({
      label: 'rmdir', kind: 'keyword', detail: 'rmdir this function directory',
      documentation: '`rmdir` removes the current function directory (its links must be removed first) and frees its index for the next mkdir (kernel-background A.1).',
      insertText: 'rmdir',
    });
  }
  return out;
}

function controllerLinkItems(ctx: FeatureContext, names: (epc: string) => string, what: string): CompletionItem[] {
  const controllers = [...ctx.emulation.analysis.platform.controllers.values()];
  if (controllers.length === 0) {
    const label = names('NAME');
    return [{
      label, kind: 'snippet', detail: `${what}: link to a controller`, snippet: true,
      insertText: label.replace('NAME', '${1:NAME}'),
      documentation: 'Declare the controller first with a `[platform/<epc>]` section. The link binds the function (`ln -s controllers/<epc> …`, kernel-background A.4).',
    }];
  }
  return controllers.map((c) => ({
    label: names(c.name), kind: 'snippet' as const, detail: `${what}: bind to ${c.profile.name}`,
    documentation: `\`ln -s controllers/${c.name} …\`: pci_epc_add_epf takes the next function number and the driver binds (kernel-background A.4). Write every driver attribute before this line.\n\n${profileDoc(c.profile)}`,
  }));
}

function nameItems(ctx: FeatureContext, facts: SectionFacts, pos: Position, functions: Map<string, FunctionInfo>, appendOp: boolean): CompletionItem[] {
  const info = facts.info;
  const isWritten = (dir: string) => (it: CompletionItem) => it.kind === 'attribute' || it.kind === 'key'
    ? facts.written.has(`${dir}/${it.label}`) : false;
  switch (info.kind) {
    case 'top':
      return facts.section?.header ? [] : setupItems();
    case 'function': {
      const driver = findDriver(info.driver);
      const fn = functions.get(info.fn);
      const items: CompletionItem[] = STANDARD_ATTRIBUTES.map((a) => attributeItem(a.name, a, driver, appendOp));
      const bindLine = firstBindLine(ctx, info.fn);
      const boundAbove = bindLine !== undefined && bindLine < pos.line;
      if (fn && driver?.hasGroup) {
        for (const a of driver.groupAttributes) {
          const refused = boundAbove ? a.store.find((c) => c.check === 'unbound') : undefined;
          const warning = refused && bindLine !== undefined
            ? `**Too late here:** the function is linked at line ${bindLine + 1}, so this write fails with ${refused.errno}. Write it before the link.`
            : undefined;
          items.push(attributeItem(`${devNameOf(fn)}/${a.name}`, a, driver, appendOp, warning));
        }
      }
      const ranked = rankWritten(items, isWritten(info.fn));
      if (boundAbove) {
        for (const it of ranked) if (it.label.includes('/')) it.sortText = `7${it.sortText?.slice(1) ?? ''}`;
      }
      const links = controllerLinkItems(ctx, (epc) => `primary/ep -> controllers/${epc}`, 'primary/');
      if (driver?.interfaces === 'primary+secondary') {
        links.push(...controllerLinkItems(ctx, (epc) => `secondary/ep -> controllers/${epc}`, 'secondary/'));
      }
      const rest = [...links, ...keywordItems(['unlink', 'rmdir'])].map((it, i) => ({ ...it, sortText: sortKey(5, i) }));
      return [...ranked, ...rest];
    }
    case 'group': {
      const driver = findDriver(info.driver);
      const items = (driver?.groupAttributes ?? []).map((a) => attributeItem(a.name, a, driver, appendOp));
      const dir = facts.dir ?? info.fn;
      return rankWritten(items, isWritten(dir));
    }
    case 'iface':
      return [
        ...controllerLinkItems(ctx, (epc) => `ep -> controllers/${epc}`, `${info.iface}/`),
        ...keywordItems(['unlink']),
      ].map((it, i) => ({ ...it, sortText: sortKey(1, i) }));
    case 'controller': {
      const start = CONTROLLER_ATTRIBUTES.map((a) => attributeItem(a.name, a, undefined, appendOp));
      const linkedHere = new Set<string>();
      for (const stmt of facts.section?.body ?? []) if (stmt.kind === 'link' && stmt.normTarget) linkedHere.add(stmt.normTarget);
      const all = [...functions.values()];
      const links: CompletionItem[] = all.map((f) => {
        const d = findDriver(f.driver);
        const label = `${linkName(f, all)} -> ${f.path}`;
        return {
          label, kind: 'function' as const, detail: `link ${devNameOf(f)} (binds it to ${info.epc})`,
          documentation: `\`ln -s ${f.path} controllers/${info.epc}/\`: binds the function on its primary interface (kernel-background A.4).${d ? `\n\n${d.summary}` : ''}`,
          sortText: sortKey(linkedHere.has(f.path) ? 8 : 2, 0),
        };
      });
      return [
        ...rankWritten(start, isWritten(`controllers/${info.epc}`)),
        ...links.map((it, i) => ({ ...it, sortText: `${it.sortText?.slice(0, 2) ?? '2_'}${String(i).padStart(4, '0')}` })),
        ...keywordItems(['unlink']).map((it) => ({ ...it, sortText: sortKey(5, 0) })),
      ];
    }
    case 'platform': {
      const c = ctx.emulation.analysis.platform.controllers.get(info.epc);
      const profile = c?.profile;
      const items: CompletionItem[] = [
        {
          label: 'compatible', kind: 'key', detail: 'devicetree compatible: selects a built-in profile',
          documentation: 'Selects the built-in EPC + eDMA profile (BAR types, align, MSI/MSI-X, max-functions, iATU, eDMA geometry); every field can be overridden below it (DESIGN.md §2).\n\n' +
            listProfiles().map((p) => `- \`${p.compatible}\`: ${p.name}`).join('\n'),
          insertText: appendOp ? 'compatible = ' : 'compatible', filterText: 'compatible',
        },
        {
          label: 'kernel', kind: 'key', detail: `series revision emulated: ${KERNEL_REVISIONS.join(' | ')} (default v4)`,
          documentation: 'Which revision of the PCI endpoint DMA series is emulated: `v4` (default) or `v3` as in the seeds (seed-series 0, 3, 4.1).',
          insertText: appendOp ? 'kernel = ' : 'kernel', filterText: 'kernel',
        },
        ...PLATFORM_KEYS.map((k): CompletionItem => ({
          label: k.key, kind: 'key', detail: k.valueSyntax,
          documentation: `${k.doc}${profile ? `\n\nValue for ${profile.name}: \`${k.show(profile)}\`` : ''}\n\n*${k.ref}*`,
          insertText: appendOp ? `${k.key} = ` : k.key, filterText: k.key,
        })),
      ];
      const keys = c?.keys;
      return items.map((it, i) => ({ ...it, sortText: sortKey(keys?.has(it.label) ? 8 : 1, i) }));
    }
    case 'host': {
      const written = new Set<string>();
      for (const stmt of facts.section?.body ?? []) if (stmt.kind === 'assign' && stmt.line !== pos.line) written.add(stmt.name.text);
      return HOST_KEYS[info.host].map((k, i): CompletionItem => ({
        label: k.key, kind: 'key', detail: hostValueText(k), documentation: `${k.doc}${k.required ? '\n\n**Required.**' : ''}`,
        insertText: appendOp ? `${k.key} = ` : k.key, filterText: k.key, sortText: sortKey(written.has(k.key) ? 8 : k.required ? 0 : 1, i),
      }));
    }
    case 'other':
      return [];
  }
}

function hostValueText(k: HostKeySpec): string {
  const v = k.value;
  switch (v.kind) {
    case 'enum': return v.values.join(' | ');
    case 'int': return `${v.min}..${v.max}`;
    case 'size': return 'SIZE (K/M/G suffixes, _ separators)';
    case 'address': return 'ADDRESS';
    case 'text': return 'TEXT';
  }
}

// ---------------------------------------------------------------------------------------------
// Values after `=`

interface ValueChoice {
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

function completeValue(ctx: FeatureContext, facts: SectionFacts, name: string, pos: Position, functions: Map<string, FunctionInfo>): ValueChoice[] {
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

// ---------------------------------------------------------------------------------------------
// Link targets after `->` and names after `unlink`

function completeTarget(ctx: FeatureContext, facts: SectionFacts, name: string, functions: Map<string, FunctionInfo>): CompletionItem[] {
  const info = facts.info;
  const controllers = [...ctx.emulation.analysis.platform.controllers.values()];
  const toControllers = (): CompletionItem[] => controllers.map((c) => ({
    label: `controllers/${c.name}`, kind: 'controller', detail: c.profile.name, documentation: profileDoc(c.profile),
  }));
  if (info.kind === 'iface') return toControllers();
  if (info.kind === 'function') {
    if (/^(primary|secondary)(\/|$)/.test(name)) return toControllers();
    return [...functions.values()].filter((f) => f.path !== info.fn).map((f) => ({
      label: f.path, kind: 'function' as const, detail: `as a virtual function (${devNameOf(f)})`,
      documentation: 'Links a virtual function under this physical function (pci_epf_add_vepf). DWC controllers have no max_vfs, so binding then fails (kernel-background A.4).',
    }));
  }
  if (info.kind === 'controller') {
    const linkedHere = new Set<string>();
    for (const stmt of facts.section?.body ?? []) if (stmt.kind === 'link' && stmt.normTarget) linkedHere.add(stmt.normTarget);
    return [...functions.values()].map((f, i) => ({
      label: f.path, kind: 'function' as const, detail: `${devNameOf(f)}: ${findDriver(f.driver)?.summary ?? f.driver}`,
      documentation: `Binds ${f.path} to ${info.epc} on its primary interface (kernel-background A.4).`,
      sortText: sortKey(linkedHere.has(f.path) ? 8 : 1, i),
    }));
  }
  if (info.kind === 'top') {
    if (name.startsWith('controllers/')) return [...functions.values()].map((f) => ({ label: f.path, kind: 'function' as const, detail: devNameOf(f) }));
    if (name.startsWith('functions/')) return toControllers();
  }
  return [];
}

function completeUnlink(ctx: FeatureContext, facts: SectionFacts, line: number): CompletionItem[] {
  if (facts.dir === null) return [];
  const names: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const section of ctx.doc.sections) {
    if (sectionDir(section) !== facts.dir) continue;
    for (const stmt of section.body) {
      if (stmt.kind !== 'link' || stmt.line >= line || seen.has(stmt.name.text)) continue;
      seen.add(stmt.name.text);
      names.push({ label: stmt.name.text, kind: 'keyword', detail: `-> ${stmt.target.text}`, documentation: `Removes the link made at line ${stmt.line + 1}.` });
    }
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// Entry point

/** Completion items at `pos` (0-based line, UTF-16 character). */
export function complete(ctx: FeatureContext, pos: Position): CompletionItem[] {
  const lines = ctx.doc.lines;
  if (pos.line < 0 || pos.line >= lines.length) return [];
  const line = lines[pos.line];
  const cursor = Math.min(pos.character, line.length);
  const at: Position = { line: pos.line, character: cursor };
  if (inComment(line, cursor)) return [];
  let i = 0;
  while (i < cursor && isBlank(line[i])) i++;
  const start = i;

  if (line[start] === '[' && start < cursor) {
    const close = line.indexOf(']', start);
    if (close >= 0 && close < cursor) return [];
    let p = start + 1;
    while (p < cursor && isBlank(line[p])) p++;
    return completeSectionPath(ctx, line, at, p);
  }

  const facts = sectionFacts(ctx, pos.line);
  const functions = functionTable(ctx);

  // The name token: up to a blank, '=' or '->' (as the parser reads it).
  while (i < cursor && !isBlank(line[i]) && line[i] !== '=' && !(line[i] === '-' && line[i + 1] === '>')) i++;
  const name = line.slice(start, i);
  if (i === cursor) {
    // Still typing the name.
    const end = tokenEnd(line, cursor, '=');
    const after = line.slice(end);
    const appendOp = !/^\s*(=|->)/.test(after);
    return withRange(nameItems(ctx, facts, at, functions, appendOp), range(pos.line, start, end));
  }
  let j = i;
  while (j < cursor && isBlank(line[j])) j++;
  if (j === cursor) {
    if (name === 'unlink') return withRange(completeUnlink(ctx, facts, pos.line), range(pos.line, cursor, tokenEnd(line, cursor, '')));
    return [];
  }
  if (line[j] === '=') {
    let v = j + 1;
    while (v < cursor && isBlank(line[v])) v++;
    const typed = line.slice(v, cursor);
    if (/\s/.test(typed)) return [];
    const end = tokenEnd(line, cursor, '#');
    const r = range(pos.line, v, end);
    return completeValue(ctx, facts, name, at, functions).map((c, k) => ({
      label: c.value, kind: 'value', detail: c.detail, documentation: c.documentation, range: r, sortText: sortKey(1, k), filterText: c.value,
    }));
  }
  if (line[j] === '-' && line[j + 1] === '>') {
    // Cursor between '-' and '>': no target yet. (Found by test/fuzz: the items' range started
    // after the arrow, past the cursor, which LSP forbids: a completion range must contain it.)
    if (cursor < j + 2) return [];
    let t = j + 2;
    while (t < cursor && isBlank(line[t])) t++;
    if (/\s/.test(line.slice(t, cursor))) return [];
    return withRange(completeTarget(ctx, facts, name, functions), range(pos.line, t, tokenEnd(line, cursor, '#')));
  }
  return [];
}

/** Statements of a document by line (one statement per line). */
export function statementsByLine(doc: Document): Map<number, Statement> {
  return new Map(doc.statements.map((s) => [s.line, s]));
}

