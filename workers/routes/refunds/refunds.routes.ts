import { createRoute, z } from "@hono/zod-openapi";
import { REFUND_STATUSES } from "../../../shared/refunds/refund";
import { listOf, listQuery } from "../../openapi/list";
import { bearerSecurity, errorResponses, idempotencyHeaders, jsonBody, jsonContent } from "../../openapi/route-helpers";
import { ErrorSchema } from "../../openapi/schemas";
import { CreateRefundBody, RefundSchema } from "./refunds.schemas";

const tags = ["Refunds"];

export const createRefund = createRoute({
  method: "post",
  path: "/api/v1/refunds",
  tags,
  summary: "Refund all or part of a succeeded payment",
  description:
    "Reserves the amount at once (concurrent refunds never sum past the captured amount) and " +
    "answers pending; the channel call runs through a queue and the channel's webhook settles it.",
  security: bearerSecurity,
  request: { headers: idempotencyHeaders, ...jsonBody(CreateRefundBody) },
  responses: {
    201: jsonContent(RefundSchema, "The refund, pending."),
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
    409: jsonContent(ErrorSchema, "payment_unexpected_state: the payment is not succeeded or partially refunded."),
  },
});

export const getRefund = createRoute({
  method: "get",
  path: "/api/v1/refunds/{refundNo}",
  tags,
  summary: "Retrieve a refund (from its payment's Durable Object: always current)",
  security: bearerSecurity,
  request: { params: z.object({ refundNo: z.string() }) },
  responses: {
    200: jsonContent(RefundSchema, "The refund."),
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export const listRefunds = createRoute({
  method: "get",
  path: "/api/v1/refunds",
  tags,
  summary: "List refunds, newest first (from the D1 projection)",
  security: bearerSecurity,
  request: {
    query: z.strictObject({
      ...listQuery,
      payment_no: z.string().min(1).optional(),
      status: z.enum(REFUND_STATUSES).optional(),
    }),
  },
  responses: {
    200: jsonContent(listOf(RefundSchema, "RefundList"), "A page of refunds."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});
