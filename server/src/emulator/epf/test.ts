/**
 * pci_epf_test: the test-register BAR and the buffers behind every other free BAR
 * (kernel-background B.1, C.2, C.4).
 */
import { allocSpace, NO_BAR, firstFreeBar, isUsableBar } from '../epc/features';
import type { BindEnv, DriverModel } from './types';
import { fail } from './types';
import { setupInterrupts } from './interrupts';

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
    bars.push({ bar: testRegBar, size: reg.size, memSize: reg.memSize, is64: reg.is64, role: 'test-registers', requested: regRequest });
    for (let bar = 0; bar < 6; bar++) {
      if (bar === testRegBar) continue;
      if (!isUsableBar(f.bars[bar])) continue;
      // The BAR after a 64-bit one is its upper half.
      const prev = bars.find((b) => b.bar === bar - 1);
      if (prev?.is64) continue;
      const configured = env.value(`bar${bar}_size`);
      const requested = configured !== undefined ? Number(configured) : TEST_DEFAULT_BAR_SIZES[bar];
      const r = allocSpace(f, bar, requested);
      if (!r.ok) {
        log.push(`pci_epf_test pci_epf_test.${env.epf.index}: Failed to allocate space for BAR${bar}`);
        continue;
      }
      bars.push({ bar, size: r.size, memSize: r.memSize, is64: r.is64, role: 'buffer', requested });
    }
    bars.sort((a, b) => a.bar - b.bar);
    testPlans.set(env.epf, { testRegBar, bars, log });
    return undefined;
  },
  // pci_epf_test programs MSI whenever the EPC is MSI capable, MSI-X whenever MSI-X capable (A.4).
  epcInit: (env) => setupInterrupts(env, { msiWhen: 'capable' }),
  unbind(env) {
    testPlans.delete(env.epf);
  },
};
