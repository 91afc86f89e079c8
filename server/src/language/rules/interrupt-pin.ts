/** interrupt_pin accepts any u8 but only 0..4 (none, INTA..INTD) mean anything (kernel-background A.2). */
import type { Diagnostic } from '../diagnostics';
import type { Rule } from './types';

export const interruptPin: Rule = {
  id: 'interrupt-pin-range',
  run(ctx) {
    const out: Diagnostic[] = [];
    for (const epf of ctx.replay.state.functions.values()) {
      const v = epf.values.get('interrupt_pin');
      const w = epf.writes.get('interrupt_pin');
      if (typeof v === 'bigint' && v > 4n && w) {
        out.push({
          range: w.range, severity: 'warning', code: 'interrupt-pin-range',
          message: `interrupt_pin = ${v} is stored (any u8 is accepted) but is no INTx pin: 0 none, 1 INTA, 2 INTB, 3 INTC, 4 INTD`,
          ref: 'kernel-background A.2',
        });
      }
    }
    return out;
  },
};
