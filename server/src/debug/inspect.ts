/**
 * Variable trees from the live emulation, as plain data (model.ts): Platform, EPC, one scope per
 * endpoint function, eDMA registers with bit fields (a Registers-style scope as cortex-debug shows
 * its peripheral registers; vscode-anchors 2.9, 3.4), Channels, Host and Time. Every value is
 * read from the emulator's own state (DESIGN.md 3: one emulation model, many views).
 */
import type { SteppedEmulation } from '../emulator/emulate';
import type { EpcState, EpfState, Interface } from '../emulator/configfs/state';
import { devName } from '../emulator/configfs/state';
import { dmaPlans } from '../emulator/epf/dma';
import { chanKey, llRegionPhys } from '../emulator/epc/dwc-aux';
import type { EdmaEngine } from '../emulator/edma/engine';
import { functionBars } from '../emulator/views/bars';
import { programmedBar } from '../emulator/epc/set-bar';
import { decodeFields } from '../emulator/metadata/codec';
import { allAttributes, findDriver } from '../language/schema';
import type { AttributeSpec } from '../language/schema';
import { formatShow } from '../language/kstrto';
import type { Region } from '../emulator/memory';
import { memRef, readMemory } from './memory';
import { fieldOf, fieldText, readReg, regText, registerMap, withField, writeReg, type RegDesc } from './registers';
import { group, hex, leaf, parseNumber, sizeText, timeText, type DebugState, type ScopeNode, type VarNode } from './model';

// ---- lookups shared with evaluate.ts ---------------------------------------------------------

/** The function `bar0[…]` and `pedm.…` refer to: the first bound pci_epf_dma, else the first pci_epf_dma. */
export function dmaFunction(emu: SteppedEmulation): EpfState | undefined {
  const fns = [...emu.replay.state.functions.values()];
  return fns.find((f) => dmaPlans.has(f)) ?? fns.find((f) => f.driver === 'pci_epf_dma');
}

export function linkOf(epf: EpfState): { epc: string; iface: Interface } | undefined {
  if (epf.links.primary) return { epc: epf.links.primary.epc, iface: 'primary' };
  if (epf.links.secondary) return { epc: epf.links.secondary.epc, iface: 'secondary' };
  return undefined;
}

/** The controller whose engine register names refer to: the current DMA function's, else the first with an engine. */
export function defaultEngine(emu: SteppedEmulation): { epc: string; engine: EdmaEngine } | undefined {
  const f = dmaFunction(emu);
  const link = f ? linkOf(f) : undefined;
  const own = link ? emu.system.eps.get(link.epc) : undefined;
  if (own?.engine) return { epc: own.epc.name, engine: own.engine };
  for (const ep of emu.system.eps.values()) if (ep.engine) return { epc: ep.epc.name, engine: ep.engine };
  return undefined;
}

/** What `cat` of the attribute prints (the kernel's show format, kernel-background F.4), without the newline. */
export function attrShow(epf: EpfState, spec: AttributeSpec): string {
  const v = epf.values.get(spec.name) ?? (spec.defaultValue !== undefined ? BigInt(spec.defaultValue) : 0n);
  return formatShow(spec.show, v);
}

/** Refusal for edits of configfs attributes (documented in docs: a change means a different replay). */
function refuseAttribute(epf: EpfState, name: string): never {
  const at = epf.writes.get(name);
  throw new Error(`${epf.path}/${name} is replayed from the file${at ? ` (written at line ${at.line + 1})` : ''}: edit the .pciep and restart the session — changing a configfs value means running the bring-up again`);
}

export function attributeNode(epf: EpfState, spec: AttributeSpec): VarNode {
  const path = spec.group === 'driver-group' ? `${epf.path}/${devName(epf)}/${spec.name}` : `${epf.path}/${spec.name}`;
  return {
    name: spec.name, value: attrShow(epf, spec), type: `show ${spec.show}`, evaluateName: path,
    set: () => refuseAttribute(epf, spec.name),
  };
}

// ---- registers ---------------------------------------------------------------------------------

