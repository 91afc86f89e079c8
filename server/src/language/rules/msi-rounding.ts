/**
 * The MSI capability's Multiple Message Capable field is log2-encoded: a count that is not a power
 * of two is rounded up (kernel-background A.4, E.6).
 */
import type { Diagnostic } from '../diagnostics';
import type { Rule } from './types';

export const msiRounding: Rule = {
  id: 'msi-rounding',
  run(ctx) {
    const out: Diagnostic[] = [];
    for (const epf of ctx.replay.state.functions.values()) {
      const v = epf.values.get('msi_interrupts');
      const w = epf.writes.get('msi_interrupts');
      if (typeof v !== 'bigint' || !w || v < 1n || v > 32n) continue;
      const n = Number(v);
      if ((n & (n - 1)) === 0) continue;
      let p = 1;
      while (p < n) p *= 2;
      out.push({
        range: w.range, severity: 'info', code: 'msi-rounding',
        message: `msi_interrupts = ${n} is advertised as ${p} vectors (Multiple Message Capable = log2, rounded up)`,
        ref: 'kernel-background A.4',
      });
    }
    return out;
  },
};
