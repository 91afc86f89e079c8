import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  explainParse,
  formatShow,
  isOctalSurprise,
  isSurprisingBoolAccept,
  kstrtobool,
  parseInt,
  type IntParseResult,
} from '../../server/src/language/kstrto';
import type { IntType } from '../../server/src/language/schema/types';

/** `echo VALUE > attr` writes the value and one newline; most cases use that exact form. */
const echo = (v: string): string => `${v}\n`;

interface IntCase {
  name: string;
  type: IntType;
  text: string;
  expect: { value: bigint; radix: 8 | 10 | 16 } | 'EINVAL' | 'ERANGE';
}

const INT_CASES: IntCase[] = [
  { name: 'kernel-background A.2: base 0 — plain decimal', type: 'u8', text: echo('32'), expect: { value: 32n, radix: 10 } },
  { name: 'kernel-background A.2: base 0 — 0x prefix is hex', type: 'u16', text: echo('0x104c'), expect: { value: 0x104cn, radix: 16 } },
  { name: 'kernel-background A.2: base 0 — 0X prefix (upper case) is hex', type: 'u16', text: echo('0XB500'), expect: { value: 0xb500n, radix: 16 } },
  { name: 'kernel-background A.2: base 0 — 010 is octal 8', type: 'u8', text: echo('010'), expect: { value: 8n, radix: 8 } },
  { name: 'kernel-background A.2: base 0 — a lone 0 is zero (octal radix)', type: 'u8', text: echo('0'), expect: { value: 0n, radix: 8 } },
  { name: 'kernel-background A.2: base 0 — 08 stops at 8, rest is not end → EINVAL', type: 'u8', text: echo('08'), expect: 'EINVAL' },
  { name: 'kernel-background A.2: base 0 — 0x with no hex digit → EINVAL', type: 'u16', text: echo('0x'), expect: 'EINVAL' },
  { name: 'kernel-background A.2: base 0 — 0xg → EINVAL', type: 'u16', text: echo('0xg'), expect: 'EINVAL' },
  { name: 'kernel-background F.2: leading + accepted', type: 'u8', text: echo('+5'), expect: { value: 5n, radix: 10 } },
  { name: 'kernel-background F.2: + then hex', type: 'u32', text: echo('+0x10'), expect: { value: 16n, radix: 16 } },
  { name: 'kernel-background F.2: two + signs → EINVAL', type: 'u8', text: echo('++5'), expect: 'EINVAL' },
  { name: 'kernel-background F.2: - rejected for unsigned u16', type: 'u16', text: echo('-1'), expect: 'EINVAL' },
  { name: 'kernel-background F.2: - rejected for unsigned u64', type: 'u64', text: echo('-1'), expect: 'EINVAL' },
  { name: 'kernel-background B.3: s32 -1 accepted (NO_BAR)', type: 's32', text: echo('-1'), expect: { value: -1n, radix: 10 } },
  { name: 'kernel-background B.3: s32 accepts +3', type: 's32', text: echo('+3'), expect: { value: 3n, radix: 10 } },
  { name: 'kernel-background B.3: s32 -0x1 is hex after the sign', type: 's32', text: echo('-0x1'), expect: { value: -1n, radix: 16 } },
  { name: 'kernel-background B.3: s32 two signs → EINVAL', type: 's32', text: echo('--1'), expect: 'EINVAL' },
  { name: 'kernel-background A.2: trailing newline accepted', type: 'u8', text: '7\n', expect: { value: 7n, radix: 10 } },
  { name: 'kernel-background A.2: no newline also accepted', type: 'u8', text: '7', expect: { value: 7n, radix: 10 } },
  { name: 'kernel-background A.2: two newlines → EINVAL', type: 'u8', text: '7\n\n', expect: 'EINVAL' },
  { name: 'kernel-background F.2: leading space → EINVAL', type: 'u8', text: echo(' 7'), expect: 'EINVAL' },
  { name: 'kernel-background F.2: trailing space → EINVAL', type: 'u8', text: echo('7 '), expect: 'EINVAL' },
  { name: 'kernel-background F.2: empty echo → EINVAL', type: 'u8', text: echo(''), expect: 'EINVAL' },
  { name: 'kernel-background F.2: empty bytes → EINVAL', type: 'u32', text: '', expect: 'EINVAL' },
  { name: 'kernel-background F.2: hex letters need 0x → EINVAL', type: 'u16', text: echo('1f'), expect: 'EINVAL' },
  { name: 'kernel-background F.2: size suffixes are not accepted → EINVAL', type: 'u64', text: echo('64K'), expect: 'EINVAL' },
  { name: 'kernel-background A.2: u8 255 fits', type: 'u8', text: echo('255'), expect: { value: 255n, radix: 10 } },
  { name: 'kernel-background A.2: u8 256 → ERANGE', type: 'u8', text: echo('256'), expect: 'ERANGE' },
  { name: 'kernel-background A.2: u8 0x100 → ERANGE', type: 'u8', text: echo('0x100'), expect: 'ERANGE' },
  { name: 'kernel-background A.2: u16 65535 fits', type: 'u16', text: echo('0xffff'), expect: { value: 0xffffn, radix: 16 } },
  { name: 'kernel-background A.2: u16 65536 → ERANGE', type: 'u16', text: echo('65536'), expect: 'ERANGE' },
  { name: 'kernel-background B.1: u32 4294967296 → ERANGE', type: 'u32', text: echo('4294967296'), expect: 'ERANGE' },
  {
    name: 'kernel-background B.2: u64 max fits',
    type: 'u64',
    text: echo('18446744073709551615'),
    expect: { value: 18446744073709551615n, radix: 10 },
  },
  { name: 'kernel-background B.2: u64 18446744073709551616 → ERANGE', type: 'u64', text: echo('18446744073709551616'), expect: 'ERANGE' },
  { name: 'kernel-background B.2: u64 0x1_0000_0000_0000_0000 → ERANGE', type: 'u64', text: echo('0x10000000000000000'), expect: 'ERANGE' },
  { name: 'kernel-background F.2: overflow wins over trailing junk (ERANGE)', type: 'u64', text: echo('99999999999999999999zz'), expect: 'ERANGE' },
  { name: 'kernel-background B.3: s32 2147483647 fits', type: 's32', text: echo('2147483647'), expect: { value: 2147483647n, radix: 10 } },
  { name: 'kernel-background B.3: s32 2147483648 → ERANGE', type: 's32', text: echo('2147483648'), expect: 'ERANGE' },
  { name: 'kernel-background B.3: s32 -2147483648 ok', type: 's32', text: echo('-2147483648'), expect: { value: -2147483648n, radix: 10 } },
  { name: 'kernel-background B.3: s32 -2147483649 → ERANGE', type: 's32', text: echo('-2147483649'), expect: 'ERANGE' },
  {
    name: 'kernel-background F.2: s64 minimum ok',
    type: 's64',
    text: echo('-9223372036854775808'),
    expect: { value: -9223372036854775808n, radix: 10 },
  },
  { name: 'kernel-background F.2: s64 below minimum → ERANGE', type: 's64', text: echo('-9223372036854775809'), expect: 'ERANGE' },
  { name: 'kernel-background F.2: s64 above maximum → ERANGE', type: 's64', text: echo('9223372036854775808'), expect: 'ERANGE' },
  { name: 'kernel-background F.2: bytes after a NUL are never seen', type: 'u8', text: '5\0junk', expect: { value: 5n, radix: 10 } },
];

