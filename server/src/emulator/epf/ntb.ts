/**
 * pci_epf_ntb (two controllers, host ↔ host) and pci_epf_vntb (one controller, host ↔ the
 * endpoint's own Linux): doorbell count, logical-BAR assignment, region sizing and BAR backing
 * at bind; BAR and interrupt programming at epc_init; BAR teardown at unbind
 * (kernel-background B.2, B.3, C.2–C.4, E.2).
 */
import type { EpcFeatures } from '../../language/profiles/types';
import type { EpcState, Interface } from '../configfs/state';
import { epcAlloc } from '../configfs/state';
import { allocSpace, isUsableBar, nextFreeBar, NO_BAR } from '../epc/features';
import { clearBar, setBar } from '../epc/set-bar';
import type { BindEnv, DriverModel, Failure } from './types';
import { fail } from './types';
import { setupInterrupts } from './interrupts';

/** MAX_DB_COUNT (B.2, B.3). */
const MAX_DB_COUNT = 32;
/** MAX_MW (B.2, B.3). */
const MAX_MW = 4;
/** Bytes per scratchpad and per doorbell entry: both are u32 registers (B.2, B.3). */
const REG = 4;
/** vNTB programs 16 MSI vectors for its doorbells, whatever msi_interrupts holds (B.3). */
const VNTB_MSI_COUNT = 16n;
/** pci_epf_ntb defaults when spad_count / db_count are never written (B.2: SPAD_COUNT 64, DB_COUNT 4). */
const NTB_DEFAULT_SPAD = 64;
const NTB_DEFAULT_DB = 4;

/**
 * sizeof(struct epf_ntb_ctrl), packed [size derived from the field list] of B.2 (vNTB has the
 * same layout with `reserved` in place of `mw1_offset`, G): command u32 (4) + argument u32 (4)
 * + command_status u16 (2) + link_status u16 (2) + topology u32 (4) + addr u64 (8) + size u64 (8)
 * + num_mws u32 (4) + mw1_offset/reserved u32 (4) + spad_offset u32 (4) + spad_count u32 (4)
 * + db_entry_size u32 (4) + db_data[32] u32 (128) + db_offset[32] u32 (128) = 308 bytes.
 */
export const NTB_CTRL_SIZE = 308;

const KiB = 1024;

/** One region inside an NTB BAR, for the views. */
export interface NtbRegion {
  kind: 'ntb-ctrl' | 'ntb-spad' | 'ntb-peer-spad' | 'ntb-doorbell' | 'ntb-mw';
  offset: number;
  size: number;
  phys: bigint;
  label: string;
}

/** One BAR an NTB function allocated (pci_epf_alloc_space) and programs at epc_init. */
export interface NtbBar {
  /** Logical BAR name of the sheets: CONFIG, DB, MW1..MW4 (vNTB); CONFIG, PEER_SPAD, DB_MW1, MW2..MW4 (NTB). */
  role: string;
  bar: number;
  /** BAR size after the allocation rules (C.4). */
  size: number;
  /** Backing memory size (size aligned up to the controller's `align`, C.4); 0 when the BAR maps another BAR's memory. */
  memSize: number;
  is64: boolean;
  /** Bytes the driver asked for before the allocation rules. */
  requested: number;
  /** Address programmed into the BAR-match inbound window (E.2). */
  phys: bigint;
  regions: NtbRegion[];
}

/** What one interface of an NTB function planned. */
export interface NtbInterfacePlan {
  /** Controller (configfs name) the interface is linked to. */
  epc: string;
  funcNo: number;
  /** Logical BAR name → BAR index, in assignment order (kept even for a BAR that ends up unused). */
  assignment: { role: string; bar: number }[];
  /** BARs with backing memory, programmed at epc_init. */
  bars: NtbBar[];
  /** Whether epc_init programmed this interface's BARs (pci_epf_ntb programs each controller once). */
  programmed: boolean;
}

export interface NtbBarPlan {
  interfaces: Partial<Record<Interface, NtbInterfacePlan>>;
  /** Memory windows in use after the assignment (num_mws, possibly reduced). */
  numMws: number;
  /** Silent adjustments the driver made (num_mws reduction, unused MW1 BAR). */
  notes: string[];
}

export const ntbPlans = new WeakMap<object, NtbBarPlan>();

