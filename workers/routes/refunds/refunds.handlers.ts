import { ApiError, conflict, invalidRequest, notFound } from "../../../shared/errors";
import { paymentStub } from "../../../shared/payments/stub";
import { paymentNoOfRefund, type RefundOutcome, type RefundRecord } from "../../../shared/refunds/refund";
import { listRefunds as queryRefunds } from "../../../shared/refunds/refund-queries";
import { ownerOf } from "../../app-env";
import { createdRange } from "../../openapi/list";
import type { AppRouteHandler } from "../../openapi/router";
import type * as routes from "./refunds.routes";
import { rowToRefundJson, toRefundJson } from "./refunds.schemas";

export function refundOrThrow(outcome: RefundOutcome, paymentNo: string): RefundRecord {
  switch (outcome.kind) {
    case "created":
    case "existing":
      return outcome.refund;
    case "not_found":
      throw new ApiError(404, "invalid_request_error", "resource_missing", `No such payment: '${paymentNo}'.`, "payment_no");
    case "unexpected_state":
      throw conflict("payment_unexpected_state", outcome.message, "payment_no");
    case "amount_too_large":
      throw invalidRequest(
        "amount_too_large",
        `The refund exceeds what is left to refund on this payment (${outcome.available} minor units).`,
        "amount",
      );
  }
}

export const createRefund: AppRouteHandler<typeof routes.createRefund> = async (c) => {
  const body = c.req.valid("json");
  const stub = paymentStub(c.env, body.payment_no);
  if (!stub) throw notFound("payment", body.payment_no);
  const outcome = await stub.createRefund(ownerOf(c.get("auth")), {
    amount: body.amount,
    reason: body.reason ?? null,
    metadata: body.metadata ?? {},
  });
  return c.json(toRefundJson(refundOrThrow(outcome, body.payment_no)), 201);
};

export const getRefund: AppRouteHandler<typeof routes.getRefund> = async (c) => {
  const { refundNo } = c.req.valid("param");
  const paymentNo = paymentNoOfRefund(refundNo);
  const stub = paymentNo ? paymentStub(c.env, paymentNo) : null;
  const refund = stub ? await stub.getRefund(ownerOf(c.get("auth")), refundNo) : null;
  if (!refund) throw notFound("refund", refundNo);
  return c.json(toRefundJson(refund), 200);
};

export const listRefunds: AppRouteHandler<typeof routes.listRefunds> = async (c) => {
  const q = c.req.valid("query");
  const auth = c.get("auth");
  const page = await queryRefunds(
    c.env.DB,
    { merchantId: auth.merchant.id, livemode: auth.livemode, paymentNo: q.payment_no, status: q.status, ...createdRange(q) },
    { limit: q.limit, startingAfter: q.starting_after, endingBefore: q.ending_before },
  );
  return c.json({ object: "list" as const, data: page.data.map(rowToRefundJson), has_more: page.hasMore }, 200);
};
