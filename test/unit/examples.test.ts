/**
 * The shipped examples (DESIGN.md section 4: "open an example from examples/ … errors appear at
 * the right line, with the kernel's errno").
 *
 * - `examples/*.pciep` are tutorials: they must replay without any error-severity diagnostic.
 * - `examples/broken/*.pciep` each show one class of mistake and carry a machine-readable contract
 *   in their leading comment block: one `# expect: LINE CODE [ERRNO]` line per expected error or
 *   warning (1-based line of the offending statement, diagnostic code, the kernel's errno when it
 *   has one). Every expectation must be met exactly, and no other error may appear.
 * - Cross-references between example files (`examples/broken/x.pciep`, `../y.pciep`) must resolve.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/language/validate';
import type { Diagnostic } from '../../server/src/language/diagnostics';

/** Tests run from out/test/unit; the examples stay in the source tree. */
const EXAMPLES = path.resolve(__dirname, '../../../examples');
const BROKEN = path.join(EXAMPLES, 'broken');
const REPO = path.dirname(EXAMPLES);

function pciepFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.pciep')).sort();
}

function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

function show(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `  ${d.range.start.line + 1} ${d.severity} ${d.code} ${d.errno ?? '-'} ${d.message}`).join('\n') || '  (none)';
}

interface Expectation {
  line: number;
  code: string;
  errno?: string;
  /** Line of the `# expect:` comment itself, for messages. */
  at: number;
}

const EXPECT_LINE = /^#\s*expect:\s*(\S.*?)\s*$/;
const EXPECT_BODY = /^(\d+)\s+([a-z0-9]+(?:-[a-z0-9]+)*)(?:\s+(E[A-Z0-9]+))?$/;

/**
 * The `# expect:` lines of the leading comment block (everything before the first line that is
 * neither blank nor a comment). A malformed expectation is an error of the file, not a skip.
 */
function expectations(text: string): Expectation[] {
  const out: Expectation[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line !== '' && !line.startsWith('#')) break;
    const m = EXPECT_LINE.exec(line);
    if (!m) continue;
    const body = EXPECT_BODY.exec(m[1]);
    assert.ok(body, `line ${i + 1}: malformed expectation '${line}' (want '# expect: LINE CODE [ERRNO]')`);
    out.push({ line: Number(body[1]), code: body[2], errno: body[3], at: i + 1 });
  }
  return out;
}

/**
 * What each broken example demonstrates, named after the reference rule it pins. Files not in
 * the table are still checked, under their file name.
 */
const RULES: Record<string, string> = {
  'unknown-attribute-typo.pciep': 'kernel-background A.1: a misspelt attribute cannot be created (EACCES), with a did-you-mean',
  'wr-chans-after-link.pciep': 'seed-series 6.1: pci_epf_dma attributes written after the link fail with EOPNOTSUPP',
  'wr-chans-nine.pciep': 'seed-series 6.1: wr_chans > 8 fails at write time with EINVAL',
  'metadata-equals-window-bar.pciep': 'seed-series 6.1: metadata_bar equal to dma_window_bar fails with EINVAL',
  'e27-partial-direction-unroll.pciep': 'seed-series 7 E27: a partial direction on eDMA unroll fails bind with EOPNOTSUPP',
  'e28-too-many-channels.pciep': 'seed-series 7 E28: wr_chans above the controller count fails bind with EINVAL',
  'second-function-max-functions.pciep': 'kernel-background A.4 / seed-series 7 E13: a second PF on max-functions = 1 is EINVAL',
  'metadata-bar-reserved.pciep': 'kernel-background C.5 / seed-series 6.2: metadata_bar on the reserved RK3588 BAR4 warns and fails bind with EINVAL',
  'test-msi-interrupts-zero.pciep': 'kernel-background A.4: pci_epf_test with msi_interrupts = 0 on an MSI-capable EPC fails epc_init with EINVAL',
  'vntb-mw1-before-num-mws.pciep': 'kernel-background B.3: vNTB mw1 before num_mws fails with EINVAL',
  'unlink-while-started.pciep': 'kernel-background A.3: unlinking while the controller is started is a WARN',
  'octal-value.pciep': 'kernel-background A.2 / F.2: a leading 0 is octal (010 = 8), a warning',
  'vf-on-dwc.pciep': 'kernel-background A.4: a virtual function on a DWC controller fails bind with EINVAL (no max_vfs)',
  'dangling-link.pciep': 'kernel-background A.4: a link to a missing function fails with ENOENT',
  'unknown-compatible.pciep': 'DESIGN.md 2: an unknown compatible is an error with a suggestion',
  'dma-no-interrupt-vectors.pciep': 'seed-series 6.2: pci_epf_dma without MSI/MSI-X vectors fails bind with EINVAL',
  'tegra194-edma-absent.pciep': 'seed-series 2.3: no detected eDMA means no aux DMA resources, bind fails with ENODEV',
  'tegra194-no-window-bar.pciep': 'seed-series 6.2 step 4: a needed DMA window with no free BAR fails bind with EOPNOTSUPP',
  'test-bar-size-after-link.pciep': 'kernel-background B.1 (patch): pci_epf_test barN_size after the link fails with EINVAL',
};

