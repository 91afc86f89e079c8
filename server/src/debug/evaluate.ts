/**
 * The debugger's expression language, for Watch, the Debug Console, hovers and breakpoint
 * conditions (DAP `evaluate` contexts watch/repl/hover; conditions are a truthy check).
 *
 *   time, step, phase, side, probe         virtual time (µs), step number (1-based), current phase/side, host probe status
 *   wr_int_status, rd_int_mask, …          eDMA v0 global registers (registers.ts), `.FIELD` for a bit field
 *   wr.ch1.control1, rd.ch0.sar, …         channel registers; `chN.reg` counts dmaengine-style (write channels first)
 *   bar0[0x8]                              32-bit read at offset 8 of BAR0 of the pci_epf_dma function, as the host sees it
 *   pedm.ctrl.ready, pedm.len, pedm.wr[0].desc_off   metadata fields (names of metadata/codec.ts locateField, plus aliases)
 *   functions/pci_epf_dma/dma0/msi_interrupts        a configfs attribute, printed with the kernel's show format
 *   msi_interrupts, wr_chans                         the same, for the current pci_epf_dma function
 *   == != < <= > >=  &&  ||  !  ( )                  comparisons and logic; literals: 12, 0x1f, 'ok', true/false
 * Unknown names raise an EvalError whose message says what is available (never a crash).
 */
import type { EpfState } from '../emulator/configfs/state';
import { devName } from '../emulator/configfs/state';
import { dmaPlans } from '../emulator/epf/dma';
import { getBits } from '../emulator/metadata/format';
import { locateField } from '../emulator/metadata/codec';
import { allAttributes, CONTROLLER_ATTRIBUTES } from '../language/schema';
import { formatShow } from '../language/kstrto';
import { attributeNode, attrShow, defaultEngine, dmaFunction, regNode } from './inspect';
import { memRef, readMemory } from './memory';
import { fieldOf, fieldText, findField, findReg, readReg, regText, registerMap } from './registers';
import { hex, parseNumber, timeText, type DebugState, type VarNode } from './model';

export class EvalError extends Error {}

export interface EvalResult {
  /** What the user sees. */
  value: string;
  /** Numeric value, for comparisons and truthiness. */
  n?: bigint;
  type?: string;
  children?: () => VarNode[];
  memoryReference?: string;
}

const HELP = 'try time, wr_int_status, wr.ch0.control1, ch0.llp, bar0[0x8], pedm.ctrl.ready, functions/<driver>/<name>/<attribute>';

// ---- tokens ------------------------------------------------------------------------------------

type Tok = { k: 'num'; v: bigint; text: string } | { k: 'str'; v: string } | { k: 'op'; v: string } | { k: 'ref'; v: string };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) { out.push({ k: 'op', v: op }); i += op.length; continue; }
    if (c === '\'' || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new EvalError(`unterminated string in '${src}'`);
      out.push({ k: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const m = /^[A-Za-z0-9_./\-[\]:,]+/.exec(src.slice(i));
    if (!m) throw new EvalError(`unexpected '${c}' in '${src}'`);
    const text = m[0];
    const num = /^-?\d/.test(text) ? parseNumber(text) : undefined;
    out.push(num !== undefined ? { k: 'num', v: num, text } : { k: 'ref', v: text });
    i += text.length;
  }
  return out;
}

// ---- parser / interpreter ------------------------------------------------------------------------

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[], private readonly state: DebugState, private readonly src: string) {}

  parse(): EvalResult {
    if (this.toks.length === 0) throw new EvalError('empty expression');
    const r = this.or();
    if (this.i < this.toks.length) throw new EvalError(`unexpected '${tokText(this.toks[this.i])}' in '${this.src}'`);
    return r;
  }

  private peekOp(...ops: string[]): string | undefined {
    const t = this.toks[this.i];
    return t && t.k === 'op' && ops.includes(t.v) ? t.v : undefined;
  }

  private or(): EvalResult {
    let l = this.and();
    while (this.peekOp('||')) {
      this.i++;
      const r = this.and();
      l = bool(truthy(l) || truthy(r));
    }
    return l;
  }

  private and(): EvalResult {
    let l = this.cmp();
    while (this.peekOp('&&')) {
      this.i++;
      const r = this.cmp();
      l = bool(truthy(l) && truthy(r));
    }
    return l;
  }

  private cmp(): EvalResult {
    const l = this.unary();
    const op = this.peekOp('==', '!=', '<', '<=', '>', '>=');
    if (!op) return l;
    this.i++;
    return bool(compare(op, l, this.unary()));
  }

  private unary(): EvalResult {
    if (this.peekOp('!')) {
      this.i++;
      return bool(!truthy(this.unary()));
    }
    if (this.peekOp('(')) {
      this.i++;
      const r = this.or();
      if (!this.peekOp(')')) throw new EvalError(`missing ')' in '${this.src}'`);
      this.i++;
      return r;
    }
    const t = this.toks[this.i++];
    if (!t) throw new EvalError(`incomplete expression '${this.src}'`);
    if (t.k === 'num') return { value: t.text, n: t.v };
    if (t.k === 'str') return { value: t.v };
    if (t.k === 'op') throw new EvalError(`unexpected '${t.v}' in '${this.src}'`);
    if (t.v === 'true' || t.v === 'false') return bool(t.v === 'true');
    return resolve(this.state, t.v);
  }
}

