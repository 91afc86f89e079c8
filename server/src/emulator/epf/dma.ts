/**
 * pci_epf_dma bind checks, in the order of seed-series 6.2 (v4): interrupts, auxiliary DMA
 * resources, channel selection and delegation, metadata BAR and DMA window BAR choice.
 * The BAR layout itself (6.3) is computed by the emulator's layout stage.
 */
import { MAP_FORMAT_VALUE } from '../../language/profiles/types';
import type { AuxDir, AuxResource } from '../epc/dwc-aux';
import { delegateDmaChan, getAuxResources, reclaimDmaChan } from '../epc/dwc-aux';
import { isUsableBar, nextFreeBar, NO_BAR } from '../epc/features';
import type { BindEnv, DriverModel, Failure } from './types';
import { fail } from './types';
import { setupInterrupts } from './interrupts';
import type { DmaLayout } from './dma-layout';
import { epcAlloc } from '../configfs/state';
import { clearBar, setBar } from '../epc/set-bar';
import { buildDmaLayout } from './dma-layout';

const REF = 'seed-series 6.2';
const MAX_CH = 8;

/** What a successful bind decided, kept on the function for the layout stage and the views. */
export interface DmaBindPlan {
  metadataBar: number;
  windowBar: number;
  windowNeeded: boolean;
  ctrl: Extract<AuxResource, { type: 'dma-ctrl-mmio' }>;
  wr: number;
  rd: number;
  /** Descriptor memory per delegated channel, write channels first. */
  channels: { dir: AuxDir; hwCh: number; desc: Extract<AuxResource, { type: 'dma-desc-mem' }> }[];
  fixedBars: Set<number>;
  layout: DmaLayout;
  metadataPhys: bigint;
  windowPhys?: bigint;
  /** Worker state (seed-series 6.4): window submaps programmed, READY ever set. */
  submapsProgrammed: boolean;
  channelsExposed: boolean;
}

export const dmaPlans = new WeakMap<object, DmaBindPlan>();

function num(env: BindEnv, name: string, fallback: number): number {
  const v = env.value(name);
  return v === undefined ? fallback : Number(v);
}

function releaseAll(env: BindEnv, taken: { dir: AuxDir; hwCh: number }[]): void {
  const owner = `${env.epf.driver}.${env.epf.index}`;
  for (const t of taken) reclaimDmaChan(env.epc.delegated, owner, t.dir, t.hwCh);
}

