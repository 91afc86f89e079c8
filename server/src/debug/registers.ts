/**
 * The eDMA/HDMA register file as a named table for the debugger's Registers-style scope and the
 * evaluator (`wr_int_status`, `wr.ch1.control1`, `rd.ch0.sar`). Offsets and bit fields come from
 * emulator/edma/regs.ts (kernel-background D.2 eDMA v0, D.5 HDMA native; FUNC_NUM seed-series 5);
 * nothing is re-derived here.
 */
import type { EdmaEngine } from '../emulator/edma/engine';
import * as R from '../emulator/edma/regs';
import type { EdmaDir } from '../emulator/edma/regs';

export interface FieldDesc {
  name: string;
  shift: number;
  width: number;
}

export interface RegDesc {
  name: string;
  offset: number;
  /** 64-bit register made of a LO word at `offset` and a HI word at `offset + 4`. */
  wide?: boolean;
  fields?: FieldDesc[];
}

export interface ChannelRegs {
  dir: EdmaDir;
  ch: number;
  /** `wr.ch0`, `rd.ch1`. */
  name: string;
  regs: RegDesc[];
}

export interface RegisterMap {
  global: RegDesc[];
  channels: ChannelRegs[];
}

const f = (name: string, shift: number, width = 1): FieldDesc => ({ name, shift, width });

/** int_status / int_mask / int_clear: DONE bits 7:0 and ABORT bits 23:16, one per channel (D.2). */
function intBits(n: number): FieldDesc[] {
  const out: FieldDesc[] = [];
  for (let ch = 0; ch < n; ch++) out.push(f(`DONE_ch${ch}`, ch));
  for (let ch = 0; ch < n; ch++) out.push(f(`ABORT_ch${ch}`, R.V0_INT_ABORT_SHIFT + ch));
  return out;
}

function chBits(prefix: string, n: number): FieldDesc[] {
  const out: FieldDesc[] = [];
  for (let ch = 0; ch < n; ch++) out.push(f(`${prefix}ch${ch}`, ch));
  return out;
}

/** ch_control1 (D.2): the low five bits are also the LL element control bits (D.3). */
const CONTROL1_FIELDS: FieldDesc[] = [
  f('CB', 0), f('TCB', 1), f('LLP', 2), f('LIE', 3), f('RIE', 4),
  f('CS', R.V0_CTRL1_CS_SHIFT, 2), f('CCS', 8), f('LLE', 9), f('FUNC_NUM', R.V0_CTRL1_FUNC_NUM_SHIFT, 5),
];

function v0Channel(base: number): RegDesc[] {
  return [
    { name: 'control1', offset: base + R.V0_CH_CONTROL1, fields: CONTROL1_FIELDS },
    { name: 'control2', offset: base + R.V0_CH_CONTROL2 },
    { name: 'transfer_size', offset: base + R.V0_CH_TRANSFER_SIZE },
    { name: 'sar', offset: base + R.V0_CH_SAR_LO, wide: true },
    { name: 'dar', offset: base + R.V0_CH_DAR_LO, wide: true },
    { name: 'llp', offset: base + R.V0_CH_LLP_LO, wide: true },
  ];
}

