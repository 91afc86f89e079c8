/**
 * Completion and quick fixes (features/completion.ts, features/code-actions.ts), data-driven.
 *
 * - `test/fixtures/features/completion/NAME.pciep` holds a file with a `$0` cursor marker;
 *   `NAME.expect.txt` lists labels that must be offered there, and (`!label`) labels that must
 *   not be (`#` lines are comments). The lists were written by hand from the rules (reference
 *   sheets), not from the implementation's output.
 * - `test/fixtures/features/actions/NAME.pciep` starts with `# action: <title substring>` and has
 *   `$0` on the line whose diagnostic the action fixes; `NAME.after.pciep` is the exact text after
 *   applying it. Each is also run with CRLF line endings, and the fixed diagnostic must be gone.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Position } from '../../server/src/language/ast';
import { createContext } from '../../server/src/features/context';
import { complete } from '../../server/src/features/completion';
import type { CompletionItem } from '../../server/src/features/completion';
import { applyEdits, codeActions, fixAll } from '../../server/src/features/code-actions';
import { analyze } from '../../server/src/language/validate';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/features');
const COMPLETION = path.join(FIXTURES, 'completion');
const ACTIONS = path.join(FIXTURES, 'actions');

function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/** Removes the `$0` marker and returns the text and the cursor position. */
function withCursor(source: string): { text: string; pos: Position } {
  const at = source.indexOf('$0');
  assert.ok(at >= 0, 'fixture has no $0 cursor marker');
  const before = source.slice(0, at).split(/\r\n|\n|\r/);
  return {
    text: source.slice(0, at) + source.slice(at + 2),
    pos: { line: before.length - 1, character: before[before.length - 1].length },
  };
}

function names(dir: string, suffix: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith(suffix) && !f.endsWith(`.after${suffix}`)).map((f) => f.slice(0, -suffix.length)).sort();
}

function labels(items: readonly CompletionItem[]): string {
  return items.map((i) => i.label).join(', ') || '(none)';
}

function errorCount(text: string): number {
  return analyze(text).diagnostics.filter((d) => d.severity === 'error').length;
}

describe('completion fixtures', () => {
  const fixtures = names(COMPLETION, '.pciep');

  it('has at least 12 fixtures, each with an expectation list', () => {
    assert.ok(fixtures.length >= 12, `only ${fixtures.length} fixtures`);
    for (const n of fixtures) assert.ok(fs.existsSync(path.join(COMPLETION, `${n}.expect.txt`)), `${n}.expect.txt is missing`);
  });

  for (const name of fixtures) {
    it(name, () => {
      const { text, pos } = withCursor(read(path.join(COMPLETION, `${name}.pciep`)));
      const items = complete(createContext(text), pos);
      const offered = new Set(items.map((i) => i.label));
      const expect = read(path.join(COMPLETION, `${name}.expect.txt`)).split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
      assert.ok(expect.length > 0, 'empty expectation list');
      for (const e of expect) {
        if (e.startsWith('!')) assert.ok(!offered.has(e.slice(1)), `'${e.slice(1)}' must not be offered; got ${labels(items)}`);
        else assert.ok(offered.has(e), `'${e}' is missing; got ${labels(items)}`);
      }
      for (const it of items) {
        assert.ok(it.detail || it.documentation, `${it.label} has neither detail nor documentation`);
        if (it.range) {
          assert.equal(it.range.start.line, pos.line, `${it.label}: range on another line`);
          assert.ok(it.range.start.character <= pos.character && it.range.end.character >= pos.character, `${it.label}: range does not cover the cursor`);
        }
      }
    });
  }
});

