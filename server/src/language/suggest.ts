/**
 * "Did you mean …?" helper: the closest candidate by edit distance. Generic on purpose (BAR type
 * names, platform keys, compatibles, attribute names all use it).
 */

/**
 * Levenshtein distance (insertions, deletions, substitutions each cost 1). Two-row dynamic
 * programming: O(|a|·|b|) time, O(|b|) memory.
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** Default tolerance: short words allow one or two typos, longer ones about a third of their length. */
function defaultMaxDistance(word: string): number {
  return Math.max(2, Math.floor(word.length / 3));
}

/**
 * The candidate closest to `word` (case-insensitive), or undefined when none is within
 * `maxDistance` edits (default: max(2, ⌊|word|/3⌋)). Ties go to the earlier candidate, so callers
 * control preference by ordering. An exact (case-insensitive) match is returned as is.
 */
export function closest(word: string, candidates: readonly string[], maxDistance?: number): string | undefined {
  const limit = maxDistance ?? defaultMaxDistance(word);
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    // Cheap lower bound: the length difference alone already exceeds the best/limit.
    if (Math.abs(candidate.length - w.length) > Math.min(limit, bestDistance)) continue;
    const d = levenshtein(w, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      if (d === 0) break;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
