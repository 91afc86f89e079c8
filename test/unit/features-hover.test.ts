/**
 * Hover, inlay hint and code lens features (DESIGN.md sections 3–4), data-driven like
 * rust-analyzer's fixtures: test/fixtures/features/hover/NAME.pciep marks the cursor with `$0`;
 * NAME.expect.txt lists, one per line, substrings the hover Markdown must contain (`<none>`: no
 * hover). test/fixtures/features/inlay/NAME.pciep lists every hint as `LINE: label` (1-based).
 * Expectations are written by hand from the reference sheets, not captured from the output.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createContext } from '../../server/src/features/context';
import { hover } from '../../server/src/features/hover';
import { inlayHints } from '../../server/src/features/inlay-hints';
import { codeLenses } from '../../server/src/features/code-lens';
import { code, codeBlock, escapeMarkdown, table } from '../../server/src/features/markdown';
import type { Position } from '../../server/src/language/ast';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/features');
const MARKER = '$0';

/** Removes the `$0` marker and returns the text with the cursor position (0-based line, UTF-16 column). */
function cursor(marked: string): { text: string; pos: Position } {
  const at = marked.indexOf(MARKER);
  assert.ok(at >= 0, 'fixture has a $0 cursor marker');
  const before = marked.slice(0, at);
  const line = before.split('\n').length - 1;
  const character = at - (before.lastIndexOf('\n') + 1);
  return { text: before + marked.slice(at + MARKER.length), pos: { line, character } };
}

function expectations(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
}

/**
 * Markdown with code spans and fenced blocks removed (CommonMark: a span closes at a run of
 * exactly as many backticks as opened it). What remains is what a renderer interprets.
 */
function outsideCode(md: string): string {
  const noBlocks = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1\s*$/gm, '');
  let out = '';
  let i = 0;
  while (i < noBlocks.length) {
    if (noBlocks[i] === '\\') {
      out += noBlocks.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (noBlocks[i] !== '`') {
      out += noBlocks[i++];
      continue;
    }
    let n = 0;
    while (noBlocks[i + n] === '`') n++;
    const fence = '`'.repeat(n);
    let close = i + n;
    for (;;) {
      close = noBlocks.indexOf(fence, close);
      if (close < 0 || noBlocks[close + n] !== '`') break;
      while (noBlocks[close] === '`') close++;
    }
    if (close < 0) {
      out += noBlocks.slice(i, i + n);
      i += n;
      continue;
    }
    i = close + n;
  }
  return out;
}

describe('hover (DESIGN.md 4: attributes, values, BAR tables, channels, platform, host)', () => {
  const dir = path.join(FIXTURES, 'hover');
  const names = fs.readdirSync(dir).filter((f) => f.endsWith('.pciep')).sort();
  it('has at least 10 fixtures', () => assert.ok(names.length >= 10, `${names.length} fixtures`));
  for (const name of names) {
    it(`fixture ${name}`, () => {
      const { text, pos } = cursor(fs.readFileSync(path.join(dir, name), 'utf8'));
      const expected = expectations(path.join(dir, name.replace(/\.pciep$/, '.expect.txt')));
      const h = hover(createContext(text), pos);
      if (expected.length === 1 && expected[0] === '<none>') {
        assert.equal(h, undefined, `no hover expected, got:\n${h?.markdown}`);
        return;
      }
      assert.ok(h, 'a hover');
      assert.ok(h.range.start.line === pos.line, 'the hover range is on the cursor line');
      for (const e of expected) assert.ok(h.markdown.includes(e), `missing ${JSON.stringify(e)} in:\n${h.markdown}`);
      // Whatever the content, user text never escapes into live Markdown/HTML.
      assert.ok(!/<(?!\/?(br)\b)[a-z]/i.test(outsideCode(h.markdown)), 'no raw HTML tag outside code');
    });
  }

  it('returns nothing outside statements and on blank lines', () => {
    const ctx = createContext('[platform/a40000000.pcie-ep]\n\ncompatible = rockchip,rk3588-pcie-ep   # note\n');
    assert.equal(hover(ctx, { line: 1, character: 0 }), undefined);
    assert.equal(hover(ctx, { line: 2, character: 45 }), undefined);
    assert.equal(hover(ctx, { line: 9, character: 0 }), undefined);
    assert.ok(hover(ctx, { line: 2, character: 2 }));
  });

  it('gives the name range for a name hover and the value range for a value hover', () => {
    const ctx = createContext('[functions/pci_epf_test/t0]\nmsi_interrupts = 010\n');
    const onName = hover(ctx, { line: 1, character: 3 });
    const onValue = hover(ctx, { line: 1, character: 18 });
    assert.deepEqual(onName?.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 14 } });
    assert.deepEqual(onValue?.range, { start: { line: 1, character: 17 }, end: { line: 1, character: 20 } });
    assert.ok(onValue?.markdown.includes('leading 0 means octal'));
  });

  it('escapes user text: <script>, * and backticks in a function name', () => {
    const fn = 'functions/pci_epf_dma/<script>alert(1)`x`*y*';
    const text = [
      '[platform/a40000000.pcie-ep]',
      'compatible = rockchip,rk3588-pcie-ep',
      `[${fn}]`,
      'msi_interrupts = 4',
      'pci_epf_dma.0/wr_chans = 2',
      'pci_epf_dma.0/rd_chans = 2',
      'primary/ep -> controllers/a40000000.pcie-ep',
      'primary/ep -> controllers/a40000000.pcie-ep',
      'primary/x -> controllers/<script>*z*',
    ].join('\n');
    const ctx = createContext(text);
    for (const line of [2, 3, 4, 6, 7, 8]) {
      const h = hover(ctx, { line, character: 1 });
      assert.ok(h, `hover on line ${line}`);
      const live = outsideCode(h.markdown);
      assert.ok(!live.includes('<script'), `raw <script> on line ${line}:\n${h.markdown}`);
      assert.ok(!/(^|[^\\])\*y\*/.test(live) && !/(^|[^\\])\*z\*/.test(live), `unescaped emphasis on line ${line}:\n${h.markdown}`);
      assert.ok(!/(^|[^\\])`/.test(live), `stray backtick outside code on line ${line}:\n${h.markdown}`);
    }
    // The duplicate link's message names the path in plain text: escaped there.
    const dup = hover(ctx, { line: 7, character: 1 })!.markdown;
    assert.ok(dup.includes('&lt;script&gt;alert(1)\\`x\\`\\*y\\*/primary/ep already exists'), dup);
    // The header keeps the name verbatim inside a code span long enough for its backticks.
    assert.ok(hover(ctx, { line: 2, character: 1 })!.markdown.includes(`\`\`${fn}\`\``));
  });
});

