/**
 * docs/language.md is generated from the schema, the profiles and the other tables
 * (scripts/gen-docs.ts). These tests keep it from drifting: the committed file must equal the
 * generator's output, every name the product accepts must be documented, and every diagnostic
 * code the sources can report must be listed with its meaning.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIAGNOSTIC_CODES, generateLanguageDoc } from '../../scripts/gen-docs';
import { CONTROLLER_ATTRIBUTES, DRIVERS, STANDARD_ATTRIBUTES } from '../../server/src/language/schema';
import { PROFILES } from '../../server/src/language/profiles';
import { PLATFORM_KEYS } from '../../server/src/language/profiles/overrides';
import { HOST_KEYS } from '../../server/src/language/host-schema';
import type { HostSectionKind } from '../../server/src/language/host-schema';
import { ERRNO } from '../../server/src/emulator/errno';

/** Tests run from out/test/unit. */
const ROOT = path.resolve(__dirname, '../../..');
const LANGUAGE_MD = path.join(ROOT, 'docs', 'language.md');
const SERVER_SRC = path.join(ROOT, 'server', 'src');

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

// ---- source scanning ---------------------------------------------------------------------

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

/** Index just past the string literal that starts at `i` ('…' or "…"). */
function skipQuoted(src: string, i: number): number {
  const quote = src[i];
  let j = i + 1;
  while (j < src.length && src[j] !== quote) {
    if (src[j] === '\\') j++;
    j++;
  }
  return j + 1;
}

/** Index just past the template literal that starts at `i`, `${…}` parts included. */
function skipTemplate(src: string, i: number): number {
  let j = i + 1;
  while (j < src.length && src[j] !== '`') {
    if (src[j] === '\\') {
      j += 2;
    } else if (src[j] === '$' && src[j + 1] === '{') {
      j = skipBalanced(src, j + 1);
    } else {
      j++;
    }
  }
  return j + 1;
}

