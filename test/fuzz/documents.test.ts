/**
 * Fuzzing `.pciep` documents through every feature (issue "Robustness and security"): mutated
 * examples, documents generated from the schema with extreme values, and invalid UTF-8 through the
 * CLI. Properties: no exception escapes, every call finishes within the linear time bound, every
 * answer is valid (see all-features.ts and invariants.ts). Seeds: config.ts / docs/robustness.md.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { runAllFeatures } from './all-features';
import { arbGeneratedDocument, arbInvalidUtf8, arbMutatedDocument, arbSkeletonDocument, CORPUS } from './arbitraries';
import { count, LONG, params, TIMEOUT_MS } from './config';
import { checkEmulateJson, timed } from './invariants';
import type { Io } from '../../server/src/cli/io';
import { runCheck } from '../../server/src/cli/check';
import { runEmulate } from '../../server/src/cli/emulate';
import { runScript } from '../../server/src/cli/script';
import { runImport } from '../../server/src/cli/import';
import { runDecode } from '../../server/src/cli/decode';

const arbPositions = fc.array(
  fc.oneof(
    { weight: 8, arbitrary: fc.record({ line: fc.nat(), character: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ line: fc.integer({ min: -3, max: 1_000_000 }), character: fc.integer({ min: -3, max: 1_000_000 }), raw: fc.constant(true) }) },
  ),
  { minLength: 1, maxLength: 4 },
);

const arbNewNames = fc.array(fc.constantFrom('renamed', 'dma1', '', 'a b', '../x', 'a/b', '💥', 'x'.repeat(300), 'pci_epf_dma.0', '.', '..'), { minLength: 1, maxLength: 2 });

describe('fuzz: .pciep documents through every feature', function () {
  this.timeout(TIMEOUT_MS);

  it('the corpus itself passes every invariant', () => {
    for (const c of CORPUS) {
      runAllFeatures(c.text, { positions: [{ line: 0, character: 0 }, { line: 7, character: 3 }, { line: 20, character: 12 }], fixAll: true });
      count('corpus documents');
    }
  });

  it('mutated examples (lines inserted/deleted/swapped, characters, values, NUL, BOM, CR/CRLF)', () => {
    fc.assert(
      fc.property(arbMutatedDocument(), arbPositions, arbNewNames, fc.boolean(), (doc, positions, newNames, withFixAll) => {
        count('mutated documents');
        runAllFeatures(doc.text, { positions, newNames, fixAll: LONG || withFixAll });
      }),
      params('mutatedDocuments', 80, 5000),
    );
  });

  it('bring-up skeletons with extreme values (platform overrides, driver attributes, host, transfers, faults)', () => {
    fc.assert(
      fc.property(arbSkeletonDocument, arbPositions, fc.boolean(), ({ text }, positions, withFixAll) => {
        count('bring-up skeleton documents');
        runAllFeatures(text, { positions, fixAll: LONG || withFixAll });
      }),
      params('skeletonDocuments', 80, 5000),
    );
  });

  it('documents generated from the schema (every section kind, attribute and key, extreme values)', () => {
    fc.assert(
      fc.property(arbGeneratedDocument(), arbPositions, fc.boolean(), (text, positions, withFixAll) => {
        count('generated documents');
        runAllFeatures(text, { positions, fixAll: LONG || withFixAll });
      }),
      params('generatedDocuments', 60, 5000),
    );
  });
});

/** An in-memory Io: the CLI reads `bytes` for every file and collects what it prints. */
function memoryIo(bytes: Buffer): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), readFile: () => bytes };
}

describe('fuzz: invalid UTF-8 through the CLI (check, emulate --json, script, import, decode)', function () {
  this.timeout(TIMEOUT_MS);

  it('every command ends with an exit status, never an exception; emulate --json stays schema 1', () => {
    fc.assert(
      fc.property(arbInvalidUtf8, ({ bytes }) => {
        count('invalid UTF-8 files');
        const text = bytes.toString('utf8');
        const lineCount = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/).length;
        for (const [name, run] of [
          ['check', (io: Io) => runCheck(['f.pciep'], false, io)],
          ['check --json', (io: Io) => runCheck(['f.pciep'], true, io)],
          ['emulate --json', (io: Io) => runEmulate('f.pciep', true, io)],
          ['script', (io: Io) => runScript('f.pciep', io)],
          ['import', (io: Io) => runImport('f.sh', io)],
          ['decode --json', (io: Io) => runDecode('f.bin', undefined, true, io)],
        ] as const) {
          const io = memoryIo(bytes);
          const code = timed(`CLI ${name}`, bytes, () => run(io));
          assert.ok([0, 1].includes(code), `${name}: exit ${code}; stderr: ${io.stderr.join('\n')}`);
          if (name === 'emulate --json') checkEmulateJson(io.stdout.join(''), lineCount);
          if (name.endsWith('--json')) JSON.parse(io.stdout.join(''));
        }
      }),
      params('invalidUtf8', 20, 1000),
    );
  });
});
