// A dashboard's overview of a range of UTC days, per currency: the payments created in it (as
// statistics/payments counts them, from the same rollup), the refunds created in it that
// succeeded, and the payments disputed in it. Amounts are never added across currencies.
import { and, count, eq, gte, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { DayRange } from "../db/rollup";
import { payments, refunds } from "../db/schema";
import { DAY_MS, dayStart } from "../time";
import type { Owner } from "./payment";
import { dailyPaymentTotals } from "./statistics";

export interface CurrencyOverview {
  currency: string;
  paymentCount: number;
  succeededCount: number;
  failedCount: number;
  /** The sum of the succeeded payments' amounts, before refunds. */
  succeededAmount: number;
  refundCount: number;
  refundedAmount: number;
  disputeCount: number;
  /** The sum of the disputed payments' amounts (a dispute records no amount of its own). */
  disputedAmount: number;
}

const total = (column: SQLiteColumn) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

/** Succeeded refunds created in the range, per currency (idx_refunds_merchant_status). */
const refundTotals = (db: D1Database, owner: Owner, gteMs: number, ltMs: number) =>
  drizzle(db)
    .select({ currency: refunds.currency, count: count(), amount: total(refunds.amount) })
    .from(refunds)
    .where(
      and(
        eq(refunds.merchantId, owner.merchantId),
        eq(refunds.livemode, owner.livemode),
        eq(refunds.status, "succeeded"),
        gte(refunds.createdAt, gteMs),
        lt(refunds.createdAt, ltMs),
      ),
    )
    .groupBy(refunds.currency)
    .all();

/** Payments disputed in the range, per currency (idx_payments_merchant_disputed holds only those). */
const disputeTotals = (db: D1Database, owner: Owner, gteMs: number, ltMs: number) =>
  drizzle(db)
    .select({ currency: payments.currency, count: count(), amount: total(payments.amount) })
    .from(payments)
    .where(
      and(
        eq(payments.merchantId, owner.merchantId),
        eq(payments.livemode, owner.livemode),
        gte(payments.disputedAt, gteMs),
        lt(payments.disputedAt, ltMs),
      ),
    )
    .groupBy(payments.currency)
    .all();

/** The overview of `days` (inclusive) for one merchant in one mode: an entry per currency with any figure, by currency. */
export async function overview(
  db: D1Database,
  owner: Owner,
  days: DayRange,
): Promise<CurrencyOverview[]> {
  const [gteMs, ltMs] = [dayStart(days.from), dayStart(days.to) + DAY_MS];
  // the three reads at once; each prepares its first statement before any awaits
  const [made, refunded, disputed] = await Promise.all([
    dailyPaymentTotals(db, owner, days),
    refundTotals(db, owner, gteMs, ltMs),
    disputeTotals(db, owner, gteMs, ltMs),
  ]);
  const byCurrency = new Map<string, CurrencyOverview>();
  const of = (currency: string) => {
    let found = byCurrency.get(currency);
    if (!found) {
      found = { currency, paymentCount: 0, succeededCount: 0, failedCount: 0, succeededAmount: 0, refundCount: 0, refundedAmount: 0, disputeCount: 0, disputedAmount: 0 };
      byCurrency.set(currency, found);
    }
    return found;
  };
  for (const d of made.days) {
    const c = of(d.currency);
    c.paymentCount += d.count;
    c.succeededCount += d.succeededCount;
    c.failedCount += d.failedCount;
    c.succeededAmount += d.succeededAmount;
  }
  for (const r of refunded) Object.assign(of(r.currency), { refundCount: r.count, refundedAmount: r.amount });
  for (const r of disputed) Object.assign(of(r.currency), { disputeCount: r.count, disputedAmount: r.amount });
  return [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
}
