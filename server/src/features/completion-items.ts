/**
 * The completion item every completion module returns (plain data; server.ts maps it to LSP),
 * and the pieces items share: sort keys, attribute items with their type, default and
 * documentation, and the documentation of drivers and controller profiles.
 */
import type { Range } from '../language/ast';
import type { AttributeSpec, DriverSpec } from '../language/schema';
import type { Profile } from '../language/profiles/types';
import { formatSize } from '../language/units';
import { describeBar, type FunctionInfo } from './document-facts';

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

export function sortKey(group: number, index: number): string {
  return `${group}_${String(index).padStart(4, '0')}`;
}

export function withRange(items: CompletionItem[], r: Range): CompletionItem[] {
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

export function attributeItem(label: string, spec: AttributeSpec, driver: DriverSpec | undefined, appendOp: boolean, extraDoc?: string): CompletionItem {
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

export function linkName(f: FunctionInfo, others: Iterable<FunctionInfo>): string {
  for (const o of others) if (o.path !== f.path && o.name === f.name) return `${f.name}.${f.driver}`;
  return f.name;
}

export function driverDoc(d: DriverSpec): string {
  const parts = [d.doc];
  if (d.hasGroup) parts.push(`Attribute group \`${d.name}.N/\`: ${d.groupAttributes.map((a) => `\`${a.name}\``).join(', ')}.`);
  if (d.patchOnly) parts.push(`*Patch only:* ${d.patchOnly}`);
  parts.push(`*${d.ref}*`);
  return parts.join('\n\n');
}

export function profileDoc(p: Profile): string {
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
