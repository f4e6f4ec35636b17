import { listOpenReviews } from "../../../shared/payments/payment-queries";
import { ownerOf } from "../../app-env";
import type { AppRouteHandler } from "../../openapi/router";
import { paymentOrThrow } from "../payments/payment-outcome";
import { ownPaymentStub } from "../payments/payments.handlers";
import { rowToPaymentJson, toPaymentJson } from "../payments/payments.schemas";
import type * as routes from "./reviews.routes";

export const listReviews: AppRouteHandler<typeof routes.listReviews> = async (c) => {
  const q = c.req.valid("query");
  const page = await listOpenReviews(c.env.DB, ownerOf(c.get("auth")), { limit: q.limit, startingAfter: q.starting_after, endingBefore: q.ending_before });
  return c.json({ object: "list" as const, data: page.data.map(rowToPaymentJson), has_more: page.hasMore }, 200);
};

const closing = (verdict: "approve" | "reject"): AppRouteHandler<typeof routes.approveReview> => async (c) => {
  const { paymentNo } = c.req.valid("param");
  const outcome = await ownPaymentStub(c.env, paymentNo).closeReview(ownerOf(c.get("auth")), verdict, { type: "api", id: c.get("requestId") });
  return c.json(toPaymentJson(paymentOrThrow(outcome, paymentNo)), 200);
};

export const approveReview = closing("approve");
export const rejectReview = closing("reject");
