/**
 * Paths inside the pci_ep configfs tree. A `.pciep` file names directories relative to
 * `/sys/kernel/config/pci_ep/`; lines pasted from a script may carry that absolute prefix.
 */

export const CONFIGFS_ROOT = '/sys/kernel/config/pci_ep';

export type PathResult = { ok: true; path: string; absolute: boolean } | { ok: false; message: string };

/**
 * Normalises a path written in a file into a pci_ep-relative path: strips the absolute prefix,
 * resolves `.` and `..` (relative to `base` when the path is relative), folds `//` and drops a
 * trailing `/`. `base` is a pci_ep-relative directory ('' = root).
 */
export function resolvePath(raw: string, base = ''): PathResult {
  let text = raw.trim();
  let absolute = false;
  if (text.startsWith('/')) {
    if (text === CONFIGFS_ROOT || text.startsWith(CONFIGFS_ROOT + '/')) {
      text = text.slice(CONFIGFS_ROOT.length);
      absolute = true;
      base = '';
    } else {
      return { ok: false, message: `absolute path outside ${CONFIGFS_ROOT}/: '${raw.trim()}'` };
    }
  }
  const parts = base === '' ? [] : base.split('/');
  for (const part of text.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return { ok: false, message: `'${raw.trim()}' leaves the pci_ep tree` };
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return { ok: true, path: parts.join('/'), absolute };
}

export function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
