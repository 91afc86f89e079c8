/**
 * Host enumeration of an endpoint function: BAR sizes read back from the masks the endpoint
 * programmed (kernel-background E.2), addresses assigned from the host bridge window, largest BAR
 * first and naturally aligned (as the PCI core's resource assignment does), 64-bit pairs kept.
 */

export interface HostBar {
  bar: number;
  size: number;
  is64: boolean;
  /** Assigned bus address, or undefined when the window had no room. */
  address?: bigint;
  /** Reserved (hardware-backed) BARs are enumerated like any other. */
  reserved?: boolean;
}

export interface Window {
  base: bigint;
  size: bigint;
  /** Next free address (bump pointer, kept across functions). */
  next: bigint;
}

export function newWindow(base: bigint, size: bigint): Window {
  return { base, size, next: base };
}

/** Assigns addresses to `bars` in place; returns the log lines the PCI core would print. */
export function assignBars(bars: HostBar[], window: Window, bdf: string): string[] {
  const log: string[] = [];
  const order = [...bars].sort((a, b) => b.size - a.size || a.bar - b.bar);
  for (const b of order) {
    const size = BigInt(b.size);
    const addr = (window.next + size - 1n) / size * size;
    if (addr + size > window.base + window.size) {
      log.push(`pci ${bdf}: BAR ${b.bar} [mem size 0x${b.size.toString(16)}${b.is64 ? ' 64bit' : ''}]: can't assign; no space`);
      continue;
    }
    b.address = addr;
    window.next = addr + size;
    log.push(`pci ${bdf}: BAR ${b.bar} [mem 0x${addr.toString(16)}-0x${(addr + size - 1n).toString(16)}${b.is64 ? ' 64bit' : ''}]: assigned`);
  }
  return log;
}
