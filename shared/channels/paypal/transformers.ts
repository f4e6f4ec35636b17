// PayPal's wire and the platform's vocabulary, apart from any call: the shapes of what PayPal
// answers and posts (checked at run time; the fields the platform reads, the rest passes
// through), the body of a new order, and the tables that turn PayPal's statuses, webhook events
// and error bodies into the platform's.
import { z } from "zod";
import {
  ChannelError,
  type ChannelEventType,
  type ChannelFailure,
  type ChannelPayment,
  type ChannelRefund,
  type CreatePaymentRequest,
  type CreateRefundRequest,
  type ParsedEvent,
  type RefundStatus,
} from "../adapter";
import { notProcessed } from "../http";
import { checkWire, readWire } from "../wire";
import type { PaymentStatus } from "../../payments/state-machine";
import { paymentNoOfRefund } from "../../refunds/refund";
import { fromPayPalValue, toPayPalValue } from "./amounts";

// ── wire shapes ──────────────────────────────────────────────────────────────

const id = z.string().min(1);
const text = z.string().nullish();

/** PayPal's money, read as the platform's: minor units and upper-case currency. */
const Money = z
  .looseObject({ currency_code: z.string().length(3), value: z.string().regex(/^\d+(\.\d+)?$/, "must be a decimal string") })
  .transform((money, ctx) => {
    const currency = money.currency_code.toUpperCase();
    try {
      return { amount: fromPayPalValue(money.value, currency), currency };
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      const field = error.code === "currency_unsupported" ? "currency_code" : "value";
      // the issue is a clause of checkWire's sentence
      ctx.addIssue({ code: "custom", path: [field], message: error.message.replace(/\.$/, "") });
      return z.NEVER;
    }
  });

const Link = z.looseObject({ href: z.string(), rel: z.string() });
const StatusDetails = z.looseObject({ reason: text }).nullish();

const ORDER_STATUSES = ["CREATED", "SAVED", "APPROVED", "VOIDED", "COMPLETED", "PAYER_ACTION_REQUIRED"] as const;
const CAPTURE_STATUSES = ["COMPLETED", "DECLINED", "PARTIALLY_REFUNDED", "PENDING", "REFUNDED", "FAILED"] as const;
const REFUND_STATUSES = ["CANCELLED", "FAILED", "PENDING", "COMPLETED"] as const;

const CaptureWire = z.looseObject({
  id,
  status: z.enum(CAPTURE_STATUSES),
  status_details: StatusDetails,
  amount: Money.nullish(),
  custom_id: text,
  invoice_id: text,
  supplementary_data: z.looseObject({ related_ids: z.looseObject({ order_id: text }).nullish() }).nullish(),
});

export const OrderWire = z.looseObject({
  id,
  status: z.enum(ORDER_STATUSES),
  purchase_units: z
    .array(
      z.looseObject({
        reference_id: text,
        custom_id: text,
        amount: Money.nullish(),
        payments: z.looseObject({ captures: z.array(CaptureWire).nullish() }).nullish(),
      }),
    )
    .nullish(),
  links: z.array(Link).nullish(),
});

export const RefundWire = z.looseObject({
  id,
  status: z.enum(REFUND_STATUSES),
  status_details: StatusDetails,
  amount: Money.nullish(),
  custom_id: text,
  invoice_id: text,
});

/** A reversal (PAYMENT.CAPTURE.REVERSED): refund-like, carrying the capture's custom_id. */
const ReversalWire = z.looseObject({ id, custom_id: text });

const DisputeWire = z.looseObject({
  dispute_id: id,
  disputed_transactions: z.array(z.looseObject({ custom: text, invoice_number: text })).nullish(),
});

const EventWire = z.looseObject({
  id,
  event_type: z.string().min(1),
  create_time: z.iso.datetime({ offset: true }),
  resource: z.looseObject({ id: z.string().nullish() }),
});