function tokText(t: Tok): string {
  return t.k === 'num' ? t.text : String(t.v);
}

function bool(b: boolean): EvalResult {
  return { value: b ? 'true' : 'false', n: b ? 1n : 0n, type: 'bool' };
}

/** The number a shown value stands for, when it is one ("0x1d87", "8", "-1"). */
function numberOf(r: EvalResult): bigint | undefined {
  return r.n ?? parseNumber(r.value);
}

export function truthy(r: EvalResult): boolean {
  const n = numberOf(r);
  if (n !== undefined) return n !== 0n;
  return r.value !== '' && r.value !== 'false';
}

function compare(op: string, a: EvalResult, b: EvalResult): boolean {
  const x = numberOf(a);
  const y = numberOf(b);
  if (x !== undefined && y !== undefined) {
    switch (op) {
      case '==': return x === y;
      case '!=': return x !== y;
      case '<': return x < y;
      case '<=': return x <= y;
      case '>': return x > y;
      default: return x >= y;
    }
  }
  if (op === '==') return a.value === b.value;
  if (op === '!=') return a.value !== b.value;
  throw new EvalError(`cannot order '${a.value}' and '${b.value}' with ${op}: not numbers`);
}

// ---- names -------------------------------------------------------------------------------------

/** Friendly names of metadata fields (seed-series 1.3) → the codec's names. */
const PEDM_ALIASES: Record<string, string> = {
  'ctrl.ready': 'ctrl.R', 'ctrl.host_req': 'ctrl.H', 'ready': 'ctrl.R', 'host_req': 'ctrl.H',
  'ctrl.wr_count': 'ctrl.wr', 'ctrl.rd_count': 'ctrl.rd', 'ctrl.entry_size': 'ctrl.stride', 'reg_bar': 'ctrl.reg_bar',
};

function requireDma(state: DebugState): EpfState {
  const f = dmaFunction(state.emu);
  if (!f) throw new EvalError('no pci_epf_dma function exists at this point of the replay');
  return f;
}

function pedm(state: DebugState, field: string): EvalResult {
  const f = requireDma(state);
  const plan = dmaPlans.get(f);
  if (!plan) throw new EvalError(`${devName(f)} is not bound yet: it has no metadata`);
  const name = PEDM_ALIASES[field] ?? field;
  const ref = memRef({ kind: 'blob', fn: f.path });
  const blob = readMemory(state.emu, ref, 0, Math.max(plan.layout.blob.len, 0x1c)).data;
  const loc = locateField(blob, name);
  if (!loc || loc.offset + (loc.wide ? 8 : 4) > blob.length) throw new EvalError(`unknown metadata field '${field}' (e.g. ctrl.ready, ctrl.host_req, len, rev, reg_off, wr[0].desc_off, rd[1].hw_ch)`);
  if (loc.wide) {
    const v = blob.readBigUInt64LE(loc.offset);
    return { value: hex(v), n: v, type: `u64 @ +${hex(loc.offset)}` };
  }
  const v = getBits(blob.readUInt32LE(loc.offset), loc.bits);
  return { value: loc.bits.width > 4 ? hex(v) : String(v), n: BigInt(v), type: `${loc.bits.width === 32 ? 'u32' : `bits ${loc.bits.shift + loc.bits.width - 1}:${loc.bits.shift}`} @ +${hex(loc.offset)}` };
}

