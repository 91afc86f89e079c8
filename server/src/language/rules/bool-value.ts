/**
 * kstrtobool looks only at the first one or two characters, so `start = yes please` or `start = 10`
 * are accepted; say what the kernel understood (kernel-background A.3).
 */
import type { Diagnostic } from '../diagnostics';
import type { Rule } from './types';
import { kstrtobool } from '../kstrto';
import { CONTROLLER_ATTRIBUTES } from '../schema/standard';

const CONTROLLER_ATTRIBUTE_NAMES = CONTROLLER_ATTRIBUTES.map((a) => a.name);

function namesControllerAttribute(written: string): boolean {
  for (const n of CONTROLLER_ATTRIBUTE_NAMES) if (written.includes(n)) return true;
  return false;
}
const CANONICAL = new Set(['0', '1', 'y', 'n', 'Y', 'N', 'yes', 'no', 'on', 'off', 'true', 'false']);

export const boolValue: Rule = {
  id: 'bool-value',
  run(ctx) {
    const out: Diagnostic[] = [];
    for (const { op, stmt } of ctx.writes) {
      // The rule is about controller attributes (`start`), whose name the written name contains:
      // the cheapest test first, and op.path (a concatenation that reading would flatten) last.
      if (!namesControllerAttribute(stmt.name.text)) continue;
      if (CANONICAL.has(stmt.value.text) || !op.path.startsWith('controllers/')) continue;
      const r = kstrtobool(stmt.value.text + '\n');
      if (!r.ok) continue;
      out.push({
        range: stmt.value.range, severity: 'warning', code: 'bool-value',
        message: `kstrtobool reads only the start of '${stmt.value.text}': it is taken as ${r.value ? '1 (true)' : '0 (false)'}`,
        ref: 'kernel-background A.3',
        fix: { title: `Write ${r.value ? 1 : 0}`, range: stmt.value.range, newText: r.value ? '1' : '0' },
      });
    }
    return out;
  },
};
