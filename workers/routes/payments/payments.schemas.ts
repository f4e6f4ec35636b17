import { z } from "@hono/zod-openapi";
import ipaddr from "ipaddr.js";
import { CHANNELS } from "../../../shared/channels/registry";
import { countrySchema } from "../../../shared/countries";
import type { payments } from "../../../shared/db/schema";
import { checkAmountCeiling, currencySchema, minorUnitsSchema } from "../../../shared/money/amount";
import { CAUSE_TYPES, type PaymentRecord, type Transition } from "../../../shared/payments/payment";
import { PAYMENT_STATUSES } from "../../../shared/payments/state-machine";
import { isoTime, toIso } from "../../openapi/schemas";
import { paymentJson, viewFromRow } from "../../../shared/payments/payment-json";
import { RiskSchema } from "../risk/rules.schemas";
import { RoutingSchema } from "../routing/routing.schemas";

export const httpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .max(2048);

export const metadataSchema = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((m) => Object.keys(m).length <= 50, "at most 50 keys")
  .openapi({ example: { cart_id: "c_123" }, description: "Up to 50 string keys (≤40 chars) and values (≤500)." });

export const orderNoSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:#/-]+$/, "letters, digits and _ . : # / - only")
  .openapi({ example: "ORD20240115001", description: "The merchant's order number: one payment per order." });

export const paymentMethodSchema = z.string().min(1).max(100).openapi({ example: "pm_sandbox_success" });

/** The buyer's country: routing rules may read it; it is not stored on the payment. */
export const customerCountry = countrySchema.optional().openapi({ description: "The buyer's country, ISO 3166-1 alpha-2 (DE), for routing rules. Not stored." });

/** The buyer's IP address, for risk rules and velocity counters; kept on the payment, shown in its JSON. */
export const customerIp = z
  .string()
  .max(45)
  .refine((value) => ipaddr.isValid(value), "must be an IPv4 or IPv6 address")
  // one spelling per address, so a counter keyed by it counts every payment from it
  .transform((value) => ipaddr.process(value).toString())
  .optional()
  .openapi({ example: "203.0.113.7", description: "The buyer's IP address, for risk rules (:customer_ip:) and velocity counters." });

/** The buyer's language (BCP 47): receipts are in Chinese for zh*, in English otherwise. */
export const languageSchema = z
  .string()
  .max(35)
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, "must be a BCP 47 language tag such as en, en-US, zh, zh-CN or zh-Hans")
  .openapi({ example: "zh-CN", description: "The buyer's language (BCP 47): the receipt emails are in Chinese for zh*, in English otherwise." });

export const CreatePaymentBody = z
  .strictObject({
    merchant_id: z.string().optional().openapi({ description: "If given, must be the API key's merchant." }),
    order_no: orderNoSchema,
    amount: minorUnitsSchema,
    currency: currencySchema,
    customer_email: z.email().max(320).optional().openapi({ example: "test@example.com" }),
    customer_name: z.string().max(200).optional().openapi({ example: "John Doe" }),
    description: z.string().max(1000).optional().openapi({ example: "Test payment" }),
    notify_url: httpUrl.optional().openapi({ example: "https://example.com/webhook" }),
    return_url: httpUrl.optional().openapi({ example: "https://example.com/success" }),
    channel: z.enum(CHANNELS).optional().openapi({ description: "Default: the active routing configuration's choice, else sandbox in test mode." }),
    payment_method: paymentMethodSchema.optional(),
    customer_country: customerCountry,
    customer_ip: customerIp,
    language: languageSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .superRefine(checkAmountCeiling)
  .openapi("CreatePaymentRequest");

const FailureSchema = z.object({ code: z.string(), message: z.string() }).openapi("Failure");

export const NextActionSchema = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("redirect_to_url"),
      redirect_to_url: z.object({ url: z.string().openapi({ description: "Send the buyer's browser here (a channel's approval or checkout page)." }) }),
    }),
    z.object({
      type: z.literal("use_client_sdk"),
      use_client_sdk: z.object({
        sdk: z.string().openapi({ example: "stripe.js" }),
        client_secret: z.string(),
        publishable_key: z.string().nullable(),
      }),
    }),
  ])
  .openapi("NextAction", {
    description:
      "What the merchant's page does while the payment waits on its buyer: redirect_to_url, or " +
      "use_client_sdk (confirm with the channel's client SDK, e.g. Stripe.js, using client_secret and publishable_key). Null in lists.",
  });

