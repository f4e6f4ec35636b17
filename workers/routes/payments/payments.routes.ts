import { createRoute, z } from "@hono/zod-openapi";
import { CHANNELS } from "../../../shared/channels/registry";
import { PAYMENT_STATUSES } from "../../../shared/payments/state-machine";
import { listOf, listQuery } from "../../openapi/list";
import {
  bearerSecurity,
  errorResponses,
  idempotencyHeaders,
  jsonBody,
  jsonContent,
  noParameters,
} from "../../openapi/route-helpers";
import { ErrorSchema } from "../../openapi/schemas";
import { CreatePaymentBody, PaymentSchema, PaymentTransitionSchema } from "./payments.schemas";

const tags = ["Payments"];
const paymentParams = z.object({ paymentNo: z.string().openapi({ example: "PY8W3K0QJ5ZP2M7R9T1V4X6Y8A" }) });

export const createPayment = createRoute({
  method: "post",
  path: "/api/v1/payments",
  tags,
  summary: "Create a payment (one per merchant and order_no)",
  description:
    "Records the payment, routes it to a channel and answers what the customer's client needs " +
    "(client_secret, or next_action for channels that redirect). Creating again for the same " +
    "order_no with the same amount and currency answers the existing payment (200).",
  security: bearerSecurity,
  request: { headers: idempotencyHeaders, ...jsonBody(CreatePaymentBody) },
  responses: {
    201: jsonContent(PaymentSchema, "The new payment."),
    200: jsonContent(PaymentSchema, "The payment this order already has."),
    400: errorResponses[400],
    401: errorResponses[401],
    402: jsonContent(ErrorSchema, "risk_blocked: a risk rule blocked the payment (recorded, failed); the error names the rule and carries the payment."),
    403: jsonContent(ErrorSchema, "merchant_id is not the API key's merchant."),
    409: jsonContent(ErrorSchema, "order_no already has a payment with another amount or currency."),
    502: jsonContent(ErrorSchema, "The channel could not be reached; retrying is safe."),
  },
});

export const getPayment = createRoute({
  method: "get",
  path: "/api/v1/payments/{paymentNo}",
  tags,
  summary: "Retrieve a payment (read from its Durable Object: always current)",
  security: bearerSecurity,
  request: { params: paymentParams },
  responses: {
    200: jsonContent(PaymentSchema, "The payment."),
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export const getPaymentTimeline = createRoute({
  method: "get",
  path: "/api/v1/payments/{paymentNo}/timeline",
  tags,
  summary: "Every status move of a payment, oldest first, with its cause (from its Durable Object)",
  description:
    "The first move (from null) made the payment. Moves a channel reports as one outcome are recorded " +
    "step by step: succeeded arriving while pending shows pending → processing → succeeded.",
  security: bearerSecurity,
  request: { params: paymentParams },
  responses: {
    200: jsonContent(listOf(PaymentTransitionSchema, "PaymentTimeline"), "The moves, oldest first; has_more is always false."),
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export const listPayments = createRoute({
  method: "get",
  path: "/api/v1/payments",
  tags,
  summary: "List payments, newest first (from the D1 projection)",
  security: bearerSecurity,
  request: {
    query: z.strictObject({
      ...listQuery,
      status: z.enum(PAYMENT_STATUSES).optional(),
      order_no: z.string().min(1).optional(),
      channel: z.enum(CHANNELS).optional(),
      customer_email: z
        .string()
        .min(1)
        .max(320)
        .optional()
        .openapi({ example: "test@example.com", description: "The whole email, in any case of its ASCII letters." }),
    }),
  },
  responses: {
    200: jsonContent(listOf(PaymentSchema, "PaymentList"), "A page of payments."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const cancelPayment = createRoute({
  method: "post",
  path: "/api/v1/payments/{paymentNo}/cancel",
  tags,
  summary: "Cancel a payment that is pending or requires action",
  security: bearerSecurity,
  request: { params: paymentParams, headers: idempotencyHeaders, ...noParameters },
  responses: {
    200: jsonContent(PaymentSchema, "The cancelled payment."),
    401: errorResponses[401],
    404: errorResponses[404],
    409: jsonContent(ErrorSchema, "payment_unexpected_state: the payment can no longer be cancelled."),
  },
});
