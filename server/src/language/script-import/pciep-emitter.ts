/**
 * The `.pciep` output of script-import.ts: sections and statements, each checked to parse back as
 * exactly the statement meant, with the blank-line and trailing-comment layout of DESIGN.md.
 */
import * as nodePath from 'node:path';
import type { Statement } from '../ast';
import { parse } from '../parser';
import { isForeignSection, isFunctionDir } from '../script-export';

/** Trailing comments line up here when the statement is short enough, as in DESIGN.md's examples. */
const COMMENT_COLUMN = 40;
const posix = nodePath.posix;

export interface OutLine {
  kind: 'blank' | 'comment' | 'header' | 'stmt';
  text: string;
}

function relative(dir: string, path: string): string {
  return dir === '' ? path : path.slice(dir.length + 1);
}

function isStrictAncestor(dir: string, path: string): boolean {
  return dir === '' ? path !== '' : path.startsWith(dir + '/');
}

/** Directories the kernel makes (or the user made as a function); `ln -s T DIR` links inside them. */
export function isKernelDirectory(path: string): boolean {
  const parts = path.split('/');
  if (path === '') return true;
  if (parts[0] !== 'functions' && parts[0] !== 'controllers') return false;
  if (parts.length <= 2) return true;
  if (parts[0] !== 'functions') return false;
  if (parts.length === 3) return true;
  return parts.length === 4 && (parts[3] === 'primary' || parts[3] === 'secondary' || isDriverGroup(parts[1], parts[3]));
}

/** `pci_epf_vntb.0` under functions/pci_epf_vntb/<name>: the driver's own attribute group. */
function isDriverGroup(driver: string, name: string): boolean {
  return name.startsWith(driver + '.') && /^\d+$/.test(name.slice(driver.length + 1));
}

