/**
 * The host's dw-edma-pcie bound through driver_override to an endpoint-DMA function
 * (seed-series 6.5): IRQ vectors, BAR scan and validation, the HOST_REQ → READY handshake on the
 * virtual clock (host polls every 1 ms for up to 2 s; the endpoint worker runs every 500 ms,
 * seed-series 1.6 and 6.4), and the parse that describes the remote dw-edma chip.
 */
import type { ParsedMetadata, PedmFailure } from '../metadata/codec';
import { parseMetadata, scanBars, validateMetadata } from '../metadata/codec';
import { CTRL_HOST_REQ, CTRL_READY, OFF_CTRL } from '../metadata/format';
import type { AddressSpace } from '../memory';
import type { HostBar } from './enumerate';
import type { StepInfo } from '../system/steps';

export const HOST_POLL_US = 1000;
export const HOST_TIMEOUT_US = 2_000_000;
export const EP_WORKER_PERIOD_US = 500_000;

export interface ProbeDevice {
  bdf: string;
  bars: HostBar[];
  mmio: AddressSpace;
  /** Vectors the function's MSI capability offers (Multiple Message Capable, rounded up) and MSI-X size. */
  msiCap: number;
  msixCap: number;
}

export interface Probe {
  status: 'ok' | string;
  reason?: string;
  /** BAR holding the metadata. */
  bar?: number;
  parsed?: ParsedMetadata;
  vectors: number;
  log: string[];
  /** Virtual times of the handshake steps (µs). */
  hostReqAt?: number;
  readyAt?: number;
  /** Which validation field failed, for diagnostics. */
  field?: string;
}

function barBytes(dev: ProbeDevice, b: HostBar): Uint8Array {
  // The host reads the BAR through its mapping, a word at a time; the header and tables are short.
  const len = Math.min(b.size, 0x1000);
  const out = Buffer.alloc(len);
  for (let o = 0; o + 4 <= len; o += 4) out.writeUInt32LE(dev.mmio.read32(b.address! + BigInt(o)) ?? 0xffff_ffff, o);
  return out;
}

export function ctrlAddress(dev: ProbeDevice, bar: number): bigint {
  return dev.bars.find((b) => b.bar === bar)!.address! + BigInt(OFF_CTRL);
}

export function readCtrl(dev: ProbeDevice, bar: number): number {
  return dev.mmio.read32(ctrlAddress(dev, bar)) ?? 0xffff_ffff;
}

const bit = (f: { shift: number }) => 1 << f.shift;

export interface HandshakeClock {
  now(): number;
  /** Runs the endpoint side (its worker ticks) up to virtual time t. */
  runEndpointUntil(t: number): void;
  /** Steps that happened on the endpoint side since the last call (worker runs, link events). */
  drain(): readonly StepInfo[];
}

function hostStep(clock: HandshakeClock, phase: string, text: string, frames: string[], line?: number): StepInfo {
  return { kind: 'phase', side: 'host', phase, text, frames, t: clock.now(), ...(line !== undefined ? { line } : {}) };
}

/**
 * The probe, in the driver's order: vectors, scan/validate, H, poll R, re-validate and parse.
 * `clearHostReqOnFailure` is v4 behaviour (edge case E17); v3 left H set.
 */
export function probeDwEdmaPcie(dev: ProbeDevice, hostMsi: number, clock: HandshakeClock, clearHostReqOnFailure: boolean,
  emit: (line: string) => void = () => {}): Probe {
  const gen = probeSteps(dev, hostMsi, clock, clearHostReqOnFailure, emit);
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
  }
}