const PaymentExceptionSchema = z
  .object({
    code: z.enum(["underpaid", "overpaid", "paid_late"]).openapi({
      description: "underpaid: paid in part, then expired; overpaid: paid more than asked; paid_late: paid after it expired.",
    }),
    message: z.string(),
    amount: z.number().int().nullable().openapi({
      description: "Minor units of the payment's currency: what was paid (underpaid, paid_late) or paid over (overpaid); null until the channel has said.",
    }),
    currency: z.string(),
    recorded_at: isoTime,
  })
  .openapi("PaymentException");

const AttemptSchema = z
  .object({
    attempt_no: z.number().int().openapi({ example: 1 }),
    channel: z.string().openapi({ example: "sandbox" }),
    status: z.enum(["pending", "requires_action", "processing", "succeeded", "failed", "cancelled"]),
    failure: FailureSchema.nullable().openapi({ description: "Why it failed: an outage at the channel, or its decline." }),
    latency_ms: z.number().int().nullable().openapi({ description: "How long the channel took to answer the create; null until it answered." }),
    created_at: isoTime,
    updated_at: isoTime,
  })
  .openapi("PaymentAttempt", { description: "One try of the payment at one channel, with its own idempotency key there." });

export const PaymentSchema = z
  .object({
    object: z.literal("payment"),
    payment_no: z.string().openapi({ example: "PY8W3K0QJ5ZP2M7R9T1V4X6Y8A" }),
    merchant_id: z.string(),
    order_no: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    status: z.enum(PAYMENT_STATUSES),
    channel: z.string(),
    payment_method: z.string().nullable(),
    client_secret: z.string().nullable().openapi({ description: "For the channel's client SDK; null in lists." }),
    next_action: NextActionSchema.nullable(),
    customer_email: z.string().nullable(),
    customer_name: z.string().nullable(),
    description: z.string().nullable(),
    notify_url: z.string().nullable(),
    return_url: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    refunded_amount: z.number().int(),
    failure: FailureSchema.nullable(),
    livemode: z.boolean(),
    paid_at: isoTime.nullable(),
    disputed_at: isoTime.nullable(),
    exceptions: z.array(PaymentExceptionSchema).openapi({
      description: "Money that did not go as asked, for the merchant to settle with the buyer; empty for nearly every payment.",
    }),
    routing: RoutingSchema.nullable(),
    customer_ip: z.string().nullable(),
    language: z.string().nullable().openapi({ description: "The buyer's language (BCP 47), as the create gave it; null when it gave none." }),
    review: z
      .object({ status: z.enum(["open", "approved", "rejected"]), opened_at: isoTime, closed_at: isoTime.nullable() })
      .nullable()
      .openapi({ description: "The risk review a review rule opened: open until a reviewer approves or rejects the payment; null in lists and without one." }),
    risk: RiskSchema.nullable().openapi({ description: "What the risk rules decided before any channel was called; null in lists (read the payment) and on payments from before risk rules." }),
    attempts: z.array(AttemptSchema).nullable().openapi({
      description: "One per channel tried, oldest first; the last is the current one, whose channel is the payment's. Null in lists (read the payment).",
    }),
    created_at: isoTime,
    updated_at: isoTime,
  })
  .openapi("Payment");

export type PaymentJson = z.infer<typeof PaymentSchema>;

export const toPaymentJson = (p: PaymentRecord): PaymentJson => paymentJson(p);
export const rowToPaymentJson = (r: typeof payments.$inferSelect): PaymentJson => paymentJson(viewFromRow(r));

export const PaymentTransitionSchema = z
  .object({
    from: z.enum(PAYMENT_STATUSES).nullable().openapi({ description: "null for the move that made the payment." }),
    to: z.enum(PAYMENT_STATUSES),
    cause: z
      .object({
        type: z.enum(CAUSE_TYPES),
        id: z.string().openapi({
          example: "req_4Fh2Kx9TqW1nB7cZ0pLm",
          description:
            "The request id (api, return), the channel's event id (webhook), what the channel answered (channel, sync: " +
            "its object's id or error code), the rule that blocked the payment (risk).",
        }),
      })
      .openapi({ description: "What moved the payment: an API request, a channel webhook, a channel's answer, a status sync, the buyer's return from the channel, a risk rule." }),
    at: isoTime,
  })
  .openapi("PaymentTransition");

export const transitionJson = (t: Transition): z.infer<typeof PaymentTransitionSchema> => ({
  from: t.from,
  to: t.to,
  cause: t.cause,
  at: toIso(t.at),
});