/** Rounds a region the way the NTB drivers do: ALIGN to the EPC's `align`, else roundup_pow_of_two (B.3). */
function roundRegion(size: number, align: number): number {
  if (size === 0) return 0;
  if (align) return Math.ceil(size / align) * align;
  let p = 1;
  while (p < size) p *= 2;
  return p;
}

const fmt = (n: number): string => (n >= 1024 * KiB && n % (1024 * KiB) === 0 ? `${n / (1024 * KiB)} MiB` : n >= KiB && n % KiB === 0 ? `${n / KiB} KiB` : `${n} bytes`);

function checkDbCount(env: BindEnv, db: number): Failure | undefined {
  if (db > MAX_DB_COUNT) {
    return fail(env, 'EINVAL', `db_count = ${db}: at most ${MAX_DB_COUNT} doorbells`, `DB count cannot be more than ${MAX_DB_COUNT}`, [{ attr: 'db_count' }], 'kernel-background B.2, B.3');
  }
  return undefined;
}

/** The same BindEnv seen from another interface of the function (its controller and function number). */
function envFor(env: BindEnv, iface: Interface): BindEnv | undefined {
  const link = env.epf.links[iface];
  const epc = link ? env.state.controllers.get(link.epc) : undefined;
  if (!epc) return undefined;
  return { ...env, epc, controller: epc.controller, iface, funcNo: env.epf.funcNo[iface] ?? 0 };
}

// ---- pci_epf_vntb ----------------------------------------------------------------------------

interface Role {
  role: string;
  attr: string;
  mandatory: boolean;
}

/**
 * vNTB BAR assignment (B.3): explicit *_bar values first, then CONFIG, DB and MW1 (mandatory,
 * "Fail to get NTB function BAR" → EINVAL) and MW2..MWn (optional) from the free BARs in order
 * (C.2), skipping BARs already chosen. When no BAR is left for an optional MW, num_mws silently
 * shrinks to the windows that got one.
 */
function assignVntbBars(env: BindEnv, numMws: number, notes: string[]): { assignment: NtbInterfacePlan['assignment']; numMws: number } | Failure {
  const f = env.controller.profile.features;
  const roles: Role[] = [
    { role: 'CONFIG', attr: 'ctrl_bar', mandatory: true },
    { role: 'DB', attr: 'db_bar', mandatory: true },
    // MW1 is mandatory even with num_mws = 0 (B.3); MW2..MWn follow num_mws.
    ...Array.from({ length: Math.max(numMws, 1) }, (_, i) => ({ role: `MW${i + 1}`, attr: `mw${i + 1}_bar`, mandatory: i === 0 })),
  ];
  const taken = new Map<number, string>();
  const assignment: NtbInterfacePlan['assignment'] = [];
  for (const { role, attr } of roles) {
    const v = Number(env.value(attr) ?? -1n);
    if (v === NO_BAR) continue;
    if (!isUsableBar(f.bars[v])) {
      return fail(env, 'EINVAL', `${attr} = ${v}: BAR${v} is ${f.bars[v].type} on ${env.controller.profile.name}`, 'Fail to get NTB function BAR', [{ attr }], 'kernel-background B.3');
    }
    const other = taken.get(v);
    if (other !== undefined) {
      // The store accepts two roles naming one BAR; bind refuses it (B.3, schema bindNote).
      return fail(env, 'EINVAL', `${attr} = ${v}: BAR${v} is already the ${other} BAR`, null, [{ attr }, { attr: roles.find((r) => r.role === other)!.attr }], 'kernel-background B.3');
    }
    taken.set(v, role);
    assignment.push({ role, bar: v });
  }
  let cursor = 0;
  let effective = numMws;
  for (const { role, attr, mandatory } of roles) {
    if (assignment.some((a) => a.role === role)) continue;
    let bar = nextFreeBar(f, cursor);
    while (bar !== NO_BAR && taken.has(bar)) bar = nextFreeBar(f, bar + 1);
    if (bar === NO_BAR) {
      if (mandatory) {
        return fail(env, 'EINVAL', `no free BAR left for the ${role} region on ${env.controller.profile.name}`, 'Fail to get NTB function BAR', [{ attr }], 'kernel-background B.3');
      }
      // Optional MWn without a BAR: num_mws becomes n − 1, silently (B.3).
      const n = Number(role.slice(2));
      effective = Math.min(effective, n - 1);
      notes.push(`no free BAR left for ${role}: num_mws silently reduced from ${numMws} to ${n - 1}`);
      break;
    }
    taken.set(bar, role);
    assignment.push({ role, bar });
    cursor = bar + 1;
  }
  // Explicit BARs of MWs beyond the reduced count are dropped with them.
  const kept = assignment.filter((a) => !a.role.startsWith('MW') || a.role === 'MW1' || Number(a.role.slice(2)) <= effective);
  return { assignment: kept, numMws: effective };
}

