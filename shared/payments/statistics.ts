// Payment statistics over the D1 projection, for a dashboard's overview: per UTC day of creation,
// channel and currency, how many payments were made, how many succeeded (and for how much) and
// how many failed, with the failure codes. The cron rolls finished days up into
// payment_statistics (as orders into order_statistics), so thirty days read a few hundred rows.
import { and, asc, between, count, eq, gte, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import {
  changedDay,
  changedDays,
  onChangedDay,
  rolledThrough,
  runRollup,
  splitAtRollup,
  sqlDay,
  type DayRange,
  type RollupResult,
} from "../db/rollup";
import { payments, paymentStatistics } from "../db/schema";
import { DAY_MS, dayStart } from "../time";

/** Whose payments: one merchant in one mode, optionally one channel and one currency. */
export interface PaymentStatisticsScope {
  merchantId: string;
  livemode: boolean;
  channel?: string;
  currency?: string;
}

export interface PaymentDay {
  day: string;
  channel: string;
  currency: string;
  /** Payments created that day, whatever their status. */
  count: number;
  /** Those that succeeded (paid_at set), refunded since or not. */
  succeededCount: number;
  /** The sum of their amounts. */
  succeededAmount: number;
  failedCount: number;
}

export interface FailureCode {
  code: string;
  count: number;
}

/** How many failure codes the statistics name, the most frequent first. */
export const TOP_FAILURE_CODES = 5;

/** Succeeded out of the payments that reached an outcome (succeeded or failed); null without one. */
export const successRate = (succeeded: number, failed: number) =>
  succeeded + failed === 0 ? null : Math.round((succeeded / (succeeded + failed)) * 10_000) / 10_000;

const ROLLUP = "payment_statistics";

const createdDay = sqlDay(payments.createdAt);
/** A failed payment's code; null for every other payment (and a failure the channel gave no code). */
const failureCode = sql<string | null>`CASE WHEN ${payments.status} = 'failed' THEN ${payments.errorCode} END`;

type Orm = ReturnType<typeof drizzle>;

const only = (scope: PaymentStatisticsScope, channel: SQLiteColumn, currency: SQLiteColumn) => [
  scope.channel === undefined ? undefined : eq(channel, scope.channel),
  scope.currency === undefined ? undefined : eq(currency, scope.currency),
];

/** Rolled days, from payment_statistics: one row per (day, channel, currency), in that order. */
const rolledDays = (orm: Orm, scope: PaymentStatisticsScope, days: DayRange) =>
  orm
    .select({
      day: paymentStatistics.day,
      channel: paymentStatistics.channel,
      currency: paymentStatistics.currency,
      count: paymentStatistics.paymentCount,
      succeededCount: paymentStatistics.succeededCount,
      succeededAmount: paymentStatistics.succeededAmount,
      failedCount: paymentStatistics.failedCount,
      failureCodes: paymentStatistics.failureCodes,
    })
    .from(paymentStatistics)
    .where(
      and(
        eq(paymentStatistics.merchantId, scope.merchantId),
        eq(paymentStatistics.livemode, scope.livemode),
        between(paymentStatistics.day, days.from, days.to),
        ...only(scope, paymentStatistics.channel, paymentStatistics.currency),
      ),
    )
    .orderBy(asc(paymentStatistics.day), asc(paymentStatistics.channel), asc(paymentStatistics.currency))
    .all();

/**
 * Days not rolled yet, summed from the payments (idx_payments_merchant_created), grouped by
 * failure code too: a (day, channel, currency) is one row or more, adjacent.
 */
const liveDays = (orm: Orm, scope: PaymentStatisticsScope, days: DayRange) =>
  orm
    .select({
      day: createdDay,
      channel: payments.channel,
      currency: payments.currency,
      code: failureCode,
      count: count(),
      succeededCount: count(payments.paidAt),
      succeededAmount: sql<number>`coalesce(sum(CASE WHEN ${payments.paidAt} IS NOT NULL THEN ${payments.amount} END), 0)`,
      failedCount: sql<number>`count(*) FILTER (WHERE ${payments.status} = 'failed')`,
    })
    .from(payments)
    .where(
      and(
        eq(payments.merchantId, scope.merchantId),
        eq(payments.livemode, scope.livemode),
        gte(payments.createdAt, dayStart(days.from)),
        lt(payments.createdAt, dayStart(days.to) + DAY_MS),
        ...only(scope, payments.channel, payments.currency),
      ),
    )
    .groupBy(createdDay, payments.channel, payments.currency, failureCode)
    .orderBy(asc(createdDay), asc(payments.channel), asc(payments.currency))
    .all();

/**
 * The days `from` to `to` (inclusive), one row per (day, channel, currency) that has payments,
 * days ascending then channel and currency, and the range's most frequent failure codes. Days the
 * rollup has finished are read from payment_statistics; later ones are summed from the payments.
 */
export async function dailyPaymentTotals(
  db: D1Database,
  scope: PaymentStatisticsScope,
  days: DayRange,
): Promise<{ days: PaymentDay[]; failureCodes: FailureCode[] }> {
  const orm = drizzle(db);
  // rolled_through moves in the transaction that writes its rows (see runRollup)
  const split = splitAtRollup(await rolledThrough(db, ROLLUP), days);
  const rolled = split.rolled === null ? [] : await rolledDays(orm, scope, split.rolled);
  const live = split.live === null ? [] : await liveDays(orm, scope, split.live);

  const failures = new Map<string, number>();
  const tally = (code: string, n: number) => failures.set(code, (failures.get(code) ?? 0) + n);
  const result: PaymentDay[] = [];
  for (const { failureCodes, ...r } of rolled) {
    result.push(r);
    for (const [code, n] of Object.entries(JSON.parse(failureCodes) as Record<string, number>)) tally(code, n);
  }
  for (const { code, ...r } of live) {
    const last = result.at(-1);
    if (last?.day === r.day && last.channel === r.channel && last.currency === r.currency) {
      last.count += r.count;
      last.succeededCount += r.succeededCount;
      last.succeededAmount += r.succeededAmount;
      last.failedCount += r.failedCount;
    } else {
      result.push(r);
    }
    if (code !== null) tally(code, r.failedCount);
  }
  const failureCodes = [...failures]
    .map(([code, n]) => ({ code, count: n }))
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1))
    .slice(0, TOP_FAILURE_CODES);
  return { days: result, failureCodes };
}

