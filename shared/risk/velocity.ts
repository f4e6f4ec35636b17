// Velocity figures over sliding windows, at bucket resolution: the last hour in minute buckets, the
// last day and week in hour buckets. Pure: the clock is given. Each window holds whole buckets, the
// current (partial) one included, so an outcome counts for the rest of its bucket and the buckets
// after it that the window spans (hourly: its minute and the next 59), and then not at all.

export type Granularity = "minute" | "hour";

export const GRANULARITY_MS: Record<Granularity, number> = { minute: 60_000, hour: 3_600_000 };

export const VELOCITY_WINDOWS = ["hourly", "daily", "weekly"] as const;
export type VelocityWindow = (typeof VELOCITY_WINDOWS)[number];

/** Each window: the granularity of its buckets and how many of them it spans. */
export const WINDOW_BUCKETS: Record<VelocityWindow, { granularity: Granularity; buckets: number }> = {
  hourly: { granularity: "minute", buckets: 60 },
  daily: { granularity: "hour", buckets: 24 },
  weekly: { granularity: "hour", buckets: 168 },
};

/** Counts and amount sums (USD cents) over a window. A type, not an interface: SQL rows take its shape. */
export type Figures = {
  total: number;
  failed: number;
  blocked: number;
  total_amount_in_usd: number;
  failed_amount_in_usd: number;
  blocked_amount_in_usd: number;
};

export type WindowFigures = Record<VelocityWindow, Figures>;

export const NO_FIGURES: Figures = { total: 0, failed: 0, blocked: 0, total_amount_in_usd: 0, failed_amount_in_usd: 0, blocked_amount_in_usd: 0 };

/**
 * A payment outcome, heard once per id. `created`: a payment went on to its channel. `blocked`: risk
 * blocked it at create (it was created and blocked at once: no `created` of its own). `failed`: a
 * created payment failed at its channel (its `created` already counted it in total).
 */
export interface VelocityEvent {
  id: string;
  kind: "created" | "failed" | "blocked";
  /** The payment's amount in USD cents. */
  amountUsdCents: number;
  at: number;
}

/** What one event adds: created → total; blocked → total and blocked; failed → failed. */
export function eventFigures(e: VelocityEvent): Figures {
  const amount = Math.round(e.amountUsdCents);
  const counted = e.kind !== "failed";
  return {
    total: counted ? 1 : 0,
    failed: e.kind === "failed" ? 1 : 0,
    blocked: e.kind === "blocked" ? 1 : 0,
    total_amount_in_usd: counted ? amount : 0,
    failed_amount_in_usd: e.kind === "failed" ? amount : 0,
    blocked_amount_in_usd: e.kind === "blocked" ? amount : 0,
  };
}

export function addFigures(a: Figures, b: Figures): Figures {
  return {
    total: a.total + b.total,
    failed: a.failed + b.failed,
    blocked: a.blocked + b.blocked,
    total_amount_in_usd: a.total_amount_in_usd + b.total_amount_in_usd,
    failed_amount_in_usd: a.failed_amount_in_usd + b.failed_amount_in_usd,
    blocked_amount_in_usd: a.blocked_amount_in_usd + b.blocked_amount_in_usd,
  };
}

export const bucketStart = (at: number, granularity: Granularity) => Math.floor(at / GRANULARITY_MS[granularity]) * GRANULARITY_MS[granularity];

/** The starts of the first and last buckets a window holds at `now` (both included). */
export function windowBounds(window: VelocityWindow, now: number): { from: number; to: number } {
  const { granularity, buckets } = WINDOW_BUCKETS[window];
  const to = bucketStart(now, granularity);
  return { from: to - (buckets - 1) * GRANULARITY_MS[granularity], to };
}

/** Per granularity, the start below which a bucket is in no window at `now`: what may be dropped. */
export function keptFrom(now: number): Record<Granularity, number> {
  const kept = { minute: Infinity, hour: Infinity };
  for (const window of VELOCITY_WINDOWS) {
    const { granularity } = WINDOW_BUCKETS[window];
    kept[granularity] = Math.min(kept[granularity], windowBounds(window, now).from);
  }
  return kept;
}

export type Bucket = Figures & {
  granularity: Granularity;
  start: number;
};

/**
 * What a batch of events adds, one entry per bucket it touches (so a batch writes each bucket
 * once); buckets already out of every window at `now` are left out.
 */
export function bucketsFor(events: VelocityEvent[], now: number): Bucket[] {
  const kept = keptFrom(now);
  const buckets = new Map<string, Bucket>();
  for (const e of events) {
    for (const granularity of ["minute", "hour"] as const) {
      const start = bucketStart(e.at, granularity);
      if (start < kept[granularity]) continue;
      const key = `${granularity}:${start}`;
      const bucket = buckets.get(key) ?? { granularity, start, ...NO_FIGURES };
      buckets.set(key, { ...addFigures(bucket, eventFigures(e)), granularity, start });
    }
  }
  return [...buckets.values()];
}

/** Each window's figures at `now`: the sum of the buckets it holds. */
export function windowFigures(buckets: Bucket[], now: number): WindowFigures {
  const figures = { hourly: NO_FIGURES, daily: NO_FIGURES, weekly: NO_FIGURES };
  for (const window of VELOCITY_WINDOWS) {
    const { granularity } = WINDOW_BUCKETS[window];
    const { from, to } = windowBounds(window, now);
    for (const b of buckets) {
      if (b.granularity === granularity && b.start >= from && b.start <= to) figures[window] = addFigures(figures[window], b);
    }
  }
  return figures;
}