/** pci_epf_alloc_space with the C.4 rules; a FIXED BAR too small fails with ENOMEM. */
function alloc(env: BindEnv, f: EpcFeatures, bar: number, requested: number, what: string, attr: string): { size: number; memSize: number; is64: boolean; phys: bigint } | Failure {
  const r = allocSpace(f, bar, requested);
  if (!r.ok) {
    return fail(env, r.errno, `the ${what} (${fmt(requested)}) does not fit fixed BAR${bar} (${fmt(f.bars[bar].fixedSize ?? 0)}) on ${env.controller.profile.name}`, r.log, [{ attr }, { platformKey: `bar${bar}` }], 'kernel-background C.4');
  }
  return { size: r.size, memSize: r.memSize, is64: r.is64, phys: epcAlloc(env.epc, r.memSize) };
}

const isFailure = (x: object): x is Failure => 'errno' in x;

/**
 * Sizes and backs the vNTB BARs (B.3, C.4):
 * - CONFIG = round(ctrl) + round(2 × spad_count × 4), round = ALIGN(align) or roundup_pow_of_two;
 *   on a FIXED BAR that size must fit and the fixed size be a multiple of `align`, else EINVAL;
 * - DB = max(128, 4 × db_count) through the allocation rules (pow2, FIXED takes its size). The
 *   BAR size itself is not ALIGNed to `align`: the R-Car S4 example of B.3 (align 1 MiB) puts the
 *   doorbells on the FIXED 256-byte BAR4; only the backing memory is aligned (C.4);
 * - MW1..MWn = mwN through the allocation rules (resizable ≥ 1 MiB, pow2, FIXED must fit).
 */
function sizeVntbBars(env: BindEnv, assignment: NtbInterfacePlan['assignment'], numMws: number, notes: string[]): NtbBar[] | Failure {
  const f = env.controller.profile.features;
  const align = f.align;
  const barOf = (role: string) => assignment.find((a) => a.role === role)!.bar;
  const bars: NtbBar[] = [];
  // CONFIG: control block then both sides' scratchpads.
  const spadCount = Number(env.value('spad_count') ?? 0n);
  const ctrlRegion = roundRegion(NTB_CTRL_SIZE, align);
  const spadBytes = 2 * spadCount * REG;
  const spadRegion = roundRegion(spadBytes, align);
  const configReq = ctrlRegion + spadRegion;
  const cfgBar = barOf('CONFIG');
  const cfgDesc = f.bars[cfgBar];
  if (cfgDesc.type === 'fixed' && cfgDesc.fixedSize) {
    if (configReq > cfgDesc.fixedSize || (align && cfgDesc.fixedSize % align !== 0)) {
      const why = configReq > cfgDesc.fixedSize
        ? `the config region (control block ${fmt(ctrlRegion)} + scratchpads ${fmt(spadRegion)} = ${fmt(configReq)}) is larger than fixed BAR${cfgBar} (${fmt(cfgDesc.fixedSize)})`
        : `fixed BAR${cfgBar} (${fmt(cfgDesc.fixedSize)}) is not a multiple of the controller's ${fmt(align)} alignment`;
      return fail(env, 'EINVAL', `${why} on ${env.controller.profile.name}`, null, [{ attr: 'spad_count' }, { attr: 'ctrl_bar' }, { platformKey: `bar${cfgBar}` }], 'kernel-background B.3');
    }
  }
  const cfg = alloc(env, f, cfgBar, configReq, 'config region', 'spad_count');
  if (isFailure(cfg)) return cfg;
  bars.push({
    role: 'CONFIG', bar: cfgBar, requested: configReq, ...cfg,
    regions: [
      { kind: 'ntb-ctrl', offset: 0, size: ctrlRegion, phys: cfg.phys, label: `epf_ntb_ctrl (${NTB_CTRL_SIZE} bytes)` },
      ...(spadRegion ? [{ kind: 'ntb-spad' as const, offset: ctrlRegion, size: spadRegion, phys: cfg.phys + BigInt(ctrlRegion), label: `2 × ${spadCount} scratchpads (${spadBytes} bytes)` }] : []),
    ],
  });
  // DB: one u32 per doorbell, at least the 128-byte minimum BAR.
  const dbCount = Number(env.value('db_count') ?? 0n);
  const dbReq = Math.max(128, REG * dbCount);
  const dbBar = barOf('DB');
  const db = alloc(env, f, dbBar, dbReq, 'doorbell region', 'db_count');
  if (isFailure(db)) return db;
  bars.push({ role: 'DB', bar: dbBar, requested: dbReq, ...db, regions: [{ kind: 'ntb-doorbell', offset: 0, size: dbReq, phys: db.phys, label: `${dbCount} doorbells` }] });
  // MW1..MWn: the windows the EP-side client later retargets with mw_set_trans (B.3).
  if (numMws === 0) notes.push(`num_mws = 0: BAR${barOf('MW1')} is reserved for MW1 but not programmed`);
  for (let i = 1; i <= Math.min(numMws, MAX_MW); i++) {
    const role = `MW${i}`;
    const bar = barOf(role);
    const req = Number(env.value(`mw${i}`) ?? 0n);
    const mw = alloc(env, f, bar, req, `memory window ${i}`, `mw${i}`);
    if (isFailure(mw)) return mw;
    bars.push({ role, bar, requested: req, ...mw, regions: [{ kind: 'ntb-mw', offset: 0, size: mw.size, phys: mw.phys, label: `${role} (mw${i} = ${fmt(req)})` }] });
  }
  return bars.sort((a, b) => a.bar - b.bar);
}