function summary(r: IntParseResult): unknown {
  return r.ok ? { value: r.value, radix: r.radix } : r.errno;
}

describe('kstrto: integer parsers, base 0, on echo bytes', () => {
  for (const c of INT_CASES) {
    it(`${c.name} [${c.type} ${JSON.stringify(c.text)}]`, () => {
      const r = parseInt(c.type, c.text);
      assert.deepEqual(summary(r), c.expect);
      if (!r.ok) assert.ok(r.reason.length > 0, 'a failure names its reason');
    });
  }

  it('kernel-background A.2: the 08 failure explains the octal rule', () => {
    const r = parseInt('u8', echo('08'));
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, /octal/);
  });
});

interface BoolCase {
  name: string;
  text: string;
  expect: boolean | 'EINVAL';
  surprising?: boolean;
}

const BOOL_CASES: BoolCase[] = [
  { name: 'kernel-background A.3: 1 is true', text: echo('1'), expect: true },
  { name: 'kernel-background A.3: 0 is false', text: echo('0'), expect: false },
  { name: 'kernel-background A.3: y / Y true', text: echo('Y'), expect: true },
  { name: 'kernel-background A.3: n / N false', text: echo('n'), expect: false },
  { name: 'kernel-background A.3: true', text: echo('true'), expect: true },
  { name: 'kernel-background A.3: False', text: echo('False'), expect: false },
  { name: 'kernel-background A.3: on', text: echo('on'), expect: true },
  { name: 'kernel-background A.3: OFF', text: echo('OFF'), expect: false },
  { name: 'kernel-background A.3: yes (first char only)', text: echo('yes'), expect: true },
  { name: 'kernel-background A.3: 1abc accepted (surprising)', text: echo('1abc'), expect: true, surprising: true },
  { name: 'kernel-background A.3: "true story" accepted (surprising)', text: echo('true story'), expect: true, surprising: true },
  { name: 'kernel-background A.3: 10 is true by its first char (surprising)', text: echo('10'), expect: true, surprising: true },
  { name: 'kernel-background A.3: offline is off (surprising)', text: echo('offline'), expect: false, surprising: true },
  { name: 'kernel-background A.3: lone o → EINVAL', text: echo('o'), expect: 'EINVAL' },
  { name: 'kernel-background A.3: ox → EINVAL', text: echo('ox'), expect: 'EINVAL' },
  { name: 'kernel-background A.3: 2 → EINVAL', text: echo('2'), expect: 'EINVAL' },
  { name: 'kernel-background A.3: leading space → EINVAL', text: echo(' 1'), expect: 'EINVAL' },
  { name: 'kernel-background A.3: empty → EINVAL', text: echo(''), expect: 'EINVAL' },
  { name: 'kernel-background A.3: no bytes → EINVAL', text: '', expect: 'EINVAL' },
];

