// Order statistics over the D1 projection: totals by status and currency, a per-day summary, and
// the cron's rollup of finished UTC days into order_statistics, so a summary over a year reads
// about 365 rows instead of every order.
import { and, asc, count, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { orders, orderStatistics, statisticsRollups } from "../db/schema";
import type { OrderStatus } from "./state-machine";

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day (YYYY-MM-DD) of an epoch-ms instant. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Midnight UTC (epoch ms) at the start of a YYYY-MM-DD day. */
export const dayStart = (day: string) => Date.parse(`${day}T00:00:00.000Z`);

/** The day `n` days after (or before, if negative) a YYYY-MM-DD day. */
export const addDays = (day: string, n: number) => utcDay(dayStart(day) + n * DAY_MS);

/** Whose orders: every read is scoped to one merchant in one mode, optionally one currency. */
export interface StatisticsScope {
  merchantId: string;
  livemode: boolean;
  currency?: string;
}

const scoped = (s: StatisticsScope): SQL[] => [
  eq(orders.merchantId, s.merchantId),
  eq(orders.livemode, s.livemode),
  ...(s.currency === undefined ? [] : [eq(orders.currency, s.currency)]),
];

const total = (column: SQLiteColumn) => sql<number>`sum(${column})`.mapWith(Number);

export interface StatusTotals {
  status: OrderStatus;
  currency: string;
  count: number;
  totalAmount: number;
}

export interface CurrencyTotals {
  currency: string;
  count: number;
  totalAmount: number;
  paidAmount: number;
  refundedAmount: number;
  netAmount: number;
}

/** Orders created in the range, counted and summed by (currency, status) and by currency. */
export async function orderTotals(
  db: D1Database,
  scope: StatisticsScope,
  created: { gte?: number; lte?: number },
): Promise<{ byStatus: StatusTotals[]; byCurrency: CurrencyTotals[] }> {
  const rows = await drizzle(db)
    .select({
      currency: orders.currency,
      status: sql<OrderStatus>`${orders.status}`,
      count: count(),
      totalAmount: total(orders.totalAmount),
      paidAmount: total(orders.paidAmount),
      refundedAmount: total(orders.refundedAmount),
    })
    .from(orders)
    .where(
      and(
        ...scoped(scope),
        created.gte === undefined ? undefined : gte(orders.createdAt, created.gte),
        created.lte === undefined ? undefined : lte(orders.createdAt, created.lte),
      ),
    )
    .groupBy(orders.currency, orders.status)
    .orderBy(asc(orders.currency), asc(orders.status))
    .all();

  // Rows come sorted by currency, so each currency's rows are adjacent.
  const byCurrency: CurrencyTotals[] = [];
  for (const row of rows) {
    let last = byCurrency.at(-1);
    if (last?.currency !== row.currency) {
      last = { currency: row.currency, count: 0, totalAmount: 0, paidAmount: 0, refundedAmount: 0, netAmount: 0 };
      byCurrency.push(last);
    }
    last.count += row.count;
    last.totalAmount += row.totalAmount;
    last.paidAmount += row.paidAmount;
    last.refundedAmount += row.refundedAmount;
    last.netAmount = last.paidAmount - last.refundedAmount;
  }
  return {
    byStatus: rows.map((r) => ({ status: r.status, currency: r.currency, count: r.count, totalAmount: r.totalAmount })),
    byCurrency,
  };
}

export interface DailyTotals {
  day: string;
  currency: string;
  orders: number;
  paidCount: number;
  grossAmount: number;
  refundedAmount: number;
  netAmount: number;
}

const ROLLUP = "order_statistics";

/** The last day the rollup has put in order_statistics, or null before its first run. */
export async function rolledThrough(db: D1Database): Promise<string | null> {
  const state = await drizzle(db)
    .select({ rolledThrough: statisticsRollups.rolledThrough })
    .from(statisticsRollups)
    .where(eq(statisticsRollups.name, ROLLUP))
    .get();
  return state?.rolledThrough ?? null;
}

const createdDay = sql<string>`strftime('%Y-%m-%d', ${orders.createdAt} / 1000, 'unixepoch')`;

/**
 * One row per (UTC creation day, currency) that has orders, days ascending then currency, for
 * the days `from` to `to` (YYYY-MM-DD, inclusive). Days the rollup has finished are read from
 * order_statistics; later ones are summed from the orders themselves.
 */
export async function dailyTotals(
  db: D1Database,
  scope: StatisticsScope,
  days: { from: string; to: string },
): Promise<DailyTotals[]> {
  const orm = drizzle(db);
  // The rollup writes its rows and moves rolled_through in one transaction, so every day up to
  // the rolled_through read here is in order_statistics whatever the rollup does meanwhile.
  const through = await rolledThrough(db);
  const rolledTo = through === null || through < days.from ? null : through < days.to ? through : days.to;
  const liveFrom = rolledTo === null ? days.from : addDays(rolledTo, 1);

  const rolled =
    rolledTo === null
      ? []
      : await orm
          .select({
            day: orderStatistics.day,
            currency: orderStatistics.currency,
            orders: orderStatistics.orderCount,
            paidCount: orderStatistics.paidCount,
            grossAmount: orderStatistics.grossAmount,
            refundedAmount: orderStatistics.refundedAmount,
            netAmount: orderStatistics.netAmount,
          })
          .from(orderStatistics)
          .where(
            and(
              eq(orderStatistics.merchantId, scope.merchantId),
              eq(orderStatistics.livemode, scope.livemode),
              gte(orderStatistics.day, days.from),
              lte(orderStatistics.day, rolledTo),
              scope.currency === undefined ? undefined : eq(orderStatistics.currency, scope.currency),
            ),
          )
          .orderBy(asc(orderStatistics.day), asc(orderStatistics.currency))
          .all();

  const live =
    liveFrom > days.to
      ? []
      : await orm
          .select({
            day: createdDay,
            currency: orders.currency,
            orders: count(),
            paidCount: count(orders.paidAt),
            grossAmount: total(orders.paidAmount),
            refundedAmount: total(orders.refundedAmount),
          })
          .from(orders)
          .where(
            and(
              ...scoped(scope),
              gte(orders.createdAt, dayStart(liveFrom)),
              lt(orders.createdAt, dayStart(days.to) + DAY_MS),
            ),
          )
          .groupBy(createdDay, orders.currency)
          .orderBy(asc(createdDay), asc(orders.currency))
          .all();

  return [...rolled, ...live.map((r) => ({ ...r, netAmount: r.grossAmount - r.refundedAmount }))];
}

/**
 * Orders reach D1 some time after their updated_at (the OrderDO's outbox drains with backoff), so
 * each run also looks this far behind the previous run's start for changed orders.
 */
export const ROLLUP_LOOKBACK_MS = 60 * 60 * 1000;

export interface RollupResult {
  rolledThrough: string;
  /** order_statistics rows inserted or changed (a recomputed row that did not change is not written). */
  rowsWritten: number;
}

/**
 * Recomputes, from the orders table, every finished UTC day (before the day of `startedAt`) that
 * the previous run did not finish, or that has orders updated since its watermark (less the
 * lookback): orders are refunded long after their day. The first run computes every finished
 * day. Rows are written only when a figure changed, so a run with nothing new changes nothing
 * but the watermark. `startedAt` must not be later than the moment of the call.
 *
 * Orders written to D1 with an updated_at older than the lookback (a backfill) into days already
 * rolled are not seen; deleting the 'order_statistics' row of statistics_rollups makes the next
 * run recompute every finished day.
 */
export async function rollupOrderStatistics(db: D1Database, startedAt: number): Promise<RollupResult> {
  const state = await drizzle(db).select().from(statisticsRollups).where(eq(statisticsRollups.name, ROLLUP)).get();
  const today = utcDay(startedAt);
  const yesterday = addDays(today, -1);
  // Days after the previous rolled_through are rolled whatever their updated_at says: an order
  // last touched while its day was still today is older than the watermark of later runs.
  const unrolledFrom = state?.rolledThrough ? dayStart(state.rolledThrough) + DAY_MS : 0;
  const changedSince = state ? state.watermark - ROLLUP_LOOKBACK_MS : 0;

  // Statistics and state in one transaction: a reader that sees rolled_through sees its rows.
  const [upsert] = await db.batch([
    db.prepare(ROLLUP_UPSERT).bind(dayStart(today), unrolledFrom, changedSince, startedAt),
    db
      .prepare(
        `INSERT INTO statistics_rollups (name, rolled_through, watermark) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET rolled_through = excluded.rolled_through, watermark = excluded.watermark`,
      )
      .bind(ROLLUP, yesterday, startedAt),
  ]);
  return { rolledThrough: yesterday, rowsWritten: upsert!.meta.changes };
}

/**
 * ?1 start of today (the days before it are finished), ?2 start of the first day not rolled yet,
 * ?3 an order updated at or after this marks its day for recomputing, ?4 the run's start.
 * The (merchant, mode, day)s to recompute are found through idx_orders_created_at and
 * idx_orders_updated_at (a UNION: SQLite scans the whole table for the same test written with
 * OR), then each is summed through idx_orders_merchant_created.
 */
const ROLLUP_UPSERT = `
  WITH days AS (
    SELECT merchant_id, livemode, created_at - created_at % ${DAY_MS} AS day_start
    FROM orders WHERE created_at >= ?2 AND created_at < ?1
    UNION
    SELECT merchant_id, livemode, created_at - created_at % ${DAY_MS}
    FROM orders WHERE updated_at >= ?3 AND created_at < ?1
  )
  INSERT INTO order_statistics (merchant_id, livemode, day, currency, order_count, paid_count,
                                gross_amount, refunded_amount, net_amount, updated_at)
  SELECT o.merchant_id, o.livemode, strftime('%Y-%m-%d', d.day_start / 1000, 'unixepoch'), o.currency,
         count(*), count(o.paid_at), sum(o.paid_amount), sum(o.refunded_amount),
         sum(o.paid_amount) - sum(o.refunded_amount), ?4
  FROM days d
  JOIN orders o ON o.merchant_id = d.merchant_id AND o.livemode = d.livemode
               AND o.created_at >= d.day_start AND o.created_at < d.day_start + ${DAY_MS}
  WHERE true
  GROUP BY o.merchant_id, o.livemode, d.day_start, o.currency
  ON CONFLICT (merchant_id, livemode, day, currency) DO UPDATE SET
    order_count = excluded.order_count,
    paid_count = excluded.paid_count,
    gross_amount = excluded.gross_amount,
    refunded_amount = excluded.refunded_amount,
    net_amount = excluded.net_amount,
    updated_at = excluded.updated_at
  WHERE (order_count, paid_count, gross_amount, refunded_amount, net_amount)
     IS NOT (excluded.order_count, excluded.paid_count, excluded.gross_amount,
             excluded.refunded_amount, excluded.net_amount)`;