describe('examples/*.pciep (tutorials: no errors)', () => {
  const files = pciepFiles(EXAMPLES);

  it(`ships at least 5 examples (found ${files.length}: ${files.join(', ')})`, () => {
    assert.ok(files.length >= 5, `only ${files.length} examples in ${EXAMPLES}`);
    for (const required of ['rk3588-dma.pciep', 'rcar-s4-dma.pciep', 'tegra194-dma.pciep', 'imx8mp-test.pciep', 'dwc-vntb.pciep']) {
      assert.ok(files.includes(required), `missing examples/${required}`);
    }
  });

  for (const file of files) {
    it(`${file} replays without an error-severity diagnostic`, () => {
      const text = read(path.join(EXAMPLES, file));
      assert.deepEqual(expectations(text), [], `${file} has '# expect:' lines: broken examples belong in examples/broken/`);
      const { diagnostics } = analyze(text);
      const errors = diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map((d) => `${d.range.start.line + 1} ${d.code}`), [], `${file}:\n${show(diagnostics)}`);
    });
  }

  it('the DESIGN.md 2 example (rk3588-dma.pciep) binds pci_epf_dma and starts the controller', () => {
    const { replay } = analyze(read(path.join(EXAMPLES, 'rk3588-dma.pciep')));
    const epf = replay.state.functions.get('functions/pci_epf_dma/dma0');
    assert.ok(epf, 'functions/pci_epf_dma/dma0 is created');
    assert.equal(epf.bound, true, 'the link binds the function');
    assert.equal(epf.links.primary?.epc, 'a40000000.pcie-ep');
    assert.equal(replay.state.controllers.get('a40000000.pcie-ep')?.started, true);
    const link = replay.ops.find((o) => o.op === 'link');
    assert.equal(link?.result, 'ok');
  });
});

describe('examples/broken/*.pciep (one mistake each, at the right line with the kernel errno)', () => {
  const files = pciepFiles(BROKEN);

  it(`ships at least 10 broken examples (found ${files.length})`, () => {
    assert.ok(files.length >= 10, `only ${files.length} files in ${BROKEN}`);
  });

  for (const file of files) {
    it(`${RULES[file] ?? file} (${file})`, () => {
      const text = read(path.join(BROKEN, file));
      const expected = expectations(text);
      assert.ok(expected.length >= 1, `${file} has no '# expect: LINE CODE [ERRNO]' line in its leading comment block`);
      const lineCount = text.split(/\r\n|\n|\r/).length;
      const { diagnostics } = analyze(text);
      const shown = `${file}:\n${show(diagnostics)}`;
      const matched = new Set<Diagnostic>();
      for (const e of expected) {
        assert.ok(e.line >= 1 && e.line <= lineCount, `${file}:${e.at}: expected line ${e.line} is outside the file`);
        const hit = diagnostics.find((d) => d.range.start.line + 1 === e.line && d.code === e.code && !matched.has(d));
        assert.ok(hit, `${file}:${e.at}: expected ${e.code} at line ${e.line}; got:\n${shown}`);
        matched.add(hit);
        assert.ok(hit.severity === 'error' || hit.severity === 'warning', `${file}:${e.at}: ${e.code} is only ${hit.severity}; expectations are for errors and warnings`);
        // The errno is part of the contract both ways: given → must match; absent → the kernel has none.
        assert.equal(hit.errno, e.errno, `${file}:${e.at}: errno of ${e.code} at line ${e.line}\n${shown}`);
      }
      const unexpected = diagnostics.filter((d) => d.severity === 'error' && !matched.has(d));
      assert.deepEqual(unexpected.map((d) => `${d.range.start.line + 1} ${d.code} ${d.errno ?? ''}`.trim()), [], `${file}: unexpected errors\n${shown}`);
    });
  }

  it('kernel-background A.1: the typo example suggests the real attribute name', () => {
    const { diagnostics } = analyze(read(path.join(BROKEN, 'unknown-attribute-typo.pciep')));
    const d = diagnostics.find((x) => x.code === 'unknown-attribute');
    assert.ok(d?.message.includes("did you mean 'wr_chans'"), d?.message);
    assert.equal(d?.fix?.newText, 'pci_epf_dma.0/wr_chans');
  });

  it('seed-series 6.1: the EOPNOTSUPP after the link points back at the link', () => {
    const text = read(path.join(BROKEN, 'wr-chans-after-link.pciep'));
    const linkLine = text.split('\n').findIndex((l) => l.startsWith('primary/ep ->')) + 1;
    const d = analyze(text).diagnostics.find((x) => x.code === 'write-failed');
    assert.ok(d?.related?.some((r) => r.range.start.line + 1 === linkLine), JSON.stringify(d?.related));
  });
});

describe('cross-references between examples resolve', () => {
  const REF = /(?:\.\.\/|examples\/(?:broken\/)?)?[a-z0-9][a-z0-9-]*\.pciep/g;
  const all = [...pciepFiles(EXAMPLES).map((f) => path.join(EXAMPLES, f)), ...pciepFiles(BROKEN).map((f) => path.join(BROKEN, f))];
  for (const file of all) {
    it(path.relative(REPO, file), () => {
      const missing: string[] = [];
      for (const ref of read(file).match(REF) ?? []) {
        const target = ref.startsWith('examples/') ? path.join(REPO, ref) : path.resolve(path.dirname(file), ref);
        if (!fs.existsSync(target)) missing.push(ref);
      }
      assert.deepEqual(missing, [], `${path.relative(REPO, file)} mentions files that do not exist`);
    });
  }
});
