/**
 * Shared builders and accessors for the emulator acceptance tests (emulator.test.ts,
 * emulator-faults.test.ts, edge-cases.test.ts). Not a test file itself.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { emulate, type Emulation } from '../../server/src/emulator/emulate';
import type { EpfState } from '../../server/src/emulator/configfs/state';
import { dmaPlans, type DmaBindPlan } from '../../server/src/emulator/epf/dma';
import type { Probe } from '../../server/src/emulator/host/dw-edma-pcie';
import type { EpBus } from '../../server/src/emulator/system/ep-bus';
import type { DeviceRuntime } from '../../server/src/emulator/system/endpoint-system';
import type { TraceEvent } from '../../server/src/emulator/system/clock';
import { toEmulateJson } from '../../server/src/emulator/views/result';
import { findProfile, cloneProfile } from '../../server/src/language/profiles';
import { applyPlatformOverride } from '../../server/src/language/profiles/overrides';
import type { Profile } from '../../server/src/language/profiles/types';

/** Tests run from out/test/unit; examples and fixtures stay in the source tree. */
export const REPO = path.resolve(__dirname, '../../..');
export const EXAMPLES = path.join(REPO, 'examples');
export const FIXTURES = path.join(REPO, 'test/fixtures/emulator');

export const readFixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
export const readExample = (name: string): string => fs.readFileSync(path.join(EXAMPLES, name), 'utf8');

/** Controllers used by the tests: EPC name and compatible (kernel-background C.5). */
export const PLATFORMS = {
  rk3588: { epc: 'a40000000.pcie-ep', compatible: 'rockchip,rk3588-pcie-ep' },
  sa8775p: { epc: '1c00000.pcie-ep', compatible: 'qcom,sa8775p-pcie-ep' },
  rcar: { epc: 'e65d0000.pcie-ep', compatible: 'renesas,r8a779f0-pcie-ep' },
  generic: { epc: 'dfc00000.pcie-ep', compatible: 'snps,dw-pcie-ep' },
} as const;

export type PlatformName = keyof typeof PLATFORMS;

export interface DmaFile {
  platform?: PlatformName;
  /** `[platform/…]` override lines (`key = value`) and `kernel = v3`. */
  overrides?: string[];
  wr?: number;
  rd?: number;
  msi?: number;
  metadataBar?: number;
  windowBar?: number;
  /** Extra lines in the function section before the link. */
  fnExtra?: string[];
  /** Write `start = 1` (default true). */
  start?: boolean;
  /** Raw text after `start = 1` (teardown, a second bring-up…). */
  after?: string;
  /** `[host]` present (default true); a string replaces the `driver =` value. */
  host?: boolean | 'none';
  /** Raw `[host/transfer/…]` / `[host/fault/…]` sections. */
  hostSections?: string[];
}

/** One pci_epf_dma function on one controller, as the pci-dma-howto does it (seed-series 6.1). */
export function dmaFile(o: DmaFile = {}): string {
  const p = PLATFORMS[o.platform ?? 'rk3588'];
  const lines = [`[platform/${p.epc}]`, `compatible = ${p.compatible}`, ...(o.overrides ?? [])];
  lines.push('[functions/pci_epf_dma/dma0]', `msi_interrupts = ${o.msi ?? 4}`);
  lines.push(`pci_epf_dma.0/wr_chans = ${o.wr ?? 2}`, `pci_epf_dma.0/rd_chans = ${o.rd ?? 2}`);
  if (o.metadataBar !== undefined) lines.push(`pci_epf_dma.0/metadata_bar = ${o.metadataBar}`);
  if (o.windowBar !== undefined) lines.push(`pci_epf_dma.0/dma_window_bar = ${o.windowBar}`);
  lines.push(...(o.fnExtra ?? []), `primary/ep -> controllers/${p.epc}`);
  if (o.start !== false) lines.push(`[controllers/${p.epc}]`, 'start = 1');
  if (o.after) lines.push(o.after.trimEnd());
  if (o.host !== false) lines.push('[host]', `driver = ${o.host === 'none' ? 'none' : 'dw-edma-pcie'}`);
  lines.push(...(o.hostSections ?? []).map((s) => s.trimEnd()));
  return `${lines.join('\n')}\n`;
}

