// PaymentDO -> D1 for refunds: the same forward-only upsert as payments.
import type { Orm } from "../db/batch";
import { newerVersionWins } from "../db/forward-only";
import { refunds } from "../db/schema";
import type { RefundRecord } from "./refund";

export const toRefundRow = (r: RefundRecord): typeof refunds.$inferInsert => ({
  refundNo: r.refundNo,
  paymentNo: r.paymentNo,
  merchantId: r.merchantId,
  livemode: r.livemode,
  amount: r.amount,
  currency: r.currency,
  status: r.status,
  reason: r.reason,
  channel: r.channel,
  channelRefundId: r.channelRefundId,
  metadata: JSON.stringify(r.metadata),
  errorCode: r.failure?.code ?? null,
  errorMessage: r.failure?.message ?? null,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export const refundUpserts = (orm: Orm, records: RefundRecord[]) =>
  records.map((r) =>
    orm
      .insert(refunds)
      .values(toRefundRow(r))
      .onConflictDoUpdate(
        newerVersionWins(refunds, refunds.refundNo, ["status", "channelRefundId", "errorCode", "errorMessage", "version", "updatedAt"]),
      ),
  );
