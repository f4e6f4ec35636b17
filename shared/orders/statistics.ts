// Order statistics over the D1 projection: totals by status and currency, a per-day summary, and
// the cron's rollup of finished UTC days into order_statistics, so a summary over a year reads
// about 365 rows instead of every order.
import { and, asc, count, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
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
import { orders, orderStatistics } from "../db/schema";
import { DAY_MS, dayStart } from "../time";
import type { OrderStatus } from "./state-machine";

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

const createdDay = sqlDay(orders.createdAt);

/**
 * One row per (UTC creation day, currency) that has orders, days ascending then currency, for
 * the days `from` to `to` (YYYY-MM-DD, inclusive). Days the rollup has finished are read from
 * order_statistics; later ones are summed from the orders themselves.
 */
export async function dailyTotals(
  db: D1Database,
  scope: StatisticsScope,
  days: DayRange,
): Promise<DailyTotals[]> {
  const orm = drizzle(db);
  // The rollup writes its rows and moves rolled_through in one transaction, so every day up to
  // the rolled_through read here is in order_statistics whatever the rollup does meanwhile.
  const split = splitAtRollup(await rolledThrough(db, ROLLUP), days);

  const rolled =
    split.rolled === null
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
              gte(orderStatistics.day, split.rolled.from),
              lte(orderStatistics.day, split.rolled.to),
              scope.currency === undefined ? undefined : eq(orderStatistics.currency, scope.currency),
            ),
          )
          .orderBy(asc(orderStatistics.day), asc(orderStatistics.currency))
          .all();

  const live =
    split.live === null
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
              gte(orders.createdAt, dayStart(split.live.from)),
              lt(orders.createdAt, dayStart(split.live.to) + DAY_MS),
            ),
          )
          .groupBy(createdDay, orders.currency)
          .orderBy(asc(createdDay), asc(orders.currency))
          .all();

  return [...rolled, ...live.map((r) => ({ ...r, netAmount: r.grossAmount - r.refundedAmount }))];
}

/** Recomputes the finished days whose orders are new or changed (see runRollup). */
export const rollupOrderStatistics = (db: D1Database, startedAt: number): Promise<RollupResult> =>
  runRollup(db, ROLLUP, startedAt, [ROLLUP_UPSERT]);

/**
 * The (merchant, mode, day)s to recompute (`changedDays`: idx_orders_created_at and
 * idx_orders_updated_at), each summed through idx_orders_merchant_created.
 */
const ROLLUP_UPSERT = `
  WITH ${changedDays("orders")}
  INSERT INTO order_statistics (merchant_id, livemode, day, currency, order_count, paid_count,
                                gross_amount, refunded_amount, net_amount, updated_at)
  SELECT o.merchant_id, o.livemode, ${changedDay}, o.currency,
         count(*), count(o.paid_at), sum(o.paid_amount), sum(o.refunded_amount),
         sum(o.paid_amount) - sum(o.refunded_amount), ?4
  FROM days d
  JOIN orders o ON ${onChangedDay("o")}
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
