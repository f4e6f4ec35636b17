// A crypto payment through the platform's API, end to end against the BTCPay emulator: a merchant
// connects its own store, the buyer pays the invoice on BTCPay's checkout page, the store's signed
// webhooks move the payment, and a refund is a pull payment the buyer claims. Partial, over-,
// late and no payment each end as the README says.
import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { BTCPayConfig } from "../../shared/channels/btcpay/config";
import { paymentNoFor } from "../../shared/payments/payment-no";
import { api, createMerchant, createPayment, errorOf, eventually, getPayment, uniqueOrderNo, type PaymentJson, type TestMerchant } from "./helpers";
import { BTCPAY_EMULATOR, btcpay } from "./btcpay-emulator";

const RETURN_URL = "https://shop.example/paid";

async function connectedMerchant() {
  const m = await createMerchant();
  const store = await btcpay.addStore();
  const res = await api("/api/v1/merchant/channels/btcpay", {
    key: m.testKey,
    method: "PUT",
    body: { server_url: BTCPAY_EMULATOR, store_id: store.storeId, api_key: store.apiKey, webhook_secret: store.webhookSecret },
  });
  expect(res.status).toBe(200);
  return { m, store };
}

async function cryptoPayment(m: TestMerchant, body: Record<string, unknown> = {}) {
  const res = await createPayment(m.testKey, { channel: "btcpay", amount: 2000, currency: "USD", return_url: RETURN_URL, ...body });
  expect(res.status).toBe(201);
  const payment = await res.json<PaymentJson>();
  const invoiceId = new URL(payment.next_action!.redirect_to_url!.url).pathname.split("/").pop()!;
  return { payment, invoiceId };
}

const forwarded = new Set<string>();

/**
 * Posts the store's signed webhooks that mention `objectId` (an invoice or pull payment id), once
 * each, to the merchant's webhook path: the emulator runs beside the tests' Worker and cannot
 * reach it itself.
 */
async function forward(m: TestMerchant, store: BTCPayConfig, objectId: string) {
  const due = (await btcpay.webhooks()).filter((w) => w.storeId === store.storeId && !forwarded.has(w.deliveryId) && w.body.includes(objectId));
  const answers: Response[] = [];
  for (const webhook of due) {
    forwarded.add(webhook.deliveryId);
    answers.push(await SELF.fetch(`http://platform.test/api/v1/webhooks/btcpay/${m.id}`, { method: "POST", headers: webhook.headers, body: webhook.body }));
  }
  return answers;
}

/** Forwards the store's webhooks until the payment reaches `status`. */
const settlesAs = (m: TestMerchant, store: BTCPayConfig, objectId: string, paymentNo: string, done: (p: PaymentJson) => boolean) =>
  eventually(async () => {
    await forward(m, store, objectId);
    return getPayment(m.testKey, paymentNo);
  }, done);

const eventsOf = async (key: string, paymentNo: string) =>
  (await (await api(`/api/v1/events?payment_no=${paymentNo}&limit=100`, { key })).json<{ data: Array<{ type: string; data: { object: PaymentJson } }> }>()).data;

