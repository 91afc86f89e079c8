/**
 * One emulation result for every view: the CONTRACTS.md `pciep emulate --json` object (schema 1)
 * and the data the readable report, the language server and the preview show. Reads the
 * emulation; computes nothing the emulator did not.
 */
import type { Emulation } from '../emulate';
import type { EpfState } from '../configfs/state';
import { devName } from '../configfs/state';
import { dmaPlans } from '../epf/dma';
import { functionBars, type BarView } from './bars';
import type { ChannelView } from '../system/endpoint-system';
import type { TraceEvent } from '../system/clock';
import { toJson, type JsonDiagnostic } from '../../language/diagnostic-json';
import { encodeMetadata } from '../metadata/codec';

export const SCHEMA = 1;

const hex = (v: bigint | number) => `0x${v.toString(16)}`;

export interface FunctionResult {
  path: string;
  driver: string;
  device: string;
  controller: string | null;
  funcNo: number | null;
  bound: boolean;
  bars: BarView[];
  metadata: { bar: number; offset: number; hex: string; bytes: Buffer } | null;
  channels: ChannelView[];
}

export interface EmulationResult {
  functions: FunctionResult[];
  host: { driver: string; probe: string; reason?: string; bdf?: string; bars: { bar: number; address: bigint; size: number }[] } | null;
  timeline: TraceEvent[];
}

/** The blob exactly as the endpoint's BAR memory holds it at the end of the run (its `len` bytes). */
function metadataBytes(e: Emulation, epf: EpfState): FunctionResult['metadata'] {
  const plan = dmaPlans.get(epf);
  if (!plan) return null;
  const link = epf.links.primary ?? epf.links.secondary;
  const ep = link ? e.system.eps.get(link.epc) : undefined;
  const live = ep?.bus.read(plan.metadataPhys, plan.layout.blob.len);
  // A controller that never started holds the blob exactly as bind wrote it (H = R = 0).
  const enc = live ? undefined : encodeMetadata(plan.layout.blob);
  const bytes = live ? Buffer.from(live) : enc?.ok ? enc.bytes : undefined;
  if (!bytes) return null;
  return { bar: plan.metadataBar, offset: 0, hex: bytes.toString('hex'), bytes };
}

export function collectResult(e: Emulation): EmulationResult {
  const functions: FunctionResult[] = [];
  for (const epf of e.analysis.replay.state.functions.values()) {
    const link = epf.links.primary ?? epf.links.secondary;
    const controller = link ? e.analysis.platform.controllers.get(link.epc) : undefined;
    functions.push({
      path: epf.path, driver: epf.driver, device: devName(epf), controller: link?.epc ?? null,
      funcNo: epf.funcNo.primary ?? epf.funcNo.secondary ?? null, bound: epf.bound,
      bars: controller ? functionBars(epf, controller.profile) : [],
      metadata: metadataBytes(e, epf),
      channels: e.system.channelViews(epf),
    });
  }
  const dev = [...e.system.devices].reverse().find((d) => d.probe);
  const host = e.system.host.present
    ? {
      driver: e.system.host.driver,
      probe: dev?.probe?.status ?? 'not-run',
      reason: dev?.probe?.reason,
      bdf: dev?.bdf,
      bars: (dev ?? e.system.devices[e.system.devices.length - 1])?.bars.filter((b) => b.address !== undefined).map((b) => ({ bar: b.bar, address: b.address!, size: b.size })) ?? [],
    }
    : null;
  return { functions, host, timeline: e.system.clock.trace };
}

export interface EmulateJson {
  schema: number;
  diagnostics: JsonDiagnostic[];
  operations: { line: number; op: string; path: string; result: string; log: string[] }[];
  functions: unknown[];
  host: unknown;
  transfers: unknown[];
  timeline: unknown[];
}

/** CONTRACTS.md `pciep emulate --json`, schema 1 (plus the `timeline` extension). */
export function toEmulateJson(e: Emulation): EmulateJson {
  const r = collectResult(e);
  return {
    schema: SCHEMA,
    diagnostics: e.diagnostics.map((d) => toJson(d)),
    operations: e.analysis.replay.ops.map((o) => ({ line: o.line + 1, op: o.op, path: o.path, result: o.result, log: o.log })),
    functions: r.functions.map((f) => ({
      path: f.path, driver: f.driver, device: f.device, controller: f.controller, funcNo: f.funcNo, bound: f.bound,
      bars: f.bars.map((b) => ({
        bar: b.bar, type: b.type, size: b.size, is64: b.is64, ...(b.role ? { role: b.role } : {}),
        regions: b.regions.map((g) => ({ offset: g.offset, size: g.size, kind: g.kind, ...(g.phys !== undefined ? { phys: hex(g.phys) } : {}), ...(g.label ? { label: g.label } : {}) })),
      })),
      metadata: f.metadata ? { bar: f.metadata.bar, offset: f.metadata.offset, hex: f.metadata.hex } : null,
      channels: f.channels,
    })),
    host: r.host ? { driver: r.host.driver, probe: r.host.probe, ...(r.host.reason ? { reason: r.host.reason } : {}), bars: r.host.bars.map((b) => ({ bar: b.bar, address: hex(b.address), size: b.size })) } : null,
    transfers: e.system.transfers.map((t) => ({
      name: t.name, direction: t.direction, channel: t.channel, bytes: t.bytes, status: t.status, verified: t.verified,
      ...(t.reason ? { reason: t.reason } : {}), ...(t.src !== undefined ? { src: hex(t.src) } : {}), ...(t.dst !== undefined ? { dst: hex(t.dst) } : {}),
      elements: t.elements, chunks: t.chunks,
    })),
    timeline: r.timeline.map((ev) => ({ t: ev.t, side: ev.side, phase: ev.phase, text: ev.text, ...(ev.line !== undefined ? { line: ev.line + 1 } : {}) })),
  };
}