function v0Global(engine: EdmaEngine): RegDesc[] {
  const out: RegDesc[] = [
    { name: 'ctrl', offset: R.V0_CTRL, fields: [f('WR_CH_CNT', 0, 4), f('RD_CH_CNT', R.V0_CTRL_RD_CNT_SHIFT, 4)] },
  ];
  for (const dir of ['write', 'read'] as const) {
    const p = dir === 'write' ? 'wr' : 'rd';
    const d = R.V0_DIR[dir];
    const n = engine.channelCount(dir);
    out.push(
      { name: `${p}_engine_en`, offset: d.engineEn, fields: [f('EN', 0)] },
      { name: `${p}_doorbell`, offset: d.doorbell, fields: [f('CH', 0, 3), f('STOP', 31)] },
      { name: `${p}_int_status`, offset: d.intStatus, fields: intBits(n) },
      { name: `${p}_int_mask`, offset: d.intMask, fields: intBits(n) },
      { name: `${p}_int_clear`, offset: d.intClear, fields: intBits(n) },
      { name: `${p}_err_status`, offset: d.errStatus },
      { name: `${p}_done_imwr`, offset: d.doneImwr, wide: true },
      { name: `${p}_abort_imwr`, offset: d.abortImwr, wide: true },
      { name: `${p}_ll_err_en`, offset: d.llErrEn, fields: chBits('', n) },
    );
    for (let ch = 0; ch < n; ch += 2) {
      const r = R.v0ImwrDataReg(dir, ch);
      out.push({ name: `${p}_ch${ch}${ch + 1}_imwr_data`, offset: r.offset, fields: [f(`ch${ch}`, 0, 16), f(`ch${ch + 1}`, 16, 16)] });
    }
    if (engine.mapFormat === 'hdma-compat') {
      for (let ch = 0; ch < n; ch++) out.push({ name: `${p}_ch${ch}_pwr_en`, offset: R.v0ChPwrEn(dir, ch), fields: [f('EN', 0)] });
    }
  }
  if (engine.mapFormat === 'legacy') out.push({ name: 'viewport_sel', offset: R.V0_VIEWPORT_SEL, fields: [f('CH', 0, 3), f('READ', 31)] });
  return out;
}

function hdmaChannel(base: number): RegDesc[] {
  return [
    { name: 'ch_en', offset: base + R.HDMA_CH_EN, fields: [f('EN', 0)] },
    { name: 'doorbell', offset: base + R.HDMA_DOORBELL, fields: [f('START', 0)] },
    { name: 'prefetch', offset: base + R.HDMA_PREFETCH },
    { name: 'handshake', offset: base + R.HDMA_HANDSHAKE },
    { name: 'llp', offset: base + R.HDMA_LLP_LO, wide: true },
    { name: 'cycle_sync', offset: base + R.HDMA_CYCLE_SYNC, fields: [f('CB', 0), f('CCS', 1)] },
    { name: 'transfer_size', offset: base + R.HDMA_TRANSFER_SIZE },
    { name: 'sar', offset: base + R.HDMA_SAR_LO, wide: true },
    { name: 'dar', offset: base + R.HDMA_DAR_LO, wide: true },
    { name: 'watermark_en', offset: base + R.HDMA_WATERMARK_EN },
    { name: 'control1', offset: base + R.HDMA_CONTROL1, fields: [f('LLE', 0)] },
    { name: 'func_num', offset: base + R.HDMA_FUNC_NUM, fields: [f('FUNC_NUM', 0, 8)] },
    { name: 'qos', offset: base + R.HDMA_QOS },
    { name: 'ch_stat', offset: base + R.HDMA_CH_STAT, fields: [f('STAT', 0, 2)] },
    { name: 'int_stat', offset: base + R.HDMA_INT_STAT, fields: [f('STOP', 0), f('WATERMARK', 1), f('ABORT', 2)] },
    {
      name: 'int_setup', offset: base + R.HDMA_INT_SETUP,
      fields: [f('STOP_MASK', 0), f('WATERMARK_MASK', 1), f('ABORT_MASK', 2), f('RSIE', 3), f('LSIE', 4), f('RAIE', 5), f('LAIE', 6)],
    },
    { name: 'int_clear', offset: base + R.HDMA_INT_CLEAR, fields: [f('STOP', 0), f('WATERMARK', 1), f('ABORT', 2)] },
    { name: 'msi_stop', offset: base + R.HDMA_MSI_STOP_LO, wide: true },
    { name: 'msi_watermark', offset: base + R.HDMA_MSI_WATERMARK_LO, wide: true },
    { name: 'msi_abort', offset: base + R.HDMA_MSI_ABORT_LO, wide: true },
    { name: 'msi_msgdata', offset: base + R.HDMA_MSI_MSGDATA },
  ];
}

/**
 * The register table of an engine. Legacy layouts show the one channel context the viewport
 * selects (D.2 "Legacy only"); the others are not addressable until viewport_sel points at them.
 */
