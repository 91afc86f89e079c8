/** pci_epf_mhi_*: BAR0 maps the controller's MHI MMIO space (kernel-background B.4). */
import type { DriverModel } from './types';
import { fail } from './types';
import { setupInterrupts } from './interrupts';
import { isUsableBar } from '../epc/features';

export const pciEpfMhi: DriverModel = {
  bind(env) {
    const bar0 = env.controller.profile.features.bars[0];
    if (!isUsableBar(bar0)) {
      return fail(env, 'EINVAL', `MHI needs BAR0, which is ${bar0.type} on ${env.controller.profile.name}`, 'BAR0 is not available', [{ platformKey: 'bar0' }], 'kernel-background B.4');
    }
    return undefined;
  },
  epcInit: (env) => setupInterrupts(env, { msiWhen: 'capable' }),
  unbind() {},
};