/**
 * epc_init: pci_epc_set_bar on every planned BAR of one interface (C.3, E.2); the first failure
 * unwinds the BARs set so far and fails the function's epc_init with the EPC's reason.
 */
function programBars(env: BindEnv, plan: NtbInterfacePlan): Failure | undefined {
  if (plan.programmed) return undefined;
  const p = env.controller.profile;
  const done: number[] = [];
  for (const b of plan.bars) {
    const r = setBar(env.epc.dwc, p.features, p.iatu, plan.funcNo, { barno: b.bar, size: b.size, is64: b.is64, phys: b.phys });
    if (!r.ok) {
      for (const bar of done) clearBar(env.epc.dwc, plan.funcNo, bar);
      return fail(env, r.errno, `pci_epc_set_bar(BAR${b.bar}, ${b.role}, ${fmt(b.size)}) on ${plan.epc} failed: ${r.reason}`, r.log ?? `Failed to set ${b.role} BAR${b.bar}`, [], 'kernel-background C.3, E.2');
    }
    done.push(b.bar);
  }
  plan.programmed = true;
  return undefined;
}

function clearPlan(epc: EpcState | undefined, plan: NtbInterfacePlan): void {
  if (!epc) return;
  for (const b of plan.bars) clearBar(epc.dwc, plan.funcNo, b.bar);
  plan.programmed = false;
}

