// A PayPal payment through the platform's API, end to end against the PayPal emulator: the buyer
// approves on PayPal's page, comes back through the platform's checkout return, the platform
// captures once however many ways it learns of the approval, and PayPal's webhooks settle the rest.
import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TEST_PAYPAL } from "../constants";
import { api, createMerchant, createPayment, errorOf, eventually, getPayment, paymentReaches, type PaymentJson } from "./helpers";
import { PAYPAL_EMULATOR, forwardPayPalWebhooks, paypal } from "./paypal-emulator";
import { syncNow } from "./sync-now";

const RETURN_URL = "https://shop.example/paid";

async function paypalPayment(key: string, body: Record<string, unknown> = {}) {
  const res = await createPayment(key, { channel: "paypal", amount: 1999, currency: "USD", return_url: RETURN_URL, ...body });
  expect(res.status).toBe(201);
  const payment = await res.json<PaymentJson>();
  const url = new URL(payment.next_action!.redirect_to_url!.url);
  return { payment, orderId: url.searchParams.get("token")! };
}

/** The buyer presses Approve on PayPal's page and follows the redirect back to the platform. */
async function approveAndReturn(orderId: string) {
  const { return_url } = await paypal.approve(orderId);
  return SELF.fetch(return_url!, { redirect: "manual" });
}

const capturesOf = async (orderId: string) =>
  (await paypal.requests()).filter((r) => r.method === "POST" && r.path === `/v2/checkout/orders/${orderId}/capture`);

const refund = (key: string, body: Record<string, unknown>) => api("/api/v1/refunds", { key, body });

