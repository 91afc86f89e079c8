/**
 * An independent reading of the host parser's validation order (seed-series 6.5, kernel-background
 * E.5), written from the numbered list in the spec, not from codec.ts: the fuzzers compare the
 * codec's verdict (errno and field) with this one on every generated blob.
 */

export interface Verdict {
  ok: boolean;
  errno?: 'ENODEV' | 'EINVAL' | 'EOPNOTSUPP';
  field?: string;
}

/** Little-endian 32-bit word; bytes past the end read as 0 (the producer zeroes the BAR). */
function word(b: Uint8Array, o: number): number {
  let v = 0;
  for (let i = 3; i >= 0; i--) v = v * 256 + (o + i < b.length ? b[o + i] : 0);
  return v;
}

const bits = (w: number, hi: number, lo: number): number => Math.floor(w / 2 ** lo) % 2 ** (hi - lo + 1);

/** seed-series 6.5 "Validation", checks 1–12, first failure wins. */
export function expectedValidation(b: Uint8Array, barLen: number, revision: 'v4' | 'v1v2' = 'v4'): Verdict {
  if (barLen < 0x1c) return { ok: false, errno: 'ENODEV', field: 'magic' };
  const magic = word(b, 0);
  const hdr = word(b, 4);
  const ctrl = word(b, 8);
  const layout = word(b, 0x14);
  const rev = bits(hdr, 7, 0);
  const len = bits(hdr, 31, 16);
  const regBar = bits(ctrl, 2, 0);
  const wr = bits(ctrl, 10, 3);
  const rd = bits(ctrl, 18, 11);
  const stride = bits(ctrl, 26, 19);
  const id = bits(layout, 7, 0);
  const data = bits(layout, 15, 8);
  if (magic !== 0x4d444550) return { ok: false, errno: 'ENODEV', field: 'magic' }; // 1
  if (rev !== 1) return { ok: false, errno: 'EINVAL', field: 'rev' }; // 2
  if (len < 0x1c) return { ok: false, errno: 'EINVAL', field: 'len' }; // 3
  if (len > barLen) return { ok: false, errno: 'EINVAL', field: 'len' }; // 4
  if (id !== 1) return { ok: false, errno: 'EOPNOTSUPP', field: 'layout.id' }; // 5
  if (data === 0) return { ok: false, errno: 'EOPNOTSUPP', field: 'layout.data' }; // 6
  if (revision === 'v1v2' && data === 7) return { ok: false, errno: 'EOPNOTSUPP', field: 'layout.data' };
  if (![1, 5, 7].includes(data)) return { ok: false, errno: 'EINVAL', field: 'layout.data' }; // 7
  if (regBar > 5) return { ok: false, errno: 'EINVAL', field: 'ctrl.reg_bar' }; // 8
  if (wr === 0 && rd === 0) return { ok: false, errno: 'EINVAL', field: 'ctrl.wr' }; // 9
  if (wr > 8 || rd > 8) return { ok: false, errno: 'EINVAL', field: wr > 8 ? 'ctrl.wr' : 'ctrl.rd' }; // 10
  if (stride < 0x2c || stride % 4 !== 0) return { ok: false, errno: 'EINVAL', field: 'ctrl.stride' }; // 11
  if (0x1c + (wr + rd) * stride > len) return { ok: false, errno: 'EINVAL', field: 'len' }; // 12
  return { ok: true };
}
