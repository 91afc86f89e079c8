/**
 * Lookups over the attribute schema: the one place hovers, completion, the validator and the
 * emulator ask "what is this file and how does the kernel treat a write to it".
 */

import { closest } from '../suggest';
import { DRIVERS } from './drivers';
import { CONTROLLER_ATTRIBUTES, STANDARD_ATTRIBUTES } from './standard';
import type { AttributeSpec, DriverSpec } from './types';

export type * from './types';
export { DRIVERS } from './drivers';
export { CONTROLLER_ATTRIBUTES, STANDARD_ATTRIBUTES } from './standard';

const DRIVER_BY_NAME: ReadonlyMap<string, DriverSpec> = new Map(DRIVERS.map((d) => [d.name, d]));
const FUNCTION_ATTR_BY_NAME: ReadonlyMap<string, AttributeSpec> = new Map(STANDARD_ATTRIBUTES.map((a) => [a.name, a]));
const CONTROLLER_ATTR_BY_NAME: ReadonlyMap<string, AttributeSpec> = new Map(
  CONTROLLER_ATTRIBUTES.map((a) => [a.name, a]),
);

function resolveDriver(driver: string | DriverSpec | undefined): DriverSpec | undefined {
  if (driver === undefined) return undefined;
  return typeof driver === 'string' ? DRIVER_BY_NAME.get(driver) : driver;
}

/** The driver whose id_table name is `name` (the directory under functions/), if known. */
export function findDriver(name: string): DriverSpec | undefined {
  return DRIVER_BY_NAME.get(name);
}

/** Every known driver directory name, in schema order. */
export function driverNames(): string[] {
  return DRIVERS.map((d) => d.name);
}

/** One of the twelve standard attributes of a function directory (kernel-background A.2). */
export function functionAttribute(name: string): AttributeSpec | undefined {
  return FUNCTION_ATTR_BY_NAME.get(name);
}

/** An attribute of the driver's own group `<driver>.<N>/`, if that driver has it. */
export function groupAttribute(driver: string | DriverSpec, name: string): AttributeSpec | undefined {
  return resolveDriver(driver)?.groupAttributes.find((a) => a.name === name);
}

/** An attribute of a `controllers/<epc>/` directory (kernel-background A.3). */
export function controllerAttribute(name: string): AttributeSpec | undefined {
  return CONTROLLER_ATTR_BY_NAME.get(name);
}

/**
 * Every attribute a function of `driver` offers: the standard ones, then its group's. For an
 * unknown driver only the standard attributes (configfs creates them for every function).
 */
export function allAttributes(driver: string | DriverSpec | undefined): AttributeSpec[] {
  const spec = resolveDriver(driver);
  return [...STANDARD_ATTRIBUTES, ...(spec?.groupAttributes ?? [])];
}

/**
 * "Did you mean …?" for an unknown attribute name. `where` narrows the candidates to one
 * directory kind; by default a function directory's standard and group attributes are used.
 */
export function suggestAttribute(
  driver: string | DriverSpec | undefined,
  name: string,
  where: AttributeSpec['group'] | 'any-function' = 'any-function',
): string | undefined {
  let candidates: AttributeSpec[];
  switch (where) {
    case 'controller':
      candidates = [...CONTROLLER_ATTRIBUTES];
      break;
    case 'function':
      candidates = [...STANDARD_ATTRIBUTES];
      break;
    case 'driver-group':
      candidates = [...(resolveDriver(driver)?.groupAttributes ?? [])];
      break;
    case 'any-function':
      candidates = allAttributes(driver);
      break;
  }
  const names = candidates.map((a) => a.name).filter((n) => n !== name);
  return closest(name, names);
}

/** "Did you mean …?" for an unknown driver directory under functions/. */
export function suggestDriver(name: string): string | undefined {
  return closest(name, driverNames().filter((n) => n !== name));
}
