/**
 * pci_epf_ntb (two controllers) and pci_epf_vntb (one controller): doorbell count and BAR
 * assignment at bind (kernel-background B.2, B.3).
 */
import { isUsableBar, nextFreeBar, NO_BAR } from '../epc/features';
import type { BindEnv, DriverModel, Failure } from './types';
import { fail } from './types';
import { setupInterrupts } from './interrupts';

const MAX_DB_COUNT = 32;

export interface NtbBarPlan {
  /** Logical BAR name (CONFIG, DB, MW1..MW4) → BAR index. */
  assignment: { role: string; bar: number }[];
}

export const ntbPlans = new WeakMap<object, NtbBarPlan>();

function checkDbCount(env: BindEnv): Failure | undefined {
  const db = Number(env.value('db_count') ?? 0n);
  if (db > MAX_DB_COUNT) {
    return fail(env, 'EINVAL', `db_count = ${db}: at most ${MAX_DB_COUNT} doorbells`, `DB count cannot be more than ${MAX_DB_COUNT}`, [{ attr: 'db_count' }], 'kernel-background B.2, B.3');
  }
  return undefined;
}

/**
 * vNTB BAR assignment (B.3): explicit *_bar values first, then CONFIG, DB and MW1 (mandatory)
 * and MW2..MWn (optional; num_mws silently shrinks) from the free BARs in order.
 */
function assignVntbBars(env: BindEnv): Failure | undefined {
  const f = env.controller.profile.features;
  const numMws = Math.min(4, Number(env.value('num_mws') ?? 0n));
  const roles = [['CONFIG', 'ctrl_bar'], ['DB', 'db_bar'], ...Array.from({ length: Math.max(numMws, 1) }, (_, i) => [`MW${i + 1}`, `mw${i + 1}_bar`])];
  const taken = new Set<number>();
  const assignment: NtbBarPlan['assignment'] = [];
  for (const [role, attr] of roles) {
    const v = Number(env.value(attr) ?? -1n);
    if (v === -1) continue;
    if (!isUsableBar(f.bars[v])) {
      return fail(env, 'EINVAL', `${attr} = ${v}: BAR${v} is ${f.bars[v].type} on ${env.controller.profile.name}`, 'Fail to get NTB function BAR', [{ attr }], 'kernel-background B.3');
    }
    taken.add(v);
    assignment.push({ role, bar: v });
  }
  let cursor = 0;
  for (const [role, attr] of roles) {
    if (assignment.some((a) => a.role === role)) continue;
    let bar = nextFreeBar(f, cursor);
    while (bar !== NO_BAR && taken.has(bar)) bar = nextFreeBar(f, bar + 1);
    if (bar === NO_BAR) {
      if (role === 'CONFIG' || role === 'DB' || role === 'MW1') {
        return fail(env, 'EINVAL', `no free BAR left for the ${role} region`, 'Fail to get NTB function BAR', [{ attr }], 'kernel-background B.3');
      }
      break;
    }
    taken.add(bar);
    assignment.push({ role, bar });
    cursor = bar + 1;
  }
  ntbPlans.set(env.epf, { assignment });
  return undefined;
}

export const pciEpfVntb: DriverModel = {
  bind(env) {
    const f = env.controller.profile.features;
    if (!f.msiCapable && !f.msixCapable) {
      return fail(env, 'EINVAL', 'vNTB doorbells need an MSI or MSI-X capable controller', 'MSI or MSI-X is required', [{ platformKey: 'msi-capable' }], 'kernel-background B.3');
    }
    return checkDbCount(env) ?? assignVntbBars(env);
  },
  epcInit: (env) => setupInterrupts(env, { msiWhen: 'capable-and-requested' }),
  unbind(env) {
    ntbPlans.delete(env.epf);
  },
};

export const pciEpfNtb: DriverModel = {
  bind(env) {
    // Bind completes only once both interfaces are linked (B.2); until then it returns 0.
    if (!env.epf.links.primary || !env.epf.links.secondary) return undefined;
    return checkDbCount(env);
  },
  epcInit: (env) => setupInterrupts(env, { msiWhen: 'capable-and-requested' }),
  unbind() {},
};
