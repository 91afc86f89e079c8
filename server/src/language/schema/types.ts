/**
 * The attribute schema: every configfs attribute the kernel offers under pci_ep/, as data.
 * Behaviour that differs per attribute (parse function, range, when a store is refused) is
 * described here and interpreted by one generic store routine in the emulator, so the kernel
 * rules live in one place and hovers, completion and docs read the same entries.
 */

/** Kernel integer parse functions (lib/kstrtox.c), all used with base 0 by pci_ep configfs. */
export type IntType = 'u8' | 'u16' | 'u32' | 'u64' | 's32' | 's64';

export type ParseRule =
  /** kstrto<type>(page, 0, &val). */
  | { kind: 'int'; type: IntType }
  /** kstrtobool(page, &val): only the first one or two characters are looked at. */
  | { kind: 'bool' };

/**
 * One check the store routine makes, in kernel order. A store runs its checks in the listed
 * order and fails with the first one that does not hold.
 */
export type StoreCheck =
  /** Parse the value with `parse`; on failure return EINVAL (`errno: 'EINVAL'`, the header
   * attributes) or the parser's own error (`'passthrough'`: ERANGE on overflow, EINVAL on junk). */
  | { check: 'parse'; errno: 'EINVAL' | 'passthrough' }
  /** Refuse once the function is bound to a controller (linked). */
  | { check: 'unbound'; errno: string; log?: string }
  /** Parsed value must be within [min, max] (inclusive). */
  | { check: 'range'; min?: number; max?: number; errno: string; log?: string }
  /** Parsed value must be a power of two. */
  | { check: 'pow2'; errno: string; log?: string }
  /** Parsed value must differ from the (non-negative) value of a sibling attribute. */
  | { check: 'differs'; from: string; unless?: number; errno: string; log?: string }
  /** The attribute's index N (mwN) must be ≤ the current value of a sibling attribute. */
  | { check: 'index-le'; sibling: string; index: number; errno: string; log?: string };

export interface AttributeSpec {
  /** File name under the directory, e.g. `vendorid`, `wr_chans`. */
  name: string;
  /** Where it lives: the function directory, the driver's own group, or a controller directory. */
  group: 'function' | 'driver-group' | 'controller';
  parse: ParseRule;
  /** Checks of the store callback, in kernel order. */
  store: StoreCheck[];
  /** The show callback's printf format, e.g. `0x%04x`, `%d`, `%lld`, `%zu`. */
  show: string;
  /** Value before any write (as the driver's probe leaves it); undefined when the driver sets none. */
  defaultValue?: number | bigint;
  /** Markdown documentation shown by hovers, completion and docs/language.md. */
  doc: string;
  /** Reference sheet section the entry comes from. */
  ref: string;
  /**
   * Facts checked later than the write (bind or epc_init), stated for hovers; the validator
   * implements them as rules.
   */
  bindNote?: string;
  /**
   * Set when the attribute exists only with a patch seen on the lists (not in mainline) although
   * its driver is mainline, e.g. pci_epf_test's barN_size: who/what/when, for hovers and rules.
   */
  patchOnly?: string;
}

export interface DriverSpec {
  /** EPF id_table name: the directory under functions/. */
  name: string;
  /** Short description for hovers and completion. */
  summary: string;
  doc: string;
  ref: string;
  /** Interfaces the function must be linked on before it binds. */
  interfaces: 'primary' | 'primary+secondary';
  /** Header values the driver's probe sets (attribute name → value). */
  headerDefaults: Record<string, number>;
  /**
   * Whether the driver registers its own attribute group `<driver>.<N>/` (add_cfs op).
   * Its attributes are `groupAttributes`.
   */
  hasGroup: boolean;
  groupAttributes: AttributeSpec[];
  /** True for drivers only seen as patches on the lists, not (yet) mainline. */
  patchOnly?: string;
}
