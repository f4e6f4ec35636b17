import { outgoingTraceparent } from "../../../shared/observability/log-context";
import { ApiError, conflict, invalidRequest, notFound } from "../../../shared/errors";
import { priceItems, type OrderCause, type OrderOutcome, type OrderRecord } from "../../../shared/orders/order";
import { orderJson } from "../../../shared/orders/order-json";
import { orderNoFor, orderStub } from "../../../shared/orders/order-no";
import { listOrders as queryOrders } from "../../../shared/orders/order-queries";
import { paymentNoFor } from "../../../shared/payments/payment-no";
import { checkMerchantId, ownerOf } from "../../app-env";
import { createdRange } from "../../openapi/list";
import { paramPath } from "../../openapi/validation";
import type { AppRouteHandler } from "../../openapi/router";
import { assessRisk } from "../../../shared/risk/assess";
import { paymentOrThrow, refuseBlocked, riskAskOf } from "../payments/payment-outcome";
import { decidedFor, resolvePaymentRoute } from "../payments/payment-route";
import { toPaymentJson } from "../payments/payments.schemas";
import { refundOrThrow } from "../refunds/refunds.handlers";
import { toRefundJson } from "../refunds/refunds.schemas";
import type * as routes from "./orders.routes";

function ownOrderStub(env: Env, orderNo: string) {
  const stub = orderStub(env, orderNo);
  if (!stub) throw notFound("order", orderNo);
  return stub;
}

/** OrderDO answers with outcomes, not exceptions (errors lose their shape crossing RPC). */
function orderOrThrow(outcome: OrderOutcome, orderNo: string): OrderRecord {
  switch (outcome.kind) {
    case "created":
    case "existing":
      return outcome.order;
    default:
      throw orderFailure(outcome, orderNo);
  }
}

/** The answer to an order outcome that is a refusal. */
function orderFailure(outcome: Exclude<OrderOutcome, { kind: "created" | "existing" }>, orderNo: string): ApiError {
  switch (outcome.kind) {
    case "not_found":
      return notFound("order", orderNo);
    case "conflict":
      return conflict(
        "order_reference_conflict",
        `merchant_reference '${outcome.order.merchantReference}' already has order ${outcome.order.orderNo} ` +
          `for ${outcome.order.totalAmount} ${outcome.order.currency}; one reference has one order.`,
        "merchant_reference",
      );
    case "unexpected_state":
      return conflict("order_unexpected_state", outcome.message);
  }
}

const merchantCause = (requestId: string): OrderCause => ({ cause: `api:${requestId}`, actor: "merchant" });

export const createOrder: AppRouteHandler<typeof routes.createOrder> = async (c) => {
  const body = c.req.valid("json");
  const auth = c.get("auth");
  checkMerchantId(auth, body.merchant_id);
  const items = body.items.map((i) => ({ productId: i.product_id, productName: i.product_name, unitPrice: i.unit_price, quantity: i.quantity }));
  const priced = priceItems(body.currency, items);
  if ("problem" in priced) throw invalidRequest("amount_too_large", `${paramPath(priced.path)}: ${priced.problem}.`, paramPath(priced.path));
  const orderNo = await orderNoFor(auth.merchant.id, auth.livemode, body.merchant_reference);
  const outcome = await ownOrderStub(c.env, orderNo).create(
    {
      orderNo,
      merchantId: auth.merchant.id,
      livemode: auth.livemode,
      merchantReference: body.merchant_reference ?? null,
      customerEmail: body.customer_email,
      customerName: body.customer_name ?? null,
      currency: body.currency,
      items,
      shipping: body.shipping ?? null,
      metadata: body.metadata ?? {},
    },
    merchantCause(c.get("requestId")),
    outgoingTraceparent(),
  );
  return c.json(orderJson(orderOrThrow(outcome, orderNo)), outcome.kind === "created" ? 201 : 200);
};

export const getOrder: AppRouteHandler<typeof routes.getOrder> = async (c) => {
  const { orderNo } = c.req.valid("param");
  const order = await ownOrderStub(c.env, orderNo).get(ownerOf(c.get("auth")));
  if (!order) throw notFound("order", orderNo);
  return c.json(orderJson(order), 200);
};

