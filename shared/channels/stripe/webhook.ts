// Stripe's webhook events as the platform reads them: the wire shapes of the objects it acts on
// (checked at run time, so a signed body of the wrong shape is refused) and their mapping to
// channel-neutral events, amounts converted back to the platform's minor units.
import { z } from "zod";
import type { ChannelEventType, ParsedEvent, RefundStatus } from "../adapter";
import { checkWire, readWire } from "../wire";
import { findCurrency } from "../../money/currencies";
import { fromStripeAmount } from "./amounts";

const PAYMENT_EVENTS: Record<string, ChannelEventType> = {
  "payment_intent.succeeded": "payment.succeeded",
  "payment_intent.processing": "payment.processing",
  "payment_intent.requires_action": "payment.requires_action",
  "payment_intent.payment_failed": "payment.failed",
  "payment_intent.canceled": "payment.cancelled",
};

export const REFUND_STATUS: Record<string, RefundStatus> = {
  pending: "pending",
  requires_action: "pending",
  succeeded: "succeeded",
  failed: "failed",
  canceled: "failed",
};

const metadata = z.record(z.string(), z.string()).nullish();
const id = z.string().min(1);
const amount = z.number().int().nonnegative();
const currency = z.string().length(3);
const expandable = z.union([id, z.looseObject({ id })]).nullish();

const Event = z.looseObject({
  id,
  type: z.string().min(1),
  created: z.number().int(),
  data: z.looseObject({ object: z.looseObject({ id: id.optional() }) }),
});

const PaymentErrorWire = z
  .looseObject({ code: z.string().nullish(), decline_code: z.string().nullish(), message: z.string().nullish() })
  .nullish();

const PaymentIntent = z.looseObject({ id, amount, currency, metadata, last_payment_error: PaymentErrorWire });
const Refund = z.looseObject({ id, amount, currency, status: z.string().nullish(), payment_intent: expandable, metadata, failure_reason: z.string().nullish() });
/** A charge (charge.refunded) or a dispute (charge.dispute.created): both name their PaymentIntent. */
const ChargeLike = z.looseObject({ id, payment_intent: expandable, metadata });

type PaymentError = { code?: string | null; decline_code?: string | null; message?: string | null } | null | undefined;

export const failureOf = (error: PaymentError) =>
  error ? { code: error.code ?? error.decline_code ?? "payment_failed", message: error.message ?? "The payment failed." } : null;

export const refundFailure = (reason: string | null | undefined) => ({
  code: reason ?? "refund_failed",
  message: "Stripe could not refund the payment.",
});

const idOf = (ref: z.infer<typeof expandable>) => (typeof ref === "string" ? ref : (ref?.id ?? null));

/** Stripe's amount in the platform's minor units (as sent, for a currency the platform lacks). */
function moneyOf(value: number, code: string) {
  const upper = code.toUpperCase();
  return { amount: findCurrency(upper) ? fromStripeAmount(value, upper) : value, currency: upper };
}

/** A Stripe webhook body as a channel-neutral event; throws WebhookPayloadError if it is not one. */
export function parseStripeWebhook(rawBody: string): ParsedEvent {
  const event = readWire(Event, rawBody);
  const base = { eventId: event.id, channelType: event.type, occurredAt: event.created * 1000 };
  const object = event.data.object;
  if (event.type.startsWith("payment_intent.")) {
    const pi = checkWire(PaymentIntent, object, "data.object");
    return {
      ...base,
      type: PAYMENT_EVENTS[event.type] ?? "unhandled",
      paymentNo: pi.metadata?.payment_no ?? null,
      refundNo: null,
      channelPaymentId: pi.id,
      channelObjectId: pi.id,
      failure: failureOf(pi.last_payment_error),
      money: moneyOf(pi.amount, pi.currency),
    };
  }
  if (event.type.startsWith("refund.")) {
    const refund = checkWire(Refund, object, "data.object");
    const status = event.type === "refund.failed" ? "failed" : (REFUND_STATUS[refund.status ?? "pending"] ?? "pending");
    return {
      ...base,
      type: `refund.${status}`,
      paymentNo: refund.metadata?.payment_no ?? null,
      refundNo: refund.metadata?.refund_no ?? null,
      channelPaymentId: idOf(refund.payment_intent),
      channelObjectId: refund.id,
      failure: status === "failed" ? refundFailure(refund.failure_reason) : null,
      money: moneyOf(refund.amount, refund.currency),
    };
  }
  if (event.type === "charge.refunded" || event.type === "charge.dispute.created") {
    const charge = checkWire(ChargeLike, object, "data.object");
    return {
      ...base,
      type: event.type === "charge.refunded" ? "payment.refunded_at_channel" : "payment.disputed",
      paymentNo: charge.metadata?.payment_no ?? null,
      refundNo: null,
      channelPaymentId: idOf(charge.payment_intent),
      channelObjectId: charge.id,
      failure: null,
      money: null,
    };
  }
  return { ...base, type: "unhandled", paymentNo: null, refundNo: null, channelPaymentId: null, channelObjectId: object.id ?? null, failure: null, money: null };
}
