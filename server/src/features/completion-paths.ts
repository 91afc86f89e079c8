/**
 * Completion of section paths inside `[…]`: the functions, attribute groups, interfaces and
 * controllers of this file, every driver, the platform profiles not declared yet, and the host
 * sections, offered one path segment at a time.
 */
import type { Position } from '../language/ast';
import { CONFIGFS_ROOT } from '../language/paths';
import { DRIVERS, findDriver } from '../language/schema';
import { listProfiles } from '../language/profiles';
import { HOST_KEYS } from '../language/host-schema';
import type { FeatureContext } from './context';
import { range, tokenEnd } from './completion-cursor';
import { driverDoc, profileDoc, sortKey, type CompletionItem, type CompletionKind } from './completion-items';
import { devNameOf, functionTable, type FunctionInfo } from './document-facts';

interface PathCandidate {
  path: string;
  kind: CompletionKind;
  detail: string;
  documentation?: string;
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

export function completeSectionPath(ctx: FeatureContext, line: string, pos: Position, pathStart: number): CompletionItem[] {
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
