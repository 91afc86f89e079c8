/** pci_epf_ntb binds only once both primary and secondary are linked (kernel-background B.2). */
import type { Diagnostic } from '../diagnostics';
import type { Rule } from './types';

export const ntbInterfaces: Rule = {
  id: 'ntb-needs-both-interfaces',
  run(ctx) {
    const out: Diagnostic[] = [];
    for (const epf of ctx.replay.state.functions.values()) {
      if (epf.driver !== 'pci_epf_ntb') continue;
      const one = epf.links.primary ?? epf.links.secondary;
      if (!one || (epf.links.primary && epf.links.secondary)) continue;
      const missing = epf.links.primary ? 'secondary' : 'primary';
      out.push({
        range: one.origin.range, severity: 'warning', code: 'ntb-needs-both-interfaces',
        message: `pci_epf_ntb bridges two controllers: it stays unbound until ${missing}/ is linked too`,
        ref: 'kernel-background B.2',
      });
    }
    return out;
  },
};
