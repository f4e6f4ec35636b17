// The PayPal adapter's calls against the local PayPal emulator (test/emulators/paypal).
import { describe, expect, it, vi } from "vitest";
import { ChannelError, type CreatePaymentRequest } from "../../shared/channels/adapter";
import { PayPalAdapter } from "../../shared/channels/paypal/adapter";
import type { PayPalConfig } from "../../shared/channels/paypal/config";
import { PAYPAL_EMULATOR, paypal } from "./paypal-emulator";

let payments = 0;
const paymentNo = () => `PY${Date.now().toString(36).toUpperCase().padStart(12, "0")}${String((payments += 1)).padStart(12, "0")}`.slice(0, 26);

const request = (overrides: Partial<CreatePaymentRequest> = {}): CreatePaymentRequest => {
  const no = overrides.paymentNo ?? paymentNo();
  return {
    paymentNo: no,
    merchantId: "mch_paypal",
    livemode: false,
    amount: 4200,
    currency: "EUR",
    paymentMethod: "paypal",
    description: "Two tickets",
    customerEmail: null,
    returnUrl: `https://payments.test/return/${no}`,
    cancelUrl: `https://payments.test/cancel/${no}`,
    idempotencyKey: `${no}:attempt-1`,
    ...overrides,
  };
};

async function setup() {
  const config = await paypal.addAccount();
  return { config, adapter: new PayPalAdapter(config) };
}

/** An order the buyer has approved at the emulator. */
async function approvedOrder(adapter: PayPalAdapter, overrides: Partial<CreatePaymentRequest> = {}) {
  const req = request(overrides);
  const created = await adapter.createPayment(req);
  await paypal.approve(created.id);
  return { req, id: created.id };
}

const callsTo = async (path: string, method = "POST") => (await paypal.requests()).filter((r) => r.path === path && r.method === method);

describe("PayPal OAuth token", () => {
  it("is requested once and kept across calls", async () => {
    const { config, adapter } = await setup();
    const created = await adapter.createPayment(request());
    await adapter.getPayment(created.id);
    await adapter.getPayment(created.id);
    expect(await paypal.tokenRequests(config)).toHaveLength(1);
  });

  it("is requested once for calls made at the same time", async () => {
    const { config, adapter } = await setup();
    await Promise.all([1, 2, 3, 4, 5].map(() => adapter.createPayment(request())));
    expect(await paypal.tokenRequests(config)).toHaveLength(1);
  });

  it("is shared by adapters on the same account, and not by another account", async () => {
    const { config, adapter } = await setup();
    await adapter.createPayment(request());
    await new PayPalAdapter(config).createPayment(request());
    expect(await paypal.tokenRequests(config)).toHaveLength(1);
    const other = await setup();
    await other.adapter.createPayment(request());
    expect(await paypal.tokenRequests(other.config)).toHaveLength(1);
  });

  it("refused by PayPal (401) is replaced once and the call made again", async () => {
    const { config, adapter } = await setup();
    const created = await adapter.createPayment(request());
    await paypal.expireTokens();
    expect(await adapter.getPayment(created.id)).toMatchObject({ id: created.id, status: "requires_action" });
    expect(await paypal.tokenRequests(config)).toHaveLength(2);
    // the refused GET, then the same GET with the new token
    expect(await callsTo(`/v2/checkout/orders/${created.id}`, "GET")).toHaveLength(2);
  });

  it("is renewed a minute before PayPal says it expires, without waiting for a refusal", async () => {
    const { config, adapter } = await setup();
    const created = await adapter.createPayment(request());
    const issuedAt = Date.now();
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      // the emulator's tokens live 32400 s (PayPal's nine hours)
      vi.setSystemTime(issuedAt + (32_400 - 62) * 1000);
      await adapter.getPayment(created.id);
      expect(await paypal.tokenRequests(config)).toHaveLength(1);
      vi.setSystemTime(issuedAt + (32_400 - 58) * 1000);
      await adapter.getPayment(created.id);
      expect(await paypal.tokenRequests(config)).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
    // the old token was never refused: each GET was made once
    expect(await callsTo(`/v2/checkout/orders/${created.id}`, "GET")).toHaveLength(2);
  });
});