export function regNode(state: DebugState, epc: string, engine: EdmaEngine, r: RegDesc, prefix: string): VarNode {
  const write = (v: bigint): string => {
    writeReg((o, x) => state.writeRegister(epc, o, x), r, v);
    return regText(r, readReg(engine, r));
  };
  const parse = (text: string): bigint => {
    const v = parseNumber(text);
    if (v === undefined) throw new Error(`'${text}' is not a number (use decimal or 0x hex)`);
    return v;
  };
  const value = readReg(engine, r);
  return {
    name: r.name, value: regText(r, value), type: `${r.wide ? 'u64' : 'u32'} @ +${hex(r.offset, 3)}`, evaluateName: `${prefix}${r.name}`,
    set: (text) => write(parse(text)),
    children: r.fields ? () => r.fields!.map((fd) => ({
      name: fd.name, value: fieldText(fd, fieldOf(readReg(engine, r), fd)),
      type: fd.width === 1 ? `bit ${fd.shift}` : `bits ${fd.shift + fd.width - 1}:${fd.shift}`,
      evaluateName: `${prefix}${r.name}.${fd.name}`,
      set: (text: string) => {
        write(withField(readReg(engine, r), fd, parse(text)));
        return fieldText(fd, fieldOf(readReg(engine, r), fd));
      },
    })) : undefined,
  };
}

export function registerNodes(state: DebugState, epc: string, engine: EdmaEngine): VarNode[] {
  const map = registerMap(engine);
  const out = map.global.map((r) => regNode(state, epc, engine, r, ''));
  for (const c of map.channels) {
    const st = engine.channelStats(c.dir, c.ch);
    out.push(group(c.name, `${c.dir} channel ${c.ch}: ${st.status}`, () => c.regs.map((r) => regNode(state, epc, engine, r, `${c.name}.`)), { evaluateName: c.name }));
  }
  return out;
}

// ---- scopes ------------------------------------------------------------------------------------

function regionNodes(regions: readonly Region[], ref: (base: bigint) => string): VarNode[] {
  return regions.map((r) => leaf(r.name, `${hex(r.base)}..${hex(r.base + BigInt(r.size) - 1n)} (${sizeText(r.size)}${r.mmio ? ', MMIO' : ''})`, { memoryReference: ref(r.base) }));
}

function platformScope(emu: SteppedEmulation): VarNode[] {
  return [...emu.platform.controllers.values()].map((c) => {
    const p = c.profile;
    const e = p.edma;
    const feat = p.features;
    return group(c.name, `${p.name} (${p.compatible}), kernel ${c.kernel}`, () => [
      leaf('compatible', p.compatible), leaf('kernel', c.kernel), leaf('glue', p.glue),
      group('features', `align ${sizeText(feat.align)}, ${[feat.msiCapable && 'MSI', feat.msixCapable && 'MSI-X', feat.intxCapable && 'INTx'].filter(Boolean).join('/')}`, () => [
        leaf('msi_capable', feat.msiCapable), leaf('msix_capable', feat.msixCapable), leaf('intx_capable', feat.intxCapable),
        leaf('linkup_notifier', feat.linkupNotifier), leaf('dynamic_inbound_mapping', feat.dynamicInboundMapping),
        leaf('subrange_mapping', feat.subrangeMapping), leaf('align', feat.align ? `${hex(feat.align)} (${sizeText(feat.align)})` : '0 (none)'),
      ]),
      group('BARs', feat.bars.map((b) => b.type).join(', '), () => feat.bars.map((b, i) => group(`BAR${i}`,
        `${b.type}${b.fixedSize ? ` ${sizeText(b.fixedSize)}` : ''}${b.only64bit ? ', 64-bit only' : ''}${b.rsvdRegions?.length ? `, ${b.rsvdRegions.length} reserved region(s)` : ''}`,
        () => [
          leaf('type', b.type), ...(b.fixedSize ? [leaf('fixed size', sizeText(b.fixedSize))] : []), leaf('only 64-bit', !!b.only64bit),
          ...(b.rsvdRegions ?? []).map((r) => leaf(r.type, `+${hex(r.offset)} ${sizeText(r.size)}`)),
        ]))),
      leaf('max-functions', p.maxFunctions), leaf('max-vfs', p.maxVfs ? p.maxVfs.join(', ') : 'not populated'),
      group('iATU', `${p.iatu.inbound} inbound, ${p.iatu.outbound} outbound, min region ${sizeText(p.iatu.regionAlign)}`, () => [
        leaf('inbound windows', p.iatu.inbound), leaf('outbound windows', p.iatu.outbound), leaf('min region', sizeText(p.iatu.regionAlign)),
      ]),
      group('eDMA', e.present ? `${e.mapFormat}, ${e.wrChannels} wr + ${e.rdChannels} rd` : 'absent', () => [
        leaf('present', e.present), leaf('map format', e.mapFormat), leaf('write channels', e.wrChannels), leaf('read channels', e.rdChannels),
        leaf('LL region size', e.llRegionSize ? sizeText(e.llRegionSize) : '0 (non-LL)'),
        leaf('register window', `${hex(e.regPhys)} (${sizeText(e.regSize)})`, emu.system.eps.has(c.name) ? { memoryReference: memRef({ kind: 'ep', epc: c.name, base: e.regPhys }) } : {}),
        leaf('doorbell offset', e.doorbellOffset === null ? 'none' : hex(e.doorbellOffset)), leaf('irqs', e.irqs),
        leaf('provider registered', e.providerRegistered),
      ]),
      leaf('init at', p.initAt),
    ]);
  });
}

