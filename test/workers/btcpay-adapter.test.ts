// The BTCPay adapter's calls against the local BTCPay Server emulator (test/emulators/btcpay).
import { describe, expect, it } from "vitest";
import type { CreatePaymentRequest, CreateRefundRequest } from "../../shared/channels/adapter";
import { BTCPayAdapter } from "../../shared/channels/btcpay/adapter";
import type { BTCPayConfig } from "../../shared/channels/btcpay/config";
import { createInvoiceBody } from "../../shared/channels/btcpay/transformers";
import { BTCPAY_EMULATOR, btcpay } from "./btcpay-emulator";

let payments = 0;
const paymentNo = () => `PY${Date.now().toString(36).toUpperCase().padStart(12, "0")}${String((payments += 1)).padStart(12, "0")}`.slice(0, 26);

const request = (overrides: Partial<CreatePaymentRequest> = {}): CreatePaymentRequest => {
  const no = overrides.paymentNo ?? paymentNo();
  return {
    paymentNo: no,
    merchantId: "mch_btcpay",
    livemode: false,
    amount: 1999,
    currency: "USD",
    paymentMethod: null,
    description: "Two tickets",
    customerEmail: "buyer@example.com",
    returnUrl: `https://payments.test/api/v1/checkout/${no}/return`,
    cancelUrl: `https://payments.test/api/v1/checkout/${no}/cancel`,
    idempotencyKey: `${no}:attempt-1`,
    ...overrides,
  };
};

const refundRequest = (req: CreatePaymentRequest, channelPaymentId: string, overrides: Partial<CreateRefundRequest> = {}): CreateRefundRequest => ({
  refundNo: `RF${req.paymentNo.slice(2)}001`,
  paymentNo: req.paymentNo,
  channelPaymentId,
  amount: req.amount,
  currency: req.currency,
  reason: null,
  idempotencyKey: `RF${req.paymentNo.slice(2)}001`,
  ...overrides,
});

async function setup(overrides: Partial<BTCPayConfig> = {}) {
  const config = await btcpay.addStore(overrides);
  return { config, adapter: new BTCPayAdapter(config) };
}

const callsTo = async (path: string, method: string) => (await btcpay.requests()).filter((r) => r.path === path && r.method === method);

/** A settled invoice: paid in full and confirmed. */
async function settled(adapter: BTCPayAdapter, overrides: Partial<CreatePaymentRequest> = {}) {
  const req = request(overrides);
  const { id } = await adapter.createPayment(req);
  await btcpay.pay(id, "full");
  await btcpay.confirm(id);
  return { req, id };
}

/** The payouts of a pull payment, as BTCPay's public API lists them. */
async function payoutsOf(pullPaymentId: string) {
  const res = await fetch(`${BTCPAY_EMULATOR}/api/v1/pull-payments/${pullPaymentId}/payouts`);
  return res.json<Array<{ id: string; state: string }>>();
}

