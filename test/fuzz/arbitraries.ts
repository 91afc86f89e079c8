/**
 * fast-check generators for hostile input: `.pciep` files mutated from the examples (lines
 * inserted, deleted, swapped, duplicated; characters and values replaced; NUL bytes, BOMs, lone
 * surrogates, CR/CRLF line ends), `.pciep` files generated from the schema (every known section,
 * attribute, platform key, host key, with values at their extremes), invalid UTF-8 byte streams,
 * configfs shell scripts for import, and PEDM metadata blobs.
 *
 * Positions are drawn as plain naturals and reduced modulo the current length when a mutation is
 * applied, so fast-check shrinks a failing case towards small, readable edits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { CONTROLLER_ATTRIBUTES, DRIVERS, STANDARD_ATTRIBUTES } from '../../server/src/language/schema';
import { FAULT_KINDS, FAULT_POINTS, HOST_KEYS } from '../../server/src/language/host-schema';
import { PLATFORM_KEYS } from '../../server/src/language/profiles/overrides';
import { listProfiles } from '../../server/src/language/profiles';
import { parse } from '../../server/src/language/parser';
import { exportScript } from '../../server/src/language/script-export';
import { FIELD_NAMES, descChannel, encodeMetadata, patchField, producerMetadata } from '../../server/src/emulator/metadata/codec';

/** Tests run from out/test/fuzz; the corpus stays in the source tree. */
export const ROOT = path.resolve(__dirname, '../../..');

function pciepFiles(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  return fs.existsSync(abs) ? fs.readdirSync(abs).filter((f) => f.endsWith('.pciep')).sort().map((f) => path.join(dir, f)) : [];
}

/** Every shipped and fixture `.pciep` file: the seeds the mutations start from. */
export const CORPUS: readonly { name: string; text: string }[] = [
  ...pciepFiles('examples'), ...pciepFiles('examples/broken'), ...pciepFiles('test/fixtures/parser'),
  ...pciepFiles('test/fixtures/grammar'), ...pciepFiles('test/fixtures/emulator'), ...pciepFiles('test/fixtures/features/format'),
].map((name) => ({ name, text: fs.readFileSync(path.join(ROOT, name), 'utf8') }));

/** Every line of the corpus: inserted lines are mostly real ones, so mutants stay meaningful. */
const CORPUS_LINES: readonly string[] = [...new Set(CORPUS.flatMap((c) => c.text.split(/\r\n|\n|\r/)))];

/** The exported configfs script of every corpus file: seeds for the import fuzzer. */
export const SCRIPT_CORPUS: readonly string[] = CORPUS.map((c) => exportScript(parse(c.text)));
const SCRIPT_LINES: readonly string[] = [...new Set(SCRIPT_CORPUS.flatMap((s) => s.split('\n')))];

// ---------------------------------------------------------------------------------------------
// Vocabulary

/** Metadata field names a `corrupt-metadata` fault can name (plus nonsense). */
const ALL_FIELD_NAMES_FOR_FAULTS = [...FIELD_NAMES.header, 'wr[0].hw_ch', 'rd[1].desc_size', 'wr[9].desc_off', 'rd[0].A', 'nope', ''];

const EPCS = ['a40000000.pcie-ep', 'dfc00000.pcie-ep', 'e65d0000.pcie-ep', '1c00000.pcie-ep', '141a0000.pcie-ep', '33800000.pcie-ep', 'x'];
const COMPATIBLES = [...listProfiles().map((p) => p.compatible), 'acme,unknown-pcie-ep', ''];
const DRIVER_NAMES = [...DRIVERS.map((d) => d.name), 'pci_epf_nope'];
const FN_NAMES = ['dma0', 'd', 'test0', 'func1', 'x', 'a.b', '..', '.', 'a b', '💥'];

