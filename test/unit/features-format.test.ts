/**
 * Formatter tests: each test/fixtures/features/format/NAME.pciep formats to the hand-written
 * NAME.formatted.pciep; formatting is idempotent and keeps the statement sequence on every fixture
 * and every example; lines with parse errors, CRLF and the final newline are kept; formatRange
 * touches its range only.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, format, formatRange, formatText } from '../../server/src/features/formatting';
import { parse } from '../../server/src/language/parser';
import { statementSequence } from '../fuzz/invariants';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/features/format');

function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

function comments(text: string): string[] {
  const doc = parse(text);
  return [...doc.comments.map((c) => c.text.trimEnd()), ...doc.statements.flatMap((s) => (s.comment ? [s.comment.text.trimEnd()] : []))].sort();
}

function checkStable(name: string, text: string): void {
  const once = formatText(text);
  assert.equal(formatText(once), once, `${name}: format is idempotent`);
  assert.deepEqual(format(once), [], `${name}: no edits on formatted text`);
  assert.deepEqual(statementSequence(once), statementSequence(text), `${name}: same statements in the same order`);
  assert.deepEqual(comments(once), comments(text), `${name}: same comments`);
  const errorLines = new Set(parse(text).errors.map((e) => e.range.start.line));
  const before = text.split(/\r\n|\n|\r/);
  const after = once.split(/\r\n|\n|\r/);
  for (const line of errorLines) assert.ok(after.includes(before[line]), `${name}: error line ${line} kept byte for byte`);
}

const fixtures = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.pciep') && !f.endsWith('.formatted.pciep'));
const examples = [
  ...fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.pciep')).map((f) => `examples/${f}`),
  ...fs.readdirSync(path.join(ROOT, 'examples/broken')).filter((f) => f.endsWith('.pciep')).map((f) => `examples/broken/${f}`),
];

describe('features: formatting', () => {
  it('has fixtures', () => assert.ok(fixtures.length >= 4));

  for (const f of fixtures) {
    it(`formats ${f} as expected`, () => {
      const text = read(path.join(FIXTURES, f));
      const expected = read(path.join(FIXTURES, f.replace(/\.pciep$/, '.formatted.pciep')));
      assert.equal(formatText(text), expected);
      checkStable(f, text);
    });
  }

  for (const f of examples) it(`is idempotent and keeps the statements of ${f}`, () => checkStable(f, read(path.join(ROOT, f))));

  it('returns edits for changed lines only', () => {
    const text = 'vendorid = 1\ndeviceid=2\nmsi_interrupts = 1\n';
    assert.deepEqual(format(text), [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 10 } }, newText: 'deviceid = 2' }]);
  });

  it('keeps CRLF line ends, and mixed ones line by line', () => {
    for (const f of fixtures) {
      const text = read(path.join(FIXTURES, f)).replace(/\n/g, '\r\n');
      const expected = read(path.join(FIXTURES, f.replace(/\.pciep$/, '.formatted.pciep'))).replace(/\n/g, '\r\n');
      assert.equal(formatText(text), expected, f);
    }
    assert.equal(formatText('[host]\r\ndriver=none\n[host/transfer/a]\rsize=1\r\n'), '[host]\r\ndriver = none\n\n[host/transfer/a]\rsize = 1\r\n');
  });

  it('keeps a final newline, or its absence', () => {
    assert.equal(formatText('x=1\n'), 'x = 1\n');
    assert.equal(formatText('x=1'), 'x = 1');
    assert.equal(formatText('x=1\n\n\n'), 'x = 1\n');
    assert.equal(formatText(''), '');
    assert.equal(formatText('\n\n'), '');
  });

  it('keeps a byte-order mark', () => {
    assert.equal(formatText('\uFEFF  x=1 # c\n'), '\uFEFFx = 1   # c\n');
  });

  it('leaves values exactly as written, quotes included', () => {
    const text = "a = \"  x # y \\\" \"  # c\nb='q  r'\nc = a#b\nd = \"\"\n";
    assert.equal(formatText(text), "a = \"  x # y \\\" \"  # c\nb = 'q  r'\nc = a#b\nd = \"\"\n");
  });

  it('puts comments two spaces after the code without alignment', () => {
    const text = '[host]  # h\ndriver = none                 # d\n                              #   more\nmsi-vectors = 2 # m\n';
    assert.equal(formatText(text, { alignComments: false }), '[host]  # h\ndriver = none  # d\n               #   more\nmsi-vectors = 2  # m\n');
    assert.equal(formatText(text), '[host]              # h\ndriver = none       # d\n                    #   more\nmsi-vectors = 2     # m\n');
  });

  it('formatRange touches only the lines of its range', () => {
    const text = read(path.join(FIXTURES, 'spacing.pciep'));
    const range = { start: { line: 2, character: 0 }, end: { line: 4, character: 0 } };
    const edits = formatRange(text, range);
    assert.ok(edits.length > 0);
    for (const e of edits) assert.ok(e.range.start.line >= 2 && e.range.end.line <= 3, 'edit inside lines 2-3');
    const lines = text.split('\n');
    const out = applyEdits(text, edits).split('\n');
    assert.deepEqual(out.slice(2, 4), ['vendorid = 0x1d87', 'deviceid = 0x3588']);
    assert.deepEqual([...out.slice(0, 2), ...out.slice(4)], [...lines.slice(0, 2), ...lines.slice(4)]);
  });
});