/** POST /v1/oauth2/token. */
export const TokenWire = z.looseObject({ access_token: id, expires_in: z.number().int().positive(), app_id: text });
/** GET /v1/notifications/webhooks/{id}. */
export const WebhookWire = z.looseObject({ id });
/** POST /v1/notifications/verify-webhook-signature. */
export const VerificationWire = z.looseObject({ verification_status: z.string() });

const ErrorBody = z.looseObject({
  name: text,
  message: text,
  debug_id: text,
  details: z.array(z.looseObject({ issue: z.string(), field: text, description: text })).nullish(),
  /** The OAuth endpoint's own shape: `{error, error_description}`. */
  error_description: text,
});

type PayPalOrder = z.infer<typeof OrderWire>;
type PayPalCapture = z.infer<typeof CaptureWire>;
type PayPalRefund = z.infer<typeof RefundWire>;

// ── requests ─────────────────────────────────────────────────────────────────

/** PayPal's limits on free text, in characters. */
const clip = (value: string, max: number) => Array.from(value).slice(0, max).join("");

/**
 * POST /v2/checkout/orders. The payment number is the unit's reference_id (echoed by
 * CHECKOUT.ORDER.APPROVED), custom_id and invoice_id (echoed on its capture, refunds and
 * disputes). Without a return URL there is no experience context: the order is CREATED and the
 * buyer approves through its `approve` link.
 */
export function createOrderBody(request: CreatePaymentRequest) {
  const currency = request.currency.toUpperCase();
  return {
    intent: "CAPTURE",
    purchase_units: [
      {
        reference_id: request.paymentNo,
        custom_id: request.paymentNo,
        invoice_id: request.paymentNo,
        ...(request.description ? { description: clip(request.description, 127) } : {}),
        amount: { currency_code: currency, value: toPayPalValue(request.amount, currency) },
      },
    ],
    ...(request.returnUrl
      ? {
          payment_source: {
            paypal: {
              experience_context: {
                return_url: request.returnUrl,
                ...(request.cancelUrl ? { cancel_url: request.cancelUrl } : {}),
                user_action: "PAY_NOW",
                shipping_preference: "NO_SHIPPING",
              },
            },
          },
        }
      : {}),
  };
}

/** POST /v2/payments/captures/{id}/refund: the refund_no is its invoice_id, the payment_no its custom_id. */
export const refundBody = (request: CreateRefundRequest) => ({
  amount: { currency_code: request.currency.toUpperCase(), value: toPayPalValue(request.amount, request.currency.toUpperCase()) },
  invoice_id: request.refundNo,
  custom_id: request.paymentNo,
  ...(request.reason ? { note_to_payer: clip(request.reason, 255) } : {}),
});

// ── statuses ─────────────────────────────────────────────────────────────────

/** An order not captured yet stands where the buyer's approval does. */
const ORDER_STATUS: Record<Exclude<(typeof ORDER_STATUSES)[number], "COMPLETED">, PaymentStatus> = {
  CREATED: "requires_action",
  SAVED: "requires_action",
  PAYER_ACTION_REQUIRED: "requires_action",
  APPROVED: "processing", // approved by the buyer, to be captured by the platform
  VOIDED: "cancelled",
};

/** A captured order stands where its capture does; refunds are the platform's own to track. */
const CAPTURE_STATUS: Record<PayPalCapture["status"], PaymentStatus> = {
  COMPLETED: "succeeded",
  PARTIALLY_REFUNDED: "succeeded",
  REFUNDED: "succeeded",
  PENDING: "processing",
  DECLINED: "failed",
  FAILED: "failed",
};

const REFUND_STATUS: Record<PayPalRefund["status"], RefundStatus> = {
  COMPLETED: "succeeded",
  PENDING: "pending",
  FAILED: "failed",
  CANCELLED: "failed",
};

const because = (details: z.infer<typeof StatusDetails>) => (details?.reason ? ` (${details.reason})` : "");

const captureFailure = (capture: PayPalCapture): ChannelFailure =>
  capture.status === "DECLINED"
    ? { code: "capture_declined", message: `PayPal declined the capture${because(capture.status_details)}.` }
    : { code: "capture_failed", message: `PayPal could not capture the payment${because(capture.status_details)}.` };

