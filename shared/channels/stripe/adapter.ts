// The Stripe channel: the official SDK with its fetch HTTP client and SubtleCrypto provider, as
// Workers need. Every POST carries an idempotency key derived from the payment attempt or the
// refund, so the SDK's retries (network errors, 409, 429, 5xx) never create a second object.
import { tracedFetch } from "../../observability/traced-fetch";
import Stripe from "stripe";
import {
  ChannelError,
  WebhookVerificationError,
  type ChannelAdapter,
  type ParsedEvent,
  type ChannelPayment,
  type ChannelRefund,
  type CreatePaymentRequest,
  type CreateRefundRequest,
  type NextAction,
} from "../adapter";
import { notProcessed } from "../http";
import { SIGNATURE_TOLERANCE_SECONDS } from "../signature";
import type { PaymentStatus } from "../../payments/state-machine";
import { toStripeAmount } from "./amounts";
import type { StripeConfig } from "./config";
import { REFUND_STATUS, failureOf, parseStripeWebhook, refundFailure } from "./webhook";

const PI_STATUS: Record<Stripe.PaymentIntent.Status, PaymentStatus> = {
  requires_payment_method: "pending",
  requires_confirmation: "pending",
  requires_action: "requires_action",
  processing: "processing",
  requires_capture: "processing",
  succeeded: "succeeded",
  canceled: "cancelled",
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
  // Connection, rate limit, API and authentication errors: the SDK has retried what it could. Only
  // a refusal before any work (rate limited, unavailable) proves nothing was made; a cut connection
  // or another 5xx may come after the PaymentIntent was.
  const refused = error instanceof Stripe.errors.StripeRateLimitError || (error.statusCode !== undefined && notProcessed(error.statusCode));
  throw new ChannelError(`stripe_${error.type.replace(/^Stripe/, "").toLowerCase()}`, error.message, 502, undefined, { notProcessed: refused });
}

export class StripeAdapter implements ChannelAdapter {
  private readonly stripe: Stripe;

  constructor(private readonly config: StripeConfig) {
    const base = config.apiBase ? new URL(config.apiBase) : null;
    this.stripe = new Stripe(config.apiKey, {
      httpClient: Stripe.createFetchHttpClient(tracedFetch),
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
    return {
      id: pi.id,
      status: PI_STATUS[pi.status] ?? "pending",
      clientSecret: pi.client_secret,
      nextAction: this.nextAction(pi),
      failure: failureOf(pi.last_payment_error),
    };
  }

  /** Stripe's own redirect (3-D Secure, bank pages) when it has one; else Stripe.js confirms the payment. */
  private nextAction(pi: Stripe.PaymentIntent): NextAction | null {
    const redirect = pi.next_action?.redirect_to_url?.url;
    if (redirect) return { type: "redirect_to_url", redirect_to_url: { url: redirect } };
    if (!pi.client_secret) return null;
    return {
      type: "use_client_sdk",
      use_client_sdk: { sdk: "stripe.js", client_secret: pi.client_secret, publishable_key: this.config.publishableKey },
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
      failure: status === "failed" ? refundFailure(refund.failure_reason) : null,
    };
  }

  async verifyWebhook(headers: Headers, rawBody: string, now: number): Promise<void> {
    const signature = headers.get("Stripe-Signature");
    if (!signature) throw new WebhookVerificationError("webhook_signature_missing", "No Stripe-Signature header.");
    // the SDK refuses only timestamps too far in the past; one as far in the future is as stale
    const timestamp = Number(/(?:^|,)\s*t=(\d+)/.exec(signature)?.[1]);
    if (timestamp - now / 1000 > SIGNATURE_TOLERANCE_SECONDS) {
      throw new WebhookVerificationError("webhook_timestamp_stale", `Stripe-Signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s from now.`);
    }
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
    return parseStripeWebhook(rawBody);
  }
}
