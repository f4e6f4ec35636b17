// Latency histograms (shared/routing/latency.ts): which bucket a latency lands in, and the
// quantiles a histogram answers (upper bounds at bucket resolution).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyHistogram, LATENCY_BOUNDS_MS, latencyBucket, mergeHistograms, quantileMs, withLatency } from "../../shared/routing/latency";

const OPEN = LATENCY_BOUNDS_MS.length;

describe("a latency's bucket", () => {
  it.each([
    [0, 0],
    [10, 0],
    [10.5, 1],
    [25, 1],
    [26, 2],
    [100, 3],
    [101, 4],
    [9_999, 9],
    [10_000, 9],
    [10_001, OPEN],
    [3_600_000, OPEN],
  ])("%s ms → bucket %s", (ms, bucket) => {
    expect(latencyBucket(ms)).toBe(bucket);
  });

  it("is the first whose bound the latency does not exceed", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100_000, noNaN: true }), (ms) => {
        const bucket = latencyBucket(ms);
        const above = bucket === OPEN || ms <= LATENCY_BOUNDS_MS[bucket]!;
        const below = bucket === 0 || ms > LATENCY_BOUNDS_MS[bucket - 1]!;
        return above && below;
      }),
    );
  });

  it("holds every bound itself, and the next millisecond in the next bucket", () => {
    LATENCY_BOUNDS_MS.forEach((bound, i) => {
      expect(latencyBucket(bound)).toBe(i);
      expect(latencyBucket(bound + 1)).toBe(i + 1);
    });
  });
});

describe("a histogram", () => {
  it("has one slot per bound and one open-ended slot", () => {
    expect(emptyHistogram()).toEqual(new Array(LATENCY_BOUNDS_MS.length + 1).fill(0));
  });

  it("counts a latency without changing the histogram it was given", () => {
    const before = emptyHistogram();
    const after = withLatency(withLatency(before, 40), 45);
    expect(before).toEqual(emptyHistogram());
    expect(after[latencyBucket(40)]).toBe(2);
    expect(after.reduce((a, b) => a + b)).toBe(2);
  });

  it("merges by adding slot by slot", () => {
    const a = [1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 4];
    const b = [0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 1];
    expect(mergeHistograms(a, b)).toEqual([1, 3, 3, 0, 0, 0, 0, 0, 0, 7, 5]);
  });
});

describe("a quantile", () => {
  // 100 latencies: 50 at ≤10 ms, 45 at 51–100 ms, 5 slower than 10 s
  const histogram = [50, 0, 0, 45, 0, 0, 0, 0, 0, 0, 5];

  it.each([
    [0, 10],
    [0.5, 10],
    [0.51, 100],
    [0.95, 100],
    [0.96, 10_000], // the open-ended bucket answers its lower edge, the last bound
    [1, 10_000],
  ])("q %s → at most %s ms", (q, ms) => {
    expect(quantileMs(histogram, q)).toBe(ms);
  });

  it("of one latency is its bucket's bound, whatever q", () => {
    const one = withLatency(emptyHistogram(), 300);
    for (const q of [0, 0.5, 0.95, 1]) expect(quantileMs(one, q)).toBe(500);
  });

  it("of an empty histogram is null", () => {
    expect(quantileMs(emptyHistogram(), 0.5)).toBeNull();
    expect(quantileMs(emptyHistogram(), 0.95)).toBeNull();
  });

  it("is never below the latency it stands for", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9_000 }), { minLength: 1, maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), (latencies, q) => {
        const histogram = latencies.reduce(withLatency, emptyHistogram());
        const sorted = [...latencies].sort((a, b) => a - b);
        const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
        return quantileMs(histogram, q)! >= exact;
      }),
    );
  });
});