/** The order's latest capture (an order of intent CAPTURE has one unit), if it has one. */
export const latestCapture = (order: PayPalOrder): PayPalCapture | undefined =>
  order.purchase_units?.[0]?.payments?.captures?.at(-1);

/** Where the buyer approves the order: `payer-action` with an experience context, else `approve`. */
const approvalUrl = (order: PayPalOrder) => order.links?.find((link) => link.rel === "payer-action" || link.rel === "approve")?.href;

export function toChannelPayment(order: PayPalOrder): ChannelPayment {
  const capture = latestCapture(order);
  // COMPLETED with no capture is not seen for intent CAPTURE; it counts as not settled yet
  const status = capture ? CAPTURE_STATUS[capture.status] : order.status === "COMPLETED" ? "processing" : ORDER_STATUS[order.status];
  const approval = status === "requires_action" ? approvalUrl(order) : undefined;
  return {
    id: order.id,
    status,
    clientSecret: null,
    nextAction: approval ? { type: "redirect_to_url", redirect_to_url: { url: approval } } : null,
    failure: status === "failed" && capture ? captureFailure(capture) : null,
    awaitingCompletion: !capture && order.status === "APPROVED",
  };
}

const refundFailure = (refund: PayPalRefund): ChannelFailure => ({
  code: refund.status === "CANCELLED" ? "refund_cancelled" : "refund_failed",
  message: `PayPal could not refund the payment${because(refund.status_details)}.`,
});

export function toChannelRefund(refund: PayPalRefund): ChannelRefund {
  const status = REFUND_STATUS[refund.status];
  return { id: refund.id, status, failure: status === "failed" ? refundFailure(refund) : null };
}

// ── errors ───────────────────────────────────────────────────────────────────

type Refusal = { code: string; status: 400 | 402 | 409 | 502; message: string };

/** PayPal's 422 issues the platform names in its own words; any other keeps PayPal's issue. */
const ISSUES: Record<string, Refusal> = {
  INSTRUMENT_DECLINED: {
    code: "instrument_declined",
    status: 402,
    message: "The buyer's funding source was declined; the buyer must approve the payment again with another one.",
  },
  PAYER_ACTION_REQUIRED: { code: "payer_action_required", status: 402, message: "The buyer must complete an action at PayPal before the payment can be captured." },
  TRANSACTION_REFUSED: { code: "transaction_refused", status: 402, message: "PayPal refused the transaction." },
  PAYER_CANNOT_PAY: { code: "payer_cannot_pay", status: 402, message: "The buyer cannot pay with the funding sources of their PayPal account." },
  ORDER_NOT_APPROVED: { code: "order_not_approved", status: 409, message: "The buyer has not approved the PayPal order yet." },
  ORDER_ALREADY_CAPTURED: { code: "order_already_captured", status: 409, message: "The PayPal order is already captured." },
  // transient at PayPal: a 502 is retried, a 409 would be final
  ORDER_COMPLETION_IN_PROGRESS: { code: "order_completion_in_progress", status: 502, message: "PayPal is still completing the order." },
  REFUND_AMOUNT_EXCEEDED: { code: "refund_amount_exceeded", status: 409, message: "The refund is larger than what is left of the capture at PayPal." },
  CAPTURE_FULLY_REFUNDED: { code: "capture_fully_refunded", status: 409, message: "The capture is already fully refunded at PayPal." },
  REFUND_NOT_ALLOWED: { code: "refund_not_allowed", status: 409, message: "PayPal does not allow a refund of this capture." },
  REFUND_TIME_LIMIT_EXCEEDED: { code: "refund_time_limit_exceeded", status: 409, message: "The capture is too old to be refunded through PayPal." },
  PENDING_CAPTURE: { code: "capture_pending", status: 409, message: "The capture is still pending at PayPal; it can be refunded once it completes." },
  TRANSACTION_DISPUTED: { code: "transaction_disputed", status: 409, message: "The payment is disputed at PayPal and cannot be refunded now." },
  DUPLICATE_INVOICE_ID: {
    code: "duplicate_invoice_id",
    status: 409,
    message: "The PayPal account refuses a second transaction with the same invoice id (the payment or refund number).",
  },
  DECIMAL_PRECISION: { code: "amount_precision_unsupported", status: 400, message: "PayPal refused the amount's decimals for its currency." },
  DECIMALS_NOT_SUPPORTED: { code: "amount_precision_unsupported", status: 400, message: "PayPal takes no decimals in this currency." },
  CURRENCY_NOT_SUPPORTED: { code: "currency_unsupported", status: 400, message: "PayPal does not take this currency for this account." },
  INVALID_CURRENCY_CODE: { code: "currency_unsupported", status: 400, message: "PayPal does not take this currency for this account." },
  CURRENCY_MISMATCH: { code: "currency_mismatch", status: 400, message: "The refund's currency is not the capture's." },
  REFUND_CAPTURE_CURRENCY_MISMATCH: { code: "currency_mismatch", status: 400, message: "The refund's currency is not the capture's." },
};