describe('inlay hints (DESIGN.md 4: function number, BAR sizes, read-back values, errno, transfers)', () => {
  const dir = path.join(FIXTURES, 'inlay');
  const names = fs.readdirSync(dir).filter((f) => f.endsWith('.pciep')).sort();
  it('has fixtures', () => assert.ok(names.length >= 3));
  for (const name of names) {
    it(`fixture ${name}`, () => {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      const expected = expectations(path.join(dir, name.replace(/\.pciep$/, '.expect.txt')));
      const ctx = createContext(text);
      const hints = inlayHints(ctx, { start: { line: 0, character: 0 }, end: { line: ctx.doc.lines.length, character: 0 } });
      assert.deepEqual(hints.map((h) => `${h.position.line + 1}: ${h.label}`), expected);
      for (const h of hints) {
        const stmt = ctx.doc.statements.find((s) => s.line === h.position.line);
        assert.ok(stmt, 'a hint sits on a statement line');
        assert.deepEqual(h.position, stmt.range.end, 'after the statement, before any comment');
        assert.equal(h.paddingLeft, true);
      }
    });
  }

  it('only returns hints for lines inside the range', () => {
    const text = fs.readFileSync(path.join(dir, 'dma-bringup.pciep'), 'utf8');
    const ctx = createContext(text);
    const hints = inlayHints(ctx, { start: { line: 7, character: 0 }, end: { line: 11, character: 0 } });
    assert.deepEqual(hints.map((h) => h.position.line + 1), [8, 11, 12]);
    assert.deepEqual(inlayHints(ctx, { start: { line: 500, character: 0 }, end: { line: 600, character: 0 } }), []);
  });
});

describe('code lenses', () => {
  it('puts Emulate / Open preview / Export configfs script on the first mention of each controller and function', () => {
    const text = [
      '[platform/a40000000.pcie-ep]', // 0
      'compatible = rockchip,rk3588-pcie-ep',
      '[functions/pci_epf_test/t0]', // 2
      'msi_interrupts = 1',
      'primary/ep -> controllers/a40000000.pcie-ep',
      '[controllers/a40000000.pcie-ep]', // 5: same controller as line 0
      'start = 1',
      '[functions/pci_epf_test/t0/pci_epf_test.0]', // 7: same function as line 2
      '[functions/pci_epf_test/t1]', // 8
      '[controllers/b]', // 9: a controller first mentioned here
      '[host]',
      '[host/transfer/x]',
    ].join('\n');
    const lenses = codeLenses(createContext(text));
    const lines = [...new Set(lenses.map((l) => l.range.start.line))];
    assert.deepEqual(lines, [0, 2, 8, 9]);
    for (const line of lines) {
      const set = lenses.filter((l) => l.range.start.line === line);
      assert.deepEqual(set.map((l) => [l.title, l.command]), [
        ['Emulate', 'pciep.emulate'],
        ['Open preview', 'pciep.openPreview'],
        ['Export configfs script', 'pciep.exportScript'],
      ]);
      for (const l of set) assert.deepEqual(l.arguments, [{ line }]);
    }
  });

  it('returns no lenses for a file without sections', () => {
    assert.deepEqual(codeLenses(createContext('# nothing\n')), []);
  });
});

describe('markdown helpers', () => {
  it('escapes HTML and inline markup, and line-start markers', () => {
    assert.equal(escapeMarkdown('<script>*a*_b_`c`|[d](e)&'), '&lt;script&gt;\\*a\\*\\_b\\_\\`c\\`\\|\\[d\\](e)&amp;');
    assert.equal(escapeMarkdown('# title'), '\\# title');
    assert.equal(escapeMarkdown('1. item'), '1\\. item');
    assert.equal(escapeMarkdown('- item'), '\\- item');
    assert.equal(escapeMarkdown('a\nb'), 'a b');
  });

  it('builds code spans that hold backticks and pipes', () => {
    assert.equal(code('wr_chans'), '`wr_chans`');
    assert.equal(code('a`b'), '``a`b``');
    assert.equal(code('`a'), '`` `a ``');
    assert.equal(code('a|b', true), '`a\\|b`');
    assert.equal(code(''), '` `');
    assert.equal(codeBlock(['x ``` y']).split('\n')[0], '````text');
  });

  it('builds GFM tables', () => {
    assert.equal(table(['a', 'b'], [['1', '']], ['l', 'r']), '| a | b |\n| --- | ---: |\n| 1 |   |');
  });
});
