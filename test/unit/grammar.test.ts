/**
 * Editor support files: the TextMate grammar (syntaxes/pciep.tmLanguage.json), the snippets
 * (snippets/pciep.json) and language-configuration.json.
 *
 * Grammar fixtures: test/fixtures/grammar/NAME.pciep is tokenized with vscode-textmate (the engine
 * VS Code uses, with the same Oniguruma WASM build) and compared with NAME.scopes.txt, which is
 * written BY HAND from the scope rules, never generated from the grammar. Its format:
 *
 *   # a comment line (ignored, as are blank lines)
 *   LINE TEXT => SCOPE SCOPE…
 *
 * LINE is 1-based; TEXT is the token's exact text (everything between the single space after LINE
 * and the last " => ", so it may start or end with blanks); SCOPES run outermost first and leave
 * out the root `source.pciep`. Before comparing, adjacent tokens with identical scopes are merged
 * and tokens made only of blanks are dropped, so the files list what a theme colours, not how the
 * engine happens to split runs.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { parse } from '../../server/src/language/parser';
import { analyze } from '../../server/src/language/validate';
import { listProfiles } from '../../server/src/language/profiles';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/grammar');
const GRAMMAR_PATH = path.join(ROOT, 'syntaxes/pciep.tmLanguage.json');
const SNIPPETS_PATH = path.join(ROOT, 'snippets/pciep.json');
const LANGUAGE_CONFIGURATION_PATH = path.join(ROOT, 'language-configuration.json');
const SCOPE_NAME = 'source.pciep';

interface Token {
  line: number;
  start: number;
  text: string;
  scopes: string[];
}

let grammarPromise: Promise<vsctm.IGrammar> | undefined;

function loadGrammar(): Promise<vsctm.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = fs.readFileSync(path.join(ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm'));
    // loadWASM is idempotent: a second call returns the first call's promise.
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === SCOPE_NAME ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null,
    });
    const grammar = await registry.loadGrammar(SCOPE_NAME);
    if (!grammar) throw new Error(`grammar ${SCOPE_NAME} did not load`);
    return grammar;
  })();
  return grammarPromise;
}

/** Every token of every line, with the line's own text sliced out (the engine appends a '\n'). */
function tokenize(grammar: vsctm.IGrammar, text: string): Token[] {
  const tokens: Token[] = [];
  let state = vsctm.INITIAL;
  text.split(/\r\n|\n|\r/).forEach((line, i) => {
    const result = grammar.tokenizeLine(line, state);
    for (const t of result.tokens) {
      const end = Math.min(t.endIndex, line.length);
      if (end <= t.startIndex) continue;
      tokens.push({ line: i + 1, start: t.startIndex, text: line.slice(t.startIndex, end), scopes: t.scopes });
    }
    state = result.ruleStack;
  });
  return tokens;
}

/** Tokens as the .scopes.txt files list them: runs merged, blank-only tokens dropped, root scope left out. */
function render(tokens: Token[]): string[] {
  const merged: Token[] = [];
  for (const t of tokens) {
    const last = merged[merged.length - 1];
    if (last && last.line === t.line && last.scopes.join(' ') === t.scopes.join(' ')) last.text += t.text;
    else merged.push({ ...t, scopes: [...t.scopes] });
  }
  return merged
    .filter((t) => t.text.trim() !== '')
    .map((t) => `${t.line} ${t.text} => ${t.scopes.filter((s) => s !== SCOPE_NAME).join(' ')}`);
}

function readExpected(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\d+) (.*) => (\S.*)$/.exec(l);
      if (!m) throw new Error(`${path.basename(file)}: malformed line '${l}'`);
      return `${m[1]} ${m[2]} => ${m[3].trim().split(/\s+/).join(' ')}`;
    });
}

/** Scopes of the token covering (line 1-based, character). */
function scopesAt(tokens: Token[], line: number, character: number): string[] {
  const t = tokens.find((x) => x.line === line && x.start <= character && character < x.start + x.text.length);
  return t ? t.scopes : [];
}

function hasScope(scopes: string[], prefix: string): boolean {
  return scopes.some((s) => s === prefix || s.startsWith(`${prefix}.`));
}

function pciepFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? pciepFiles(path.join(dir, e.name)) : e.name.endsWith('.pciep') ? [path.join(dir, e.name)] : []))
    .sort();
}

