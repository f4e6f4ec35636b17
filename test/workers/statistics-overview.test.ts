import { createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { addDays, utcDay } from "../../shared/time";
import { runScheduled } from "../../workers/scheduled";
import { api, createMerchant, createPayment, errorOf, eventually, paymentReaches, type PaymentJson } from "./helpers";

// ---- fixture: payments and refunds written straight into the D1 projection -----------------

type Row = [no: string, created: string, currency: string, amount: number, status: string, disputed?: string];

const PAID = new Set(["succeeded", "partially_refunded", "refunded"]);
const at = (iso: string) => Date.parse(iso);

async function insertPayments(merchantId: string, livemode: boolean, rows: Row[]) {
  const insert = env.DB.prepare(
    `INSERT INTO payments (payment_no, merchant_id, livemode, order_no, amount, currency, status, channel, paid_at,
       disputed_at, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'sandbox', ?, ?, 1, ?, ?)`,
  );
  await env.DB.batch(
    rows.map(([no, created, currency, amount, status, disputed]) =>
      insert.bind(`${merchantId}-${no}`, merchantId, livemode ? 1 : 0, `order-${no}`, amount, currency, status,
        PAID.has(status) ? at(created) + 60_000 : null, disputed ? at(disputed) : null, at(created), at(created) + 120_000),
    ),
  );
}

type RefundRow = [no: string, paymentNo: string, created: string, currency: string, amount: number, status: string];

async function insertRefunds(merchantId: string, livemode: boolean, rows: RefundRow[]) {
  const insert = env.DB.prepare(
    `INSERT INTO refunds (refund_no, payment_no, merchant_id, livemode, amount, currency, status, channel, version,
       created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'sandbox', 1, ?, ?)`,
  );
  await env.DB.batch(
    rows.map(([no, paymentNo, created, currency, amount, status]) =>
      insert.bind(`${merchantId}-${no}`, `${merchantId}-${paymentNo}`, merchantId, livemode ? 1 : 0, amount, currency, status,
        at(created), at(created) + 60_000),
    ),
  );
}

/** As before the rollup's first run: the fixture is a backfill (updated long ago), which only a first run picks up. */
const forgetRollup = () => env.DB.exec("DELETE FROM statistics_rollups WHERE name = 'payment_statistics'");
const runCron = () => runScheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env);

async function overview(key: string, query = "") {
  const res = await api(`/api/v1/statistics/overview${query}`, { key });
  expect(res.status).toBe(200);
  return res.json<{ object: string; from: string; to: string; currencies: Array<Record<string, unknown>> }>();
}

const figures = (currency: string, f: Partial<Record<string, number | null>>) => ({
  currency,
  payment_count: 0,
  succeeded_count: 0,
  failed_count: 0,
  success_rate: null,
  succeeded_amount: 0,
  refund_count: 0,
  refunded_amount: 0,
  dispute_count: 0,
  disputed_amount: 0,
  ...f,
});

