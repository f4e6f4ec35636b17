// Nothing secret reaches a log line: a full flow that handles every kind of secret the platform
// knows (the admin token, API keys, a webhook signing secret, a merchant's channel credentials, a
// person's password, session cookie and CSRF token, a card number in what a merchant sends), with
// failures along the way, is run with the console captured, and the capture is searched for each.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_TOKEN, TEST_SANDBOX_SECRET, TEST_STRIPE } from "../constants";
import { captureLogs } from "./log-capture";
import { addMerchantUser, asBrowser, PASSWORD, signIn, signInRequest } from "./dashboard-session";
import { api, createMerchant, createPayment, eventually, paymentReaches, type PaymentJson } from "./helpers";
import { newHook } from "./receiver-hooks";
import { postStripeEvent } from "./stripe-emulator";

const CARD = "4242424242424242";
const OWN_STRIPE = { secret_key: TEST_STRIPE.merchantApiKey, webhook_secret: TEST_STRIPE.merchantWebhookSecret, publishable_key: "pk_test_merchant_own" };

describe("no secret in the logs", () => {
  let logs: ReturnType<typeof captureLogs>;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    logs = captureLogs();
    const m = await createMerchant();
    secrets["admin token"] = TEST_ADMIN_TOKEN;
    secrets["test API key"] = m.testKey;
    secrets["live API key"] = m.liveKey;
    secrets["channel secret key"] = OWN_STRIPE.secret_key;
    secrets["channel webhook secret"] = OWN_STRIPE.webhook_secret;
    secrets["platform Stripe key"] = TEST_STRIPE.apiKey;
    secrets["password"] = PASSWORD;
    secrets["sandbox webhook secret"] = TEST_SANDBOX_SECRET;

    // the merchant's webhook endpoint and its signing secret
    const hook = await newHook({ failNext: 1, status: 500 });
    const endpoint = await api("/api/v1/merchant/webhook-endpoint", { key: m.testKey, method: "PUT", body: { url: hook.url } });
    expect(endpoint.status).toBeLessThan(300);
    const revealed = await (await api("/api/v1/merchant/webhook-endpoint/secret", { key: m.testKey })).json<{ secret: string }>();
    secrets["webhook signing secret"] = revealed.secret;

    // a person signs in (once with a wrong password), and works through the dashboard's API
    const owner = await addMerchantUser(m.id, "owner");
    await signInRequest(owner.email, "wrong password, also secret");
    secrets["wrong password"] = "wrong password, also secret";
    const browser = await signIn(owner.email);
    secrets["session cookie"] = browser.cookie.split("=")[1]!;
    secrets["CSRF token"] = browser.csrf;
    const issued = await (await asBrowser(browser, "/api/v1/merchant/api-keys", { body: {} })).json<{ secret: string }>();
    secrets["API key made in the dashboard"] = issued.secret;

    // the merchant's own Stripe account: a payment made through it (its secret key on the call)
    expect((await api("/api/v1/merchant/channels/stripe", { key: m.testKey, method: "PUT", body: OWN_STRIPE })).status).toBe(200);
    const viaStripe = await (await createPayment(m.testKey, { channel: "stripe", customer_email: "buyer@example.com" })).json<PaymentJson>();
    const intent = viaStripe.client_secret!.split("_secret_")[0]!;
    secrets["client secret"] = viaStripe.client_secret!;

    // a sandbox payment that succeeds by the channel's signed webhook, with a card number in the
    // merchant's fields, notified to the merchant (the first attempt fails and is retried), refunded
    const payment = await (
      await createPayment(m.testKey, { customer_email: "buyer@example.com", description: `card ${CARD}`, metadata: { note: CARD }, notify_url: hook.url })
    ).json<PaymentJson>();
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");
    const refund = await api("/api/v1/refunds", { key: m.testKey, body: { payment_no: payment.payment_no, amount: 100, reason: `refund to ${CARD}` } });
    expect(refund.status).toBe(201);

    // failures: a forged webhook, a wrong key, a body that is not JSON, a sandbox payment declined
    await postStripeEvent({ id: `evt_forged_${Date.now()}`, type: "payment_intent.succeeded", data: { object: { id: intent, card: CARD } } }, { secret: "whsec_forged_secret_value" });
    secrets["forged webhook secret"] = "whsec_forged_secret_value";
    await api("/api/v1/payments", { key: `${m.testKey}x`, body: {} });
    await api("/api/v1/payments", { key: m.testKey, body: `{"card":"${CARD}"` });
    await createPayment(m.testKey, { payment_method: "pm_sandbox_declined", notify_url: hook.url, metadata: { card: CARD } });

    // every notification attempt has been made (the first failed and was retried)
    await eventually(hook.received, (received) => received.length >= 3, 15_000);
  }, 60_000);

  afterAll(() => logs.restore());

  it("logged the flow (the capture is not empty)", () => {
    const messages = new Set(logs.lines().map((l) => l.message));
    for (const expected of ["request", "payment moved", "refund saved", "channel event received", "notification delivered", "notification attempt failed"]) {
      expect(messages).toContain(expected);
    }
  });

  it.each(["admin token", "test API key", "live API key", "channel secret key", "channel webhook secret", "platform Stripe key", "sandbox webhook secret", "password", "wrong password", "webhook signing secret", "API key made in the dashboard", "session cookie", "CSRF token", "client secret", "forged webhook secret"])(
    "never logs the %s",
    (name) => {
      expect(secrets[name], `the flow set up the ${name}`).toBeTruthy();
      expect(logs.raw()).not.toContain(secrets[name]);
    },
  );

  it("never logs a card number, a key-shaped string or a signature header", () => {
    const raw = logs.raw();
    expect(raw).not.toContain(CARD);
    expect(raw).not.toMatch(/\b(?:sk|rk)_(?:test|live)_[0-9A-Za-z]{8,}/);
    expect(raw).not.toMatch(/\bwhsec_[0-9A-Za-z]{8,}/);
    expect(raw).not.toMatch(/Stripe-Signature|t=\d+,v1=/i);
  });
});
