// What each channel's client makes of an outage, against its emulator's failure conditions: the
// platform fails over at once only on an outage that proves the channel did nothing
// (`notProcessed`: it answered 429 or 503); on one of unknown outcome (a cut connection, another
// 5xx) it must first learn whether the payment was made. Each test sets the condition on an
// account of its own and sets it back to up, so test files running beside it are not disturbed.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ChannelError, type CreatePaymentRequest } from "../../shared/channels/adapter";
import { BTCPayAdapter } from "../../shared/channels/btcpay/adapter";
import { channelErrorOf as btcpayErrorOf } from "../../shared/channels/btcpay/transformers";
import { PayPalAdapter } from "../../shared/channels/paypal/adapter";
import { channelErrorOf as paypalErrorOf } from "../../shared/channels/paypal/transformers";
import { StripeAdapter } from "../../shared/channels/stripe/adapter";
import { btcpay } from "./btcpay-emulator";
import { paypal } from "./paypal-emulator";
import { stripe } from "./stripe-emulator";

let payments = 0;
const request = (currency = "EUR"): CreatePaymentRequest => {
  const no = `PY${Date.now().toString(36).toUpperCase()}OUT${(payments += 1)}`;
  return {
    paymentNo: no,
    merchantId: "mch_outages",
    livemode: false,
    amount: 4200,
    currency,
    paymentMethod: null,
    description: null,
    customerEmail: null,
    returnUrl: `https://payments.test/return/${no}`,
    cancelUrl: `https://payments.test/cancel/${no}`,
    idempotencyKey: `${no}:attempt-1`,
  };
};

/** The ChannelError `promise` rejects with. */
async function channelErrorOf(promise: Promise<unknown>): Promise<ChannelError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

describe("Stripe outages", () => {
  /** An adapter on a Stripe account of this test's own, and its key. */
  async function ownAccount() {
    const apiKey = `sk_test_outages_${crypto.randomUUID().replaceAll("-", "")}`;
    await stripe.addAccount({ api_key: apiKey, webhook_secret: "whsec_outages" });
    return { apiKey, adapter: new StripeAdapter({ apiKey, webhookSecret: "whsec_outages", publishableKey: null, apiBase: env.STRIPE_API_BASE || null }) };
  }
  const intentsOf = async (paymentNo: string) => (await stripe.paymentIntents()).filter((pi) => pi.metadata.payment_no === paymentNo);

  it("down: a 503 after the SDK's retries is an outage that proves nothing was made (notProcessed)", async () => {
    const { apiKey, adapter } = await ownAccount();
    const req = request();
    await stripe.setCondition({ api_key: apiKey, mode: "down" });
    try {
      const error = await channelErrorOf(adapter.createPayment(req));
      expect(error).toMatchObject({ code: "stripe_apierror", status: 502, notProcessed: true });
      expect(await intentsOf(req.paymentNo)).toEqual([]);
    } finally {
      await stripe.setCondition({ api_key: apiKey, mode: "up" });
    }
  });

  it("decline_retriable: a 402 processing_error, the decline Stripe's own table calls retriable", async () => {
    const { apiKey, adapter } = await ownAccount();
    await stripe.setCondition({ api_key: apiKey, mode: "decline_retriable" });
    try {
      const error = await channelErrorOf(adapter.createPayment(request()));
      expect(error).toMatchObject({ code: "processing_error", status: 402, notProcessed: false });
    } finally {
      await stripe.setCondition({ api_key: apiKey, mode: "up" });
    }
  });

  it("timeout_after_charge: the SDK's retry replays the key and answers the PaymentIntent made; a later create with the key finds the same one", async () => {
    const { apiKey, adapter } = await ownAccount();
    const req = request();
    await stripe.setCondition({ api_key: apiKey, mode: "timeout_after_charge" });
    const created = await adapter.createPayment(req).finally(() => stripe.setCondition({ api_key: apiKey, mode: "up" }));
    expect((await adapter.createPayment(req)).id).toBe(created.id);
    expect((await intentsOf(req.paymentNo)).map((pi) => pi.id)).toEqual([created.id]);
    // the cut try, then the SDK's replay, then the later create: one key throughout
    const creates = (await stripe.requests()).filter((r) => r.path === "/v1/payment_intents" && r.params.metadata?.payment_no === req.paymentNo);
    expect(creates.length).toBeGreaterThanOrEqual(3);
    expect(new Set(creates.map((r) => r.idempotency_key))).toEqual(new Set([req.idempotencyKey]));
  });
});

