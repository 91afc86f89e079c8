/**
 * pci_epf_test: the test-register BAR and the buffers behind every other free BAR
 * (kernel-background B.1, C.2, C.4).
 */
import { allocSpace, NO_BAR, firstFreeBar, isUsableBar } from '../epc/features';
import type { BindEnv, DriverModel } from './types';
import { fail } from './types';
import { setupInterrupts } from './interrupts';
import { epcAlloc } from '../configfs/state';
import { clearBar, setBar } from '../epc/set-bar';

/** Mainline default BAR sizes (kernel-background B.1). */
export const TEST_DEFAULT_BAR_SIZES = [512, 512, 1024, 16384, 131072, 1048576];
/** ALIGN(sizeof(struct pci_epf_test_reg), 128). */
export const TEST_REG_BLOCK = 128;

export interface TestBar {
  bar: number;
  size: number;
  memSize: number;
  is64: boolean;
  role: 'test-registers' | 'buffer';
  /** Requested bytes before the allocation rules rounded them. */
  requested: number;
  /** Backing memory from the EPC's coherent pool. */
  phys: bigint;
}

export const testPlans = new WeakMap<object, { testRegBar: number; bars: TestBar[]; log: string[] }>();

export const pciEpfTest: DriverModel = {
  bind(env: BindEnv) {
    const f = env.controller.profile.features;
    const testRegBar = firstFreeBar(f);
    if (testRegBar === NO_BAR) {
      return fail(env, 'EINVAL', `${env.controller.profile.name} has no free BAR for the test registers`, 'Failed to find a free BAR for the test registers', [], 'kernel-background B.1');
    }
    const msix = f.msixCapable ? Number(env.value('msix_interrupts') ?? 0n) : 0;
    // MSI-X table right after the 128-byte register block, then the PBA (B.1).
    const pba = Math.ceil(Math.ceil(msix / 8) / 8) * 8;
    const regRequest = TEST_REG_BLOCK + msix * 16 + (msix ? pba : 0);
    const bars: TestBar[] = [];
    const log: string[] = [];
    const reg = allocSpace(f, testRegBar, regRequest);
    if (!reg.ok) {
      return fail(env, 'ENOMEM', `the test-register block (${regRequest} bytes) does not fit BAR${testRegBar}: ${reg.log}`, 'Failed to allocated register space', [{ attr: 'msix_interrupts' }], 'kernel-background B.1, C.4');
    }
    bars.push({ bar: testRegBar, size: reg.size, memSize: reg.memSize, is64: reg.is64, role: 'test-registers', requested: regRequest, phys: epcAlloc(env.epc, reg.memSize) });
    for (let bar = 0; bar < 6; bar++) {
      if (bar === testRegBar) continue;
      if (!isUsableBar(f.bars[bar])) continue;
      // The BAR after a 64-bit one is its upper half.
      const prev = bars.find((b) => b.bar === bar - 1);
      if (prev?.is64) continue;
      // A FIXED BAR takes its fixed size; barN_size is ignored there (B.1, mainline ≥ ~6.16).
      const desc = f.bars[bar];
      const configured = env.value(`bar${bar}_size`);
      const requested = desc.type === 'fixed' && desc.fixedSize ? desc.fixedSize
        : configured !== undefined ? Number(configured) : TEST_DEFAULT_BAR_SIZES[bar];
      const r = allocSpace(f, bar, requested);
      if (!r.ok) {
        log.push(`pci_epf_test pci_epf_test.${env.epf.index}: Failed to allocate space for BAR${bar}`);
        continue;
      }
      bars.push({ bar, size: r.size, memSize: r.memSize, is64: r.is64, role: 'buffer', requested, phys: epcAlloc(env.epc, r.memSize) });
    }
    bars.sort((a, b) => a.bar - b.bar);
    testPlans.set(env.epf, { testRegBar, bars, log });
    return undefined;
  },
  /**
   * epc_init: program every allocated BAR (a failure on the test-register BAR aborts, others are
   * only logged), then MSI whenever MSI capable and MSI-X whenever MSI-X capable (B.1, A.4).
   */
  epcInit(env: BindEnv) {
    const plan = testPlans.get(env.epf);
    if (!plan) return undefined;
    const p = env.controller.profile;
    for (const b of plan.bars) {
      const r = setBar(env.epc.dwc, p.features, p.iatu, env.funcNo, { barno: b.bar, size: b.size, is64: b.is64, phys: b.phys });
      if (r.ok) continue;
      if (b.role === 'test-registers') {
        return fail(env, r.errno, `pci_epc_set_bar(BAR${b.bar}) failed: ${r.reason}`, `Failed to set BAR${b.bar}`, [], 'kernel-background B.1, C.3');
      }
      plan.log.push(`pci_epf_test pci_epf_test.${env.epf.index}: Failed to set BAR${b.bar}`);
    }
    return setupInterrupts(env, { msiWhen: 'capable' });
  },
  unbind(env) {
    const plan = testPlans.get(env.epf);
    for (const b of plan?.bars ?? []) clearBar(env.epc.dwc, env.funcNo, b.bar);
    testPlans.delete(env.epf);
  },
};
