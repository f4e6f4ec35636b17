import { createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { rollupOrderStatistics } from "../../shared/orders/statistics";
import { addDays, DAY_MS, dayStart, utcDay } from "../../shared/time";
import { runScheduled } from "../../workers/scheduled";
import { api, createMerchant, errorOf, type TestMerchant } from "./helpers";

// ---- fixture: orders written straight into the D1 projection -------------------------------

interface Order {
  orderNo: string;
  merchantId: string;
  livemode: boolean;
  currency: string;
  totalAmount: number;
  paidAmount: number;
  refundedAmount: number;
  status: string;
  paidAt: number | null;
  createdAt: number;
  updatedAt: number;
}

const STATUSES = ["pending", "paid", "shipped", "completed", "cancelled", "partially_refunded", "refunded"];
const CURRENCIES = ["USD", "EUR", "JPY", "GBP"];
/** Days, relative to today, the generated orders are created on (today: up to now). */
const DAY_OFFSETS = [-35, -30, -29, -12, -7, -5, -3, -2, -1, 0];

/** A deterministic stream of unsigned 32-bit integers (an LCG). */
function numbers(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

function generateOrders(merchantId: string, livemode: boolean, count: number, seed: number, now: number): Order[] {
  const next = numbers(seed);
  const today = utcDay(now);
  const list: Order[] = [];
  for (let i = 0; i < count; i++) {
    const offset = DAY_OFFSETS[i % DAY_OFFSETS.length]!;
    const start = dayStart(addDays(today, offset));
    const createdAt = start + (next() % (offset === 0 ? Math.max(1, now - start) : DAY_MS));
    const currency = CURRENCIES[next() % CURRENCIES.length]!;
    const status = STATUSES[next() % STATUSES.length]!;
    const totalAmount = currency === "JPY" ? 100 + (next() % 50_000) : 50 + (next() % 200_000);
    const paid = status !== "pending" && status !== "cancelled";
    const refundedAmount =
      status === "refunded" ? totalAmount : status === "partially_refunded" ? 1 + (next() % (totalAmount - 1)) : 0;
    list.push({
      orderNo: `${merchantId}-${livemode ? "live" : "test"}-${i}`,
      merchantId,
      livemode,
      currency,
      totalAmount,
      paidAmount: paid ? totalAmount : 0,
      refundedAmount,
      status,
      paidAt: paid ? createdAt + 1000 + (next() % 60_000) : null,
      createdAt,
      updatedAt: createdAt + 5 * 60_000,
    });
  }
  return list;
}

async function insertOrders(list: Order[]) {
  const insert = env.DB.prepare(
    `INSERT INTO orders (order_no, merchant_id, livemode, customer_email, currency, total_amount, paid_amount,
       refunded_amount, status, paid_at, version, created_at, updated_at)
     VALUES (?, ?, ?, 'buyer@example.com', ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  for (let i = 0; i < list.length; i += 100) {
    await env.DB.batch(
      list.slice(i, i + 100).map((o) =>
        insert.bind(o.orderNo, o.merchantId, o.livemode ? 1 : 0, o.currency, o.totalAmount, o.paidAmount,
          o.refundedAmount, o.status, o.paidAt, o.createdAt, o.updatedAt),
      ),
    );
  }
}

/** As before the rollup's first run: every day is computed from the orders. */
const forgetRollup = () => env.DB.exec("DELETE FROM statistics_rollups");

/**
 * Merchant A (test and live mode) and merchant B, with orders on the same days. The orders are a
 * backfill (updated weeks ago), which a rollup only picks up on its first run: the tests share
 * one database, so the rollup state of earlier tests is forgotten.
 */
async function seedMerchants() {
  const now = Date.now();
  const [a, b] = [await createMerchant(), await createMerchant()];
  const aTest = generateOrders(a.id, false, 300, 7, now);
  const aLive = generateOrders(a.id, true, 40, 11, now);
  const bTest = generateOrders(b.id, false, 60, 13, now);
  await insertOrders([...aTest, ...aLive, ...bTest]);
  await forgetRollup();
  return { now, today: utcDay(now), a, b, aTest, aLive, bTest };
}

// ---- the figures, computed independently from the fixture ----------------------------------

interface Filter {
  gte?: number;
  lte?: number;
  currency?: string;
}

function expectedStatistics(list: Order[], f: Filter = {}) {
  const byStatus = new Map<string, { status: string; currency: string; count: number; total_amount: number }>();
  const byCurrency = new Map<
    string,
    { currency: string; count: number; total_amount: number; paid_amount: number; refunded_amount: number; net_amount: number }
  >();
  for (const o of list) {
    if (f.gte !== undefined && o.createdAt < f.gte) continue;
    if (f.lte !== undefined && o.createdAt > f.lte) continue;
    if (f.currency !== undefined && o.currency !== f.currency) continue;
    const s = byStatus.get(`${o.currency} ${o.status}`) ?? { status: o.status, currency: o.currency, count: 0, total_amount: 0 };
    s.count += 1;
    s.total_amount += o.totalAmount;
    byStatus.set(`${o.currency} ${o.status}`, s);
    const c = byCurrency.get(o.currency) ??
      { currency: o.currency, count: 0, total_amount: 0, paid_amount: 0, refunded_amount: 0, net_amount: 0 };
    c.count += 1;
    c.total_amount += o.totalAmount;
    c.paid_amount += o.paidAmount;
    c.refunded_amount += o.refundedAmount;
    c.net_amount = c.paid_amount - c.refunded_amount;
    byCurrency.set(o.currency, c);
  }
  const sorted = <T>(m: Map<string, T>) => [...m.keys()].sort().map((k) => m.get(k)!);
  return { by_status: sorted(byStatus), by_currency: sorted(byCurrency) };
}

interface DailyRow {
  day: string;
  currency: string;
  orders: number;
  paid_count: number;
  gross_amount: number;
  refunded_amount: number;
  net_amount: number;
}

function expectedDaily(list: Order[], from: string, to: string, currency?: string): DailyRow[] {
  const rows = new Map<string, DailyRow>();
  for (const o of list) {
    const day = new Date(o.createdAt).toISOString().slice(0, 10);
    if (day < from || day > to || (currency !== undefined && o.currency !== currency)) continue;
    const key = `${day} ${o.currency}`;
    const row = rows.get(key) ??
      { day, currency: o.currency, orders: 0, paid_count: 0, gross_amount: 0, refunded_amount: 0, net_amount: 0 };
    row.orders += 1;
    if (o.paidAt !== null) row.paid_count += 1;
    row.gross_amount += o.paidAmount;
    row.refunded_amount += o.refundedAmount;
    row.net_amount = row.gross_amount - row.refunded_amount;
    rows.set(key, row);
  }
  return [...rows.keys()].sort().map((k) => rows.get(k)!);
}

// ---- calling the API and the cron ------------------------------------------------------------

async function statistics(key: string, query = "") {
  const res = await api(`/api/v1/statistics/orders${query}`, { key });
  expect(res.status).toBe(200);
  return res.json<{ object: string; created_gte: string | null; created_lte: string | null; by_status: unknown[]; by_currency: unknown[] }>();
}

async function summary(key: string, query = "") {
  const res = await api(`/api/v1/statistics/daily-summary${query}`, { key });
  expect(res.status).toBe(200);
  const body = await res.json<{ object: string; data: DailyRow[]; has_more: boolean }>();
  expect(body).toMatchObject({ object: "list", has_more: false });
  return body.data;
}

const runCron = (scheduledTime = Date.now()) =>
  runScheduled(createScheduledController({ scheduledTime, cron: "*/5 * * * *" }), env);

const rolledRows = (merchantId: string) =>
  env.DB.prepare("SELECT * FROM order_statistics WHERE merchant_id = ? ORDER BY livemode, day, currency")
    .bind(merchantId)
    .all()
    .then((r) => r.results);

const rolledThrough = () =>
  env.DB.prepare("SELECT rolled_through FROM statistics_rollups WHERE name = 'order_statistics'")
    .first<string>("rolled_through");

const range = (from: string, to: string) => `?from=${from}&to=${to}`;

// ---- tests -------------------------------------------------------------------------------------

describe("GET /api/v1/statistics/orders", () => {
  it("counts and sums the key's orders by currency and status, as the fixture adds up", async () => {
    const { a, aTest, today } = await seedMerchants();
    expect(await statistics(a.testKey)).toEqual({
      object: "order_statistics",
      created_gte: null,
      created_lte: null,
      ...expectedStatistics(aTest),
    });
    // a time range (both ends inclusive) and a currency narrow the same figures
    const gte = dayStart(addDays(today, -12));
    const lte = dayStart(addDays(today, -2)) - 1;
    const q = `?created_gte=${new Date(gte).toISOString()}&created_lte=${new Date(lte).toISOString()}`;
    expect(await statistics(a.testKey, q)).toEqual({
      object: "order_statistics",
      created_gte: new Date(gte).toISOString(),
      created_lte: new Date(lte).toISOString(),
      ...expectedStatistics(aTest, { gte, lte }),
    });
    expect(await statistics(a.testKey, `${q}&currency=JPY`)).toMatchObject(
      expectedStatistics(aTest, { gte, lte, currency: "JPY" }),
    );
    const all = expectedStatistics(aTest);
    expect(all.by_currency.map((c) => c.currency)).toEqual(["EUR", "GBP", "JPY", "USD"]);
    expect(all.by_status.length).toBeGreaterThan(20);
  });

  it("reads a date alone as its whole UTC day, a date-time with an offset as its instant, and any case of currency", async () => {
    const { a, aTest, today } = await seedMerchants();
    const first = addDays(today, -12);
    const last = addDays(today, -2);
    const gte = dayStart(first);
    const lte = dayStart(last) + DAY_MS - 1;
    const expected = {
      object: "order_statistics",
      created_gte: new Date(gte).toISOString(),
      created_lte: new Date(lte).toISOString(),
      ...expectedStatistics(aTest, { gte, lte }),
    };
    // the last day counts whole: its orders are spread over the day
    expect(expectedStatistics(aTest, { gte, lte: dayStart(last) }).by_currency).not.toEqual(expected.by_currency);
    expect(await statistics(a.testKey, `?created_gte=${first}&created_lte=${last}`)).toEqual(expected);
    // the same instants written in UTC+08:00 (a "+" in a query string is sent as %2B)
    const east = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().replace("Z", "+08:00");
    const q = `?created_gte=${encodeURIComponent(east(gte))}&created_lte=${encodeURIComponent(east(lte))}`;
    expect(await statistics(a.testKey, q)).toEqual(expected);
    // currency codes are case-insensitive here as everywhere
    expect(await statistics(a.testKey, `?created_gte=${first}&created_lte=${last}&currency=jpy`)).toMatchObject(
      expectedStatistics(aTest, { gte, lte, currency: "JPY" }),
    );
    expect(await summary(a.testKey, `${range(first, last)}&currency=eur`)).toEqual(expectedDaily(aTest, first, last, "EUR"));
  });
});

describe("hand-computed figures", () => {
  // Six orders, two currencies, two UTC days; one order on each side of midnight.
  const at = (iso: string) => Date.parse(iso);
  const small = (merchantId: string): Order[] =>
    (
      [
        ["1", "2026-03-01T08:00:00.000Z", "USD", 1000, 1000, 0, "paid"],
        ["2", "2026-03-01T09:30:00.000Z", "USD", 2500, 2500, 500, "partially_refunded"],
        ["3", "2026-03-01T23:59:59.999Z", "USD", 700, 0, 0, "pending"],
        ["4", "2026-03-02T00:00:00.000Z", "USD", 1200, 1200, 1200, "refunded"],
        ["5", "2026-03-01T12:00:00.000Z", "JPY", 5000, 5000, 0, "completed"],
        ["6", "2026-03-02T03:00:00.000Z", "JPY", 800, 0, 0, "cancelled"],
      ] as const
    ).map(([n, created, currency, total, paid, refunded, status]) => ({
      orderNo: `${merchantId}-small-${n}`,
      merchantId,
      livemode: false,
      currency,
      totalAmount: total,
      paidAmount: paid,
      refundedAmount: refunded,
      status,
      paidAt: paid > 0 ? at(created) + 60_000 : null,
      createdAt: at(created),
      updatedAt: at(created) + 120_000,
    }));

  const literalSummary = [
    { day: "2026-03-01", currency: "JPY", orders: 1, paid_count: 1, gross_amount: 5000, refunded_amount: 0, net_amount: 5000 },
    { day: "2026-03-01", currency: "USD", orders: 3, paid_count: 2, gross_amount: 3500, refunded_amount: 500, net_amount: 3000 },
    { day: "2026-03-02", currency: "JPY", orders: 1, paid_count: 0, gross_amount: 0, refunded_amount: 0, net_amount: 0 },
    { day: "2026-03-02", currency: "USD", orders: 1, paid_count: 1, gross_amount: 1200, refunded_amount: 1200, net_amount: 0 },
  ];

  async function check(m: TestMerchant) {
    expect(await statistics(m.testKey)).toEqual({
      object: "order_statistics",
      created_gte: null,
      created_lte: null,
      by_status: [
        { status: "cancelled", currency: "JPY", count: 1, total_amount: 800 },
        { status: "completed", currency: "JPY", count: 1, total_amount: 5000 },
        { status: "paid", currency: "USD", count: 1, total_amount: 1000 },
        { status: "partially_refunded", currency: "USD", count: 1, total_amount: 2500 },
        { status: "pending", currency: "USD", count: 1, total_amount: 700 },
        { status: "refunded", currency: "USD", count: 1, total_amount: 1200 },
      ],
      by_currency: [
        { currency: "JPY", count: 2, total_amount: 5800, paid_amount: 5000, refunded_amount: 0, net_amount: 5000 },
        { currency: "USD", count: 4, total_amount: 5400, paid_amount: 4700, refunded_amount: 1700, net_amount: 3000 },
      ],
    });
    // both ends inclusive, to the millisecond; the order at midnight belongs to the next day
    expect(
      await statistics(m.testKey, "?created_gte=2026-03-01T09:30:00Z&created_lte=2026-03-01T23:59:59.999Z"),
    ).toEqual({
      object: "order_statistics",
      created_gte: "2026-03-01T09:30:00.000Z",
      created_lte: "2026-03-01T23:59:59.999Z",
      by_status: [
        { status: "completed", currency: "JPY", count: 1, total_amount: 5000 },
        { status: "partially_refunded", currency: "USD", count: 1, total_amount: 2500 },
        { status: "pending", currency: "USD", count: 1, total_amount: 700 },
      ],
      by_currency: [
        { currency: "JPY", count: 1, total_amount: 5000, paid_amount: 5000, refunded_amount: 0, net_amount: 5000 },
        { currency: "USD", count: 2, total_amount: 3200, paid_amount: 2500, refunded_amount: 500, net_amount: 2000 },
      ],
    });
    expect(await summary(m.testKey, range("2026-03-01", "2026-03-02"))).toEqual(literalSummary);
    expect(await summary(m.testKey, `${range("2026-03-02", "2026-03-02")}&currency=USD`)).toEqual([literalSummary[3]]);
    expect(await summary(m.testKey, range("2026-02-01", "2026-02-28"))).toEqual([]);
  }

  it("answer the literal values for a small fixture, live and after the rollup", async () => {
    const m = await createMerchant();
    const orders = small(m.id);
    await insertOrders(orders);
    // the independent computation agrees with the hand-computed values
    expect(expectedDaily(orders, "2026-03-01", "2026-03-02")).toEqual(literalSummary);

    await forgetRollup();
    await check(m);
    await runCron();
    expect(await rolledRows(m.id)).toEqual(
      literalSummary.map((r) => ({
        merchant_id: m.id,
        livemode: 0,
        day: r.day,
        currency: r.currency,
        order_count: r.orders,
        paid_count: r.paid_count,
        gross_amount: r.gross_amount,
        refunded_amount: r.refunded_amount,
        net_amount: r.net_amount,
        updated_at: expect.any(Number),
      })),
    );
    await check(m);
  });
});

describe("GET /api/v1/statistics/daily-summary", () => {
  it("sums each UTC day and currency from the orders before any rollup", async () => {
    const { a, aTest, today } = await seedMerchants();
    const from = addDays(today, -35);
    expect(await summary(a.testKey, range(from, today))).toEqual(expectedDaily(aTest, from, today));
    expect(await summary(a.testKey, `${range(from, today)}&currency=JPY`)).toEqual(
      expectedDaily(aTest, from, today, "JPY"),
    );
  });

  it("answers the same after the rollup, finished days from order_statistics and today live", async () => {
    const { a, aTest, today } = await seedMerchants();
    await runCron();
    expect(await rolledThrough()).toBe(addDays(today, -1));
    const days = new Set((await rolledRows(a.id)).map((r) => r.day as string));
    expect([...days].sort()).toEqual(
      DAY_OFFSETS.filter((d) => d < 0).map((d) => addDays(today, d)),
    );

    const from = addDays(today, -35);
    const expected = expectedDaily(aTest, from, today);
    expect(expected.filter((r) => r.day === today).length).toBeGreaterThan(0);
    expect(await summary(a.testKey, range(from, today))).toEqual(expected);
    for (const currency of ["EUR", "JPY"]) {
      expect(await summary(a.testKey, `${range(from, today)}&currency=${currency}`)).toEqual(
        expectedDaily(aTest, from, today, currency),
      );
    }
    // a range that ends before rolled_through, and one that starts today
    const before = addDays(today, -3);
    expect(await summary(a.testKey, range(addDays(today, -12), before))).toEqual(
      expectedDaily(aTest, addDays(today, -12), before),
    );
    expect(await summary(a.testKey, range(today, today))).toEqual(expectedDaily(aTest, today, today));
  });

  it("covers the last 30 days ending today by default, and 30 days around the one end given", async () => {
    const { a, aTest, today } = await seedMerchants();
    const last30 = expectedDaily(aTest, addDays(today, -29), today);
    expect(last30.some((r) => r.day === addDays(today, -29))).toBe(true);
    expect(expectedDaily(aTest, addDays(today, -30), addDays(today, -30)).length).toBeGreaterThan(0);
    expect(await summary(a.testKey)).toEqual(last30);

    const to = addDays(today, -2);
    expect(await summary(a.testKey, `?to=${to}`)).toEqual(expectedDaily(aTest, addDays(to, -29), to));
    const from = addDays(today, -12);
    expect(await summary(a.testKey, `?from=${from}`)).toEqual(expectedDaily(aTest, from, today));
  });
});

describe("the rollup (cron trigger)", () => {
  it("changes nothing when run again, nor when orders change in ways that move no figure", async () => {
    const { a, b } = await seedMerchants();
    await runCron();
    const snapshot = async () => ({ a: await rolledRows(a.id), b: await rolledRows(b.id), through: await rolledThrough() });
    const first = await snapshot();
    expect(first.a.length).toBeGreaterThan(20);

    expect((await rollupOrderStatistics(env.DB, Date.now())).rowsWritten).toBe(0);
    expect(await snapshot()).toEqual(first);

    // shipping paid orders on old days makes the next run recompute those days, which add up the same
    const shipped = await env.DB.prepare(
      "UPDATE orders SET status = 'shipped', version = version + 1, updated_at = ? WHERE merchant_id = ? AND status = 'paid' AND created_at < ?",
    )
      .bind(Date.now(), a.id, dayStart(utcDay(Date.now())))
      .run();
    expect(shipped.meta.changes).toBeGreaterThan(5);
    expect((await rollupOrderStatistics(env.DB, Date.now())).rowsWritten).toBe(0);
    await runCron();
    expect(await snapshot()).toEqual(first);
  });

  it("reflects a refund on an old, already rolled day after its next run", async () => {
    const { a, aTest, today } = await seedMerchants();
    await runCron();
    const day = addDays(today, -7);
    const from = addDays(today, -35);
    const target = aTest.find((o) => utcDay(o.createdAt) === day && o.status === "paid");
    expect(target).toBeDefined();
    const before = expectedDaily(aTest, from, today);

    // the OrderDO's projection refunds the order in full, weeks after its day
    const refundedAt = Date.now();
    await env.DB.prepare(
      "UPDATE orders SET status = 'refunded', refunded_amount = paid_amount, version = version + 1, updated_at = ? WHERE order_no = ?",
    )
      .bind(refundedAt, target!.orderNo)
      .run();
    Object.assign(target!, { status: "refunded", refundedAmount: target!.paidAmount, updatedAt: refundedAt });
    const after = expectedDaily(aTest, from, today);
    expect(after).not.toEqual(before);

    // live figures see it at once; the finished day is read from order_statistics until the next run
    expect(await statistics(a.testKey)).toMatchObject(expectedStatistics(aTest));
    expect(await summary(a.testKey, range(from, today))).toEqual(before);
    await runCron();
    expect(await summary(a.testKey, range(from, today))).toEqual(after);
    const row = after.find((r) => r.day === day && r.currency === target!.currency)!;
    expect(row.refunded_amount).toBeGreaterThanOrEqual(target!.paidAmount);
  });

  it("rolls a day that finished after its orders were last touched (older than the watermark)", async () => {
    const m = await createMerchant();
    const yesterday = addDays(utcDay(Date.now()), -1);
    const start = dayStart(yesterday);
    const orders: Order[] = [0, 1, 2].map((i) => ({
      orderNo: `${m.id}-late-${i}`,
      merchantId: m.id,
      livemode: false,
      currency: "EUR",
      totalAmount: 1000 * (i + 1),
      paidAmount: 1000 * (i + 1),
      refundedAmount: 0,
      status: "paid",
      paidAt: start + 10 * 60_000,
      createdAt: start + 5 * 60_000 + i,
      updatedAt: start + 10 * 60_000,
    }));
    await insertOrders(orders);
    // a run during that day, hours after the orders' last change: the day is not finished yet
    await runCron(start + 6 * 60 * 60_000);
    expect(await rolledRows(m.id)).toEqual([]);
    expect(await rolledThrough()).toBe(addDays(yesterday, -1));
    // the next run (today) rolls it although nothing changed since that run's watermark
    await runCron();
    expect(await rolledThrough()).toBe(yesterday);
    expect(await rolledRows(m.id)).toMatchObject([
      { day: yesterday, currency: "EUR", order_count: 3, paid_count: 3, gross_amount: 6000, refunded_amount: 0, net_amount: 6000 },
    ]);
    expect(await summary(m.testKey, range(yesterday, yesterday))).toEqual(expectedDaily(orders, yesterday, yesterday));
  });
});

describe("isolation", () => {
  it("never counts another merchant's orders, nor the other mode's", async () => {
    const { a, b, aTest, aLive, bTest, today } = await seedMerchants();
    const from = addDays(today, -35);
    const scopes = [
      [a.testKey, aTest],
      [a.liveKey, aLive],
      [b.testKey, bTest],
    ] as const;
    for (const [key, list] of scopes) {
      expect(await statistics(key)).toMatchObject(expectedStatistics(list));
      expect(await summary(key, range(from, today))).toEqual(expectedDaily(list, from, today));
    }
    await runCron();
    for (const [key, list] of scopes) {
      expect(await summary(key, range(from, today))).toEqual(expectedDaily(list, from, today));
    }
    const counts = (await rolledRows(a.id)).reduce<Record<number, number>>((n, r) => {
      n[r.livemode as number] = (n[r.livemode as number] ?? 0) + (r.order_count as number);
      return n;
    }, {});
    const finished = (list: Order[]) => list.filter((o) => o.createdAt < dayStart(today)).length;
    expect(counts).toEqual({ 0: finished(aTest), 1: finished(aLive) });
  });
});

describe("bad input", () => {
  it.each([
    ["daily-summary?from=2026-01-10&to=2026-01-09", "from", "parameter_invalid"],
    ["daily-summary?from=2026-02-30", "from", "parameter_invalid"],
    ["daily-summary?to=2026-1-5", "to", "parameter_invalid"],
    ["daily-summary?from=20260105", "from", "parameter_invalid"],
    ["daily-summary?from=2025-01-01&to=2026-01-02", "to", "parameter_invalid"],
    ["daily-summary?from=2024-01-01&to=2025-01-01", "to", "parameter_invalid"],
    ["daily-summary?from=2020-01-01", "from", "parameter_invalid"],
    ["daily-summary?from=2999-01-01", "from", "parameter_invalid"],
    ["daily-summary?currency=ABC", "currency", "currency_unsupported"],
    ["daily-summary?currency=abc", "currency", "currency_unsupported"],
    ["daily-summary?day=2026-01-01", "day", "parameter_unknown"],
    ["orders?currency=XYZ", "currency", "currency_unsupported"],
    ["orders?created_gte=yesterday", "created_gte", "parameter_invalid"],
    ["orders?created_gte=2026-11-25T08:00:00", "created_gte", "parameter_invalid"],
    ["orders?created_lte=2026-02-30", "created_lte", "parameter_invalid"],
    ["orders?created_gte=2026-11-26&created_lte=2026-11-25", "created_gte", "parameter_invalid"],
    ["orders?created_gte=2026-11-25T00:00:00Z&created_lte=2026-11-24T23:59:59.999Z", "created_gte", "parameter_invalid"],
    ["orders?limit=10", "limit", "parameter_unknown"],
  ])("%s -> 400 naming %s", async (path, param, code) => {
    const m = await createMerchant();
    const res = await api(`/api/v1/statistics/${path}`, { key: m.testKey });
    expect(await errorOf(res)).toMatchObject({ status: 400, type: "invalid_request_error", code, param });
  });

  it("words a range that starts after it ends the same on both endpoints", async () => {
    const m = await createMerchant();
    const orders = await errorOf(
      await api("/api/v1/statistics/orders?created_gte=2026-11-26&created_lte=2026-11-25", { key: m.testKey }),
    );
    expect(orders.message).toBe("Invalid created_gte: 2026-11-26 is after created_lte (2026-11-25).");
    const daily = await errorOf(
      await api("/api/v1/statistics/daily-summary?from=2026-01-10&to=2026-01-09", { key: m.testKey }),
    );
    expect(daily.message).toBe("Invalid from: 2026-01-10 is after to (2026-01-09).");
    // one day, given as a date at both ends, is not inverted
    expect(await statistics(m.testKey, "?created_gte=2026-11-25&created_lte=2026-11-25")).toMatchObject({
      created_gte: "2026-11-25T00:00:00.000Z",
      created_lte: "2026-11-25T23:59:59.999Z",
    });
  });

  it("accepts a range of exactly 366 days (a leap year)", async () => {
    const m = await createMerchant();
    expect(await summary(m.testKey, range("2024-01-01", "2024-12-31"))).toEqual([]);
  });

  it("needs an API key", async () => {
    expect((await api("/api/v1/statistics/orders")).status).toBe(401);
    expect((await api("/api/v1/statistics/daily-summary")).status).toBe(401);
  });
});