export const pciEpfVntb: DriverModel = {
  bind(env) {
    const f = env.controller.profile.features;
    if (!f.msiCapable && !f.msixCapable) {
      return fail(env, 'EINVAL', 'vNTB doorbells need an MSI or MSI-X capable controller', 'MSI or MSI-X is required', [{ platformKey: 'msi-capable' }], 'kernel-background B.3');
    }
    const dbFail = checkDbCount(env, Number(env.value('db_count') ?? 0n));
    if (dbFail) return dbFail;
    const notes: string[] = [];
    const numMws = Math.min(MAX_MW, Number(env.value('num_mws') ?? 0n));
    const assigned = assignVntbBars(env, numMws, notes);
    if (isFailure(assigned)) return assigned;
    const bars = sizeVntbBars(env, assigned.assignment, assigned.numMws, notes);
    if (isFailure(bars)) return bars;
    ntbPlans.set(env.epf, {
      interfaces: { primary: { epc: env.epc.name, funcNo: env.funcNo, assignment: assigned.assignment, bars, programmed: false } },
      numMws: assigned.numMws,
      notes,
    });
    return undefined;
  },
  /**
   * epc_init: every BAR, then MSI with the driver's 16 doorbell vectors (B.3: the stored
   * msi_interrupts is not what vNTB programs) and MSI-X only when msix_interrupts asks for it.
   */
  epcInit(env) {
    const plan = ntbPlans.get(env.epf)?.interfaces.primary;
    if (!plan) return undefined;
    const bars = programBars(env, plan);
    if (bars) return bars;
    const irq = setupInterrupts({ ...env, value: (n) => (n === 'msi_interrupts' ? VNTB_MSI_COUNT : env.value(n)) }, { msiWhen: 'capable-and-requested' });
    if (irq) clearPlan(env.epc, plan);
    return irq;
  },
  unbind(env) {
    const plan = ntbPlans.get(env.epf)?.interfaces.primary;
    if (plan) clearPlan(env.state.controllers.get(plan.epc) ?? env.epc, plan);
    ntbPlans.delete(env.epf);
  },
};

// ---- pci_epf_ntb -----------------------------------------------------------------------------

const IFACES: readonly Interface[] = ['primary', 'secondary'];
const other = (i: Interface): Interface => (i === 'primary' ? 'secondary' : 'primary');

/** spad_count / db_count as the driver holds them: the B.2 defaults until written. */
function ntbCount(env: BindEnv, name: string, dflt: number): number {
  return env.epf.writes.has(name) ? Number(env.value(name) ?? 0n) : dflt;
}

/**
 * Per-interface assignment on that interface's controller (B.2, C.2): CONFIG, PEER_SPAD and DB_MW1
 * are mandatory, MW2..MWn optional (num_mws shrinks when a controller runs out of BARs).
 */
function assignNtbInterface(env: BindEnv, numMws: number): { assignment: NtbInterfacePlan['assignment']; mws: number } | Failure {
  const f = env.controller.profile.features;
  const roles = ['CONFIG', 'PEER_SPAD', 'DB_MW1', ...Array.from({ length: Math.max(numMws - 1, 0) }, (_, i) => `MW${i + 2}`)];
  const assignment: NtbInterfacePlan['assignment'] = [];
  let bar = 0;
  for (const role of roles) {
    bar = nextFreeBar(f, bar);
    if (bar === NO_BAR) {
      if (role === 'CONFIG' || role === 'PEER_SPAD' || role === 'DB_MW1') {
        return fail(env, 'EINVAL', `${env.iface} interface: no free BAR left for the ${role} region on ${env.controller.profile.name} (${env.epc.name})`, `${env.iface.toUpperCase()} intf: Fail to get NTB function BAR`, [], 'kernel-background B.2');
      }
      return { assignment, mws: Number(role.slice(2)) - 1 };
    }
    assignment.push({ role, bar });
    bar++;
  }
  return { assignment, mws: numMws };
}

/** Geometry of one interface's regions before allocation (B.2; PEER_SPAD and DB_MW1 layout derived). */
interface NtbGeometry {
  ctrlRegion: number;
  spadRegion: number;
  dbRegion: number;
}

function ntbGeometry(f: EpcFeatures, spadCount: number, dbCount: number): NtbGeometry {
  return {
    ctrlRegion: roundRegion(NTB_CTRL_SIZE, f.align),
    // CONFIG holds this side's own scratchpads only (B.2: "ctrl + self spad").
    spadRegion: roundRegion(spadCount * REG, f.align),
    dbRegion: roundRegion(dbCount * REG, f.align),
  };
}

/**
 * Sizes and backs one interface's BARs. CONFIG = ctrl + own scratchpads (FIXED must fit, as in
 * vNTB); PEER_SPAD maps the other interface's scratchpad region; DB_MW1 = doorbells then MW1 at
 * `mw1_offset` (= the doorbell region, the ctrl field of B.2); MW2..MWn = mwN. PEER_SPAD and the
 * DB_MW1 split are derived from the ctrl fields, the sheets give no sizes for them. The real
 * driver backs DB_MW1/MWn with the peer controller's outbound window; the emulator gives them
 * memory from this controller's pool.
 */
