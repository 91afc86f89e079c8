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
/** True for paths with nothing to normalise: no `.`/`..` segment, no `//`, no leading or trailing `/`, no blank. */
function isPlain(raw: string): boolean {
  const n = raw.length;
  if (n === 0 || raw.charCodeAt(0) === 47 || raw.charCodeAt(n - 1) === 47) return false;
  let segStart = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? raw.charCodeAt(i) : 47;
    if (c === 32 || c === 9) return false;
    if (c !== 47) continue;
    const len = i - segStart;
    if (len === 0) return false;
    if (raw.charCodeAt(segStart) === 46 && (len === 1 || (len === 2 && raw.charCodeAt(segStart + 1) === 46))) return false;
    segStart = i + 1;
  }
  return true;
}

export function resolvePath(raw: string, base = ''): PathResult {
  // Fast path for the common case (every statement resolves a path; keep it cheap).
  if (isPlain(raw)) return { ok: true, path: base === '' ? raw : `${base}/${raw}`, absolute: false };
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

/** A statement's entry: its full path, parent directory and name. */
export type Entry = {
  ok: true; path: string; parent: string; name: string;
  /** Set when `raw` is a plain `sub/name`: the parent is `sub` inside `base` (resolved by the caller without a path string). */
  sub?: string;
};

/**
 * Splits the path a statement names, relative to `base`, into its parent directory and entry
 * name. A plain name (no `/`, nothing to normalise: nearly every statement) is an entry of `base`
 * itself, so the parent is `base`, the very string the caller holds (a directory lookup keyed by
 * it needs no new string and no re-hash).
 */
export function resolveEntry(raw: string, base: string): Entry | { ok: false; message: string } {
  const slash = raw.indexOf('/');
  if (slash < 0 && isPlain(raw)) return { ok: true, path: joinPath(base, raw), parent: base, name: raw };
  // `pci_epf_test.0/bar0_size`, `primary/ep`: one level down, the other common shape. The path
  // strings stay unflattened concatenations until something reads them (an error message).
  if (slash > 0 && raw.indexOf('/', slash + 1) < 0 && isPlain(raw)) {
    const sub = raw.slice(0, slash);
    return { ok: true, path: joinPath(base, raw), parent: joinPath(base, sub), name: raw.slice(slash + 1), sub };
  }
  const r = resolvePath(raw, base);
  return r.ok ? { ok: true, path: r.path, parent: dirname(r.path), name: basename(r.path) } : r;
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
