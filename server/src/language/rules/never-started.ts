/** A controller with linked functions that is never started never brings the link up (kernel-background A.3). */
import type { Diagnostic } from '../diagnostics';
import type { Rule } from './types';

export const neverStarted: Rule = {
  id: 'never-started',
  run(ctx) {
    const out: Diagnostic[] = [];
    for (const epc of ctx.replay.state.controllers.values()) {
      if (epc.started || epc.startOrigin) continue;
      const linked = [...ctx.replay.state.functions.values()].find((f) => f.links.primary?.epc === epc.name || f.links.secondary?.epc === epc.name);
      if (!linked) continue;
      const l = (linked.links.primary ?? linked.links.secondary)!;
      out.push({
        range: l.origin.range, severity: 'info', code: 'never-started',
        message: `controllers/${epc.name} is never started: write start = 1 in [controllers/${epc.name}] after the links to bring the link up`,
        ref: 'kernel-background A.3',
      });
    }
    return out;
  },
};
