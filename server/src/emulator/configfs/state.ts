/**
 * The configfs tree as the kernel holds it while a `.pciep` file is replayed: endpoint functions
 * (struct pci_epf) under functions/, controllers (struct pci_epc) under controllers/, and the
 * symlinks between them (kernel-background A.1, A.4).
 */
import type { Range } from '../../language/ast';
import type { Controller } from '../../language/platform';
import type { DwcBarState } from '../epc/set-bar';

/** Where a value came from in the file, so a later failure can point back at it. */
export interface Origin {
  range: Range;
  line: number;
}

export type Interface = 'primary' | 'secondary';

export interface EpfState {
  /** pci_ep-relative directory, e.g. `functions/pci_epf_dma/dma0`. */
  path: string;
  driver: string;
  /** Directory name chosen by the user (free-form). */
  name: string;
  /** Global IDR index: the device is `<driver>.<index>` (kernel-background A.1). */
  index: number;
  created: Origin;
  /** Standard and driver-group attribute values as the kernel stores them. */
  values: AttributeValues;
  /** Where each attribute was last written successfully. */
  writes: Map<string, Origin>;
  /** The EPC each interface is linked to, with the link statement. */
  links: Partial<Record<Interface, { epc: string; linkName: string; dir: string; origin: Origin }>>;
  /** Function number assigned by pci_epc_add_epf per interface. */
  funcNo: Partial<Record<Interface, number>>;
  /** Virtual functions linked under this physical function (link name → VF path); made by the first link. */
  vfs?: Map<string, string>;
  /** Set on a VF: its physical function and virtual function number (≥ 1). */
  pf?: { path: string; vfuncNo: number; linkName: string; origin: Origin };
  /** Whether the driver's bind succeeded (pci_epf_bind returned 0 with every interface present). */
  bound: boolean;
  /** Whether the driver's epc_init ran and succeeded. */
  initialised: boolean;
}

/**
 * A function's attribute values: the driver's defaults overlaid by what was written. The defaults
 * are shared, not copied, per mkdir: a file with thousands of functions made the per-function copy
 * of ~20 entries one of the replay's largest costs (bench/RESULTS.md, findings).
 */
export class AttributeValues {
  private own: Map<string, bigint | boolean> | undefined;

  constructor(private readonly defaults: ReadonlyMap<string, bigint | boolean>) {}

  get(name: string): bigint | boolean | undefined {
    const v = this.own?.get(name);
    return v !== undefined ? v : this.defaults.get(name);
  }

  has(name: string): boolean {
    return this.own?.has(name) === true || this.defaults.has(name);
  }

  set(name: string, value: bigint | boolean): this {
    (this.own ??= new Map()).set(name, value);
    return this;
  }
}

export function devName(epf: EpfState): string {
  return `${epf.driver}.${epf.index}`;
}

export interface EpcState {
  name: string;
  controller: Controller;
  /** Cached value of the `start` attribute (kernel-background A.3). */
  started: boolean;
  startOrigin?: Origin;
  /** Function numbers taken (epc->function_num_map, an unsigned long: 64 bits on arm64). */
  functionNums: Set<number>;
  /** Symlinks in controllers/<name>/ (link name → function path). */
  links: Map<string, string>;
  /** Whether the EPC's registers are initialised (epc->init_complete). */
  initComplete: boolean;
  /** DMA channels delegated to the host: `dir:hwCh` → owning function device name. */
  delegated: Map<string, string>;
  /** BARs programmed through pci_epc_set_bar and the inbound iATU windows they use. */
  dwc: DwcBarState;
  /** Next free address of the EP's coherent DMA memory (deterministic bump allocator). */
  dramNext: bigint;
}

/**
 * Where the emulated endpoint's dma_alloc_coherent hands out BAR backing memory. The kernel's
 * addresses are arbitrary; the emulator uses one deterministic pool above the LL pool.
 */
export const EP_DRAM_BASE = 0x4_2000_0000n;

/** dma_alloc_coherent: buddy allocations are naturally aligned to their power-of-two order (≥ 4 KiB). */
export function epcAlloc(epc: EpcState, size: number): bigint {
  let order = 4096;
  while (order < size) order *= 2;
  const a = BigInt(order);
  const addr = (epc.dramNext + a - 1n) / a * a;
  epc.dramNext = addr + BigInt(size);
  return addr;
}

export interface ConfigfsState {
  functions: Map<string, EpfState>;
  controllers: Map<string, EpcState>;
  /** Indices in use by the global EPF IDR. */
  usedIndices: Set<number>;
}
