import { outgoingTraceparent } from "../../../shared/observability/log-context";
import type { z } from "@hono/zod-openapi";
import { notFound } from "../../../shared/errors";
import { paymentNoFor } from "../../../shared/payments/payment-no";
import { listPayments as queryPayments } from "../../../shared/payments/payment-queries";
import { paymentStub } from "../../../shared/payments/stub";
import { checkMerchantId, ownerOf } from "../../app-env";
import { createdRange } from "../../openapi/list";
import type { AppRouteHandler } from "../../openapi/router";
import { assessRisk } from "../../../shared/risk/assess";
import { paymentOrThrow, refuseBlocked, riskAskOf } from "./payment-outcome";
import { decidedFor, resolvePaymentRoute } from "./payment-route";
import type * as routes from "./payments.routes";
import { rowToPaymentJson, toPaymentJson, transitionJson } from "./payments.schemas";

export function ownPaymentStub(env: Env, paymentNo: string) {
  const stub = paymentStub(env, paymentNo);
  if (!stub) throw notFound("payment", paymentNo);
  return stub;
}

export const createPayment: AppRouteHandler<typeof routes.createPayment> = async (c) => {
  const body = c.req.valid("json");
  const auth = c.get("auth");
  checkMerchantId(auth, body.merchant_id);
  const paymentNo = await paymentNoFor(auth.merchant.id, auth.livemode, body.order_no);
  const route = await resolvePaymentRoute(c.env, auth, body, paymentNo);
  const risk = await assessRisk(c.env, ownerOf(auth), riskAskOf(body, route.channel));
  const outcome = await ownPaymentStub(c.env, paymentNo).create(
    {
      paymentNo,
      merchantId: auth.merchant.id,
      livemode: auth.livemode,
      orderNo: body.order_no,
      amount: body.amount,
      currency: body.currency,
      paymentMethod: body.payment_method ?? null,
      customerEmail: body.customer_email ?? null,
      customerName: body.customer_name ?? null,
      description: body.description ?? null,
      notifyUrl: body.notify_url ?? null,
      returnUrl: body.return_url ?? null,
      metadata: body.metadata ?? {},
      customerIp: body.customer_ip ?? null,
      language: body.language ?? null,
      ...decidedFor(route, risk),
    },
    { type: "api", id: c.get("requestId") },
    outgoingTraceparent(),
  );
  const payment = refuseBlocked(paymentOrThrow(outcome, paymentNo));
  return c.json(toPaymentJson(payment), outcome.kind === "created" ? 201 : 200);
};

export const getPayment: AppRouteHandler<typeof routes.getPayment> = async (c) => {
  const { paymentNo } = c.req.valid("param");
  const payment = await ownPaymentStub(c.env, paymentNo).get(ownerOf(c.get("auth")));
  if (!payment) throw notFound("payment", paymentNo);
  return c.json(toPaymentJson(payment), 200);
};

export const getPaymentTimeline: AppRouteHandler<typeof routes.getPaymentTimeline> = async (c) => {
  const { paymentNo } = c.req.valid("param");
  const transitions = await ownPaymentStub(c.env, paymentNo).timeline(ownerOf(c.get("auth")));
  if (!transitions) throw notFound("payment", paymentNo);
  return c.json({ object: "list" as const, data: transitions.map(transitionJson), has_more: false }, 200);
};

// The list's query and answer; the operators' list over every merchant (admin-payments.handlers.ts)
// reads and answers alike.

/** The list's query as the filters (but the owner) and the page it asks for. */
export function listRequest(q: z.output<typeof routes.listPayments.request.query>) {
  return {
    filters: { status: q.status, orderNo: q.order_no, channel: q.channel, customerEmail: q.customer_email, ...createdRange(q) },
    page: { limit: q.limit, startingAfter: q.starting_after, endingBefore: q.ending_before },
  };
}

export const paymentList = (page: Awaited<ReturnType<typeof queryPayments>>) => ({
  object: "list" as const,
  data: page.data.map(rowToPaymentJson),
  has_more: page.hasMore,
});

export const listPayments: AppRouteHandler<typeof routes.listPayments> = async (c) => {
  const auth = c.get("auth");
  const { filters, page } = listRequest(c.req.valid("query"));
  return c.json(paymentList(await queryPayments(c.env.DB, { merchantId: auth.merchant.id, livemode: auth.livemode, ...filters }, page)), 200);
};

export const cancelPayment: AppRouteHandler<typeof routes.cancelPayment> = async (c) => {
  const { paymentNo } = c.req.valid("param");
  const outcome = await ownPaymentStub(c.env, paymentNo).cancel(ownerOf(c.get("auth")), {
    type: "api",
    id: c.get("requestId"),
  });
  return c.json(toPaymentJson(paymentOrThrow(outcome, paymentNo)), 200);
};
