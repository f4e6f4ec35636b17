// The one interface every payment channel implements. The platform speaks only this; each
// adapter translates it to its channel's API and translates the channel's webhooks back.
import type { PaymentStatus } from "../payments/state-machine";

export const CHANNELS = ["sandbox", "stripe"] as const;
export type ChannelName = (typeof CHANNELS)[number];

export interface NextAction {
  type: "redirect_to_url";
  redirect_to_url: { url: string };
}

export interface ChannelFailure {
  code: string;
  message: string;
}

export interface CreatePaymentRequest {
  paymentNo: string;
  merchantId: string;
  livemode: boolean;
  amount: number;
  currency: string;
  paymentMethod: string | null;
  description: string | null;
  customerEmail: string | null;
  returnUrl: string | null;
  /** Stable per payment attempt, so a retried call never creates a second channel payment. */
  idempotencyKey: string;
}

/** The channel's view of a payment, in platform vocabulary. */
export interface ChannelPayment {
  id: string;
  status: PaymentStatus;
  clientSecret: string | null;
  /** For the channel's client SDK (Stripe.js), when it needs one. */
  publishableKey: string | null;
  nextAction: NextAction | null;
  failure: ChannelFailure | null;
}

export interface CreateRefundRequest {
  refundNo: string;
  paymentNo: string;
  channelPaymentId: string;
  amount: number;
  currency: string;
  reason: string | null;
  idempotencyKey: string;
}

export type RefundStatus = "pending" | "succeeded" | "failed";

export interface ChannelRefund {
  id: string;
  status: RefundStatus;
  failure: ChannelFailure | null;
}

export const CHANNEL_EVENT_TYPES = [
  "payment.processing",
  "payment.requires_action",
  "payment.succeeded",
  "payment.failed",
  "payment.cancelled",
  "payment.disputed",
  "payment.refunded_at_channel",
  "refund.pending",
  "refund.succeeded",
  "refund.failed",
  "unhandled",
] as const;
export type ChannelEventType = (typeof CHANNEL_EVENT_TYPES)[number];

/** A verified webhook, channel-neutral. `unhandled` events are stored and acknowledged only. */
export interface ChannelEvent {
  channel: ChannelName;
  /** The merchant whose own channel account sent it; null for the platform's account. */
  account: string | null;
  eventId: string;
  type: ChannelEventType;
  channelType: string;
  /** Null when the channel's object does not carry it; ingress then looks it up by channelPaymentId. */
  paymentNo: string | null;
  refundNo: string | null;
  /** The channel's id of the payment the event is about. */
  channelPaymentId: string | null;
  /** The channel's id of the event's own object (the payment, a refund, a dispute). */
  channelObjectId: string | null;
  occurredAt: number;
  failure: ChannelFailure | null;
  /**
   * What the event's object says it is worth, in the platform's minor units and upper-case
   * currency: a payment's amount for payment events, a refund's for refund events; null when the
   * event carries no amount the platform checks (disputes, informational events).
   */
  money: { amount: number; currency: string } | null;
}

export type ParsedEvent = Omit<ChannelEvent, "account">;

/** A channel call that failed; `status` is what the platform answers the merchant. */
export class ChannelError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 402 | 409 | 502 = 502,
  ) {
    super(message);
    this.name = "ChannelError";
  }
}

/** A verified webhook whose body is not an event of its channel (wrong shape or types). */
export class WebhookPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookPayloadError";
  }
}

/** Why a webhook was refused; nothing is recorded beyond the audit log. */
export class WebhookVerificationError extends Error {
  constructor(
    readonly code: "webhook_signature_missing" | "webhook_signature_invalid" | "webhook_timestamp_stale",
    message: string,
  ) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

export interface ChannelAdapter {
  readonly name: ChannelName;
  /** The payment_method values the channel accepts; null when it accepts any. */
  readonly paymentMethods: readonly string[] | null;
  createPayment(request: CreatePaymentRequest): Promise<ChannelPayment>;
  getPayment(channelPaymentId: string): Promise<ChannelPayment>;
  cancelPayment(channelPaymentId: string): Promise<ChannelPayment>;
  createRefund(request: CreateRefundRequest): Promise<ChannelRefund>;
  getRefund(channelRefundId: string): Promise<ChannelRefund>;
  /** Throws WebhookVerificationError unless the raw body carries a valid, fresh signature. */
  verifyWebhook(headers: Headers, rawBody: string, now: number): Promise<void>;
  /** The event as the channel states it; ingress adds the account it came through. */
  parseWebhook(rawBody: string): ParsedEvent;
}
