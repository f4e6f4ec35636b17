import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentDO } from "../../durable-objects/payment";
import {
  api,
  createMerchant,
  createPayment,
  errorOf,
  getPayment,
  uniqueOrderNo,
  type PaymentJson,
} from "./helpers";


describe("POST /api/v1/payments", () => {
  it("takes the seed's request body verbatim", async () => {
    const m = await createMerchant();
    const res = await api("/api/v1/payments", {
      key: m.testKey,
      body: {
        merchant_id: m.id,
        order_no: "ORD20240115001",
        amount: 10000,
        currency: "USD",
        customer_email: "test@example.com",
        customer_name: "John Doe",
        description: "Test payment",
        notify_url: "https://example.com/webhook",
        return_url: "https://example.com/success",
      },
    });
    expect(res.status).toBe(201);
    const payment = await res.json<PaymentJson>();
    expect(payment).toMatchObject({
      object: "payment",
      order_no: "ORD20240115001",
      amount: 10000,
      currency: "USD",
      status: "pending",
      channel: "sandbox",
      customer_email: "test@example.com",
      livemode: false,
    });
    expect(payment.payment_no).toMatch(/^PY[0-9A-Z]{24}$/);
    expect(payment.client_secret).toMatch(/^sbpi_\d+_[A-Za-z0-9]{20}_secret_/);
    expect(Date.parse(payment.created_at)).not.toBeNaN();
  });

  it("reads a payment back at once from its Durable Object", async () => {
    const m = await createMerchant();
    const created = await (await createPayment(m.testKey, { metadata: { cart: "c1" } })).json<PaymentJson>();
    const read = await getPayment(m.testKey, created.payment_no);
    expect(read).toMatchObject({ payment_no: created.payment_no, metadata: { cart: "c1" } });
  });

  it("answers the existing payment for the same order, and 409 for another amount or currency", async () => {
    const m = await createMerchant();
    const orderNo = uniqueOrderNo();
    const first = await createPayment(m.testKey, { order_no: orderNo });
    const again = await createPayment(m.testKey, { order_no: orderNo });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect((await again.json<PaymentJson>()).payment_no).toBe((await first.json<PaymentJson>()).payment_no);
    expect(await errorOf(await createPayment(m.testKey, { order_no: orderNo, amount: 10001 }))).toMatchObject({
      status: 409,
      code: "payment_order_conflict",
      param: "order_no",
    });
    expect(await errorOf(await createPayment(m.testKey, { order_no: orderNo, currency: "EUR" }))).toMatchObject({
      status: 409,
      code: "payment_order_conflict",
    });
  });

  it("makes one payment for 20 concurrent creates of one order", async () => {
    const m = await createMerchant();
    const orderNo = uniqueOrderNo();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => createPayment(m.testKey, { order_no: orderNo })),
    );
    const bodies = await Promise.all(responses.map((r) => r.json<PaymentJson>()));
    expect(new Set(bodies.map((b) => b.payment_no)).size).toBe(1);
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(19);
    const transitions = await runInDurableObject(
      env.PAYMENT.get(env.PAYMENT.idFromName(bodies[0]!.payment_no)),
      (instance: PaymentDO) => instance.transitions(),
    );
    expect(transitions.filter((t) => t.from === null)).toHaveLength(1);
  });

  it("keeps the same order_no of two merchants, and of test and live mode, apart", async () => {
    const a = await createMerchant();
    const b = await createMerchant();
    const orderNo = uniqueOrderNo();
    const pa = await (await createPayment(a.testKey, { order_no: orderNo })).json<PaymentJson>();
    const pb = await (await createPayment(b.testKey, { order_no: orderNo, amount: 5 })).json<PaymentJson>();
    expect(pa.payment_no).not.toBe(pb.payment_no);
    expect(pb.amount).toBe(5);
  });

  it("refuses a merchant_id that is not the key's merchant with 403, naming both", async () => {
    const a = await createMerchant();
    const b = await createMerchant();
    const res = await createPayment(a.testKey, { merchant_id: b.id });
    expect(await errorOf(res)).toMatchObject({
      status: 403,
      code: "merchant_mismatch",
      param: "merchant_id",
      message: `merchant_id '${b.id}' is not the merchant of this API key ('${a.id}').`,
    });
  });

  it("refuses the sandbox in live mode", async () => {
    const m = await createMerchant();
    expect(await errorOf(await createPayment(m.liveKey))).toMatchObject({ status: 400, code: "channel_unavailable" });
  });

  it("refuses a payment_method the channel does not know, before recording anything", async () => {
    const m = await createMerchant();
    const orderNo = uniqueOrderNo();
    const res = await createPayment(m.testKey, { order_no: orderNo, payment_method: "pm_card_visa" });
    expect(await errorOf(res)).toMatchObject({ status: 400, code: "payment_method_unsupported", param: "payment_method" });
    // the order is still free: a valid create now makes the payment
    expect((await createPayment(m.testKey, { order_no: orderNo })).status).toBe(201);
  });

  it.each([
    [{ amount: 0 }, "parameter_invalid", "amount"],
    [{ amount: 12.5 }, "parameter_invalid", "amount"],
    [{ currency: "ABC" }, "currency_unsupported", "currency"],
    [{ amount: 100_000_000 }, "amount_too_large", "amount"],
    [{ order_no: "" }, "parameter_invalid", "order_no"],
    [{ order_no: "has space" }, "parameter_invalid", "order_no"],
    [{ notify_url: "ftp://example.com/x" }, "parameter_invalid", "notify_url"],
    [{ metadata: { k: 5 } }, "parameter_invalid", "metadata.k"],
    [{ channel: "paypal-ish" }, "parameter_invalid", "channel"],
    [{ extra: true }, "parameter_unknown", "extra"],
  ])("refuses %j with %s on %s", async (override, code, param) => {
    const m = await createMerchant();
    expect(await errorOf(await createPayment(m.testKey, override))).toMatchObject({ status: 400, code, param });
  });
});

describe("Idempotency-Key on payments", () => {
  it("does the work once for 50 concurrent creates with one key, with identical answers", async () => {
    const m = await createMerchant();
    const body = { order_no: uniqueOrderNo(), amount: 2500, currency: "EUR" };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => createPayment(m.testKey, body, { "Idempotency-Key": "pay-once" })),
    );
    const texts = await Promise.all(responses.map((r) => r.text()));
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(texts).size).toBe(1);
    expect(responses.filter((r) => r.headers.get("Idempotent-Replayed") === "true")).toHaveLength(49);
  });

  it("treats the same parameters in another key order as the same request", async () => {
    const m = await createMerchant();
    const orderNo = uniqueOrderNo();
    const headers = { "Idempotency-Key": "pay-order" };
    const a = await api("/api/v1/payments", {
      key: m.testKey,
      headers,
      body: `{"order_no":"${orderNo}","amount":700,"currency":"USD"}`,
    });
    const b = await api("/api/v1/payments", {
      key: m.testKey,
      headers,
      body: `{ "currency": "USD", "amount": 700, "order_no": "${orderNo}" }`,
    });
    expect(b.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await b.text()).toBe(await a.text());
  });

  it("refuses one key with another body with 400 idempotency_key_reused", async () => {
    const m = await createMerchant();
    const headers = { "Idempotency-Key": "pay-reuse" };
    expect((await createPayment(m.testKey, { amount: 100 }, headers)).status).toBe(201);
    expect(await errorOf(await createPayment(m.testKey, { amount: 200 }, headers))).toMatchObject({
      status: 400,
      code: "idempotency_key_reused",
    });
  });
});