describe("GET /api/v1/statistics/overview", () => {
  it("answers the hand-computed figures of a known set, from the payments and after the rollup", async () => {
    const [a, b] = [await createMerchant(), await createMerchant()];
    await insertPayments(a.id, false, [
      ["p0", "2025-02-28T23:59:59.999Z", "USD", 9999, "succeeded"], // the day before
      ["p1", "2025-03-01T00:00:00.000Z", "USD", 1000, "succeeded", "2025-03-03T00:00:00.000Z"], // disputed the day after
      ["p2", "2025-03-01T10:00:00.000Z", "USD", 2500, "refunded", "2025-03-02T10:00:00.000Z"],
      ["p3", "2025-03-01T11:00:00.000Z", "USD", 700, "failed"],
      ["p4", "2025-03-01T12:00:00.000Z", "USD", 300, "pending"],
      ["p5", "2025-03-02T23:59:59.999Z", "EUR", 4000, "partially_refunded"],
      ["p6", "2025-03-02T08:00:00.000Z", "EUR", 500, "failed"],
      ["p7", "2025-03-02T09:00:00.000Z", "JPY", 800, "cancelled"],
      ["p8", "2025-03-03T00:00:00.000Z", "USD", 5000, "succeeded"], // the day after
      ["p9", "2025-01-15T09:00:00.000Z", "GBP", 6000, "succeeded", "2025-03-01T05:00:00.000Z"], // made long before
    ]);
    await insertRefunds(a.id, false, [
      ["r1", "p2", "2025-03-01T15:00:00.000Z", "USD", 2500, "succeeded"],
      ["r2", "p0", "2025-03-01T01:00:00.000Z", "USD", 400, "succeeded"], // of a payment made before the range
      ["r3", "p0", "2025-02-28T23:00:00.000Z", "USD", 300, "succeeded"], // the day before
      ["r4", "p5", "2025-03-02T20:00:00.000Z", "EUR", 1500, "succeeded"],
      ["r5", "p5", "2025-03-02T21:00:00.000Z", "EUR", 1000, "failed"],
      ["r6", "p5", "2025-03-02T22:00:00.000Z", "EUR", 700, "pending"],
    ]);
    // the other mode and another merchant, on the same days
    await insertPayments(a.id, true, [["l1", "2025-03-01T09:00:00.000Z", "USD", 777, "succeeded", "2025-03-01T10:00:00.000Z"]]);
    await insertRefunds(a.id, true, [["lr1", "l1", "2025-03-01T11:00:00.000Z", "USD", 777, "succeeded"]]);
    await insertPayments(b.id, false, [["b1", "2025-03-01T09:00:00.000Z", "EUR", 123, "failed"]]);

    const range = "?from=2025-03-01&to=2025-03-02";
    const expected = {
      object: "statistics_overview",
      from: "2025-03-01",
      to: "2025-03-02",
      currencies: [
        figures("EUR", { payment_count: 2, succeeded_count: 1, failed_count: 1, success_rate: 0.5, succeeded_amount: 4000, refund_count: 1, refunded_amount: 1500 }),
        // disputed in the range, made before it
        figures("GBP", { dispute_count: 1, disputed_amount: 6000 }),
        // made, but neither succeeded nor failed
        figures("JPY", { payment_count: 1 }),
        figures("USD", {
          payment_count: 4, succeeded_count: 2, failed_count: 1, success_rate: 0.6667, succeeded_amount: 3500,
          refund_count: 2, refunded_amount: 2900, dispute_count: 1, disputed_amount: 2500,
        }),
      ],
    };
    const others = {
      live: { ...expected, currencies: [figures("USD", { payment_count: 1, succeeded_count: 1, success_rate: 1, succeeded_amount: 777, refund_count: 1, refunded_amount: 777, dispute_count: 1, disputed_amount: 777 })] },
      b: { ...expected, currencies: [figures("EUR", { payment_count: 1, failed_count: 1, success_rate: 0 })] },
    };

    await forgetRollup();
    expect(await overview(a.testKey, range)).toEqual(expected);
    expect(await overview(a.liveKey, range)).toEqual(others.live);
    expect(await overview(b.testKey, range)).toEqual(others.b);
    expect(await overview(a.testKey, "?from=2025-04-01&to=2025-04-30")).toEqual({ ...expected, from: "2025-04-01", to: "2025-04-30", currencies: [] });

    // the same once the cron has rolled the finished days into payment_statistics
    await runCron();
    const rolled = await env.DB.prepare("SELECT count(*) AS n FROM payment_statistics WHERE merchant_id = ? AND day BETWEEN '2025-03-01' AND '2025-03-02'")
      .bind(a.id)
      .first<number>("n");
    expect(rolled).toBeGreaterThan(0);
    expect(await overview(a.testKey, range)).toEqual(expected);
    expect(await overview(a.liveKey, range)).toEqual(others.live);
    // one day alone: its payments, refunds and disputes only
    expect(await overview(a.testKey, "?from=2025-03-02&to=2025-03-02")).toEqual({
      ...expected,
      from: "2025-03-02",
      currencies: [
        figures("EUR", { payment_count: 2, succeeded_count: 1, failed_count: 1, success_rate: 0.5, succeeded_amount: 4000, refund_count: 1, refunded_amount: 1500 }),
        figures("JPY", { payment_count: 1 }),
        figures("USD", { dispute_count: 1, disputed_amount: 2500 }),
      ],
    });
  });

  it("counts real sandbox payments and a refund as they settle, in the default range (the last 30 days)", async () => {
    const m = await createMerchant();
    const paid = await (await createPayment(m.testKey, { amount: 10000 })).json<PaymentJson>();
    const declined = await (await createPayment(m.testKey, { amount: 2000, payment_method: "pm_sandbox_declined" })).json<PaymentJson>();
    await paymentReaches(m.testKey, paid.payment_no, "succeeded");
    await paymentReaches(m.testKey, declined.payment_no, "failed");
    const refund = await api("/api/v1/refunds", { key: m.testKey, body: { payment_no: paid.payment_no, amount: 3000 } });
    expect(refund.status).toBe(201);
    const today = utcDay(Date.now());
    const settled = await eventually(
      () => overview(m.testKey),
      (o) => (o.currencies[0]?.refund_count as number | undefined) === 1 && o.currencies[0]?.failed_count === 1,
    );
    expect(settled).toEqual({
      object: "statistics_overview",
      from: addDays(today, -29),
      to: today,
      currencies: [
        figures("USD", { payment_count: 2, succeeded_count: 1, failed_count: 1, success_rate: 0.5, succeeded_amount: 10000, refund_count: 1, refunded_amount: 3000 }),
      ],
    });
  });

  it.each([
    ["?from=2025-03-02&to=2025-03-01", "parameter_invalid", "from", "Invalid from: 2025-03-02 is after to (2025-03-01)."],
    ["?from=2024-01-01&to=2025-01-01", "parameter_invalid", "to", "Invalid to: from 2024-01-01 to 2025-01-01 is 367 days; a summary covers at most 366."],
    ["?from=2025-02-30", "parameter_invalid", "from", undefined],
    ["?to=yesterday", "parameter_invalid", "to", undefined],
    ["?currency=USD", "parameter_unknown", "currency", undefined],
  ])("refuses %s", async (query, code, param, message) => {
    const m = await createMerchant();
    const error = await errorOf(await api(`/api/v1/statistics/overview${query}`, { key: m.testKey }));
    expect(error).toMatchObject({ status: 400, code, param, ...(message && { message }) });
  });
});