describe("PayPal outages", () => {
  async function ownAccount() {
    const config = await paypal.addAccount();
    return { config, adapter: new PayPalAdapter(config) };
  }
  const ordersOf = async (paymentNo: string) => (await paypal.orders()).filter((order) => order.purchase_units[0]!.reference_id === paymentNo);
  const createsOf = async (req: CreatePaymentRequest) =>
    (await paypal.requests()).filter((r) => r.method === "POST" && r.path === "/v2/checkout/orders" && r.headers["paypal-request-id"] === req.idempotencyKey);

  it("down: 503 on every try is an outage that proves no order was made (notProcessed)", async () => {
    const { config, adapter } = await ownAccount();
    const req = request();
    await paypal.setCondition({ clientId: config.clientId, mode: "down" });
    try {
      const error = await channelErrorOf(adapter.createPayment(req));
      expect(error).toMatchObject({ code: "paypal_unavailable", status: 502, notProcessed: true });
      expect(error.message).toMatch(/503/);
      expect(await ordersOf(req.paymentNo)).toEqual([]);
      // the create carries a PayPal-Request-Id, so it was tried three times
      expect(await createsOf(req)).toHaveLength(3);
    } finally {
      await paypal.setCondition({ clientId: config.clientId, mode: "up" });
    }
  });

  it("timeout_after_charge: the retry with the same PayPal-Request-Id answers the order made; a later create finds the same one", async () => {
    const { config, adapter } = await ownAccount();
    const req = request();
    await paypal.setCondition({ clientId: config.clientId, mode: "timeout_after_charge" });
    try {
      const created = await adapter.createPayment(req);
      expect(created.status).toBe("requires_action");
      expect((await adapter.createPayment(req)).id).toBe(created.id);
      expect((await ordersOf(req.paymentNo)).map((order) => order.id)).toEqual([created.id]);
      expect(await createsOf(req)).toHaveLength(3);
    } finally {
      await paypal.setCondition({ clientId: config.clientId, mode: "up" });
    }
  });

  it("a 503 after a try that answered 500 proves nothing: the first may have taken effect", async () => {
    const { adapter } = await ownAccount();
    const { id } = await adapter.createPayment(request());
    const path = `/v2/checkout/orders/${id}`;
    await paypal.failNext({ path, method: "GET", status: 503, count: 3 });
    expect(await channelErrorOf(adapter.getPayment(id))).toMatchObject({ code: "paypal_unavailable", status: 502, notProcessed: true });
    await paypal.failNext({ path, method: "GET", status: 500, count: 1 });
    await paypal.failNext({ path, method: "GET", status: 503, count: 2 });
    expect(await channelErrorOf(adapter.getPayment(id))).toMatchObject({ code: "paypal_unavailable", status: 502, notProcessed: false });
  });
});

describe("BTCPay outages", () => {
  async function ownStore() {
    const config = await btcpay.addStore();
    return { config, adapter: new BTCPayAdapter(config) };
  }
  const invoiceCreates = async (storeId: string) => (await btcpay.requests()).filter((r) => r.method === "POST" && r.path === `/api/v1/stores/${storeId}/invoices`);

  it("down: a 503 is an outage that proves no invoice was made (notProcessed)", async () => {
    const { config, adapter } = await ownStore();
    const req = request("USD");
    await btcpay.setCondition({ storeId: config.storeId, mode: "down" });
    try {
      const error = await channelErrorOf(adapter.createPayment(req));
      expect(error).toMatchObject({ code: "btcpay_unavailable", status: 502, notProcessed: true });
      const listed = await fetch(`${config.serverUrl}/api/v1/stores/${config.storeId}/invoices?orderId=${req.paymentNo}`, { headers: { Authorization: `token ${config.apiKey}` } });
      expect(await listed.json()).toEqual([]);
    } finally {
      await btcpay.setCondition({ storeId: config.storeId, mode: "up" });
    }
  });

  it("timeout_after_charge: a cut create is an outage of unknown outcome; the same create again finds the invoice made, without a second POST", async () => {
    const { config, adapter } = await ownStore();
    const req = request("USD");
    await btcpay.setCondition({ storeId: config.storeId, mode: "timeout_after_charge" });
    try {
      const error = await channelErrorOf(adapter.createPayment(req));
      // BTCPay takes no idempotency key: its POST is never repeated blind
      expect(error).toMatchObject({ code: "btcpay_unavailable", status: 502, notProcessed: false });
      const found = await adapter.createPayment(req);
      expect(found.status).toBe("requires_action");
      const listed = await fetch(`${config.serverUrl}/api/v1/stores/${config.storeId}/invoices?orderId=${req.paymentNo}`, { headers: { Authorization: `token ${config.apiKey}` } });
      expect((await listed.json<Array<{ id: string }>>()).map((invoice) => invoice.id)).toEqual([found.id]);
      expect(await invoiceCreates(config.storeId)).toHaveLength(1);
    } finally {
      await btcpay.setCondition({ storeId: config.storeId, mode: "up" });
    }
  });
});

describe("outage classification of PayPal and BTCPay answers", () => {
  it.each([
    [429, true],
    [503, true],
    [500, false],
    [502, false],
    [504, false],
  ])("%i: notProcessed %s", (status, notProcessed) => {
    expect(paypalErrorOf(status, null, "POST /v2/checkout/orders")).toMatchObject({ code: "paypal_unavailable", status: 502, notProcessed });
    expect(btcpayErrorOf(status, null, "POST /api/v1/stores/S/invoices")).toMatchObject({ code: "btcpay_unavailable", status: 502, notProcessed });
  });
});
