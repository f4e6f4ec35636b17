// BTCPay's wire and the platform's vocabulary, apart from any call: the shapes of what BTCPay's
// Greenfield API answers and posts (checked at run time; the fields the platform reads, the rest
// passes through), the bodies of a new invoice and of a refund, and the tables that turn
// invoice statuses, payouts, webhook events and error bodies into the platform's.
import { z } from "zod";
import {
  ChannelError,
  type ChannelException,
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
import { fiatValueOf, fromBTCPayAmount, toBTCPayAmount } from "./amounts";
import type { BTCPayConfig } from "./config";

// ── wire shapes ──────────────────────────────────────────────────────────────

const id = z.string().min(1);
const text = z.string().nullish();
const decimal = z.string().regex(/^\d+(\.\d+)?$/, "must be a non-negative decimal string");

const INVOICE_STATUSES = ["New", "Processing", "Expired", "Invalid", "Settled"] as const;
const ADDITIONAL_STATUSES = ["None", "PaidLate", "PaidPartial", "Marked", "Invalid", "PaidOver"] as const;
const PAYOUT_STATES = ["AwaitingApproval", "AwaitingPayment", "InProgress", "Completed", "Cancelled"] as const;

/** The invoice's metadata as the platform wrote it (orderId: the payment_no; attemptKey: the attempt's key). */
const Metadata = z.looseObject({ orderId: text, attemptKey: text });

/** InvoiceData. */
export const InvoiceWire = z.looseObject({
  id,
  amount: decimal,
  currency: z.string().min(3),
  status: z.enum(INVOICE_STATUSES),
  additionalStatus: z.enum(ADDITIONAL_STATUSES),
  checkoutLink: text,
  metadata: Metadata.nullish(),
});

/** GET …/invoices: newest first. */
export const InvoiceListWire = z.array(InvoiceWire);

/** GET …/invoices/{id}/payment-methods: one entry per way the buyer may pay (on chain, Lightning). */
export const PaymentMethodsWire = z.array(
  z.looseObject({
    /** What the buyer paid by every method together, in this method's crypto. */
    totalPaid: decimal,
    /** The invoice's currency per unit of this method's crypto. */
    rate: decimal,
  }),
);

/** PullPaymentData: a refund is a pull payment the buyer claims at its viewLink. */
export const PullPaymentWire = z.looseObject({
  id,
  name: text,
  archived: z.boolean().nullish(),
  viewLink: z.string().min(1),
});

export const PullPaymentListWire = z.array(PullPaymentWire);

/** PayoutData: one claim on a pull payment. */
export const PayoutListWire = z.array(z.looseObject({ id, state: z.enum(PAYOUT_STATES) }));

/** GET /api/v1/stores/{storeId} (StoreData). */
export const StoreWire = z.looseObject({ id });

/** Greenfield's error answer: `{code, message}`, or for validation an array of `{path, message}`. */
const ProblemBody = z.looseObject({ code: text, message: text });
const ValidationBody = z.array(z.looseObject({ path: text, message: text }));

type BTCPayInvoice = z.infer<typeof InvoiceWire>;
type BTCPayPullPayment = z.infer<typeof PullPaymentWire>;
type BTCPayPayout = z.infer<typeof PayoutListWire>[number];
type BTCPayPaymentMethod = z.infer<typeof PaymentMethodsWire>[number];

// ── requests ─────────────────────────────────────────────────────────────────

/**
 * POST /api/v1/stores/{storeId}/invoices. metadata.orderId (indexed by BTCPay) is the payment_no
 * and metadata.attemptKey the attempt's idempotency key, so a retry finds the invoice an earlier,
 * unanswered create made. BTCPay replaces {InvoiceId} in the redirect URL: the platform's
 * checkout return reads it as `token`, as it reads PayPal's.
 */
export function createInvoiceBody(request: CreatePaymentRequest, config: BTCPayConfig) {
  const currency = request.currency.toUpperCase();
  return {
    amount: toBTCPayAmount(request.amount, currency),
    currency,
    metadata: {
      orderId: request.paymentNo,
      attemptKey: request.idempotencyKey,
      ...(request.customerEmail ? { buyerEmail: request.customerEmail } : {}),
      ...(request.description ? { itemDesc: request.description } : {}),
    },
    checkout: {
      speedPolicy: config.speedPolicy,
      expirationMinutes: config.expirationMinutes,
      ...(request.returnUrl
        ? { redirectURL: `${request.returnUrl}${request.returnUrl.includes("?") ? "&" : "?"}token={InvoiceId}`, redirectAutomatically: true }
        : {}),
    },
  };
}

/**
 * POST …/invoices/{id}/refund: a pull payment named by the refund_no, for the buyer to claim on
 * chain. The whole invoice goes back as `Fiat` (what was paid, in the invoice's currency, worth
 * the same to the buyer at the rate when it is paid out); a part, or the price of an overpaid
 * invoice (Fiat would give back the excess too, which is the merchant's to settle), as a
 * `Custom` amount in the invoice's currency.
 */
export function refundBody(request: CreateRefundRequest, invoice: BTCPayInvoice) {
  const currency = request.currency.toUpperCase();
  const whole = request.amount === fromBTCPayAmount(invoice.amount, invoice.currency) && invoice.additionalStatus !== "PaidOver";
  return {
    name: request.refundNo,
    description: request.reason ?? `Refund ${request.refundNo} of payment ${request.paymentNo}`,
    // the spec's list; its deprecated single `paymentMethod` is not in RefundInvoiceRequest
    payoutMethods: ["BTC-CHAIN"],
    ...(whole ? { refundVariant: "Fiat" } : { refundVariant: "Custom", customAmount: toBTCPayAmount(request.amount, currency), customCurrency: currency }),
  };
}

// ── statuses ─────────────────────────────────────────────────────────────────

const INVOICE_STATUS: Record<BTCPayInvoice["status"], PaymentStatus> = {
  New: "requires_action",
  Processing: "processing",
  Settled: "succeeded",
  Expired: "failed",
  Invalid: "failed",
};

const FAILURES = {
  expired: { code: "expired", message: "The invoice expired before the buyer paid it." },
  expired_partially_paid: { code: "expired_partially_paid", message: "The invoice expired after the buyer had paid only part of it." },
  invalid: { code: "invalid", message: "The buyer's payment did not confirm in time, so BTCPay marked the invoice invalid." },
  marked_invalid: { code: "invalid", message: "The invoice was marked invalid in BTCPay." },
} satisfies Record<string, ChannelFailure>;

const EXCEPTIONS = {
  underpaid: {
    code: "underpaid",
    message: "The buyer paid part of the invoice before it expired; return it from BTCPay, or ask them to complete the payment.",
  },
  overpaid: { code: "overpaid", message: "The buyer paid more than the invoice; return the difference from BTCPay." },
  paid_late: {
    code: "paid_late",
    message: "The buyer paid after the invoice expired; return the payment from BTCPay, or mark the invoice settled there to accept it.",
  },
} satisfies Record<string, ChannelException>;

function failureOf(invoice: BTCPayInvoice): ChannelFailure | null {
  if (invoice.status === "Expired") return invoice.additionalStatus === "PaidPartial" ? FAILURES.expired_partially_paid : FAILURES.expired;
  if (invoice.status === "Invalid") return invoice.additionalStatus === "Marked" ? FAILURES.marked_invalid : FAILURES.invalid;
  return null;
}

/** A part payment is no exception while the invoice is open: the buyer may still pay the rest. */
function exceptionOf(invoice: BTCPayInvoice): ChannelException | null {
  if (invoice.status === "Settled" && invoice.additionalStatus === "PaidOver") return EXCEPTIONS.overpaid;
  if (invoice.status === "Expired" && invoice.additionalStatus === "PaidPartial") return EXCEPTIONS.underpaid;
  if (invoice.status === "Expired" && invoice.additionalStatus === "PaidLate") return EXCEPTIONS.paid_late;
  return null;
}

/**
 * What the buyer paid, in the invoice's currency. Every method's totalPaid is the invoice's whole
 * take converted to that method's crypto, so one method tells it (adding them would count it once
 * per method); null when BTCPay lists none.
 */
export function receivedOf(methods: BTCPayPaymentMethod[], currency: string): ChannelPayment["received"] {
  const method = methods[0];
  const code = currency.toUpperCase();
  return method ? { amount: fiatValueOf(method.totalPaid, method.rate, code), currency: code } : null;
}

export function toChannelPayment(invoice: BTCPayInvoice, received: ChannelPayment["received"] = null): ChannelPayment {
  const status = INVOICE_STATUS[invoice.status];
  return {
    id: invoice.id,
    status,
    clientSecret: null,
    nextAction: status === "requires_action" && invoice.checkoutLink ? { type: "redirect_to_url", redirect_to_url: { url: invoice.checkoutLink } } : null,
    failure: failureOf(invoice),
    received,
    exception: exceptionOf(invoice),
  };
}

const IN_FLIGHT: readonly BTCPayPayout["state"][] = ["AwaitingApproval", "AwaitingPayment", "InProgress"];

/**
 * A refund stands where its payouts do: one on its way is pending, one completed succeeded. A
 * cancelled payout leaves the pull payment claimable, so a refund without a live payout stays
 * pending until the pull payment is archived (its payouts then can no longer be paid).
 */
function refundStatusOf(pullPayment: BTCPayPullPayment, payouts: BTCPayPayout[]): RefundStatus {
  if (payouts.some((payout) => IN_FLIGHT.includes(payout.state))) return "pending";
  if (payouts.some((payout) => payout.state === "Completed")) return "succeeded";
  return pullPayment.archived ? "failed" : "pending";
}

export function toChannelRefund(pullPayment: BTCPayPullPayment, payouts: BTCPayPayout[]): ChannelRefund {
  const status = refundStatusOf(pullPayment, payouts);
  return {
    id: pullPayment.id,
    status,
    failure:
      status === "failed"
        ? { code: "refund_cancelled", message: "The refund's pull payment was archived in BTCPay before the buyer was paid; refund again to send them a new one." }
        : null,
    nextAction: status === "pending" ? claimAction(pullPayment) : null,
  };
}

/** The buyer claims a refund at the pull payment's page, giving an address to be paid to. */
export const claimAction = (pullPayment: BTCPayPullPayment): ChannelRefund["nextAction"] => ({
  type: "redirect_to_url",
  redirect_to_url: { url: pullPayment.viewLink },
});

// ── errors ───────────────────────────────────────────────────────────────────

/** Greenfield validation paths of the platform's own requests, as the platform's request fields. */
const PARAMS: Record<string, string> = {
  amount: "amount",
  currency: "currency",
  "metadata.buyeremail": "customer_email",
  "metadata.itemdesc": "description",
  "checkout.redirecturl": "return_url",
  customcurrency: "currency",
};

const REFUND_AMOUNT_PATHS = ["customamount", "refundvariant"];

/** BTCPay's message as a clause of the platform's sentence. */
const clause = (message: string) => message.replace(/\.$/, "");

/**
 * A Greenfield error answer as the platform's ChannelError. `request` ("GET /api/v1/stores/X")
 * names what was asked. A refused API key is 502 here (an outage of the channel for the
 * payments it serves); verifyCredentials answers it as the merchant's configuration. Of the
 * outages, only 429 and 503 prove BTCPay did nothing.
 */
export function channelErrorOf(status: number, body: unknown, request: string): ChannelError {
  const problem = ProblemBody.safeParse(body);
  const said = problem.success && problem.data.message ? `: ${clause(problem.data.message)}` : "";
  const code = problem.success ? problem.data.code : null;
  if (status === 401 || status === 403) {
    return new ChannelError("btcpay_authentication", `BTCPay refused the API key for ${request} (${status}${code ? ` ${code}` : ""})${said}.`, 502);
  }
  if (status === 429 || status >= 500) {
    return new ChannelError("btcpay_unavailable", `BTCPay answered ${request} with ${status}${said}.`, 502, undefined, { notProcessed: notProcessed(status) });
  }
  if (status === 404) return new ChannelError("resource_missing", `BTCPay has nothing at ${request}${code ? ` (${code})` : ""}${said}.`, 400);
  const issue = ValidationBody.safeParse(body).data?.[0];
  if (issue) {
    const path = issue.path ?? "";
    // Custom names its amount, Fiat its variant: either way, more than is left of what was paid
    if (REFUND_AMOUNT_PATHS.includes(path.toLowerCase())) {
      return new ChannelError("refund_amount_exceeded", `BTCPay refuses to give back more than is left of what the buyer paid: ${clause(issue.message ?? "refused")}.`, 409);
    }
    return new ChannelError("btcpay_invalid_request", `BTCPay refused ${request} at ${path || "the body"}: ${clause(issue.message ?? "invalid")}.`, 400, PARAMS[path.toLowerCase()]);
  }
  if (code === "non-refundable") return new ChannelError("refund_not_allowed", `BTCPay cannot refund this invoice${said}.`, 409);
  return new ChannelError("btcpay_invalid_request", `BTCPay refused ${request} (${status}${code ? ` ${code}` : ""})${said}.`, 400);
}

// ── webhooks ─────────────────────────────────────────────────────────────────

/**
 * Every delivery. A redelivery gets a new deliveryId and keeps the first's originalDeliveryId:
 * the event's id is the original, so a redelivery is the same event to the platform.
 */
const DeliveryWire = z.looseObject({
  deliveryId: id,
  originalDeliveryId: z.string().min(1).nullish(),
  type: z.string().min(1),
  timestamp: z.number().int().nonnegative(),
});

const InvoiceEventWire = z.looseObject({
  invoiceId: id,
  metadata: Metadata.nullish(),
  afterExpiration: z.boolean().nullish(),
  overPaid: z.boolean().nullish(),
  partiallyPaid: z.boolean().nullish(),
  manuallyMarked: z.boolean().nullish(),
});

/** BTCPay 2.x payout events (not in the spec's fragments): the payout, its pull payment and state. */
const PayoutEventWire = z.looseObject({ payoutId: id, pullPaymentId: id, payoutState: z.enum(PAYOUT_STATES) });

type InvoiceEvent = z.infer<typeof InvoiceEventWire>;
type PayoutEvent = z.infer<typeof PayoutEventWire>;
type EventFields = Omit<ParsedEvent, "eventId" | "channelType" | "occurredAt">;

const nothing = { paymentNo: null, refundNo: null, channelPaymentId: null, channelObjectId: null, failure: null, money: null, exception: null };

/** Webhooks carry no fiat amount: money is null, and the invoice itself is the channel payment. */
const aboutInvoice = (event: InvoiceEvent, fields: Partial<EventFields> & Pick<EventFields, "type">): EventFields => ({
  ...nothing,
  paymentNo: event.metadata?.orderId ?? null,
  channelPaymentId: event.invoiceId,
  channelObjectId: event.invoiceId,
  ...fields,
});

const INVOICE_EVENTS: Record<string, (event: InvoiceEvent) => EventFields> = {
  InvoiceCreated: (event) => aboutInvoice(event, { type: "unhandled" }),
  // money seen in the mempool moves nothing; money after expiry is the merchant's to settle
  InvoiceReceivedPayment: (event) =>
    event.afterExpiration ? aboutInvoice(event, { type: "payment.exception", exception: EXCEPTIONS.paid_late }) : aboutInvoice(event, { type: "unhandled" }),
  InvoiceProcessing: (event) => aboutInvoice(event, { type: "payment.processing" }),
  InvoiceSettled: (event) => aboutInvoice(event, { type: "payment.succeeded", exception: event.overPaid ? EXCEPTIONS.overpaid : null }),
  InvoiceExpired: (event) =>
    event.partiallyPaid
      ? aboutInvoice(event, { type: "payment.failed", failure: FAILURES.expired_partially_paid, exception: EXCEPTIONS.underpaid })
      : aboutInvoice(event, { type: "payment.failed", failure: FAILURES.expired }),
  InvoiceInvalid: (event) => aboutInvoice(event, { type: "payment.failed", failure: event.manuallyMarked ? FAILURES.marked_invalid : FAILURES.invalid }),
  InvoicePaymentSettled: (event) => aboutInvoice(event, { type: "unhandled" }),
};

/**
 * A payout names its pull payment, which is the platform's channel refund id: ingress finds the
 * refund by it. A cancelled payout leaves the pull payment claimable: nothing changes.
 */
const payoutEvent = (event: PayoutEvent, channelType: string): EventFields => {
  const completed = channelType === "PayoutUpdated" && event.payoutState === "Completed";
  const cancelled = channelType === "PayoutUpdated" && event.payoutState === "Cancelled";
  return { ...nothing, type: completed ? "refund.succeeded" : cancelled ? "unhandled" : "refund.pending", channelObjectId: event.pullPaymentId };
};

const PAYOUT_EVENTS = new Set(["PayoutCreated", "PayoutApproved", "PayoutUpdated"]);

/** A BTCPay webhook body as a channel-neutral event; throws WebhookPayloadError if it is not one. */
export function parseBTCPayWebhook(rawBody: string): ParsedEvent {
  // loose: the delivery keeps the event's own fields, read next by its type's schema
  const delivery = readWire(DeliveryWire, rawBody);
  const invoiceEvent = INVOICE_EVENTS[delivery.type];
  const fields = invoiceEvent
    ? invoiceEvent(checkWire(InvoiceEventWire, delivery))
    : PAYOUT_EVENTS.has(delivery.type)
      ? payoutEvent(checkWire(PayoutEventWire, delivery), delivery.type)
      : { ...nothing, type: "unhandled" as const };
  return {
    eventId: delivery.originalDeliveryId ?? delivery.deliveryId,
    channelType: delivery.type,
    occurredAt: delivery.timestamp * 1000,
    ...fields,
  };
}