/** Values at the extremes of every parser the language has (kstrto*, sizes, booleans, enums). */
export const EXTREME_VALUES: readonly string[] = [
  '0', '1', '-1', '2', '4', '5', '6', '7', '8', '9', '16', '32', '33', '63', '64', '255', '256', '2048', '65535', '65536',
  '0x0', '0xff', '0xffff', '0x10000', '0xffffffff', '0x100000000', '0x7fffffffffffffff', '0x8000000000000000',
  '0xffffffffffffffff', '0x10000000000000000', '18446744073709551615', '18446744073709551616', '-9223372036854775808',
  '99999999999999999999999999999999', '0b101', '010', '08', '0o7', '1K', '4K', '64K', '1M', '16M', '64M', '65M', '1G', '2G', '4G', '16G', '1T',
  '1_000', '0x_1', 'yes', 'no', 'on', 'off', 'y', 'n', 'true', '', '""', "''", '"unterminated', "'x", '"a"b', 'nan', 'Infinity', '1e9',
  ' 1 ', '\t7', '0x1g', '+1', '--1', 'rc-to-ep', 'ep-to-rc', 'dw-edma-pcie', 'none', 'legacy', 'unroll', 'hdma-compat', 'hdma-native',
  'programmable', 'fixed', 'resizable', 'reserved', '64bit-upper', 'disabled', 'v3', 'v4', 'random:1', 'zeros', 'ones', '0xa5',
  ...FAULT_KINDS, ...FAULT_POINTS, ...COMPATIBLES.slice(0, 4), 'x'.repeat(300), '\u0000', '\uFEFF', '\uD800', '<script>alert(1)</script>',
];

const groupAttrs = DRIVERS.flatMap((d) => d.groupAttributes.map((a) => ({ driver: d.name, name: a.name })));

const arbValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...EXTREME_VALUES) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: (1n << 70n) }).map((n) => `0x${n.toString(16)}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** One `.pciep` line from the grammar: sections, attributes, platform/host keys, links, unlink, rmdir. */
export const arbStatement: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(...EPCS)).map(([e]) => `[platform/${e}]`),
  fc.tuple(fc.constantFrom(...DRIVER_NAMES), fc.constantFrom(...FN_NAMES)).map(([d, n]) => `[functions/${d}/${n}]`),
  fc.tuple(fc.constantFrom(...DRIVER_NAMES), fc.constantFrom(...FN_NAMES), fc.nat(3)).map(([d, n, i]) => `[functions/${d}/${n}/${d}.${i}]`),
  fc.constantFrom(...EPCS).map((e) => `[controllers/${e}]`),
  fc.constantFrom('[host]', '[host/transfer/t]', '[host/transfer/u]', '[host/fault/f]', '[host/fault/g]', '[host/x]', '[/sys/kernel/config/pci_ep/functions/pci_epf_test/t]', '[../..]', '[]', '['),
  fc.tuple(fc.constantFrom(...STANDARD_ATTRIBUTES.map((a) => a.name)), arbValue).map(([k, v]) => `${k} = ${v}`),
  fc.tuple(fc.constantFrom(...groupAttrs), fc.nat(3), arbValue).map(([a, i, v]) => `${a.driver}.${i}/${a.name} = ${v}`),
  fc.tuple(fc.constantFrom(...CONTROLLER_ATTRIBUTES.map((a) => a.name)), arbValue).map(([k, v]) => `${k} = ${v}`),
  fc.tuple(fc.constantFrom(...PLATFORM_KEYS.map((k) => k.key), 'compatible', 'kernel'), arbValue).map(([k, v]) => `${k} = ${v}`),
  fc.constantFrom(...COMPATIBLES).map((c) => `compatible = ${c}`),
  fc.tuple(fc.constantFrom(...Object.values(HOST_KEYS).flat().map((k) => k.key)), arbValue).map(([k, v]) => `${k} = ${v}`),
  fc.tuple(fc.constantFrom('primary/ep', 'secondary/ep', 'primary/x', 'vf0', 'x'), fc.constantFrom(...EPCS)).map(([n, e]) => `${n} -> controllers/${e}`),
  fc.tuple(fc.constantFrom(...DRIVER_NAMES), fc.constantFrom(...FN_NAMES)).map(([d, n]) => `vf1 -> functions/${d}/${n}`),
  fc.tuple(fc.constantFrom(...DRIVER_NAMES), fc.constantFrom(...FN_NAMES)).map(([d, n]) => `x -> ../../functions/${d}/${n}`),
  fc.constantFrom('unlink primary/ep', 'unlink secondary/ep', 'unlink vf1', 'unlink', 'rmdir', 'rmdir functions/pci_epf_dma/dma0', 'start = 1', 'start = 0', 'start = 1', ''),
  fc.constantFrom('# comment', '   # indented comment', 'a#b = c', 'garbage here', '= value', '-> x', '"quoted" = 1', 'name = "a # not a comment"'),
);

/** A `.pciep` file generated from the grammar: up to `max` statements, in any order. */
export function arbGeneratedDocument(max = 60): fc.Arbitrary<string> {
  return fc.tuple(fc.array(arbStatement, { maxLength: max }), fc.constantFrom('\n', '\r\n', '\r')).map(([lines, eol]) => lines.join(eol));
}

/**
 * A bring-up skeleton — platform (with overrides), one function with its driver's attributes,
 * link, start, host, transfers, faults — whose every value is drawn from the extremes, with random
 * statements spliced in. Random statements alone rarely get past bind; this reaches the emulator's
 * deep paths (BAR layout, metadata, eDMA engine, host probe, transfers, fault injection).
 */
export const arbSkeletonDocument: fc.Arbitrary<{ text: string }> = fc.record({
  epc: fc.constantFrom(...EPCS.slice(0, 6)),
  compatible: fc.constantFrom(...COMPATIBLES),
  platform: fc.array(fc.tuple(fc.constantFrom(...PLATFORM_KEYS.map((k) => k.key), 'kernel'), arbValue), { maxLength: 4 }),
  driver: fc.constantFrom('pci_epf_dma', 'pci_epf_dma', 'pci_epf_dma', ...DRIVERS.map((d) => d.name)),
  attrs: fc.array(fc.tuple(fc.nat(), arbValue), { maxLength: 6 }),
  start: fc.constantFrom(['start = 1'], ['start = 1', 'start = 0', 'start = 1'], [], ['start = 1', 'start = 0']),
  hostKeys: fc.array(fc.tuple(fc.constantFrom(...HOST_KEYS.host.map((k) => k.key)), arbValue), { maxLength: 3 }),
  transfers: fc.array(fc.record({
    direction: fc.constantFrom('rc-to-ep', 'ep-to-rc', 'x'), channel: fc.constantFrom('0', '1', '7', '63', '64'),
    size: fc.constantFrom('4K', '64K', '1M', '0', '1', '3', '65M', '16G', '1T'), extra: fc.array(fc.tuple(fc.constantFrom('element-size', 'src', 'dst', 'pattern'), arbValue), { maxLength: 2 }),
  }), { maxLength: 3 }),
  faults: fc.array(fc.record({ kind: fc.constantFrom(...FAULT_KINDS), at: fc.constantFrom(...FAULT_POINTS, ''), field: fc.constantFrom(...ALL_FIELD_NAMES_FOR_FAULTS), value: arbValue }), { maxLength: 2 }),
  splices: fc.array(fc.tuple(fc.nat(), arbStatement), { maxLength: 4 }),
}).map((g) => {
  const driver = DRIVERS.find((d) => d.name === g.driver)!;
  const attrNames = [...STANDARD_ATTRIBUTES.map((a) => a.name), ...driver.groupAttributes.map((a) => `${driver.name}.0/${a.name}`)];
  const lines = [
    `[platform/${g.epc}]`, `compatible = ${g.compatible}`, ...g.platform.map(([k, v]) => `${k} = ${v}`),
    `[functions/${driver.name}/f0]`, ...g.attrs.map(([k, v]) => `${attrNames[k % attrNames.length]} = ${v}`),
    `primary/ep -> controllers/${g.epc}`, `[controllers/${g.epc}]`, ...g.start,
    '[host]', ...g.hostKeys.map(([k, v]) => `${k} = ${v}`),
    ...g.transfers.flatMap((t, i) => [`[host/transfer/t${i}]`, `direction = ${t.direction}`, `channel = ${t.channel}`, `size = ${t.size}`, ...t.extra.map(([k, v]) => `${k} = ${v}`)]),
    ...g.faults.flatMap((f, i) => [`[host/fault/f${i}]`, `kind = ${f.kind}`, ...(f.at ? [`at = ${f.at}`] : []), `field = ${f.field}`, `value = ${f.value}`]),
  ];
  for (const [at, stmt] of g.splices) lines.splice(at % (lines.length + 1), 0, stmt);
  return printable({ text: lines.join('\n') }, lines);
});

// ---------------------------------------------------------------------------------------------
// Mutations of corpus files

export type Mutation =
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'insert'; at: number; line: string }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'char'; at: number; text: string }
  | { kind: 'cut'; at: number; len: number }
  | { kind: 'value'; at: number; value: string }
  | { kind: 'eol'; eol: '\r\n' | '\r' }
  | { kind: 'nul'; at: number }
  | { kind: 'bom' };

const weirdText = fc.constantFrom('\u0000', '\uFEFF', '\uD800', '\uDC00', '\uFFFD', '\u2028', '\u0085', '\r', '\n', '[', ']', '=', '->', '#', '"', "'", '\\', '/', '..', ' ', '\t', '\f', '\v', '💥', 'e\u0301');

const arbLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...CORPUS_LINES) },
  { weight: 4, arbitrary: arbStatement },
  { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.array(weirdText, { maxLength: 8 }).map((a) => a.join('')) },
);

export const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), line: arbLine }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('char' as const), at: fc.nat(), text: fc.oneof(weirdText, fc.string({ maxLength: 3, unit: 'binary' })) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('value' as const), at: fc.nat(), value: arbValue }),
  fc.record({ kind: fc.constant('eol' as const), eol: fc.constantFrom('\r\n' as const, '\r' as const) }),
  fc.record({ kind: fc.constant('nul' as const), at: fc.nat() }),
  fc.constant({ kind: 'bom' as const }),
);

export function applyMutation(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const n = lines.length;
  switch (m.kind) {
    case 'delete': lines.splice(m.at % n, m.count); return lines.join('\n');
    case 'insert': lines.splice(m.at % (n + 1), 0, m.line); return lines.join('\n');
    case 'swap': {
      const a = m.a % n;
      const b = m.b % n;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
    case 'duplicate': lines.splice(m.at % n, 0, lines[m.at % n]); return lines.join('\n');
    case 'char': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at + 1);
    }
    case 'cut': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + m.len);
    }
    case 'value': {
      // Replace the value of the at-th assignment (kept simple: the text after the first '=').
      const assigns = lines.map((l, i) => (/^\s*[^#\s[][^=]*=/.test(l) ? i : -1)).filter((i) => i >= 0);
      if (assigns.length === 0) return text;
      const i = assigns[m.at % assigns.length];
      const eq = lines[i].indexOf('=');
      lines[i] = `${lines[i].slice(0, eq + 1)} ${m.value}`;
      return lines.join('\n');
    }
    case 'eol': return text.replace(/\r?\n/g, m.eol);
    case 'nul': {
      const at = m.at % (text.length + 1);
      return `${text.slice(0, at)}\u0000${text.slice(at)}`;
    }
    case 'bom': return `\uFEFF${text}`;
  }
}

/**
 * Makes a generated value print as its recipe in fast-check's failure report (a counterexample is
 * then "this file with these mutations", shrunk, instead of a 20 KB text or a byte dump).
 */
export function printable<T extends object>(value: T, recipe: unknown): T {
  const show = (): string => JSON.stringify(recipe, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  return Object.assign(value, { [fc.toStringMethod]: show });
}

/** A corpus file with up to `max` mutations applied; prints as the file name and the mutations. */
export function arbMutatedDocument(max = 8): fc.Arbitrary<{ name: string; mutations: Mutation[]; text: string }> {
  return fc.tuple(fc.nat(CORPUS.length - 1), fc.array(arbMutation, { maxLength: max })).map(([i, mutations]) =>
    printable({ name: CORPUS[i].name, mutations, text: mutations.reduce(applyMutation, CORPUS[i].text) }, { file: CORPUS[i].name, mutations }));
}

// ---------------------------------------------------------------------------------------------
// Invalid UTF-8

/** Byte sequences no UTF-8 decoder accepts as they are: lone continuation bytes, overlong forms, surrogates, truncation. */
const BAD_UTF8: readonly number[][] = [
  [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80],
  [0xf5], [0xff], [0xfe], [0xe2, 0x82], [0xf0, 0x9f, 0x92], [0xc3], [0x00], [0xef, 0xbb, 0xbf],
];

/** A corpus file's UTF-8 bytes with invalid sequences spliced in; prints as the file name and the splices. */
export const arbInvalidUtf8: fc.Arbitrary<{ bytes: Buffer }> = fc.tuple(
  fc.nat(CORPUS.length - 1),
  fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...BAD_UTF8), fc.uint8Array({ minLength: 1, maxLength: 4 }).map((a) => [...a]))), { minLength: 1, maxLength: 12 }),
).map(([i, edits]) => {
  let buf = Buffer.from(CORPUS[i].text, 'utf8');
  for (const [at, bytes] of edits) {
    const k = at % (buf.length + 1);
    buf = Buffer.concat([buf.subarray(0, k), Buffer.from(bytes), buf.subarray(k)]);
  }
  return printable({ bytes: buf }, { file: CORPUS[i].name, splices: edits.map(([at, b]) => ({ at, bytes: b.map((x) => x.toString(16)).join(' ') })) });
});

// ---------------------------------------------------------------------------------------------
// Shell scripts (import)

const SH_PATHS = ['/sys/kernel/config/pci_ep', 'functions/pci_epf_test/t', 'functions/pci_epf_dma/dma0', 'controllers/a40000000.pcie-ep', '..', '.', '/', '$F', '"$F/x"', '${EPC:-a40000000.pcie-ep}', '~/x', '*', 'a b', '"a b"'];

const arbShellLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SCRIPT_LINES) },
  {
    weight: 6,
    arbitrary: fc.oneof(
      fc.constantFrom(...SH_PATHS).map((p) => `cd ${p}`),
      fc.tuple(fc.constantFrom('mkdir', 'mkdir -p', 'rmdir', 'rm', 'rm -f', 'unlink', 'rm -rf', 'pushd', 'popd'), fc.constantFrom(...SH_PATHS)).map(([c, p]) => `${c} ${p}`),
      fc.tuple(fc.constantFrom('echo', 'echo -n', 'echo -e', "printf '%s\\n'", 'printf'), arbValue, fc.constantFrom(...SH_PATHS), fc.constantFrom('>', '>>', '| tee', '| sudo tee', '2>/dev/null >')).map(([c, v, p, r]) => `${c} ${v} ${r} ${p}/vendorid`),
      fc.tuple(fc.constantFrom(...SH_PATHS), fc.constantFrom(...SH_PATHS)).map(([a, b]) => `ln -s ${a} ${b}`),
      fc.tuple(fc.constantFrom('F', 'EPC', 'A', 'X', '1'), fc.constantFrom('x', '$A$A', '"${A}${A}"', '$(uname)', '`id`', '${X:-${Y:-z}}', '"$F/y"', "'q'", '', '$((1+1))', '${A:0:1}')).map(([n, v]) => `${n}=${v}`),
      fc.constantFrom('export F=functions/pci_epf_test/t', 'set -e', 'set -x foo', 'if [ -d x ]; then', 'fi', 'for f in a b; do', 'done', 'while true; do', 'f() {', '}', 'case $x in', 'a) ;;', 'esac', 'cat <<EOF', 'EOF', 'cat <<-"END"', '\tEND', 'true && false || :', 'a | b | c', '(cd x)', '{ echo 1; }', 'exit 1', 'sudo -s', 'mount -t configfs none /sys/kernel/config'),
      fc.constantFrom('# [functions/pci_epf_test/t]', '# [platform/a40000000.pcie-ep]', '# compatible = x', '# [host]', '# skipped: x', '#!/bin/sh', 'echo "unterminated', "echo 'unterminated", 'echo `x', 'echo $(x', 'echo ${x', 'echo a \\', '\\', '"', "'", ';', ';;', '&&', '|', '<<', '>', '$', '${', '${}', '${:-}'),
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
);

/** A configfs shell script: an exported corpus file with lines mutated, or lines from the sh vocabulary. */
export const arbShellScript: fc.Arbitrary<{ text: string }> = fc.oneof(
  fc.tuple(fc.nat(SCRIPT_CORPUS.length - 1), fc.array(fc.tuple(fc.nat(), fc.nat(3), arbShellLine), { maxLength: 10 })).map(([i, edits]) => {
    const lines = SCRIPT_CORPUS[i].split('\n');
    for (const [at, op, line] of edits) {
      const k = at % (lines.length + 1);
      if (op === 0) lines.splice(k, 1);
      else if (op === 1) lines.splice(k, 0, line);
      else if (op === 2) lines[Math.min(k, lines.length - 1)] = line;
      else lines.splice(k, 0, ...lines.slice(k, k + 3));
    }
    return printable({ text: lines.join('\n') }, { exportOf: CORPUS[i].name, edits: edits.map(([at, op, line]) => ({ at, op: ['delete', 'insert', 'replace', 'repeat3'][op], line })) });
  }),
  fc.tuple(fc.array(arbShellLine, { maxLength: 60 }), fc.constantFrom('\n', '\r\n')).map(([lines, eol]) => ({ text: lines.join(eol) })),
);

// ---------------------------------------------------------------------------------------------
// Metadata blobs

/** A valid producer blob (wr, rd channels) as pci_epf_dma writes it at bind. */
export function validBlob(wr: number, rd: number, layoutData = 1): Buffer {
  const ch = (i: number) => descChannel(i, 1, BigInt(i * 0x1000), 0x1000, 0x4_1000_0000n + BigInt(i * 0x1000));
  const m = producerMetadata({
    regBar: 4, regOffset: 0n, regSize: 0x2000, layoutData,
    wr: Array.from({ length: wr }, (_, i) => ch(i)), rd: Array.from({ length: rd }, (_, i) => ch(i)),
  });
  const r = encodeMetadata(m);
  if (!r.ok) throw new Error(r.reason);
  return r.bytes;
}

/** Every field name `patchField` knows, for channel entries of both tables up to index 9. */
export const ALL_FIELDS: readonly string[] = [
  ...FIELD_NAMES.header,
  ...['wr', 'rd'].flatMap((d) => [0, 1, 7, 8, 9].flatMap((i) => FIELD_NAMES.entry.map((f) => `${d}[${i}].${f}`))),
];

export const arbFieldValue: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(0n, 1n, 2n, 3n, 5n, 6n, 7n, 8n, 9n, 0x1bn, 0x1cn, 0x2bn, 0x2cn, 0x2dn, 0x2en, 0x30n, 0xffn, 0x100n, 0xffffn, 0x4d444550n, 0xffff_ffffn, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
);

/** A blob: a valid one with fields patched, or random bytes (sometimes with the magic in front). */
export const arbBlob: fc.Arbitrary<{ bytes: Buffer }> = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), fc.constantFrom(1, 5, 7), fc.array(fc.tuple(fc.constantFrom(...ALL_FIELDS), arbFieldValue), { maxLength: 6 }), fc.integer({ min: -64, max: 4096 }))
    .map(([wr, rd, ld, patches, extra]) => {
      const base = validBlob(Math.max(wr, rd === 0 ? 1 : 0), rd, ld);
      const buf = Buffer.alloc(Math.max(0, base.length + extra));
      base.copy(buf, 0, 0, Math.min(base.length, buf.length));
      for (const [name, value] of patches) patchField(buf, name, value);
      return printable({ bytes: buf }, { validBlob: { wr: Math.max(wr, rd === 0 ? 1 : 0), rd, layoutData: ld }, lengthDelta: extra, patches });
    }),
  fc.uint8Array({ maxLength: 1024 }).map((a) => ({ bytes: Buffer.from(a) })),
  fc.uint8Array({ maxLength: 1024 }).map((a) => ({ bytes: Buffer.concat([Buffer.from('PEDM', 'latin1'), Buffer.from(a)]) })),
);

