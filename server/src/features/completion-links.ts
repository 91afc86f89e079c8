/**
 * Completion of link targets after `->` (controllers for an interface, functions for a
 * controller or as virtual functions) and of link names after `unlink`.
 */
import { findDriver } from '../language/schema';
import type { FeatureContext } from './context';
import type { SectionFacts } from './completion-cursor';
import { profileDoc, sortKey, type CompletionItem } from './completion-items';
import { devNameOf, sectionDir, type FunctionInfo } from './document-facts';

export function completeTarget(ctx: FeatureContext, facts: SectionFacts, name: string, functions: Map<string, FunctionInfo>): CompletionItem[] {
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

export function completeUnlink(ctx: FeatureContext, facts: SectionFacts, line: number): CompletionItem[] {
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
