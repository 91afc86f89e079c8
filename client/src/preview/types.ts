/**
 * The shape the preview receives: CONTRACTS.md `pciep emulate --json` (schema 1) plus the
 * `timeline` extension, exactly as `toEmulateJson` (server/src/emulator/views/result.ts) builds it
 * and the language server's `pciep/emulation` request returns it. Mirrored here on purpose: the
 * client bundle must not pull the emulator in just for types. Numbers that can exceed 2^53
 * (physical and host addresses) arrive as "0x…" strings. Lines are 1-based.
 */

export type BarType = 'programmable' | 'fixed' | 'resizable' | 'reserved' | '64bit-upper' | 'disabled';

export interface RegionJson {
  offset: number;
  size: number;
  /** metadata, msix-table, msix-pba, dma-registers, descriptors, window-padding, test-registers,
   *  buffer, ntb-*, mhi-mmio…; window submaps may join kinds with "+". */
  kind: string;
  phys?: string;
  label?: string;
}

export interface BarJson {
  bar: number;
  type: BarType | string;
  /** Size the function programmed (0 = unused by this function). */
  size: number;
  is64: boolean;
  role?: string;
  regions: RegionJson[];
}

export interface ChannelJson {
  dir: 'ep-to-rc' | 'rc-to-ep' | string;
  hwCh: number;
  state: 'delegated' | 'exposed' | 'reclaimed' | 'failed' | string;
  errno: string | null;
}

export interface FunctionJson {
  path: string;
  driver: string;
  device: string;
  controller: string | null;
  funcNo: number | null;
  bound: boolean;
  bars: BarJson[];
  /** The PEDM blob as the BAR holds it at the end of the run: lowercase hex, no separators. */
  metadata: { bar: number; offset: number; hex: string } | null;
  channels: ChannelJson[];
}

export interface HostJson {
  driver: string;
  /** "ok", "not-run" or an errno name. */
  probe: string;
  reason?: string;
  bars: { bar: number; address: string; size: number }[];
}

export interface TransferJson {
  name: string;
  direction: string;
  channel: number;
  bytes: number;
  status: 'done' | 'abort' | 'not-run' | string;
  verified: boolean;
  reason?: string;
  src?: string;
  dst?: string;
  elements?: number;
  chunks?: number;
}

export interface TimelineJson {
  /** Virtual time in microseconds since the first configfs operation. */
  t: number;
  side: 'ep' | 'host' | string;
  phase: string;
  text: string;
  line?: number;
}

export interface DiagnosticJson {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: 'error' | 'warning' | 'info' | string;
  code: string;
  errno: string | null;
  message: string;
}

export interface OperationJson {
  line: number;
  op: string;
  path: string;
  result: string;
  log?: string[];
}

export interface EmulateJsonLike {
  schema: number;
  diagnostics: DiagnosticJson[];
  operations?: OperationJson[];
  functions: FunctionJson[];
  host: HostJson | null;
  transfers: TransferJson[];
  timeline?: TimelineJson[];
}

export interface RenderOptions {
  /** Fresh per document load; goes into the CSP and the one `<script>` tag. */
  nonce: string;
  /** `webview.cspSource`. */
  cspSource: string;
  /** `webview.asWebviewUri(media/preview.js)`. */
  scriptUri: string;
  /** `webview.asWebviewUri(media/preview.css)`. */
  styleUri: string;
  title: string;
}