describe("a PayPal payment", () => {
  it("sends the buyer to PayPal's approval page, captures on their return, forwards them to return_url, and takes a partial refund", async () => {
    const m = await createMerchant();
    const { payment, orderId } = await paypalPayment(m.testKey);
    expect(payment).toMatchObject({
      channel: "paypal",
      status: "requires_action",
      next_action: { type: "redirect_to_url", redirect_to_url: { url: `${PAYPAL_EMULATOR}/checkoutnow?token=${orderId}` } },
    });
    // the order PayPal was asked for: the payment's numbers, PayPal's decimal amount, the attempt's request id
    const [create] = (await paypal.requests()).filter((r) => r.path === "/v2/checkout/orders" && JSON.stringify(r.body).includes(payment.payment_no));
    expect(create!.headers["paypal-request-id"]).toBe(`${payment.payment_no}:attempt-1`);
    expect(create!.body).toMatchObject({
      intent: "CAPTURE",
      purchase_units: [{ reference_id: payment.payment_no, custom_id: payment.payment_no, invoice_id: payment.payment_no, amount: { currency_code: "USD", value: "19.99" } }],
      payment_source: {
        paypal: {
          experience_context: {
            return_url: `https://payments.test/api/v1/checkout/${payment.payment_no}/return`,
            cancel_url: `https://payments.test/api/v1/checkout/${payment.payment_no}/cancel`,
          },
        },
      },
    });

    // the approval page is a page a person can use
    const page = await fetch(`${PAYPAL_EMULATOR}/checkoutnow?token=${orderId}`);
    expect(await page.text()).toMatch(/Approve/);

    const back = await approveAndReturn(orderId);
    expect(back.status).toBe(303);
    expect(back.headers.get("Location")).toBe(`${RETURN_URL}?payment_no=${payment.payment_no}&status=succeeded`);
    const paid = await getPayment(m.testKey, payment.payment_no);
    expect(paid).toMatchObject({ status: "succeeded", next_action: null });
    const transitions = await env.PAYMENT.get(env.PAYMENT.idFromName(payment.payment_no)).transitions();
    expect(transitions.at(-1)).toMatchObject({ to: "succeeded", cause: { type: "return" } });

    // PayPal's own webhooks for the same approval and capture change nothing more: one capture
    const answers = await forwardPayPalWebhooks(orderId);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(await capturesOf(orderId)).toHaveLength(1);
    const approval = (await paypal.webhooks()).find((w) => w.event.event_type === "CHECKOUT.ORDER.APPROVED" && w.body.includes(orderId))!;
    const callback = await env.DB.prepare("SELECT status, detail FROM payment_callbacks WHERE event_id = ?").bind(approval.event.id).first();
    expect(callback).toEqual({ status: "ignored", detail: "approved after the payment was succeeded" });

    const partial = await refund(m.testKey, { payment_no: payment.payment_no, amount: 500, reason: "one item returned" });
    expect(partial.status).toBe(201);
    const { refund_no } = await partial.json<{ refund_no: string }>();
    await paymentReaches(m.testKey, payment.payment_no, "partially_refunded");
    const [call] = (await paypal.requests()).filter((r) => r.path.endsWith("/refund") && JSON.stringify(r.body).includes(refund_no));
    expect(call!.headers["paypal-request-id"]).toBe(refund_no);
    expect(call!.body).toMatchObject({ amount: { currency_code: "USD", value: "5.00" }, invoice_id: refund_no, custom_id: payment.payment_no });
    const settled = await (await api(`/api/v1/refunds/${refund_no}`, { key: m.testKey })).json<{ status: string }>();
    expect(settled.status).toBe("succeeded");
    expect((await getPayment(m.testKey, payment.payment_no)).refunded_amount).toBe(500);
  });

  it("captures from the approval webhook alone when the buyer never comes back", async () => {
    const m = await createMerchant();
    const { payment, orderId } = await paypalPayment(m.testKey);
    await paypal.approve(orderId); // the buyer closes the tab instead of following the redirect
    const [approved] = await forwardPayPalWebhooks(orderId, { types: ["CHECKOUT.ORDER.APPROVED"] });
    expect(approved!.status).toBe(200);
    // approved: processing until the queued capture has run
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");
    expect(await capturesOf(orderId)).toHaveLength(1);
  });

  it("captures once when the return, the webhook and a repeated return race", async () => {
    const m = await createMerchant();
    const { payment, orderId } = await paypalPayment(m.testKey);
    const { return_url } = await paypal.approve(orderId);
    const [a, b] = await Promise.all([
      SELF.fetch(return_url!, { redirect: "manual" }),
      SELF.fetch(return_url!, { redirect: "manual" }),
      forwardPayPalWebhooks(orderId, { types: ["CHECKOUT.ORDER.APPROVED"] }),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");
    // every capture call carries the payment's one completion key: PayPal makes one capture
    const calls = await capturesOf(orderId);
    expect(new Set(calls.map((c) => c.headers["paypal-request-id"]))).toEqual(new Set([`${payment.payment_no}:attempt-1:complete`]));
    const order = await (await fetch(`${PAYPAL_EMULATOR}/_emulator/webhooks`)).json<Array<{ event: { event_type: string; resource: { supplementary_data?: { related_ids?: { order_id?: string } } } } }>>();
    expect(order.filter((w) => w.event.event_type === "PAYMENT.CAPTURE.COMPLETED" && w.event.resource.supplementary_data?.related_ids?.order_id === orderId)).toHaveLength(1);
  });

  it("does nothing for a return naming another order, and 404s an unknown payment", async () => {
    const m = await createMerchant();
    const { payment } = await paypalPayment(m.testKey);
    const forged = await SELF.fetch(`https://payments.test/api/v1/checkout/${payment.payment_no}/return?token=5O190127TN364715T`, { redirect: "manual" });
    expect(await errorOf(forged)).toMatchObject({ status: 404, code: "resource_missing" });
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("requires_action");
    const unknown = await SELF.fetch("https://payments.test/api/v1/checkout/not-a-payment/return?token=X", { redirect: "manual" });
    expect(unknown.status).toBe(404);
  });

  it("leaves a payment whose buyer returns without approving as it was, and sends the buyer who cancels back unchanged", async () => {
    const m = await createMerchant();
    const { payment, orderId } = await paypalPayment(m.testKey);
    const early = await SELF.fetch(`https://payments.test/api/v1/checkout/${payment.payment_no}/return?token=${orderId}`, { redirect: "manual" });
    expect(early.headers.get("Location")).toBe(`${RETURN_URL}?payment_no=${payment.payment_no}&status=requires_action`);
    const cancelled = await SELF.fetch(`https://payments.test/api/v1/checkout/${payment.payment_no}/cancel?token=${orderId}`, { redirect: "manual" });
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get("Location")).toBe(`${RETURN_URL}?payment_no=${payment.payment_no}&status=requires_action`);
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("requires_action");
  });

  it("fails the payment when PayPal declines the capture, or the buyer's funding source at capture", async () => {
    const m = await createMerchant();
    const declined = await paypalPayment(m.testKey);
    await paypal.outcome(declined.orderId, { capture: "DECLINED" });
    await approveAndReturn(declined.orderId);
    expect(await getPayment(m.testKey, declined.payment.payment_no)).toMatchObject({ status: "failed", failure: { code: "capture_declined" } });

    const instrument = await paypalPayment(m.testKey);
    await paypal.outcome(instrument.orderId, { error: "INSTRUMENT_DECLINED" });
    const back = await approveAndReturn(instrument.orderId);
    expect(back.headers.get("Location")).toContain("status=failed");
    expect(await getPayment(m.testKey, instrument.payment.payment_no)).toMatchObject({ status: "failed", failure: { code: "instrument_declined" } });
  });

  it("waits in processing on a pending capture until PayPal's webhook completes it", async () => {
    const m = await createMerchant();
    const { payment, orderId } = await paypalPayment(m.testKey);
    await paypal.outcome(orderId, { capture: "PENDING" });
    await approveAndReturn(orderId);
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("processing");
    const captureId = (await paypal.webhooks()).find((w) => w.event.event_type === "PAYMENT.CAPTURE.PENDING" && w.body.includes(orderId))!.event.resource.id as string;
    await paypal.captureAction(captureId, "complete");
    await forwardPayPalWebhooks(captureId, { types: ["PAYMENT.CAPTURE.COMPLETED"] });
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");
  });

  it("settles a refund PayPal left pending from its webhook, and another from status sync", async () => {
    const m = await createMerchant();
    const { payment, orderId } = await paypalPayment(m.testKey, { amount: 3000 });
    await approveAndReturn(orderId);
    const pendingRefund = async (amount: number) => {
      await paypal.nextRefund("PENDING");
      const res = await refund(m.testKey, { payment_no: payment.payment_no, amount });
      const { refund_no } = await res.json<{ refund_no: string }>();
      // the queued call has reached PayPal, which answered PENDING
      const call = await eventually(
        async () => (await paypal.requests()).find((r) => r.path.endsWith("/refund") && JSON.stringify(r.body).includes(refund_no)),
        (r) => r !== undefined,
      );
      return { refund_no, call };
    };
    const byWebhook = await pendingRefund(1000);
    const bySync = await pendingRefund(500);
    const refundIds = (await paypal.webhooks()).filter((w) => w.event.event_type === "PAYMENT.REFUND.PENDING" && w.body.includes(payment.payment_no)).map((w) => w.event.resource.id as string);
    expect(refundIds).toHaveLength(2);
    await eventually(async () => (await api(`/api/v1/refunds/${bySync.refund_no}`, { key: m.testKey })).json<{ status: string }>(), (r) => r.status === "pending");

    for (const id of refundIds) await fetch(`${PAYPAL_EMULATOR}/_emulator/refunds/${id}/complete`, { method: "POST", body: "{}" });
    // one refund's PAYMENT.CAPTURE.REFUNDED arrives; the other's is lost
    const first = (await paypal.webhooks()).find((w) => w.event.event_type === "PAYMENT.CAPTURE.REFUNDED" && w.body.includes(byWebhook.refund_no))!;
    await forwardPayPalWebhooks(first.event.resource.id as string, { types: ["PAYMENT.CAPTURE.REFUNDED"] });
    await eventually(async () => (await api(`/api/v1/refunds/${byWebhook.refund_no}`, { key: m.testKey })).json<{ status: string }>(), (r) => r.status === "succeeded");
    expect((await getPayment(m.testKey, payment.payment_no)).refunded_amount).toBe(1000);

    await syncNow(payment.payment_no);
    expect((await (await api(`/api/v1/refunds/${bySync.refund_no}`, { key: m.testKey })).json<{ status: string }>()).status).toBe("succeeded");
    expect(await getPayment(m.testKey, payment.payment_no)).toMatchObject({ status: "partially_refunded", refunded_amount: 1500 });
  });

  it("takes a repeated PayPal webhook once: the same event id is a duplicate", async () => {
    const m = await createMerchant();
    const { orderId } = await paypalPayment(m.testKey);
    await paypal.approve(orderId);
    const webhook = (await paypal.webhooks()).find((w) => w.event.event_type === "CHECKOUT.ORDER.APPROVED" && w.body.includes(orderId))!;
    const post = () => SELF.fetch("http://platform.test/api/v1/webhooks/paypal", { method: "POST", headers: webhook.headers, body: webhook.body });
    const answers = await Promise.all([post(), post(), post()]);
    const bodies = await Promise.all(answers.map((r) => r.json<{ event_id: string; duplicate: boolean }>()));
    expect(bodies.map((b) => b.event_id)).toEqual([webhook.event.id, webhook.event.id, webhook.event.id]);
    expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1);
  });

  it("records a dispute from CUSTOMER.DISPUTE.CREATED", async () => {
    const m = await createMerchant();
    const { payment, orderId } = await paypalPayment(m.testKey);
    await approveAndReturn(orderId);
    const captureId = (await paypal.webhooks()).find((w) => w.event.event_type === "PAYMENT.CAPTURE.COMPLETED" && w.body.includes(orderId))!.event.resource.id as string;
    await paypal.captureAction(captureId, "dispute");
    const [answer] = await forwardPayPalWebhooks(captureId, { types: ["CUSTOMER.DISPUTE.CREATED"] });
    expect(answer!.status).toBe(200);
    await eventually(() => getPayment(m.testKey, payment.payment_no), (p) => p.disputed_at !== null);
  });

  it("is completed by status sync when the buyer approved but neither the return nor the webhook arrived", async () => {
    const m = await createMerchant();
    const { payment, orderId } = await paypalPayment(m.testKey);
    await paypal.approve(orderId);
    await syncNow(payment.payment_no);
    const stub = env.PAYMENT.get(env.PAYMENT.idFromName(payment.payment_no));
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("succeeded");
    expect((await stub.transitions()).at(-1)).toMatchObject({ to: "succeeded", cause: { type: "sync" } });
  });

  it("refuses a currency PayPal does not take, and an amount it cannot express, naming the field", async () => {
    const m = await createMerchant();
    expect(await errorOf(await createPayment(m.testKey, { channel: "paypal", currency: "INR" }))).toMatchObject({
      status: 400,
      code: "currency_unsupported",
      param: "currency",
    });
    // HUF has no decimals at PayPal: 10.50 HUF cannot be charged
    const huf = await createPayment(m.testKey, { channel: "paypal", currency: "HUF", amount: 1050 });
    expect(await errorOf(huf)).toMatchObject({ status: 400, code: "amount_precision_unsupported" });
    // JPY goes as whole yen
    const { payment } = await paypalPayment(m.testKey, { currency: "JPY", amount: 1500 });
    const [create] = (await paypal.requests()).filter((r) => r.path === "/v2/checkout/orders" && JSON.stringify(r.body).includes(payment.payment_no));
    expect(create!.body).toMatchObject({ purchase_units: [{ amount: { currency_code: "JPY", value: "1500" } }] });
  });

  it("makes one PayPal order for concurrent creates of one order_no", async () => {
    const m = await createMerchant();
    const body = { channel: "paypal", order_no: `PP-${Date.now()}`, amount: 2500, currency: "EUR", return_url: RETURN_URL };
    const answers = await Promise.all(Array.from({ length: 5 }, () => createPayment(m.testKey, body)));
    const payments = await Promise.all(answers.map((r) => r.json<PaymentJson>()));
    expect(new Set(payments.map((p) => p.payment_no)).size).toBe(1);
    const creates = (await paypal.requests()).filter((r) => r.path === "/v2/checkout/orders" && JSON.stringify(r.body).includes(payments[0]!.payment_no));
    expect(new Set(creates.map((c) => c.headers["paypal-request-id"])).size).toBe(1);
    expect(new Set(payments.map((p) => p.next_action?.redirect_to_url?.url)).size).toBe(1);
  });
});