function epcScope(emu: SteppedEmulation): VarNode[] {
  const sys = emu.system;
  return [...emu.replay.state.controllers.values()].map((epc) => {
    const ep = sys.eps.get(epc.name);
    const fns = [...emu.replay.state.functions.values()].filter((f) => linkOf(f)?.epc === epc.name);
    return group(epc.name, `${epc.started ? 'started' : 'stopped'}, ${fns.length} function(s), ${epc.dwc.bars.size} BAR(s) programmed`, () => [
      leaf('start', formatShow('%d', epc.started), { evaluateName: `controllers/${epc.name}/start` }),
      leaf('init complete', epc.initComplete), leaf('function numbers in use', [...epc.functionNums].sort((a, b) => a - b).join(', ') || 'none'),
      group('functions', fns.map((f) => devName(f)).join(', ') || 'none', () => fns.map((f) => leaf(devName(f), `${f.path}, function ${f.funcNo.primary ?? f.funcNo.secondary ?? '?'}${f.bound ? '' : ' (not bound)'}`))),
      group('programmed BARs', String(epc.dwc.bars.size), () => [...epc.dwc.bars.values()].map((b) => group(`func ${b.funcNo} BAR${b.barno}`,
        `${sizeText(b.size)} → EP ${hex(b.phys)}${b.hostAddr !== undefined ? `, host ${hex(b.hostAddr)}` : ''}`, () => [
          leaf('phys', hex(b.phys)), leaf('size', `${hex(b.size)} (${sizeText(b.size)})`), leaf('64-bit', b.is64),
          leaf('host address', b.hostAddr !== undefined ? hex(b.hostAddr) : 'not enumerated'), leaf('inbound iATU windows', b.ibWindows),
          group('submaps', String(b.submaps?.length ?? 0), () => (b.submaps ?? []).map((s, i) => leaf(`[${i}]`, `${hex(s.phys)} (${sizeText(s.size)})`,
            ep ? { memoryReference: memRef({ kind: 'ep', epc: epc.name, base: s.phys }) } : {}))),
        ], ep ? { memoryReference: memRef({ kind: 'ep', epc: epc.name, base: b.phys }) } : {}))),
      leaf('iATU inbound windows', `${epc.dwc.ibWindowsUsed} of ${epc.controller.profile.iatu.inbound} in use`),
      group('delegated channels', String(epc.delegated.size), () => [...epc.delegated].map(([k, owner]) => leaf(k, owner))),
      ...(ep ? [group('EP bus', `${ep.bus.list().length} regions`, () => regionNodes(ep.bus.list(), (base) => memRef({ kind: 'ep', epc: epc.name, base })),
        { memoryReference: memRef({ kind: 'ep', epc: epc.name, base: 0n }) })] : [leaf('EP bus', 'built at start = 1')]),
    ]);
  });
}