function sizeNtbInterface(env: BindEnv, plan: NtbInterfacePlan, numMws: number, geo: NtbGeometry, peerGeo: NtbGeometry, spadCount: number, dbCount: number): Failure | undefined {
  const f = env.controller.profile.features;
  const barOf = (role: string) => plan.assignment.find((a) => a.role === role)!.bar;
  const cfgBar = barOf('CONFIG');
  const configReq = geo.ctrlRegion + geo.spadRegion;
  const desc = f.bars[cfgBar];
  if (desc.type === 'fixed' && desc.fixedSize && configReq > desc.fixedSize) {
    return fail(env, 'EINVAL', `${env.iface} interface: the config region (${fmt(configReq)}) is larger than fixed BAR${cfgBar} (${fmt(desc.fixedSize)}) on ${env.controller.profile.name}`, null, [{ attr: 'spad_count' }, { platformKey: `bar${cfgBar}` }], 'kernel-background B.2, B.3');
  }
  const cfg = alloc(env, f, cfgBar, configReq, `${env.iface} config region`, 'spad_count');
  if (isFailure(cfg)) return cfg;
  plan.bars.push({
    role: 'CONFIG', bar: cfgBar, requested: configReq, ...cfg,
    regions: [
      { kind: 'ntb-ctrl', offset: 0, size: geo.ctrlRegion, phys: cfg.phys, label: `epf_ntb_ctrl (${NTB_CTRL_SIZE} bytes)` },
      ...(geo.spadRegion ? [{ kind: 'ntb-spad' as const, offset: geo.ctrlRegion, size: geo.spadRegion, phys: cfg.phys + BigInt(geo.ctrlRegion), label: `${spadCount} scratchpads` }] : []),
    ],
  });
  const peerReq = peerGeo.spadRegion;
  const peerBar = barOf('PEER_SPAD');
  // No memory of its own: the BAR maps the peer's scratchpads, so only the sizing rules apply;
  // the phys is filled in once the peer's CONFIG BAR has its memory (linkPeerSpads).
  const peer = allocSpace(f, peerBar, peerReq);
  if (!peer.ok) {
    return fail(env, peer.errno, `${env.iface} interface: the peer scratchpad region (${fmt(peerReq)}) does not fit fixed BAR${peerBar} on ${env.controller.profile.name}`, peer.log, [{ attr: 'spad_count' }, { platformKey: `bar${peerBar}` }], 'kernel-background B.2, C.4');
  }
  plan.bars.push({
    role: 'PEER_SPAD', bar: peerBar, requested: peerReq, size: peer.size, memSize: 0, is64: peer.is64, phys: 0n,
    regions: [{ kind: 'ntb-peer-spad', offset: 0, size: peerGeo.spadRegion, phys: 0n, label: `the peer's ${spadCount} scratchpads` }],
  });
  const mw1 = numMws >= 1 ? Number(env.value('mw1') ?? 0n) : 0;
  const dbMwReq = geo.dbRegion + mw1;
  const dbBar = barOf('DB_MW1');
  const dbMw = alloc(env, f, dbBar, dbMwReq, `${env.iface} doorbell + MW1 region`, 'mw1');
  if (isFailure(dbMw)) return dbMw;
  plan.bars.push({
    role: 'DB_MW1', bar: dbBar, requested: dbMwReq, ...dbMw,
    regions: [
      { kind: 'ntb-doorbell', offset: 0, size: geo.dbRegion, phys: dbMw.phys, label: `${dbCount} doorbells` },
      ...(mw1 ? [{ kind: 'ntb-mw' as const, offset: geo.dbRegion, size: mw1, phys: dbMw.phys + BigInt(geo.dbRegion), label: `MW1 (mw1 = ${fmt(mw1)}, mw1_offset ${geo.dbRegion})` }] : []),
    ],
  });
  for (let i = 2; i <= numMws; i++) {
    const role = `MW${i}`;
    const req = Number(env.value(`mw${i}`) ?? 0n);
    const bar = barOf(role);
    const mw = alloc(env, f, bar, req, `${env.iface} memory window ${i}`, `mw${i}`);
    if (isFailure(mw)) return mw;
    plan.bars.push({ role, bar, requested: req, ...mw, regions: [{ kind: 'ntb-mw', offset: 0, size: mw.size, phys: mw.phys, label: `${role} (mw${i} = ${fmt(req)})` }] });
  }
  plan.bars.sort((a, b) => a.bar - b.bar);
  return undefined;
}

