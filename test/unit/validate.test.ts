/**
 * Validation rules, one case per kernel rule, each naming the reference section it pins.
 * Cases are data: a document, and the diagnostics expected at given (1-based) lines.
 */
import { strict as assert } from 'node:assert';
import { analyze } from '../../server/src/language/validate';

interface Expect {
  line: number;
  code: string;
  errno?: string;
  severity?: 'error' | 'warning' | 'info';
  /** Text the message must contain. */
  says?: string;
  /** 1-based line of a related location the diagnostic must point at. */
  related?: number;
}

interface Case {
  name: string;
  text: string;
  expect: Expect[];
  /** When set, no other error may appear. */
  only?: boolean;
}

const RK = '[platform/a40000000.pcie-ep]\ncompatible = rockchip,rk3588-pcie-ep\n';
const RCAR = '[platform/e65d0000.pcie-ep]\ncompatible = renesas,r8a779f0-pcie-ep\n';
const GEN = '[platform/dw-ep]\ncompatible = snps,dw-pcie-ep\n';
const DMA = (extra = '') => `${RK}[functions/pci_epf_dma/dma0]\nmsi_interrupts = 8\npci_epf_dma.0/wr_chans = 2\npci_epf_dma.0/rd_chans = 2\n${extra}`;

const CASES: Case[] = [
  // ---- configfs paths and attributes (kernel-background A.1, A.2) ----
  { name: 'A.1: an unknown function driver is ENOENT with a suggestion', text: `${RK}[functions/pci_epf_dmaa/d]\n`, expect: [{ line: 3, code: 'no-such-directory', errno: 'ENOENT', says: "did you mean 'pci_epf_dma'" }] },
  { name: 'A.1: an unknown attribute cannot be created (EACCES) and gets a did-you-mean', text: `${RK}[functions/pci_epf_test/t]\nvendor_id = 1\n`, expect: [{ line: 4, code: 'unknown-attribute', errno: 'EACCES', says: "did you mean 'vendorid'" }] },
  { name: 'A.1: a driver-group attribute written in the function directory points at the group', text: `${RK}[functions/pci_epf_dma/d]\nwr_chans = 2\n`, expect: [{ line: 4, code: 'unknown-attribute', errno: 'EACCES', says: 'pci_epf_dma.0/wr_chans' }] },
  { name: 'A.1: the driver group is named after the global device index across drivers', text: `${RK}[functions/pci_epf_test/t]\n[functions/pci_epf_dma/d]\npci_epf_dma.0/wr_chans = 2\npci_epf_dma.1/rd_chans = 2\n`, expect: [{ line: 5, code: 'no-such-directory', errno: 'ENOENT', says: 'pci_epf_dma.1' }], only: true },
  { name: 'A.1: the device index is reused after rmdir', text: `${RK}[functions/pci_epf_test/t]\nrmdir\n[functions/pci_epf_dma/d]\npci_epf_dma.0/wr_chans = 2\n`, expect: [], only: true },
  { name: 'A.1: controllers must exist (described by a platform section)', text: `${RK}[controllers/a40000000.pcie-epx]\nstart = 1\n`, expect: [{ line: 3, code: 'no-such-directory', errno: 'ENOENT', says: "did you mean 'a40000000.pcie-ep'" }] },
  { name: 'A.2: header values parse with base 0 and fail with EINVAL on junk', text: `${RK}[functions/pci_epf_test/t]\nvendorid = 0x1g\n`, expect: [{ line: 4, code: 'write-failed', errno: 'EINVAL' }] },
  { name: 'A.2: header overflow is EINVAL too (configfs turns every parse failure into EINVAL)', text: `${RK}[functions/pci_epf_test/t]\nrevid = 256\n`, expect: [{ line: 4, code: 'write-failed', errno: 'EINVAL' }] },
  { name: 'A.2/F.2: a leading 0 is octal (010 = 8), a warning', text: `${RK}[functions/pci_epf_test/t]\ndeviceid = 010\n`, expect: [{ line: 4, code: 'octal-value', severity: 'warning', says: 'stored as 8' }] },
  { name: 'A.2: interrupt_pin beyond INTD is stored but meaningless', text: `${RK}[functions/pci_epf_test/t]\ninterrupt_pin = 7\n`, expect: [{ line: 4, code: 'interrupt-pin-range', severity: 'warning' }] },
  { name: 'A.3: start parses with kstrtobool; junk is EINVAL', text: `${RK}[controllers/a40000000.pcie-ep]\nstart = maybe\n`, expect: [{ line: 4, code: 'write-failed', errno: 'EINVAL' }] },
  { name: 'A.3: kstrtobool reads only the first characters', text: `${RK}[controllers/a40000000.pcie-ep]\nstart = 1abc\n`, expect: [{ line: 4, code: 'bool-value', severity: 'warning' }] },
  // ---- driver-group stores (seed-series 6.1, kernel-background B.2/B.3/B.1) ----
  { name: 'seed-series 6.1: wr_chans > 8 is EINVAL at write time', text: `${RK}[functions/pci_epf_dma/d]\npci_epf_dma.0/wr_chans = 9\n`, expect: [{ line: 4, code: 'write-failed', errno: 'EINVAL' }] },
  { name: 'seed-series 6.1: wr_chans overflowing u16 passes kstrtou16’s ERANGE through', text: `${RK}[functions/pci_epf_dma/d]\npci_epf_dma.0/wr_chans = 70000\n`, expect: [{ line: 4, code: 'write-failed', errno: 'ERANGE' }] },
  { name: 'seed-series 6.1: metadata_bar equal to dma_window_bar is EINVAL', text: `${RK}[functions/pci_epf_dma/d]\npci_epf_dma.0/dma_window_bar = 2\npci_epf_dma.0/metadata_bar = 2\n`, expect: [{ line: 5, code: 'write-failed', errno: 'EINVAL' }] },
  { name: 'seed-series 6.1: metadata_bar outside -1..5 is EINVAL', text: `${RK}[functions/pci_epf_dma/d]\npci_epf_dma.0/metadata_bar = 6\n`, expect: [{ line: 4, code: 'write-failed', errno: 'EINVAL' }] },
  { name: 'seed-series 6.1: pci_epf_dma attributes after bind are EOPNOTSUPP, pointing at the link', text: DMA('primary/ep -> controllers/a40000000.pcie-ep\npci_epf_dma.0/rd_chans = 0\n'), expect: [{ line: 8, code: 'write-failed', errno: 'EOPNOTSUPP', related: 7 }] },
  { name: 'B.2: pci_epf_ntb mwN before num_mws is EINVAL', text: `${RK}[functions/pci_epf_ntb/n]\npci_epf_ntb.0/mw1 = 0x100000\n`, expect: [{ line: 4, code: 'write-failed', errno: 'EINVAL', says: 'num_mws' }] },
  { name: 'B.3: pci_epf_vntb num_mws > 4 is EINVAL', text: `${RK}[functions/pci_epf_vntb/v]\npci_epf_vntb.0/num_mws = 5\n`, expect: [{ line: 4, code: 'write-failed', errno: 'EINVAL' }] },
  { name: 'B.3: vNTB mw2 after num_mws = 2 is accepted', text: `${RK}[functions/pci_epf_vntb/v]\npci_epf_vntb.0/num_mws = 2\npci_epf_vntb.0/mw2 = 0x100000\n`, expect: [], only: true },
  { name: 'B.1: pci_epf_test barN_size must be a power of two', text: `${RK}[functions/pci_epf_test/t]\npci_epf_test.0/bar0_size = 1000\n`, expect: [{ line: 4, code: 'write-failed', errno: 'EINVAL' }] },
  // ---- links (kernel-background A.4) ----
  { name: 'A.4/E13: a second function on a max-functions = 1 controller is EINVAL', text: DMA('primary/ep -> controllers/a40000000.pcie-ep\n[functions/pci_epf_test/t]\nprimary/ep -> controllers/a40000000.pcie-ep\n'), expect: [{ line: 9, code: 'max-functions', errno: 'EINVAL', says: 'max-functions', related: 7 }] },
  { name: 'A.4: max-functions = 2 lets a second function bind as function 1', text: `${RK}max-functions = 2\n[functions/pci_epf_test/t0]\nmsi_interrupts = 1\nmsix_interrupts = 1\nprimary/ep -> controllers/a40000000.pcie-ep\n[functions/pci_epf_test/t1]\nmsi_interrupts = 1\nmsix_interrupts = 1\nprimary/ep -> controllers/a40000000.pcie-ep\n`, expect: [], only: true },
  { name: 'A.4: linking the same interface twice is EBUSY', text: DMA('primary/ep -> controllers/a40000000.pcie-ep\n[controllers/a40000000.pcie-ep]\ndma0 -> functions/pci_epf_dma/dma0\n'), expect: [{ line: 9, code: 'link-failed', errno: 'EBUSY' }] },
  { name: 'A.4: a link to a missing function is ENOENT', text: `${RK}[controllers/a40000000.pcie-ep]\nf -> functions/pci_epf_test/nope\n`, expect: [{ line: 4, code: 'dangling-link', errno: 'ENOENT' }] },
  { name: 'A.4: a link name used twice is EEXIST', text: `${GEN}max-functions = 2\n[functions/pci_epf_test/a]\nmsi_interrupts = 1\nmsix_interrupts = 1\n[functions/pci_epf_test/b]\nmsi_interrupts = 1\nmsix_interrupts = 1\n[controllers/dw-ep]\nf -> functions/pci_epf_test/a\nf -> functions/pci_epf_test/b\n`, expect: [{ line: 12, code: 'duplicate-link', errno: 'EEXIST' }], only: true },
  { name: 'A.4: virtual functions are not supported on DWC (no max_vfs)', text: `${RK}[functions/pci_epf_test/vf]\n[functions/pci_epf_test/pf]\nmsi_interrupts = 1\nvf -> functions/pci_epf_test/vf\nprimary/ep -> controllers/a40000000.pcie-ep\n`, expect: [{ line: 7, code: 'bind-failed', errno: 'EINVAL', says: 'virtual-function', related: 6 }] },
  { name: 'A.4: a VF cannot be linked to a controller', text: `${RK}[functions/pci_epf_test/vf]\n[functions/pci_epf_test/pf]\nvf -> functions/pci_epf_test/vf\n[functions/pci_epf_test/vf]\nprimary/ep -> controllers/a40000000.pcie-ep\n`, expect: [{ line: 7, code: 'link-failed', errno: 'EINVAL' }] },
  { name: 'B.2: pci_epf_ntb linked on one interface only stays unbound', text: `${RK}[functions/pci_epf_ntb/n]\nprimary/ep -> controllers/a40000000.pcie-ep\n`, expect: [{ line: 4, code: 'ntb-needs-both-interfaces', severity: 'warning' }] },
  { name: 'A.4: symlinks are refused where configfs has no allow_link', text: `${RK}[functions]\nx -> controllers/a40000000.pcie-ep\n`, expect: [{ line: 4, code: 'link-not-allowed', errno: 'EPERM' }] },
  // ---- ordering (kernel-background A.3) ----
  { name: 'A.3: start before anything is linked is legal but flagged', text: `${RK}[controllers/a40000000.pcie-ep]\nstart = 1\n`, expect: [{ line: 4, code: 'start-before-link', severity: 'warning' }] },
  { name: 'A.3: a link after start is flagged', text: `${RK}[controllers/a40000000.pcie-ep]\nstart = 1\n${DMA('primary/ep -> controllers/a40000000.pcie-ep\n').slice(RK.length)}`, expect: [{ line: 9, code: 'link-after-start', severity: 'warning', related: 4 }] },
  { name: 'A.3: unlink while started triggers the kernel WARN', text: DMA('primary/ep -> controllers/a40000000.pcie-ep\n[controllers/a40000000.pcie-ep]\nstart = 1\n[functions/pci_epf_dma/dma0/primary]\nunlink ep\n'), expect: [{ line: 11, code: 'unlink-while-started', severity: 'warning', related: 9 }] },
  { name: 'A.1: rmdir of a function that still holds its primary link is ENOTEMPTY', text: DMA('primary/ep -> controllers/a40000000.pcie-ep\nrmdir\n'), expect: [{ line: 8, code: 'rmdir-failed', errno: 'ENOTEMPTY' }] },
  { name: 'A.1: full teardown in order succeeds', text: DMA('primary/ep -> controllers/a40000000.pcie-ep\n[controllers/a40000000.pcie-ep]\nstart = 1\nstart = 0\n[functions/pci_epf_dma/dma0]\nunlink primary/ep\nrmdir\n'), expect: [], only: true },
  { name: 'A.1: kernel-made directories cannot be removed (EPERM)', text: `${RK}[controllers/a40000000.pcie-ep]\nrmdir\n`, expect: [{ line: 4, code: 'rmdir-failed', errno: 'EPERM' }] },
  // ---- bind-time rules without emulation ----
  { name: 'A.4: pci_epf_test on an MSI-capable controller needs msi_interrupts 1..32 (epc_init fails, the link succeeds)', text: `${RK}[functions/pci_epf_test/t]\nmsi_interrupts = 64\nprimary/ep -> controllers/a40000000.pcie-ep\n`, expect: [{ line: 5, code: 'epc-init-failed', errno: 'EINVAL', related: 4 }] },
  { name: 'A.4: msix_interrupts above 2048 fails MSI-X setup', text: `${RK}[functions/pci_epf_test/t]\nmsi_interrupts = 4\nmsix_interrupts = 4096\nprimary/ep -> controllers/a40000000.pcie-ep\n`, expect: [{ line: 6, code: 'epc-init-failed', errno: 'EINVAL', says: 'MSI-X' }] },
  { name: 'A.4: a non-power-of-two MSI count is rounded up', text: `${RK}[functions/pci_epf_test/t]\nmsi_interrupts = 5\n`, expect: [{ line: 4, code: 'msi-rounding', severity: 'info', says: '8 vectors' }] },
  { name: 'seed-series 6.2: pci_epf_dma without any vectors fails bind with EINVAL', text: `${RK}[functions/pci_epf_dma/d]\npci_epf_dma.0/wr_chans = 2\nprimary/ep -> controllers/a40000000.pcie-ep\n`, expect: [{ line: 5, code: 'bind-failed', errno: 'EINVAL', says: 'vectors' }] },
  { name: 'seed-series 6.2: no channels requested is EINVAL', text: `${RK}[functions/pci_epf_dma/d]\nmsi_interrupts = 1\nprimary/ep -> controllers/a40000000.pcie-ep\n`, expect: [{ line: 5, code: 'bind-failed', errno: 'EINVAL', says: 'no DMA channels requested' }] },
  { name: 'seed-series 7 E27: a partial direction on eDMA unroll is EOPNOTSUPP at bind', text: `${RK}[functions/pci_epf_dma/d]\nmsi_interrupts = 1\npci_epf_dma.0/wr_chans = 1\nprimary/ep -> controllers/a40000000.pcie-ep\n`, expect: [{ line: 6, code: 'bind-failed', errno: 'EOPNOTSUPP', related: 5 }] },
  { name: 'seed-series 7 E27: the same partial request on HDMA native binds', text: '[platform/1c10000.pcie-ep]\ncompatible = qcom,sa8775p-pcie-ep\n[functions/pci_epf_dma/d]\nmsi_interrupts = 1\npci_epf_dma.0/wr_chans = 1\nprimary/ep -> controllers/1c10000.pcie-ep\n', expect: [] },
  { name: 'seed-series 7 E28: wr_chans above the controller count is EINVAL at bind although configfs took it', text: `${RK}[functions/pci_epf_dma/d]\nmsi_interrupts = 1\npci_epf_dma.0/wr_chans = 4\nprimary/ep -> controllers/a40000000.pcie-ep\n`, expect: [{ line: 6, code: 'bind-failed', errno: 'EINVAL', related: 5 }] },
  { name: 'seed-series 6.2/C.5: metadata_bar on the reserved RK3588 BAR4 warns at the write and fails bind', text: DMA('pci_epf_dma.0/metadata_bar = 4\nprimary/ep -> controllers/a40000000.pcie-ep\n'), expect: [{ line: 7, code: 'unusable-bar', severity: 'warning' }, { line: 8, code: 'bind-failed', errno: 'EINVAL' }] },
  { name: 'seed-series 6.2: legacy eDMA map is EOPNOTSUPP', text: DMA('primary/ep -> controllers/a40000000.pcie-ep\n').replace('compatible = rockchip,rk3588-pcie-ep\n', 'compatible = rockchip,rk3588-pcie-ep\nedma-map-format = legacy\n'), expect: [{ line: 8, code: 'bind-failed', errno: 'EOPNOTSUPP' }] },
  { name: 'seed-series 2.3: a controller without eDMA publishes no aux resources (ENODEV)', text: DMA('primary/ep -> controllers/a40000000.pcie-ep\n').replace('compatible = rockchip,rk3588-pcie-ep\n', 'compatible = rockchip,rk3588-pcie-ep\nedma = no\n'), expect: [{ line: 8, code: 'bind-failed', errno: 'ENODEV' }] },
  { name: 'seed-series 7 E1: a non-LL eDMA provider fails the aux query (EOPNOTSUPP)', text: DMA('primary/ep -> controllers/a40000000.pcie-ep\n').replace('compatible = rockchip,rk3588-pcie-ep\n', 'compatible = rockchip,rk3588-pcie-ep\nedma-ll-size = 0\n'), expect: [{ line: 8, code: 'bind-failed', errno: 'EOPNOTSUPP' }] },
  { name: 'seed-series 3/4.1: two functions delegating the same channels: the second gets EBUSY', text: `${RCAR}max-functions = 2\n[functions/pci_epf_dma/a]\nmsi_interrupts = 1\npci_epf_dma.0/wr_chans = 2\nprimary/ep -> controllers/e65d0000.pcie-ep\n[functions/pci_epf_dma/b]\nmsi_interrupts = 1\npci_epf_dma.1/wr_chans = 2\nprimary/ep -> controllers/e65d0000.pcie-ep\n`, expect: [{ line: 11, code: 'bind-failed', errno: 'EBUSY' }] },
  // ---- platform and host sections (DESIGN.md 2) ----
  { name: 'DESIGN 2: an unknown compatible is an error with a suggestion', text: '[platform/x]\ncompatible = rockchip,rk3588-pcie\n', expect: [{ line: 2, code: 'unknown-compatible', says: 'rockchip,rk3588-pcie-ep' }] },
  { name: 'DESIGN 2: an unknown platform key is an error', text: `${RK}max-function = 2\n`, expect: [{ line: 3, code: 'unknown-platform-key', says: 'max-functions' }] },
  { name: 'DESIGN 2: host transfer needs direction and size', text: '[host/transfer/t]\nchannel = 0\n', expect: [{ line: 1, code: 'missing-host-key' }] },
  { name: 'DESIGN 2: host sizes accept K/M/G suffixes; bad enum values are errors', text: '[host/transfer/t]\ndirection = rc-to-host\nsize = 64K\n', expect: [{ line: 2, code: 'bad-host-value', says: 'rc-to-ep' }] },
];

describe('validator rules', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { diagnostics } = analyze(c.text);
      const shown = diagnostics.map((d) => `${d.range.start.line + 1} ${d.severity} ${d.code} ${d.errno ?? ''} ${d.message}`).join('\n');
      for (const e of c.expect) {
        const hit = diagnostics.find((d) => d.range.start.line + 1 === e.line && d.code === e.code);
        assert.ok(hit, `expected ${e.code} at line ${e.line}; got:\n${shown}`);
        if (e.errno) assert.equal(hit.errno, e.errno, shown);
        if (e.severity) assert.equal(hit.severity, e.severity);
        if (e.says) assert.ok(hit.message.includes(e.says), `message should say '${e.says}': ${hit.message}`);
        if (e.related) assert.ok(hit.related?.some((r) => r.range.start.line + 1 === e.related), `related ${e.related}: ${JSON.stringify(hit.related)}`);
      }
      if (c.only) {
        const errors = diagnostics.filter((d) => d.severity === 'error' && !c.expect.some((e) => e.line === d.range.start.line + 1 && e.code === d.code));
        assert.deepEqual(errors.map((d) => `${d.range.start.line + 1} ${d.code}`), [], shown);
      }
    });
  }
});
