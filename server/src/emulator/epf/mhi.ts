/**
 * pci_epf_mhi_*: BAR0 maps the controller's MHI MMIO register space (kernel-background B.4). The
 * driver allocates no memory: the BAR's inbound window targets the MMIO region itself.
 */
import type { DriverModel } from './types';
import { fail } from './types';
import { setupInterrupts } from './interrupts';
import { isUsableBar } from '../epc/features';
import { clearBar, setBar } from '../epc/set-bar';

/** info->bar_num: BAR0 only (B.4). */
export const MHI_BAR = 0;
/**
 * Size of the controller's "mmio" resource, which is the BAR size (B.4).
 * [unverified: mmio size not in the sheets] — 4 KiB, one register page.
 */
export const MHI_MMIO_SIZE = 4096;
/**
 * Physical address of the "mmio" resource the BAR-match window targets (B.4: phys = controller
 * "mmio" resource). The sheets give no address: the emulator uses this one fixed, page-aligned
 * address for every controller, outside the coherent pool (EP_DRAM_BASE) so that it can never
 * alias BAR backing memory.
 */
export const MHI_MMIO_PHYS = 0x1c0_3000n;

export interface MhiPlan {
  bar: number;
  size: number;
  /** 32-bit memory BAR (B.4 epf_flags). */
  is64: false;
  phys: bigint;
  funcNo: number;
}

export const mhiPlans = new WeakMap<object, MhiPlan>();

export const pciEpfMhi: DriverModel = {
  bind(env) {
    const bar0 = env.controller.profile.features.bars[MHI_BAR];
    if (!isUsableBar(bar0)) {
      return fail(env, 'EINVAL', `MHI needs BAR0, which is ${bar0.type} on ${env.controller.profile.name}`, 'BAR0 is not available', [{ platformKey: 'bar0' }], 'kernel-background B.4');
    }
    // B.4 makes BAR0 a 32-bit memory BAR even where the controller marks it only_64bit (Qualcomm,
    // C.5); pci_epc_set_bar's checks (C.3) do not look at only_64bit, so the sheets' 32-bit BAR stands.
    mhiPlans.set(env.epf, { bar: MHI_BAR, size: MHI_MMIO_SIZE, is64: false, phys: MHI_MMIO_PHYS, funcNo: env.funcNo });
    return undefined;
  },
  /**
   * epc_init: pci_epc_set_bar(BAR0 → MMIO) (C.3, E.2), then MSI / MSI-X. Note: the driver's
   * per-SoC info carries msi_count 32 (B.4), and B.4 only says the *header* values are the
   * driver's; msi_interrupts is not a header attribute (A.2), so whether the stored value is
   * replaced by 32 is not in the sheets. The emulator programs the stored value: anything outside
   * 1..32 (the default 0 included) fails epc_init; write msi_interrupts = 32 to match the driver.
   */
  epcInit(env) {
    const plan = mhiPlans.get(env.epf);
    if (plan) {
      const p = env.controller.profile;
      const r = setBar(env.epc.dwc, p.features, p.iatu, plan.funcNo, { barno: plan.bar, size: plan.size, is64: plan.is64, phys: plan.phys });
      if (!r.ok) {
        return fail(env, r.errno, `pci_epc_set_bar(BAR${plan.bar}, MHI MMIO) failed: ${r.reason}`, r.log ?? `Failed to set BAR${plan.bar}`, [{ platformKey: `bar${plan.bar}` }], 'kernel-background B.4, C.3, E.2');
      }
    }
    const irq = setupInterrupts(env, { msiWhen: 'capable' });
    if (irq && plan) clearBar(env.epc.dwc, plan.funcNo, plan.bar);
    return irq;
  },
  unbind(env) {
    const plan = mhiPlans.get(env.epf);
    if (plan) clearBar(env.epc.dwc, plan.funcNo, plan.bar);
    mhiPlans.delete(env.epf);
  },
};