function metadataNode(emu: SteppedEmulation, epf: EpfState): VarNode | undefined {
  const plan = dmaPlans.get(epf);
  if (!plan) return undefined;
  const ref = memRef({ kind: 'blob', fn: epf.path });
  const len = Math.max(plan.layout.blob.len, 0x1c);
  const bytes = Buffer.from(readMemory(emu, ref, 0, len).data);
  const d = decodeFields(bytes);
  const m = d.metadata;
  const summary = m ? `PEDM rev ${m.rev}, len ${hex(m.len)}, ${m.wrCount} wr + ${m.rdCount} rd, H=${m.hostReq ? 1 : 0} R=${m.ready ? 1 : 0}` : d.notes.join('; ') || 'not decodable';
  return group('metadata', summary, () => d.rows.map((row) => group(`${row.name}`, `${hex(row.value, 8)}  ${row.meaning}`, () => [
    leaf('offset', hex(row.offset, 2)), leaf('bytes', row.hex),
    ...row.bits.map((b) => leaf(`${b.name} [${b.bits}]`, `${b.value} (${hex(b.value)})`)),
  ])), { memoryReference: ref, evaluateName: 'pedm' });
}

function functionBarNodes(emu: SteppedEmulation, epf: EpfState): VarNode[] {
  const link = linkOf(epf);
  const ctrl = link ? emu.platform.controllers.get(link.epc) : undefined;
  const epc = link ? emu.replay.state.controllers.get(link.epc) : undefined;
  if (!link || !ctrl || !epc) return [leaf('BARs', 'not linked to a controller')];
  const ep = emu.system.eps.get(link.epc);
  const funcNo = epf.funcNo[link.iface] ?? 0;
  const ref = (phys: bigint | undefined) => (ep && phys !== undefined ? { memoryReference: memRef({ kind: 'ep', epc: link.epc, base: phys }) } : {});
  return functionBars(epf, ctrl.profile, link.iface).filter((b) => b.size > 0 || b.regions.length > 0).map((b) => {
    const backing = programmedBar(epc.dwc, funcNo, b.bar)?.phys ?? b.regions.find((r) => r.offset === 0)?.phys;
    return group(`BAR${b.bar}`, `${b.type}${b.size ? ` ${sizeText(b.size)}` : ''}${b.is64 ? ' 64-bit' : ''}${b.role ? `, ${b.role}` : ''}`, () => [
      leaf('type', b.type), leaf('size', b.size ? `${hex(b.size)} (${sizeText(b.size)})` : '0 (unused by this function)'), leaf('64-bit', b.is64),
      ...(b.role ? [leaf('role', b.role)] : []),
      ...b.regions.map((r) => leaf(`+${hex(r.offset, 4)} ${r.kind}`, `${sizeText(r.size)}${r.phys !== undefined ? ` → EP ${hex(r.phys)}` : ''}${r.label ? ` (${r.label})` : ''}`, ref(r.phys))),
    ], ref(backing));
  });
}

function functionScope(emu: SteppedEmulation, epf: EpfState): VarNode[] {
  const spec = findDriver(epf.driver);
  const attrs = allAttributes(epf.driver);
  const std = attrs.filter((a) => a.group === 'function').map((a) => attributeNode(epf, a));
  const grp = attrs.filter((a) => a.group === 'driver-group');
  const out: VarNode[] = [...std];
  if (spec?.hasGroup && grp.length) out.push(group(`${devName(epf)}/`, grp.map((a) => `${a.name}=${attrShow(epf, a)}`).join(' '), () => grp.map((a) => attributeNode(epf, a))));
  const link = linkOf(epf);
  out.push(
    leaf('device', devName(epf)), leaf('bound', epf.bound), leaf('initialised', epf.initialised),
    group('links', Object.keys(epf.links).join(', ') || 'none', () => (['primary', 'secondary'] as const).filter((i) => epf.links[i]).map((i) =>
      leaf(`${i}/${epf.links[i]!.linkName}`, `→ controllers/${epf.links[i]!.epc}, function ${epf.funcNo[i] ?? 'not assigned'}`))),
    group('BARs', link ? `on ${link.epc}` : 'not linked', () => functionBarNodes(emu, epf)),
  );
  const meta = metadataNode(emu, epf);
  if (meta) out.push(meta);
  const chans = emu.system.channelViews(epf);
  if (chans.length) out.push(group('channels', chans.map((c) => `${c.dir} ${c.hwCh}: ${c.state}`).join(', '), () => chans.map((c) => leaf(`${c.dir} ch${c.hwCh}`, c.state + (c.errno ? ` (${c.errno})` : '')))));
  return out;
}

