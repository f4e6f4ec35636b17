import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TEST_STRIPE } from "../constants";
import {
  api,
  createMerchant,
  createPayment,
  errorOf,
  eventually,
  getPayment,
  paymentReaches,
  type PaymentJson,
} from "./helpers";
import { forwardWebhooks, postStripeEvent, stripe } from "./stripe-emulator";

const piOf = (payment: PaymentJson) => payment.client_secret!.split("_secret_")[0]!;

async function stripePayment(key: string, body: Record<string, unknown> = {}) {
  const res = await createPayment(key, { channel: "stripe", amount: 2000, currency: "USD", ...body });
  return { res, payment: await res.json<PaymentJson>() };
}

const requestsFor = async (paymentNo: string) =>
  (await stripe.requests()).filter((r) => r.params.metadata?.payment_no === paymentNo);

describe("Stripe adapter against the emulator", () => {
  it("creates a PaymentIntent with the payment's idempotency key and answers Stripe.js's next action (client_secret, publishable key)", async () => {
    const m = await createMerchant();
    const { res, payment } = await stripePayment(m.testKey, { description: "Test payment", customer_email: "a@example.com" });
    expect(res.status).toBe(201);
    expect(payment).toMatchObject({
      channel: "stripe",
      status: "pending",
      next_action: { type: "use_client_sdk", use_client_sdk: { sdk: "stripe.js", client_secret: payment.client_secret, publishable_key: TEST_STRIPE.publishableKey } },
    });
    expect(payment).not.toHaveProperty("publishable_key");
    expect(payment.client_secret).toMatch(/^pi_\w+_secret_\w+$/);
    const [request] = await requestsFor(payment.payment_no);
    expect(request).toMatchObject({
      method: "POST",
      path: "/v1/payment_intents",
      idempotency_key: `${payment.payment_no}:attempt-1`,
      params: {
        amount: "2000",
        currency: "usd",
        description: "Test payment",
        receipt_email: "a@example.com",
        automatic_payment_methods: { enabled: "true" },
        metadata: { payment_no: payment.payment_no, merchant_id: m.id },
      },
    });
  });

  it.each([
    ["USD", 1999, "1999"],
    ["EUR", 50, "50"],
    ["JPY", 500, "500"],
    ["KRW", 1000, "1000"],
    ["ISK", 500, "50000"],
    ["BHD", 1230, "1230"],
    ["KWD", 5000, "5000"],
  ])("sends %s %i minor units to Stripe as amount=%s", async (currency, amount, sent) => {
    const m = await createMerchant();
    const { payment } = await stripePayment(m.testKey, { currency, amount });
    expect(payment.amount).toBe(amount);
    const [request] = await requestsFor(payment.payment_no);
    expect(request!.params).toMatchObject({ amount: sent, currency: currency.toLowerCase() });
  });

  it("refuses a three-decimal amount Stripe cannot charge, and the payment fails", async () => {
    const m = await createMerchant();
    const res = await createPayment(m.testKey, { channel: "stripe", currency: "BHD", amount: 1235 });
    expect(await errorOf(res)).toMatchObject({ status: 400, type: "channel_error", code: "amount_precision_unsupported" });
  });

  it("maps Stripe's 4xx to a clear error without retrying", async () => {
    const m = await createMerchant();
    const body = { channel: "stripe", amount: 10, currency: "USD", order_no: "too-small-1" };
    expect(await errorOf(await createPayment(m.testKey, body))).toMatchObject({ status: 400, code: "amount_too_small" });
    const paymentNo = (await (await createPayment(m.testKey, body)).json<PaymentJson>()).payment_no;
    expect(await getPayment(m.testKey, paymentNo)).toMatchObject({ status: "failed", failure: { code: "amount_too_small" } });
    expect(await requestsFor(paymentNo)).toHaveLength(1);
  });

  it.each([500, 429])("retries a %i and creates exactly one PaymentIntent", async (status) => {
    const m = await createMerchant();
    await stripe.failNext(status, 1);
    const { res, payment } = await stripePayment(m.testKey);
    expect(res.status).toBe(201);
    const requests = await requestsFor(payment.payment_no);
    expect(requests).toHaveLength(2);
    expect(new Set(requests.map((r) => r.idempotency_key))).toEqual(new Set([`${payment.payment_no}:attempt-1`]));
    const intents = (await stripe.paymentIntents()).filter((pi) => pi.metadata.payment_no === payment.payment_no);
    expect(intents.map((pi) => pi.id)).toEqual([piOf(payment)]);
  });

  it("answers 502 when Stripe stays down, and a later retry of the order succeeds without a second PaymentIntent", async () => {
    const m = await createMerchant();
    // a 500 leaves the outcome unknown, so the platform asks again with the same key before it
    // answers: the SDK's three tries, twice
    await stripe.failNext(500, 6);
    const body = { channel: "stripe", amount: 2000, currency: "USD", order_no: `down-${Date.now()}` };
    expect(await errorOf(await createPayment(m.testKey, body))).toMatchObject({ status: 502 });
    const again = await createPayment(m.testKey, body);
    expect(again.status).toBe(200);
    const payment = await again.json<PaymentJson>();
    expect(payment.client_secret).toMatch(/^pi_/);
    expect((await stripe.paymentIntents()).filter((pi) => pi.metadata.payment_no === payment.payment_no)).toHaveLength(1);
  });
});