export function registerMap(engine: EdmaEngine): RegisterMap {
  const channels: ChannelRegs[] = [];
  if (engine.mapFormat === 'hdma-native') {
    for (const dir of ['write', 'read'] as const) {
      for (let ch = 0; ch < engine.channelCount(dir); ch++) channels.push({ dir, ch, name: `${dir === 'write' ? 'wr' : 'rd'}.ch${ch}`, regs: hdmaChannel(R.hdmaCtx(dir, ch)) });
    }
    return { global: [], channels };
  }
  if (engine.mapFormat === 'legacy') {
    const sel = engine.read32(R.V0_VIEWPORT_SEL);
    const dir: EdmaDir = sel & R.V0_VIEWPORT_READ ? 'read' : 'write';
    const ch = sel & R.V0_VIEWPORT_CH_MASK;
    if (ch < engine.channelCount(dir)) channels.push({ dir, ch, name: `${dir === 'write' ? 'wr' : 'rd'}.ch${ch}`, regs: v0Channel(R.V0_LEGACY_CTX) });
    return { global: v0Global(engine), channels };
  }
  for (const dir of ['write', 'read'] as const) {
    for (let ch = 0; ch < engine.channelCount(dir); ch++) channels.push({ dir, ch, name: `${dir === 'write' ? 'wr' : 'rd'}.ch${ch}`, regs: v0Channel(R.v0UnrollCtx(dir, ch)) });
  }
  return { global: v0Global(engine), channels };
}

export function readReg(engine: EdmaEngine, r: RegDesc): bigint {
  const lo = BigInt(engine.read32(r.offset) >>> 0);
  return r.wide ? lo | (BigInt(engine.read32(r.offset + 4) >>> 0) << 32n) : lo;
}

/** Writes a register through the engine's MMIO path (so doorbells and clears take effect). */
export function writeReg(write32: (offset: number, value: number) => void, r: RegDesc, value: bigint): void {
  const v = BigInt.asUintN(r.wide ? 64 : 32, value);
  write32(r.offset, Number(v & 0xffff_ffffn));
  if (r.wide) write32(r.offset + 4, Number(v >> 32n));
}

export function fieldOf(value: bigint, fd: FieldDesc): number {
  return Number((value >> BigInt(fd.shift)) & ((1n << BigInt(fd.width)) - 1n));
}

export function withField(value: bigint, fd: FieldDesc, v: bigint): bigint {
  const mask = ((1n << BigInt(fd.width)) - 1n) << BigInt(fd.shift);
  return (value & ~mask) | ((v << BigInt(fd.shift)) & mask);
}

/** A field's value for display: CS and ch_stat get their meaning (D.2 CS values). */
export function fieldText(fd: FieldDesc, v: number): string {
  if (fd.name === 'CS' || fd.name === 'STAT') {
    const meaning = v === R.CS_RUNNING ? 'running' : v === R.CS_HALTED ? 'halted' : v === R.CS_STOPPED ? 'stopped' : 'reserved/idle';
    return `${v} (${meaning})`;
  }
  return fd.width > 4 ? `${v} (0x${v.toString(16)})` : String(v);
}

export function regText(r: RegDesc, v: bigint): string {
  const text = `0x${v.toString(16).padStart(r.wide ? 16 : 8, '0')}`;
  if (!r.fields) return text;
  const set = r.fields.filter((fd) => fd.width === 1 && fieldOf(v, fd) === 1).map((fd) => fd.name);
  const multi = r.fields.filter((fd) => fd.width > 1).map((fd) => `${fd.name}=${fieldOf(v, fd)}`);
  const parts = [...set, ...multi];
  return parts.length ? `${text} [${parts.join(' ')}]` : text;
}

/** The register `name` of a channel, or a global one, case-insensitively. */
export function findReg(regs: readonly RegDesc[], name: string): RegDesc | undefined {
  const n = name.toLowerCase();
  return regs.find((r) => r.name.toLowerCase() === n);
}

export function findField(r: RegDesc, name: string): FieldDesc | undefined {
  const n = name.toLowerCase();
  return r.fields?.find((fd) => fd.name.toLowerCase() === n);
}
