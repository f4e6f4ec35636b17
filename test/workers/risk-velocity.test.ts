// Velocity windows (shared/risk/velocity.ts) with a controlled clock: where bucket boundaries fall,
// what each outcome adds, and when an outcome leaves the hourly, daily and weekly windows (at bucket
// resolution: whole minutes for the hour, whole hours for the day and week, the current one included).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketStart, bucketsFor, eventFigures, keptFrom, NO_FIGURES, windowBounds, windowFigures, type VelocityEvent } from "../../shared/risk/velocity";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** 2026-11-26T10:00:00Z: an hour's start. */
const T = Date.UTC(2026, 10, 26, 10, 0, 0);

const created = (at: number, id = `e${at}`, amountUsdCents = 1000): VelocityEvent => ({ id, kind: "created", amountUsdCents, at });

/** The figures at `now` of events recorded as they happened. */
const figuresAt = (events: VelocityEvent[], now: number) => windowFigures(events.flatMap((e) => bucketsFor([e], e.at)), now);
const totals = (events: VelocityEvent[], now: number) => {
  const f = figuresAt(events, now);
  return [f.hourly.total, f.daily.total, f.weekly.total];
};

describe("bucket boundaries", () => {
  it.each([
    [T, "minute", T],
    [T + MINUTE - 1, "minute", T],
    [T + MINUTE, "minute", T + MINUTE],
    [T - 1, "minute", T - MINUTE],
    [T + HOUR - 1, "hour", T],
    [T + HOUR, "hour", T + HOUR],
    [T - 1, "hour", T - HOUR],
  ] as const)("%s in a %s bucket starts at %s", (at, granularity, start) => {
    expect(bucketStart(at, granularity)).toBe(start);
  });

  it("puts a window's first bucket 59 minutes, 23 hours or 167 hours before the current one", () => {
    const now = T + 30 * MINUTE + 15_000;
    expect(windowBounds("hourly", now)).toEqual({ from: T - 29 * MINUTE, to: T + 30 * MINUTE });
    expect(windowBounds("daily", now)).toEqual({ from: T - 23 * HOUR, to: T });
    expect(windowBounds("weekly", now)).toEqual({ from: T - 167 * HOUR, to: T });
    expect(keptFrom(now)).toEqual({ minute: T - 29 * MINUTE, hour: T - 167 * HOUR });
  });
});

describe("what an outcome adds", () => {
  it("counts created in total, blocked in total and blocked, failed in failed only (its created counted it)", () => {
    expect(eventFigures({ id: "a", kind: "created", amountUsdCents: 1250, at: T })).toEqual({ ...NO_FIGURES, total: 1, total_amount_in_usd: 1250 });
    expect(eventFigures({ id: "b", kind: "blocked", amountUsdCents: 700, at: T })).toEqual({ ...NO_FIGURES, total: 1, blocked: 1, total_amount_in_usd: 700, blocked_amount_in_usd: 700 });
    expect(eventFigures({ id: "c", kind: "failed", amountUsdCents: 300, at: T })).toEqual({ ...NO_FIGURES, failed: 1, failed_amount_in_usd: 300 });
  });

  it("keeps whole cents", () => {
    expect(eventFigures({ id: "a", kind: "created", amountUsdCents: 1234.5678, at: T }).total_amount_in_usd).toBe(1235);
  });

  it("writes a batch's events in one entry per bucket they share", () => {
    const batch = [created(T + 1_000, "a", 100), created(T + 2_000, "b", 200), { id: "c", kind: "failed" as const, amountUsdCents: 100, at: T + 3_000 }, created(T + 5 * MINUTE, "d", 400)];
    expect(bucketsFor(batch, T + 5 * MINUTE)).toEqual([
      { granularity: "minute", start: T, ...NO_FIGURES, total: 2, failed: 1, total_amount_in_usd: 300, failed_amount_in_usd: 100 },
      { granularity: "hour", start: T, ...NO_FIGURES, total: 3, failed: 1, total_amount_in_usd: 700, failed_amount_in_usd: 100 },
      { granularity: "minute", start: T + 5 * MINUTE, ...NO_FIGURES, total: 1, total_amount_in_usd: 400 },
    ]);
  });

  it("leaves out the buckets an outcome heard late would already have left", () => {
    // two hours late: out of the hourly window, still in the day's
    expect(bucketsFor([created(T)], T + 2 * HOUR).map((b) => b.granularity)).toEqual(["hour"]);
    expect(bucketsFor([created(T)], T + 168 * HOUR)).toEqual([]);
  });
});

