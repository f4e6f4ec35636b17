// Reads of the D1 projection: the payment lists and their filters.
import { and, eq, gte, lte, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { payments } from "../db/schema";
import { pageClauses, toPage, type PageRequest } from "../db/pagination";

export interface PaymentFilters {
  merchantId: string;
  livemode: boolean;
  status?: string;
  orderNo?: string;
  channel?: string;
  createdGte?: number;
  createdLte?: number;
}

export async function listPayments(db: D1Database, filters: PaymentFilters, page: PageRequest) {
  const orm = drizzle(db);
  const scope = and(eq(payments.merchantId, filters.merchantId), eq(payments.livemode, filters.livemode))!;
  const conditions: Array<SQL | undefined> = [
    scope,
    filters.status === undefined ? undefined : eq(payments.status, filters.status),
    filters.orderNo === undefined ? undefined : eq(payments.orderNo, filters.orderNo),
    filters.channel === undefined ? undefined : eq(payments.channel, filters.channel),
    filters.createdGte === undefined ? undefined : gte(payments.createdAt, filters.createdGte),
    filters.createdLte === undefined ? undefined : lte(payments.createdAt, filters.createdLte),
  ];
  const clauses = await pageClauses({ createdAt: payments.createdAt, id: payments.paymentNo }, page, (id) =>
    orm
      .select({ createdAt: payments.createdAt, id: payments.paymentNo })
      .from(payments)
      .where(and(scope, eq(payments.paymentNo, id)))
      .get(),
  );
  const rows = await orm
    .select()
    .from(payments)
    .where(and(...conditions, clauses.where))
    .orderBy(...clauses.orderBy)
    .limit(page.limit + 1)
    .all();
  return toPage(rows, page.limit, clauses.reverse);
}