describe("connecting a BTCPay store", () => {
  it("checks the store with its key before storing anything, seals the key, and shows only hints", async () => {
    const m = await createMerchant();
    const store = await btcpay.addStore();
    const put = (body: Record<string, unknown>, key = m.testKey) =>
      api("/api/v1/merchant/channels/btcpay", { key, method: "PUT", body: { server_url: BTCPAY_EMULATOR, store_id: store.storeId, api_key: store.apiKey, webhook_secret: store.webhookSecret, ...body } });

    expect(await errorOf(await put({ api_key: "not_this_stores_key" }))).toMatchObject({ status: 400, code: "channel_credentials_invalid", param: "api_key" });
    const otherStore = await btcpay.addStore();
    expect(await errorOf(await put({ store_id: otherStore.storeId }))).toMatchObject({ status: 400, code: "channel_credentials_invalid" });
    // the platform calls this server: a live store must be on a public host
    expect(await errorOf(await put({}, m.liveKey))).toMatchObject({ status: 400, code: "parameter_invalid", param: "server_url" });
    expect(await env.DB.prepare("SELECT 1 FROM channel_configs WHERE merchant_id = ?").bind(m.id).first()).toBeNull();

    // without a store, a crypto payment is refused with how to connect one
    const refused = await errorOf(await createPayment(m.testKey, { channel: "btcpay" }));
    expect(refused).toMatchObject({ status: 400, code: "channel_unavailable", param: "channel" });
    expect(refused.message).toContain("PUT /api/v1/merchant/channels/btcpay");

    // stored as the schema reads it: the URL without its trailing slash, the defaults filled in
    const defaults = await put({ server_url: `${BTCPAY_EMULATOR}/` });
    expect(defaults.status).toBe(200);
    expect(await defaults.json()).toMatchObject({
      credentials: { server_url: BTCPAY_EMULATOR, speed_policy: "MediumSpeed", expiration_minutes: "15" },
    });
    const res = await put({ speed_policy: "HighSpeed", expiration_minutes: 30 });
    expect(res.status).toBe(200);
    const config = await res.json<Record<string, unknown>>();
    expect(config).toMatchObject({
      channel: "btcpay",
      account_id: store.storeId,
      credentials: { server_url: BTCPAY_EMULATOR, store_id: store.storeId, api_key_hint: `…${store.apiKey.slice(-4)}`, speed_policy: "HighSpeed", expiration_minutes: "30" },
      webhook_path: `/api/v1/webhooks/btcpay/${m.id}`,
    });
    const row = JSON.stringify(await env.DB.prepare("SELECT * FROM channel_configs WHERE merchant_id = ?").bind(m.id).first());
    expect(row).not.toContain(store.apiKey);
    expect(row).not.toContain(store.webhookSecret);
    const channels = await (await api("/api/v1/channels", { key: m.testKey })).json<{ data: Array<{ channel: string; configured: boolean; account: string }> }>();
    expect(channels.data.find((c) => c.channel === "btcpay")).toMatchObject({ configured: true, account: "merchant" });
  });
});