describe("the windows as the clock moves", () => {
  it("drops an outcome from the hourly window 60 minutes after its minute began, and keeps it for the day and week", () => {
    const at = T + 10 * MINUTE + 30_000;
    expect(totals([created(at)], at)).toEqual([1, 1, 1]);
    expect(totals([created(at)], T + 69 * MINUTE + 59_999)).toEqual([1, 1, 1]);
    expect(totals([created(at)], T + 70 * MINUTE)).toEqual([0, 1, 1]);
  });

  it("drops it from the daily window 24 hours after its hour began, and keeps it for the week", () => {
    const at = T + 10 * MINUTE;
    expect(totals([created(at)], T + 24 * HOUR - 1)).toEqual([0, 1, 1]);
    expect(totals([created(at)], T + 24 * HOUR)).toEqual([0, 0, 1]);
  });

  it("drops it from the weekly window 168 hours after its hour began", () => {
    const at = T + 59 * MINUTE;
    expect(totals([created(at)], T + 7 * DAY - 1)).toEqual([0, 0, 1]);
    expect(totals([created(at)], T + 7 * DAY)).toEqual([0, 0, 0]);
  });

  it("does not count an outcome stamped after now until the clock reaches its bucket", () => {
    expect(totals([created(T + HOUR)], T + HOUR - 1)).toEqual([0, 0, 0]);
    expect(totals([created(T + HOUR)], T + HOUR)).toEqual([1, 1, 1]);
    // at bucket resolution: a minute ahead but in the current hour is in the day's figures already
    expect(totals([created(T + MINUTE)], T + MINUTE - 1)).toEqual([0, 1, 1]);
  });

  it("sums every kind and amount over each window", () => {
    const events: VelocityEvent[] = [
      created(T - 3 * DAY, "old", 5000),
      created(T - 5 * HOUR, "day", 2000),
      { id: "day-failed", kind: "failed", amountUsdCents: 2000, at: T - 5 * HOUR + MINUTE },
      created(T - 10 * MINUTE, "hour", 1000),
      { id: "hour-blocked", kind: "blocked", amountUsdCents: 300, at: T - MINUTE },
    ];
    expect(figuresAt(events, T)).toEqual({
      hourly: { total: 2, failed: 0, blocked: 1, total_amount_in_usd: 1300, failed_amount_in_usd: 0, blocked_amount_in_usd: 300 },
      daily: { total: 3, failed: 1, blocked: 1, total_amount_in_usd: 3300, failed_amount_in_usd: 2000, blocked_amount_in_usd: 300 },
      weekly: { total: 4, failed: 1, blocked: 1, total_amount_in_usd: 8300, failed_amount_in_usd: 2000, blocked_amount_in_usd: 300 },
    });
  });

  it("always counts an outcome younger than the window less one bucket, and never one as old as the window", () => {
    const windows = [
      ["hourly", 59 * MINUTE, HOUR],
      ["daily", 23 * HOUR, DAY],
      ["weekly", 167 * HOUR, 7 * DAY],
    ] as const;
    fc.assert(
      fc.property(fc.integer({ min: T, max: T + 30 * DAY }), fc.integer({ min: 0, max: 8 * DAY }), (at, age) => {
        const figures = figuresAt([created(at)], at + age);
        return windows.every(([window, always, never]) => (age < always ? figures[window].total === 1 : age >= never ? figures[window].total === 0 : true));
      }),
    );
  });
});
