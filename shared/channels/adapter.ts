// The one interface every payment channel implements. The platform speaks only this; each
// adapter translates it to its channel's API and translates the channel's webhooks back.
import type { PaymentStatus } from "../payments/state-machine";
import type { ChannelName } from "./registry";

export type { ChannelName } from "./registry";

/**
 * What the merchant's page does next, in words no one channel owns: send the buyer to a URL
 * (PayPal's approval, a crypto checkout, 3-D Secure), or hand the payment to the channel's
 * client SDK (Stripe.js with its client secret and publishable key).
 */
export type NextAction =
  | { type: "redirect_to_url"; redirect_to_url: { url: string } }
  | { type: "use_client_sdk"; use_client_sdk: { sdk: string; client_secret: string; publishable_key: string | null } };

export interface ChannelFailure {
  code: string;
  message: string;
}

/**
 * Money that did not go as asked, which the merchant must settle with the buyer (crypto: an
 * invoice paid in part, paid over, or paid after it expired). Recorded on the payment, never
 * silently kept.
 */
export interface ChannelException {
  code: "underpaid" | "overpaid" | "paid_late";
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
  /** Where the buyer's browser comes back to after a redirect (the platform's return handler). */
  returnUrl: string | null;
  /** Where it comes back to when the buyer gives up at the channel. */
  cancelUrl: string | null;
  /** Stable per payment attempt, so a retried call never creates a second channel payment. */
  idempotencyKey: string;
}

/** The channel's view of a payment, in platform vocabulary. */
export interface ChannelPayment {
  id: string;
  status: PaymentStatus;
  clientSecret: string | null;
  nextAction: NextAction | null;
  failure: ChannelFailure | null;
  /** The buyer approved it at the channel and it waits for completePayment (PayPal: APPROVED, not captured). */
  awaitingCompletion?: boolean;
  /** What the buyer actually paid, in the payment's currency and minor units, when the channel says. */
  received?: { amount: number; currency: string } | null;
  /** Money that did not go as asked (see ChannelException). */
  exception?: ChannelException | null;
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
  /** What the buyer must do to receive it (crypto: claim the pull payment at its link). */
  nextAction?: NextAction | null;
}

export const CHANNEL_EVENT_TYPES = [
  "payment.processing",
  "payment.requires_action",
  /** The buyer approved at the channel; the platform completes the payment there (PayPal's capture). */
  "payment.approved",
  "payment.succeeded",
  "payment.failed",
  "payment.cancelled",
  "payment.disputed",
  /** Money came that the payment's status does not account for (crypto paid after expiry). */
  "payment.exception",
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
  /** Money that did not go as asked, reported with this event. */
  exception?: ChannelException | null;
}

/** An event as its channel's parser reads it; ingress adds the channel and account it came through. */
export type ParsedEvent = Omit<ChannelEvent, "account" | "channel">;

/**
 * A channel call that failed; `status` is what the platform answers the merchant. An outage
 * (502) is `notProcessed` only when it is certain the channel did nothing (it answered 429 or 503,
 * or it was switched off); otherwise (a timeout, a 500, a cut connection) the call may have taken
 * effect, and the platform must ask before it tries elsewhere.
 */
export class ChannelError extends Error {
  readonly notProcessed: boolean;

  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 402 | 409 | 502 = 502,
    /** The request field the channel refused, when it names one. */
    readonly param?: string,
    options: { notProcessed?: boolean } = {},
  ) {
    super(message);
    this.name = "ChannelError";
    this.notProcessed = options.notProcessed ?? false;
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
  createPayment(request: CreatePaymentRequest): Promise<ChannelPayment>;
  getPayment(channelPaymentId: string): Promise<ChannelPayment>;
  /**
   * Completes a payment the buyer approved at the channel (PayPal's capture), idempotent under
   * `idempotencyKey`; channels whose payments complete by themselves have none.
   */
  completePayment?(channelPaymentId: string, idempotencyKey: string): Promise<ChannelPayment>;
  cancelPayment(channelPaymentId: string): Promise<ChannelPayment>;
  createRefund(request: CreateRefundRequest): Promise<ChannelRefund>;
  getRefund(channelRefundId: string): Promise<ChannelRefund>;
  /** One cheap call that proves the credentials work; answers the channel account they open. */
  verifyCredentials(): Promise<{ accountId: string }>;
  /** Throws WebhookVerificationError unless the raw body carries a valid, fresh signature. */
  verifyWebhook(headers: Headers, rawBody: string, now: number): Promise<void>;
  /** The event as the channel states it; ingress adds the account it came through. */
  parseWebhook(rawBody: string): ParsedEvent;
}