/** Other 422 issues that are PayPal refusing the buyer's payment (a capture's), as a card decline is. */
const PAYER_REFUSALS = new Set([
  "COMPLIANCE_VIOLATION",
  "DECLINED_DUE_TO_RELATED_TXN",
  "MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED",
  "PAYER_ACCOUNT_LOCKED_OR_CLOSED",
  "PAYER_ACCOUNT_RESTRICTED",
  "REDIRECT_PAYER_FOR_ALTERNATE_FUNDING",
  "TRANSACTION_LIMIT_EXCEEDED",
]);

const debugRef = (debugId: string | null | undefined) => (debugId ? ` (PayPal debug_id ${debugId})` : "");

/**
 * A PayPal error answer as the platform's ChannelError. `request` ("GET /v2/checkout/orders/X")
 * names what was asked. Authentication failures are the platform's configuration, not the
 * merchant's request: 502, as an outage. Of the outages, only 429 and 503 prove PayPal did nothing.
 */
export function channelErrorOf(status: number, body: unknown, request: string): ChannelError {
  const parsed = ErrorBody.safeParse(body);
  const error = parsed.success ? parsed.data : null;
  const detail = error?.details?.[0];
  if (status === 401 || status === 403) {
    return new ChannelError("paypal_authentication", `PayPal refused the platform's credentials for ${request} (${status})${debugRef(error?.debug_id)}.`, 502);
  }
  if (status === 429 || status >= 500) {
    return new ChannelError("paypal_unavailable", `PayPal answered ${request} with ${status}${debugRef(error?.debug_id)}.`, 502, undefined, {
      notProcessed: notProcessed(status),
    });
  }
  if (status === 404) return new ChannelError("resource_missing", `PayPal has nothing at ${request}.`, 400);
  const known = detail && ISSUES[detail.issue];
  if (known) return new ChannelError(known.code, known.message, known.status);
  const field = detail?.field ? ` at ${detail.field}` : "";
  const why = detail?.description ?? error?.message ?? error?.error_description ?? `status ${status}`;
  const code = status === 422 && detail ? detail.issue.toLowerCase() : "paypal_invalid_request";
  const refusedPayer = status === 422 && detail !== undefined && PAYER_REFUSALS.has(detail.issue);
  return new ChannelError(code, `PayPal refused ${request}${field}: ${why}${debugRef(error?.debug_id)}.`, refusedPayer ? 402 : 400);
}

// ── webhooks ─────────────────────────────────────────────────────────────────

type EventFields = Omit<ParsedEvent, "eventId" | "channelType" | "occurredAt">;
const nothing = { paymentNo: null, refundNo: null, channelPaymentId: null, channelObjectId: null, failure: null, money: null };

