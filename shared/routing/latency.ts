// Channel latency as a fixed histogram on a log-like scale: a handful of counters per channel, the
// same whatever the traffic, that merge by adding and answer p50 / p95 at bucket resolution.

/** Upper bounds (inclusive, ms) of the buckets; one more, open-ended bucket holds everything slower. */
export const LATENCY_BOUNDS_MS: readonly number[] = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

const SLOTS = LATENCY_BOUNDS_MS.length + 1;

/** The bucket holding a latency: the first whose bound it does not exceed, else the open-ended last one. */
export function latencyBucket(ms: number): number {
  const bucket = LATENCY_BOUNDS_MS.findIndex((bound) => ms <= bound);
  return bucket === -1 ? LATENCY_BOUNDS_MS.length : bucket;
}

export const emptyHistogram = (): number[] => new Array<number>(SLOTS).fill(0);

/** The histogram with one more latency counted; the one given is not changed. */
export function withLatency(histogram: readonly number[], ms: number): number[] {
  const one = emptyHistogram();
  one[latencyBucket(ms)] = 1;
  return mergeHistograms(histogram, one);
}

export function mergeHistograms(a: readonly number[], b: readonly number[]): number[] {
  return Array.from({ length: SLOTS }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));
}

/**
 * The q-quantile (0–1) of the latencies counted, as an UPPER BOUND at bucket resolution: the bound
 * of the bucket holding it (p95 = 250 means 95% took at most 250 ms, not that any took 250 ms).
 * For the open-ended bucket, the last bound: slower than that, by an unknown amount. Null when
 * nothing was counted.
 */
export function quantileMs(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  // the rank of the q-quantile among the sorted latencies, 1-based: q = 0 is the fastest, q = 1 the slowest
  const rank = Math.min(total, Math.max(1, Math.ceil(q * total)));
  let seen = 0;
  const bucket = histogram.findIndex((count) => (seen += count) >= rank);
  return LATENCY_BOUNDS_MS[Math.min(bucket, LATENCY_BOUNDS_MS.length - 1)]!;
}
