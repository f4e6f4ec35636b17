// Refunds as PaymentDO holds them, their state machine, and the money rule they obey:
// succeeded plus pending refunds never exceed what the payment captured.
import type { ChannelFailure, ChannelName, NextAction } from "../channels/adapter";
import { PAYMENT_NO_PATTERN } from "../payments/payment-no";
import type { PaymentRecord } from "../payments/payment";
import type { PaymentStatus } from "../payments/state-machine";

export const REFUND_STATUSES = ["pending", "succeeded", "failed"] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export const REFUND_TRANSITIONS: Readonly<Record<RefundStatus, readonly RefundStatus[]>> = {
  pending: ["succeeded", "failed"],
  succeeded: [],
  failed: [],
};

/** Payments that can be refunded. */
export const REFUNDABLE: readonly PaymentStatus[] = ["succeeded", "partially_refunded"];

export interface RefundRecord {
  refundNo: string;
  paymentNo: string;
  merchantId: string;
  livemode: boolean;
  amount: number;
  currency: string;
  status: RefundStatus;
  reason: string | null;
  metadata: Record<string, string>;
  channel: ChannelName;
  channelRefundId: string | null;
  failure: ChannelFailure | null;
  /** What the buyer must do to receive it, while pending (crypto: claim it); absent on older records. */
  nextAction?: NextAction | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export type RefundOutcome =
  | { kind: "created" | "existing"; refund: RefundRecord }
  | { kind: "not_found" }
  | { kind: "unexpected_state"; message: string }
  | { kind: "amount_too_large"; available: number };

/** What can still be refunded: captured minus succeeded minus pending refunds. */
export function availableToRefund(payment: PaymentRecord, refunds: RefundRecord[]): number {
  const held = refunds.filter((r) => r.status !== "failed").reduce((sum, r) => sum + r.amount, 0);
  return payment.amount - held;
}

/**
 * refund_no names its payment (the 24 symbols after "PY") and its place among the payment's
 * refunds, so a refund is found in its PaymentDO without any lookup.
 */
export const refundNoFor = (paymentNo: string, n: number) => `RF${paymentNo.slice(2)}${String(n).padStart(3, "0")}`;
export const MAX_REFUNDS_PER_PAYMENT = 999;

export function paymentNoOfRefund(refundNo: string): string | null {
  if (!/^RF[0-9A-Z]{24}\d{3}$/.test(refundNo)) return null;
  const paymentNo = `PY${refundNo.slice(2, 26)}`;
  return PAYMENT_NO_PATTERN.test(paymentNo) ? paymentNo : null;
}

/** The payment's status once `refundedAmount` of it has been refunded. */
export const statusAfterRefunds = (payment: PaymentRecord, refundedAmount: number): PaymentStatus =>
  refundedAmount >= payment.amount ? "refunded" : "partially_refunded";