/** Index just past the bracket that closes the one at `open`, skipping strings and comments. */
function skipBalanced(src: string, open: number): number {
  let depth = 0;
  let j = open;
  while (j < src.length) {
    const c = src[j];
    if (c === "'" || c === '"') {
      j = skipQuoted(src, j);
      continue;
    }
    if (c === '`') {
      j = skipTemplate(src, j);
      continue;
    }
    if (c === '/' && src[j + 1] === '/') {
      const nl = src.indexOf('\n', j);
      j = nl < 0 ? src.length : nl;
      continue;
    }
    if (c === '/' && src[j + 1] === '*') {
      const end = src.indexOf('*/', j + 2);
      j = end < 0 ? src.length : end + 2;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  return j;
}

/** The top-level arguments of the call whose `(` is at `open`, as trimmed source text. */
function callArguments(src: string, open: number): string[] {
  const end = skipBalanced(src, open) - 1;
  const args: string[] = [];
  let start = open + 1;
  let j = open + 1;
  while (j < end) {
    const c = src[j];
    if (c === "'" || c === '"') {
      j = skipQuoted(src, j);
    } else if (c === '`') {
      j = skipTemplate(src, j);
    } else if (c === '(' || c === '[' || c === '{') {
      j = skipBalanced(src, j);
    } else if (c === ',') {
      args.push(src.slice(start, j).trim());
      start = ++j;
    } else {
      j++;
    }
  }
  const last = src.slice(start, end).trim();
  if (last !== '') args.push(last);
  return args;
}

/** The kebab-case code of a plain string-literal argument, if it is one. */
function literalCode(arg: string | undefined): string | undefined {
  const m = arg === undefined ? null : /^(['"])([^'"\\]*)\1$/.exec(arg);
  return m !== null && KEBAB.test(m[2]) ? m[2] : undefined;
}

/** Helpers that take a diagnostic code, and the index of that argument. */
const CODE_HELPERS: readonly { call: RegExp; index: number }[] = [
  { call: /\bthis\.error\(/g, index: 1 },
  { call: /\bthis\.warn\(/g, index: 1 },
  { call: /\bthis\.failOp\(/g, index: 4 },
  // language/platform.ts: diag(range, code, message, severity?)
  { call: /(?<![.\w])diag\(/g, index: 1 },
];

interface Found {
  code: string;
  where: string;
}

/**
 * Every diagnostic code string in server/src: `code: '…'` properties, rule ids (`id: '…'` in
 * language/rules/), and string literals passed as the code argument of the replay's
 * error/warn/failOp helpers and the platform's diag helper.
 */
function sourceCodes(): Found[] {
  const found: Found[] = [];
  for (const file of tsFiles(SERVER_SRC)) {
    const src = fs.readFileSync(file, 'utf8');
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    const add = (code: string, index: number): void => {
      const line = src.slice(0, index).split('\n').length;
      found.push({ code, where: `${rel}:${line}` });
    };
    for (const m of src.matchAll(/\bcode:\s*(['"])([^'"\\\n]*)\1/g)) {
      if (KEBAB.test(m[2])) add(m[2], m.index ?? 0);
    }
    if (rel.startsWith('server/src/language/rules/')) {
      for (const m of src.matchAll(/\bid:\s*(['"])([^'"\\\n]*)\1/g)) {
        if (KEBAB.test(m[2])) add(m[2], m.index ?? 0);
      }
    }
    for (const helper of CODE_HELPERS) {
      for (const m of src.matchAll(helper.call)) {
        const open = (m.index ?? 0) + m[0].length - 1;
        const code = literalCode(callArguments(src, open)[helper.index]);
        if (code !== undefined) add(code, m.index ?? 0);
      }
    }
  }
  return found;
}

/** The text of one `## Title` section of the document (up to the next `## `). */
function section(doc: string, title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `docs/language.md has a "## ${title}" section`);
  const next = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, next < 0 ? undefined : next);
}

// ---- tests -------------------------------------------------------------------------------

describe('docs/language.md', () => {
  const generated = generateLanguageDoc();

  it('is exactly what scripts/gen-docs.ts generates (run `npm run compile && npm run docs` after changing the schema)', () => {
    assert.ok(fs.existsSync(LANGUAGE_MD), 'docs/language.md is missing: run `npm run compile && npm run docs`');
    const committed = fs.readFileSync(LANGUAGE_MD, 'utf8');
    assert.ok(
      committed === generated,
      'docs/language.md is out of date with the schema/profiles: run `npm run compile && npm run docs` and commit the result',
    );
  });

  it('says it is generated and must not be edited by hand, and links the tutorial', () => {
    const head = generated.slice(0, 800);
    assert.match(head, /generated/i);
    assert.match(head, /npm run docs/);
    assert.match(head, /do not edit by hand/i);
    assert.match(head, /\(tutorial\.md\)/);
    assert.ok(fs.existsSync(path.join(ROOT, 'docs', 'tutorial.md')), 'docs/tutorial.md exists');
  });

  it('is deterministic', () => {
    assert.equal(generateLanguageDoc(), generated);
  });

  it('documents every standard, controller and driver-group attribute', () => {
    for (const a of [...STANDARD_ATTRIBUTES, ...CONTROLLER_ATTRIBUTES]) {
      assert.ok(generated.includes(`| \`${a.name}\` |`), `attribute ${a.name} has a table row`);
    }
    for (const d of DRIVERS) {
      assert.ok(generated.includes(`### ${d.name}\n`), `driver ${d.name} has a section`);
      const own = section(generated, 'Endpoint function drivers');
      const start = own.indexOf(`### ${d.name}\n`);
      const next = own.indexOf('\n### ', start + 1);
      const text = own.slice(start, next < 0 ? undefined : next);
      for (const a of d.groupAttributes) {
        assert.ok(text.includes(`| \`${a.name}\` |`), `${d.name}'s ${a.name} has a row in its driver section`);
      }
    }
  });

  it('renders store checks in kernel order, readably', () => {
    assert.ok(generated.includes('refused once bound → EOPNOTSUPP; parse kstrtou16 (errors passed through); ≤ 8 → else EINVAL'));
    assert.ok(generated.includes('parse kstrtou64 (any failure → EINVAL); 1 ≤ num_mws → else EINVAL (log "Invalid num_nws")'));
  });

  it('computes the value examples with the real parsers', () => {
    assert.ok(generated.includes('| `040` | `kstrtou8` | 32 |'), 'octal 040 is 32');
    assert.ok(generated.includes('| `08` | `kstrtou8` | EINVAL |'));
    assert.ok(generated.includes('| `256` | `kstrtou8` | ERANGE |'));
    assert.ok(generated.includes('| `-1` | `kstrtou8` | EINVAL |'));
    assert.ok(generated.includes('| `0x` | `kstrtou8` | EINVAL |'));
    assert.ok(generated.includes('| `1abc` | true (1) |'));
    assert.ok(generated.includes('| `64 KiB` | 0x10000 (64 KiB) |'));
  });

  it('documents every profile, with its BARs and its "Not certain" list', () => {
    const text = section(generated, 'Platform profiles');
    for (const p of PROFILES) {
      assert.ok(text.includes(`\`${p.compatible}\``), `profile ${p.compatible} is documented`);
      for (const field of Object.keys(p.unsure)) {
        assert.ok(text.includes(`- \`${field}\`: ${p.unsure[field]}`), `${p.compatible} unsure ${field}`);
      }
    }
  });

  it('documents every platform override key and every host key', () => {
    const platform = section(generated, 'Platform override keys');
    for (const k of ['compatible', 'kernel', ...PLATFORM_KEYS.map((s) => s.key)]) {
      assert.ok(platform.includes(`| \`${k}\` |`), `platform key ${k} has a row`);
    }
    const host = section(generated, 'Host sections');
    for (const kind of Object.keys(HOST_KEYS) as HostSectionKind[]) {
      for (const k of HOST_KEYS[kind]) {
        assert.ok(host.includes(`| \`${k.key}\` |`), `[${kind}] key ${k.key} has a row`);
      }
    }
  });

  it('lists every errno with its number and text', () => {
    const text = section(generated, 'errno values');
    for (const [name, e] of Object.entries(ERRNO)) {
      assert.ok(text.includes(`| \`${name}\` | ${e.no} | ${e.text} |`), `errno ${name}`);
    }
  });

  it('has the "Where the emulator chooses" section with the known open points', () => {
    const text = section(generated, 'Where the emulator chooses');
    for (const needle of ['EBUSY', 'store check order', 'v3', 'LL region', 'E18', 'Not certain']) {
      assert.ok(text.includes(needle), `mentions ${needle}`);
    }
  });

  describe('diagnostic codes', () => {
    let found: Found[] = [];
    let codes = '';
    before(() => {
      found = sourceCodes();
      codes = section(generated, 'Diagnostic codes');
    });

    it('finds the codes in the sources (the scanner works)', () => {
      const names = new Set(found.map((f) => f.code));
      for (const known of ['syntax', 'bad-platform-path', 'no-such-directory', 'write-failed', 'bind-failed', 'rmdir-failed', 'unusable-bar', 'host-section', 'bad-host-value']) {
        assert.ok(names.has(known), `scanner finds ${known}`);
      }
      assert.ok(names.size >= 40, `found ${names.size} codes`);
    });

    it('documents every code used in server/src', () => {
      const missing = found.filter((f) => !codes.includes(`| \`${f.code}\` |`));
      assert.deepEqual(
        missing.map((f) => `${f.code} (${f.where})`),
        [],
        'add these codes to DIAGNOSTIC_CODES in scripts/gen-docs.ts, then run `npm run compile && npm run docs`',
      );
    });

    it('documents each code once, with a severity and a meaning', () => {
      const all = DIAGNOSTIC_CODES.flatMap((g) => g.codes);
      const seen = new Set<string>();
      for (const c of all) {
        assert.ok(!seen.has(c.code), `${c.code} is listed once`);
        seen.add(c.code);
        assert.match(c.code, KEBAB);
        assert.ok(['error', 'warning', 'info', '—'].includes(c.severity), `${c.code} severity`);
        assert.ok(c.meaning.length > 10, `${c.code} has a meaning`);
      }
    });
  });
});
