/**
 * BAR tables of the NTB, vNTB and MHI function models as every view shows them
 * (`functionBars`), each case named after the reference section it pins.
 */
import { strict as assert } from 'node:assert';
import { analyze, type Analysis } from '../../server/src/language/validate';
import { functionBars, type BarView } from '../../server/src/emulator/views/bars';
import type { EpfState, Interface } from '../../server/src/emulator/configfs/state';
import { programmedBar } from '../../server/src/emulator/epc/set-bar';
import { ntbPlans, NTB_CTRL_SIZE } from '../../server/src/emulator/epf/ntb';
import { MHI_MMIO_PHYS, MHI_MMIO_SIZE } from '../../server/src/emulator/epf/mhi';

const KiB = 1024;
const MiB = 1024 * KiB;

function fn(a: Analysis, path: string): EpfState {
  const epf = a.replay.state.functions.get(path);
  assert.ok(epf, `${path} exists`);
  return epf;
}

function bars(a: Analysis, path: string, iface: Interface = 'primary'): BarView[] {
  const epf = fn(a, path);
  const link = epf.links[iface];
  assert.ok(link, `${path} is linked on ${iface}`);
  return functionBars(epf, a.platform.controllers.get(link.epc)!.profile, iface);
}

/** BAR index → [role, size] of the BARs the function programmed. */
function used(b: BarView[]): Record<number, [string, number]> {
  const out: Record<number, [string, number]> = {};
  for (const v of b) if (v.size) out[v.bar] = [v.role ?? '', v.size];
  return out;
}

