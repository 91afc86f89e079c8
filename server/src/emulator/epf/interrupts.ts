/**
 * MSI / MSI-X programming at epc_init, common to the function drivers: pci_epc_set_msi accepts
 * 1..32 vectors, pci_epc_set_msix 1..2048 (kernel-background A.4, E.6).
 */
import type { BindEnv, Failure } from './types';
import { fail } from './types';

export const MSI_MAX = 32;
export const MSIX_MAX = 2048;

export interface IrqPolicy {
  /** Program MSI only when the function asked for vectors (pci_epf_dma) or whenever capable (pci_epf_test). */
  msiWhen: 'capable' | 'capable-and-requested';
}

export function setupInterrupts(env: BindEnv, policy: IrqPolicy): Failure | undefined {
  const f = env.controller.profile.features;
  const msi = Number(env.value('msi_interrupts') ?? 0n);
  const msix = Number(env.value('msix_interrupts') ?? 0n);
  const want = (capable: boolean, n: number) => capable && (policy.msiWhen === 'capable' || n > 0);
  if (want(f.msiCapable, msi) && (msi < 1 || msi > MSI_MAX)) {
    return fail(env, 'EINVAL', `pci_epc_set_msi rejects msi_interrupts = ${msi}: the MSI capability offers 1..${MSI_MAX} vectors`,
      'MSI configuration failed', [{ attr: 'msi_interrupts' }], 'kernel-background A.4');
  }
  if (want(f.msixCapable, msix) && (msix < 1 || msix > MSIX_MAX)) {
    return fail(env, 'EINVAL', `pci_epc_set_msix rejects msix_interrupts = ${msix}: the MSI-X capability offers 1..${MSIX_MAX} vectors`,
      'MSI-X configuration failed', [{ attr: 'msix_interrupts' }], 'kernel-background A.4');
  }
  return undefined;
}
