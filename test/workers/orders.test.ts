import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { OrderDO } from "../../durable-objects/order";
import { findCurrency } from "../../shared/money/currencies";
import type { OrderRecord } from "../../shared/orders/order";
import { ORDER_STATUSES, canMoveOrder, type OrderStatus } from "../../shared/orders/state-machine";
import type { PaymentSnapshot } from "../../shared/payments/payment";
import { TEST_RECEIVER_PORT } from "../constants";
import { api, createMerchant, errorOf, eventually, getPayment, paymentReaches, type PaymentJson } from "./helpers";

interface OrderJson {
  order_no: string;
  status: OrderStatus;
  total_amount: number;
  paid_amount: number;
  refunded_amount: number;
  payment_no: string | null;
  items: Array<{ product_id: string; unit_price: number; quantity: number; line_total: number }>;
  [key: string]: unknown;
}

const item = (unit_price: number, quantity = 1, product_id = "prod_1") => ({ product_id, product_name: "商品A", unit_price, quantity });

const createOrder = (key: string, body: Record<string, unknown> = {}) =>
  api("/api/v1/orders", { key, body: { customer_email: "test@example.com", currency: "USD", items: [item(10000)], ...body } });

async function newOrder(key: string, body: Record<string, unknown> = {}): Promise<OrderJson> {
  const res = await createOrder(key, body);
  if (res.status !== 201) throw new Error(`createOrder: ${res.status} ${await res.text()}`);
  return res.json<OrderJson>();
}

const getOrder = async (key: string, orderNo: string) => (await api(`/api/v1/orders/${orderNo}`, { key })).json<OrderJson>();
const orderReaches = (key: string, orderNo: string, status: OrderStatus) =>
  eventually(() => getOrder(key, orderNo), (o) => o.status === status);
const act = (key: string, orderNo: string, action: string, body?: unknown) =>
  api(`/api/v1/orders/${orderNo}/${action}`, { key, method: "POST", body });
const orderDO = (orderNo: string) => env.ORDER.get(env.ORDER.idFromName(orderNo));
const logsOf = (orderNo: string) => runInDurableObject(orderDO(orderNo), (o: OrderDO) => o.logs());

async function paidOrder(key: string, body: Record<string, unknown> = {}) {
  const order = await newOrder(key, body);
  const payment = await (await act(key, order.order_no, "pay")).json<PaymentJson>();
  await orderReaches(key, order.order_no, "paid");
  return { order, payment };
}

describe("order state machine (the table)", () => {
  // Written out independently of the table in shared/orders/state-machine.ts.
  const allowed = new Set([
    "pending→paid", "pending→cancelled",
    "paid→shipped", "paid→partially_refunded", "paid→refunded",
    "shipped→completed", "shipped→partially_refunded", "shipped→refunded",
    "completed→partially_refunded", "completed→refunded",
    "partially_refunded→refunded",
  ]);
  for (const from of ORDER_STATUSES) {
    for (const to of ORDER_STATUSES) {
      const key = `${from}→${to}`;
      it(`${key}: ${allowed.has(key) ? "allowed" : "forbidden"}`, () => {
        expect(canMoveOrder(from, to)).toBe(allowed.has(key));
      });
    }
  }
});