describe('completion details', () => {
  it('closes an unclosed section header, and leaves a closed one alone', () => {
    const open = withCursor('[platform/a40000000.pcie-ep]\ncompatible = rockchip,rk3588-pcie-ep\n[contr$0\n');
    const item = complete(createContext(open.text), open.pos).find((i) => i.label === 'controllers/a40000000.pcie-ep');
    assert.equal(item?.insertText, 'controllers/a40000000.pcie-ep]');
    assert.deepEqual(item?.range, { start: { line: 2, character: 1 }, end: { line: 2, character: 6 } });
    const closed = withCursor('[platform/a40000000.pcie-ep]\ncompatible = rockchip,rk3588-pcie-ep\n[contr$0]\n');
    const again = complete(createContext(closed.text), closed.pos).find((i) => i.label === 'controllers/a40000000.pcie-ep');
    assert.equal(again?.insertText, 'controllers/a40000000.pcie-ep');
  });

  it('inserts "name = " at a bare name, and only the name when "=" follows', () => {
    const bare = withCursor('[functions/pci_epf_test/t0]\nmsi$0\n');
    assert.equal(complete(createContext(bare.text), bare.pos).find((i) => i.label === 'msi_interrupts')?.insertText, 'msi_interrupts = ');
    const edit = withCursor('[functions/pci_epf_test/t0]\nmsi$0x = 4\n');
    const item = complete(createContext(edit.text), edit.pos).find((i) => i.label === 'msi_interrupts');
    assert.equal(item?.insertText, 'msi_interrupts');
    assert.deepEqual(item?.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } });
  });

  it('ranks attributes already written in the section lower', () => {
    const { text, pos } = withCursor('[functions/pci_epf_test/t0]\nvendorid = 0x104c\n$0\n');
    const items = complete(createContext(text), pos);
    const sort = (l: string) => items.find((i) => i.label === l)?.sortText ?? '';
    assert.ok(sort('vendorid') > sort('deviceid'), `vendorid ${sort('vendorid')} vs deviceid ${sort('deviceid')}`);
  });

  it('warns in the docs when a driver attribute would be written after the link', () => {
    const { text, pos } = withCursor(
      '[platform/a40000000.pcie-ep]\ncompatible = rockchip,rk3588-pcie-ep\n[functions/pci_epf_dma/dma0]\nmsi_interrupts = 8\n' +
      'pci_epf_dma.0/wr_chans = 2\nprimary/ep -> controllers/a40000000.pcie-ep\n$0\n');
    const item = complete(createContext(text), pos).find((i) => i.label === 'pci_epf_dma.0/rd_chans');
    assert.match(item?.documentation ?? '', /EOPNOTSUPP/);
  });

  it('explains the BAR and channel choices', () => {
    const { text, pos } = withCursor(read(path.join(COMPLETION, 'metadata-bar-rk3588.pciep')));
    const items = complete(createContext(text), pos);
    assert.match(items.find((i) => i.label === '0')?.detail ?? '', /resizable/);
    const chans = withCursor(read(path.join(COMPLETION, 'wr-chans-unroll.pciep')));
    const two = complete(createContext(chans.text), chans.pos).find((i) => i.label === '2');
    assert.match(two?.documentation ?? '', /E27/);
  });

  it('whole-setup snippets expand to files without errors', () => {
    const items = complete(createContext(''), { line: 0, character: 0 }).filter((i) => i.kind === 'snippet');
    assert.ok(items.length >= 4);
    for (const it of items) {
      assert.equal(it.snippet, true);
      const code = /```pciep\n([\s\S]*)\n```/.exec(it.documentation ?? '')?.[1];
      assert.ok(code, `${it.label}: no preview`);
      const errors = analyze(code).diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map((d) => `${d.range.start.line + 1} ${d.code} ${d.message}`), [], it.label);
    }
  });

  it('answers on a 1,000-line file', () => {
    const parts = ['[platform/a40000000.pcie-ep]', 'compatible = rockchip,rk3588-pcie-ep', 'max-functions = 255'];
    for (let i = 0; parts.length < 990; i++) {
      parts.push(`[functions/pci_epf_test/t${i}]`, 'vendorid = 0x104c', 'deviceid = 0xb500', 'msi_interrupts = 1', 'msix_interrupts = 1', '');
    }
    parts.push('[functions/pci_epf_dma/dma0]', 'msi_interrupts = 8', 'pci_epf_dma.0/metadata_bar = ', 'primary/ep -> controllers/a40000000.pcie-ep', '');
    const text = parts.join('\n');
    const ctx = createContext(text);
    const valueLine = parts.indexOf('pci_epf_dma.0/metadata_bar = ');
    const at = [
      { line: valueLine, character: parts[valueLine].length },
      { line: valueLine + 2, character: 0 },
      { line: valueLine - 1, character: 0 },
    ];
    for (const pos of at) {
      const items = complete(ctx, pos);
      assert.ok(items.length > 0, `no completion at ${pos.line}:${pos.character}`);
    }
  });
});

