/**
 * Code lenses above the first mention of each controller (`[platform/…]` or `[controllers/…]`)
 * and of each function (`[functions/<driver>/<name>…]`): run the emulation, open the preview,
 * export the configfs script. The client adds the document URI to the arguments.
 */
import type { Range } from '../language/ast';
import { isPlatformPath } from '../language/platform';
import type { FeatureContext } from './context';

export interface CodeLens {
  range: Range;
  title: string;
  command: string;
  arguments: unknown[];
}

const LENSES: readonly { title: string; command: string }[] = [
  { title: 'Emulate', command: 'pciep.emulate' },
  { title: 'Open preview', command: 'pciep.openPreview' },
  { title: 'Export configfs script', command: 'pciep.exportScript' },
];

/** `controller:<name>` / `function:<functions/drv/name>` for headers that get lenses, else undefined. */
function lensKey(path: string): string | undefined {
  const parts = path.split('/');
  if (isPlatformPath(path)) return parts.length === 2 && parts[1] !== '' ? `controller:${parts[1]}` : undefined;
  if (parts[0] === 'controllers' && parts.length === 2) return `controller:${parts[1]}`;
  if (parts[0] === 'functions' && parts.length >= 3) return `function:${parts.slice(0, 3).join('/')}`;
  return undefined;
}

export function codeLenses(ctx: FeatureContext): CodeLens[] {
  const seen = new Set<string>();
  const out: CodeLens[] = [];
  for (const section of ctx.doc.sections) {
    const header = section.header;
    if (!header?.normPath) continue;
    const key = lensKey(header.normPath);
    if (key === undefined || seen.has(key)) continue;
    seen.add(key);
    for (const l of LENSES) out.push({ range: header.range, title: l.title, command: l.command, arguments: [{ line: header.line }] });
  }
  return out;
}
