/**
 * Data-driven tests of the navigation features (definition, references, rename, document links),
 * the outline, folding and semantic tokens. Fixtures live in test/fixtures/features/navigation/:
 * NAME.pciep holds `$0`…`$9` cursor markers (removed before analysis) and NAME.expect.txt one
 * expectation per line (`$N definition 4:23-27`, `$N references …`, `$N rename NEW FILE`, `link
 * 8:1-41 4`…), all 0-based, written by hand.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Position, Range } from '../../server/src/language/ast';
import { createContext, type FeatureContext } from '../../server/src/features/context';
import {
  buildIndex, definition, documentLinks, prepareRename, references, rename, renameRefusal,
} from '../../server/src/features/navigation';
import { documentSymbols } from '../../server/src/features/symbols';
import { foldingRanges } from '../../server/src/features/folding';
import {
  semanticTokens, semanticTokensRange, TOKEN_MODIFIERS, TOKEN_TYPES, type SemanticToken,
} from '../../server/src/features/semantic-tokens';
import { applyEdits } from '../../server/src/features/formatting';
import { parse } from '../../server/src/language/parser';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/features/navigation');

function read(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** Removes `$N` markers, returning the clean text and each marker's position in it. */
function markers(text: string): { text: string; at: Map<string, Position> } {
  const at = new Map<string, Position>();
  const lines = text.split('\n').map((line, lineNo) => {
    let out = '';
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '$' && /[0-9]/.test(line[i + 1] ?? '')) {
        at.set(`$${line[i + 1]}`, { line: lineNo, character: out.length });
        i++;
      } else out += line[i];
    }
    return out;
  });
  return { text: lines.join('\n'), at };
}

function r(range: Range): string {
  assert.equal(range.start.line, range.end.line, 'ranges are on one line');
  return `${range.start.line}:${range.start.character}-${range.end.character}`;
}

/** Splits an expectation's arguments; "quoted strings" are JSON strings. */
function args(rest: string): string[] {
  const out: string[] = [];
  const re = /"(?:[^"\\]|\\.)*"|\S+/g;
  for (let m = re.exec(rest); m; m = re.exec(rest)) out.push(m[0].startsWith('"') ? JSON.parse(m[0]) as string : m[0]);
  return out;
}

function checkFixture(name: string): void {
  const { text, at } = markers(read(`${name}.pciep`));
  const ctx = createContext(text);
  const index = buildIndex(ctx);
  const expectedLinks: string[] = [];
  for (const raw of read(`${name}.expect.txt`).split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('link ')) {
      expectedLinks.push(line.slice(5));
      continue;
    }
    const [marker, op, ...rest] = line.split(/\s+/);
    const pos = at.get(marker);
    assert.ok(pos, `${name}: marker ${marker} is in the fixture`);
    const what = `${name} ${line}`;
    switch (op) {
      case 'definition':
        assert.deepEqual(definition(ctx, pos, index).map(r), rest, what);
        break;
      case 'references':
        assert.deepEqual(references(ctx, pos, true, index).map(r), rest, what);
        break;
      case 'references-nodecl':
        assert.deepEqual(references(ctx, pos, false, index).map(r), rest, what);
        break;
      case 'prepare': {
        const p = prepareRename(ctx, pos, index);
        assert.deepEqual(p ? [r(p.range), p.placeholder] : [], rest, what);
        break;
      }
      case 'rename': {
        const [newName, file] = rest;
        const result = rename(ctx, pos, newName, index);
        assert.ok('edits' in result, `${what}: ${'error' in result ? result.error : ''}`);
        const renamed = applyEdits(text, result.edits);
        assert.equal(renamed, read(file), what);
        // The renamed file means the same: same statements, new name, no new diagnostics kinds.
        assert.equal(parse(renamed).statements.length, ctx.doc.statements.length, what);
        break;
      }
      case 'rename-error': {
        const [newName, ...message] = args(line.slice(line.indexOf(op) + op.length));
        const result = rename(ctx, pos, newName, index);
        assert.ok('error' in result, `${what}: expected an error`);
        assert.ok(result.error.includes(message.join(' ')), `${what}: got '${result.error}'`);
        break;
      }
      default:
        assert.fail(`${name}: unknown expectation '${op}'`);
    }
  }
  const links = documentLinks(ctx, index).map((l) => `${r(l.range)} ${l.targetLine}`);
  assert.deepEqual(links, expectedLinks, `${name}: document links`);
}

