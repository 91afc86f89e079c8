/**
 * BAR indices written to metadata_bar, dma_window_bar or the vNTB *_bar attributes are accepted by
 * configfs (-1..5) but fail at bind when the BAR is reserved, disabled or the upper half of a
 * 64-bit BAR on the controller the function is linked to (seed-series 6.2, kernel-background
 * B.3, C.5). Warn at the write, where the fix belongs; the bind error stands at the link.
 */
import type { Diagnostic } from '../diagnostics';
import type { Rule, RuleContext } from './types';
import { isUsableBar, firstFreeBar } from '../../emulator/epc/features';

const BAR_ATTRS = new Set(['metadata_bar', 'dma_window_bar', 'ctrl_bar', 'db_bar', 'mw1_bar', 'mw2_bar', 'mw3_bar', 'mw4_bar']);

/** The controller each function is (or was) linked to, from the replayed state and link statements. */
function linkedControllers(ctx: RuleContext): Map<string, string> {
  const linkedTo = new Map<string, string>();
  for (const epf of ctx.replay.state.functions.values()) {
    const l = epf.links.primary ?? epf.links.secondary;
    if (l) linkedTo.set(epf.path, l.epc);
  }
  for (const stmt of ctx.doc.statements) {
    if (stmt.kind !== 'link' || !stmt.normTarget) continue;
    const dir = ctx.replay.dirAt(stmt.line);
    if (dir === undefined) continue;
    if (dir.startsWith('controllers/') && stmt.normTarget.startsWith('functions/')) linkedTo.set(stmt.normTarget, dir.split('/')[1]);
    if (dir.startsWith('functions/') && stmt.normTarget.startsWith('controllers/')) linkedTo.set(dir.split('/').slice(0, 3).join('/'), stmt.normTarget.split('/')[1]);
  }
  return linkedTo;
}

export const barChoice: Rule = {
  id: 'unusable-bar',
  run(ctx) {
    const out: Diagnostic[] = [];
    // The successful writes of BAR attributes first: most files have a handful, and the link map
    // below is built only when there is one. Every BAR attribute's name ends in _bar, so the
    // written name contains it; that test comes before op.path, a concatenation that reading
    // would flatten for every write of the file.
    const barWrites = ctx.writes.filter(({ op, stmt }) => stmt.name.text.includes('_bar') && op.path.endsWith('_bar')
      && BAR_ATTRS.has(op.path.slice(op.path.lastIndexOf('/') + 1)));
    if (!barWrites.length) return out;
    const linkedTo = linkedControllers(ctx);
    for (const { op, stmt } of barWrites) {
      const epcName = linkedTo.get(op.path.split('/').slice(0, 3).join('/'));
      const controller = epcName ? ctx.platform.controllers.get(epcName) : undefined;
      if (!controller) continue;
      const bar = Number(stmt.value.text.trim());
      if (!Number.isInteger(bar) || bar < 0 || bar > 5) continue;
      const desc = controller.profile.features.bars[bar];
      if (isUsableBar(desc)) continue;
      const free = firstFreeBar(controller.profile.features);
      out.push({
        range: stmt.value.range, severity: 'warning', code: 'unusable-bar',
        message: `BAR${bar} is ${desc.type} on ${controller.profile.name} (${controller.name}): binding will fail with EINVAL`,
        ref: 'kernel-background C.5; seed-series 6.2',
        fix: free >= 0 ? { title: `Use BAR${free}, the first free BAR`, range: stmt.value.range, newText: String(free) } : undefined,
      });
    }
    return out;
  },
};