describe("BTCPayAdapter: payments", () => {
  it("creates an invoice the buyer pays at its checkout page, naming the payment and its attempt", async () => {
    const { config, adapter } = await setup({ speedPolicy: "HighSpeed", expirationMinutes: 30 });
    const req = request();
    const created = await adapter.createPayment(req);
    expect(created).toMatchObject({
      status: "requires_action",
      clientSecret: null,
      nextAction: { type: "redirect_to_url", redirect_to_url: { url: `${BTCPAY_EMULATOR}/i/${created.id}` } },
      failure: null,
      exception: null,
    });
    const [sent] = await callsTo(`/api/v1/stores/${config.storeId}/invoices`, "POST");
    expect(sent!.headers.authorization).toBe(`token ${config.apiKey}`);
    expect(sent!.body).toEqual(createInvoiceBody(req, config));
    expect(sent!.body).toMatchObject({ amount: "19.99", currency: "USD", checkout: { speedPolicy: "HighSpeed", expirationMinutes: 30 } });
  });

  it("a create whose answer was lost, tried again, finds the invoice it made: no second invoice", async () => {
    const { config, adapter } = await setup();
    const req = request();
    // the first try: BTCPay made the invoice, its answer never came back
    const lost = await fetch(`${BTCPAY_EMULATOR}/api/v1/stores/${config.storeId}/invoices`, {
      method: "POST",
      headers: { Authorization: `token ${config.apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify(createInvoiceBody(req, config)),
    }).then((res) => res.json<{ id: string }>());
    const retried = await adapter.createPayment(req);
    expect(retried).toMatchObject({ id: lost.id, status: "requires_action" });
    expect(await adapter.createPayment(req)).toMatchObject({ id: lost.id });
    expect(await callsTo(`/api/v1/stores/${config.storeId}/invoices`, "POST")).toHaveLength(1);
  });

  it("another attempt of the same payment gets an invoice of its own", async () => {
    const { adapter } = await setup();
    const req = request();
    const first = await adapter.createPayment(req);
    const second = await adapter.createPayment({ ...req, idempotencyKey: `${req.paymentNo}:attempt-2` });
    expect(second.id).not.toBe(first.id);
  });

  it("a paid invoice walks processing -> succeeded, with what the buyer paid", async () => {
    const { adapter } = await setup();
    const req = request();
    const { id } = await adapter.createPayment(req);
    const { redirect } = await btcpay.pay(id, "full");
    // BTCPay fills the placeholder: the platform's return reads the invoice id as token
    expect(redirect).toBe(`${req.returnUrl}?token=${id}`);
    expect(await adapter.getPayment(id)).toMatchObject({ status: "processing", nextAction: null, exception: null });
    await btcpay.confirm(id);
    const paid = await adapter.getPayment(id);
    expect(paid).toMatchObject({ status: "succeeded", failure: null, exception: null, received: { currency: "USD" } });
    expect(Math.abs(paid.received!.amount - 1999)).toBeLessThanOrEqual(1);
  });

  it("getPayment tells what a part payment and an overpayment brought, in the payment's currency", async () => {
    const { adapter } = await setup();
    const part = await adapter.createPayment(request({ amount: 4200, currency: "EUR" }));
    await btcpay.pay(part.id, "partial");
    const partly = await adapter.getPayment(part.id);
    // still open: the buyer may pay the rest
    expect(partly).toMatchObject({ status: "requires_action", exception: null, received: { currency: "EUR" } });
    expect(Math.abs(partly.received!.amount - 2100)).toBeLessThanOrEqual(1);
    await btcpay.expire(part.id);
    expect(await adapter.getPayment(part.id)).toMatchObject({
      status: "failed",
      failure: { code: "expired_partially_paid" },
      exception: { code: "underpaid" },
    });

    const over = await adapter.createPayment(request({ amount: 1500, currency: "JPY" }));
    await btcpay.pay(over.id, "over");
    await btcpay.confirm(over.id);
    const overpaid = await adapter.getPayment(over.id);
    expect(overpaid).toMatchObject({ status: "succeeded", exception: { code: "overpaid" }, received: { currency: "JPY" } });
    expect(Math.abs(overpaid.received!.amount - 1650)).toBeLessThanOrEqual(1);
  });

  it("an invoice paid after it expired stays failed, with the late payment as an exception", async () => {
    const { adapter } = await setup();
    const { id } = await adapter.createPayment(request());
    await btcpay.pay(id, "late");
    const late = await adapter.getPayment(id);
    expect(late).toMatchObject({ status: "failed", failure: { code: "expired" }, exception: { code: "paid_late" } });
    expect(late.received!.amount).toBeGreaterThan(0);
  });

  it("an unknown invoice is a missing resource", async () => {
    const { adapter } = await setup();
    await expect(adapter.getPayment("NoSuchInvoice1234567890")).rejects.toMatchObject({ code: "resource_missing", status: 400 });
  });
});

describe("BTCPayAdapter: cancel", () => {
  it("marks an open invoice nothing was paid to invalid, and answers it cancelled", async () => {
    const { config, adapter } = await setup();
    const { id } = await adapter.createPayment(request());
    expect(await adapter.cancelPayment(id)).toMatchObject({ id, status: "cancelled", nextAction: null, failure: null });
    const [mark] = await callsTo(`/api/v1/stores/${config.storeId}/invoices/${id}/status`, "POST");
    expect(mark!.body).toEqual({ status: "Invalid" });
    // BTCPay's own view afterwards: marked invalid
    expect(await adapter.getPayment(id)).toMatchObject({ status: "failed", failure: { code: "invalid" } });
  });

  it("refuses an invoice the buyer has paid into, in part or in full, or one that is over (409)", async () => {
    const { config, adapter } = await setup();
    const partly = await adapter.createPayment(request());
    await btcpay.pay(partly.id, "partial");
    const full = await adapter.createPayment(request());
    await btcpay.pay(full.id, "full");
    const expired = await adapter.createPayment(request());
    await btcpay.expire(expired.id);
    for (const id of [partly.id, full.id, expired.id]) {
      await expect(adapter.cancelPayment(id)).rejects.toMatchObject({ code: "payment_unexpected_state", status: 409 });
    }
    await expect(adapter.cancelPayment(partly.id)).rejects.toThrow("PaidPartial");
    // nothing was marked
    expect((await btcpay.requests()).filter((r) => r.path.startsWith(`/api/v1/stores/${config.storeId}`) && r.path.endsWith("/status"))).toHaveLength(0);
  });

  it("an invoice BTCPay refuses to mark (it moved on since it was read) is a conflict too", async () => {
    const { config, adapter } = await setup();
    const { id } = await adapter.createPayment(request());
    await btcpay.failNext({ path: `/api/v1/stores/${config.storeId}/invoices/${id}/status`, method: "POST", status: 422 });
    await expect(adapter.cancelPayment(id)).rejects.toMatchObject({ code: "payment_unexpected_state", status: 409 });
  });
});

describe("BTCPayAdapter: refunds", () => {
  it("refunds a whole invoice as a pull payment the buyer claims at its link", async () => {
    const { config, adapter } = await setup();
    const { req, id } = await settled(adapter);
    const refund = await adapter.createRefund(refundRequest(req, id, { reason: "Returned the tickets" }));
    expect(refund).toMatchObject({
      id: expect.any(String),
      status: "pending",
      failure: null,
      nextAction: { type: "redirect_to_url", redirect_to_url: { url: `${BTCPAY_EMULATOR}/pull-payments/${refund.id}` } },
    });
    const [sent] = await callsTo(`/api/v1/stores/${config.storeId}/invoices/${id}/refund`, "POST");
    expect(sent!.body).toEqual({ name: `RF${req.paymentNo.slice(2)}001`, description: "Returned the tickets", payoutMethods: ["BTC-CHAIN"], refundVariant: "Fiat" });
  });

  it("refunds a part as a custom amount in the invoice's currency", async () => {
    const { config, adapter } = await setup();
    const { req, id } = await settled(adapter);
    await adapter.createRefund(refundRequest(req, id, { amount: 500 }));
    const [sent] = await callsTo(`/api/v1/stores/${config.storeId}/invoices/${id}/refund`, "POST");
    expect(sent!.body).toMatchObject({ refundVariant: "Custom", customAmount: "5.00", customCurrency: "USD" });
  });

  it("a refund tried again finds the pull payment the first try made: no second one", async () => {
    const { config, adapter } = await setup();
    const { req, id } = await settled(adapter);
    const first = await adapter.createRefund(refundRequest(req, id, { amount: 500 }));
    const again = await adapter.createRefund(refundRequest(req, id, { amount: 500 }));
    expect(again).toEqual(first);
    expect(await callsTo(`/api/v1/stores/${config.storeId}/invoices/${id}/refund`, "POST")).toHaveLength(1);
    // another refund of the same payment is a pull payment of its own
    const second = await adapter.createRefund(refundRequest(req, id, { refundNo: `RF${req.paymentNo.slice(2)}002`, amount: 100 }));
    expect(second.id).not.toBe(first.id);
    expect(await callsTo(`/api/v1/stores/${config.storeId}/invoices/${id}/refund`, "POST")).toHaveLength(2);
  });

  it("refuses a refund of more than the buyer paid (409)", async () => {
    const { adapter } = await setup();
    const { req, id } = await settled(adapter);
    await expect(adapter.createRefund(refundRequest(req, id, { amount: 5000 }))).rejects.toMatchObject({ code: "refund_amount_exceeded", status: 409 });
    // the whole payment (Fiat) after a part of it was refunded
    await adapter.createRefund(refundRequest(req, id, { amount: 500 }));
    await expect(adapter.createRefund(refundRequest(req, id, { refundNo: `RF${req.paymentNo.slice(2)}002` }))).rejects.toMatchObject({
      code: "refund_amount_exceeded",
      status: 409,
    });
  });

  it("follows the buyer's claim: pending while its payout is on its way, succeeded once paid", async () => {
    const { adapter } = await setup();
    const { req, id } = await settled(adapter);
    const refund = await adapter.createRefund(refundRequest(req, id));
    expect(await adapter.getRefund(refund.id)).toMatchObject({ status: "pending", nextAction: refund.nextAction });
    await btcpay.claim(refund.id, "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh");
    const [payout] = await payoutsOf(refund.id);
    expect(await adapter.getRefund(refund.id)).toMatchObject({ status: "pending" });
    await btcpay.completePayout(payout!.id);
    expect(await adapter.getRefund(refund.id)).toEqual({ id: refund.id, status: "succeeded", failure: null, nextAction: null });
    // and BTCPay's payout webhooks tell the same, about the pull payment
    const events = (await btcpay.webhooks()).filter((w) => w.body.includes(refund.id)).map((w) => adapter.parseWebhook(w.body));
    expect(events.map((e) => [e.channelType, e.type, e.channelObjectId])).toEqual([
      ["PayoutCreated", "refund.pending", refund.id],
      ["PayoutApproved", "refund.pending", refund.id],
      ["PayoutUpdated", "refund.succeeded", refund.id],
    ]);
  });

  it("a cancelled payout leaves the refund pending: the buyer may claim again", async () => {
    const { adapter } = await setup();
    const { req, id } = await settled(adapter);
    const refund = await adapter.createRefund(refundRequest(req, id));
    await btcpay.claim(refund.id);
    const [payout] = await payoutsOf(refund.id);
    await btcpay.cancelPayout(payout!.id);
    expect(await adapter.getRefund(refund.id)).toMatchObject({ status: "pending", nextAction: refund.nextAction });
  });
});

describe("BTCPayAdapter: calls", () => {
  it("repeats a GET BTCPay failed (5xx), and gives up after three attempts", async () => {
    const { config, adapter } = await setup();
    const { id } = await adapter.createPayment(request());
    const path = `/api/v1/stores/${config.storeId}/invoices/${id}`;
    await btcpay.failNext({ path, method: "GET", status: 503, count: 2 });
    expect(await adapter.cancelPayment(id)).toMatchObject({ status: "cancelled" });
    expect(await callsTo(path, "GET")).toHaveLength(3);
    await btcpay.failNext({ path, method: "GET", status: 500, count: 3 });
    await expect(adapter.cancelPayment(id)).rejects.toMatchObject({ code: "btcpay_unavailable", status: 502 });
    expect(await callsTo(path, "GET")).toHaveLength(6);
  });

  it("never repeats a create (BTCPay takes no idempotency key): a failed POST is an outage, made once", async () => {
    const { config, adapter } = await setup();
    const path = `/api/v1/stores/${config.storeId}/invoices`;
    await btcpay.failNext({ path, method: "POST", status: 503 });
    await expect(adapter.createPayment(request())).rejects.toMatchObject({ code: "btcpay_unavailable", status: 502 });
    expect(await callsTo(path, "POST")).toHaveLength(1);
  });

  it("a server that cannot be reached is an outage (502)", async () => {
    const adapter = new BTCPayAdapter({ ...(await btcpay.addStore()), serverUrl: "http://127.0.0.1:9" });
    await expect(adapter.getPayment("HMprBnL9BTXWuPvpoKBS6e")).rejects.toMatchObject({ code: "btcpay_unavailable", status: 502 });
  });

  it("a refused key on a payment call is the channel failing (502), not the merchant's request", async () => {
    const { config } = await setup();
    const adapter = new BTCPayAdapter({ ...config, apiKey: "not_a_key_of_this_server" });
    await expect(adapter.createPayment(request())).rejects.toMatchObject({ code: "btcpay_authentication", status: 502 });
  });
});

describe("BTCPayAdapter: credentials", () => {
  it("answers the store as the account", async () => {
    const { config, adapter } = await setup();
    expect(await adapter.verifyCredentials()).toEqual({ accountId: config.storeId });
  });

  it("a key BTCPay does not know names api_key", async () => {
    const { config } = await setup();
    await expect(new BTCPayAdapter({ ...config, apiKey: "not_a_key_of_this_server" }).verifyCredentials()).rejects.toMatchObject({
      code: "channel_credentials_invalid",
      status: 400,
      param: "api_key",
    });
  });

  it("a key of another store names api_key", async () => {
    const { config } = await setup();
    const other = await btcpay.addStore();
    await expect(new BTCPayAdapter({ ...config, apiKey: other.apiKey }).verifyCredentials()).rejects.toMatchObject({
      code: "channel_credentials_invalid",
      param: "api_key",
    });
  });

  it("a store the server does not have names store_id", async () => {
    const { config } = await setup();
    await expect(new BTCPayAdapter({ ...config, storeId: "NoSuchStore1111111111111111111111111111111111" }).verifyCredentials()).rejects.toMatchObject({
      code: "channel_credentials_invalid",
      status: 400,
      param: "store_id",
    });
  });
});

describe("BTCPayAdapter: webhooks", () => {
  it("accepts a delivery the emulator signed for the store, and reads it", async () => {
    const { adapter } = await setup();
    const req = request();
    const { id } = await adapter.createPayment(req);
    await btcpay.pay(id, "full");
    await btcpay.confirm(id);
    const sent = (await btcpay.webhooks()).find((w) => w.type === "InvoiceSettled" && w.body.includes(id))!;
    await adapter.verifyWebhook(new Headers(sent.headers), sent.body);
    expect(adapter.parseWebhook(sent.body)).toMatchObject({ eventId: sent.originalDeliveryId, type: "payment.succeeded", paymentNo: req.paymentNo, channelPaymentId: id });
    // signed with this store's secret, not another's
    const other = new BTCPayAdapter(await btcpay.addStore());
    await expect(other.verifyWebhook(new Headers(sent.headers), sent.body)).rejects.toMatchObject({ code: "webhook_signature_invalid" });
  });
});
