// The Stripe channel: the official SDK with its fetch HTTP client and SubtleCrypto provider, as
// Workers need. Every POST carries an idempotency key derived from the payment attempt or the
// refund, so the SDK's retries (network errors, 409, 429, 5xx) never create a second object.
import Stripe from "stripe";
import {
  ChannelError,
  WebhookVerificationError,
  type ChannelAdapter,
  type ParsedEvent,
  type ChannelEventType,
  type ChannelPayment,
  type ChannelRefund,
  type CreatePaymentRequest,
  type CreateRefundRequest,
} from "../adapter";
import { SIGNATURE_TOLERANCE_SECONDS } from "../signature";
import type { PaymentStatus } from "../../payments/state-machine";
import { fromStripeAmount, toStripeAmount } from "./amounts";
import type { StripeConfig } from "./config";

const PI_STATUS: Record<Stripe.PaymentIntent.Status, PaymentStatus> = {
  requires_payment_method: "pending",
  requires_confirmation: "pending",
  requires_action: "requires_action",
  processing: "processing",
  requires_capture: "processing",
  succeeded: "succeeded",
  canceled: "cancelled",
};

const PAYMENT_EVENTS: Record<string, ChannelEventType> = {
  "payment_intent.succeeded": "payment.succeeded",
  "payment_intent.processing": "payment.processing",
  "payment_intent.requires_action": "payment.requires_action",
  "payment_intent.payment_failed": "payment.failed",
  "payment_intent.canceled": "payment.cancelled",
};

const REFUND_STATUS: Record<string, "pending" | "succeeded" | "failed"> = {
  pending: "pending",
  requires_action: "pending",
  succeeded: "succeeded",
  failed: "failed",
  canceled: "failed",
};

const STRIPE_REFUND_REASONS = new Set(["duplicate", "fraudulent", "requested_by_customer"]);

/** Codes of Stripe 4xx errors that mean "not in this state" rather than "bad request". */
const STATE_CODES = new Set(["payment_intent_unexpected_state", "charge_not_refundable", "charge_already_refunded"]);

function channelError(error: unknown): never {
  if (!(error instanceof Stripe.errors.StripeError)) throw error;
  const code = error.code ?? error.type;
  if (error instanceof Stripe.errors.StripeCardError) throw new ChannelError(code, error.message, 402);
  if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    throw new ChannelError(code, error.message, STATE_CODES.has(code) ? 409 : 400);
  }
  // Connection, rate limit, API and authentication errors: the SDK has retried what it could.
  throw new ChannelError(`stripe_${error.type.replace(/^Stripe/, "").toLowerCase()}`, error.message, 502);
}

const failureOf = (error: Stripe.PaymentIntent.LastPaymentError | null | undefined) =>
  error ? { code: error.code ?? error.decline_code ?? "payment_failed", message: error.message ?? "The payment failed." } : null;

export class StripeAdapter implements ChannelAdapter {
  readonly name = "stripe" as const;
  readonly paymentMethods = null;
  private readonly stripe: Stripe;

  constructor(private readonly config: StripeConfig) {
    const base = config.apiBase ? new URL(config.apiBase) : null;
    this.stripe = new Stripe(config.apiKey, {
      httpClient: Stripe.createFetchHttpClient(),
      maxNetworkRetries: 2,
      timeout: 10_000,
      ...(base && {
        host: base.hostname,
        port: base.port || (base.protocol === "https:" ? 443 : 80),
        protocol: base.protocol === "https:" ? "https" : "http",
      }),
    });
  }

  private toChannelPayment(pi: Stripe.PaymentIntent): ChannelPayment {
    const redirect = pi.next_action?.redirect_to_url?.url;
    return {
      id: pi.id,
      status: PI_STATUS[pi.status] ?? "pending",
      clientSecret: pi.client_secret,
      publishableKey: this.config.publishableKey,
      nextAction: redirect ? { type: "redirect_to_url", redirect_to_url: { url: redirect } } : null,
      failure: failureOf(pi.last_payment_error),
    };
  }

  async createPayment(request: CreatePaymentRequest): Promise<ChannelPayment> {
    const pi = await this.stripe.paymentIntents
      .create(
        {
          amount: toStripeAmount(request.amount, request.currency),
          currency: request.currency.toLowerCase(),
          automatic_payment_methods: { enabled: true },
          description: request.description ?? undefined,
          receipt_email: request.customerEmail ?? undefined,
          metadata: { payment_no: request.paymentNo, merchant_id: request.merchantId },
        },
        { idempotencyKey: request.idempotencyKey },
      )
      .catch(channelError);
    return this.toChannelPayment(pi);
  }

  async getPayment(id: string) {
    return this.toChannelPayment(await this.stripe.paymentIntents.retrieve(id).catch(channelError));
  }

  async cancelPayment(id: string) {
    return this.toChannelPayment(await this.stripe.paymentIntents.cancel(id).catch(channelError));
  }

