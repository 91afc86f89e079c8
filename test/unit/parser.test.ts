/**
 * Data-driven parser tests: each test/fixtures/parser/NAME.pciep is parsed and dumped in a compact
 * text form, compared with the hand-written NAME.expected (DESIGN.md section 2 statement forms).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../server/src/language/parser';
import type { Document, Range, Statement } from '../../server/src/language/ast';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/parser');

function r(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

function dumpStatement(s: Statement): string {
  const c = s.comment ? ` comment=${JSON.stringify(s.comment.body)}` : '';
  switch (s.kind) {
    case 'section':
      return `section ${r(s.range)} path=${JSON.stringify(s.path.text)} norm=${s.normPath === null ? 'null' : JSON.stringify(s.normPath)}${s.absolute ? ' absolute' : ''}${c}`;
    case 'assign':
      return `assign ${r(s.range)} name=${JSON.stringify(s.name.text)} value=${JSON.stringify(s.value.text)}@${s.value.range.start.line}:${s.value.range.start.character} quote=${s.quote}${c}`;
    case 'link':
      return `link ${r(s.range)} name=${JSON.stringify(s.name.text)} target=${JSON.stringify(s.target.text)} norm=${s.normTarget === null ? 'null' : JSON.stringify(s.normTarget)}${c}`;
    case 'unlink':
      return `unlink ${r(s.range)} name=${JSON.stringify(s.name.text)}${c}`;
    case 'rmdir':
      return `rmdir ${r(s.range)}${s.target ? ` target=${JSON.stringify(s.target.text)}` : ''}${c}`;
  }
}

export function dump(doc: Document): string {
  const items: { line: number; text: string }[] = [
    ...doc.statements.map((s) => ({ line: s.line, text: dumpStatement(s) })),
    ...doc.comments.map((c) => ({ line: c.range.start.line, text: `comment ${r(c.range)} ${JSON.stringify(c.body)}` })),
  ].sort((a, b) => a.line - b.line);
  return [...items.map((i) => i.text), ...doc.errors.map((e) => `error ${r(e.range)} ${e.code}`)].join('\n') + '\n';
}

describe('parser (DESIGN.md 2: statement forms)', () => {
  const names = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.pciep'));
  it('has fixtures', () => assert.ok(names.length >= 3));
  for (const name of names) {
    it(`fixture ${name}`, () => {
      const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
      const expected = fs.readFileSync(path.join(FIXTURES, name.replace(/\.pciep$/, '.expected')), 'utf8');
      assert.equal(dump(parse(text)), expected);
    });
  }

  it('never throws and keeps every line apart on arbitrary input', () => {
    const samples = ['', '\n\n', '[', ']', '->', '=', '"', "'", '#', '[a]]', 'a = "\\', '\u0000x = 1', 'a -> b -> c', '\r\r\r', 'rmdir a b', 'unlink'];
    for (const s of samples) {
      const doc = parse(s + '\nvendorid = 1');
      const last = doc.statements[doc.statements.length - 1];
      assert.ok(last && last.kind === 'assign' && last.name.text === 'vendorid', `line after ${JSON.stringify(s)} still parsed`);
    }
  });

  it('a syntax error on one line does not hide the next', () => {
    const doc = parse('[functions/pci_epf_test/t0]\nbogus line here\nvendorid = 0x104c\n');
    assert.equal(doc.errors.length, 1);
    assert.equal(doc.errors[0].range.start.line, 1);
    assert.equal(doc.sections[0].body.length, 1);
  });

  it('strips the pci_ep prefix from link targets and resolves .. in paths', () => {
    const doc = parse('[functions/pci_epf_test/a/../t0]\nprimary/x -> /sys/kernel/config/pci_ep/controllers/e65d0000.pcie-ep\n');
    const h = doc.statements[0];
    assert.ok(h.kind === 'section' && h.normPath === 'functions/pci_epf_test/t0');
    const l = doc.statements[1];
    assert.ok(l.kind === 'link' && l.normTarget === 'controllers/e65d0000.pcie-ep');
  });

  it('groups statements under their section and extends section ranges to trailing comments', () => {
    const doc = parse('vendorid = 1\n[controllers/x]\nstart = 1\n# end\n');
    assert.equal(doc.sections.length, 2);
    assert.equal(doc.sections[0].header, undefined);
    assert.equal(doc.sections[1].range.end.line, 3);
  });
});
