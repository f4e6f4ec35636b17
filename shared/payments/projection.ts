// PaymentDO -> D1: the upsert that keeps the queryable projection. It only ever moves a row
// forward (a newer version), so replays and out-of-order drains are harmless.
import type { Orm } from "../db/batch";
import { newerVersionWins } from "../db/forward-only";
import { payments } from "../db/schema";
import type { PaymentRecord } from "./payment";

export function toPaymentRow(p: PaymentRecord): typeof payments.$inferInsert {
  return {
    paymentNo: p.paymentNo,
    merchantId: p.merchantId,
    livemode: p.livemode,
    orderNo: p.orderNo,
    amount: p.amount,
    currency: p.currency,
    status: p.status,
    channel: p.channel,
    channelPaymentId: p.channelPaymentId,
    paymentMethod: p.paymentMethod,
    customerEmail: p.customerEmail,
    customerName: p.customerName,
    description: p.description,
    notifyUrl: p.notifyUrl,
    returnUrl: p.returnUrl,
    metadata: JSON.stringify(p.metadata),
    refundedAmount: p.refundedAmount,
    errorCode: p.failure?.code ?? null,
    errorMessage: p.failure?.message ?? null,
    paidAt: p.paidAt,
    disputedAt: p.disputedAt,
    exceptions: JSON.stringify(p.exceptions ?? []),
    reviewStatus: p.review?.status ?? null,
    language: p.language ?? null,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export function paymentUpsert(orm: Orm, payment: PaymentRecord) {
  return orm
    .insert(payments)
    .values(toPaymentRow(payment))
    .onConflictDoUpdate(
      newerVersionWins(payments, payments.paymentNo, [
        "status", "channelPaymentId", "refundedAmount", "errorCode", "errorMessage", "paidAt", "disputedAt", "exceptions", "reviewStatus", "version", "updatedAt",
      ]),
    );
}