describe("PayPalAdapter calls", () => {
  it("creates an order the buyer approves at PayPal, naming the payment in it", async () => {
    const { adapter } = await setup();
    const req = request();
    const created = await adapter.createPayment(req);
    expect(created).toMatchObject({
      id: expect.stringMatching(/^[0-9A-Z]{17}$/),
      status: "requires_action",
      clientSecret: null,
      nextAction: { type: "redirect_to_url", redirect_to_url: { url: `${PAYPAL_EMULATOR}/checkoutnow?token=${created.id}` } },
      failure: null,
    });
    const sent = (await callsTo("/v2/checkout/orders")).filter((r) => r.headers["paypal-request-id"] === req.idempotencyKey);
    expect(sent).toHaveLength(1);
    const mine = sent[0]!;
    expect(mine.headers).toMatchObject({ prefer: "return=representation", "content-type": "application/json" });
    expect(mine.body).toEqual({
      intent: "CAPTURE",
      purchase_units: [{ reference_id: req.paymentNo, custom_id: req.paymentNo, invoice_id: req.paymentNo, description: "Two tickets", amount: { currency_code: "EUR", value: "42.00" } }],
      payment_source: {
        paypal: { experience_context: { return_url: req.returnUrl, cancel_url: req.cancelUrl, user_action: "PAY_NOW", shipping_preference: "NO_SHIPPING" } },
      },
    });
  });

  it("without a return URL, the order waits at its approve link", async () => {
    const { adapter } = await setup();
    const created = await adapter.createPayment(request({ returnUrl: null, cancelUrl: null }));
    expect(created).toMatchObject({ status: "requires_action", nextAction: { redirect_to_url: { url: expect.stringContaining(created.id) } } });
  });

  it("makes one order for concurrent creates with one PayPal-Request-Id", async () => {
    const { adapter } = await setup();
    const req = request();
    const views = await Promise.all([1, 2, 3].map(() => adapter.createPayment(req)));
    expect(new Set(views.map((v) => v.id)).size).toBe(1);
  });

  it("refuses an amount PayPal cannot take without calling it", async () => {
    const { config, adapter } = await setup();
    await expect(adapter.createPayment(request({ currency: "JPY", amount: 1000 }))).resolves.toMatchObject({ status: "requires_action" });
    await expect(adapter.createPayment(request({ currency: "HUF", amount: 1050 }))).rejects.toMatchObject({ code: "amount_precision_unsupported", status: 400 });
    await expect(adapter.createPayment(request({ currency: "KRW", amount: 1000 }))).rejects.toMatchObject({ code: "currency_unsupported", status: 400 });
    expect(await paypal.tokenRequests(config)).toHaveLength(1);
  });

  it("approved: processing and awaiting completion; captured once however often it is completed", async () => {
    const { adapter } = await setup();
    const { req, id } = await approvedOrder(adapter);
    expect(await adapter.getPayment(id)).toMatchObject({ status: "processing", awaitingCompletion: true, nextAction: null });
    const key = `${req.paymentNo}:attempt-1:complete`;
    const [first, second] = await Promise.all([adapter.completePayment(id, key), adapter.completePayment(id, key)]);
    expect(first).toMatchObject({ id, status: "succeeded", awaitingCompletion: false, failure: null });
    expect(second).toEqual(first);
    // another key meets ORDER_ALREADY_CAPTURED, and is answered the order as it now is
    expect(await adapter.completePayment(id, `${key}:again`)).toMatchObject({ id, status: "succeeded" });
    const captures = (await callsTo(`/v2/checkout/orders/${id}/capture`)).map((r) => r.headers["paypal-request-id"]);
    expect(captures).toEqual([key, key, `${key}:again`]);
  });

  it("completing an order not approved yet is a state error (409)", async () => {
    const { adapter } = await setup();
    const created = await adapter.createPayment(request());
    await expect(adapter.completePayment(created.id, "k1")).rejects.toMatchObject({ code: "order_not_approved", status: 409 });
  });

  it.each([
    [{ capture: "DECLINED" as const }, { status: "failed", failure: { code: "capture_declined" } }],
    [{ capture: "PENDING" as const }, { status: "processing", failure: null }],
  ])("a capture PayPal answers %o", async (outcome, expected) => {
    const { adapter } = await setup();
    const { id } = await approvedOrder(adapter);
    await paypal.outcome(id, outcome);
    expect(await adapter.completePayment(id, `${id}:complete`)).toMatchObject(expected);
  });

  it("a declined funding source is the buyer's refusal (402), and the order stays approved", async () => {
    const { adapter } = await setup();
    const { id } = await approvedOrder(adapter);
    await paypal.outcome(id, { error: "INSTRUMENT_DECLINED" });
    await expect(adapter.completePayment(id, `${id}:complete`)).rejects.toMatchObject({ code: "instrument_declined", status: 402 });
    expect(await adapter.getPayment(id)).toMatchObject({ status: "processing", awaitingCompletion: true });
  });

  it("a capture PayPal answers 5xx is made again with the same PayPal-Request-Id", async () => {
    const { adapter } = await setup();
    const { id } = await approvedOrder(adapter);
    await paypal.failNext({ path: `/v2/checkout/orders/${id}/capture`, status: 500 });
    expect(await adapter.completePayment(id, `${id}:complete`)).toMatchObject({ status: "succeeded" });
    expect((await callsTo(`/v2/checkout/orders/${id}/capture`)).map((r) => r.headers["paypal-request-id"])).toEqual([`${id}:complete`, `${id}:complete`]);
  });

  it("gives up after three attempts of a call PayPal keeps failing: an outage (502)", async () => {
    const { adapter } = await setup();
    const created = await adapter.createPayment(request());
    await paypal.failNext({ path: `/v2/checkout/orders/${created.id}`, method: "GET", status: 503, count: 3 });
    await expect(adapter.getPayment(created.id)).rejects.toMatchObject({ code: "paypal_unavailable", status: 502 });
    expect(await callsTo(`/v2/checkout/orders/${created.id}`, "GET")).toHaveLength(3);
  });

  it("an order of another account does not exist for this one", async () => {
    const { adapter } = await setup();
    const created = await adapter.createPayment(request());
    const other = await setup();
    await expect(other.adapter.getPayment(created.id)).rejects.toMatchObject({ code: "resource_missing", status: 400 });
  });

  it("cancels an order the buyer has not approved; an approved one cannot be (409)", async () => {
    const { adapter } = await setup();
    const created = await adapter.createPayment(request());
    expect(await adapter.cancelPayment(created.id)).toMatchObject({ id: created.id, status: "cancelled", nextAction: null });
    const { id } = await approvedOrder(adapter);
    await expect(adapter.cancelPayment(id)).rejects.toMatchObject({ code: "payment_unexpected_state", status: 409 });
  });

  it("refunds the order's capture, naming the refund and the payment in it", async () => {
    const { adapter } = await setup();
    const { req, id } = await approvedOrder(adapter);
    await expect(
      adapter.createRefund({ refundNo: `RF${req.paymentNo.slice(2)}001`, paymentNo: req.paymentNo, channelPaymentId: id, amount: 100, currency: "EUR", reason: null, idempotencyKey: "r0" }),
    ).rejects.toMatchObject({ code: "payment_unexpected_state", status: 409 });
    await adapter.completePayment(id, `${id}:complete`);
    const refundNo = `RF${req.paymentNo.slice(2)}001`;
    const refund = { refundNo, paymentNo: req.paymentNo, channelPaymentId: id, amount: 1050, currency: "EUR", reason: "Changed their mind", idempotencyKey: refundNo };
    const made = await adapter.createRefund(refund);
    expect(made).toMatchObject({ id: expect.stringMatching(/^[0-9A-Z]{17}$/), status: "succeeded", failure: null });
    // the same refund again (same key) is the same refund
    expect(await adapter.createRefund(refund)).toEqual(made);
    const sent = (await paypal.requests()).filter((r) => r.path.endsWith("/refund") && r.headers["paypal-request-id"] === refundNo);
    expect(sent[0]!.body).toEqual({ amount: { currency_code: "EUR", value: "10.50" }, invoice_id: refundNo, custom_id: req.paymentNo, note_to_payer: "Changed their mind" });
    expect(await adapter.getRefund(made.id)).toEqual(made);
    // more than what is left is PayPal's refusal, a state error
    await expect(adapter.createRefund({ ...refund, refundNo: `${refundNo.slice(0, -1)}2`, amount: 4000, idempotencyKey: "r2" })).rejects.toMatchObject({
      code: "refund_amount_exceeded",
      status: 409,
    });
  });

  it("a refund PayPal holds pending is pending", async () => {
    const { adapter } = await setup();
    const { req, id } = await approvedOrder(adapter);
    await adapter.completePayment(id, `${id}:complete`);
    await paypal.nextRefund("PENDING");
    const refundNo = `RF${req.paymentNo.slice(2)}001`;
    const made = await adapter.createRefund({ refundNo, paymentNo: req.paymentNo, channelPaymentId: id, amount: 4200, currency: "EUR", reason: null, idempotencyKey: refundNo });
    expect(made).toMatchObject({ status: "pending", failure: null });
  });
});

describe("PayPalAdapter.verifyCredentials", () => {
  it("answers the REST app the client id and secret open", async () => {
    const { adapter } = await setup();
    expect(await adapter.verifyCredentials()).toEqual({ accountId: expect.stringMatching(/^APP-/) });
  });

  it("refuses a secret PayPal does not take (400)", async () => {
    const { config } = await setup();
    const wrong: PayPalConfig = { ...config, clientSecret: "not-the-secret" };
    await expect(new PayPalAdapter(wrong).verifyCredentials()).rejects.toMatchObject({ code: "channel_credentials_invalid", status: 400 });
  });

  it("refuses a webhook id the app does not have, naming it", async () => {
    const { config } = await setup();
    const error = await new PayPalAdapter({ ...config, webhookId: "NOSUCHWEBHOOK" }).verifyCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ code: "channel_credentials_invalid", status: 400, message: expect.stringContaining("NOSUCHWEBHOOK") });
  });
});