describe('kstrto: u64 values on both sides of 2^53 (the parser switches from double to bigint there)', () => {
  // Reference: JavaScript's own BigInt() reading the same digits in the same radix, which shares
  // no code with kstrto.ts. kernel-background A.2 / B.2: base 0, u64 range, ERANGE above it.
  const U64_MAX = (1n << 64n) - 1n;
  // A lone '0' is read as octal (the radix the kernel reports for it); '0x0' stays hex.
  const spell = (v: bigint, radix: 8 | 10 | 16): string => (radix === 16 ? `0x${v.toString(16)}` : radix === 8 ? `0${v.toString(8)}` : v.toString(10));
  const near = [0n, 1n, (1n << 53n) - 2n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, U64_MAX - 1n, U64_MAX, U64_MAX + 1n, 1n << 80n];
  it('kernel-background A.2, B.2: every value and radix parses to exactly BigInt(text), or ERANGE above u64', () => {
    fc.assert(fc.property(
      fc.oneof(fc.bigInt({ min: 1n, max: 1n << 70n }), fc.constantFrom(...near), fc.bigInt({ min: (1n << 52n), max: (1n << 54n) })),
      fc.constantFrom(8 as const, 10 as const, 16 as const),
      (v, radix) => {
        const text = spell(v, radix);
        const r = parseInt('u64', echo(text));
        if (v > U64_MAX) return assert.deepEqual(r.ok ? r.value : r.errno, 'ERANGE');
        const expected = radix === 8 ? BigInt(`0o${text.slice(1)}`) : BigInt(text);
        assert.deepEqual(r.ok ? { value: r.value, radix: r.radix } : r.errno, { value: expected, radix: v === 0n && radix === 10 ? 8 : radix });
      },
    ), { seed: 0x5eed0201, numRuns: 2000 });
  });
});