describe('TextMate grammar (syntaxes/pciep.tmLanguage.json)', () => {
  const fixtures = pciepFiles(FIXTURES).filter((f) => path.dirname(f) === FIXTURES);

  it('has at least three hand-written fixtures, each with its expected scopes', () => {
    assert.ok(fixtures.length >= 3, `only ${fixtures.length} fixtures in ${FIXTURES}`);
    for (const f of fixtures) assert.ok(fs.existsSync(f.replace(/\.pciep$/, '.scopes.txt')), `${path.basename(f)} has no .scopes.txt`);
  });

  for (const fixture of fixtures) {
    const name = path.basename(fixture, '.pciep');
    it(`tokenizes ${name}.pciep as ${name}.scopes.txt says`, async () => {
      const grammar = await loadGrammar();
      const actual = render(tokenize(grammar, fs.readFileSync(fixture, 'utf8')));
      assert.deepEqual(actual, readExpected(fixture.replace(/\.pciep$/, '.scopes.txt')));
    });
  }

  // The grammar must agree with the language server's parser on what every line is: a mismatch
  // means the editor colours a line differently from how diagnostics and replay read it.
  const parsed = [...fixtures, ...pciepFiles(path.join(ROOT, 'examples'))];
  for (const file of parsed) {
    it(`agrees with the parser on ${path.relative(ROOT, file)}`, async () => {
      const grammar = await loadGrammar();
      const text = fs.readFileSync(file, 'utf8');
      const tokens = tokenize(grammar, text);
      const doc = parse(text);
      const where = (line: number, ch: number) => `${path.basename(file)}:${line + 1}:${ch + 1}`;

      // Comment scope exactly where the parser sees a comment ('a#b' and '#' in quotes are not).
      const commentLines = new Map<number, number>();
      for (const c of doc.comments) commentLines.set(c.range.start.line, c.range.start.character);
      for (const s of doc.statements) if (s.comment) commentLines.set(s.comment.range.start.line, s.comment.range.start.character);
      doc.lines.forEach((line, i) => {
        const from = commentLines.get(i) ?? line.length;
        for (let ch = 0; ch < line.length; ch++) {
          if (line[ch] === ' ' || line[ch] === '\t') continue;
          const inComment = hasScope(scopesAt(tokens, i + 1, ch), 'comment.line.number-sign.pciep');
          assert.equal(inComment, ch >= from, `${where(i, ch)}: comment scope ${inComment ? 'on code' : 'missing'}`);
        }
      });

      for (const s of doc.statements) {
        const line = s.line + 1;
        const at = (ch: number) => scopesAt(tokens, line, ch);
        switch (s.kind) {
          case 'section':
            assert.ok(hasScope(at(s.range.start.character), 'punctuation.definition.section.begin.pciep'), where(s.line, s.range.start.character));
            if (s.path.text) assert.ok(hasScope(at(s.path.range.start.character), 'meta.section.pciep'), where(s.line, s.path.range.start.character));
            break;
          case 'assign': {
            if (s.name.text) {
              const last = s.name.range.end.character - 1;
              assert.ok(hasScope(at(last), 'variable.other.property.pciep'), `${where(s.line, last)}: ${at(last).join(' ')}`);
            }
            if (s.value.text || s.quote !== 'none') {
              const v = at(s.value.range.start.character);
              assert.ok(
                ['constant.numeric', 'constant.language.boolean', 'string.quoted', 'string.unquoted'].some((p) => v.some((x) => x.startsWith(`${p}.`))),
                `${where(s.line, s.value.range.start.character)}: value scopes ${v.join(' ')}`,
              );
            }
            break;
          }
          case 'link':
            if (s.name.text) assert.ok(hasScope(at(s.name.range.start.character), 'variable.other.link.pciep'), where(s.line, s.name.range.start.character));
            if (s.target.text) assert.ok(hasScope(at(s.target.range.start.character), 'string.other.link.target.pciep'), where(s.line, s.target.range.start.character));
            break;
          case 'unlink':
          case 'rmdir':
            assert.ok(hasScope(at(s.keyword.range.start.character), 'keyword.control.teardown.pciep'), where(s.line, s.keyword.range.start.character));
            break;
        }
      }
    });
  }

  it('classifies a value only when it is the whole value', async () => {
    const grammar = await loadGrammar();
    const cases: [string, string][] = [
      ['x = 0x1d87', 'constant.numeric.hex.pciep'],
      ['x = -0x10', 'constant.numeric.hex.pciep'],
      ['x = 0x1d87z', 'string.unquoted.pciep'],
      ['x = 010', 'constant.numeric.octal.pciep'],
      ['x = 0', 'constant.numeric.decimal.pciep'],
      ['x = +7', 'constant.numeric.decimal.pciep'],
      ['x = 4GiB', 'constant.numeric.decimal.pciep'],
      ['x = 4Q', 'string.unquoted.pciep'],
      ['x = 1.5M', 'string.unquoted.pciep'],
      ['x = 1__0', 'string.unquoted.pciep'],
      ['x = yes', 'constant.language.boolean.pciep'],
      ['x = N', 'constant.language.boolean.pciep'],
      ['x = yesterday', 'string.unquoted.pciep'],
      ['x = on off', 'string.unquoted.pciep'],
      ['x =#a', 'string.unquoted.pciep'],
      ['x = "8"', 'string.quoted.double.pciep'],
    ];
    for (const [line, scope] of cases) {
      const tokens = tokenize(grammar, line);
      const op = /=[ \t]*/.exec(line);
      assert.ok(op);
      const at = scopesAt(tokens, 1, op.index + op[0].length);
      assert.ok(hasScope(at, scope), `${line}: expected ${scope}, got ${at.join(' ')}`);
      assert.ok(!tokens.some((t) => hasScope(t.scopes, 'comment.line.number-sign.pciep')), `${line}: no comment`);
    }
  });

  it('keeps an unterminated quote on its own line', async () => {
    const grammar = await loadGrammar();
    const tokens = tokenize(grammar, 'label = "open\nvendorid = 0x1');
    assert.ok(hasScope(scopesAt(tokens, 1, 10), 'string.quoted.double.pciep'));
    assert.deepEqual(scopesAt(tokens, 2, 0), [SCOPE_NAME, 'variable.other.property.pciep']);
    assert.ok(hasScope(scopesAt(tokens, 2, 11), 'constant.numeric.hex.pciep'));
  });
});