  /**
   * Checks the secret key with one read that changes nothing (GET /v1/account) and answers the
   * account it opens. A key Stripe refuses is `channel_credentials_invalid` (400); an outage is
   * mapped as for any call (502).
   */
  async verifyCredentials(): Promise<{ accountId: string }> {
    const account = await this.stripe.accounts.retrieveCurrent().catch((error: unknown) => {
      if (error instanceof Stripe.errors.StripeAuthenticationError) {
        throw new ChannelError("channel_credentials_invalid", "Stripe refused the secret key (unknown, expired or revoked).", 400);
      }
      return channelError(error);
    });
    return { accountId: account.id };
  }

  async createRefund(request: CreateRefundRequest): Promise<ChannelRefund> {
    const reason = request.reason && STRIPE_REFUND_REASONS.has(request.reason) ? request.reason : undefined;
    const refund = await this.stripe.refunds
      .create(
        {
          payment_intent: request.channelPaymentId,
          amount: toStripeAmount(request.amount, request.currency),
          reason: reason as Stripe.RefundCreateParams.Reason | undefined,
          metadata: {
            payment_no: request.paymentNo,
            refund_no: request.refundNo,
            ...(request.reason && !reason ? { reason: request.reason.slice(0, 500) } : {}),
          },
        },
        { idempotencyKey: request.idempotencyKey },
      )
      .catch(channelError);
    return this.toChannelRefund(refund);
  }

  async getRefund(id: string) {
    return this.toChannelRefund(await this.stripe.refunds.retrieve(id).catch(channelError));
  }

  private toChannelRefund(refund: Stripe.Refund): ChannelRefund {
    const status = REFUND_STATUS[refund.status ?? "pending"] ?? "pending";
    return {
      id: refund.id,
      status,
      failure: status === "failed" ? { code: refund.failure_reason ?? "refund_failed", message: "Stripe could not refund the payment." } : null,
    };
  }

  async verifyWebhook(headers: Headers, rawBody: string): Promise<void> {
    const signature = headers.get("Stripe-Signature");
    if (!signature) throw new WebhookVerificationError("webhook_signature_missing", "No Stripe-Signature header.");
    try {
      await this.stripe.webhooks.constructEventAsync(
        rawBody,
        signature,
        this.config.webhookSecret,
        SIGNATURE_TOLERANCE_SECONDS,
        Stripe.createSubtleCryptoProvider(),
      );
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) throw error;
      const stale = /tolerance/i.test(error.message);
      throw new WebhookVerificationError(
        stale ? "webhook_timestamp_stale" : "webhook_signature_invalid",
        stale ? `Stripe-Signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s from now.` : "No signature matches the payload.",
      );
    }
  }

  parseWebhook(rawBody: string): ParsedEvent {
    const event = JSON.parse(rawBody) as Stripe.Event;
    const base = { channel: "stripe" as const, eventId: event.id, channelType: event.type, occurredAt: event.created * 1000 };
    const object = event.data.object as { id: string; metadata?: Record<string, string> | null };
    const meta = object.metadata ?? {};
    if (event.type.startsWith("payment_intent.")) {
      const pi = object as Stripe.PaymentIntent;
      return {
        ...base,
        type: PAYMENT_EVENTS[event.type] ?? "unhandled",
        paymentNo: meta.payment_no ?? null,
        refundNo: null,
        channelPaymentId: pi.id,
        channelObjectId: pi.id,
        failure: failureOf(pi.last_payment_error),
      };
    }
    if (event.type.startsWith("refund.")) {
      const refund = object as Stripe.Refund;
      const status = event.type === "refund.failed" ? "failed" : (REFUND_STATUS[refund.status ?? "pending"] ?? "pending");
      return {
        ...base,
        type: `refund.${status}`,
        paymentNo: meta.payment_no ?? null,
        refundNo: meta.refund_no ?? null,
        channelPaymentId: typeof refund.payment_intent === "string" ? refund.payment_intent : (refund.payment_intent?.id ?? null),
        channelObjectId: refund.id,
        failure: status === "failed" ? { code: refund.failure_reason ?? "refund_failed", message: "Stripe could not refund the payment." } : null,
      };
    }
    if (event.type === "charge.refunded" || event.type === "charge.dispute.created") {
      const charge = object as { id: string; payment_intent?: string | { id: string } | null };
      const pi = typeof charge.payment_intent === "string" ? charge.payment_intent : (charge.payment_intent?.id ?? null);
      return {
        ...base,
        type: event.type === "charge.refunded" ? "payment.refunded_at_channel" : "payment.disputed",
        paymentNo: meta.payment_no ?? null,
        refundNo: null,
        channelPaymentId: pi,
        channelObjectId: charge.id,
        failure: null,
      };
    }
    return { ...base, type: "unhandled", paymentNo: null, refundNo: null, channelPaymentId: null, channelObjectId: object.id ?? null, failure: null };
  }
}

export { fromStripeAmount };
