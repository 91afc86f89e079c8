/** `[host…]` sections: known sections, known keys, values of the right kind (DESIGN.md section 2). */
import type { Diagnostic } from '../diagnostics';
import type { Rule } from './types';
import { HOST_KEYS, hostSectionKind } from '../host-schema';
import { closest } from '../suggest';
import { parseSize } from '../units';

export const hostSections: Rule = {
  id: 'host-section',
  run(ctx) {
    const out: Diagnostic[] = [];
    for (const section of ctx.doc.sections) {
      const path = section.header?.normPath;
      if (!path || !(path === 'host' || path.startsWith('host/'))) continue;
      const kind = hostSectionKind(path);
      if (!kind) {
        out.push({ range: section.header!.path.range, severity: 'error', code: 'unknown-host-section', message: `unknown host section '${path}': use [host], [host/transfer/NAME] or [host/fault/NAME]`, ref: 'DESIGN.md 2' });
        continue;
      }
      const specs = HOST_KEYS[kind];
      const seen = new Set<string>();
      for (const stmt of section.body) {
        if (stmt.kind !== 'assign') {
          out.push({ range: stmt.range, severity: 'error', code: 'not-configfs', message: 'host sections only hold `key = value` settings', ref: 'DESIGN.md 2' });
          continue;
        }
        const key = stmt.name.text;
        seen.add(key);
        const spec = specs.find((s) => s.key === key);
        if (!spec) {
          const guess = closest(key, specs.map((s) => s.key));
          out.push({
            range: stmt.name.range, severity: 'error', code: 'unknown-host-key',
            message: `unknown ${kind === 'host' ? '[host]' : `[host/${kind}/…]`} key '${key}'${guess ? `; did you mean '${guess}'?` : ''}`,
            fix: guess ? { title: `Rename to '${guess}'`, range: stmt.name.range, newText: guess } : undefined,
          });
          continue;
        }
        const v = stmt.value.text.trim();
        let problem: string | undefined;
        if (spec.value.kind === 'enum') {
          if (!spec.value.values.includes(v)) {
            const guess = closest(v, spec.value.values);
            problem = `${key} must be one of ${spec.value.values.join(', ')}${guess ? `; did you mean '${guess}'?` : ''}`;
          }
        } else if (spec.value.kind === 'int' || spec.value.kind === 'size' || spec.value.kind === 'address') {
          const r = parseSize(v);
          if (!r.ok) problem = `${key}: ${r.message}`;
          else if (spec.value.kind === 'int' && (r.value < BigInt(spec.value.min) || r.value > BigInt(spec.value.max))) problem = `${key} must be ${spec.value.min}..${spec.value.max}`;
          else if (spec.value.kind === 'size' && r.value === 0n) problem = `${key} must not be 0`;
        }
        if (problem) out.push({ range: stmt.value.range, severity: 'error', code: 'bad-host-value', message: problem });
      }
      for (const spec of specs) {
        if (spec.required && !seen.has(spec.key)) {
          out.push({ range: section.header!.range, severity: 'error', code: 'missing-host-key', message: `${path} needs '${spec.key} = …'` });
        }
      }
    }
    return out;
  },
};
