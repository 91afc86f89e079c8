/**
 * Whole-setup snippets offered at the top of an empty file, composed from the bodies in
 * snippets/pciep.json so that the editor snippets and these stay one text.
 */
import snippetFile from '../../../snippets/pciep.json';
import type { CompletionItem } from './completion-items';

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

export function setupItems(): CompletionItem[] {
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
