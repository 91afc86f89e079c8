/**
 * Hovers on configfs attribute writes (`name = value` in a function, driver group or controller
 * section): the schema entry and its store checks in kernel order, how kstrto* parses the value,
 * what the write stored and how `cat` reads it back, and for `wr_chans`/`rd_chans` which hardware
 * channels the controller can delegate and what bind made of them.
 */
import type { Assignment } from '../language/ast';
import type { AttributeSpec, StoreCheck } from '../language/schema/types';
import { controllerAttribute, findDriver, functionAttribute, groupAttribute } from '../language/schema';
import { explainParse, formatShow, kernelParserName, kstrtobool, parseInt as kstrtoInt } from '../language/kstrto';
import { resolvePath } from '../language/paths';
import { hex } from '../language/units';
import type { OpRecord } from '../emulator/configfs/replay';
import type { EpfState } from '../emulator/configfs/state';
import type { FeatureContext } from './context';
import { functionResultOf, sectionPath, type FeatureIndex } from './feature-index';
import { failureAt, failureText, kernelLog, opOutcome } from './hover-outcomes';
import { controllerMarkdown, MAP_NAME, MAP_RULE } from './hover-platform';
import { code, escapeMarkdown, join, lineRef, table } from './markdown';

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

export function attributeMarkdown(ctx: FeatureContext, ix: FeatureIndex, stmt: Assignment, onValue: boolean): string | undefined {
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