/** Recomputes the finished days whose payments are new or changed (see runRollup). */
export const rollupPaymentStatistics = (db: D1Database, startedAt: number): Promise<RollupResult> =>
  runRollup(db, ROLLUP, startedAt, [ROLLUP_UPSERT]);

/**
 * The (merchant, mode, day)s to recompute (`changedDays`: idx_payments_created_at and
 * idx_payments_updated_at), each summed through idx_payments_merchant_created: first per failure
 * code (null for payments that did not fail), then per channel and currency, the codes of failed
 * payments gathered into a JSON object (code → payments).
 */
const ROLLUP_UPSERT = `
  WITH ${changedDays("payments")},
  by_code AS (
    SELECT p.merchant_id, p.livemode, d.day_start, p.channel, p.currency,
           CASE WHEN p.status = 'failed' THEN p.error_code END AS code,
           count(*) AS payments, count(p.paid_at) AS succeeded,
           coalesce(sum(CASE WHEN p.paid_at IS NOT NULL THEN p.amount END), 0) AS succeeded_amount,
           count(*) FILTER (WHERE p.status = 'failed') AS failed
    FROM days d
    JOIN payments p ON ${onChangedDay("p")}
    GROUP BY p.merchant_id, p.livemode, d.day_start, p.channel, p.currency, code
  )
  INSERT INTO payment_statistics (merchant_id, livemode, day, channel, currency, payment_count,
                                  succeeded_count, succeeded_amount, failed_count, failure_codes, updated_at)
  SELECT merchant_id, livemode, ${changedDay}, channel, currency, sum(payments), sum(succeeded),
         sum(succeeded_amount), sum(failed), json_group_object(code, failed) FILTER (WHERE code IS NOT NULL), ?4
  FROM by_code d -- d: changedDay reads d.day_start
  WHERE true
  GROUP BY merchant_id, livemode, day_start, channel, currency
  ON CONFLICT (merchant_id, livemode, day, channel, currency) DO UPDATE SET
    payment_count = excluded.payment_count,
    succeeded_count = excluded.succeeded_count,
    succeeded_amount = excluded.succeeded_amount,
    failed_count = excluded.failed_count,
    failure_codes = excluded.failure_codes,
    updated_at = excluded.updated_at
  WHERE (payment_count, succeeded_count, succeeded_amount, failed_count, failure_codes)
     IS NOT (excluded.payment_count, excluded.succeeded_count, excluded.succeeded_amount,
             excluded.failed_count, excluded.failure_codes)`;