function errors(a: Analysis): string[] {
  return a.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line + 1} ${d.code} ${d.errno ?? ''} ${d.message}`);
}

function vntb(platform: string, epc: string, group: string, extra = ''): string {
  return `${platform}[functions/pci_epf_vntb/v]\nmsi_interrupts = 32\n${group}${extra}primary/ep -> controllers/${epc}\n`;
}

const GEN = '[platform/dfc00000.pcie-ep]\ncompatible = snps,dw-pcie-ep\n';
const HOWTO = 'pci_epf_vntb.0/db_count = 4\npci_epf_vntb.0/spad_count = 128\npci_epf_vntb.0/num_mws = 1\npci_epf_vntb.0/mw1 = 0x100000\n';

describe('pci_epf_vntb BARs (kernel-background B.3, C.2, C.4)', () => {
  it('B.2/B.3: the control block is 308 bytes (packed epf_ntb_ctrl field list)', () => {
    assert.equal(NTB_CTRL_SIZE, 4 + 4 + 2 + 2 + 4 + 8 + 8 + 4 + 4 + 4 + 4 + 4 + 32 * 4 + 32 * 4);
  });

  it('B.3: howto values on snps,dw-pcie-ep: CONFIG BAR0 = 512 + 1 KiB → 2 KiB, DB BAR1 128 B, MW1 BAR2 1 MiB', () => {
    const a = analyze(vntb(GEN, 'dfc00000.pcie-ep', HOWTO));
    assert.deepEqual(errors(a), []);
    const b = bars(a, 'functions/pci_epf_vntb/v');
    assert.deepEqual(used(b), { 0: ['NTB config', 2 * KiB], 1: ['NTB doorbells', 128], 2: ['NTB MW1', MiB] });
    // align 0: ctrl rounded to 512 (pow2), spads 2 × 128 × 4 = 1 KiB right after it.
    assert.deepEqual(b[0].regions.map((r) => [r.kind, r.offset, r.size]), [['ntb-ctrl', 0, 512], ['ntb-spad', 512, KiB]]);
    assert.equal(b[0].regions[1].phys, b[0].regions[0].phys! + 512n);
    assert.deepEqual(b[1].regions.map((r) => [r.kind, r.size]), [['ntb-doorbell', 128]]);
    assert.deepEqual(b[2].regions.map((r) => [r.kind, r.size]), [['ntb-mw', MiB]]);
    // epc_init ran at the link (core initialised at probe) and programmed all three BARs.
    const epc = a.replay.state.controllers.get('dfc00000.pcie-ep')!;
    for (const bar of [0, 1, 2]) assert.equal(programmedBar(epc.dwc, 0, bar)?.size, b[bar].size, `BAR${bar} programmed`);
    assert.equal(programmedBar(epc.dwc, 0, 0)?.phys, b[0].regions[0].phys);
  });

  it('B.3: explicit ctrl_bar 0 / db_bar 4 / mw1_bar 2 on R-Car S4 (align 1 MiB; doorbells fit the FIXED 256-byte BAR4)', () => {
    const platform = '[platform/e65d0000.pcie-ep]\ncompatible = renesas,r8a779f0-pcie-ep\n';
    const group = `${HOWTO}pci_epf_vntb.0/ctrl_bar = 0\npci_epf_vntb.0/db_bar = 4\npci_epf_vntb.0/mw1_bar = 2\n`;
    const a = analyze(vntb(platform, 'e65d0000.pcie-ep', group));
    assert.deepEqual(errors(a), []);
    const b = bars(a, 'functions/pci_epf_vntb/v');
    // ALIGN(308, 1 MiB) + ALIGN(1 KiB, 1 MiB) = 2 MiB; the FIXED BAR4 takes its 256 bytes (C.4).
    assert.deepEqual(used(b), { 0: ['NTB config', 2 * MiB], 2: ['NTB MW1', MiB], 4: ['NTB doorbells', 256] });
    assert.deepEqual(b[0].regions.map((r) => [r.kind, r.offset, r.size]), [['ntb-ctrl', 0, MiB], ['ntb-spad', MiB, MiB]]);
    assert.equal(b[4].type, 'fixed');
  });

  it('B.3: a config region larger than a FIXED BAR fails bind with EINVAL', () => {
    const platform = `${GEN}bar0 = fixed\nbar0-fixed-size = 1K\n`;
    const a = analyze(vntb(platform, 'dfc00000.pcie-ep', HOWTO));
    const hit = a.diagnostics.find((d) => d.code === 'bind-failed');
    assert.ok(hit, errors(a).join('\n'));
    assert.equal(hit.errno, 'EINVAL');
    assert.match(hit.message, /config region .* is larger than fixed BAR0/);
    assert.equal(fn(a, 'functions/pci_epf_vntb/v').bound, false);
    assert.equal(ntbPlans.get(fn(a, 'functions/pci_epf_vntb/v')), undefined);
  });

  it('B.3/C.2: auto assignment skips disabled BARs and takes FIXED ones as they come (i.MX8MP: BAR0, BAR2, BAR4)', () => {
    const platform = '[platform/33800000.pcie-ep]\ncompatible = fsl,imx8mp-pcie-ep\n';
    const group = 'pci_epf_vntb.0/db_count = 4\npci_epf_vntb.0/spad_count = 16\npci_epf_vntb.0/num_mws = 1\npci_epf_vntb.0/mw1 = 256\n';
    const a = analyze(vntb(platform, '33800000.pcie-ep', group));
    assert.deepEqual(errors(a), []);
    const b = bars(a, 'functions/pci_epf_vntb/v');
    // CONFIG: ALIGN(308, 64K) + ALIGN(128, 64K) = 128 KiB; DB 128 B; MW1 on the FIXED 256-byte BAR4.
    assert.deepEqual(used(b), { 0: ['NTB config', 128 * KiB], 2: ['NTB doorbells', 128], 4: ['NTB MW1', 256] });
    for (const bar of [1, 3, 5]) assert.equal(b[bar].type, 'disabled');
  });

  it('B.3/C.5: auto assignment skips the reserved RK3588 BAR4; num_mws 4 is silently reduced to 3', () => {
    const platform = '[platform/a40000000.pcie-ep]\ncompatible = rockchip,rk3588-pcie-ep\n';
    const group = 'pci_epf_vntb.0/db_count = 4\npci_epf_vntb.0/spad_count = 128\npci_epf_vntb.0/num_mws = 4\n' +
      'pci_epf_vntb.0/mw1 = 0x10000\npci_epf_vntb.0/mw2 = 0x200000\npci_epf_vntb.0/mw3 = 0x100000\npci_epf_vntb.0/mw4 = 0x100000\n';
    const a = analyze(vntb(platform, 'a40000000.pcie-ep', group));
    assert.deepEqual(errors(a), []);
    const epf = fn(a, 'functions/pci_epf_vntb/v');
    assert.equal(epf.bound, true, 'bind succeeds despite the missing BAR for MW4');
    const plan = ntbPlans.get(epf)!;
    assert.equal(plan.numMws, 3);
    assert.ok(plan.notes.some((n) => n.includes('MW4') && n.includes('reduced from 4 to 3')), plan.notes.join('; '));
    const b = bars(a, 'functions/pci_epf_vntb/v');
    // Resizable BARs: every region at least 1 MiB (C.4); MW1 asked 64 KiB and gets 1 MiB.
    assert.deepEqual(used(b), {
      0: ['NTB config', MiB], 1: ['NTB doorbells', MiB], 2: ['NTB MW1', MiB], 3: ['NTB MW2', 2 * MiB], 5: ['NTB MW3', MiB],
    });
    assert.equal(b[4].type, 'reserved');
    assert.equal(b[4].role, undefined);
  });

  it('B.3: with every BAR taken a mandatory region fails bind with EINVAL "Fail to get NTB function BAR"', () => {
    const platform = '[platform/33800000.pcie-ep]\ncompatible = fsl,imx8mp-pcie-ep\nbar2 = disabled\n';
    const a = analyze(vntb(platform, '33800000.pcie-ep', HOWTO));
    const hit = a.diagnostics.find((d) => d.code === 'bind-failed');
    assert.ok(hit, errors(a).join('\n'));
    assert.equal(hit.errno, 'EINVAL');
    assert.ok(hit.log?.some((l) => l.includes('Fail to get NTB function BAR')), JSON.stringify(hit.log));
  });

  it('B.3/C.4: a memory window larger than its FIXED BAR fails bind with ENOMEM', () => {
    const platform = '[platform/e65d0000.pcie-ep]\ncompatible = renesas,r8a779f0-pcie-ep\n';
    const a = analyze(vntb(platform, 'e65d0000.pcie-ep', `${HOWTO}pci_epf_vntb.0/mw1_bar = 4\n`));
    const hit = a.diagnostics.find((d) => d.code === 'bind-failed');
    assert.ok(hit, errors(a).join('\n'));
    assert.equal(hit.errno, 'ENOMEM');
    assert.ok(hit.log?.some((l) => l.includes('requested BAR size is larger than fixed size')));
  });

  it('B.3/E.2: a BAR that set_bar refuses at epc_init fails the function\'s epc_init (no free inbound window)', () => {
    const a = analyze(vntb(`${GEN}iatu-inbound = 2\n`, 'dfc00000.pcie-ep', HOWTO));
    const hit = a.diagnostics.find((d) => d.code === 'epc-init-failed');
    assert.ok(hit, errors(a).join('\n'));
    assert.equal(hit.errno, 'EINVAL');
    assert.ok(hit.log?.some((l) => l.includes('No free inbound window')), JSON.stringify(hit.log));
    const epc = a.replay.state.controllers.get('dfc00000.pcie-ep')!;
    assert.equal(epc.dwc.ibWindowsUsed, 0, 'the BARs set before the failure are cleared again');
  });

  it('B.3: db_count above 32 still fails bind', () => {
    const a = analyze(vntb(GEN, 'dfc00000.pcie-ep', 'pci_epf_vntb.0/db_count = 33\n'));
    const hit = a.diagnostics.find((d) => d.code === 'bind-failed');
    assert.ok(hit);
    assert.ok(hit.log?.some((l) => l.includes('DB count cannot be more than 32')));
  });

  it('B.3/C.3: unlink clears every programmed BAR', () => {
    const a = analyze(vntb(GEN, 'dfc00000.pcie-ep', HOWTO, '') + '[functions/pci_epf_vntb/v]\nunlink primary/ep\n');
    assert.deepEqual(errors(a), []);
    const epc = a.replay.state.controllers.get('dfc00000.pcie-ep')!;
    assert.equal(epc.dwc.bars.size, 0);
    assert.equal(epc.dwc.ibWindowsUsed, 0);
  });
});

describe('pci_epf_ntb BARs on two controllers (kernel-background B.2)', () => {
  const TWO = '[platform/ep-a]\ncompatible = snps,dw-pcie-ep\n[platform/ep-b]\ncompatible = rockchip,rk3588-pcie-ep\n' +
    '[functions/pci_epf_ntb/n]\npci_epf_ntb.0/num_mws = 2\npci_epf_ntb.0/mw1 = 0x100000\npci_epf_ntb.0/mw2 = 0x100000\n';

  it('B.2: one link leaves the function unbound and plans nothing', () => {
    const a = analyze(`${TWO}primary/a -> controllers/ep-a\n`);
    assert.equal(ntbPlans.get(fn(a, 'functions/pci_epf_ntb/n')), undefined);
  });

  it('B.2: primary and secondary each get CONFIG, PEER_SPAD, DB_MW1, MW2 on their own controller', () => {
    const a = analyze(`${TWO}primary/a -> controllers/ep-a\nsecondary/b -> controllers/ep-b\n`);
    assert.deepEqual(errors(a), []);
    const epf = fn(a, 'functions/pci_epf_ntb/n');
    assert.equal(epf.bound, true);
    // ep-a, align 0: CONFIG = 512 + 64 × 4 → 1 KiB; PEER_SPAD maps ep-b's 64 KiB-aligned spads;
    // DB_MW1 = 16-byte doorbells + 1 MiB MW1 → 2 MiB; MW2 1 MiB.
    const pa = bars(a, 'functions/pci_epf_ntb/n', 'primary');
    assert.deepEqual(used(pa), { 0: ['NTB config', KiB], 1: ['NTB peer scratchpads', 64 * KiB], 2: ['NTB doorbells+MW1', 2 * MiB], 3: ['NTB MW2', MiB] });
    assert.deepEqual(pa[2].regions.map((r) => [r.kind, r.offset, r.size]), [['ntb-doorbell', 0, 16], ['ntb-mw', 16, MiB]]);
    // ep-b, RK3588: resizable BARs, 1 MiB minimum.
    const sb = bars(a, 'functions/pci_epf_ntb/n', 'secondary');
    assert.deepEqual(used(sb), { 0: ['NTB config', MiB], 1: ['NTB peer scratchpads', MiB], 2: ['NTB doorbells+MW1', 2 * MiB], 3: ['NTB MW2', MiB] });
    // Each PEER_SPAD points at the other side's scratchpads.
    const spad = (b: BarView[]) => b[0].regions.find((r) => r.kind === 'ntb-spad')!.phys;
    assert.equal(pa[1].regions[0].phys, spad(sb));
    assert.equal(sb[1].regions[0].phys, spad(pa));
    // Both controllers are initialised at probe: both got their BARs programmed.
    for (const [name, b] of [['ep-a', pa], ['ep-b', sb]] as const) {
      const epc = a.replay.state.controllers.get(name)!;
      for (const bar of [0, 1, 2, 3]) assert.equal(programmedBar(epc.dwc, 0, bar)?.size, b[bar].size, `${name} BAR${bar}`);
    }
  });

  it('B.2: the default view (no interface) is the primary interface', () => {
    const a = analyze(`${TWO}primary/a -> controllers/ep-a\nsecondary/b -> controllers/ep-b\n`);
    const epf = fn(a, 'functions/pci_epf_ntb/n');
    assert.deepEqual(functionBars(epf, a.platform.controllers.get('ep-a')!.profile), bars(a, 'functions/pci_epf_ntb/n', 'primary'));
  });

  it('B.2: db_count above 32 fails bind when the second interface is linked', () => {
    const a = analyze(`${TWO}pci_epf_ntb.0/db_count = 40\nprimary/a -> controllers/ep-a\nsecondary/b -> controllers/ep-b\n`);
    const hit = a.diagnostics.find((d) => d.code === 'bind-failed');
    assert.ok(hit);
    assert.equal(hit.range.start.line + 1, 11);
  });

  it('B.2: unlinking one interface clears the BARs on both controllers', () => {
    const a = analyze(`${TWO}primary/a -> controllers/ep-a\nsecondary/b -> controllers/ep-b\nunlink secondary/b\n`);
    for (const name of ['ep-a', 'ep-b']) assert.equal(a.replay.state.controllers.get(name)!.dwc.bars.size, 0, name);
  });
});

describe('pci_epf_mhi BAR0 (kernel-background B.4)', () => {
  const SM8450 = '[platform/1c08000.pcie-ep]\ncompatible = qcom,sm8450-pcie-ep\n' +
    '[functions/pci_epf_mhi_sm8450/m]\nmsi_interrupts = 32\nprimary/ep -> controllers/1c08000.pcie-ep\n';

  it('B.4: BAR0 is a 32-bit window onto the MHI MMIO registers (qcom,sm8450-pcie-ep)', () => {
    const a = analyze(`${SM8450}[controllers/1c08000.pcie-ep]\nstart = 1\n`);
    assert.deepEqual(errors(a), []);
    const b = bars(a, 'functions/pci_epf_mhi_sm8450/m');
    assert.deepEqual(used(b), { 0: ['MHI MMIO', MHI_MMIO_SIZE] });
    assert.equal(b[0].is64, false);
    assert.deepEqual(b[0].regions.map((r) => [r.kind, r.offset, r.size, r.phys]), [['mhi-mmio', 0, MHI_MMIO_SIZE, MHI_MMIO_PHYS]]);
    // Qualcomm initialises the core at PERST# deassert: BAR0 is set once started (E.1, E.2).
    const p = programmedBar(a.replay.state.controllers.get('1c08000.pcie-ep')!.dwc, 0, 0);
    assert.equal(p?.phys, MHI_MMIO_PHYS);
    assert.equal(p?.is64, false);
  });

  it('B.4/E.1: before start (PERST#-driven init) BAR0 is planned but not programmed', () => {
    const a = analyze(SM8450);
    assert.equal(bars(a, 'functions/pci_epf_mhi_sm8450/m')[0].size, MHI_MMIO_SIZE);
    assert.equal(a.replay.state.controllers.get('1c08000.pcie-ep')!.dwc.bars.size, 0);
  });
});