describe("POST /api/v1/orders", () => {
  it("takes the seed's curl body verbatim and computes the total", async () => {
    const m = await createMerchant();
    const res = await api("/api/v1/orders", {
      key: m.testKey,
      body: {
        merchant_id: m.id,
        customer_email: "test@example.com",
        customer_name: "John Doe",
        currency: "USD",
        items: [{ product_id: "prod_1", product_name: "商品A", unit_price: 10000, quantity: 1 }],
      },
    });
    expect(res.status).toBe(201);
    const order = await res.json<OrderJson>();
    expect(order).toMatchObject({
      object: "order",
      status: "pending",
      currency: "USD",
      total_amount: 10000,
      paid_amount: 0,
      customer_email: "test@example.com",
      items: [{ product_id: "prod_1", product_name: "商品A", unit_price: 10000, quantity: 1, line_total: 10000 }],
    });
    expect(order.order_no).toMatch(/^OR[0-9A-Z]{24}$/);
    expect(await getOrder(m.testKey, order.order_no)).toEqual(order);
    expect(await logsOf(order.order_no)).toMatchObject([{ from: null, to: "pending", actor: "merchant" }]);
  });

  it("sums line totals in integer minor units (JPY has no decimals)", async () => {
    const m = await createMerchant();
    const order = await newOrder(m.testKey, { currency: "jpy", items: [item(1980, 3, "a"), item(5, 7, "b"), item(0, 1, "gift")] });
    expect(order.currency).toBe("JPY");
    expect(order.items.map((i) => i.line_total)).toEqual([5940, 35, 0]);
    expect(order.total_amount).toBe(5975);
  });

  it("refuses totals past the currency's ceiling, quantities past the limit and empty orders", async () => {
    const m = await createMerchant();
    expect(await errorOf(await createOrder(m.testKey, { items: [item(Number.MAX_SAFE_INTEGER, 2)] }))).toMatchObject({
      status: 400,
      code: "amount_too_large",
      param: "items[0].quantity",
    });
    const half = Math.floor(findCurrency("USD")!.maxAmount / 2) + 1;
    expect(await errorOf(await createOrder(m.testKey, { items: [item(half), item(half)] }))).toMatchObject({
      status: 400,
      code: "amount_too_large",
      param: "items",
    });
    expect(await errorOf(await createOrder(m.testKey, { items: [item(100, 10_001)] }))).toMatchObject({ status: 400, param: "items[0].quantity" });
    expect(await errorOf(await createOrder(m.testKey, { items: [item(100, 1.5)] }))).toMatchObject({ status: 400, param: "items[0].quantity" });
    expect(await errorOf(await createOrder(m.testKey, { items: [] }))).toMatchObject({ status: 400, param: "items" });
    expect(await errorOf(await createOrder(m.testKey, { items: [item(0)] }))).toMatchObject({ status: 400, param: "items" });
    expect(await errorOf(await createOrder(m.testKey, { items: [item(-1)] }))).toMatchObject({ status: 400, param: "items[0].unit_price" });
    expect(await errorOf(await createOrder(m.testKey, { total_amount: 5 }))).toMatchObject({ status: 400 });
  });

  it("one merchant_reference is one order, even for concurrent creates; other items are a 409", async () => {
    const m = await createMerchant();
    const answers = await Promise.all(Array.from({ length: 10 }, () => createOrder(m.testKey, { merchant_reference: "REF-1" })));
    const orders = await Promise.all(answers.map((r) => r.json<OrderJson>()));
    expect(new Set(orders.map((o) => o.order_no)).size).toBe(1);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(await errorOf(await createOrder(m.testKey, { merchant_reference: "REF-1", items: [item(999)] }))).toMatchObject({
      status: 409,
      code: "order_reference_conflict",
    });
  });

  it("refuses a merchant_id that is not the key's merchant, naming both", async () => {
    const m = await createMerchant();
    expect(await errorOf(await createOrder(m.testKey, { merchant_id: "your-merchant-id" }))).toMatchObject({
      status: 403,
      code: "merchant_mismatch",
      param: "merchant_id",
      message: `merchant_id 'your-merchant-id' is not the merchant of this API key ('${m.id}').`,
    });
    expect((await createOrder(m.testKey, { merchant_id: m.id })).status).toBe(201);
  });
});

