/**
 * The emulated root complex: `[host]`, `[host/transfer/<name>]` and `[host/fault/<name>]` keys, as
 * data (DESIGN.md section 2). These are not configfs: sizes and addresses accept K/M/G suffixes
 * and `_` separators.
 */

export type HostValue =
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'size' }
  | { kind: 'address' }
  | { kind: 'text' };

export interface HostKeySpec {
  key: string;
  value: HostValue;
  required?: boolean;
  doc: string;
}

export type HostSectionKind = 'host' | 'transfer' | 'fault';

export const FAULT_KINDS = ['link-down', 'submap-failure', 'ready-never-set', 'corrupt-metadata', 'host-sets-ready'] as const;
export const FAULT_POINTS = ['before-probe', 'after-host-req', 'after-ready', 'during-transfer'] as const;

export const HOST_KEYS: Record<HostSectionKind, readonly HostKeySpec[]> = {
  host: [
    { key: 'driver', value: { kind: 'enum', values: ['dw-edma-pcie', 'none'] }, doc: 'Driver bound to the endpoint through `driver_override` + `drivers_probe` (seed-series 6.5); `none` leaves the device unbound.' },
    { key: 'msi-vectors', value: { kind: 'int', min: 0, max: 32 }, doc: 'MSI vectors the host grants (Multiple Message Enable); dw-edma-pcie asks for wr + rd vectors (kernel-background D.8, E.3).' },
    { key: 'msix-vectors', value: { kind: 'int', min: 0, max: 2048 }, doc: 'MSI-X vectors the host grants.' },
    { key: 'bar-window', value: { kind: 'address' }, doc: 'Start of the host bridge memory window that BAR addresses are assigned from.' },
    { key: 'bar-window-size', value: { kind: 'size' }, doc: 'Size of that window; BARs that do not fit stay unassigned.' },
    { key: 'memory', value: { kind: 'size' }, doc: 'Host memory available for DMA buffers.' },
  ],
  transfer: [
    { key: 'direction', value: { kind: 'enum', values: ['rc-to-ep', 'ep-to-rc'] }, required: true, doc: '`rc-to-ep` runs on a delegated read channel (host memory → endpoint), `ep-to-rc` on a write channel (seed-series 4.2).' },
    { key: 'channel', value: { kind: 'int', min: 0, max: 63 }, doc: 'Channel index within the direction (default 0).' },
    { key: 'size', value: { kind: 'size' }, required: true, doc: 'Bytes to move, e.g. `64K`.' },
    { key: 'element-size', value: { kind: 'size' }, doc: 'Bytes per linked-list data element (default: the whole transfer split at the LL region capacity).' },
    { key: 'src', value: { kind: 'address' }, doc: 'Source address (host bus address for rc-to-ep, EP-local address for ep-to-rc); picked by the emulator when absent.' },
    { key: 'dst', value: { kind: 'address' }, doc: 'Destination address; picked by the emulator when absent.' },
    { key: 'pattern', value: { kind: 'text' }, doc: 'Data written to the source first: `incrementing` (default), `zeros`, `ones`, a byte like `0xa5`, or `random:SEED`.' },
  ],
  fault: [
    { key: 'kind', value: { kind: 'enum', values: FAULT_KINDS }, required: true, doc: 'What goes wrong: link down, submap programming failure, READY never set, a corrupted metadata field, or a host that writes READY itself.' },
    { key: 'at', value: { kind: 'enum', values: FAULT_POINTS }, doc: 'When it happens (for `link-down`).' },
    { key: 'field', value: { kind: 'text' }, doc: 'For `corrupt-metadata`: the field to corrupt (e.g. `magic`, `rev`, `len`, `ctrl.wr`, `layout`).' },
    { key: 'value', value: { kind: 'address' }, doc: 'For `corrupt-metadata`: the value written into that field.' },
  ],
};

export function hostSectionKind(path: string): HostSectionKind | undefined {
  if (path === 'host') return 'host';
  // Asked for every section: most are not host sections, and need no split.
  if (!path.startsWith('host/')) return undefined;
  const parts = path.split('/');
  if (parts.length === 3 && parts[0] === 'host' && parts[1] === 'transfer') return 'transfer';
  if (parts.length === 3 && parts[0] === 'host' && parts[1] === 'fault') return 'fault';
  return undefined;
}
