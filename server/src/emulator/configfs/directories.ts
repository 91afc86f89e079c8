/**
 * The directories of the pci_ep tree during a replay (replay.ts): what a path names, given the
 * functions made so far and the platform's controllers (kernel-background A.1).
 */
import { findDriver } from '../../language/schema';
import type { ConfigfsState, EpcState, EpfState, Interface } from './state';
import { devName } from './state';

/** A directory a path names: the fixed ones, a driver, a function and its subdirectories, a controller. */
export type Dir =
  | { kind: 'root' | 'functions' | 'controllers' }
  | { kind: 'driver'; driver: string }
  | { kind: 'function'; epf: EpfState }
  | { kind: 'iface'; epf: EpfState; iface: Interface }
  | { kind: 'group'; epf: EpfState }
  | { kind: 'controller'; epc: EpcState };

const ROOT: Dir = { kind: 'root' };
const FUNCTIONS: Dir = { kind: 'functions' };
const CONTROLLERS: Dir = { kind: 'controllers' };

/** The entry `name` of directory `d`, when it is itself a directory (one level of findDirectory). */
export function childDirectory(state: ConfigfsState, d: Dir, name: string): Dir | undefined {
  switch (d.kind) {
    case 'root':
      return name === 'functions' ? FUNCTIONS : name === 'controllers' ? CONTROLLERS : undefined;
    case 'functions':
      return findDriver(name) ? { kind: 'driver', driver: name } : undefined;
    case 'driver': {
      const epf = state.functions.get(`functions/${d.driver}/${name}`);
      return epf && { kind: 'function', epf };
    }
    case 'function':
      if (name === 'primary' || name === 'secondary') return { kind: 'iface', epf: d.epf, iface: name };
      return findDriver(d.epf.driver)?.hasGroup && name === devName(d.epf) ? { kind: 'group', epf: d.epf } : undefined;
    case 'controllers': {
      const epc = state.controllers.get(name);
      return epc && { kind: 'controller', epc };
    }
    default:
      return undefined;
  }
}

/** The directory `path` (pci_ep-relative) names, or undefined when there is none. */
export function findDirectory(state: ConfigfsState, path: string): Dir | undefined {
  if (path === '') return ROOT;
  let d: Dir | undefined = ROOT;
  for (const part of path.split('/')) {
    d = childDirectory(state, d, part);
    if (!d) return undefined;
  }
  return d;
}