/** The probe as steps (for the debugger): HOST_REQ, every endpoint worker run while polling, READY. */
export function* probeSteps(dev: ProbeDevice, hostMsi: number, clock: HandshakeClock, clearHostReqOnFailure: boolean,
  emit: (line: string) => void = () => {}, line?: number): Generator<StepInfo, Probe> {
  const pfx = `dw-edma-pcie ${dev.bdf}:`;
  // Lines go to the caller as they happen, so the trace keeps their virtual times.
  const log: string[] = [];
  const push = log.push.bind(log);
  log.push = (...lines: string[]) => {
    for (const l of lines) emit(l);
    return push(...lines);
  };
  // pci_alloc_irq_vectors(1 .. 16): MSI first, then MSI-X (kernel-background D.8: "requires MSI").
  const vectors = Math.min(16, Math.max(Math.min(hostMsi, dev.msiCap), Math.min(hostMsi, dev.msixCap)));
  if (vectors < 1) {
    log.push(`${pfx} failed to allocate IRQ vectors`);
    return { status: 'ENOSPC', reason: 'the function offers no MSI/MSI-X vectors the host can enable (errno is the emulator\'s choice)', vectors: 0, log };
  }
  // A BAR is read only when the scan gets to it: the scan stops at the first BAR with metadata,
  // as dw_edma_pcie_parse_ep_metadata does, so the BARs after it are never touched.
  const scan = scanBars(dev.bars.map((b) => {
    let bytes: Uint8Array | undefined;
    return {
      index: b.bar, memory: true, assigned: b.address !== undefined, len: b.size,
      get bytes(): Uint8Array {
        return (bytes ??= b.address !== undefined && b.size >= 0x1c ? barBytes(dev, b) : new Uint8Array(0));
      },
    };
  }), { device: dev.bdf });
  if (!scan.ok) {
    log.push(scan.log);
    return { status: scan.errno, reason: scan.reason, vectors, log, bar: scan.bar ?? undefined, field: scan.field };
  }
  const bar = scan.bar;
  yield hostStep(clock, 'host-req', `dw-edma-pcie ${dev.bdf}: set HOST_REQ in BAR${bar} CTRL`, ['dw_edma_pcie_probe', 'dw_edma_pcie_ep_handshake'], line);
  // Read-modify-write of CTRL to raise HOST_REQ (seed-series 1.6 step 3).
  const ctrlAddr = ctrlAddress(dev, bar);
  dev.mmio.write32(ctrlAddr, (readCtrl(dev, bar) | bit(CTRL_HOST_REQ)) >>> 0);
  const hostReqAt = clock.now();
  log.push(`${pfx} endpoint DMA metadata found in BAR${bar}, HOST_REQ set`);
  const deadline = hostReqAt + HOST_TIMEOUT_US;
  let readyAt: number | undefined;
  // Poll READY every 1 ms (2,000 polls at most); the endpoint runs up to each poll's time.
  for (let t = hostReqAt + HOST_POLL_US; t <= deadline; t += HOST_POLL_US) {
    clock.runEndpointUntil(t);
    yield* clock.drain();
    // The endpoint side may have moved the clock past t (an injected link retrain): this poll reads
    // CTRL now, so READY is never seen before the worker set it (seed-series 1.6 steps 4-6).
    t = Math.max(t, clock.now());
    if (t > deadline) break;
    if ((readCtrl(dev, bar) & bit(CTRL_READY)) !== 0) {
      readyAt = t;
      break;
    }
  }
  const dropH = () => {
    if (clearHostReqOnFailure) dev.mmio.write32(ctrlAddr, (readCtrl(dev, bar) & ~bit(CTRL_HOST_REQ)) >>> 0);
  };
  if (readyAt === undefined) {
    clock.runEndpointUntil(deadline);
    yield* clock.drain();
    log.push(`${pfx} timed out waiting for endpoint DMA READY`);
    dropH();
    return { status: 'ETIMEDOUT', reason: 'READY was not set within 2 s of HOST_REQ', vectors, log, bar, hostReqAt };
  }
  yield hostStep(clock, 'ready', `dw-edma-pcie ${dev.bdf}: READY seen after ${(readyAt - hostReqAt) / 1000} ms; parse the metadata`, ['dw_edma_pcie_probe', 'dw_edma_pcie_parse_ep_metadata'], line);
  const b = dev.bars.find((x) => x.bar === bar)!;
  const barLens = [0, 1, 2, 3, 4, 5].map((i) => dev.bars.find((x) => x.bar === i && x.address !== undefined)?.size ?? 0);
  const bytes = barBytes(dev, b);
  const parsed = parseMetadata(bytes, b.size, barLens, { device: dev.bdf, bar });
  if (!parsed.ok) {
    log.push((parsed as PedmFailure).log);
    dropH();
    return { status: parsed.errno, reason: parsed.reason, vectors, log, bar, hostReqAt, readyAt, field: parsed.field };
  }
  const p = parsed.parsed;
  log.push(`${pfx} eDMA: ${p.mapFormatName}, ${p.wrCount} wr, ${p.rdCount} rd, ${p.irqs} IRQs requested, ${vectors} granted`);
  return { status: 'ok', bar, parsed: p, vectors, log, hostReqAt, readyAt };
}

/** Whether a blob validates at all (used to explain faults without running the probe). */
export function quickValidate(bytes: Uint8Array, len: number): string | undefined {
  const v = validateMetadata(bytes, len);
  return v.ok ? undefined : v.errno;
}
