/** Small statistics helpers shared by the benchmarks (percentiles, log-log fit). */

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of an unsorted sample (q in [0, 1]). */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil(q * s.length) - 1;
  return s[Math.min(s.length - 1, Math.max(0, rank))];
}

export function summarize(xs: readonly number[]): Summary {
  return {
    n: xs.length,
    p50: percentile(xs, 0.5),
    p95: percentile(xs, 0.95),
    min: xs.length ? Math.min(...xs) : NaN,
    max: xs.length ? Math.max(...xs) : NaN,
  };
}

export function median(xs: readonly number[]): number {
  return percentile(xs, 0.5);
}

/** Least-squares fit of log(y) = k·log(x) + c: returns the exponent k and R². */
export function logLogFit(points: readonly { x: number; y: number }[]): { exponent: number; r2: number } {
  const lx = points.map((p) => Math.log(p.x));
  const ly = points.map((p) => Math.log(p.y));
  const n = points.length;
  const mx = lx.reduce((a, b) => a + b, 0) / n;
  const my = ly.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
    syy += (ly[i] - my) ** 2;
  }
  const k = sxy / sxx;
  return { exponent: k, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
