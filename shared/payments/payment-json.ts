// A payment as the API shows it (the `Payment` schema of the OpenAPI document); also the `data`
// of payment events. One mapper for both sources: PaymentDO's record and the D1 projection.
import type { payments } from "../db/schema";
import type { ChannelName } from "../channels/adapter";
import type { PaymentException } from "./exceptions";
import { riskJson } from "../risk/risk-json";
import { attemptsOf, type PaymentAttempt } from "./attempts";
import type { PaymentRecord } from "./payment";
import type { PaymentStatus } from "./state-machine";
import { toIso, toIsoOrNull } from "../time";


/**
 * What of a payment the API shows: everything but the channel account, the plan and internal
 * version. Attempts are null in a view from D1 (lists), which keeps them in `transactions` apart.
 */
export type PaymentView = Omit<PaymentRecord, "channelAccount" | "channelPaymentId" | "version" | "plan" | "attempts" | "amountUsdCents"> & {
  attempts?: PaymentAttempt[] | null;
};

export function paymentJson(p: PaymentView) {
  return {
    object: "payment" as const,
    payment_no: p.paymentNo,
    merchant_id: p.merchantId,
    order_no: p.orderNo,
    amount: p.amount,
    currency: p.currency,
    status: p.status,
    channel: p.channel as string,
    payment_method: p.paymentMethod,
    client_secret: p.clientSecret,
    next_action: p.nextAction,
    customer_email: p.customerEmail,
    customer_name: p.customerName,
    description: p.description,
    notify_url: p.notifyUrl,
    return_url: p.returnUrl,
    metadata: p.metadata,
    refunded_amount: p.refundedAmount,
    failure: p.failure,
    livemode: p.livemode,
    paid_at: toIsoOrNull(p.paidAt),
    disputed_at: toIsoOrNull(p.disputedAt),
    exceptions: (p.exceptions ?? []).map((e) => ({
      code: e.code,
      message: e.message,
      amount: e.amount,
      currency: p.currency,
      recorded_at: toIso(e.recordedAt),
    })),
    // kept by PaymentDO only: lists, read from D1, show null
    routing: p.routing ?? null,
    // a record stored before attempts existed had one, which its own channel fields describe
    attempts: p.attempts === null ? null : attemptsOf(p as PaymentRecord).map(attemptJson),
    customer_ip: p.customerIp ?? null,
    language: p.language ?? null,
    // kept by PaymentDO only, as routing is
    risk: p.risk ? riskJson(p.risk) : null,
    review: p.review ? { status: p.review.status, opened_at: toIso(p.review.openedAt), closed_at: toIsoOrNull(p.review.closedAt) } : null,
    created_at: toIso(p.createdAt),
    updated_at: toIso(p.updatedAt),
  };
}

const attemptJson = (a: PaymentAttempt) => ({
  attempt_no: a.attemptNo,
  channel: a.channel as string,
  status: a.status,
  failure: a.failure,
  latency_ms: a.latencyMs,
  created_at: toIso(a.createdAt),
  updated_at: toIso(a.updatedAt),
});

/** A projected row as a view: D1 never holds the client secret or next action. */
export function viewFromRow(r: typeof payments.$inferSelect): PaymentView {
  return {
    paymentNo: r.paymentNo,
    merchantId: r.merchantId,
    livemode: r.livemode,
    orderNo: r.orderNo,
    amount: r.amount,
    currency: r.currency,
    status: r.status as PaymentStatus,
    channel: r.channel as ChannelName,
    paymentMethod: r.paymentMethod,
    clientSecret: null,
    nextAction: null,
    customerEmail: r.customerEmail,
    customerName: r.customerName,
    description: r.description,
    notifyUrl: r.notifyUrl,
    returnUrl: r.returnUrl,
    metadata: JSON.parse(r.metadata) as Record<string, string>,
    refundedAmount: r.refundedAmount,
    failure: r.errorCode ? { code: r.errorCode, message: r.errorMessage ?? "" } : null,
    paidAt: r.paidAt,
    disputedAt: r.disputedAt,
    exceptions: JSON.parse(r.exceptions) as PaymentException[],
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    attempts: null,
    language: r.language,
  };
}
