/**
 * The attribute tables the configfs replay (replay.ts) consults on every write and mkdir: specs by
 * name per directory kind, and the attribute values a new function starts with.
 */
import { CONTROLLER_ATTRIBUTES, STANDARD_ATTRIBUTES } from '../../language/schema/standard';
import { findDriver } from '../../language/schema';
import type { AttributeSpec } from '../../language/schema/types';

const byName = (specs: readonly AttributeSpec[]): ReadonlyMap<string, AttributeSpec> => new Map(specs.map((a) => [a.name, a]));
/** Attribute specs by name: every write looks one up. */
export const STANDARD_BY_NAME = byName(STANDARD_ATTRIBUTES);
export const CONTROLLER_BY_NAME = byName(CONTROLLER_ATTRIBUTES);
const GROUP_BY_NAME = new Map<string, ReadonlyMap<string, AttributeSpec>>();

export function groupAttribute(driver: string, name: string): AttributeSpec | undefined {
  let m = GROUP_BY_NAME.get(driver);
  if (!m) {
    m = byName(findDriver(driver)?.groupAttributes ?? []);
    GROUP_BY_NAME.set(driver, m);
  }
  return m.get(name);
}

const DEFAULTS = new Map<string, ReadonlyMap<string, bigint | boolean>>();

/** Attribute values of a new function: standard defaults, the driver's probe header, its group defaults. */
export function defaultValues(driver: string): ReadonlyMap<string, bigint | boolean> {
  let m = DEFAULTS.get(driver);
  if (!m) {
    const spec = findDriver(driver)!;
    const values = new Map<string, bigint | boolean>();
    for (const a of STANDARD_ATTRIBUTES) values.set(a.name, BigInt(spec.headerDefaults[a.name] ?? Number(a.defaultValue ?? 0)));
    for (const a of spec.groupAttributes) if (a.defaultValue !== undefined) values.set(a.name, BigInt(a.defaultValue));
    DEFAULTS.set(driver, values);
    m = values;
  }
  return m;
}