describe('quick fix fixtures', () => {
  const fixtures = names(ACTIONS, '.pciep');

  it('has fixtures, each with its result', () => {
    assert.ok(fixtures.length >= 12, `only ${fixtures.length} fixtures`);
    for (const n of fixtures) assert.ok(fs.existsSync(path.join(ACTIONS, `${n}.after.pciep`)), `${n}.after.pciep is missing`);
  });

  for (const name of fixtures) {
    for (const eol of ['\n', '\r\n']) {
      it(`${name}${eol === '\r\n' ? ' (CRLF)' : ''}`, () => {
        const source = read(path.join(ACTIONS, `${name}.pciep`)).replace(/\r?\n/g, eol);
        const expected = read(path.join(ACTIONS, `${name}.after.pciep`)).replace(/\r?\n/g, eol);
        const title = /^# action: (.+)$/m.exec(source)?.[1]?.trim();
        assert.ok(title, 'first line must be "# action: <title substring>"');
        const { text, pos } = withCursor(source);
        const ctx = createContext(text);
        const actions = codeActions(ctx, { start: pos, end: pos });
        const chosen = actions.find((a) => a.title.includes(title));
        assert.ok(chosen, `no action containing '${title}'; got: ${actions.map((a) => a.title).join(' | ') || '(none)'}`);
        assert.equal(chosen.kind, 'quickfix');
        const after = applyEdits(text, chosen.edits);
        assert.equal(after, expected);
        for (const e of chosen.edits) assert.ok(!/\r\n/.test(e.newText) || eol === '\r\n', 'CRLF inserted into an LF file');
        if (eol === '\r\n') for (const e of chosen.edits) assert.ok(!/(^|[^\r])\n/.test(e.newText), 'bare LF inserted into a CRLF file');
        // The diagnostic the action was offered for is gone.
        const fixed = chosen.diagnostic;
        assert.ok(fixed);
        const original = ctx.emulation.diagnostics.find((d) => d.code === fixed.code && d.range.start.line === fixed.range.start.line);
        assert.ok(original);
        const still = createContext(after).emulation.diagnostics.filter((d) => d.code === original.code && d.message === original.message);
        assert.deepEqual(still.map((d) => `${d.range.start.line + 1} ${d.code}: ${d.message}`), []);
      });
    }
  }
});

describe('fix all', () => {
  const broken = [
    '[platform/a40000000.pcie-ep]',
    'compatible = rockchip,rk3588-pcie',              // unknown-compatible (did you mean)
    '',
    '[functions/pci_epf_dma/dma0]',
    'vendorid = 0x1d87',
    'pci_epf_dma.0/wr_chan = 2',                        // unknown-attribute (typo)
    'pci_epf_dma.0/metadata_bar = 4',                   // reserved BAR4
    'primary/ep -> controllers/a40000000.pcie-ep',      // bind: no interrupt vectors
    'pci_epf_dma.0/rd_chans = 1',                       // after the link: EOPNOTSUPP (then E27)
    '',
    '[host]',
    'driver = dw-edma-pcie',
    '',
  ].join('\n');

  it('fixes several problems at once and leaves fewer errors', () => {
    const ctx = createContext(broken);
    const before = errorCount(broken);
    const edits = fixAll(ctx);
    assert.ok(edits.length > 0);
    const after = applyEdits(broken, edits);
    const remaining = errorCount(after);
    assert.ok(remaining < before, `${before} → ${remaining} errors:\n${after}`);
    assert.equal(remaining, 0, after);
    assert.match(after, /compatible = rockchip,rk3588-pcie-ep\n/);
    assert.match(after, /pci_epf_dma\.0\/wr_chans = 2\n/);
    assert.match(after, /msi_interrupts = 1\n/);
    assert.match(after, /start = 1/);
    // The moved write stands before the link now, nothing else was reordered.
    assert.ok(after.indexOf('rd_chans') < after.indexOf('primary/ep ->'));
    assert.ok(after.indexOf('vendorid') < after.indexOf('wr_chans'));
  });

  it('is idempotent', () => {
    const once = applyEdits(broken, fixAll(createContext(broken)));
    const twice = applyEdits(once, fixAll(createContext(once)));
    assert.equal(twice, once);
    assert.deepEqual(fixAll(createContext(once)), []);
  });

  it('keeps CRLF line endings', () => {
    const crlf = broken.replace(/\n/g, '\r\n');
    const after = applyEdits(crlf, fixAll(createContext(crlf)));
    assert.ok(!/(^|[^\r])\n/.test(after), 'a bare LF was introduced');
    assert.equal(after, applyEdits(broken, fixAll(createContext(broken))).replace(/\n/g, '\r\n'));
  });

  it('does nothing on a clean file', () => {
    const clean = read(path.resolve(__dirname, '../../../examples/rk3588-dma.pciep'));
    assert.deepEqual(fixAll(createContext(clean)), []);
  });

  it('offers no quick fix that breaks a clean example', () => {
    const clean = read(path.resolve(__dirname, '../../../examples/rk3588-dma.pciep'));
    const ctx = createContext(clean);
    const all = codeActions(ctx, { start: { line: 0, character: 0 }, end: { line: ctx.doc.lines.length, character: 0 } });
    for (const a of all) assert.ok(errorCount(applyEdits(clean, a.edits)) === 0, a.title);
  });
});
