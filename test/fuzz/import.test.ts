/**
 * Fuzzing `importScript` (configfs shell script → .pciep) and `exportScript` (the other way): random
 * and mutated scripts never make import throw or hang, its output is a .pciep file of bounded size
 * whose warnings point at lines of the script; every exported script imports again. Seeds:
 * config.ts / docs/robustness.md.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { importScript } from '../../server/src/language/script-import';
import { exportScript } from '../../server/src/language/script-export';
import { parse } from '../../server/src/language/parser';
import { arbGeneratedDocument, arbMutatedDocument, arbShellScript } from './arbitraries';
import { count, params, TIMEOUT_MS } from './config';
import { timed } from './invariants';

/** The import's output is bounded by its input: a variable expands to at most a page (4096 bytes) per use. */
function checkImport(script: string): void {
  const r = timed('importScript', script, () => importScript(script));
  assert.equal(typeof r.text, 'string');
  const lines = script.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/).length;
  for (const w of r.warnings) {
    assert.ok(Number.isInteger(w.line) && w.line >= 1 && w.line <= lines, `warning line ${w.line} outside 1..${lines}: ${w.message}`);
    assert.ok(w.message.length > 0);
  }
  const words = script.split(/\s+/).length;
  const bound = 64 * script.length + 8192 * words + 4096;
  assert.ok(r.text.length <= bound, `import output ${r.text.length} bytes for a ${script.length}-byte script (bound ${bound})`);
  timed('parse of the imported .pciep', r.text, () => parse(r.text));
}

describe('fuzz: configfs script import and export', function () {
  this.timeout(TIMEOUT_MS);

  it('random and mutated shell scripts: import never throws or hangs, output bounded, warnings on script lines', () => {
    fc.assert(
      fc.property(arbShellScript, ({ text }) => {
        count('shell scripts imported');
        checkImport(text);
      }),
      params('importScripts', 200, 20000),
    );
  });

  it('every fuzzed .pciep exports to a script that imports again', () => {
    fc.assert(
      fc.property(fc.oneof(arbMutatedDocument().map((d) => d.text), arbGeneratedDocument()), (text) => {
        count('documents exported and re-imported');
        const script = timed('exportScript', text, () => exportScript(parse(text)));
        checkImport(script);
      }),
      params('importRoundTrip', 60, 5000),
    );
  });
});
