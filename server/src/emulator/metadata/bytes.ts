/** Little-endian word access and hex formatting for the PEDM codec and the host parser. */

// Little-endian access. Bytes past the end of the given array read as 0: the producer zeroes the whole
// BAR (seed-series 6.3), and a snapshot may hold only the blob.

export function byteAt(b: Uint8Array, o: number): number {
  return o >= 0 && o < b.length ? b[o] : 0;
}

export function rd32(b: Uint8Array, o: number): number {
  return (byteAt(b, o) | (byteAt(b, o + 1) << 8) | (byteAt(b, o + 2) << 16) | (byteAt(b, o + 3) << 24)) >>> 0;
}

export function rd64(b: Uint8Array, o: number): bigint {
  return (BigInt(rd32(b, o + 4)) << 32n) | BigInt(rd32(b, o));
}

export function wr32(b: Uint8Array, o: number, v: number): void {
  const x = v >>> 0;
  b[o] = x & 0xff;
  b[o + 1] = (x >>> 8) & 0xff;
  b[o + 2] = (x >>> 16) & 0xff;
  b[o + 3] = (x >>> 24) & 0xff;
}

export function wr64(b: Uint8Array, o: number, v: bigint): void {
  wr32(b, o, Number(v & 0xffffffffn));
  wr32(b, o + 4, Number((v >> 32n) & 0xffffffffn));
}

export function hex(n: number | bigint, width = 0): string {
  return `0x${n.toString(16).padStart(width, '0')}`;
}