/** The buyer approved: the platform captures. The unit's reference_id is the payment_no. */
function approved(resource: unknown): EventFields {
  const order = checkWire(OrderWire, resource, "resource");
  const unit = order.purchase_units?.[0];
  return {
    ...nothing,
    type: "payment.approved",
    paymentNo: unit?.reference_id ?? unit?.custom_id ?? null,
    channelPaymentId: order.id,
    channelObjectId: order.id,
    money: unit?.amount ?? null,
  };
}

/** A capture settled (or not): its order is the channel payment; custom_id the payment_no. */
const captured = (type: ChannelEventType) => (resource: unknown): EventFields => {
  const capture = checkWire(CaptureWire, resource, "resource");
  return {
    ...nothing,
    type,
    paymentNo: capture.custom_id ?? null,
    channelPaymentId: capture.supplementary_data?.related_ids?.order_id ?? null,
    channelObjectId: capture.id,
    failure: type === "payment.failed" ? captureFailure(capture) : null,
    money: capture.amount ?? null,
  };
};

/**
 * A refund moved. One the platform made carries its refund_no as invoice_id; one without is a
 * refund made in PayPal's dashboard. A refund names its capture, not the order: no
 * channelPaymentId.
 */
function refunded(resource: unknown, eventType: string): EventFields {
  const refund = checkWire(RefundWire, resource, "resource");
  const status = REFUND_STATUS[refund.status];
  const ours = refund.invoice_id && paymentNoOfRefund(refund.invoice_id) ? refund.invoice_id : null;
  if (!ours) {
    const atChannel = eventType === "PAYMENT.CAPTURE.REFUNDED" && status === "succeeded";
    return { ...nothing, type: atChannel ? "payment.refunded_at_channel" : "unhandled", paymentNo: refund.custom_id ?? null, channelObjectId: refund.id };
  }
  return {
    ...nothing,
    type: `refund.${status}`,
    paymentNo: refund.custom_id ?? paymentNoOfRefund(ours),
    refundNo: ours,
    channelObjectId: refund.id,
    failure: status === "failed" ? refundFailure(refund) : null,
    money: refund.amount ?? null,
  };
}

function reversed(resource: unknown): EventFields {
  const reversal = checkWire(ReversalWire, resource, "resource");
  return { ...nothing, type: "payment.refunded_at_channel", paymentNo: reversal.custom_id ?? null, channelObjectId: reversal.id };
}

/** The disputed transaction carries the capture's custom_id (custom) and invoice_id (invoice_number). */
function disputed(resource: unknown): EventFields {
  const dispute = checkWire(DisputeWire, resource, "resource");
  const transaction = dispute.disputed_transactions?.[0];
  return {
    ...nothing,
    type: "payment.disputed",
    paymentNo: transaction?.custom ?? transaction?.invoice_number ?? null,
    channelObjectId: dispute.dispute_id,
  };
}

const EVENTS: Record<string, (resource: unknown, eventType: string) => EventFields> = {
  "CHECKOUT.ORDER.APPROVED": approved,
  "PAYMENT.CAPTURE.COMPLETED": captured("payment.succeeded"),
  "PAYMENT.CAPTURE.PENDING": captured("payment.processing"),
  "PAYMENT.CAPTURE.DENIED": captured("payment.failed"),
  "PAYMENT.CAPTURE.DECLINED": captured("payment.failed"),
  "PAYMENT.CAPTURE.REFUNDED": refunded,
  "PAYMENT.REFUND.PENDING": refunded,
  "PAYMENT.REFUND.FAILED": refunded,
  "PAYMENT.CAPTURE.REVERSED": reversed,
  "CUSTOMER.DISPUTE.CREATED": disputed,
};

/** A PayPal webhook body as a channel-neutral event; throws WebhookPayloadError if it is not one. */
export function parsePayPalWebhook(rawBody: string): ParsedEvent {
  const event = readWire(EventWire, rawBody);
  const read = EVENTS[event.event_type];
  const fields = read ? read(event.resource, event.event_type) : { ...nothing, type: "unhandled" as const, channelObjectId: event.resource.id ?? null };
  return { eventId: event.id, channelType: event.event_type, occurredAt: Date.parse(event.create_time), ...fields };
}