// ---------------------------------------------------------------------------------------------
// Snippets

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
}

function loadSnippets(): Record<string, Snippet> {
  return JSON.parse(fs.readFileSync(SNIPPETS_PATH, 'utf8')) as Record<string, Snippet>;
}

/** Splits a `${N|a,b|}` choice list on unescaped commas and unescapes `\,` `\|` `\\`. */
function choiceOptions(list: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if (ch === '\\' && i + 1 < list.length && ',|\\'.includes(list[i + 1])) cur += list[++i];
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The text a snippet inserts when every placeholder keeps its default (a choice: its first option). */
function expand(body: string): string {
  const values = new Map<string, string>();
  const withDefaults = body
    .replace(/\$\{(\d+)\|((?:[^|\\]|\\.)*)\|\}/g, (_m, n: string, list: string) => {
      const v = choiceOptions(list)[0];
      values.set(n, v);
      return v;
    })
    .replace(/\$\{(\d+):([^}]*)\}/g, (_m, n: string, v: string) => {
      values.set(n, v);
      return v;
    });
  return withDefaults.replace(/\$\{(\d+)\}|\$(\d+)/g, (_m, a: string | undefined, b: string | undefined) => values.get(a ?? b ?? '') ?? '');
}

function bodyText(s: Snippet): string {
  return Array.isArray(s.body) ? s.body.join('\n') : s.body;
}

