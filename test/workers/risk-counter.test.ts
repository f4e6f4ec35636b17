// Velocity counters in their Durable Objects (durable-objects/risk-counter.ts): outcomes recorded
// and read back per window as a controlled clock moves, no lost update under concurrent records, a
// redelivered batch counted once, one object per merchant, mode, dimension and value (its name
// holds no email), and rows that stay bounded however long the object lives.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { counterName, counterStub } from "../../shared/risk/counter-stub";
import { NO_FIGURES, type VelocityEvent } from "../../shared/risk/velocity";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** 2026-11-26T10:00:00Z: an hour's start. */
const T = Date.UTC(2026, 10, 26, 10, 0, 0);

let merchants = 0;
const merchantId = () => `mch_velocity${++merchants}_${crypto.randomUUID().slice(0, 8)}`;
const emailCounter = (merchant: string, email = "alice@example.com", livemode = false) => counterStub(env, merchant, livemode, "email", email);

const event = (id: string, kind: VelocityEvent["kind"], at: number, amountUsdCents = 1000): VelocityEvent => ({ id, kind, amountUsdCents, at });
const counts = (figures: { total: number; failed: number; blocked: number }) => [figures.total, figures.failed, figures.blocked];

describe("RiskCounterDO", () => {
  it("reads back what it recorded, per window: created and blocked in total, failed and blocked apart, amounts in cents", async () => {
    const stub = await emailCounter(merchantId());
    await stub.record([event("a", "created", T, 1000), event("b", "created", T + 1_000, 2500), event("b:failed", "failed", T + 2_000, 2500), event("c", "blocked", T + 3_000, 700)], T + 3_000);
    const figures = { total: 3, failed: 1, blocked: 1, total_amount_in_usd: 4200, failed_amount_in_usd: 2500, blocked_amount_in_usd: 700 };
    expect(await stub.read(T + 3_000)).toEqual({ hourly: figures, daily: figures, weekly: figures });
  });

  it("lets outcomes fall out of the hourly, then daily, then weekly window as the clock moves", async () => {
    const stub = await emailCounter(merchantId());
    await stub.record([event("old", "failed", T + 5 * MINUTE)], T + 5 * MINUTE);
    await stub.record([event("new", "failed", T + 50 * MINUTE)], T + 50 * MINUTE);
    const failed = async (now: number) => {
      const f = await stub.read(now);
      return [f.hourly.failed, f.daily.failed, f.weekly.failed];
    };
    expect(await failed(T + 50 * MINUTE)).toEqual([2, 2, 2]);
    expect(await failed(T + 64 * MINUTE + 59_999)).toEqual([2, 2, 2]);
    expect(await failed(T + 65 * MINUTE)).toEqual([1, 2, 2]);
    expect(await failed(T + 110 * MINUTE)).toEqual([0, 2, 2]);
    expect(await failed(T + DAY)).toEqual([0, 0, 2]);
    expect(await failed(T + 7 * DAY - 1)).toEqual([0, 0, 2]);
    expect(await failed(T + 7 * DAY)).toEqual([0, 0, 0]);
  });

  it("counts 50 concurrent records to one object exactly: no lost update", async () => {
    const stub = await emailCounter(merchantId());
    await Promise.all(Array.from({ length: 50 }, (_, i) => stub.record([event(`p${i}`, "created", T + i * 100, 100)], T + 5_000)));
    const { hourly } = await stub.read(T + 5_000);
    expect([hourly.total, hourly.total_amount_in_usd]).toEqual([50, 5000]);
  });

  it("counts a redelivered batch once, and an id repeated within a batch once", async () => {
    const stub = await emailCounter(merchantId());
    const batch = [event("x", "created", T), event("x:failed", "failed", T + 1_000)];
    await stub.record(batch, T + 1_000);
    await stub.record(batch, T + 2_000);
    await stub.record([event("y", "created", T + 3_000), event("y", "created", T + 3_000)], T + 3_000);
    expect(counts((await stub.read(T + 3_000)).hourly)).toEqual([2, 1, 0]);
  });

  it("keeps two emails in two objects that do not share counts, and one email however it is written", async () => {
    const merchant = merchantId();
    await (await emailCounter(merchant, "alice@example.com")).record([event("a", "created", T)], T);
    await (await emailCounter(merchant, "  Alice@Example.COM ")).record([event("b", "created", T)], T);
    expect((await (await emailCounter(merchant, "alice@example.com")).read(T)).hourly.total).toBe(2);
    expect((await (await emailCounter(merchant, "bob@example.com")).read(T)).hourly).toEqual(NO_FIGURES);
    // and an IP or a customer with the same text is another object again
    expect((await (await counterStub(env, merchant, false, "customer", "alice@example.com")).read(T)).hourly).toEqual(NO_FIGURES);
  });

  it("names an object by a hash of the value: no email in it", async () => {
    const name = await counterName("mch_1", true, "email", "Alice@Example.com");
    expect(name).toMatch(/^mch_1:live:email:[0-9a-f]{64}$/);
    expect(name.toLowerCase()).not.toContain("alice");
    expect(await counterName("mch_1", true, "ip", " 203.0.113.7 ")).toBe(await counterName("mch_1", true, "ip", "203.0.113.7"));
  });

  it("keeps merchants and modes apart", async () => {
    const [a, b] = [merchantId(), merchantId()];
    await (await emailCounter(a)).record([event("a", "created", T)], T);
    expect((await (await emailCounter(a)).read(T)).hourly.total).toBe(1);
    expect((await (await emailCounter(a, "alice@example.com", true)).read(T)).hourly).toEqual(NO_FIGURES);
    expect((await (await emailCounter(b)).read(T)).hourly).toEqual(NO_FIGURES);
  });

  it("holds at most 60 minute rows and 168 hour rows after eight days of one payment a minute", async () => {
    const stub = await emailCounter(merchantId());
    const minutes = 8 * 24 * 60;
    const end = T + (minutes - 1) * MINUTE;
    await runInDurableObject(stub, async (counter, state) => {
      for (let i = 0; i < minutes; i++) await counter.record([event(`m${i}`, "created", T + i * MINUTE, 100)], T + i * MINUTE);
      const rows = state.storage.sql.exec<{ granularity: string; n: number }>("SELECT granularity, count(*) AS n FROM buckets GROUP BY granularity ORDER BY granularity").toArray();
      expect(rows).toEqual([{ granularity: "hour", n: 168 }, { granularity: "minute", n: 60 }]);
    });
    const figures = await stub.read(end);
    expect(counts(figures.hourly)).toEqual([60, 0, 0]);
    expect(counts(figures.daily)).toEqual([24 * 60, 0, 0]);
    expect(counts(figures.weekly)).toEqual([7 * 24 * 60, 0, 0]);
    expect(figures.weekly.total_amount_in_usd).toBe(7 * 24 * 60 * 100);
  });
});
