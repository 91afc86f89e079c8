/**
 * Fuzzing the PEDM metadata codec (what `pciep decode` and the emulated host run on bytes from a
 * BAR): random blobs, valid blobs with fields patched to anything, random BAR tables. Nothing
 * throws; the verdict is the one the spec's check order gives (metadata-oracle.ts); parse never
 * accepts what validation rejects; decode rows stay inside the buffer. Seeds: config.ts.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  decodeFields, decodeMetadata, parseMetadata, scanBars, validateMetadata, type ScanBar,
} from '../../server/src/emulator/metadata/codec';
import { arbBlob } from './arbitraries';
import { count, params, TIMEOUT_MS } from './config';
import { timed } from './invariants';
import { expectedValidation } from './metadata-oracle';

const ERRNOS = ['ENODEV', 'EINVAL', 'EOPNOTSUPP'];

const arbBarLen = fc.oneof(
  fc.constant(-1), fc.constant(0), fc.constant(0x1b), fc.constant(0x1c), fc.nat(4096), fc.constant(2 ** 32), fc.constant(Number.MAX_SAFE_INTEGER),
  fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY),
);
const arbBarLens = fc.array(fc.option(fc.oneof(fc.constant(0), fc.nat(1 << 24), fc.constant(2 ** 40)), { nil: undefined }), { minLength: 0, maxLength: 8 });
const arbOffset = fc.oneof(fc.nat(64), fc.constant(-1), fc.constant(1.5), fc.constant(Number.NaN), fc.constant(2 ** 40), fc.constant(Number.MAX_SAFE_INTEGER));

describe('fuzz: PEDM metadata codec (decode, validate, parse, BAR scan)', function () {
  this.timeout(TIMEOUT_MS);

  it('validate gives the seed-series 6.5 first-failure errno and field; parse agrees; decode never throws', () => {
    fc.assert(
      fc.property(arbBlob, arbBarLen, arbBarLens, arbOffset, fc.constantFrom('v4' as const, 'v1v2' as const), ({ bytes }, barLenRaw, barLens, offset, revision) => {
        count('metadata blobs');
        const barLen = Number.isFinite(barLenRaw) ? barLenRaw : bytes.length;
        const v = timed('validateMetadata', bytes, () => validateMetadata(bytes, barLen, { revision }));
        const want = expectedValidation(bytes, barLen, revision);
        assert.equal(v.ok, want.ok, `validate ok=${v.ok}, spec order says ok=${want.ok} (${want.errno} ${want.field})`);
        if (!v.ok) {
          assert.equal(v.errno, want.errno, `errno: codec ${v.errno} (${v.field}: ${v.reason}), spec order ${want.errno} (${want.field})`);
          assert.equal(v.field, want.field, `field: codec ${v.field}, spec order ${want.field}`);
          assert.ok(v.log.length > 0 && v.reason.length > 0);
        }
        const p = timed('parseMetadata', bytes, () => parseMetadata(bytes, barLen, barLens, { revision }));
        if (!v.ok) assert.deepEqual(p, v, 'parse reports validation failures as they are');
        else if (!p.ok) assert.ok(['EINVAL', 'EOPNOTSUPP'].includes(p.errno), `parse failure errno ${p.errno}`);
        else {
          assert.ok(p.parsed.wrCount <= 8 && p.parsed.rdCount <= 8 && p.parsed.irqs === p.parsed.wrCount + p.parsed.rdCount);
          for (const c of [...p.parsed.wr, ...p.parsed.rd]) assert.ok(c.desc.bar <= 5 && c.desc.size > 0);
        }
        const d = timed('decodeFields', bytes, () => decodeFields(bytes, offset));
        const base = Number.isInteger(offset) && offset >= 0 ? offset : 0;
        for (const r of d.rows) {
          assert.ok(r.offset >= 0 && r.size > 0, `row ${r.name} at ${r.offset}+${r.size}`);
          assert.ok(base + r.offset + r.size <= bytes.length, `row ${r.name} ends past the buffer`);
          assert.ok(Number.isInteger(r.value) && r.value >= 0 && r.value <= 0xffffffff, `row ${r.name} value ${r.value}`);
        }
        assert.ok(d.rows.length <= bytes.length / 4 + 2, `at most one row per word (${d.rows.length} rows, ${bytes.length} bytes)`);
        timed('decodeMetadata', bytes, () => decodeMetadata(bytes, offset));
      }),
      params('metadataBlobs', 500, 50000),
    );
  });

  it('BAR scan over random BAR tables: ENODEV moves on, any other errno stops at that BAR, never throws', () => {
    const arbBar: fc.Arbitrary<ScanBar> = fc.record({
      index: fc.integer({ min: -2, max: 8 }), memory: fc.boolean(), assigned: fc.boolean(),
      bytes: arbBlob.map((b) => b.bytes), len: fc.oneof(fc.nat(4096), fc.constant(0x1b), fc.constant(0x1c)),
    });
    fc.assert(
      fc.property(fc.array(arbBar, { maxLength: 8 }), (bars) => {
        count('BAR tables scanned');
        const r = scanBars(bars);
        const usable = [...bars].filter((b) => b.index >= 0 && b.index <= 5).sort((a, b) => a.index - b.index);
        // The reference scan: the first memory, assigned BAR of ≥ 0x1C bytes whose verdict is not ENODEV decides.
        let decided: { bar: number; ok: boolean; errno?: string } | undefined;
        for (const b of usable) {
          if (!b.memory || !b.assigned || b.len < 0x1c) continue;
          const v = expectedValidation(b.bytes, b.len);
          if (v.ok || v.errno !== 'ENODEV') {
            decided = { bar: b.index, ok: v.ok, errno: v.errno };
            break;
          }
        }
        if (!decided) {
          assert.ok(!r.ok && r.errno === 'ENODEV' && r.bar === null, JSON.stringify(r));
        } else {
          assert.equal(r.bar, decided.bar);
          assert.equal(r.ok, decided.ok);
          if (!r.ok) assert.equal(r.errno, decided.errno);
        }
        if (!r.ok) assert.ok(ERRNOS.includes(r.errno));
        assert.ok(r.steps.length <= usable.length && r.steps.every((st) => st.bar >= 0 && st.bar <= 5), 'one step per BAR 0-5 looked at');
        if (decided) assert.equal(r.steps[r.steps.length - 1].bar, decided.bar, 'the scan stops at the deciding BAR');
      }),
      params('metadataFields', 500, 50000),
    );
  });
});
