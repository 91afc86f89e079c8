/**
 * `[host/transfer/…]`: DMA the host runs through the delegated channels once dw-edma-pcie is up.
 * The host's remote dw-edma instance writes the linked list into the descriptor window through
 * the BAR, programs the channel through the exposed register window, and handles the IMWr/MSI
 * completion interrupts (kernel-background D.3, D.4, D.6; seed-series 4.2, 6.5). Data really
 * moves between host memory and endpoint memory and is compared afterwards.
 */
import { dmaPlans } from '../epf/dma';
import { DwEdmaChannel, programImwr } from '../edma/ll-builder';
import { MAP_FORMAT_VALUE, type MapFormat } from '../../language/profiles/types';
import type { EdmaDir } from '../edma/regs';
import { fillPattern, type TransferSpec } from '../system/config';
import { allocEpBuffer, type EpBus } from '../system/ep-bus';
import type { DeviceRuntime, EndpointSystem } from '../system/endpoint-system';
import { MSI_ADDRESS, MSI_DATA_BASE } from '../system/endpoint-system';
import type { StepInfo } from '../system/steps';

export interface TransferResult {
  name: string;
  direction: 'rc-to-ep' | 'ep-to-rc';
  channel: number;
  bytes: number;
  status: 'done' | 'abort' | 'timeout' | 'not-run';
  verified: boolean;
  reason?: string;
  src?: bigint;
  dst?: bigint;
  elements: number;
  chunks: number;
  startUs?: number;
  endUs?: number;
  line: number;
}

const MAP_FORMAT_BY_VALUE = new Map<number, MapFormat>(Object.entries(MAP_FORMAT_VALUE).map(([k, v]) => [v, k as MapFormat]));

/** Host buffers live in host DRAM above 4 GiB (emulator choice). */
export const HOST_XFER_BASE = 0x1_0000_0000n;
/** Time model: 4 GB/s on the link (PCIe Gen3 x4-like), for the timeline only. */
const BYTES_PER_US = 4000;

/**
 * Robustness limits (emulator choice, docs/robustness.md). Every transfer really allocates and
 * copies its bytes, and every bring-up re-runs all the file's transfers, so before these limits a
 * typed `size = 2G` cost 7 GB of memory, `size = 16G` threw out of the emulator (Buffer.alloc
 * range), `element-size = 1` built a million LL elements, and 200 `start = 0/1` toggles re-ran a
 * 1 MiB transfer 200 times. Past the limits a transfer is reported `not-run` with the reason.
 */
export const TRANSFER_LIMITS = { bytesPerTransfer: 64 * 1024 * 1024, bytesPerRun: 64 * 1024 * 1024, elementsPerRun: 65536 };
const spent = new WeakMap<EndpointSystem, { bytes: number; elements: number }>();

function overLimit(sys: EndpointSystem, t: TransferSpec): string | undefined {
  const mib = (n: number) => `${n / (1024 * 1024)} MiB`;
  if (t.size > TRANSFER_LIMITS.bytesPerTransfer) return `the emulator moves at most ${mib(TRANSFER_LIMITS.bytesPerTransfer)} per transfer`;
  const step = t.elementSize && t.elementSize > 0 ? t.elementSize : t.size;
  const elements = Math.max(1, Math.ceil(t.size / Math.max(1, step)));
  const used = spent.get(sys) ?? { bytes: 0, elements: 0 };
  if (used.bytes + t.size > TRANSFER_LIMITS.bytesPerRun || used.elements + elements > TRANSFER_LIMITS.elementsPerRun) {
    return `the emulator's budget of ${mib(TRANSFER_LIMITS.bytesPerRun)} and ${TRANSFER_LIMITS.elementsPerRun} LL elements per run is used up (${used.bytes} bytes, ${used.elements} elements so far)`;
  }
  spent.set(sys, { bytes: used.bytes + t.size, elements: used.elements + elements });
  return undefined;
}

