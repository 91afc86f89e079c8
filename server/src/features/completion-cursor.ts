/**
 * Where the completion cursor is: what kind of configfs (or platform, or host) directory its
 * section stands for, what the section already writes, and the text helpers that find the token
 * under the cursor and whether a comment has started.
 */
import type { Range, Section } from '../language/ast';
import { resolvePath } from '../language/paths';
import { findDriver } from '../language/schema';
import { hostSectionKind, type HostSectionKind } from '../language/host-schema';
import { commentStart, isBlank } from '../language/parser';
import type { FeatureContext } from './context';
import { sectionAt, sectionDir } from './document-facts';

export type DirInfo =
  | { kind: 'top' }
  | { kind: 'function'; fn: string; driver: string }
  | { kind: 'iface'; fn: string; driver: string; iface: 'primary' | 'secondary' }
  | { kind: 'group'; fn: string; driver: string }
  | { kind: 'controller'; epc: string }
  | { kind: 'platform'; epc: string }
  | { kind: 'host'; host: HostSectionKind }
  | { kind: 'other' };

export function classifyDir(path: string | null): DirInfo {
  if (path === null) return { kind: 'other' };
  if (path === '') return { kind: 'top' };
  const parts = path.split('/');
  if (parts[0] === 'functions' && parts.length >= 3 && findDriver(parts[1])) {
    const fn = parts.slice(0, 3).join('/');
    const driver = parts[1];
    if (parts.length === 3) return { kind: 'function', fn, driver };
    if (parts.length === 4 && (parts[3] === 'primary' || parts[3] === 'secondary')) return { kind: 'iface', fn, driver, iface: parts[3] };
    if (parts.length === 4 && parts[3].startsWith(driver + '.') && findDriver(driver)?.hasGroup) return { kind: 'group', fn, driver };
    return { kind: 'other' };
  }
  if (parts[0] === 'controllers' && parts.length === 2) return { kind: 'controller', epc: parts[1] };
  if (parts[0] === 'platform' && parts.length === 2) return { kind: 'platform', epc: parts[1] };
  const host = hostSectionKind(path);
  if (host) return { kind: 'host', host };
  return { kind: 'other' };
}

/** True when a `#` comment has started before `end` (the parser's own rule). */
export function inComment(line: string, end: number): boolean {
  let start = 0;
  while (start < end && isBlank(line[start])) start++;
  const c = commentStart(line, start);
  return c >= 0 && c < end;
}

export function range(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** End of the token that continues after the cursor (up to a blank or one of `stops`). */
export function tokenEnd(line: string, from: number, stops: string): number {
  let i = from;
  while (i < line.length && !isBlank(line[i]) && !stops.includes(line[i]) && !(line[i] === '-' && line[i + 1] === '>')) i++;
  return i;
}

export interface SectionFacts {
  section: Section | undefined;
  dir: string | null;
  info: DirInfo;
  /** Full paths written by assignments of this section (cursor line excluded). */
  written: Set<string>;
}

export function sectionFacts(ctx: FeatureContext, line: number): SectionFacts {
  const section = sectionAt(ctx.doc, line);
  const dir = section ? sectionDir(section) : '';
  const written = new Set<string>();
  if (section && dir !== null) {
    for (const stmt of section.body) {
      if (stmt.kind !== 'assign' || stmt.line === line) continue;
      const full = resolvePath(stmt.name.text, dir);
      if (full.ok) written.add(full.path);
    }
  }
  return { section, dir, info: classifyDir(dir), written };
}
