/**
 * One store routine for every configfs attribute: runs the attribute's checks (schema
 * `StoreCheck`s) in kernel order against the bytes `echo` writes, so each attribute's kernel
 * behaviour is data and not code.
 */
import type { AttributeSpec, StoreCheck } from '../../language/schema/types';
import { kstrtobool, parseInt as kstrtoInt } from '../../language/kstrto';

export type StoreResult =
  | { ok: true; value: bigint | boolean; radix?: 8 | 10 | 16 }
  | { ok: false; errno: string; reason: string; log?: string; check: StoreCheck['check'] };

export interface StoreContext {
  /** Whether the function is bound to a controller (epf->epc set). */
  bound: boolean;
  /** Current values of the attributes in the same directory (the function's AttributeValues). */
  siblings?: { get(name: string): bigint | boolean | undefined };
}

function asBig(v: bigint | boolean | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'boolean' ? (v ? 1n : 0n) : v;
}

function isPow2(v: bigint): boolean {
  return v > 0n && (v & (v - 1n)) === 0n;
}

/**
 * Applies `echo <value> > <attr>`: `written` is the value text without echo's newline; the
 * kernel sees it with the newline, which every kstrto* accepts once.
 */
export function storeAttribute(spec: AttributeSpec, written: string, ctx: StoreContext): StoreResult {
  const page = written + '\n';
  let value: bigint | boolean | undefined;
  let radix: 8 | 10 | 16 | undefined;
  for (const c of spec.store) {
    switch (c.check) {
      case 'parse': {
        const r = spec.parse.kind === 'bool' ? kstrtobool(page) : kstrtoInt(spec.parse.type, page);
        if (!r.ok) {
          const errno = c.errno === 'EINVAL' ? 'EINVAL' : r.errno;
          const how = spec.parse.kind === 'bool' ? 'kstrtobool' : `kstrto${spec.parse.type}`;
          return { ok: false, errno, reason: `${how} rejects '${written}': ${r.reason}`, check: 'parse' };
        }
        value = r.value;
        if ('radix' in r) radix = r.radix;
        break;
      }
      case 'unbound':
        if (ctx.bound) return { ok: false, errno: c.errno, reason: `${spec.name} cannot change once the function is bound to a controller`, log: c.log, check: c.check };
        break;
      case 'range': {
        const v = asBig(value);
        if (v === undefined) break;
        if ((c.min !== undefined && v < BigInt(c.min)) || (c.max !== undefined && v > BigInt(c.max))) {
          const bounds = c.min !== undefined && c.max !== undefined ? `${c.min}..${c.max}` : c.max !== undefined ? `at most ${c.max}` : `at least ${c.min}`;
          return { ok: false, errno: c.errno, reason: `${spec.name} must be ${bounds}, got ${v}`, log: c.log, check: c.check };
        }
        break;
      }
      case 'pow2': {
        const v = asBig(value);
        if (v !== undefined && !isPow2(v)) return { ok: false, errno: c.errno, reason: `${spec.name} must be a power of two, got ${v}`, log: c.log, check: c.check };
        break;
      }
      case 'differs': {
        const v = asBig(value);
        const other = asBig(ctx.siblings?.get(c.from));
        const unless = c.unless !== undefined ? BigInt(c.unless) : undefined;
        if (v !== undefined && other !== undefined && v === other && v !== unless) {
          return { ok: false, errno: c.errno, reason: `${spec.name} cannot equal ${c.from} (${other})`, log: c.log, check: c.check };
        }
        break;
      }
      case 'index-le': {
        const limit = asBig(ctx.siblings?.get(c.sibling)) ?? 0n;
        if (BigInt(c.index) > limit) {
          return { ok: false, errno: c.errno, reason: `${spec.name} needs ${c.sibling} ≥ ${c.index} (it is ${limit}): write ${c.sibling} first`, log: c.log, check: c.check };
        }
        break;
      }
    }
  }
  if (value === undefined) return { ok: false, errno: 'EINVAL', reason: `${spec.name} has no parse rule`, check: 'parse' };
  return { ok: true, value, radix };
}