function barRead(state: DebugState, bar: number, offset: bigint): EvalResult {
  const f = requireDma(state);
  const dev = [...state.emu.system.devices].reverse().find((d) => d.epf === f);
  const b = dev?.bars.find((x) => x.bar === bar);
  if (!dev) throw new EvalError(`the host has not enumerated ${devName(f)} yet: BAR${bar} has no host address`);
  if (!b || b.address === undefined) throw new EvalError(`${dev.bdf} has no BAR${bar} the host assigned`);
  if (offset < 0n || offset + 4n > BigInt(b.size)) throw new EvalError(`offset ${hex(offset)} is outside BAR${bar} (${hex(b.size)} bytes)`);
  const v = state.emu.system.hostMmio.read32(b.address + offset);
  if (v === undefined) throw new EvalError(`BAR${bar} + ${hex(offset)} is not readable`);
  return { value: hex(v, 8), n: BigInt(v), type: `u32 @ host ${hex(b.address + offset)}`, memoryReference: memRef({ kind: 'bar', base: b.address + offset }) };
}

function configfs(state: DebugState, path: string): EvalResult {
  const p = path.replace(/^\/sys\/kernel\/config\/pci_ep\//, '').replace(/\/+$/, '');
  const st = state.emu.replay.state;
  if (p.startsWith('controllers/')) {
    const [, name, attr] = p.split('/');
    const epc = st.controllers.get(name);
    if (!epc) throw new EvalError(`no controller '${name}' (known: ${[...st.controllers.keys()].join(', ') || 'none'})`);
    if (!attr) return { value: epc.started ? 'started' : 'stopped', n: epc.started ? 1n : 0n };
    const spec = CONTROLLER_ATTRIBUTES.find((a) => a.name === attr);
    if (!spec) throw new EvalError(`controllers/${name} has no attribute '${attr}' (it has: start)`);
    return { value: formatShow(spec.show, epc.started), n: epc.started ? 1n : 0n, type: `show ${spec.show}` };
  }
  const parts = p.split('/');
  const fnPath = parts.slice(0, 3).join('/');
  const epf = st.functions.get(fnPath);
  if (!epf) throw new EvalError(`no function directory '${fnPath}' at this point of the replay`);
  const rest = parts.slice(3);
  if (rest.length === 0) {
    const attrs = allAttributes(epf.driver);
    return { value: `${devName(epf)}${epf.bound ? ' (bound)' : ''}`, children: () => attrs.map((a) => attributeNode(epf, a)) };
  }
  const attrName = rest.length === 2 && rest[0] === devName(epf) ? rest[1] : rest.length === 1 ? rest[0] : undefined;
  const spec = attrName ? allAttributes(epf.driver).find((a) => a.name === attrName && (rest.length === 2) === (a.group === 'driver-group')) : undefined;
  if (!spec) throw new EvalError(`'${rest.join('/')}' is not an attribute of ${fnPath}`);
  return showResult(epf, spec.name);
}

function showResult(epf: EpfState, name: string): EvalResult {
  const spec = allAttributes(epf.driver).find((a) => a.name === name)!;
  const shown = attrShow(epf, spec);
  return { value: shown, n: parseNumber(shown), type: `show ${spec.show}` };
}

function register(state: DebugState, name: string): EvalResult | undefined {
  const eng = defaultEngine(state.emu);
  const m = /^(?:(wr|rd)\.ch(\d+)|ch(\d+))\.(\w+)(?:\.(\w+))?$/i.exec(name) ?? /^()()()([a-z]\w*)(?:\.(\w+))?$/i.exec(name);
  if (!m) return undefined;
  const [, dirName, chText, dmaChText, regName, fieldName] = m;
  if (!eng) {
    const looksLikeReg = !!dirName || !!dmaChText || /^(wr|rd)_|^ctrl$|^viewport_sel$/i.test(regName);
    if (looksLikeReg) throw new EvalError('no eDMA engine yet: the endpoint bus and its eDMA are built at start = 1');
    return undefined;
  }
  const map = registerMap(eng.engine);
  let regs = map.global;
  let prefix = '';
  if (dirName || dmaChText) {
    let dir: 'write' | 'read' = dirName?.toLowerCase() === 'rd' ? 'read' : 'write';
    let ch = Number(chText ?? dmaChText);
    if (dmaChText !== undefined && ch >= eng.engine.wrChannels) {
      // dmaengine numbering: write channels first, then read channels (dw-edma's chan ids).
      dir = 'read';
      ch -= eng.engine.wrChannels;
    }
    const c = map.channels.find((x) => x.dir === dir && x.ch === ch);
    if (!c) throw new EvalError(`${eng.epc} has no addressable ${dir} channel ${ch} (${eng.engine.wrChannels} wr + ${eng.engine.rdChannels} rd, ${eng.engine.mapFormat})`);
    regs = c.regs;
    prefix = `${c.name}.`;
  }
  const r = findReg(regs, regName);
  if (!r) {
    if (!prefix && eng.engine.mapFormat === 'hdma-native' && /^(wr|rd)_/i.test(regName)) {
      throw new EvalError(`${eng.epc} is HDMA native: its registers are per channel (wr.ch0.int_stat, rd.ch1.ch_en, …)`);
    }
    if (prefix) throw new EvalError(`no register '${regName}' in ${prefix.slice(0, -1)} (has: ${regs.map((x) => x.name).join(', ')})`);
    return undefined;
  }
  const v = readReg(eng.engine, r);
  if (fieldName) {
    const fd = findField(r, fieldName);
    if (!fd) throw new EvalError(`${r.name} has no field '${fieldName}' (has: ${(r.fields ?? []).map((x) => x.name).join(', ') || 'none'})`);
    const fv = fieldOf(v, fd);
    return { value: fieldText(fd, fv), n: BigInt(fv), type: `${r.name} bits ${fd.shift + fd.width - 1}:${fd.shift}` };
  }
  const node = regNode(state, eng.epc, eng.engine, r, prefix);
  return {
    value: regText(r, v), n: v, type: `${r.wide ? 'u64' : 'u32'} @ ${eng.epc} eDMA +${hex(r.offset, 3)}`, children: node.children,
    memoryReference: memRef({ kind: 'ep', epc: eng.epc, base: state.emu.system.eps.get(eng.epc)!.epc.controller.profile.edma.regPhys + BigInt(r.offset) }),
  };
}

function resolve(state: DebugState, name: string): EvalResult {
  const emu = state.emu;
  switch (name) {
    case 'time': {
      const t = emu.system.clock.now;
      return { value: `${t} µs (${timeText(t)})`, n: BigInt(t), type: 'µs' };
    }
    case 'step': return { value: `${state.index + 1} (of ${state.total})`, n: BigInt(state.index + 1) };
    case 'phase': return { value: state.step?.phase ?? 'ended' };
    case 'side': return { value: state.step?.side ?? '' };
    case 'probe': {
      const d = [...emu.system.devices].reverse().find((x) => x.probe);
      return { value: d?.probe?.status ?? 'not run' };
    }
  }
  const bar = /^bar([0-5])\[(.+)\]$/i.exec(name);
  if (bar) {
    const off = parseNumber(bar[2]);
    if (off === undefined) throw new EvalError(`'${bar[2]}' is not an offset`);
    return barRead(state, Number(bar[1]), off);
  }
  if (name === 'pedm' || name.startsWith('pedm.')) {
    if (name === 'pedm') throw new EvalError('name a metadata field: pedm.ctrl.ready, pedm.len, pedm.wr[0].desc_off, …');
    return pedm(state, name.slice(5));
  }
  if (/^(\/sys\/kernel\/config\/pci_ep\/)?(functions|controllers)\//.test(name)) return configfs(state, name);
  // A bare attribute name: the current pci_epf_dma function's (hovers over `msi_interrupts = 8`).
  const f = dmaFunction(emu);
  const attr = name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
  if (f && allAttributes(f.driver).some((a) => a.name === attr)) return showResult(f, attr);
  const reg = register(state, name);
  if (reg) return reg;
  throw new EvalError(`unknown name '${name}' (${HELP})`);
}

/** Evaluates `expr` in the shown state; throws EvalError with a readable message. */
export function evaluate(state: DebugState, expr: string): EvalResult {
  return new Parser(tokenize(expr), state, expr.trim()).parse();
}
