// A refund as the API shows it (the `Refund` schema); also the `data` of refund events.
import type { ChannelName } from "../channels/adapter";
import type { refunds } from "../db/schema";
import type { RefundRecord, RefundStatus } from "./refund";
import { toIso } from "../time";

export type RefundView = Omit<RefundRecord, "channelRefundId" | "version">;

export const refundJson = (r: RefundView) => ({
  object: "refund" as const,
  refund_no: r.refundNo,
  payment_no: r.paymentNo,
  amount: r.amount,
  currency: r.currency,
  status: r.status,
  reason: r.reason,
  metadata: r.metadata,
  channel: r.channel as string,
  failure: r.failure,
  next_action: r.status === "pending" ? (r.nextAction ?? null) : null,
  livemode: r.livemode,
  created_at: toIso(r.createdAt),
  updated_at: toIso(r.updatedAt),
});

export const refundViewFromRow = (r: typeof refunds.$inferSelect): RefundView => ({
  refundNo: r.refundNo,
  paymentNo: r.paymentNo,
  merchantId: r.merchantId,
  livemode: r.livemode,
  amount: r.amount,
  currency: r.currency,
  status: r.status as RefundStatus,
  reason: r.reason,
  metadata: JSON.parse(r.metadata) as Record<string, string>,
  channel: r.channel as ChannelName,
  failure: r.errorCode ? { code: r.errorCode, message: r.errorMessage ?? "" } : null,
  nextAction: null,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});