describe("paying an order", () => {
  it("pay → sandbox success → the order is paid, logged, projected and announced", async () => {
    const m = await createMerchant();
    const order = await newOrder(m.testKey);
    const res = await act(m.testKey, order.order_no, "pay");
    expect(res.status).toBe(201);
    const payment = await res.json<PaymentJson>();
    expect(payment).toMatchObject({ amount: 10000, currency: "USD", status: "pending", order_no: order.order_no });
    expect(payment.client_secret).toBeTruthy();
    const paid = await orderReaches(m.testKey, order.order_no, "paid");
    expect(paid).toMatchObject({ paid_amount: 10000, payment_no: payment.payment_no });
    expect((await logsOf(order.order_no)).map((l) => `${l.from}→${l.to}:${l.actor}`)).toEqual(["null→pending:merchant", "pending→paid:system"]);
    const listed = await eventually(
      async () => (await api(`/api/v1/orders?status=paid`, { key: m.testKey })).json<{ data: OrderJson[] }>(),
      (l) => l.data.length === 1,
    );
    expect(listed.data[0]).toMatchObject({ order_no: order.order_no, items: [{ line_total: 10000 }] });
    const events = await eventually(
      async () => (await api(`/api/v1/events?order_no=${order.order_no}`, { key: m.testKey })).json<{ data: Array<{ type: string; order_no: string }> }>(),
      (l) => l.data.length === 1,
    );
    expect(events.data[0]).toMatchObject({ type: "order.paid", order_no: order.order_no, payment_no: null });
  });

  it("paying twice, even at once, answers the same live payment", async () => {
    const m = await createMerchant();
    const order = await newOrder(m.testKey);
    const answers = await Promise.all(Array.from({ length: 5 }, () => act(m.testKey, order.order_no, "pay")));
    const payments = await Promise.all(answers.map((r) => r.json<PaymentJson>()));
    expect(new Set(payments.map((p) => p.payment_no)).size).toBe(1);
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    await orderReaches(m.testKey, order.order_no, "paid");
    const again = await act(m.testKey, order.order_no, "pay");
    expect(again.status).toBe(200);
    expect((await again.json<PaymentJson>()).payment_no).toBe(payments[0]!.payment_no);
  });

  it("a declined payment leaves the order pending, and paying again starts a new payment", async () => {
    const m = await createMerchant();
    const order = await newOrder(m.testKey);
    const first = await (await act(m.testKey, order.order_no, "pay", { payment_method: "pm_sandbox_declined" })).json<PaymentJson>();
    await paymentReaches(m.testKey, first.payment_no, "failed");
    expect((await getOrder(m.testKey, order.order_no)).status).toBe("pending");
    const second = await act(m.testKey, order.order_no, "pay");
    expect(second.status).toBe(201);
    const retry = await second.json<PaymentJson>();
    expect(retry.payment_no).not.toBe(first.payment_no);
    expect(retry.order_no).toBe(`${order.order_no}-2`);
    expect(await orderReaches(m.testKey, order.order_no, "paid")).toMatchObject({ payment_no: retry.payment_no });
  });

  it("duplicate and stale payment news mark the order paid exactly once", async () => {
    const m = await createMerchant();
    const { order, payment } = await paidOrder(m.testKey);
    const current = await getPayment(m.testKey, payment.payment_no);
    const snapshot: PaymentSnapshot = {
      paymentNo: payment.payment_no,
      orderLink: order.order_no,
      merchantId: m.id,
      livemode: false,
      status: "succeeded",
      amount: 10000,
      refundedAmount: 0,
      paidAt: Date.parse(current.paid_at as string),
      version: 1,
    };
    await runInDurableObject(orderDO(order.order_no), async (o: OrderDO) => {
      await o.syncPayment(snapshot); // stale (an old version)
      await o.syncPayment({ ...snapshot, version: 1000 });
      await o.syncPayment({ ...snapshot, version: 1000 }); // the same news again
    });
    const logs = await logsOf(order.order_no);
    expect(logs.filter((l) => l.to === "paid")).toHaveLength(1);
    expect((await getOrder(m.testKey, order.order_no)).status).toBe("paid");
  });

  it("refuses to pay a cancelled order", async () => {
    const m = await createMerchant();
    const order = await newOrder(m.testKey);
    expect((await act(m.testKey, order.order_no, "cancel")).status).toBe(200);
    expect(await errorOf(await act(m.testKey, order.order_no, "pay"))).toMatchObject({ status: 409, code: "order_unexpected_state" });
  });
});