function tokenLines(tokens: SemanticToken[]): string[] {
  return tokens.map((t) => {
    const mods = TOKEN_MODIFIERS.filter((_, i) => t.modifiers & (1 << i));
    return `${t.line}:${t.char} ${t.length} ${TOKEN_TYPES[t.type]}${mods.length ? ' ' + mods.join(',') : ''}`;
  });
}

function expectLines(name: string): string[] {
  return read(name).split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

function ctxOf(file: string): FeatureContext {
  return createContext(fs.readFileSync(path.join(ROOT, file), 'utf8'));
}

describe('features: navigation (definition, references, rename, links)', () => {
  const names = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.expect.txt')).map((f) => f.slice(0, -'.expect.txt'.length))
    .filter((n) => fs.existsSync(path.join(FIXTURES, `${n}.pciep`)) && n !== 'tokens' && n !== 'folding');
  it('has fixtures', () => assert.ok(names.length >= 2));
  for (const name of names) it(`fixture ${name}`, () => checkFixture(name));

  it('refuses the driver segment before the input box, saying why', () => {
    const { text, at } = markers(read('function-names.pciep'));
    const ctx = createContext(text);
    assert.match(renameRefusal(ctx, at.get('$3')!) ?? '', /driver/);
    assert.equal(renameRefusal(ctx, at.get('$0')!), undefined);
  });

  it('answers nothing off names, and never throws on broken files', () => {
    const ctx = createContext('[functions/pci_epf_dma/dma0]\nvendorid = 1\n');
    assert.deepEqual(definition(ctx, { line: 1, character: 2 }), []);
    assert.equal(prepareRename(ctx, { line: 1, character: 2 }), undefined);
    assert.ok('error' in rename(ctx, { line: 1, character: 2 }, 'x'));
    for (const broken of ['[', '[]', '[functions/', '-> x', 'a ->', '[/etc/x]', '[functions/../..]', '\u0000', '[functions/a/b/../../..]\nx -> ../..']) {
      const c = createContext(broken);
      for (let ch = 0; ch <= broken.length; ch++) {
        const p = { line: 0, character: ch };
        definition(c, p);
        references(c, p, true);
        prepareRename(c, p);
        rename(c, p, 'n');
      }
      documentLinks(c);
      documentSymbols(c);
      foldingRanges(c.doc);
      semanticTokens(c);
    }
  });

  it('renames a controller across absolute headers and platform/controllers pairs', () => {
    const text = '[platform/ep0]\n[/sys/kernel/config/pci_ep/controllers/ep0]\nstart = 1\n';
    const ctx = createContext(text);
    const result = rename(ctx, { line: 1, character: 40 }, 'ep1');
    assert.ok('edits' in result);
    assert.equal(applyEdits(text, result.edits), '[platform/ep1]\n[/sys/kernel/config/pci_ep/controllers/ep1]\nstart = 1\n');
  });
});

describe('features: outline', () => {
  it('lists the sections of examples/rk3588-dma.pciep in order', () => {
    const symbols = documentSymbols(ctxOf('examples/rk3588-dma.pciep'));
    assert.deepEqual(symbols.map((s) => `${s.kind} ${s.name}`), [
      'namespace platform/a40000000.pcie-ep',
      'class functions/pci_epf_dma/dma0',
      'object controllers/a40000000.pcie-ep',
      'module host',
      'event host/transfer/fill',
      'event host/transfer/drain',
    ]);
    assert.equal(symbols[0].detail, 'rockchip,rk3588-pcie-ep');
    assert.equal(symbols[1].detail, 'pci_epf_dma.0 → a40000000.pcie-ep');
    assert.deepEqual(symbols[1].children.map((c) => c.name), [
      'vendorid', 'deviceid', 'msi_interrupts', 'pci_epf_dma.0/wr_chans', 'pci_epf_dma.0/rd_chans', 'pci_epf_dma.0/metadata_bar',
      'primary/ep → controllers/a40000000.pcie-ep',
    ]);
    assert.equal(symbols[1].children[0].detail, '0x1d87');
    assert.equal(symbols[4].detail, 'rc-to-ep ch0 64K');
    for (const s of symbols) {
      assert.ok(s.range.start.line <= s.selectionRange.start.line && s.selectionRange.end.line <= s.range.end.line, `${s.name}: selection inside range`);
      for (const c of s.children) assert.ok(c.range.start.line >= s.range.start.line && c.range.end.line <= s.range.end.line, `${c.name} inside ${s.name}`);
    }
  });

  it('keeps a re-entered function as a second symbol, with its device name and fate', () => {
    const symbols = documentSymbols(ctxOf('examples/teardown.pciep'));
    const fns = symbols.filter((s) => s.kind === 'class');
    assert.deepEqual(fns.map((s) => `${s.name} | ${s.detail}`), [
      'functions/pci_epf_dma/dma0 | pci_epf_dma.0 · removed (line 45)',
      'functions/pci_epf_dma/dma0 | pci_epf_dma.0 · removed (line 45)',
      'functions/pci_epf_dma/dma1 | pci_epf_dma.0 → a40000000.pcie-ep',
    ]);
    assert.deepEqual(fns[1].children.map((c) => `${c.kind} ${c.name}`), ['function unlink primary/ep', 'function rmdir']);
  });

  it('shows the errno of a failing statement', () => {
    const symbols = documentSymbols(ctxOf('examples/broken/wr-chans-after-link.pciep'));
    const fn = symbols.find((s) => s.kind === 'class');
    assert.ok(fn?.children.some((c) => c.detail?.includes('(EOPNOTSUPP)')));
  });
});

describe('features: folding', () => {
  it('folds the fixture as expected', () => {
    const folds = foldingRanges(parse(read('folding.pciep')));
    assert.deepEqual(folds.map((f) => `${f.startLine}-${f.endLine}${f.kind ? ' ' + f.kind : ''}`), expectLines('folding.expect.txt'));
  });
});

describe('features: semantic tokens', () => {
  it('has the legend the server declares', () => {
    assert.deepEqual([...TOKEN_TYPES], ['namespace', 'type', 'class', 'variable', 'property', 'enumMember', 'number', 'string', 'keyword', 'operator', 'comment', 'function']);
    assert.deepEqual([...TOKEN_MODIFIERS], ['declaration', 'readonly', 'deprecated', 'defaultLibrary', 'errno']);
  });

  it('classifies the fixture as expected, errno on the failing write', () => {
    const ctx = createContext(read('tokens.pciep'));
    assert.deepEqual(tokenLines(semanticTokens(ctx)), expectLines('tokens.expect.txt'));
  });

  it('answers a range with the tokens inside it', () => {
    const ctx = createContext(read('tokens.pciep'));
    const range = { start: { line: 6, character: 0 }, end: { line: 8, character: 13 } };
    assert.deepEqual(tokenLines(semanticTokensRange(ctx, range)), expectLines('tokens.expect.txt').filter((l) => /^[67]:|^8:0 /.test(l)));
  });

  it('is sorted and never overlaps on every example', () => {
    for (const f of fs.readdirSync(path.join(ROOT, 'examples')).filter((n) => n.endsWith('.pciep'))) {
      const tokens = semanticTokens(ctxOf(`examples/${f}`));
      for (let i = 1; i < tokens.length; i++) {
        const a = tokens[i - 1];
        const b = tokens[i];
        assert.ok(a.line < b.line || (a.line === b.line && a.char + a.length <= b.char), `${f}: tokens ${i - 1} and ${i} in order`);
      }
    }
  });
});
