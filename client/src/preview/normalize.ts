/**
 * Turns whatever the `pciep/emulation` request returned into a well-typed `EmulateJsonLike`:
 * every field coerced to its type (strings stay untrusted text — the renderer escapes them),
 * numbers finite, arrays bounded. The renderer only ever sees normalised data, so a server bug or
 * a schema drift degrades the picture instead of throwing or injecting markup.
 */
import type {
  BarJson, ChannelJson, DiagnosticJson, EmulateJsonLike, FunctionJson, HostJson, OperationJson, RegionJson,
  TimelineJson, TransferJson,
} from './types';

/** Caps that keep a hostile or runaway result from producing a multi-megabyte document. */
export const LIMITS = { functions: 64, bars: 6, regions: 64, channels: 256, transfers: 256, timeline: 2000, diagnostics: 500, operations: 2000, text: 2000, metadataBytes: 4096 };

type Rec = Record<string, unknown>;

const isRec = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown, fallback = ''): string => {
  const s = typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : fallback;
  return s.length > LIMITS.text ? `${s.slice(0, LIMITS.text)}…` : s;
};
const optStr = (x: unknown): string | undefined => (x === undefined || x === null ? undefined : str(x));
const num = (x: unknown, fallback = 0): number => (typeof x === 'number' && Number.isFinite(x) ? x : fallback);
const int = (x: unknown, fallback = 0): number => (typeof x === 'number' && Number.isSafeInteger(x) ? x : fallback);
const nonNeg = (x: unknown): number => Math.max(0, num(x));
const list = <T>(x: unknown, max: number, f: (r: Rec) => T): T[] => (Array.isArray(x) ? x.slice(0, max).filter(isRec).map(f) : []);

function region(r: Rec): RegionJson {
  return { offset: nonNeg(r.offset), size: nonNeg(r.size), kind: str(r.kind, 'unknown'), phys: optStr(r.phys), label: optStr(r.label) };
}

function bar(r: Rec, i: number): BarJson {
  const n = int(r.bar, i);
  return {
    bar: n >= 0 && n < 6 ? n : i, type: str(r.type, 'programmable'), size: nonNeg(r.size), is64: r.is64 === true,
    role: optStr(r.role), regions: list(r.regions, LIMITS.regions, region),
  };
}

function channel(r: Rec): ChannelJson {
  return { dir: str(r.dir), hwCh: int(r.hwCh), state: str(r.state), errno: r.errno === null || r.errno === undefined ? null : str(r.errno) };
}

function metadata(x: unknown): FunctionJson['metadata'] {
  if (!isRec(x)) return null;
  const hex = typeof x.hex === 'string' && /^(?:[0-9a-fA-F]{2})*$/.test(x.hex) ? x.hex.slice(0, 2 * LIMITS.metadataBytes).toLowerCase() : '';
  return { bar: int(x.bar), offset: nonNeg(x.offset), hex };
}

function fn(r: Rec): FunctionJson {
  const bars = Array.isArray(r.bars) ? r.bars.slice(0, LIMITS.bars).filter(isRec).map(bar) : [];
  return {
    path: str(r.path, '(unnamed function)'), driver: str(r.driver), device: str(r.device),
    controller: r.controller === null || r.controller === undefined ? null : str(r.controller),
    funcNo: typeof r.funcNo === 'number' && Number.isSafeInteger(r.funcNo) ? r.funcNo : null,
    bound: r.bound === true, bars, metadata: metadata(r.metadata), channels: list(r.channels, LIMITS.channels, channel),
  };
}

function host(x: unknown): HostJson | null {
  if (!isRec(x)) return null;
  return {
    driver: str(x.driver), probe: str(x.probe, 'not-run'), reason: optStr(x.reason),
    bars: list(x.bars, LIMITS.bars, (b) => ({ bar: int(b.bar), address: str(b.address), size: nonNeg(b.size) })),
  };
}

function transfer(r: Rec): TransferJson {
  return {
    name: str(r.name), direction: str(r.direction), channel: int(r.channel), bytes: nonNeg(r.bytes), status: str(r.status, 'not-run'),
    verified: r.verified === true, reason: optStr(r.reason), src: optStr(r.src), dst: optStr(r.dst),
    elements: typeof r.elements === 'number' ? nonNeg(r.elements) : undefined, chunks: typeof r.chunks === 'number' ? nonNeg(r.chunks) : undefined,
  };
}

const line = (x: unknown): number | undefined => (typeof x === 'number' && Number.isSafeInteger(x) && x >= 1 ? x : undefined);

function event(r: Rec): TimelineJson {
  return { t: nonNeg(r.t), side: str(r.side), phase: str(r.phase), text: str(r.text), line: line(r.line) };
}

function diagnostic(r: Rec): DiagnosticJson {
  return {
    line: line(r.line) ?? 0, column: int(r.column, 1), severity: str(r.severity, 'error'), code: str(r.code),
    errno: r.errno === null || r.errno === undefined ? null : str(r.errno), message: str(r.message),
  };
}

function operation(r: Rec): OperationJson {
  return { line: line(r.line) ?? 0, op: str(r.op), path: str(r.path), result: str(r.result) };
}

/** `undefined` when `x` is not an emulation result at all (null, an error string, another schema). */
export function normalizeEmulateJson(x: unknown): EmulateJsonLike | undefined {
  if (!isRec(x) || x.schema !== 1 || !Array.isArray(x.functions)) return undefined;
  return {
    schema: 1,
    diagnostics: list(x.diagnostics, LIMITS.diagnostics, diagnostic),
    operations: list(x.operations, LIMITS.operations, operation),
    functions: list(x.functions, LIMITS.functions, fn),
    host: host(x.host),
    transfers: list(x.transfers, LIMITS.transfers, transfer),
    timeline: list(x.timeline, LIMITS.timeline, event),
  };
}
