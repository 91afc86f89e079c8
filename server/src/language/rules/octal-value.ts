/**
 * base-0 parsing reads a leading 0 as octal: `010` is stored as 8 (kernel-background A.2, F.2).
 * The write succeeds, so this is a warning with the decimal and hex spellings as fixes.
 */
import type { Diagnostic } from '../diagnostics';
import type { Rule } from './types';

const OCTAL = /^\+?0[0-7]+$/;

export const octalValue: Rule = {
  id: 'octal-value',
  run(ctx) {
    const out: Diagnostic[] = [];
    for (const { stmt } of ctx.writes) {
      const text = stmt.value.text;
      // A leading 0 followed by an octal digit (after an optional '+') is needed to match: skip
      // the regex for the rest, hex spellings included (it runs for every write of the file).
      const i = text.charCodeAt(0) === 43 ? 1 : 0;
      const d = text.charCodeAt(i + 1);
      if (text.charCodeAt(i) !== 48 || !(d >= 48 && d <= 55) || !OCTAL.test(text)) continue;
      const value = parseInt(text.replace('+', ''), 8);
      if (value === parseInt(text.replace('+', ''), 10)) continue;
      out.push({
        range: stmt.value.range, severity: 'warning', code: 'octal-value',
        message: `'${text}' is octal to the kernel (base 0): it is stored as ${value} (0x${value.toString(16)}), not ${text.replace(/^\+?0+/, '') || '0'}`,
        ref: 'kernel-background A.2',
        fix: { title: `Write ${value} (what the kernel stores)`, range: stmt.value.range, newText: String(value) },
      });
    }
    return out;
  },
};
