// Reads of the D1 projection: the payment lists and their filters.
import { and, eq } from "drizzle-orm";
import { filters, listPage, type PageRequest } from "../db/pagination";
import { payments } from "../db/schema";

export interface PaymentFilters {
  merchantId: string;
  livemode: boolean;
  status?: string;
  orderNo?: string;
  channel?: string;
  createdGte?: number;
  createdLte?: number;
}

const keys = { createdAt: payments.createdAt, id: payments.paymentNo };

export function listPayments(db: D1Database, f: PaymentFilters, page: PageRequest) {
  const scope = and(eq(payments.merchantId, f.merchantId), eq(payments.livemode, f.livemode))!;
  const conditions = filters(
    keys,
    [[payments.status, f.status], [payments.orderNo, f.orderNo], [payments.channel, f.channel]],
    { gte: f.createdGte, lte: f.createdLte },
  );
  return listPage(db, payments, keys, scope, conditions, page);
}

/** The merchant's payments whose risk review is open: the review queue, newest first. */
export function listOpenReviews(db: D1Database, owner: { merchantId: string; livemode: boolean }, page: PageRequest) {
  const scope = and(eq(payments.merchantId, owner.merchantId), eq(payments.livemode, owner.livemode), eq(payments.reviewStatus, "open"))!;
  return listPage(db, payments, keys, scope, [], page);
}