describe("refunding an order", () => {
  it("a partial refund then a full one: partially_refunded, then refunded (with order.refunded)", async () => {
    const m = await createMerchant();
    const { order, payment } = await paidOrder(m.testKey);
    const partial = await act(m.testKey, order.order_no, "refund", { amount: 3000, reason: "requested_by_customer" });
    expect(partial.status).toBe(201);
    expect(await partial.json()).toMatchObject({ payment_no: payment.payment_no, amount: 3000, metadata: { order_no: order.order_no } });
    expect(await orderReaches(m.testKey, order.order_no, "partially_refunded")).toMatchObject({ refunded_amount: 3000 });
    expect(await errorOf(await act(m.testKey, order.order_no, "refund", { amount: 7001, reason: "too much" }))).toMatchObject({
      status: 400,
      code: "amount_too_large",
    });
    expect((await act(m.testKey, order.order_no, "refund", { reason: "requested_by_customer" })).status).toBe(201);
    expect(await orderReaches(m.testKey, order.order_no, "refunded")).toMatchObject({ refunded_amount: 10000 });
    expect((await logsOf(order.order_no)).map((l) => l.to)).toEqual(["pending", "paid", "partially_refunded", "refunded"]);
    const events = await eventually(
      async () => (await api(`/api/v1/events?order_no=${order.order_no}`, { key: m.testKey })).json<{ data: Array<{ type: string }> }>(),
      (l) => l.data.length === 2,
    );
    expect(events.data.map((e) => e.type)).toEqual(["order.refunded", "order.paid"]);
    expect(await errorOf(await act(m.testKey, order.order_no, "refund", { reason: "again" }))).toMatchObject({ status: 409 });
  });

  it("refuses to refund an order that is not paid", async () => {
    const m = await createMerchant();
    const order = await newOrder(m.testKey);
    expect(await errorOf(await act(m.testKey, order.order_no, "refund", { reason: "x" }))).toMatchObject({ status: 409, code: "order_unexpected_state" });
  });
});

describe("cancel, ship, complete", () => {
  it("cancels a pending order (twice is harmless) and refuses after payment", async () => {
    const m = await createMerchant();
    const order = await newOrder(m.testKey);
    const cancelled = await (await act(m.testKey, order.order_no, "cancel")).json<OrderJson>();
    expect(cancelled).toMatchObject({ status: "cancelled" });
    expect((await act(m.testKey, order.order_no, "cancel")).status).toBe(200);
    const { order: paid } = await paidOrder(m.testKey);
    expect(await errorOf(await act(m.testKey, paid.order_no, "cancel"))).toMatchObject({ status: 409, code: "order_unexpected_state" });
  });

  it("a payment that succeeds for a cancelled order is refunded automatically", async () => {
    const m = await createMerchant();
    const order = await newOrder(m.testKey);
    const payment = await (await act(m.testKey, order.order_no, "pay", { payment_method: "pm_sandbox_processing" })).json<PaymentJson>();
    await paymentReaches(m.testKey, payment.payment_no, "processing");
    expect((await act(m.testKey, order.order_no, "cancel")).status).toBe(200); // the payment could not be stopped
    expect((await api(`/api/v1/sandbox/payments/${payment.payment_no}/confirm`, { key: m.testKey, method: "POST" })).status).toBe(200);
    const refunded = await paymentReaches(m.testKey, payment.payment_no, "refunded");
    expect(refunded.refunded_amount).toBe(10000);
    expect((await getOrder(m.testKey, order.order_no)).status).toBe("cancelled");
  });

  it("ships a paid order and completes a shipped one; any other move is a 409", async () => {
    const m = await createMerchant();
    const pending = await newOrder(m.testKey);
    const shipment = { carrier: "UPS", tracking_no: "1Z999AA10123456784" };
    expect(await errorOf(await act(m.testKey, pending.order_no, "ship", shipment))).toMatchObject({ status: 409, code: "order_unexpected_state" });
    expect(await errorOf(await act(m.testKey, pending.order_no, "complete"))).toMatchObject({ status: 409 });
    const { order } = await paidOrder(m.testKey);
    expect(await errorOf(await act(m.testKey, order.order_no, "ship", { carrier: "UPS" }))).toMatchObject({ status: 400, param: "tracking_no" });
    const shipped = await (await act(m.testKey, order.order_no, "ship", shipment)).json<OrderJson>();
    expect(shipped).toMatchObject({ status: "shipped", carrier: "UPS", tracking_no: "1Z999AA10123456784" });
    expect(shipped.shipped_at).toBeTruthy();
    const completed = await (await act(m.testKey, order.order_no, "complete")).json<OrderJson>();
    expect(completed).toMatchObject({ status: "completed" });
    expect(await errorOf(await act(m.testKey, order.order_no, "complete"))).toMatchObject({ status: 409 });
    // a completed order can still be refunded
    expect((await act(m.testKey, order.order_no, "refund", { amount: 100, reason: "damaged" })).status).toBe(201);
    await orderReaches(m.testKey, order.order_no, "partially_refunded");
  });

  it("OrderStore refuses a step the table does not allow", async () => {
    const m = await createMerchant();
    const order = await newOrder(m.testKey);
    await runInDurableObject(orderDO(order.order_no), async (_: OrderDO, state) => {
      const { OrderStore } = await import("../../durable-objects/order-store");
      const store = new OrderStore(state.storage, env);
      const record = store.load() as OrderRecord;
      expect(() => store.commit(record, [{ from: "pending", to: "shipped", cause: "test", actor: "merchant", at: Date.now() }])).toThrow(/not in the table/);
      expect((store.load() as OrderRecord).status).toBe("pending");
    });
  });
});

