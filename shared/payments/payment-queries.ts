// Reads of the D1 projection: the payment lists and their filters.
import { and, eq, sql } from "drizzle-orm";
import { filters, listPage, type PageRequest } from "../db/pagination";
import { payments } from "../db/schema";

export interface PaymentFilters {
  merchantId: string;
  livemode: boolean;
  status?: string;
  orderNo?: string;
  channel?: string;
  /** Matched whole, ignoring case (emails are stored as the merchant sent them). */
  customerEmail?: string;
  createdGte?: number;
  createdLte?: number;
}

const keys = { createdAt: payments.createdAt, id: payments.paymentNo };

/** The filters of a payment list, but its owner, as conditions. */
function conditionsOf(f: Omit<PaymentFilters, "merchantId" | "livemode">) {
  const conditions = filters(
    keys,
    [[payments.status, f.status], [payments.orderNo, f.orderNo], [payments.channel, f.channel]],
    { gte: f.createdGte, lte: f.createdLte },
  );
  // NOCASE, as idx_payments_merchant_email and idx_payments_email collate the column: a comparison
  // in another collation could not search them
  const email = f.customerEmail === undefined ? undefined : sql`${payments.customerEmail} = ${f.customerEmail} COLLATE NOCASE`;
  return [...conditions, email];
}

export function listPayments(db: D1Database, f: PaymentFilters, page: PageRequest) {
  const scope = and(eq(payments.merchantId, f.merchantId), eq(payments.livemode, f.livemode))!;
  return listPage(db, payments, keys, scope, conditionsOf(f), page);
}

/**
 * For operators: every merchant's payments in a mode, newest first (idx_payments_livemode_created,
 * idx_payments_email), or one merchant's, which is that merchant's own list.
 */
export function listPaymentsOfAllMerchants(
  db: D1Database,
  f: Omit<PaymentFilters, "merchantId"> & { merchantId?: string },
  page: PageRequest,
) {
  if (f.merchantId !== undefined) return listPayments(db, { ...f, merchantId: f.merchantId }, page);
  return listPage(db, payments, keys, eq(payments.livemode, f.livemode), conditionsOf(f), page);
}

/** The merchant's payments whose risk review is open: the review queue, newest first. */
export function listOpenReviews(db: D1Database, owner: { merchantId: string; livemode: boolean }, page: PageRequest) {
  const scope = and(eq(payments.merchantId, owner.merchantId), eq(payments.livemode, owner.livemode), eq(payments.reviewStatus, "open"))!;
  return listPage(db, payments, keys, scope, [], page);
}
