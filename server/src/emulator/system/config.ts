/**
 * The `[host…]` sections read into plain settings for the emulator (keys: language/host-schema.ts).
 * Invalid values were already reported by the validator; here they fall back to defaults.
 */
import type { Document, Range } from '../../language/ast';
import { hostSectionKind } from '../../language/host-schema';
import { parseSize } from '../../language/units';

export interface TransferSpec {
  name: string;
  direction: 'rc-to-ep' | 'ep-to-rc';
  channel: number;
  size: number;
  elementSize?: number;
  src?: bigint;
  dst?: bigint;
  pattern: string;
  line: number;
  range: Range;
}

export interface FaultSpec {
  name: string;
  kind: string;
  at?: string;
  field?: string;
  value?: bigint;
  line: number;
  range: Range;
}

export interface HostConfig {
  present: boolean;
  driver: 'dw-edma-pcie' | 'none';
  msiVectors: number;
  msixVectors: number;
  barWindow: bigint;
  barWindowSize: bigint;
  transfers: TransferSpec[];
  faults: FaultSpec[];
  line?: number;
  range?: Range;
}

/** Defaults of the emulated root complex (emulator choices, documented in docs/language.md). */
export const HOST_DEFAULTS = { msiVectors: 32, msixVectors: 2048, barWindow: 0x8000_0000n, barWindowSize: 0x4000_0000n };

function num(v: string | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  const r = parseSize(v.trim());
  return r.ok ? r.value : undefined;
}

export function readHostConfig(doc: Document): HostConfig {
  const cfg: HostConfig = {
    present: false, driver: 'dw-edma-pcie', msiVectors: HOST_DEFAULTS.msiVectors, msixVectors: HOST_DEFAULTS.msixVectors,
    barWindow: HOST_DEFAULTS.barWindow, barWindowSize: HOST_DEFAULTS.barWindowSize, transfers: [], faults: [],
  };
  for (const section of doc.sections) {
    const path = section.header?.normPath;
    if (!path) continue;
    const kind = hostSectionKind(path);
    if (!kind) continue;
    const values = new Map<string, string>();
    for (const s of section.body) if (s.kind === 'assign') values.set(s.name.text, s.value.text.trim());
    const header = section.header!;
    if (kind === 'host') {
      cfg.present = true;
      cfg.line = header.line;
      cfg.range = header.range;
      if (values.get('driver') === 'none') cfg.driver = 'none';
      cfg.msiVectors = Number(num(values.get('msi-vectors')) ?? BigInt(cfg.msiVectors));
      cfg.msixVectors = Number(num(values.get('msix-vectors')) ?? BigInt(cfg.msixVectors));
      cfg.barWindow = num(values.get('bar-window')) ?? cfg.barWindow;
      cfg.barWindowSize = num(values.get('bar-window-size')) ?? cfg.barWindowSize;
    } else if (kind === 'transfer') {
      const direction = values.get('direction') === 'ep-to-rc' ? 'ep-to-rc' : 'rc-to-ep';
      const size = Number(num(values.get('size')) ?? 0n);
      const elementSize = num(values.get('element-size'));
      cfg.transfers.push({
        name: path.split('/')[2], direction, channel: Number(num(values.get('channel')) ?? 0n), size,
        elementSize: elementSize !== undefined ? Number(elementSize) : undefined,
        src: num(values.get('src')), dst: num(values.get('dst')), pattern: values.get('pattern') ?? 'incrementing',
        line: header.line, range: header.range,
      });
    } else {
      cfg.faults.push({
        name: path.split('/')[2], kind: values.get('kind') ?? '', at: values.get('at'), field: values.get('field'),
        value: num(values.get('value')), line: header.line, range: header.range,
      });
    }
  }
  return cfg;
}

/** Fills `buf` with a transfer's source pattern (deterministic; `random:SEED` is an xorshift stream). */
export function fillPattern(buf: Buffer, pattern: string, salt: number): void {
  if (pattern === 'zeros') return void buf.fill(0);
  if (pattern === 'ones') return void buf.fill(0xff);
  const byte = /^0x([0-9a-f]{1,2})$/i.exec(pattern);
  if (byte) return void buf.fill(parseInt(byte[1], 16));
  const rnd = /^random:(\d+)$/.exec(pattern);
  if (rnd) {
    let x = (Number(rnd[1]) ^ 0x9e3779b9 ^ salt) >>> 0 || 1;
    for (let i = 0; i < buf.length; i++) {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      buf[i] = x & 0xff;
    }
    return;
  }
  // incrementing: byte i = (i + salt) & 0xff, written a page at a time for speed.
  const page = Buffer.alloc(Math.min(buf.length, 4096));
  for (let i = 0; i < page.length; i++) page[i] = (i + salt) & 0xff;
  for (let o = 0; o < buf.length; o += page.length) page.copy(buf, o, 0, Math.min(page.length, buf.length - o));
}