/** How a value is written after `=` so that the parser reads back exactly these bytes. */
function valueText(value: string): string {
  const bare = value !== '' && !/^\s|\s$/.test(value) && !/^["']/.test(value) && !/(^|\s)#/.test(value);
  return bare ? value : `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** Parses `text` back and checks it is exactly the one statement meant. */
function parsesAs(text: string, check: (s: Statement) => boolean): boolean {
  const doc = parse(text);
  return doc.errors.length === 0 && doc.statements.length === 1 && check(doc.statements[0]);
}

/**
 * Builds the `.pciep` text: tracks the section the output is in and which function directories
 * exist, because in `.pciep` the first `[functions/<driver>/<name>]` *is* the mkdir — a header for
 * a function the script never created must not be emitted (the statement goes under
 * `[functions/<driver>]` instead).
 */
export class Emitter {
  readonly lines: OutLine[] = [];
  /** The directory of the last header; null before any header (statements then run at the root). */
  private section: string | null = null;
  /** The output is inside a platform/host section: configfs statements need a new header. */
  private foreign = false;
  private readonly functions = new Set<string>();

  push(line: OutLine): void {
    if (line.kind === 'blank') {
      const last = this.lines[this.lines.length - 1];
      if (!last || last.kind === 'blank') return;
    }
    if (line.kind === 'header') this.separate();
    this.lines.push(line);
  }

  /** A blank line before a new section, above the comments that introduce it. */
  private separate(): void {
    let k = this.lines.length;
    while (k > 0 && this.lines[k - 1].kind === 'comment') k--;
    const before = this.lines[k - 1];
    if (before && (before.kind === 'stmt' || before.kind === 'header')) this.lines.splice(k, 0, { kind: 'blank', text: '' });
  }

  /** Appends a trailing comment to the last statement written since `mark`, else a comment line. */
  attachComment(mark: number, comment: string): void {
    const last = this.lines[this.lines.length - 1];
    if (this.lines.length <= mark || !last || (last.kind !== 'stmt' && last.kind !== 'header')) {
      this.push({ kind: 'comment', text: comment });
      return;
    }
    last.text = last.text.length < COMMENT_COLUMN - 1 ? last.text.padEnd(COMMENT_COLUMN) + comment : `${last.text}  ${comment}`;
  }

  text(): string {
    while (this.lines.length && this.lines[this.lines.length - 1].kind === 'blank') this.lines.pop();
    return this.lines.map((l) => l.text + '\n').join('');
  }

  foreignHeader(text: string): void {
    this.push({ kind: 'header', text });
    this.foreign = true;
    this.section = null;
  }

  /** A `# [dir]` marker from script-export: the section the statements below were written in. */
  marker(dir: string, comment: string | undefined): boolean {
    if (isForeignSection(dir) || (isFunctionDir(dir) && !this.functions.has(dir))) return false;
    if (this.header(dir) !== null) return false;
    if (comment) this.attachComment(this.lines.length - 1, comment);
    return true;
  }

  private header(dir: string): string | null {
    const text = `[${dir}]`;
    if (dir === '' || !parsesAs(text, (s) => s.kind === 'section' && s.normPath === dir)) {
      return `the directory '${dir}' cannot be written as a .pciep section`;
    }
    this.push({ kind: 'header', text });
    this.section = dir;
    this.foreign = false;
    if (isFunctionDir(dir)) this.functions.add(dir);
    return null;
  }

  /**
   * The section a statement about `path` goes in: the current one when `path` is inside it (and
   * it is at least as specific as the natural one), otherwise the natural one — the function for
   * everything under `functions/<driver>/<name>/`, the controller under `controllers/<epc>/`.
   */
  private place(path: string): { dir: string; header: boolean } | string {
    const anchor = this.anchor(path);
    const cur = this.section;
    // Before the first header the file runs at the pci_ep root; stay there for paths outside
    // functions/ and controllers/ (a header could never lead back to the root).
    if (cur === null && !this.foreign && !/^(functions|controllers)\//.test(path)) return { dir: '', header: false };
    if (!this.foreign && cur !== null && isStrictAncestor(cur, path) && (cur === anchor || isStrictAncestor(anchor, cur))) {
      return { dir: cur, header: false };
    }
    if (anchor !== '') return { dir: anchor, header: true };
    if (!this.foreign && cur === null) return { dir: '', header: false };
    return `'${path}' is directly in the pci_ep root, which a .pciep file can only address before its first section`;
  }

  private anchor(path: string): string {
    const parts = path.split('/');
    if (parts[0] === 'functions' && parts.length >= 3) {
      const fn = parts.slice(0, 3).join('/');
      return parts.length >= 4 && this.functions.has(fn) ? fn : parts.slice(0, 2).join('/');
    }
    if (parts[0] === 'controllers' && parts.length >= 3) return parts.slice(0, 2).join('/');
    return posix.dirname(path) === '.' ? '' : posix.dirname(path);
  }

  private statement(path: string, make: (rel: string) => string, check: (s: Statement, rel: string) => boolean): string | null {
    const where = this.place(path);
    if (typeof where === 'string') return where;
    const rel = relative(where.dir, path);
    const text = make(rel);
    if (!parsesAs(text, (s) => check(s, rel))) return `'${text}' would not read back as the same .pciep statement`;
    if (where.header) {
      const err = this.header(where.dir);
      if (err) return err;
    }
    this.push({ kind: 'stmt', text });
    return null;
  }

  assign(path: string, value: string): string | null {
    if (value.includes('\n')) return 'a value spanning several lines cannot be written in .pciep';
    return this.statement(path, (rel) => `${rel} = ${valueText(value)}`,
      (s, rel) => s.kind === 'assign' && s.name.text === rel && s.value.text === value);
  }

  link(path: string, target: string): string | null {
    if (target === '') return 'a link to the pci_ep root itself';
    return this.statement(path, (rel) => `${rel} -> ${target}`,
      (s, rel) => s.kind === 'link' && s.name.text === rel && s.normTarget === target);
  }

  unlink(path: string): string | null {
    return this.statement(path, (rel) => `unlink ${rel}`, (s, rel) => s.kind === 'unlink' && s.name.text === rel);
  }

  rmdir(path: string): string | null {
    if (path === '') return 'rmdir of the pci_ep root';
    let err: string | null = null;
    if (!this.foreign && this.section === path) this.push({ kind: 'stmt', text: 'rmdir' });
    else err = this.statement(path, (rel) => `rmdir ${rel}`, (s, rel) => s.kind === 'rmdir' && s.target?.text === rel);
    if (!err) this.functions.delete(path);
    return err;
  }

  /** `mkdir [-p] path`: only a function directory has a `.pciep` form (its first section header). */
  mkdir(path: string, parents: boolean): string | null {
    const parts = path.split('/');
    const fn = parts[0] === 'functions' && parts.length >= 3 ? parts.slice(0, 3).join('/') : null;
    if (fn && (path === fn || parents) && !this.functions.has(fn)) {
      const err = this.header(fn);
      if (err || path === fn) return err;
    }
    if (path === fn) return parents ? null : `${fn} already exists at this point: mkdir would fail with EEXIST`;
    if (parents && isKernelDirectory(path)) return null;
    if (fn && parts.length === 4 && isDriverGroup(parts[1], parts[3])) {
      return `${path} is the driver's attribute group: kernels since v6.2 create it, and .pciep has no mkdir for it`;
    }
    if (isKernelDirectory(path) && !/^controllers\/[^/]+$/.test(path)) return `${path} is created by the kernel: mkdir would fail with EEXIST`;
    return `only functions/<driver>/<name> directories can be created in pci_ep (not ${path})`;
  }
}