describe("a merchant's own PayPal app", () => {
  const ownApp = { client_id: TEST_PAYPAL.merchantClientId, client_secret: TEST_PAYPAL.merchantClientSecret, webhook_id: TEST_PAYPAL.merchantWebhookId };
  const configure = (key: string, body: Record<string, unknown> = ownApp) => api("/api/v1/merchant/channels/paypal", { key, method: "PUT", body });

  it("is checked at PayPal, stored sealed, shown without its secret, and serves the merchant's PayPal payments", async () => {
    const m = await createMerchant();
    const res = await configure(m.testKey);
    expect(res.status).toBe(200);
    const config = await res.json<Record<string, unknown>>();
    expect(config).toMatchObject({
      channel: "paypal",
      credentials: { client_id: TEST_PAYPAL.merchantClientId, client_secret_hint: `…${TEST_PAYPAL.merchantClientSecret.slice(-4)}`, webhook_id: TEST_PAYPAL.merchantWebhookId },
      webhook_path: `/api/v1/webhooks/paypal/${m.id}`,
    });
    expect(JSON.stringify(config)).not.toContain(TEST_PAYPAL.merchantClientSecret);
    const row = JSON.stringify(await env.DB.prepare("SELECT * FROM channel_configs WHERE merchant_id = ?").bind(m.id).first());
    expect(row).not.toContain(TEST_PAYPAL.merchantClientSecret);

    const { payment, orderId } = await paypalPayment(m.testKey);
    const basic = `Basic ${btoa(`${TEST_PAYPAL.merchantClientId}:${TEST_PAYPAL.merchantClientSecret}`)}`;
    expect((await paypal.requests()).some((r) => r.path === "/v1/oauth2/token" && r.headers.authorization === basic)).toBe(true);
    await paypal.approve(orderId);
    // its webhooks are taken at its own path only
    const [platformPath] = await forwardPayPalWebhooks(orderId, { types: ["CHECKOUT.ORDER.APPROVED"] });
    expect(await errorOf(platformPath!)).toMatchObject({ status: 400, code: "webhook_signature_invalid" });
    const own = await SELF.fetch(`http://platform.test/api/v1/webhooks/paypal/${m.id}`, {
      method: "POST",
      headers: (await paypal.webhooks()).find((w) => w.event.event_type === "CHECKOUT.ORDER.APPROVED" && w.body.includes(orderId))!.headers,
      body: (await paypal.webhooks()).find((w) => w.event.event_type === "CHECKOUT.ORDER.APPROVED" && w.body.includes(orderId))!.body,
    });
    expect(own.status).toBe(200);
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");
  });

  it("refuses a secret PayPal rejects and a webhook id the app does not have, naming the field, and stores nothing", async () => {
    const m = await createMerchant();
    expect(await errorOf(await configure(m.testKey, { ...ownApp, client_secret: "wrong" }))).toMatchObject({
      status: 400,
      code: "channel_credentials_invalid",
      param: "client_id",
    });
    expect(await errorOf(await configure(m.testKey, { ...ownApp, webhook_id: "9NOSUCHWEBHOOK" }))).toMatchObject({
      status: 400,
      code: "channel_credentials_invalid",
      param: "webhook_id",
    });
    expect(await errorOf(await configure(m.testKey, { ...ownApp, webhook_id: "WH-1" }))).toMatchObject({ status: 400, param: "webhook_id" });
    expect(await env.DB.prepare("SELECT 1 FROM channel_configs WHERE merchant_id = ?").bind(m.id).first()).toBeNull();
  });
});