describe('snippets (snippets/pciep.json)', () => {
  const snippets = loadSnippets();
  const entries = Object.entries(snippets);

  it('gives every snippet a prefix, a body and a description', () => {
    assert.ok(entries.length >= 6, `only ${entries.length} snippets`);
    for (const [name, s] of entries) {
      const prefixes = Array.isArray(s.prefix) ? s.prefix : [s.prefix];
      assert.ok(prefixes.length > 0 && prefixes.every((p) => typeof p === 'string' && /^\S+$/.test(p)), `${name}: prefix`);
      assert.ok(typeof s.body === 'string' || (Array.isArray(s.body) && s.body.every((l) => typeof l === 'string')), `${name}: body`);
      assert.ok(bodyText(s).trim() !== '', `${name}: empty body`);
      assert.ok(typeof s.description === 'string' && s.description.trim() !== '', `${name}: description`);
    }
  });

  it('uses distinct prefixes', () => {
    const seen = new Map<string, string>();
    for (const [name, s] of entries) {
      for (const p of Array.isArray(s.prefix) ? s.prefix : [s.prefix]) {
        assert.ok(!seen.has(p), `prefix '${p}' used by '${seen.get(p)}' and '${name}'`);
        seen.set(p, name);
      }
    }
  });

  it('covers the function, platform and host forms', () => {
    const firstLines = entries.map(([, s]) => bodyText(s).split('\n')[0]);
    for (const want of ['[functions/pci_epf_dma/', '[functions/pci_epf_test/', '[functions/pci_epf_vntb/', '[platform/', '[host]', '[host/transfer/']) {
      assert.ok(firstLines.some((l) => l.startsWith(want)), `no snippet starts with ${want}`);
    }
  });

  it('expands to text the parser reads without errors', () => {
    for (const [name, s] of entries) {
      const text = expand(bodyText(s));
      assert.ok(!/\$\{?\d/.test(text), `${name}: unexpanded placeholder in ${JSON.stringify(text)}`);
      assert.deepEqual(parse(text).errors, [], `${name}: ${text}`);
    }
  });

  it('offers exactly the built-in profiles as platform compatibles (commas escaped)', () => {
    const platform = entries.find(([, s]) => bodyText(s).startsWith('[platform/'));
    assert.ok(platform, 'no platform snippet');
    const m = /compatible = \$\{\d+\|((?:[^|\\]|\\.)*)\|\}/.exec(bodyText(platform[1]));
    assert.ok(m, 'compatible is not a choice');
    const options = choiceOptions(m[1]);
    assert.ok(options.every((o) => /^[a-z0-9-]+,[a-z0-9-]+$/.test(o)), `badly split choice: ${options.join(' | ')}`);
    assert.deepEqual([...options].sort(), listProfiles().map((p) => p.compatible).sort());
  });

  it('builds a complete system that validates without errors', () => {
    const byStart = (start: string) => {
      const e = entries.find(([, s]) => bodyText(s).startsWith(start));
      assert.ok(e, `no snippet starting with ${start}`);
      return expand(bodyText(e[1]));
    };
    const host = [byStart('[host]'), byStart('[host/transfer/')];
    for (const fn of ['[functions/pci_epf_dma/', '[functions/pci_epf_test/', '[functions/pci_epf_vntb/']) {
      const parts = [byStart('[platform/'), byStart(fn)];
      if (fn.includes('pci_epf_dma')) parts.push(...host);
      const text = parts.join('\n');
      const errors = analyze(text).diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map((d) => `${d.range.start.line + 1}: ${d.code}: ${d.message}`), [], text);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Language configuration

describe('language-configuration.json', () => {
  interface LanguageConfiguration {
    comments?: { lineComment?: string };
    brackets?: [string, string][];
    autoClosingPairs?: { open: string; close: string; notIn?: string[] }[];
    surroundingPairs?: [string, string][];
    wordPattern?: string;
    onEnterRules?: { beforeText: string; action: { indent: string; appendText?: string } }[];
  }
  const config = JSON.parse(fs.readFileSync(LANGUAGE_CONFIGURATION_PATH, 'utf8')) as LanguageConfiguration;

  it('declares # comments, [ ] brackets and the auto-closing pairs', () => {
    assert.equal(config.comments?.lineComment, '#');
    assert.deepEqual(config.brackets, [['[', ']']]);
    const pairs = (config.autoClosingPairs ?? []).map((p) => `${p.open}${p.close}`);
    assert.deepEqual(pairs.sort(), ['""', "''", '[]']);
    for (const p of config.autoClosingPairs ?? []) assert.deepEqual(p.notIn?.slice().sort(), ['comment', 'string'], `${p.open}${p.close}`);
    assert.deepEqual((config.surroundingPairs ?? []).map((p) => p.join('')).sort(), ['""', "''", '[]']);
  });

  it('selects whole configfs names but stops at "/"', () => {
    assert.ok(config.wordPattern, 'no wordPattern');
    const word = new RegExp(config.wordPattern, 'g');
    const words = (text: string) => text.match(word) ?? [];
    assert.deepEqual(words('[platform/a40000000.pcie-ep]'), ['platform', 'a40000000.pcie-ep']);
    assert.deepEqual(words('pci_epf_dma.0/wr_chans = 2'), ['pci_epf_dma.0', 'wr_chans', '2']);
    assert.deepEqual(words('vendorid = 0x1d87 # echo'), ['vendorid', '0x1d87', 'echo']);
    assert.deepEqual(words('compatible = rockchip,rk3588-pcie-ep'), ['compatible', 'rockchip,rk3588-pcie-ep']);
    assert.deepEqual(words('primary/ep->controllers/x'), ['primary', 'ep', 'controllers', 'x']);
    assert.deepEqual(words('tag = a#b "q v" -1'), ['tag', 'a#b', 'q', 'v', '-1']);
    assert.ok(!word.test(''), 'wordPattern must not match the empty string');
  });

  it('continues a comment block on Enter', () => {
    const rule = (config.onEnterRules ?? []).find((r) => r.action.appendText === '# ');
    assert.ok(rule, 'no comment continuation rule');
    const before = new RegExp(rule.beforeText);
    assert.ok(before.test('  # a comment'));
    assert.ok(!before.test('vendorid = 0x1d87'));
  });
});
