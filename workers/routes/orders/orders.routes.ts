import { createRoute, z } from "@hono/zod-openapi";
import { ORDER_STATUSES } from "../../../shared/orders/state-machine";
import { listOf, listQuery } from "../../openapi/list";
import { bearerSecurity, errorResponses, idempotencyHeaders, jsonBody, jsonContent, noParameters } from "../../openapi/route-helpers";
import { ErrorSchema } from "../../openapi/schemas";
import { PaymentSchema } from "../payments/payments.schemas";
import { RefundSchema } from "../refunds/refunds.schemas";
import { CreateOrderBody, OrderSchema, PayOrderBody, RefundOrderBody, ShipOrderBody } from "./orders.schemas";

const tags = ["Orders"];
const orderParams = z.object({ orderNo: z.string().openapi({ example: "OR8W3K0QJ5ZP2M7R9T1V4X6Y8A" }) });
const wrongState = (what: string) => jsonContent(ErrorSchema, `order_unexpected_state: ${what}`);

export const createOrder = createRoute({
  method: "post",
  path: "/api/v1/orders",
  tags,
  summary: "Create an order (totals computed by the platform in minor units)",
  description:
    "Computes each line total (unit_price × quantity) and the order total in integer minor units, " +
    "refusing any that pass the currency's ceiling. With merchant_reference, creating again answers " +
    "the existing order (200), or 409 if its items or currency differ.",
  security: bearerSecurity,
  request: { headers: idempotencyHeaders, ...jsonBody(CreateOrderBody) },
  responses: {
    201: jsonContent(OrderSchema, "The new order, pending."),
    200: jsonContent(OrderSchema, "The order this merchant_reference already has."),
    400: errorResponses[400],
    401: errorResponses[401],
    403: jsonContent(ErrorSchema, "merchant_id is not the API key's merchant."),
    409: jsonContent(ErrorSchema, "merchant_reference already has an order with other items or currency."),
  },
});

export const getOrder = createRoute({
  method: "get",
  path: "/api/v1/orders/{orderNo}",
  tags,
  summary: "Retrieve an order (read from its Durable Object: always current)",
  security: bearerSecurity,
  request: { params: orderParams },
  responses: { 200: jsonContent(OrderSchema, "The order."), 401: errorResponses[401], 404: errorResponses[404] },
});

export const listOrders = createRoute({
  method: "get",
  path: "/api/v1/orders",
  tags,
  summary: "List orders, newest first (from the D1 projection)",
  security: bearerSecurity,
  request: {
    query: z.strictObject({
      ...listQuery,
      status: z.enum(ORDER_STATUSES).optional(),
      customer_email: z.string().min(1).max(320).optional(),
    }),
  },
  responses: {
    200: jsonContent(listOf(OrderSchema, "OrderList"), "A page of orders."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const cancelOrder = createRoute({
  method: "post",
  path: "/api/v1/orders/{orderNo}/cancel",
  tags,
  summary: "Cancel an order before it is paid",
  security: bearerSecurity,
  request: { params: orderParams, headers: idempotencyHeaders, ...noParameters },
  responses: {
    200: jsonContent(OrderSchema, "The cancelled order."),
    401: errorResponses[401],
    404: errorResponses[404],
    409: wrongState("the order is paid (refund it instead)."),
  },
});

export const payOrder = createRoute({
  method: "post",
  path: "/api/v1/orders/{orderNo}/pay",
  tags,
  summary: "Pay an order through the gateway (paying twice answers the same live payment)",
  security: bearerSecurity,
  request: { params: orderParams, headers: idempotencyHeaders, ...jsonBody(PayOrderBody, false) },
  responses: {
    201: jsonContent(PaymentSchema, "The order's new payment: client_secret or next_action."),
    200: jsonContent(PaymentSchema, "The order's live payment."),
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
    409: wrongState("the order is cancelled."),
    502: jsonContent(ErrorSchema, "The channel could not be reached; retrying is safe."),
  },
});

export const refundOrder = createRoute({
  method: "post",
  path: "/api/v1/orders/{orderNo}/refund",
  tags,
  summary: "Refund a paid order through its payment (all that is left, or `amount`)",
  security: bearerSecurity,
  request: { params: orderParams, headers: idempotencyHeaders, ...jsonBody(RefundOrderBody) },
  responses: {
    201: jsonContent(RefundSchema, "The refund, pending until the channel settles it; the order follows."),
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
    409: wrongState("the order is not paid."),
  },
});

export const shipOrder = createRoute({
  method: "post",
  path: "/api/v1/orders/{orderNo}/ship",
  tags,
  summary: "Mark a paid order shipped",
  security: bearerSecurity,
  request: { params: orderParams, headers: idempotencyHeaders, ...jsonBody(ShipOrderBody) },
  responses: {
    200: jsonContent(OrderSchema, "The shipped order."),
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
    409: wrongState("only a paid order can be shipped."),
  },
});

export const completeOrder = createRoute({
  method: "post",
  path: "/api/v1/orders/{orderNo}/complete",
  tags,
  summary: "Mark a shipped order completed",
  security: bearerSecurity,
  request: { params: orderParams, headers: idempotencyHeaders, ...noParameters },
  responses: {
    200: jsonContent(OrderSchema, "The completed order."),
    401: errorResponses[401],
    404: errorResponses[404],
    409: wrongState("only a shipped order can be completed."),
  },
});