describe("Stripe webhooks", () => {
  it.each([
    ["succeed", "succeeded"],
    ["require_action", "requires_action"],
    ["process", "processing"],
  ] as const)("payment_intent event after %s moves the payment to %s", async (action, status) => {
    const m = await createMerchant();
    const { payment } = await stripePayment(m.testKey);
    await stripe.drive(piOf(payment), action);
    const responses = await forwardWebhooks(piOf(payment));
    expect(responses.map((r) => r.status)).toEqual([200]);
    await paymentReaches(m.testKey, payment.payment_no, status);
  });

  it("payment_intent.payment_failed fails the payment with the decline", async () => {
    const m = await createMerchant();
    const { payment } = await stripePayment(m.testKey);
    await stripe.drive(piOf(payment), "fail");
    await forwardWebhooks(piOf(payment));
    const failed = await paymentReaches(m.testKey, payment.payment_no, "failed");
    expect(failed.failure).toMatchObject({ code: "card_declined" });
  });

  it("cancelling cancels the PaymentIntent; its payment_intent.canceled event is then a no-op", async () => {
    const m = await createMerchant();
    const { payment } = await stripePayment(m.testKey);
    const res = await api(`/api/v1/payments/${payment.payment_no}/cancel`, { key: m.testKey, method: "POST" });
    expect((await res.json<PaymentJson>()).status).toBe("cancelled");
    const [ack] = await forwardWebhooks(piOf(payment));
    expect(ack!.status).toBe(200);
    await eventually(
      async () => (await env.DB.prepare("SELECT status FROM payment_callbacks WHERE payment_no = ?").bind(payment.payment_no).all()).results,
      (rows) => rows.length === 1 && rows[0]!.status === "ignored",
    );
  });

  it("charge.dispute.created records the dispute, found through the PaymentIntent id", async () => {
    const m = await createMerchant();
    const { payment } = await stripePayment(m.testKey);
    await stripe.drive(piOf(payment), "succeed");
    await forwardWebhooks(piOf(payment));
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");
    await eventually(
      async () => env.DB.prepare("SELECT channel_payment_id FROM payments WHERE payment_no = ?").bind(payment.payment_no).first(),
      (row) => row?.channel_payment_id === piOf(payment),
    );
    const res = await postStripeEvent({
      id: `evt_dispute_${Date.now()}`,
      type: "charge.dispute.created",
      data: { object: { id: "dp_1", object: "dispute", amount: 2000, charge: "ch_1", payment_intent: piOf(payment), reason: "fraudulent", status: "needs_response", metadata: {} } },
    });
    expect(res.status).toBe(200);
    await eventually(() => getPayment(m.testKey, payment.payment_no), (p) => p.disputed_at !== null);
  });

  it("stores and acknowledges an event type it does not act on", async () => {
    const id = `evt_customer_${Date.now()}`;
    const res = await postStripeEvent({ id, type: "customer.created", data: { object: { id: "cus_1", object: "customer" } } });
    expect(await res.json()).toMatchObject({ received: true, event_id: id });
    await eventually(
      async () => env.DB.prepare("SELECT status FROM payment_callbacks WHERE event_id = ?").bind(id).first(),
      (row) => row?.status === "ignored",
    );
  });

  it.each([
    ["a tampered body", { tamper: true }, "webhook_signature_invalid"],
    ["the wrong secret", { secret: "whsec_not_ours" }, "webhook_signature_invalid"],
    ["a stale timestamp", { at: Date.now() - 400_000 }, "webhook_timestamp_stale"],
  ])("refuses %s (Stripe-Signature verified by the SDK)", async (_label, options, code) => {
    const id = `evt_bad_${Date.now()}_${code}`;
    const res = await postStripeEvent({ id, type: "customer.created", data: { object: { id: "cus_2" } } }, options);
    expect(await errorOf(res)).toMatchObject({ status: 400, code });
    expect(await env.DB.prepare("SELECT 1 FROM payment_callbacks WHERE event_id = ?").bind(id).first()).toBeNull();
  });
});

