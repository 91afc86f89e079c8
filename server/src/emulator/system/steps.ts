/**
 * Execution as a sequence of steps, for the debugger: every configfs statement, then the phases
 * that follow (link up, enumeration, host probe, HOST_REQ, the endpoint worker, READY, transfers
 * and their completion interrupts, teardown). The emulator yields a StepInfo before each step
 * runs; running the whole generator is exactly `emulate()`.
 */

export type StepSide = 'ep' | 'host';

export interface StepInfo {
  kind: 'statement' | 'phase';
  side: StepSide;
  /** Short phase name (`configfs`, `link-up`, `host-enumeration`, `host-probe`, `host-req`, `ep-worker`, `ready`, `transfer`, `dma-irq`, `teardown`). */
  phase: string;
  /** 0-based source line, when the step belongs to one. */
  line?: number;
  /** Kernel call chain of the step, outermost first (e.g. `pci_epf_dma_bind` → `pci_epc_delegate_dma_chan`). */
  frames: string[];
  /** One line for the UI. */
  text: string;
  /** Virtual time when the step starts (µs). */
  t: number;
  /** DMA channel running in this step (`write`/`read` + index), for per-channel threads. */
  channel?: { dir: 'write' | 'read'; ch: number };
}

/** Kernel call chains of configfs operations (kernel-background A.3, A.4; seed-series 6.2). */
export function statementFrames(op: 'mkdir' | 'write' | 'link' | 'unlink' | 'rmdir' | 'cd', target: string, driver?: string): string[] {
  switch (op) {
    case 'mkdir': return ['configfs_mkdir', 'pci_epf_make', 'pci_epf_create', ...(driver ? [`${driver}_probe`] : [])];
    case 'write': return target.endsWith('/start') ? ['configfs_write_iter', 'pci_epc_start_store', 'pci_epc_start'] : ['configfs_write_iter', `${target.slice(target.lastIndexOf('/') + 1)}_store`];
    case 'link': return ['configfs_symlink', 'pci_epc_epf_link', 'pci_epc_add_epf', 'pci_epf_bind', ...(driver ? [`${driver}_bind`] : [])];
    case 'unlink': return ['configfs_unlink', 'pci_epc_epf_unlink', 'pci_epf_unbind', ...(driver ? [`${driver}_unbind`] : [])];
    case 'rmdir': return ['configfs_rmdir', 'pci_epf_drop', 'pci_epf_destroy'];
    default: return ['configfs_lookup'];
  }
}
