/**
 * Incremental parsing (parser.ts `parse(text, previous)`): reusing the nodes of the lines an edit
 * did not touch must give exactly the document a parse from scratch gives, whatever the edit, and
 * nothing downstream may mutate a node the next version reuses.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { parse } from '../../server/src/language/parser';
import type { Document } from '../../server/src/language/ast';
import { createContext } from '../../server/src/features/context';
import { AnalysisCache } from '../../server/src/features/documents';
import { buildIndex } from '../../server/src/features/navigation';
import { semanticTokens } from '../../server/src/features/semantic-tokens';
import { CORPUS, arbStatement } from '../fuzz/arbitraries';

/** An edit as an editor sends it: replace lines [from, from + remove) by `insert`. */
interface LineEdit {
  from: number;
  remove: number;
  insert: string[];
}

function applyEdit(text: string, e: LineEdit): string {
  const lines = text.split('\n');
  const from = e.from % (lines.length + 1);
  lines.splice(from, e.remove, ...e.insert);
  return lines.join('\n');
}

const arbLine = fc.oneof(arbStatement, fc.constantFrom('', '# note', 'vendorid = 0x1', 'x = "a # b"', 'a\u0000b', '[', 'msi_interrupts = 010 # octal'));
const arbEdit: fc.Arbitrary<LineEdit> = fc.record({
  from: fc.nat(400),
  remove: fc.nat(3),
  insert: fc.array(arbLine, { maxLength: 3 }),
});

/** Also a one-character change inside a line, the most common edit of all. */
const arbCharEdit = fc.record({ at: fc.nat(100_000), ch: fc.constantFrom('0', '1', 'x', ' ', '#', '=', '"', '\n', '') })
  .map(({ at, ch }) => (text: string) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + ch + text.slice(i + 1);
  });

/** Whole-document equality: the AST is plain data, so a deep comparison covers every node and range. */
function assertSameAsScratch(text: string, previous: Document): Document {
  const incremental = parse(text, previous);
  assert.deepStrictEqual(incremental, parse(text));
  return incremental;
}

function deepFreeze(o: unknown, seen = new Set<unknown>()): void {
  if (typeof o !== 'object' || o === null || seen.has(o)) return;
  seen.add(o);
  for (const v of Object.values(o)) deepFreeze(v, seen);
  Object.freeze(o);
}

