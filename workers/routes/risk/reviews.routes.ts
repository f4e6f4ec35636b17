import { createRoute, z } from "@hono/zod-openapi";
import { listOf, listQuery } from "../../openapi/list";
import { bearerSecurity, errorResponses, idempotencyHeaders, jsonContent, noParameters } from "../../openapi/route-helpers";
import { ErrorSchema } from "../../openapi/schemas";
import { PaymentSchema } from "../payments/payments.schemas";

const tags = ["Risk"];
const params = z.object({ paymentNo: z.string().openapi({ example: "PY7K3M9Q2R8T4V6X0Z1B5C7D9F" }) });

export const listReviews = createRoute({
  method: "get",
  path: "/api/v1/risk/reviews",
  tags,
  summary: "The review queue: payments a review rule flagged, still open, newest first",
  security: bearerSecurity,
  request: { query: z.strictObject({ limit: listQuery.limit, starting_after: listQuery.starting_after, ending_before: listQuery.ending_before }) },
  responses: { 200: jsonContent(listOf(PaymentSchema, "ReviewList"), "Open reviews (payments as lists show them)."), 400: errorResponses[400], 401: errorResponses[401] },
});

const close = (verdict: "approve" | "reject", summary: string) =>
  createRoute({
    method: "post",
    path: `/api/v1/risk/reviews/{paymentNo}/${verdict}`,
    tags,
    summary,
    security: bearerSecurity,
    request: { params, headers: idempotencyHeaders, ...noParameters },
    responses: {
      200: jsonContent(PaymentSchema, "The payment, its review closed."),
      401: errorResponses[401],
      404: errorResponses[404],
      409: jsonContent(ErrorSchema, "payment_unexpected_state: no open review, or a processing payment (reject it once it settles)."),
      502: jsonContent(ErrorSchema, "Rejecting: the channel could not be reached to cancel; retrying is safe."),
    },
  });

export const approveReview = close("approve", "Approve a flagged payment: nothing else changes");
export const rejectReview = close("reject", "Reject a flagged payment: cancelled if it still can be, else refunded in full");