function edmaScope(state: DebugState): VarNode[] {
  const out: VarNode[] = [];
  for (const ep of state.emu.system.eps.values()) {
    if (!ep.engine) continue;
    const e = ep.engine;
    const regPhys = ep.epc.controller.profile.edma.regPhys;
    out.push(group(ep.epc.name, `${e.mapFormat}, ${e.wrChannels} wr + ${e.rdChannels} rd`, () => registerNodes(state, ep.epc.name, e),
      { memoryReference: memRef({ kind: 'ep', epc: ep.epc.name, base: regPhys }) }));
  }
  return out.length ? out : [leaf('eDMA', 'no engine yet: the endpoint bus and its eDMA are built at start = 1')];
}

/** Delegated / exposed / reclaimed / local, from the delegation table and the owning function's plan. */
function channelState(emu: SteppedEmulation, epc: EpcState, dir: 'write' | 'read', ch: number): { state: string; owner: string } {
  const aux = dir === 'write' ? 'ep-to-rc' : 'rc-to-ep';
  const owner = epc.delegated.get(chanKey(aux, ch));
  if (owner) {
    const f = [...emu.replay.state.functions.values()].find((x) => devName(x) === owner && dmaPlans.has(x));
    const plan = f ? dmaPlans.get(f) : undefined;
    return { state: plan?.channelsExposed ? 'exposed' : 'delegated', owner };
  }
  for (const [f, views] of emu.system.reclaimed) {
    if (views.some((v) => v.dir === aux && v.hwCh === ch)) return { state: 'reclaimed', owner: `${devName(f)} (reclaimed)` };
  }
  return { state: 'local', owner: 'endpoint (not delegated)' };
}

function channelsScope(emu: SteppedEmulation): VarNode[] {
  const out: VarNode[] = [];
  for (const ep of emu.system.eps.values()) {
    const e = ep.engine;
    if (!e) continue;
    const profile = ep.epc.controller.profile;
    for (const st of e.stats()) {
      const s = channelState(emu, ep.epc, st.dir, st.ch);
      const ll = profile.edma.llRegionSize ? llRegionPhys(profile, st.dir === 'write' ? 'ep-to-rc' : 'rc-to-ep', st.ch) : undefined;
      out.push(group(`${ep.epc.name} ${st.dir} ch${st.ch}`, `${s.state}, ${st.status}, ${st.bytesDone} bytes`, () => [
        leaf('state', s.state), leaf('owner', s.owner), leaf('irq routing', st.irqMode), leaf('status', st.status),
        leaf('elements done', st.elementsDone), leaf('bytes done', st.bytesDone), leaf('doorbells', st.doorbells),
        leaf('ignored doorbells', st.ignoredDoorbells), leaf('last abort', st.lastAbort ?? 'none'),
        ...(ll !== undefined ? [leaf('descriptor window (LL region)', `${hex(ll)} (${sizeText(profile.edma.llRegionSize)})`, { memoryReference: memRef({ kind: 'ep', epc: ep.epc.name, base: ll }) })] : []),
      ]));
    }
  }
  return out.length ? out : [leaf('channels', 'no engine yet: built at start = 1')];
}