describe('kstrto: kstrtobool (controller start)', () => {
  for (const c of BOOL_CASES) {
    it(`${c.name} [${JSON.stringify(c.text)}]`, () => {
      const r = kstrtobool(c.text);
      assert.deepEqual(r.ok ? r.value : r.errno, c.expect);
      assert.equal(isSurprisingBoolAccept(c.text), c.surprising ?? false);
    });
  }
});

describe('kstrto: show formats', () => {
  const cases: { name: string; fmt: string; value: bigint | boolean; out: string }[] = [
    { name: 'kernel-background A.2: revid 1 shows 0x%04x = 0x0001 (4 digits for u8)', fmt: '0x%04x', value: 1n, out: '0x0001' },
    { name: 'kernel-background A.2: vendorid 0x104c', fmt: '0x%04x', value: 0x104cn, out: '0x104c' },
    { name: 'kernel-background A.2: default vendorid 0xffff', fmt: '0x%04x', value: 0xffffn, out: '0xffff' },
    { name: 'kernel-background A.2: msi_interrupts %d', fmt: '%d', value: 32n, out: '32' },
    { name: 'kernel-background B.3: vNTB ctrl_bar -1 with %d', fmt: '%d', value: -1n, out: '-1' },
    { name: 'kernel-background B.2: u32 0xffffffff with %d reads back as -1', fmt: '%d', value: 0xffffffffn, out: '-1' },
    { name: 'kernel-background B.2: mwN %lld', fmt: '%lld', value: 0x100000n, out: '1048576' },
    { name: 'kernel-background B.2: u64 above 2^63 with %lld is negative', fmt: '%lld', value: 1n << 63n, out: '-9223372036854775808' },
    { name: 'kernel-background F.4: %llu', fmt: '%llu', value: (1n << 64n) - 1n, out: '18446744073709551615' },
    { name: 'kernel-background B.1: barN_size %zu', fmt: '%zu', value: 131072n, out: '131072' },
    { name: 'kernel-background F.4: %u', fmt: '%u', value: 7n, out: '7' },
    { name: 'kernel-background F.4: %x', fmt: '%x', value: 255n, out: 'ff' },
    { name: 'kernel-background A.3: start %d of true', fmt: '%d', value: true, out: '1' },
    { name: 'kernel-background A.3: start %d of false', fmt: '%d', value: false, out: '0' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(formatShow(c.fmt, c.value), c.out));
  }
});

describe('kstrto: explanations for hovers', () => {
  it('kernel-background A.2: octal surprise sentence', () => {
    assert.equal(explainParse('u8', echo('010')), 'kstrtou8 base 0: leading 0 means octal, so 010 is stored as 8 (0x0008)');
  });
  it('kernel-background A.2: hex sentence names the prefix', () => {
    assert.match(explainParse('u16', echo('0x104c')), /hexadecimal.*4172 \(0x104c\)/);
  });
  it('kernel-background A.2: failures name the errno', () => {
    assert.match(explainParse('u8', echo('256')), /ERANGE/);
    assert.match(explainParse('u8', echo('08')), /EINVAL/);
  });
  it('kernel-background A.3: surprising bool accept is explained', () => {
    assert.match(explainParse('bool', echo('1abc')), /first character.*ignored/);
  });
  it('kernel-background F.2: octal surprise detection', () => {
    assert.equal(isOctalSurprise(echo('010')), true);
    assert.equal(isOctalSurprise(echo('07')), false);
    assert.equal(isOctalSurprise(echo('0')), false);
    assert.equal(isOctalSurprise(echo('10')), false);
    assert.equal(isOctalSurprise(echo('-010')), true);
  });
});
