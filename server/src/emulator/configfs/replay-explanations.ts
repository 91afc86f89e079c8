/**
 * Why a configfs operation of the replay (replay.ts) failed, in words a user can act on: what is
 * missing and the nearest existing name, a corrected section path, the attribute that was meant,
 * and the writes and platform facts behind a driver's failure.
 */
import type { Assignment, Statement } from '../../language/ast';
import type { Diagnostic, RelatedLocation } from '../../language/diagnostics';
import type { Controller } from '../../language/platform';
import { CONTROLLER_ATTRIBUTES, STANDARD_ATTRIBUTES } from '../../language/schema/standard';
import { driverNames, findDriver } from '../../language/schema';
import { dirname } from '../../language/paths';
import { closest } from '../../language/suggest';
import type { Failure } from '../epf/types';
import type { Dir } from './directories';
import type { ConfigfsState, EpfState } from './state';
import { devName } from './state';

/** Why a path does not exist, with the nearest existing name when there is one. */
export function explainMissing(state: ConfigfsState, path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'functions' && parts.length >= 2 && !findDriver(parts[1])) {
    const guess = closest(parts[1], driverNames());
    return `no endpoint function driver '${parts[1]}' is registered${guess ? `; did you mean '${guess}'?` : ''}`;
  }
  if (parts[0] === 'functions' && parts.length >= 3) {
    const fn = state.functions.get(parts.slice(0, 3).join('/'));
    if (!fn) return `function ${parts.slice(0, 3).join('/')} does not exist (it is created by its own [${parts.slice(0, 3).join('/')}] section)`;
    if (parts.length === 4 && findDriver(fn.driver)?.hasGroup && parts[3].startsWith(fn.driver + '.')) {
      return `this function's driver group is ${devName(fn)}, not ${parts[3]}: the index counts every function created before it, across all drivers`;
    }
    return `${parts.slice(3).join('/')} is not a directory of ${fn.path}`;
  }
  if (parts[0] === 'controllers' && parts.length >= 2) {
    const names = [...state.controllers.keys()];
    const guess = closest(parts[1], names);
    return names.length === 0
      ? `no controller '${parts[1]}': describe it first with a [platform/${parts[1]}] section`
      : `no controller '${parts[1]}'${guess ? `; did you mean '${guess}'?` : ''} (controllers: ${names.join(', ')})`;
  }
  return `no such directory under pci_ep/`;
}

/** A corrected section path when one name in it is a near miss of an existing one. */
export function sectionFix(state: ConfigfsState, header: Statement & { kind: 'section' }, path: string): Diagnostic['fix'] {
  const parts = path.split('/');
  let guess: string | undefined;
  if (parts[0] === 'functions' && parts.length >= 2 && !findDriver(parts[1])) guess = closest(parts[1], driverNames());
  else if (parts[0] === 'controllers' && parts.length === 2) guess = closest(parts[1], [...state.controllers.keys()]);
  if (!guess) return undefined;
  const fixed = [parts[0], guess, ...parts.slice(2)].join('/');
  return { title: `Change to [${fixed}]`, range: header.path.range, newText: fixed };
}

/** The message and quick fix for a write to an attribute `d` does not have (a near miss, or the driver's group). */
export function explainUnknownAttribute(stmt: Assignment, d: Dir, path: string, name: string): { message: string; fix: Diagnostic['fix'] } {
  let hint = '';
  let fix: Diagnostic['fix'];
  const candidates: string[] = [];
  if (d.kind === 'function') {
    candidates.push(...STANDARD_ATTRIBUTES.map((a) => a.name));
    const spec = findDriver(d.epf.driver);
    if (spec?.groupAttributes.some((a) => a.name === name)) {
      const right = `${devName(d.epf)}/${name}`;
      hint = `; ${name} lives in the driver's group: write ${right}`;
      fix = { title: `Write ${right}`, range: stmt.name.range, newText: right };
    }
  } else if (d.kind === 'group') {
    candidates.push(...(findDriver(d.epf.driver)?.groupAttributes.map((a) => a.name) ?? []));
  } else if (d.kind === 'controller') {
    candidates.push(...CONTROLLER_ATTRIBUTES.map((a) => a.name));
  }
  if (!hint) {
    const guess = closest(name, candidates);
    if (guess) {
      hint = `; did you mean '${guess}'?`;
      const prefix = stmt.name.text.slice(0, stmt.name.text.length - name.length);
      fix = { title: `Rename to '${guess}'`, range: stmt.name.range, newText: prefix + guess };
    }
  }
  return { message: `no attribute '${name}' in ${dirname(path) || 'pci_ep/'}${hint}`, fix };
}

/** Points a failure back at the writes and platform facts that caused it. */
export function failureRelated(epf: EpfState, controller: Controller, f: Failure): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  for (const c of f.causes) {
    if ('attr' in c) {
      const w = epf.writes.get(c.attr);
      if (w) out.push({ range: w.range, message: `${c.attr} is set here` });
      else if (epf.values.has(c.attr)) out.push({ range: epf.created.range, message: `${c.attr} is never written and keeps its default ${String(epf.values.get(c.attr))}` });
    } else {
      const k = controller.keys.get(c.platformKey);
      out.push(k ? { range: k.range, message: `${c.platformKey} is set here` }
        : { range: controller.header.range, message: `${c.platformKey} comes from the ${controller.profile.compatible} profile` });
    }
  }
  if (out.length === 0) out.push({ range: epf.created.range, message: `${devName(epf)} was created here` });
  return out;
}