function hostScope(emu: SteppedEmulation): VarNode[] {
  const sys = emu.system;
  const host = sys.host;
  if (!host.present) return [leaf('host', 'no [host] section: nothing enumerates the endpoint')];
  const probed = [...sys.devices].reverse().find((d) => d.probe);
  const out: VarNode[] = [
    leaf('probe', probed?.probe?.status ?? 'not run', { evaluateName: 'probe' }),
    leaf('driver', host.driver), leaf('msi-vectors', host.msiVectors),
  ];
  for (const dev of sys.devices) {
    const p = dev.probe;
    out.push(group(dev.bdf, `${devName(dev.epf)}, probe ${p?.status ?? 'not run'}`, () => [
      leaf('function', `${devName(dev.epf)} (function ${dev.funcNo})`),
      group('BARs', dev.bars.map((b) => `BAR${b.bar}`).join(', '), () => dev.bars.map((b) => leaf(`BAR${b.bar}`,
        `${b.address !== undefined ? hex(b.address) : 'unassigned'} (${sizeText(b.size)}${b.is64 ? ', 64-bit' : ''}${b.reserved ? ', hardware' : ''})`,
        b.address !== undefined ? { memoryReference: memRef({ kind: 'bar', base: b.address }) } : {}))),
      group('probe', p?.status ?? 'not run', () => p ? [
        leaf('status', p.status), leaf('reason', p.reason ?? ''), leaf('metadata BAR', p.bar ?? 'none'), leaf('MSI vectors granted', p.vectors),
        leaf('HOST_REQ at', p.hostReqAt !== undefined ? timeText(p.hostReqAt) : 'never'), leaf('READY at', p.readyAt !== undefined ? timeText(p.readyAt) : 'never'),
        group('log', `${p.log.length} lines`, () => p.log.map((l, i) => leaf(`[${i}]`, l))),
      ] : []),
    ]));
  }
  out.push(group('transfers', `${host.transfers.length}`, () => host.transfers.map((t) => {
    const r = sys.transfers.find((x) => x.name === t.name);
    const ref = (addr: bigint | undefined, epSide: boolean) => {
      if (addr === undefined) return {};
      const epc = probed ? linkOf(probed.epf)?.epc : undefined;
      return epSide ? (epc ? { memoryReference: memRef({ kind: 'ep', epc, base: addr }) } : {}) : { memoryReference: memRef({ kind: 'host', base: addr }) };
    };
    return group(t.name, `${t.direction} ch${t.channel} ${sizeText(t.size)}: ${r ? r.status + (r.verified ? ', verified' : '') : 'pending'}`, () => [
      leaf('direction', t.direction), leaf('channel', t.channel), leaf('size', `${t.size} (${sizeText(t.size)})`),
      ...(r ? [
        leaf('status', r.status), leaf('verified', r.verified), leaf('elements', r.elements), leaf('chunks', r.chunks),
        ...(r.reason ? [leaf('reason', r.reason)] : []),
        leaf('src', r.src !== undefined ? hex(r.src) : '', ref(r.src, t.direction === 'ep-to-rc')),
        leaf('dst', r.dst !== undefined ? hex(r.dst) : '', ref(r.dst, t.direction === 'rc-to-ep')),
        ...(r.startUs !== undefined ? [leaf('start', timeText(r.startUs))] : []), ...(r.endUs !== undefined ? [leaf('end', timeText(r.endUs))] : []),
      ] : [leaf('status', 'not finished yet (results are recorded when the last transfer ends)')]),
    ]);
  })));
  out.push(group('host memory', `${sys.hostMem.list().length} regions`, () => regionNodes(sys.hostMem.list(), (base) => memRef({ kind: 'host', base })),
    { memoryReference: memRef({ kind: 'host', base: 0n }) }));
  return out;
}

function timeScope(state: DebugState): VarNode[] {
  const now = state.emu.system.clock.now;
  const s = state.step;
  return [
    leaf('time', timeText(now), { evaluateName: 'time' }), leaf('time (µs)', now),
    leaf('step', `${state.index + 1} of ${state.total}`, { evaluateName: 'step' }),
    ...(s ? [leaf('phase', s.phase), leaf('side', s.side === 'ep' ? 'endpoint' : 'host'), leaf('step text', s.text), leaf('step starts at', timeText(s.t))] : []),
    leaf('kernel log lines', state.emu.system.clock.trace.length),
  ];
}

export function scopes(state: DebugState): ScopeNode[] {
  const emu = state.emu;
  const out: ScopeNode[] = [
    { name: 'Platform', children: () => platformScope(emu) },
    { name: 'EPC', children: () => epcScope(emu) },
  ];
  for (const epf of emu.replay.state.functions.values()) out.push({ name: `Function ${devName(epf)} (${epf.path})`, hint: 'locals', children: () => functionScope(emu, epf) });
  out.push(
    { name: 'eDMA', hint: 'registers', children: () => edmaScope(state) },
    { name: 'Channels', children: () => channelsScope(emu) },
    { name: 'Host', children: () => hostScope(emu) },
    { name: 'Time', children: () => timeScope(state) },
  );
  return out;
}
