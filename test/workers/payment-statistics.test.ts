import { createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { rollupPaymentStatistics } from "../../shared/payments/statistics";
import { addDays, DAY_MS, dayStart, utcDay } from "../../shared/time";
import { runScheduled } from "../../workers/scheduled";
import { api, createMerchant, errorOf, type TestMerchant } from "./helpers";

// ---- fixture: payments written straight into the D1 projection -----------------------------

interface Payment {
  paymentNo: string;
  merchantId: string;
  livemode: boolean;
  channel: string;
  currency: string;
  amount: number;
  status: string;
  errorCode: string | null;
  paidAt: number | null;
  createdAt: number;
  updatedAt: number;
}

const PAID = new Set(["succeeded", "partially_refunded", "refunded"]);
const STATUSES = [
  "succeeded", "succeeded", "succeeded", "succeeded", "failed", "failed", "pending", "requires_action",
  "processing", "cancelled", "partially_refunded", "refunded",
];
/** Seven codes (and failures without one), so the top five leave some out. */
const CODES = [
  "card_declined", "card_declined", "card_declined", "insufficient_funds", "insufficient_funds", "expired_card",
  "incorrect_cvc", "processing_error", "authentication_required", "lost_card", null,
];
const CHANNELS = ["sandbox", "sandbox", "stripe"];
const CURRENCIES = ["USD", "EUR", "JPY", "GBP"];
/** Days, relative to today, the generated payments are created on (today: up to now). */
const DAY_OFFSETS = [-40, -30, -29, -12, -7, -3, -2, -1, 0];

/** A deterministic stream of unsigned 32-bit integers (an LCG). */
function numbers(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

function generatePayments(merchantId: string, livemode: boolean, count: number, seed: number, now: number): Payment[] {
  const next = numbers(seed);
  const today = utcDay(now);
  return Array.from({ length: count }, (_, i) => {
    const offset = DAY_OFFSETS[i % DAY_OFFSETS.length]!;
    const start = dayStart(addDays(today, offset));
    const createdAt = start + (next() % (offset === 0 ? Math.max(1, now - start) : DAY_MS));
    const status = STATUSES[next() % STATUSES.length]!;
    return {
      paymentNo: `${merchantId}-${livemode ? "live" : "test"}-${i}`,
      merchantId,
      livemode,
      channel: livemode ? "stripe" : CHANNELS[next() % CHANNELS.length]!,
      currency: CURRENCIES[next() % CURRENCIES.length]!,
      amount: 50 + (next() % 200_000),
      status,
      errorCode: status === "failed" ? CODES[next() % CODES.length]! : null,
      paidAt: PAID.has(status) ? createdAt + 1000 + (next() % 60_000) : null,
      createdAt,
      updatedAt: createdAt + 5 * 60_000,
    };
  });
}

async function insertPayments(list: Payment[]) {
  const insert = env.DB.prepare(
    `INSERT INTO payments (payment_no, merchant_id, livemode, order_no, amount, currency, status, channel,
       error_code, paid_at, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  for (let i = 0; i < list.length; i += 100) {
    await env.DB.batch(
      list.slice(i, i + 100).map((p) =>
        insert.bind(p.paymentNo, p.merchantId, p.livemode ? 1 : 0, `order-${p.paymentNo}`, p.amount, p.currency,
          p.status, p.channel, p.errorCode, p.paidAt, p.createdAt, p.updatedAt),
      ),
    );
  }
}

/** As before the rollup's first run: every day is computed from the payments. */
const forgetRollup = () => env.DB.exec("DELETE FROM statistics_rollups WHERE name = 'payment_statistics'");

/**
 * Merchant A (test and live mode) and merchant B, with payments on the same days. They are a
 * backfill (updated weeks ago), which a rollup only picks up on its first run: the tests share
 * one database, so the rollup state of earlier tests is forgotten.
 */
async function seedMerchants() {
  const now = Date.now();
  const [a, b] = [await createMerchant(), await createMerchant()];
  const aTest = generatePayments(a.id, false, 400, 5, now);
  const aLive = generatePayments(a.id, true, 50, 17, now);
  const bTest = generatePayments(b.id, false, 60, 23, now);
  await insertPayments([...aTest, ...aLive, ...bTest]);
  await forgetRollup();
  return { now, today: utcDay(now), a, b, aTest, aLive, bTest };
}

// ---- the figures, computed independently from the fixture ----------------------------------

interface DayRow {
  day: string;
  channel: string;
  currency: string;
  count: number;
  succeeded_count: number;
  failed_count: number;
  success_rate: number | null;
  succeeded_amount: number;
}

function expected(list: Payment[], from: string, to: string, only: { channel?: string; currency?: string } = {}) {
  const rows = new Map<string, DayRow>();
  const codes = new Map<string, number>();
  for (const p of list) {
    const day = new Date(p.createdAt).toISOString().slice(0, 10);
    if (day < from || day > to) continue;
    if ((only.channel !== undefined && p.channel !== only.channel) || (only.currency !== undefined && p.currency !== only.currency)) continue;
    const key = `${day} ${p.channel} ${p.currency}`;
    const row = rows.get(key) ?? {
      day, channel: p.channel, currency: p.currency, count: 0, succeeded_count: 0, failed_count: 0, success_rate: null, succeeded_amount: 0,
    };
    row.count += 1;
    if (PAID.has(p.status)) {
      row.succeeded_count += 1;
      row.succeeded_amount += p.amount;
    }
    if (p.status === "failed") {
      row.failed_count += 1;
      if (p.errorCode !== null) codes.set(p.errorCode, (codes.get(p.errorCode) ?? 0) + 1);
    }
    const outcomes = row.succeeded_count + row.failed_count;
    row.success_rate = outcomes === 0 ? null : Number((row.succeeded_count / outcomes).toFixed(4));
    rows.set(key, row);
  }
  return {
    object: "payment_statistics",
    from,
    to,
    days: [...rows.keys()].sort().map((k) => rows.get(k)!),
    top_failure_codes: [...codes]
      .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1))
      .slice(0, 5)
      .map(([code, count]) => ({ code, count })),
  };
}

// ---- calling the API and the cron ------------------------------------------------------------

async function statistics(key: string, query = "") {
  const res = await api(`/api/v1/statistics/payments${query}`, { key });
  expect(res.status).toBe(200);
  return res.json<ReturnType<typeof expected>>();
}

const runCron = (scheduledTime = Date.now()) =>
  runScheduled(createScheduledController({ scheduledTime, cron: "*/5 * * * *" }), env);

const rolledRows = (merchantId: string) =>
  env.DB.prepare("SELECT * FROM payment_statistics WHERE merchant_id = ? ORDER BY livemode, day, channel, currency")
    .bind(merchantId)
    .all<Record<string, unknown>>()
    .then((r) => r.results.map((row): Record<string, unknown> => ({ ...row, failure_codes: JSON.parse(row.failure_codes as string) })));

const rolledThrough = () =>
  env.DB.prepare("SELECT rolled_through FROM statistics_rollups WHERE name = 'payment_statistics'")
    .first<string>("rolled_through");

const range = (from: string, to: string) => `?from=${from}&to=${to}`;

// ---- tests -------------------------------------------------------------------------------------

describe("hand-computed figures", () => {
  // Nine payments on two UTC days, two channels, three currencies; one on each side of midnight.
  const at = (iso: string) => Date.parse(iso);
  const small = (merchantId: string): Payment[] =>
    (
      [
        ["1", "2026-03-01T08:00:00.000Z", "sandbox", "USD", 1000, "succeeded", null],
        ["2", "2026-03-01T09:00:00.000Z", "sandbox", "USD", 2500, "refunded", null],
        ["3", "2026-03-01T10:00:00.000Z", "sandbox", "USD", 700, "failed", "card_declined"],
        ["4", "2026-03-01T23:59:59.999Z", "sandbox", "USD", 300, "pending", null],
        ["5", "2026-03-01T12:00:00.000Z", "stripe", "EUR", 5000, "failed", "insufficient_funds"],
        ["6", "2026-03-01T13:00:00.000Z", "stripe", "EUR", 4000, "failed", "card_declined"],
        ["7", "2026-03-02T00:00:00.000Z", "sandbox", "USD", 1200, "partially_refunded", null],
        ["8", "2026-03-02T03:00:00.000Z", "stripe", "JPY", 800, "cancelled", null],
        ["9", "2026-03-02T04:00:00.000Z", "stripe", "JPY", 900, "failed", null],
      ] as const
    ).map(([n, created, channel, currency, amount, status, errorCode]) => ({
      paymentNo: `${merchantId}-small-${n}`,
      merchantId,
      livemode: false,
      channel,
      currency,
      amount,
      status,
      errorCode,
      paidAt: PAID.has(status) ? at(created) + 60_000 : null,
      createdAt: at(created),
      updatedAt: at(created) + 120_000,
    }));

  const literal = {
    object: "payment_statistics",
    from: "2026-03-01",
    to: "2026-03-02",
    days: [
      { day: "2026-03-01", channel: "sandbox", currency: "USD", count: 4, succeeded_count: 2, failed_count: 1, success_rate: 0.6667, succeeded_amount: 3500 },
      { day: "2026-03-01", channel: "stripe", currency: "EUR", count: 2, succeeded_count: 0, failed_count: 2, success_rate: 0, succeeded_amount: 0 },
      { day: "2026-03-02", channel: "sandbox", currency: "USD", count: 1, succeeded_count: 1, failed_count: 0, success_rate: 1, succeeded_amount: 1200 },
      { day: "2026-03-02", channel: "stripe", currency: "JPY", count: 2, succeeded_count: 0, failed_count: 1, success_rate: 0, succeeded_amount: 0 },
    ],
    // the failure without a code counts in failed_count only
    top_failure_codes: [
      { code: "card_declined", count: 2 },
      { code: "insufficient_funds", count: 1 },
    ],
  };

  async function check(m: TestMerchant) {
    expect(await statistics(m.testKey, range("2026-03-01", "2026-03-02"))).toEqual(literal);
    expect(await statistics(m.testKey, `${range("2026-03-01", "2026-03-02")}&channel=stripe`)).toEqual({
      ...literal,
      days: [literal.days[1], literal.days[3]],
      // equal counts: by code
      top_failure_codes: [
        { code: "card_declined", count: 1 },
        { code: "insufficient_funds", count: 1 },
      ],
    });
    expect(await statistics(m.testKey, `${range("2026-03-02", "2026-03-02")}&currency=usd`)).toEqual({
      ...literal,
      from: "2026-03-02",
      days: [literal.days[2]],
      top_failure_codes: [],
    });
    expect(await statistics(m.testKey, range("2026-02-01", "2026-02-28"))).toEqual({
      ...literal,
      from: "2026-02-01",
      to: "2026-02-28",
      days: [],
      top_failure_codes: [],
    });
  }

  it("answer the literal values for a small fixture, live and after the rollup", async () => {
    const m = await createMerchant();
    const payments = small(m.id);
    await insertPayments(payments);
    // the independent computation agrees with the hand-computed values
    expect(expected(payments, "2026-03-01", "2026-03-02")).toEqual(literal);

    await forgetRollup();
    await check(m);
    await runCron();
    expect(await rolledRows(m.id)).toEqual([
      ["2026-03-01", "sandbox", "USD", 4, 2, 3500, 1, { card_declined: 1 }],
      ["2026-03-01", "stripe", "EUR", 2, 0, 0, 2, { card_declined: 1, insufficient_funds: 1 }],
      ["2026-03-02", "sandbox", "USD", 1, 1, 1200, 0, {}],
      ["2026-03-02", "stripe", "JPY", 2, 0, 0, 1, {}],
    ].map(([day, channel, currency, count, succeeded, amount, failed, codes]) => ({
      merchant_id: m.id,
      livemode: 0,
      day,
      channel,
      currency,
      payment_count: count,
      succeeded_count: succeeded,
      succeeded_amount: amount,
      failed_count: failed,
      failure_codes: codes,
      updated_at: expect.any(Number),
    })));
    await check(m);
  });
});

describe("GET /api/v1/statistics/payments", () => {
  it("sums each UTC day, channel and currency from the payments before any rollup", async () => {
    const { a, aTest, today } = await seedMerchants();
    const from = addDays(today, -40);
    const all = expected(aTest, from, today);
    expect(new Set(all.days.map((d) => d.channel))).toEqual(new Set(["sandbox", "stripe"]));
    expect(all.top_failure_codes).toHaveLength(5);
    expect(await statistics(a.testKey, range(from, today))).toEqual(all);
  });

  it("answers the same after the rollup, finished days from payment_statistics and today live", async () => {
    const { a, aTest, today } = await seedMerchants();
    await runCron();
    expect(await rolledThrough()).toBe(addDays(today, -1));
    const days = new Set((await rolledRows(a.id)).map((r) => r.day as string));
    expect([...days].sort()).toEqual(DAY_OFFSETS.filter((d) => d < 0).map((d) => addDays(today, d)));

    const from = addDays(today, -40);
    const all = expected(aTest, from, today);
    expect(all.days.filter((r) => r.day === today).length).toBeGreaterThan(0);
    expect(await statistics(a.testKey, range(from, today))).toEqual(all);
    for (const only of [{ channel: "stripe" }, { channel: "sandbox", currency: "EUR" }, { currency: "JPY" }]) {
      const query = Object.entries(only).map(([k, v]) => `&${k}=${v}`).join("");
      expect(await statistics(a.testKey, `${range(from, today)}${query}`)).toEqual(expected(aTest, from, today, only));
    }
    // a range that ends before rolled_through, and one that starts today
    const before = addDays(today, -3);
    expect(await statistics(a.testKey, range(addDays(today, -12), before))).toEqual(
      expected(aTest, addDays(today, -12), before),
    );
    expect(await statistics(a.testKey, range(today, today))).toEqual(expected(aTest, today, today));
  });

  it("covers the last 30 days ending today by default, and 30 days around the one end given", async () => {
    const { a, aTest, today } = await seedMerchants();
    const last30 = expected(aTest, addDays(today, -29), today);
    expect(last30.days.some((r) => r.day === addDays(today, -29))).toBe(true);
    expect(expected(aTest, addDays(today, -30), addDays(today, -30)).days.length).toBeGreaterThan(0);
    expect(await statistics(a.testKey)).toEqual(last30);

    const to = addDays(today, -2);
    expect(await statistics(a.testKey, `?to=${to}`)).toEqual(expected(aTest, addDays(to, -29), to));
    const from = addDays(today, -12);
    expect(await statistics(a.testKey, `?from=${from}`)).toEqual(expected(aTest, from, today));
  });

  it("never counts another merchant's payments, nor the other mode's", async () => {
    const { a, b, aTest, aLive, bTest, today } = await seedMerchants();
    const from = addDays(today, -40);
    const scopes = [
      [a.testKey, aTest],
      [a.liveKey, aLive],
      [b.testKey, bTest],
    ] as const;
    for (const [key, list] of scopes) expect(await statistics(key, range(from, today))).toEqual(expected(list, from, today));
    await runCron();
    for (const [key, list] of scopes) expect(await statistics(key, range(from, today))).toEqual(expected(list, from, today));
    const counts = (await rolledRows(a.id)).reduce<Record<number, number>>((n, r) => {
      n[r.livemode as number] = (n[r.livemode as number] ?? 0) + (r.payment_count as number);
      return n;
    }, {});
    const finished = (list: Payment[]) => list.filter((p) => p.createdAt < dayStart(today)).length;
    expect(counts).toEqual({ 0: finished(aTest), 1: finished(aLive) });
  });
});

describe("the payment rollup (cron trigger)", () => {
  it("changes nothing when run again, nor when payments change in ways that move no figure", async () => {
    const { a, b } = await seedMerchants();
    await runCron();
    const snapshot = async () => ({ a: await rolledRows(a.id), b: await rolledRows(b.id), through: await rolledThrough() });
    const first = await snapshot();
    expect(first.a.length).toBeGreaterThan(20);
    expect((await rollupPaymentStatistics(env.DB, Date.now())).rowsWritten).toBe(0);

    // refunding succeeded payments on old days makes the next run recompute those days, which add up the same
    const refunded = await env.DB.prepare(
      "UPDATE payments SET status = 'refunded', version = version + 1, updated_at = ? WHERE merchant_id = ? AND status = 'succeeded' AND created_at < ?",
    )
      .bind(Date.now(), a.id, dayStart(utcDay(Date.now())))
      .run();
    expect(refunded.meta.changes).toBeGreaterThan(5);
    expect((await rollupPaymentStatistics(env.DB, Date.now())).rowsWritten).toBe(0);
    expect(await snapshot()).toEqual(first);
  });

  it("reflects a payment that settles after its day was rolled, at its next run", async () => {
    const { a, aTest, today } = await seedMerchants();
    await runCron();
    const from = addDays(today, -40);
    const target = aTest.find((p) => p.status === "processing" && p.createdAt < dayStart(addDays(today, -2)));
    expect(target).toBeDefined();
    const before = expected(aTest, from, today);

    // the PaymentDO's projection: the channel finally declines it, days after its day
    const failedAt = Date.now();
    await env.DB.prepare(
      "UPDATE payments SET status = 'failed', error_code = 'expired_card', version = version + 1, updated_at = ? WHERE payment_no = ?",
    )
      .bind(failedAt, target!.paymentNo)
      .run();
    Object.assign(target!, { status: "failed", errorCode: "expired_card", updatedAt: failedAt });
    const after = expected(aTest, from, today);
    expect(after).not.toEqual(before);

    // the finished day is read from payment_statistics until the next run
    expect(await statistics(a.testKey, range(from, today))).toEqual(before);
    expect((await rollupPaymentStatistics(env.DB, Date.now())).rowsWritten).toBe(1);
    expect(await statistics(a.testKey, range(from, today))).toEqual(after);
  });
});

describe("bad input", () => {
  it.each([
    ["?from=2026-01-10&to=2026-01-09", "from", "parameter_invalid"],
    ["?from=2026-02-30", "from", "parameter_invalid"],
    ["?to=2026-1-5", "to", "parameter_invalid"],
    ["?from=2025-01-01&to=2026-01-02", "to", "parameter_invalid"],
    ["?from=2020-01-01", "from", "parameter_invalid"],
    ["?channel=alipay", "channel", "parameter_invalid"],
    ["?currency=ABC", "currency", "currency_unsupported"],
    ["?created_gte=2026-01-01", "created_gte", "parameter_unknown"],
  ])("%s -> 400 naming %s", async (query, param, code) => {
    const m = await createMerchant();
    const res = await api(`/api/v1/statistics/payments${query}`, { key: m.testKey });
    expect(await errorOf(res)).toMatchObject({ status: 400, type: "invalid_request_error", code, param });
  });

  it("accepts a range of exactly 366 days (a leap year), and needs an API key", async () => {
    const m = await createMerchant();
    expect(await statistics(m.testKey, range("2024-01-01", "2024-12-31"))).toMatchObject({ days: [], top_failure_codes: [] });
    expect((await api("/api/v1/statistics/payments")).status).toBe(401);
  });
});
