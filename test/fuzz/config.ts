/**
 * Fuzzing settings shared by every property in test/fuzz and test/robustness.
 *
 * Two modes:
 * - short (default, inside `npm test`): few runs per property, so the whole fuzz suite stays well
 *   under 30 s;
 * - long (`npm run fuzz`, which sets PCIEP_FUZZ=long): many runs, the full-size hostile inputs
 *   (1 MiB lines, 100,000 sections).
 *
 * Seeds are fixed, one per property (listed here and in docs/robustness.md), so every run tries
 * the same inputs. To reproduce or explore: PCIEP_FUZZ_SEED=<n> replaces every seed,
 * PCIEP_FUZZ_RUNS=<n> every run count. A failure prints fast-check's report: the seed, the path
 * and the shrunk counterexample, printed as the recipe that built it (arbitraries.ts `printable`).
 */
import type { Parameters } from 'fast-check';

export const LONG = process.env.PCIEP_FUZZ === 'long';

/** One fixed seed per property; change one only together with docs/robustness.md. */
export const SEEDS = {
  mutatedDocuments: 0x5eed_0001,
  generatedDocuments: 0x5eed_0002,
  importScripts: 0x5eed_0005,
  importRoundTrip: 0x5eed_0006,
  metadataBlobs: 0x5eed_0007,
  metadataFields: 0x5eed_0008,
  edmaRings: 0x5eed_0009,
  preview: 0x5eed_000a,
  dap: 0x5eed_000b,
  invalidUtf8: 0x5eed_000c,
  skeletonDocuments: 0x5eed_000d,
} as const;

export type SeedName = keyof typeof SEEDS;

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** How many runs a property gets: `short` inside `npm test`, `long` under `npm run fuzz`. */
export function runs(short: number, long: number): number {
  return envInt('PCIEP_FUZZ_RUNS') ?? (LONG ? long : short);
}

/** fast-check parameters for property `name`: its fixed seed, the run count, a full report on failure. */
export function params<T>(name: SeedName, short: number, long: number): Parameters<T> {
  return { seed: envInt('PCIEP_FUZZ_SEED') ?? SEEDS[name], numRuns: runs(short, long), verbose: 0, endOnFailure: false };
}

/** Counts of inputs each property tried, printed at the end of a run (the figures in docs/robustness.md). */
export const tried = new Map<string, number>();

export function count(what: string, n = 1): void {
  tried.set(what, (tried.get(what) ?? 0) + n);
}

/** Mocha timeout for a fuzz `describe`: generous, the properties bound their own inputs' time. */
export const TIMEOUT_MS = LONG ? 1_800_000 : 60_000;