describe("order notifications", () => {
  it("delivers order.paid then order.refunded to the merchant's endpoint, in order, signed", async () => {
    const m = await createMerchant();
    const name = `orders${Date.now()}`;
    const url = `http://127.0.0.1:${TEST_RECEIVER_PORT}/hooks/${name}`;
    const put = await api("/api/v1/merchant/webhook-endpoint", { key: m.testKey, method: "PUT", body: { url, events: ["order.paid", "order.refunded"] } });
    expect(put.status).toBeLessThan(300);
    const { order } = await paidOrder(m.testKey);
    expect((await act(m.testKey, order.order_no, "refund", { reason: "requested_by_customer" })).status).toBe(201);
    const received = await eventually(
      async () => (await fetch(`http://127.0.0.1:${TEST_RECEIVER_PORT}/_control/${name}`)).json<Array<{ headers: Record<string, string>; body: string }>>(),
      (r) => r.length === 2,
      15_000,
    );
    const bodies = received.map((r) => JSON.parse(r.body) as { type: string; order_no: string; data: { object: { status: string } } });
    expect(bodies.map((b) => `${b.type}:${b.data.object.status}`)).toEqual(["order.paid:paid", "order.refunded:refunded"]);
    expect(bodies.every((b) => b.order_no === order.order_no)).toBe(true);
    expect(received[0]!.headers["x-payment-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });
});

describe("orders: lists and isolation", () => {
  it("lists newest first with status and customer_email filters and cursors", async () => {
    const m = await createMerchant();
    const a = await newOrder(m.testKey, { customer_email: "a@example.com" });
    const b = await newOrder(m.testKey, { customer_email: "b@example.com" });
    const c = await newOrder(m.testKey, { customer_email: "a@example.com" });
    await act(m.testKey, c.order_no, "cancel");
    const all = await eventually(
      async () => (await api("/api/v1/orders?limit=2", { key: m.testKey })).json<{ data: OrderJson[]; has_more: boolean }>(),
      (l) => l.data.length === 2 && l.data[0]!.status === "cancelled",
    );
    expect(all.data.map((o) => o.order_no)).toEqual([c.order_no, b.order_no]);
    expect(all.has_more).toBe(true);
    const next = await (await api(`/api/v1/orders?limit=2&starting_after=${b.order_no}`, { key: m.testKey })).json<{ data: OrderJson[]; has_more: boolean }>();
    expect(next.data.map((o) => o.order_no)).toEqual([a.order_no]);
    const byEmail = await (await api("/api/v1/orders?customer_email=a@example.com&status=pending", { key: m.testKey })).json<{ data: OrderJson[] }>();
    expect(byEmail.data.map((o) => o.order_no)).toEqual([a.order_no]);
    expect(await errorOf(await api("/api/v1/orders?status=lost", { key: m.testKey }))).toMatchObject({ status: 400, param: "status" });
  });

  it("another merchant (or the other mode) cannot see or act on an order", async () => {
    const owner = await createMerchant();
    const other = await createMerchant();
    const { order } = await paidOrder(owner.testKey);
    for (const key of [other.testKey, owner.liveKey]) {
      expect((await api(`/api/v1/orders/${order.order_no}`, { key })).status).toBe(404);
      for (const [action, body] of [["pay", undefined], ["cancel", undefined], ["complete", undefined], ["refund", { reason: "x" }], ["ship", { carrier: "c", tracking_no: "t" }]] as const) {
        expect((await act(key, order.order_no, action, body)).status).toBe(404);
      }
      const listed = await (await api("/api/v1/orders", { key })).json<{ data: OrderJson[] }>();
      expect(listed.data.map((o) => o.order_no)).not.toContain(order.order_no);
    }
    expect((await api("/api/v1/orders/not-an-order", { key: owner.testKey })).status).toBe(404);
  });
});
