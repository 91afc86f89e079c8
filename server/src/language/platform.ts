/**
 * `[platform/<epc>]` sections: the controllers the kernel probed. They are devicetree and hardware
 * facts, not configfs operations, so they are gathered before the replay wherever they stand in
 * the file (a controller exists from boot on).
 */
import type { Assignment, Document, Range, SectionHeader } from './ast';
import type { Diagnostic } from './diagnostics';
import type { Profile } from './profiles/types';
import { cloneProfile, findProfile, listProfiles, suggestCompatible } from './profiles';
import { findPlatformKey, PLATFORM_KEYS } from './profiles/overrides';
import { closest } from './suggest';

/** Series revision whose behaviour is emulated (DESIGN.md section 2; seed-series 3 and 4.1). */
export type KernelRevision = 'v3' | 'v4';
export const KERNEL_REVISIONS: readonly KernelRevision[] = ['v4', 'v3'];
export const DEFAULT_COMPATIBLE = 'snps,dw-pcie-ep';

export interface Controller {
  /** configfs name under controllers/ (= the platform section's name). */
  name: string;
  profile: Profile;
  kernel: KernelRevision;
  header: SectionHeader;
  /** Line of each key written in the section (key → assignment), for related locations and hovers. */
  keys: Map<string, Assignment>;
}

export interface PlatformModel {
  controllers: Map<string, Controller>;
  diagnostics: Diagnostic[];
}

const PLATFORM_PREFIX = 'platform/';

export function isPlatformPath(path: string): boolean {
  return path === 'platform' || path.startsWith(PLATFORM_PREFIX);
}

function diag(range: Range, code: string, message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return { range, severity, code, message, ref: 'DESIGN.md 2' };
}

/** Defaults the editor settings supply (`pciep.kernel`, `pciep.defaultPlatform`). */
export interface PlatformOptions {
  defaultKernel?: KernelRevision;
  defaultCompatible?: string;
}

export function resolvePlatforms(doc: Document, opts: PlatformOptions = {}): PlatformModel {
  const fallbackCompatible = opts.defaultCompatible && findProfile(opts.defaultCompatible) ? opts.defaultCompatible : DEFAULT_COMPATIBLE;
  const controllers = new Map<string, Controller>();
  const diagnostics: Diagnostic[] = [];
  for (const section of doc.sections) {
    const header = section.header;
    if (!header?.normPath || !isPlatformPath(header.normPath)) continue;
    const name = header.normPath.slice(PLATFORM_PREFIX.length);
    if (header.normPath === 'platform' || name.includes('/') || name === '') {
      diagnostics.push(diag(header.path.range, 'bad-platform-path', "a platform section is '[platform/<controller-name>]', e.g. [platform/a40000000.pcie-ep]"));
      continue;
    }
    if (controllers.has(name)) {
      diagnostics.push({
        ...diag(header.path.range, 'duplicate-platform', `controller '${name}' is already described`),
        related: [{ range: controllers.get(name)!.header.range, message: 'first description' }],
      });
      continue;
    }
    const keys = new Map<string, Assignment>();
    let compatible: Assignment | undefined;
    let kernel: KernelRevision = opts.defaultKernel ?? 'v4';
    for (const stmt of section.body) {
      if (stmt.kind !== 'assign') {
        diagnostics.push(diag(stmt.range, 'not-configfs', 'a platform section only holds `key = value` facts (it is not configfs)'));
        continue;
      }
      const key = stmt.name.text;
      if (keys.has(key)) {
        diagnostics.push({
          ...diag(stmt.name.range, 'duplicate-key', `'${key}' is already set for this controller; the later value wins`, 'warning'),
          related: [{ range: keys.get(key)!.range, message: 'earlier value' }],
        });
      }
      keys.set(key, stmt);
      if (key === 'compatible') compatible = stmt;
      else if (key === 'kernel') {
        const v = stmt.value.text.trim();
        if (v === 'v3' || v === 'v4') kernel = v;
        else diagnostics.push(diag(stmt.value.range, 'bad-value', `kernel must be one of ${KERNEL_REVISIONS.join(', ')} (series revision whose behaviour is emulated)`));
      }
    }
    let base: Profile | undefined;
    if (compatible) {
      const text = compatible.value.text.trim();
      base = findProfile(text);
      if (!base) {
        const guess = suggestCompatible(text);
        diagnostics.push({
          ...diag(compatible.value.range, 'unknown-compatible',
            `no built-in profile for '${text}'${guess ? `; did you mean '${guess}'?` : ''} (using ${fallbackCompatible}; see 'pciep profiles')`),
          fix: guess ? { title: `Use '${guess}'`, range: compatible.value.range, newText: guess } : undefined,
        });
      }
    } else {
      diagnostics.push(diag(header.path.range, 'missing-compatible',
        `no 'compatible' given: the ${fallbackCompatible} profile is assumed`, 'warning'));
    }
    const profile = cloneProfile(base ?? findProfile(fallbackCompatible) ?? listProfiles()[0]);
    for (const [key, stmt] of keys) {
      if (key === 'compatible' || key === 'kernel') continue;
      const spec = findPlatformKey(key);
      if (!spec) {
        const guess = closest(key, ['compatible', 'kernel', ...PLATFORM_KEYS.map((k) => k.key)]);
        diagnostics.push({
          ...diag(stmt.name.range, 'unknown-platform-key', `unknown platform key '${key}'${guess ? `; did you mean '${guess}'?` : ''}`),
          fix: guess ? { title: `Rename to '${guess}'`, range: stmt.name.range, newText: guess } : undefined,
        });
        continue;
      }
      const error = spec.apply(profile, stmt.value.text.trim());
      if (error) diagnostics.push(diag(stmt.value.range, 'bad-platform-value', `${key}: ${error}`));
    }
    controllers.set(name, { name, profile, kernel, header, keys });
  }
  return { controllers, diagnostics };
}