describe("a crypto payment", () => {
  it("is paid on the invoice's checkout page, settles through the store's webhooks, and is refunded through a claim", async () => {
    const { m, store } = await connectedMerchant();
    const { payment, invoiceId } = await cryptoPayment(m, { amount: 1999, customer_email: "buyer@example.com" });
    expect(payment).toMatchObject({ channel: "btcpay", status: "requires_action", next_action: { type: "redirect_to_url", redirect_to_url: { url: `${BTCPAY_EMULATOR}/i/${invoiceId}` } } });
    const [create] = (await btcpay.requests()).filter((r) => r.method === "POST" && r.path === `/api/v1/stores/${store.storeId}/invoices`);
    expect(create!.headers.authorization).toBe(`token ${store.apiKey}`);
    expect(create!.body).toMatchObject({
      amount: "19.99",
      currency: "USD",
      metadata: { orderId: payment.payment_no, attemptKey: `${payment.payment_no}:attempt-1`, buyerEmail: "buyer@example.com" },
      checkout: { expirationMinutes: 15, speedPolicy: "MediumSpeed", redirectURL: `https://payments.test/api/v1/checkout/${payment.payment_no}/return?token={InvoiceId}` },
    });
    const page = await (await fetch(`${BTCPAY_EMULATOR}/i/${invoiceId}`)).text();
    expect(page).toMatch(/Pay in full/);

    const { redirect } = await btcpay.pay(invoiceId, "full");
    expect(redirect).toBe(`https://payments.test/api/v1/checkout/${payment.payment_no}/return?token=${invoiceId}`);
    await settlesAs(m, store, invoiceId, payment.payment_no, (p) => p.status === "processing" || p.status === "succeeded");
    await btcpay.confirm(invoiceId).catch(() => undefined); // confirmed now if the emulator's step has not run yet
    const paid = await settlesAs(m, store, invoiceId, payment.payment_no, (p) => p.status === "succeeded");
    expect(paid.exceptions).toEqual([]);
    // the buyer's browser comes back through the platform to the merchant
    const back = await SELF.fetch(redirect!, { redirect: "manual" });
    expect(back.headers.get("Location")).toBe(`${RETURN_URL}?payment_no=${payment.payment_no}&status=succeeded`);

    const created = await api("/api/v1/refunds", { key: m.testKey, body: { payment_no: payment.payment_no, amount: 500 } });
    expect(created.status).toBe(201);
    const { refund_no } = await created.json<{ refund_no: string }>();
    // the buyer must claim it: the refund shows where
    const pending = await eventually(
      async () => (await api(`/api/v1/refunds/${refund_no}`, { key: m.testKey })).json<{ status: string; next_action: { redirect_to_url: { url: string } } | null }>(),
      (r) => r.next_action !== null,
    );
    expect(pending.status).toBe("pending");
    const pullPaymentId = new URL(pending.next_action!.redirect_to_url.url).pathname.split("/").pop()!;
    const [refundCall] = (await btcpay.requests()).filter((r) => r.path === `/api/v1/stores/${store.storeId}/invoices/${invoiceId}/refund`);
    expect(refundCall!.body).toMatchObject({ name: refund_no, refundVariant: "Custom", customAmount: "5.00", customCurrency: "USD" });

    await btcpay.claim(pullPaymentId, "bc1qbuyerrefundaddress");
    const refunded = await settlesAs(m, store, pullPaymentId, payment.payment_no, (p) => p.status === "partially_refunded");
    expect(refunded.refunded_amount).toBe(500);
    expect((await (await api(`/api/v1/refunds/${refund_no}`, { key: m.testKey })).json<{ status: string; next_action: unknown }>())).toMatchObject({ status: "succeeded", next_action: null });
  });

  it("finds the invoice an earlier, unanswered create made, instead of making a second", async () => {
    const { m, store } = await connectedMerchant();
    const orderNo = uniqueOrderNo("BTC");
    const paymentNo = await paymentNoFor(m.id, false, orderNo);
    // the first try reached BTCPay, but its answer was lost
    const made = await fetch(`${BTCPAY_EMULATOR}/api/v1/stores/${store.storeId}/invoices`, {
      method: "POST",
      headers: { Authorization: `token ${store.apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ amount: "20.00", currency: "USD", metadata: { orderId: paymentNo, attemptKey: `${paymentNo}:attempt-1` } }),
    }).then((r) => r.json<{ id: string; checkoutLink: string }>());
    const { payment, invoiceId } = await cryptoPayment(m, { order_no: orderNo });
    expect(invoiceId).toBe(made.id);
    expect(payment.next_action!.redirect_to_url!.url).toBe(made.checkoutLink);
    const creates = (await btcpay.requests()).filter((r) => r.method === "POST" && r.path === `/api/v1/stores/${store.storeId}/invoices`);
    expect(creates).toHaveLength(1); // the one made by hand above
  });

  it("fails an invoice paid in part that expired, and records the underpayment for the merchant to return", async () => {
    const { m, store } = await connectedMerchant();
    const { payment, invoiceId } = await cryptoPayment(m);
    await btcpay.pay(invoiceId, "partial");
    await btcpay.expire(invoiceId);
    const failed = await settlesAs(m, store, invoiceId, payment.payment_no, (p) => p.status === "failed" && (p.exceptions as Array<{ amount: number | null }>)[0]?.amount != null);
    expect(failed.failure).toMatchObject({ code: "expired_partially_paid" });
    expect(failed.exceptions).toEqual([expect.objectContaining({ code: "underpaid", amount: 1000, currency: "USD" })]);
    expect((await eventsOf(m.testKey, payment.payment_no)).map((e) => e.type)).toEqual(expect.arrayContaining(["payment.failed", "payment.exception"]));
  });

  it("succeeds when paid over, recording what was paid above the price", async () => {
    const { m, store } = await connectedMerchant();
    const { payment, invoiceId } = await cryptoPayment(m);
    await btcpay.pay(invoiceId, "over");
    await btcpay.confirm(invoiceId).catch(() => undefined);
    const paid = await settlesAs(m, store, invoiceId, payment.payment_no, (p) => p.status === "succeeded" && (p.exceptions as Array<{ amount: number | null }>)[0]?.amount != null);
    expect(paid.exceptions).toEqual([expect.objectContaining({ code: "overpaid", amount: 200 })]);
  });

  it("fails an invoice that expired unpaid, with nothing to return", async () => {
    const { m, store } = await connectedMerchant();
    const { payment, invoiceId } = await cryptoPayment(m);
    await btcpay.expire(invoiceId);
    const failed = await settlesAs(m, store, invoiceId, payment.payment_no, (p) => p.status === "failed");
    expect(failed).toMatchObject({ failure: { code: "expired" }, exceptions: [] });
  });

  it("never keeps money paid after expiry silently: the failed payment records it and the merchant is told", async () => {
    const { m, store } = await connectedMerchant();
    const { payment, invoiceId } = await cryptoPayment(m);
    await btcpay.expire(invoiceId);
    await settlesAs(m, store, invoiceId, payment.payment_no, (p) => p.status === "failed");
    await btcpay.pay(invoiceId, "late");
    const flagged = await settlesAs(m, store, invoiceId, payment.payment_no, (p) => (p.exceptions as Array<{ amount: number | null }>)[0]?.amount != null);
    expect(flagged.status).toBe("failed");
    expect(flagged.exceptions).toEqual([expect.objectContaining({ code: "paid_late", amount: 2000 })]);
    const exception = (await eventsOf(m.testKey, payment.payment_no)).find((e) => e.type === "payment.exception");
    expect(exception!.data.object.exceptions).toEqual([expect.objectContaining({ code: "paid_late" })]);
  });

  it("takes a redelivered webhook as the event it repeats, and refuses one whose body was altered", async () => {
    const { m, store } = await connectedMerchant();
    const { invoiceId } = await cryptoPayment(m);
    await btcpay.expire(invoiceId);
    const expired = await eventually(async () => (await btcpay.webhooks()).find((w) => w.storeId === store.storeId && w.type === "InvoiceExpired"), (w) => w !== undefined);
    const post = (headers: Record<string, string>, body: string) => SELF.fetch(`http://platform.test/api/v1/webhooks/btcpay/${m.id}`, { method: "POST", headers, body });
    const first = await (await post(expired!.headers, expired!.body)).json<{ duplicate: boolean; event_id: string }>();
    expect(first).toMatchObject({ duplicate: false, event_id: expired!.originalDeliveryId });
    await fetch(`${BTCPAY_EMULATOR}/_emulator/webhooks/${expired!.deliveryId}/redeliver`, { method: "POST", body: "{}" });
    const again = await eventually(async () => (await btcpay.webhooks()).find((w) => w.isRedelivery && w.originalDeliveryId === expired!.deliveryId), (w) => w !== undefined);
    expect(JSON.parse(again!.body)).toMatchObject({ isRedelivery: true, originalDeliveryId: expired!.deliveryId });
    expect(await (await post(again!.headers, again!.body)).json()).toMatchObject({ duplicate: true, event_id: expired!.deliveryId });
    expect(await errorOf(await post(expired!.headers, expired!.body.replace("InvoiceExpired", "InvoiceSettled")))).toMatchObject({ status: 400, code: "webhook_signature_invalid" });
    // and only at the merchant's own path: there is no platform account
    expect((await SELF.fetch("http://platform.test/api/v1/webhooks/btcpay", { method: "POST", headers: expired!.headers, body: expired!.body })).status).toBe(400);
  });

  it("cancels an invoice nobody paid by marking it invalid at BTCPay", async () => {
    const { m, store } = await connectedMerchant();
    const { payment, invoiceId } = await cryptoPayment(m);
    const res = await api(`/api/v1/payments/${payment.payment_no}/cancel`, { key: m.testKey, method: "POST" });
    expect(res.status).toBe(200);
    expect((await res.json<PaymentJson>()).status).toBe("cancelled");
    const marked = (await btcpay.requests()).find((r) => r.path === `/api/v1/stores/${store.storeId}/invoices/${invoiceId}/status`);
    expect(marked!.body).toEqual({ status: "Invalid" });
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("cancelled");
  });
});
