// Channel webhooks that are signed but must still not move a payment: another account's event id,
// an amount that is not the payment's, a timestamp from the future, a body of the wrong shape.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signPayload } from "../../shared/channels/signature";
import type { SandboxIntent } from "../../shared/channels/sandbox/wire";
import { TEST_SANDBOX_SECRET, TEST_STRIPE } from "../constants";
import { sandboxIntentEvent, stripeSucceededEvent } from "./channel-events";
import { api, createMerchant, createPayment, errorOf, eventually, getPayment, type PaymentJson } from "./helpers";
import { postStripeEvent } from "./stripe-emulator";

let seq = 0;

const callbacks = async (eventId: string) =>
  (await env.DB.prepare("SELECT * FROM payment_callbacks WHERE event_id = ? ORDER BY received_at").bind(eventId).all<Record<string, unknown>>()).results;

/** A sandbox payment parked in requires_action, and events about it as the sandbox signs them. */
async function parkedSandboxPayment() {
  const m = await createMerchant();
  const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
  const event = (status: SandboxIntent["status"], amount = payment.amount) => sandboxIntentEvent(payment, status, { amount });
  return { m, payment, event };
}

async function postSandbox(body: string) {
  const signature = await signPayload(TEST_SANDBOX_SECRET, body, Math.floor(Date.now() / 1000));
  return api("/api/v1/webhooks/sandbox", { body, headers: { "Sandbox-Signature": signature } });
}

describe("webhook dedupe is per channel account", () => {
  it("an event id posted first through a merchant's own account does not shadow the platform's event with that id", async () => {
    const a = await createMerchant();
    const payment = await (await createPayment(a.testKey, { channel: "stripe", amount: 5000 })).json<PaymentJson>();
    const b = await createMerchant();
    const configured = await api("/api/v1/merchant/channels/stripe", {
      key: b.testKey,
      method: "PUT",
      body: { secret_key: TEST_STRIPE.merchantApiKey, webhook_secret: TEST_STRIPE.merchantWebhookSecret },
    });
    expect(configured.status).toBe(200);
    const eventId = `evt_shared_${Date.now()}`;

    // merchant B signs event X with its own secret, at its own path, naming A's payment
    const forged = await postStripeEvent(stripeSucceededEvent(payment, eventId), { secret: TEST_STRIPE.merchantWebhookSecret, path: `/api/v1/webhooks/stripe/${b.id}` });
    expect(await forged.json()).toMatchObject({ received: true, duplicate: false });
    await eventually(() => callbacks(eventId), (rows) => rows[0]?.status === "ignored");
    expect((await getPayment(a.testKey, payment.payment_no)).status).toBe("pending");

    // the platform's genuine event X is new, and applied
    const genuine = await postStripeEvent(stripeSucceededEvent(payment, eventId));
    expect(await genuine.json()).toMatchObject({ received: true, duplicate: false });
    await eventually(() => getPayment(a.testKey, payment.payment_no), (p) => p.status === "succeeded");
    const rows = await eventually(() => callbacks(eventId), (r) => r.length === 2 && r.every((row) => row.status !== "received"));
    const byAccount = Object.fromEntries(rows.map((r) => [r.account as string, r]));
    expect(byAccount[b.id]).toMatchObject({ status: "ignored", detail: `event came through stripe account ${b.id}, which no attempt of the payment used` });
    expect(byAccount.platform).toMatchObject({ status: "applied", detail: null });
  });
});

describe("an event's amount must be the payment's", () => {
  it("a signed succeeded of 1 on a payment of 10000 changes nothing and is recorded as ignored with the reason", async () => {
    const { m, payment, event } = await parkedSandboxPayment();
    const e = event("succeeded", 1);
    expect((await postSandbox(JSON.stringify(e))).status).toBe(200);
    const [row] = await eventually(() => callbacks(e.id), (rows) => rows[0]?.status === "ignored");
    expect(row!.detail).toBe("the event is for 1 USD, not 10000 USD");
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("requires_action");
    // the right amount still settles it
    const right = event("succeeded");
    await postSandbox(JSON.stringify(right));
    await eventually(() => getPayment(m.testKey, payment.payment_no), (p) => p.status === "succeeded");
  });

  it("a Stripe event in another currency is ignored the same way", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { channel: "stripe", amount: 2000 })).json<PaymentJson>();
    const id = `evt_cur_${Date.now()}`;
    await postStripeEvent(stripeSucceededEvent(payment, id, { currency: "eur" }));
    const [row] = await eventually(() => callbacks(id), (rows) => rows[0]?.status === "ignored");
    expect(row!.detail).toBe("the event is for 2000 EUR, not 2000 USD");
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("pending");
  });
});

describe("signature timestamps", () => {
  it("refuses a Stripe signature more than 300 s in the future, as the sandbox does", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { channel: "stripe" })).json<PaymentJson>();
    const id = `evt_future_${Date.now()}`;
    const res = await postStripeEvent(stripeSucceededEvent(payment, id), { at: Date.now() + 400_000 });
    expect(await errorOf(res)).toMatchObject({ status: 400, code: "webhook_timestamp_stale" });
    expect(await callbacks(id)).toHaveLength(0);
    // within the tolerance it is taken
    expect((await postStripeEvent(stripeSucceededEvent(payment, `${id}_ok`), { at: Date.now() + 200_000 })).status).toBe(200);
  });
});

describe("a signed body of the wrong shape", () => {
  it("is a 400 naming the field, and nothing is stored", async () => {
    const { event } = await parkedSandboxPayment();
    const e = event("processing");
    const body = JSON.stringify({ ...e, id: 123 });
    const error = await errorOf(await postSandbox(body));
    expect(error).toMatchObject({ status: 400, code: "webhook_payload_invalid" });
    expect(error.message).toMatch(/\bid\b/);
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM payment_callbacks WHERE event_id IN ('123', '123.0')").first<{ n: number }>();
    expect(stored!.n).toBe(0);
    const audit = await env.DB.prepare("SELECT * FROM webhook_logs WHERE verified = 0 AND error = 'webhook_payload_invalid'").all();
    expect(audit.results.length).toBeGreaterThan(0);
  });

  it.each([
    ["an amount as a string", { amount: "2000" }, "data.object.amount"],
    ["no currency", { currency: undefined }, "data.object.currency"],
    ["metadata that is not strings", { metadata: { payment_no: 7 } }, "data.object.metadata.payment_no"],
  ])("Stripe: %s is refused", async (_label, overrides, field) => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { channel: "stripe" })).json<PaymentJson>();
    const error = await errorOf(await postStripeEvent(stripeSucceededEvent(payment, `evt_shape_${Date.now()}_${++seq}`, overrides)));
    expect(error).toMatchObject({ status: 400, code: "webhook_payload_invalid" });
    expect(error.message).toContain(field);
  });
});
