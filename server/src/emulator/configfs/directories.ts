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

/** The directory `path` (pci_ep-relative) names, or undefined when there is none. */
export function findDirectory(state: ConfigfsState, path: string): Dir | undefined {
  if (path === '') return { kind: 'root' };
  const parts = path.split('/');
  if (parts[0] === 'functions') {
    if (parts.length === 1) return { kind: 'functions' };
    if (!findDriver(parts[1])) return undefined;
    if (parts.length === 2) return { kind: 'driver', driver: parts[1] };
    const epf = state.functions.get(parts.slice(0, 3).join('/'));
    if (!epf) return undefined;
    if (parts.length === 3) return { kind: 'function', epf };
    if (parts.length === 4) {
      if (parts[3] === 'primary' || parts[3] === 'secondary') return { kind: 'iface', epf, iface: parts[3] };
      if (findDriver(epf.driver)?.hasGroup && parts[3] === devName(epf)) return { kind: 'group', epf };
    }
    return undefined;
  }
  if (parts[0] === 'controllers') {
    if (parts.length === 1) return { kind: 'controllers' };
    const epc = state.controllers.get(parts[1]);
    if (epc && parts.length === 2) return { kind: 'controller', epc };
  }
  return undefined;
}