export function bindDma(env: BindEnv): Failure | undefined {
  const profile = env.controller.profile;
  const f = profile.features;
  // Step 1: interrupts (seed-series 6.2.1).
  if (!f.msiCapable && !f.msixCapable) {
    return fail(env, 'EOPNOTSUPP', 'the controller can raise neither MSI nor MSI-X', 'EPC supports neither MSI nor MSI-X',
      [{ platformKey: 'msi-capable' }, { platformKey: 'msix-capable' }], REF);
  }
  const msi = num(env, 'msi_interrupts', 0);
  const msix = num(env, 'msix_interrupts', 0);
  if (!((f.msiCapable && msi > 0) || (f.msixCapable && msix > 0))) {
    const what = [f.msiCapable ? 'msi_interrupts' : '', f.msixCapable ? 'msix_interrupts' : ''].filter(Boolean).join(' or ');
    return fail(env, 'EINVAL', `no usable interrupt vectors: set ${what} (the controller is ${f.msiCapable ? 'MSI' : ''}${f.msiCapable && f.msixCapable ? '/' : ''}${f.msixCapable ? 'MSI-X' : ''} capable)`,
      'no MSI or MSI-X vectors configured', [{ attr: 'msi_interrupts' }, { attr: 'msix_interrupts' }], REF);
  }
  // Step 2: collect aux resources (seed-series 2.3, 6.2.2).
  const aux = getAuxResources(profile, env.funcNo, env.vfuncNo, env.controller.kernel);
  if (!aux.ok) return fail(env, aux.errno, `pci_epc_get_aux_resources failed: ${aux.reason}`, 'failed to get EPC auxiliary resources', [{ platformKey: 'edma' }], 'seed-series 2.3');
  if (aux.resources.length === 0) {
    return fail(env, 'ENODEV', 'the controller publishes no auxiliary DMA resources (no integrated eDMA register window)',
      'no EPC auxiliary resources', [{ platformKey: 'edma' }], 'seed-series 2.3');
  }
  let ctrl: DmaBindPlan['ctrl'] | undefined;
  const chans = new Map<string, Extract<AuxResource, { type: 'dma-chan' }>>();
  const descs = new Map<number, Extract<AuxResource, { type: 'dma-desc-mem' }>>();
  for (const r of aux.resources) {
    if (r.type === 'dma-ctrl-mmio') {
      if (ctrl) return fail(env, 'EINVAL', 'two DMA_CTRL_MMIO resources', 'duplicate DMA controller resource', [], REF);
      ctrl = r;
    } else if (r.type === 'dma-chan') {
      const key = `${r.dir}:${r.hwCh}`;
      if (r.hwCh >= MAX_CH || chans.has(key)) return fail(env, 'EINVAL', `bad DMA channel resource ${key}`, 'invalid DMA channel resource', [], REF);
      chans.set(key, r);
    } else if (r.type === 'dma-desc-mem') {
      if (descs.has(r.id)) return fail(env, 'EINVAL', `duplicate descriptor memory id ${r.id}`, 'duplicate DMA descriptor resource', [], REF);
      descs.set(r.id, r);
    }
  }
  if (!ctrl) {
    return fail(env, 'ENODEV', 'no DMA controller register window among the aux resources (the local eDMA provider is not registered)',
      'no DMA controller resource', [{ platformKey: 'edma-provider' }], REF);
  }
  const wr = num(env, 'wr_chans', 0);
  const rd = num(env, 'rd_chans', 0);
  if (wr === 0 && rd === 0) {
    return fail(env, 'EINVAL', 'no DMA channels requested: set wr_chans and/or rd_chans before linking', 'no DMA channels requested',
      [{ attr: 'wr_chans' }, { attr: 'rd_chans' }], REF);
  }
  // Edge case E28: configfs accepted up to 8, the controller has fewer.
  if (wr > ctrl.epToRcChCnt) {
    return fail(env, 'EINVAL', `wr_chans = ${wr} but the controller has ${ctrl.epToRcChCnt} write (EP→RC) channel(s)`,
      `requested ${wr} write channels, only ${ctrl.epToRcChCnt} available`, [{ attr: 'wr_chans' }, { platformKey: 'edma-wr-channels' }], 'seed-series 7 E28');
  }
  if (rd > ctrl.rcToEpChCnt) {
    return fail(env, 'EINVAL', `rd_chans = ${rd} but the controller has ${ctrl.rcToEpChCnt} read (RC→EP) channel(s)`,
      `requested ${rd} read channels, only ${ctrl.rcToEpChCnt} available`, [{ attr: 'rd_chans' }, { platformKey: 'edma-rd-channels' }], 'seed-series 7 E28');
  }
  const mf = ctrl.mapFormat;
  if (mf === 'legacy') {
    return fail(env, 'EOPNOTSUPP', 'the eDMA uses the legacy viewport map, which cannot be shared with the host',
      'legacy eDMA register map is not supported', [{ platformKey: 'edma-map-format' }], 'kernel-background D.7');
  }
  if (mf === 'unroll' || mf === 'hdma-compat') {
    // Edge case E27: direction-wide registers force whole-direction ownership.
    for (const [count, total, attr, dirName] of [[wr, ctrl.epToRcChCnt, 'wr_chans', 'write'], [rd, ctrl.rcToEpChCnt, 'rd_chans', 'read']] as const) {
      if (count !== 0 && count !== total) {
        return fail(env, 'EOPNOTSUPP',
          `${attr} = ${count} must cover the whole ${dirName} direction (0 or ${total}) on ${mf === 'unroll' ? 'eDMA unroll' : 'HDMA compat'}: its engine, doorbell and interrupt registers are direction-wide`,
          `${dirName} channels must cover the whole direction`, [{ attr }], 'seed-series 7 E27');
      }
    }
  } else if (MAP_FORMAT_VALUE[mf] === undefined) {
    return fail(env, 'EINVAL', `unknown eDMA map format ${String(mf)}`, 'unknown DMA register map', [{ platformKey: 'edma-map-format' }], REF);
  }
  const channels: DmaBindPlan['channels'] = [];
  for (const [dir, count] of [['ep-to-rc', wr], ['rc-to-ep', rd]] as const) {
    for (let i = 0; i < count; i++) {
      const ch = chans.get(`${dir}:${i}`);
      if (!ch) return fail(env, 'EINVAL', `channel ${dir}:${i} is not published by the controller`, 'DMA channels are not dense', [], REF);
      const desc = descs.get(ch.descMemId);
      if (!desc) return fail(env, 'EINVAL', `channel ${dir}:${i} refers to missing descriptor memory ${ch.descMemId}`, 'missing DMA descriptor memory', [], REF);
      channels.push({ dir, hwCh: i, desc });
    }
  }
  // Delegate every write channel, then every read channel; unwind on the first failure (quiesce=false).
  const owner = `${env.epf.driver}.${env.epf.index}`;
  const taken: { dir: AuxDir; hwCh: number }[] = [];
  for (const c of channels) {
    const err = delegateDmaChan(profile, env.epc.delegated, owner, env.vfuncNo, c.dir, c.hwCh);
    if (err) {
      releaseAll(env, taken);
      return fail(env, err.errno, `pci_epc_delegate_dma_chan failed: ${err.reason}`, `failed to delegate ${c.dir === 'ep-to-rc' ? 'write' : 'read'} channel ${c.hwCh}`,
        [{ attr: c.dir === 'ep-to-rc' ? 'wr_chans' : 'rd_chans' }], 'seed-series 3, 4.1');
    }
    taken.push(c);
  }
  const undo = (x: Failure): Failure => { releaseAll(env, taken); return x; };
  // Step 3: metadata BAR (seed-series 6.2.3). Fixed resources pin their BARs (edge case E16).
  const fixedBars = new Set<number>();
  for (const r of aux.resources) if (r.bar !== NO_BAR) fixedBars.add(r.bar);
  const pick = (exclude: number): number => {
    for (let bar = nextFreeBar(f, 0); bar !== NO_BAR; bar = nextFreeBar(f, bar + 1)) {
      if (bar !== exclude && !fixedBars.has(bar)) return bar;
    }
    return NO_BAR;
  };
  const userMeta = num(env, 'metadata_bar', -1);
  const userWin = num(env, 'dma_window_bar', -1);
  const metadataBar = userMeta === -1 ? pick(userWin) : userMeta;
  const usable = (bar: number) => bar >= 0 && bar <= 5 && isUsableBar(f.bars[bar]) && !fixedBars.has(bar);
  if (metadataBar === NO_BAR || !usable(metadataBar)) {
    const why = metadataBar === NO_BAR ? 'no free BAR is left for the metadata'
      : fixedBars.has(metadataBar) ? `BAR${metadataBar} holds a fixed controller resource (the eDMA register window)`
        : `BAR${metadataBar} is ${f.bars[metadataBar].type} on ${profile.name}`;
    return undo(fail(env, 'EINVAL', `metadata BAR unusable: ${why}`, `invalid metadata BAR ${metadataBar}`,
      [{ attr: 'metadata_bar' }, { platformKey: `bar${Math.max(metadataBar, 0)}` }], 'seed-series 6.2'));
  }
  // Step 4: DMA window BAR, needed when the register window or a descriptor region is not in a BAR.
  const windowNeeded = ctrl.bar === NO_BAR || channels.some((c) => c.desc.bar === NO_BAR);
  let windowBar = userWin;
  if (windowNeeded) {
    if (!f.subrangeMapping || !f.dynamicInboundMapping) {
      return undo(fail(env, 'EOPNOTSUPP', 'a DMA window BAR is needed but the controller lacks subrange_mapping and dynamic_inbound_mapping',
        'EPC cannot map a DMA window BAR', [{ platformKey: 'subrange-mapping' }, { platformKey: 'dynamic-inbound-mapping' }], REF));
    }
    if (windowBar === -1) {
      windowBar = pick(metadataBar);
      if (windowBar === NO_BAR) {
        return undo(fail(env, 'EOPNOTSUPP', `no free BAR is left for the DMA window (metadata uses BAR${metadataBar})`, 'no free BAR for the DMA window',
          [{ attr: 'dma_window_bar' }], REF));
      }
    }
  }
  // Edge case E19: a user-chosen window BAR is validated even when no window is needed.
  if (windowBar !== -1 && (!usable(windowBar) || windowBar === metadataBar)) {
    const why = windowBar === metadataBar ? `it is the metadata BAR`
      : windowBar < 0 || windowBar > 5 ? 'not a BAR index'
        : fixedBars.has(windowBar) ? 'it holds a fixed controller resource' : `BAR${windowBar} is ${f.bars[windowBar].type} on ${profile.name}`;
    return undo(fail(env, 'EINVAL', `DMA window BAR${windowBar} unusable: ${why}`, `invalid DMA window BAR ${windowBar}`,
      [{ attr: 'dma_window_bar' }, { platformKey: `bar${Math.max(windowBar, 0)}` }], 'seed-series 6.2, 7 E19'));
  }
  // Step 5: the layout (seed-series 6.3); any failure tears everything down.
  const laid = buildDmaLayout({
    features: f, metadataBar, windowBar: windowNeeded ? windowBar : -1, ctrl, channels, wr, rd,
    msixVectors: f.msixCapable && msix > 0 ? msix : 0,
  });
  if (!laid.ok) return undo(fail(env, laid.errno, `BAR layout failed: ${laid.reason}`, laid.log, [], 'seed-series 6.3'));
  // pci_epf_alloc_space: backing memory for both BARs comes from the EPC's coherent pool.
  const layout = laid.layout;
  const metadataPhys = epcAlloc(env.epc, layout.metadata.memSize);
  const windowPhys = layout.window ? epcAlloc(env.epc, layout.window.memSize) : undefined;
  for (const sm of layout.window?.submaps ?? []) if (sm.scratch && windowPhys !== undefined) sm.phys = windowPhys + BigInt(sm.barOffset);
  dmaPlans.set(env.epf, {
    metadataBar, windowBar: windowNeeded ? windowBar : -1, windowNeeded, ctrl, wr, rd, channels, fixedBars, layout,
    metadataPhys, windowPhys, submapsProgrammed: false, channelsExposed: false,
  });
  return undefined;
}