function allocHost(sys: EndpointSystem, size: number): bigint {
  const addr = sys.hostXferNext;
  sys.hostMem.addRam(`host buffer @0x${addr.toString(16)}`, addr, size);
  sys.hostXferNext += BigInt(Math.ceil(size / 0x10000) * 0x10000 + 0x10000);
  return addr;
}

function elementsOf(t: TransferSpec, src: bigint, dst: bigint): { sar: bigint; dar: bigint; size: number }[] {
  const step = t.elementSize && t.elementSize > 0 ? t.elementSize : t.size;
  const out = [];
  for (let o = 0; o < t.size; o += step) {
    const n = Math.min(step, t.size - o);
    out.push({ sar: src + BigInt(o), dar: dst + BigInt(o), size: n });
  }
  if (out.length === 0) out.push({ sar: src, dar: dst, size: 0 });
  return out;
}

function step(sys: EndpointSystem, phase: string, text: string, frames: string[], line: number, channel?: StepInfo['channel']): StepInfo {
  return { kind: 'phase', side: 'host', phase, text, frames, t: sys.clock.now, line, ...(channel ? { channel } : {}) };
}

function* runOne(sys: EndpointSystem, dev: DeviceRuntime, ep: EpBus, t: TransferSpec, index: number): Generator<StepInfo, TransferResult> {
  const base: TransferResult = { name: t.name, direction: t.direction, channel: t.channel, bytes: t.size, status: 'not-run', verified: false, elements: 0, chunks: 0, line: t.line };
  const parsed = dev.probe?.parsed;
  const engine = ep.engine;
  if (!parsed || !engine) return { ...base, reason: 'dw-edma-pcie is not bound' };
  // rc-to-ep runs on a DW read channel, ep-to-rc on a write channel (seed-series 4.2).
  const dir: EdmaDir = t.direction === 'rc-to-ep' ? 'read' : 'write';
  const table = dir === 'write' ? parsed.wr : parsed.rd;
  const entry = table[t.channel];
  if (!entry) return { ...base, reason: `no ${dir} channel ${t.channel}: the endpoint exposes ${table.length}` };
  const bar = (i: number) => dev.bars.find((b) => b.bar === i)?.address;
  const regBar = bar(parsed.regBar);
  const descBar = bar(entry.desc.bar);
  if (regBar === undefined || descBar === undefined) return { ...base, reason: 'a BAR named by the metadata has no host address' };
  const regBase = regBar + parsed.regOffset;
  const limit = overLimit(sys, t);
  if (limit) return { ...base, reason: limit };
  const hostBuf = t.direction === 'rc-to-ep' ? (t.src ?? allocHost(sys, t.size)) : (t.dst ?? allocHost(sys, t.size));
  const epBuf = t.direction === 'rc-to-ep' ? (t.dst ?? allocEpBuffer(ep, t.size)) : (t.src ?? allocEpBuffer(ep, t.size));
  const [src, dst] = t.direction === 'rc-to-ep' ? [hostBuf, epBuf] : [epBuf, hostBuf];
  const srcSpace = t.direction === 'rc-to-ep' ? sys.hostMem : ep.bus;
  const dstSpace = t.direction === 'rc-to-ep' ? ep.bus : sys.hostMem;
  // Source pattern written through a scratch buffer (the CPU fills its buffer before the DMA).
  const expected = Buffer.alloc(t.size);
  fillPattern(expected, t.pattern, index);
  const srcRes = srcSpace.resolve(src, t.size);
  if (srcRes && !srcRes.region.mmio) expected.copy(srcRes.region.bytes(), srcRes.offset);
  const mf = MAP_FORMAT_BY_VALUE.get(parsed.mapFormat);
  if (!mf) return { ...base, reason: `map format ${parsed.mapFormat} cannot be driven` };
  const chan = new DwEdmaChannel({
    regs: sys.hostMmio, regBase, mapFormat: mf, dir, ch: t.channel,
    llMem: sys.hostMmio, llBase: descBar + entry.desc.offset, llPhys: entry.desc.paddr, llSize: entry.desc.size,
    funcNo: dev.funcNo, irqMode: 'remote', chipLocal: false,
  });
  const vector = (dir === 'write' ? 0 : parsed.wrCount) + t.channel;
  programImwr(sys.hostMmio, regBase, mf, dir, t.channel, MSI_ADDRESS, MSI_DATA_BASE + vector);
  const elements = elementsOf(t, src, dst);
  const startUs = sys.clock.now;
  const channel = { dir, ch: t.channel };
  yield step(sys, 'transfer', `${t.name}: ${t.size} bytes ${t.direction} on ${dir} ch${t.channel}: write the linked list, ring the doorbell`,
    ['dmaengine_prep_slave_single', 'dw_edma_device_tx_submit', 'dw_edma_start_transfer'], t.line, channel);
  sys.clock.log('host', 'transfer', `dw-edma-pcie ${dev.bdf}: ${t.name}: ${t.size} bytes ${t.direction} on ${dir} ch${t.channel} (${elements.length} elements)`, t.line);
  try {
    chan.submit(elements);
  } catch (e) {
    return { ...base, reason: (e as Error).message, startUs };
  }
  const linkDown = sys.host.faults.find((f) => f.kind === 'link-down' && f.at === 'during-transfer');
  let status: TransferResult['status'] = 'timeout';
  let reason: string | undefined;
  for (let guard = 0; guard < 1_000_000; guard++) {
    if (linkDown && guard === 0) {
      sys.flapLink(dev.epc, 'injected during a transfer');
      status = 'abort';
      reason = 'link down during the transfer: outstanding TLPs are lost';
      engine.quiesceDirection(dir);
      break;
    }
    const more = engine.run(1 << 16);
    let handled = false;
    for (let v = sys.popMsi(); v !== undefined; v = sys.popMsi()) {
      handled = true;
      if (v !== MSI_DATA_BASE + vector) continue;
      yield step(sys, 'dma-irq', `${t.name}: MSI vector ${vector} (IMWr from ${dir} ch${t.channel})`, ['dw_edma_interrupt', 'dw_edma_done_interrupt'], t.line, channel);
      const r = chan.handleInterrupt();
      if (r === 'complete') status = 'done';
      if (r === 'aborted') {
        status = 'abort';
        reason = engine.channelStats(dir, t.channel).lastAbort ?? 'the engine reported ABORT';
      }
    }
    if (status !== 'timeout') break;
    if (!more && !handled) {
      const st = engine.channelStats(dir, t.channel);
      reason = st.status === 'waiting'
        ? 'the engine stopped waiting for descriptors (element CB does not match the consumer cycle state)'
        : `no completion interrupt (channel ${st.status})`;
      break;
    }
  }
  sys.clock.advanceTo(startUs + Math.ceil(t.size / BYTES_PER_US));
  let verified = false;
  if (status === 'done') {
    const got = dstSpace.read(dst, t.size);
    verified = !!got && got.equals(expected);
  }
  sys.clock.log('host', 'transfer', `dw-edma-pcie ${dev.bdf}: ${t.name}: ${status}${reason ? ` (${reason})` : ''}${status === 'done' ? `, data ${verified ? 'verified' : 'MISMATCH'}` : ''}`, t.line);
  return { ...base, status, verified, reason, src, dst, elements: elements.length, chunks: chan.chunksSubmitted, startUs, endUs: sys.clock.now };
}

export function* transferSteps(sys: EndpointSystem, dev: DeviceRuntime, ep: EpBus): Generator<StepInfo, TransferResult[]> {
  if (!dmaPlans.has(dev.epf)) return sys.host.transfers.map((t) => ({ name: t.name, direction: t.direction, channel: t.channel, bytes: t.size, status: 'not-run' as const, verified: false, elements: 0, chunks: 0, line: t.line, reason: 'no pci_epf_dma function' }));
  const out: TransferResult[] = [];
  for (const [i, t] of sys.host.transfers.entries()) out.push(yield* runOne(sys, dev, ep, t, i));
  return out;
}
