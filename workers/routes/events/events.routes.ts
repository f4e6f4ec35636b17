import { createRoute, z } from "@hono/zod-openapi";
import { EVENT_TYPES } from "../../../shared/events/event";
import { listOf, listQuery } from "../../openapi/list";
import { bearerSecurity, errorResponses, jsonContent, noParameters } from "../../openapi/route-helpers";
import { isoTime } from "../../openapi/schemas";
import { PaymentSchema } from "../payments/payments.schemas";
import { OrderSchema } from "../orders/orders.schemas";
import { RefundSchema } from "../refunds/refunds.schemas";

const tags = ["Events"];

export const EventSchema = z
  .object({
    id: z.string().openapi({ example: "evt_3xQm9L2vN0xR5tY1wZ3cMa7b" }),
    object: z.literal("event"),
    type: z.enum(EVENT_TYPES),
    created: isoTime,
    livemode: z.boolean(),
    payment_no: z.string().nullable().openapi({ description: "The payment a payment or refund event is about." }),
    refund_no: z.string().nullable(),
    order_no: z.string().nullable().openapi({ description: "The order an order event is about." }),
    data: z.object({ object: z.union([PaymentSchema, RefundSchema, OrderSchema]) }),
    delivery: z
      .object({
        status: z.enum(["pending", "delivered", "failed", "skipped"]),
        attempts: z.number().int(),
        delivered_at: isoTime.nullable(),
      })
      .openapi({ description: "Where the merchant notification stands; `skipped`: no URL to send it to." }),
  })
  .openapi("Event");

const AttemptSchema = z
  .object({
    attempt: z.number().int(),
    at: isoTime,
    url: z.string(),
    status_code: z.number().int().nullable(),
    latency_ms: z.number().int(),
    response_excerpt: z.string().nullable().openapi({ description: "The first 500 characters of the answer." }),
    error: z.string().nullable(),
  })
  .openapi("DeliveryAttempt");

export const listEvents = createRoute({
  method: "get",
  path: "/api/v1/events",
  tags,
  summary: "Events about the merchant's payments and refunds, newest first",
  security: bearerSecurity,
  request: {
    query: z.strictObject({
      ...listQuery,
      type: z.enum(EVENT_TYPES).optional(),
      payment_no: z.string().min(1).optional(),
      order_no: z.string().min(1).optional(),
    }),
  },
  responses: {
    200: jsonContent(listOf(EventSchema, "EventList"), "A page of events."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const getEvent = createRoute({
  method: "get",
  path: "/api/v1/events/{eventId}",
  tags,
  summary: "Retrieve an event",
  security: bearerSecurity,
  request: { params: z.object({ eventId: z.string() }) },
  responses: {
    200: jsonContent(EventSchema.extend({ attempts: z.array(AttemptSchema) }).openapi("EventWithAttempts"), "The event and its delivery attempts."),
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export const resendEvent = createRoute({
  method: "post",
  path: "/api/v1/events/{eventId}/resend",
  tags,
  summary: "Deliver the event to the merchant again (after a failure, or on request)",
  security: bearerSecurity,
  request: { params: z.object({ eventId: z.string() }), ...noParameters },
  responses: {
    202: jsonContent(EventSchema, "Queued for delivery."),
    401: errorResponses[401],
    404: errorResponses[404],
  },
});