/** PEER_SPAD of each interface points at the other interface's scratchpads (B.2). */
function linkPeerSpads(plans: Record<Interface, NtbInterfacePlan>): void {
  for (const i of IFACES) {
    const peerCfg = plans[other(i)].bars.find((b) => b.role === 'CONFIG')!;
    const spad = peerCfg.regions.find((r) => r.kind === 'ntb-spad');
    const target = spad?.phys ?? peerCfg.phys + BigInt(peerCfg.regions[0].size);
    const mine = plans[i].bars.find((b) => b.role === 'PEER_SPAD')!;
    mine.phys = target;
    for (const r of mine.regions) r.phys = target;
  }
}

export const pciEpfNtb: DriverModel = {
  bind(env) {
    // Bind completes only once both interfaces are linked (B.2); until then it returns 0.
    if (!env.epf.links.primary || !env.epf.links.secondary) return undefined;
    const spadCount = ntbCount(env, 'spad_count', NTB_DEFAULT_SPAD);
    const dbCount = ntbCount(env, 'db_count', NTB_DEFAULT_DB);
    const dbFail = checkDbCount(env, dbCount);
    if (dbFail) return dbFail;
    const envs = { primary: envFor(env, 'primary'), secondary: envFor(env, 'secondary') };
    if (!envs.primary || !envs.secondary) return undefined;
    const notes: string[] = [];
    const requested = Math.min(MAX_MW, Number(env.value('num_mws') ?? 0n));
    let numMws = requested;
    const assignments: Partial<Record<Interface, NtbInterfacePlan['assignment']>> = {};
    for (const i of IFACES) {
      const a = assignNtbInterface(envs[i]!, numMws);
      if (isFailure(a)) return a;
      if (a.mws < numMws) notes.push(`${i} interface (${envs[i]!.epc.name}) has no free BAR for MW${a.mws + 1}: num_mws silently reduced from ${numMws} to ${a.mws}`);
      numMws = Math.min(numMws, a.mws);
      assignments[i] = a.assignment;
    }
    const plans = {} as Record<Interface, NtbInterfacePlan>;
    for (const i of IFACES) {
      const e = envs[i]!;
      // MWs dropped by the other interface's reduction are dropped here too (num_mws is shared).
      const assignment = assignments[i]!.filter((a) => !/^MW\d$/.test(a.role) || Number(a.role.slice(2)) <= numMws);
      plans[i] = { epc: e.epc.name, funcNo: e.funcNo, assignment, bars: [], programmed: false };
    }
    const geo = {
      primary: ntbGeometry(envs.primary.controller.profile.features, spadCount, dbCount),
      secondary: ntbGeometry(envs.secondary.controller.profile.features, spadCount, dbCount),
    };
    for (const i of IFACES) {
      const err = sizeNtbInterface(envs[i]!, plans[i], numMws, geo[i], geo[other(i)], spadCount, dbCount);
      if (err) return err;
    }
    linkPeerSpads(plans);
    ntbPlans.set(env.epf, { interfaces: plans, numMws, notes });
    return undefined;
  },
  /**
   * epc_init: pci_epf_ntb sets up both controllers (B.2); each interface is programmed once its
   * controller is initialised (this event's, and the other one when it already is), then MSI /
   * MSI-X as the function asks for them.
   */
  epcInit(env) {
    const plan = ntbPlans.get(env.epf);
    if (!plan) return undefined;
    for (const i of [env.iface, other(env.iface)]) {
      const p = plan.interfaces[i];
      const e = i === env.iface ? env : envFor(env, i);
      if (!p || !e || (i !== env.iface && !e.epc.initComplete) || p.programmed) continue;
      const err = programBars(e, p) ?? setupInterrupts(e, { msiWhen: 'capable-and-requested' });
      if (err) {
        clearPlan(e.epc, p);
        return err;
      }
    }
    return undefined;
  },
  unbind(env) {
    const plan = ntbPlans.get(env.epf);
    for (const p of Object.values(plan?.interfaces ?? {})) clearPlan(env.state.controllers.get(p.epc), p);
    ntbPlans.delete(env.epf);
  },
};