/**
 * epc_init (seed-series 6.4): clear H/R, write the header, program the metadata BAR and the window
 * BAR (plain backing, no submaps yet), then MSI / MSI-X; errors unwind the BARs.
 */
function epcInitDma(env: BindEnv): Failure | undefined {
  const plan = dmaPlans.get(env.epf);
  if (!plan) return undefined;
  plan.layout.blob.hostReq = false;
  plan.layout.blob.ready = false;
  plan.submapsProgrammed = false;
  const p = env.controller.profile;
  const { metadata, window } = plan.layout;
  const set = (bar: number, size: number, is64: boolean, phys: bigint) => setBar(env.epc.dwc, p.features, p.iatu, env.funcNo, { barno: bar, size, is64, phys });
  const m = set(metadata.bar, metadata.size, metadata.is64, plan.metadataPhys);
  if (!m.ok) return fail(env, m.errno, `pci_epc_set_bar(BAR${metadata.bar}) failed: ${m.reason}`, m.log ?? 'failed to set metadata BAR', [{ attr: 'metadata_bar' }], 'kernel-background C.3, E.2');
  if (window && plan.windowPhys !== undefined) {
    const w = set(window.bar, window.size, window.is64, plan.windowPhys);
    if (!w.ok) {
      clearBar(env.epc.dwc, env.funcNo, metadata.bar);
      return fail(env, w.errno, `pci_epc_set_bar(BAR${window.bar}) failed: ${w.reason}`, w.log ?? 'failed to set DMA window BAR', [{ attr: 'dma_window_bar' }], 'kernel-background C.3, E.2');
    }
  }
  const irq = setupInterrupts(env, { msiWhen: 'capable-and-requested' });
  if (irq) {
    clearBar(env.epc.dwc, env.funcNo, metadata.bar);
    if (window) clearBar(env.epc.dwc, env.funcNo, window.bar);
  }
  return irq;
}

export const pciEpfDma: DriverModel = {
  bind: bindDma,
  epcInit: epcInitDma,
  unbind(env) {
    const plan = dmaPlans.get(env.epf);
    if (plan) {
      clearBar(env.epc.dwc, env.funcNo, plan.layout.metadata.bar);
      if (plan.layout.window) clearBar(env.epc.dwc, env.funcNo, plan.layout.window.bar);
      releaseAll(env, plan.channels);
    }
    dmaPlans.delete(env.epf);
  },
};