describe("refunds through Stripe", () => {
  async function succeeded(key: string) {
    const { payment } = await stripePayment(key, { amount: 5000 });
    await stripe.drive(piOf(payment), "succeed");
    await forwardWebhooks(piOf(payment));
    return paymentReaches(key, payment.payment_no, "succeeded");
  }

  const stripeRefundFor = (refundNo: string) =>
    eventually(
      async () => (await stripe.refunds()).find((r) => r.metadata.refund_no === refundNo),
      (r) => r !== undefined,
    );

  it("refunds through the channel-calls queue and settles by refund webhooks", async () => {
    const m = await createMerchant();
    const payment = await succeeded(m.testKey);
    const created = await (await api("/api/v1/refunds", { key: m.testKey, body: { payment_no: payment.payment_no, amount: 1500, reason: "requested_by_customer" } })).json<{ refund_no: string; status: string }>();
    expect(created.status).toBe("pending");
    const stripeRefund = (await stripeRefundFor(created.refund_no))!;
    expect(stripeRefund).toMatchObject({ amount: 1500, status: "pending" });
    const call = (await stripe.requests()).find((r) => r.path === "/v1/refunds" && r.params.metadata?.refund_no === created.refund_no);
    expect(call).toMatchObject({ idempotency_key: created.refund_no, params: { reason: "requested_by_customer", payment_intent: piOf(payment) } });

    await stripe.settleRefund(stripeRefund.id, "succeed");
    await forwardWebhooks(stripeRefund.id);
    await eventually(
      async () => (await api(`/api/v1/refunds/${created.refund_no}`, { key: m.testKey })).json<{ status: string }>(),
      (r) => r.status === "succeeded",
    );
    expect(await getPayment(m.testKey, payment.payment_no)).toMatchObject({ status: "partially_refunded", refunded_amount: 1500 });
  });

  it("a refund Stripe fails is released", async () => {
    const m = await createMerchant();
    const payment = await succeeded(m.testKey);
    const created = await (await api("/api/v1/refunds", { key: m.testKey, body: { payment_no: payment.payment_no } })).json<{ refund_no: string }>();
    const stripeRefund = (await stripeRefundFor(created.refund_no))!;
    await stripe.settleRefund(stripeRefund.id, "fail");
    await forwardWebhooks(stripeRefund.id);
    await eventually(
      async () => (await api(`/api/v1/refunds/${created.refund_no}`, { key: m.testKey })).json<{ status: string }>(),
      (r) => r.status === "failed",
    );
    expect(await getPayment(m.testKey, payment.payment_no)).toMatchObject({ status: "succeeded", refunded_amount: 0 });
    expect((await api("/api/v1/refunds", { key: m.testKey, body: { payment_no: payment.payment_no } })).status).toBe(201);
  });
});

describe("GET /api/v1/channels", () => {
  it("lists each channel with its currencies and whether it serves the key's mode", async () => {
    const m = await createMerchant();
    type Channel = { channel: string; configured: boolean; modes: string[]; currencies: string[]; payment_methods: string[] | null; merchant_credentials: boolean };
    const test = await (await api("/api/v1/channels", { key: m.testKey })).json<{ data: Channel[] }>();
    // BTCPay has no platform account: a merchant connects its own store
    expect(test.data.map((c) => [c.channel, c.configured])).toEqual([["sandbox", true], ["stripe", true], ["paypal", true], ["btcpay", false]]);
    const [sandbox, stripeChannel, paypalChannel, btcpay] = test.data;
    expect(btcpay).toMatchObject({ modes: ["test", "live"], payment_methods: ["crypto"], merchant_credentials: true, account: null });
    expect(sandbox).toMatchObject({ modes: ["test"], merchant_credentials: false });
    expect(stripeChannel).toMatchObject({ modes: ["test", "live"], payment_methods: null, merchant_credentials: true });
    expect(stripeChannel!.currencies).toContain("JPY");
    // PayPal takes exactly its 24 currencies, and only its own method
    expect(paypalChannel).toMatchObject({ modes: ["test", "live"], payment_methods: ["paypal"], merchant_credentials: true });
    expect(paypalChannel!.currencies).toHaveLength(24);
    expect(paypalChannel!.currencies).toEqual(expect.arrayContaining(["USD", "JPY", "HUF", "TWD"]));
    expect(paypalChannel!.currencies).not.toContain("INR");
    // the platform's Stripe key and PayPal app are test ones: live mode has no channel yet
    const live = await (await api("/api/v1/channels", { key: m.liveKey })).json<{ data: Channel[] }>();
    expect(live.data.map((c) => c.configured)).toEqual([false, false, false, false]);
  });
});
