/**
 * Completion of the name at the start of a line: the attributes of a function, driver group or
 * controller section (ranked after the ones already written, and marked when written too late),
 * platform and host keys, links to the declared controllers, and `unlink`/`rmdir`.
 */
import type { Position } from '../language/ast';
import { KERNEL_REVISIONS } from '../language/platform';
import { CONTROLLER_ATTRIBUTES, STANDARD_ATTRIBUTES, findDriver } from '../language/schema';
import { listProfiles } from '../language/profiles';
import { PLATFORM_KEYS } from '../language/profiles/overrides';
import { HOST_KEYS, type HostKeySpec } from '../language/host-schema';
import type { FeatureContext } from './context';
import type { SectionFacts } from './completion-cursor';
import { attributeItem, linkName, profileDoc, sortKey, type CompletionItem } from './completion-items';
import { setupItems } from './completion-snippets';
import { devNameOf, firstBindLine, type FunctionInfo } from './document-facts';

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

export function nameItems(ctx: FeatureContext, facts: SectionFacts, pos: Position, functions: Map<string, FunctionInfo>, appendOp: boolean): CompletionItem[] {
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
