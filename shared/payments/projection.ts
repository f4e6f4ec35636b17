// PaymentDO -> D1: the upsert that keeps the queryable projection. It only ever moves a row
// forward (a newer version), so replays and out-of-order drains are harmless.
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
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
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

const excluded = (column: { name: string }) => sql.raw(`excluded.${column.name}`);

export async function projectPayment(db: D1Database, payment: PaymentRecord): Promise<void> {
  await drizzle(db)
    .insert(payments)
    .values(toPaymentRow(payment))
    .onConflictDoUpdate({
      target: payments.paymentNo,
      set: {
        status: excluded(payments.status),
        channelPaymentId: excluded(payments.channelPaymentId),
        refundedAmount: excluded(payments.refundedAmount),
        errorCode: excluded(payments.errorCode),
        errorMessage: excluded(payments.errorMessage),
        paidAt: excluded(payments.paidAt),
        disputedAt: excluded(payments.disputedAt),
        version: excluded(payments.version),
        updatedAt: excluded(payments.updatedAt),
      },
      setWhere: sql`excluded.version > ${payments.version}`,
    });
}