describe('incremental parsing (parser.ts parse with a previous version)', () => {
  it('equals a parse from scratch after any sequence of line edits on any corpus file', () => {
    fc.assert(fc.property(fc.constantFrom(...CORPUS), fc.array(arbEdit, { minLength: 1, maxLength: 5 }), (file, edits) => {
      let text = file.text;
      let doc = parse(text);
      for (const e of edits) {
        text = applyEdit(text, e);
        doc = assertSameAsScratch(text, doc);
      }
    }), { seed: 0x5eed_0101, numRuns: 150 });
  });

  it('equals a parse from scratch after character edits (CR, CRLF, BOM and NUL included)', () => {
    const base = fc.constantFrom(...CORPUS.map((c) => c.text), '\uFEFF[functions/pci_epf_test/t]\r\nvendorid = 1\r\n', 'a\rb\r\n\u0000\n');
    fc.assert(fc.property(base, fc.array(arbCharEdit, { minLength: 1, maxLength: 6 }), (start, edits) => {
      let text = start;
      let doc = parse(text);
      for (const edit of edits) {
        text = edit(text);
        doc = assertSameAsScratch(text, doc);
      }
    }), { seed: 0x5eed_0102, numRuns: 150 });
  });

  it('reuses the untouched lines’ nodes and re-parses moved ones', () => {
    const text = '[functions/pci_epf_test/t]\nvendorid = 0x1\ndeviceid = 0x2\n';
    const a = parse(text);
    const sameCount = parse(text.replace('0x2', '0x3'), a);
    assert.equal(sameCount.statements[1], a.statements[1], 'line 1 is unchanged: its node is reused');
    assert.notEqual(sameCount.statements[2], a.statements[2], 'line 2 changed: parsed again');
    const shifted = parse('# new first line\n' + text, a);
    assert.notEqual(shifted.statements[1], a.statements[1], 'every line moved down: none can be reused');
    assert.equal(shifted.statements[1].line, 2);
  });

  it('no analysis mutates a node: frozen previous versions analyse like fresh ones', () => {
    for (const file of CORPUS.slice(0, 40)) {
      const first = parse(file.text);
      deepFreeze(first);
      const edited = file.text.replace(/= *(\S+)/, '= $1 ');
      const fresh = createContext(edited);
      const reused = createContext(edited, undefined, first);
      assert.deepStrictEqual(reused.emulation.diagnostics, fresh.emulation.diagnostics, file.name);
    }
  });

  it('semantic tokens and the name index after edits equal a fresh analysis (path visits reused per statement)', () => {
    // navigation.ts reuses the path segments of a statement object seen in the last parse in the
    // same directory; a header edit changes the directory of the lines below it.
    const arbHeaderEdit = fc.constantFrom('[functions/pci_epf_test/renamed]', '[controllers/x]', '[platform/y]', '[host]', '# was a header')
      .map((h) => (text: string) => text.replace(/^\[[^\]\n]*\]/m, h));
    const arbAnyEdit = fc.oneof(arbEdit.map((e) => (t: string) => applyEdit(t, e)), arbCharEdit, arbHeaderEdit);
    fc.assert(fc.property(fc.constantFrom(...CORPUS), fc.array(arbAnyEdit, { minLength: 1, maxLength: 5 }), (file, edits) => {
      let text = file.text;
      let ctx = createContext(text);
      semanticTokens(ctx);
      for (const edit of edits) {
        text = edit(text);
        ctx = createContext(text, undefined, ctx.doc);
        const tokens = semanticTokens(ctx);
        const index = buildIndex(ctx);
        const fresh = createContext(text);
        assert.deepStrictEqual(tokens, semanticTokens(fresh));
        assert.deepStrictEqual(index, buildIndex(fresh));
      }
    }), { seed: 0x5eed_0103, numRuns: 120 });
  });

  it('edits on ever new lines do not keep old versions of the text alive (memory stays flat)', () => {
    // A reused line that is a view into the text of the version it was parsed in (V8 substrings of
    // 13+ characters) kept that whole text alive: one more copy of the file per edit on a new line.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const lines = Array.from({ length: 4000 }, (_, i) => (i % 8 === 0 ? `[functions/pci_epf_test/f${i}]` : `vendorid = 0x${(0x1000 + i).toString(16)}   # line ${i}`));
    const size = lines.join('\n').length;
    let doc = parse(lines.join('\n'));
    const heap = (): number => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const start = heap();
    const edits = 150;
    for (let k = 0; k < edits; k++) {
      const at = 1 + ((k * 37) % (lines.length - 1));
      if (at % 8 === 0) continue;
      lines[at] = `vendorid = 0x${(0x2000 + k).toString(16)}   # edited ${k}`;
      doc = parse(lines.join('\n'), doc);
    }
    const grown = heap() - start;
    assert.ok(doc.statements.length > 0);
    // The leak kept ~one text (size bytes) per edit: 150 x ~130 KB. Allow a tenth of that.
    assert.ok(grown < (edits * size) / 10, `heap grew ${(grown / 1e6).toFixed(1)} MB over ${edits} edits of a ${(size / 1e3).toFixed(0)} KB text`);
  });

  it('the analysis cache hands the last analysed parse to the next version', () => {
    const cache = new AnalysisCache();
    const v1 = '[functions/pci_epf_test/t]\nvendorid = 0x1\n\n# a comment\n';
    const a = cache.get('file:///a.pciep', 1, () => v1);
    cache.touch('file:///a.pciep', 2);
    cache.touch('file:///a.pciep', 3);
    const b = cache.get('file:///a.pciep', 3, () => v1.replace('0x1', '0x2'));
    assert.equal(b.doc.comments[0], a.doc.comments[0], 'the comment line was reused through two versions');
    assert.deepStrictEqual(b.doc, parse(v1.replace('0x1', '0x2')));
  });
});
