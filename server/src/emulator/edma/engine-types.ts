/**
 * The public types of the eDMA/HDMA engine model (engine.ts): construction options, interrupt
 * events and per-channel statistics.
 */
import type { AddressSpace } from '../memory';
import type { IrqMode } from './ll-builder';
import type { EdmaDir, EdmaMapFormat } from './regs';

export type EdmaChannelStatus = 'idle' | 'running' | 'done' | 'aborted' | 'waiting';

export interface EdmaInterruptEvent {
  /** 'local': the EP-side edma_int line; 'remote-imwr': the IMWr (MSI write) towards the PCIe side. */
  kind: 'local' | 'remote-imwr';
  dir: EdmaDir;
  ch: number;
  status: 'done' | 'abort';
  /** remote-imwr: the MSI address (done_imwr / abort_imwr, HDMA msi_stop / msi_abort). */
  address?: bigint;
  /** remote-imwr: the MSI data (the channel's half of chXY_imwr_data, HDMA msi_msgdata). */
  data?: number;
  /** remote-imwr: whether the 32-bit write landed in `remote` (false: no memory/MMIO there). */
  delivered?: boolean;
}

export interface EdmaEngineOptions {
  mapFormat: EdmaMapFormat;
  wrChannels: number;
  rdChannels: number;
  /** EP bus: LL regions and EP memory (an LLP is an EP-local address). */
  local: AddressSpace;
  /** PCIe side: host memory as the EP sees it through its outbound mapping. */
  remote: AddressSpace;
  onInterrupt?: (ev: EdmaInterruptEvent) => void;
  /** Hard bound of elements per doorbell without an interrupting element (default 1 << 20). */
  elementBound?: number;
  /** Default budget of `run()` (default 1 << 20 elements). */
  defaultBudget?: number;
  /** Register window size; defaults to registerWindowSize(mapFormat, wr, rd). */
  windowSize?: number;
  /** Require a link element's CB to equal CCS ^ TCB (see the header); default false: links always followed. */
  linkCycleCheck?: boolean;
  /** Initial per-channel irq_mode (driver software state, seed-series 5); default 'local'. */
  defaultIrqMode?: IrqMode;
}

export interface EdmaChannelStats {
  dir: EdmaDir;
  ch: number;
  status: EdmaChannelStatus;
  elementsDone: number;
  bytesDone: number;
  lastAbort?: string;
  irqMode: IrqMode;
  doorbells: number;
  ignoredDoorbells: number;
}