export function transfer(name: string, direction: 'rc-to-ep' | 'ep-to-rc', size: string, extra: string[] = []): string {
  return [`[host/transfer/${name}]`, `direction = ${direction}`, `size = ${size}`, ...extra].join('\n');
}

export function fault(name: string, kind: string, extra: string[] = []): string {
  return [`[host/fault/${name}]`, `kind = ${kind}`, ...extra].join('\n');
}

/** The orderly teardown of kernel-background A.3: stop the link, then unlink (unbind). */
export const TEARDOWN = 'start = 0\n[functions/pci_epf_dma/dma0]\nunlink primary/ep';

export function epf(e: Emulation, p = 'functions/pci_epf_dma/dma0'): EpfState {
  const f = e.analysis.replay.state.functions.get(p);
  assert.ok(f, `${p} exists`);
  return f;
}

export function planOf(e: Emulation, p = 'functions/pci_epf_dma/dma0'): DmaBindPlan {
  const plan = dmaPlans.get(epf(e, p));
  assert.ok(plan, `${p} is bound (has a pci_epf_dma plan); diagnostics:\n${show(e)}`);
  return plan;
}

/** The controller's EP bus (memory, eDMA engine). */
export function epBus(e: Emulation, platform: PlatformName = 'rk3588'): EpBus {
  const ep = e.system.eps.get(PLATFORMS[platform].epc);
  assert.ok(ep, `${PLATFORMS[platform].epc} was brought up`);
  return ep;
}

/** The last device the host probed (the probe of the latest bring-up). */
export function probed(e: Emulation): DeviceRuntime & { probe: Probe } {
  const dev = [...e.system.devices].reverse().find((d) => d.probe);
  assert.ok(dev?.probe, `the host probed a device; diagnostics:\n${show(e)}`);
  return dev as DeviceRuntime & { probe: Probe };
}

/** CTRL (blob offset 0x08) as the endpoint's BAR memory holds it at the end of the run. */
export function ctrlWord(e: Emulation, p = 'functions/pci_epf_dma/dma0'): number {
  const f = (toEmulateJson(e).functions as { path: string; metadata: { hex: string } | null }[]).find((x) => x.path === p);
  assert.ok(f?.metadata, `${p} has metadata`);
  return Buffer.from(f.metadata.hex, 'hex').readUInt32LE(8);
}

export const H = 1 << 30;
export const R = 2 ** 31;

export function events(e: Emulation, match?: RegExp): TraceEvent[] {
  return e.system.clock.trace.filter((ev) => !match || match.test(ev.text));
}

/** The one event matching `re` (fails when there is none or more than one). */
export function event(e: Emulation, re: RegExp): TraceEvent {
  const hits = events(e, re);
  assert.equal(hits.length, 1, `exactly one event ${re}; timeline:\n${timeline(e)}`);
  return hits[0];
}

export function timeline(e: Emulation): string {
  return e.system.clock.trace.map((ev) => `  ${ev.t} ${ev.side} ${ev.phase} ${ev.text}`).join('\n');
}

export function show(e: Emulation): string {
  return e.diagnostics.map((d) => `  ${d.range.start.line + 1} ${d.severity} ${d.code} ${d.errno ?? '-'} ${d.message}`).join('\n') || '  (none)';
}

/** Result of the `ln -s` (link) operation at 1-based line `line`, or of the first link. */
export function linkResult(e: Emulation, pathPart = 'pci_epf_dma/dma0/primary'): string {
  const op = e.analysis.replay.ops.find((o) => o.op === 'link' && o.path.includes(pathPart));
  assert.ok(op, `a link op on ${pathPart}`);
  return op.result;
}

export function bindError(e: Emulation): { errno?: string; message: string } | undefined {
  const d = e.diagnostics.find((x) => x.code === 'bind-failed');
  return d && { errno: d.errno, message: d.message };
}

/** A built-in profile, cloned, with platform overrides applied (the `[platform/…]` keys). */
export function profile(compatible: string, overrides: Record<string, string> = {}): Profile {
  const base = findProfile(compatible);
  assert.ok(base, compatible);
  const p = cloneProfile(base);
  for (const [k, v] of Object.entries(overrides)) assert.equal(applyPlatformOverride(p, k, v), undefined, `${k} = ${v}`);
  return p;
}

export { emulate };