export const listOrders: AppRouteHandler<typeof routes.listOrders> = async (c) => {
  const q = c.req.valid("query");
  const auth = c.get("auth");
  const page = await queryOrders(
    c.env.DB,
    { merchantId: auth.merchant.id, livemode: auth.livemode, status: q.status, customerEmail: q.customer_email, ...createdRange(q) },
    { limit: q.limit, startingAfter: q.starting_after, endingBefore: q.ending_before },
  );
  return c.json({ object: "list" as const, data: page.data.map(orderJson), has_more: page.hasMore }, 200);
};

export const cancelOrder: AppRouteHandler<typeof routes.cancelOrder> = async (c) => {
  const { orderNo } = c.req.valid("param");
  const outcome = await ownOrderStub(c.env, orderNo).cancel(ownerOf(c.get("auth")), merchantCause(c.get("requestId")));
  return c.json(orderJson(orderOrThrow(outcome, orderNo)), 200);
};

export const payOrder: AppRouteHandler<typeof routes.payOrder> = async (c) => {
  const { orderNo } = c.req.valid("param");
  const body = c.req.valid("json") ?? {};
  const auth = c.get("auth");
  const stub = ownOrderStub(c.env, orderNo);
  // another merchant's order is a 404 before anything is said about channels
  const order = await stub.get(ownerOf(auth));
  if (!order) throw notFound("order", orderNo);
  // the order's facts, and its first payment's number for a split: paying the order again keeps its leg
  const route = await resolvePaymentRoute(
    c.env,
    auth,
    { ...body, amount: order.totalAmount, currency: order.currency, metadata: order.metadata },
    await paymentNoFor(auth.merchant.id, auth.livemode, order.orderNo),
  );
  const risk = await assessRisk(
    c.env,
    ownerOf(auth),
    riskAskOf({ ...body, amount: order.totalAmount, currency: order.currency, customer_email: order.customerEmail ?? undefined, customer_name: order.customerName ?? undefined, metadata: order.metadata }, route.channel),
  );
  const paid = await stub.pay(
    ownerOf(auth),
    {
      paymentMethod: body.payment_method ?? null,
      notifyUrl: body.notify_url ?? null,
      returnUrl: body.return_url ?? null,
      customerIp: body.customer_ip ?? null,
      language: body.language ?? null,
      ...decidedFor(route, risk),
    },
    merchantCause(c.get("requestId")),
    outgoingTraceparent(),
  );
  if (paid.kind !== "payment") throw orderFailure(paid, orderNo);
  const payment = refuseBlocked(paymentOrThrow(paid.outcome, orderNo));
  return c.json(toPaymentJson(payment), paid.outcome.kind === "created" ? 201 : 200);
};

export const refundOrder: AppRouteHandler<typeof routes.refundOrder> = async (c) => {
  const { orderNo } = c.req.valid("param");
  const body = c.req.valid("json");
  const outcome = await ownOrderStub(c.env, orderNo).refund(ownerOf(c.get("auth")), { amount: body.amount, reason: body.reason });
  if (outcome.kind === "unexpected_state" && "order" in outcome) throw orderFailure(outcome, orderNo);
  if (outcome.kind === "not_found") throw notFound("order", orderNo);
  return c.json(toRefundJson(refundOrThrow(outcome as Parameters<typeof refundOrThrow>[0], orderNo)), 201);
};

export const shipOrder: AppRouteHandler<typeof routes.shipOrder> = async (c) => {
  const { orderNo } = c.req.valid("param");
  const body = c.req.valid("json");
  const outcome = await ownOrderStub(c.env, orderNo).ship(
    ownerOf(c.get("auth")),
    { carrier: body.carrier, trackingNo: body.tracking_no },
    merchantCause(c.get("requestId")),
  );
  return c.json(orderJson(orderOrThrow(outcome, orderNo)), 200);
};

export const completeOrder: AppRouteHandler<typeof routes.completeOrder> = async (c) => {
  const { orderNo } = c.req.valid("param");
  const outcome = await ownOrderStub(c.env, orderNo).complete(ownerOf(c.get("auth")), merchantCause(c.get("requestId")));
  return c.json(orderJson(orderOrThrow(outcome, orderNo)), 200);
};
