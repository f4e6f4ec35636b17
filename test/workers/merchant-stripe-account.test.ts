import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TEST_STRIPE } from "../constants";
import { stripeSucceededEvent } from "./channel-events";
import { api, createMerchant, createPayment, errorOf, eventually, getPayment, type PaymentJson } from "./helpers";
import { postStripeEvent, stripe } from "./stripe-emulator";

const ownAccount = { secret_key: TEST_STRIPE.merchantApiKey, webhook_secret: TEST_STRIPE.merchantWebhookSecret, publishable_key: "pk_test_merchant_own" };

const configure = (key: string, body: Record<string, unknown> = ownAccount) =>
  api("/api/v1/merchant/channels/stripe", { key, method: "PUT", body });

describe("a merchant's own Stripe account", () => {
  it("stores the credentials sealed, shows only a hint, and routes the merchant's Stripe payments to its account", async () => {
    const m = await createMerchant();
    const res = await configure(m.testKey);
    expect(res.status).toBe(200);
    const config = await res.json<Record<string, unknown>>();
    expect(config).toMatchObject({
      channel: "stripe",
      livemode: false,
      credentials: { secret_key_hint: "sk_test_…9876", publishable_key: "pk_test_merchant_own" },
      webhook_path: `/api/v1/webhooks/stripe/${m.id}`,
    });
    // and it reads back the same, still without a secret
    const read = await (await api("/api/v1/merchant/channels/stripe", { key: m.testKey })).json<Record<string, unknown>>();
    expect(read).toEqual(config);
    expect(JSON.stringify(config)).not.toContain(TEST_STRIPE.merchantApiKey);
    const row = JSON.stringify(await env.DB.prepare("SELECT * FROM channel_configs WHERE merchant_id = ?").bind(m.id).first());
    expect(row).not.toContain(TEST_STRIPE.merchantApiKey);
    expect(row).not.toContain(TEST_STRIPE.merchantWebhookSecret);

    const channels = await (await api("/api/v1/channels", { key: m.testKey })).json<{ data: Array<{ channel: string; account: string }> }>();
    expect(channels.data.find((c) => c.channel === "stripe")).toMatchObject({ account: "merchant" });

    const payment = await (await createPayment(m.testKey, { channel: "stripe" })).json<PaymentJson>();
    expect(payment.next_action?.use_client_sdk?.publishable_key).toBe("pk_test_merchant_own");
    const [call] = (await stripe.requests()).filter((r) => r.params.metadata?.payment_no === payment.payment_no);
    expect(call!.api_key_last4).toBe("9876");
  });

  it("takes that account's webhooks only at its own path, signed with its own secret", async () => {
    const m = await createMerchant();
    await configure(m.testKey);
    const payment = await (await createPayment(m.testKey, { channel: "stripe" })).json<PaymentJson>();
    const platformPath = await postStripeEvent(stripeSucceededEvent(payment), { secret: TEST_STRIPE.merchantWebhookSecret });
    expect(await errorOf(platformPath)).toMatchObject({ status: 400, code: "webhook_signature_invalid" });
    const wrongSecret = await postStripeEvent(stripeSucceededEvent(payment), { path: `/api/v1/webhooks/stripe/${m.id}` });
    expect(wrongSecret.status).toBe(400);
    const own = await postStripeEvent(stripeSucceededEvent(payment), { secret: TEST_STRIPE.merchantWebhookSecret, path: `/api/v1/webhooks/stripe/${m.id}` });
    expect(own.status).toBe(200);
    await eventually(() => getPayment(m.testKey, payment.payment_no), (p) => p.status === "succeeded");
  });

  it("cannot move a payment made on another account, even when correctly signed", async () => {
    const attacker = await createMerchant();
    await configure(attacker.testKey);
    const victim = await createMerchant();
    const payment = await (await createPayment(victim.testKey, { channel: "stripe" })).json<PaymentJson>();
    const event = stripeSucceededEvent(payment);
    const res = await postStripeEvent(event, { secret: TEST_STRIPE.merchantWebhookSecret, path: `/api/v1/webhooks/stripe/${attacker.id}` });
    expect(res.status).toBe(200);
    await eventually(
      async () => env.DB.prepare("SELECT status FROM payment_callbacks WHERE event_id = ?").bind(event.id).first(),
      (row) => row?.status === "ignored",
    );
    expect((await getPayment(victim.testKey, payment.payment_no)).status).toBe("pending");
  });

  it("checks a new key at Stripe with that key before storing it, and answers the account it opens", async () => {
    const m = await createMerchant();
    const secretKey = `sk_test_verified_${crypto.randomUUID().replaceAll("-", "")}`;
    const { id: accountId } = await stripe.addAccount({ api_key: secretKey, webhook_secret: "whsec_verified" });
    const res = await configure(m.testKey, { ...ownAccount, secret_key: secretKey });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ account_id: accountId, credentials: { secret_key_hint: `sk_test_…${secretKey.slice(-4)}` } });
    const checks = (await stripe.requests()).filter((r) => r.path === "/v1/account" && r.api_key_last4 === secretKey.slice(-4));
    expect(checks.map((r) => r.method)).toEqual(["GET"]);
  });

  it("refuses a key Stripe does not know with 400 channel_credentials_invalid on secret_key, and stores nothing", async () => {
    const m = await createMerchant();
    const unknownKey = `sk_test_unknown_${crypto.randomUUID().replaceAll("-", "")}`;
    const error = await errorOf(await configure(m.testKey, { ...ownAccount, secret_key: unknownKey }));
    expect(error).toMatchObject({ status: 400, type: "invalid_request_error", code: "channel_credentials_invalid", param: "secret_key" });
    expect(error.message).toMatch(/Stripe refused the secret key/);
    expect(error.message).not.toContain(unknownKey.slice(8));
    expect((await stripe.requests()).some((r) => r.path === "/v1/account" && r.api_key_last4 === unknownKey.slice(-4))).toBe(true);
    expect(await env.DB.prepare("SELECT 1 FROM channel_configs WHERE merchant_id = ?").bind(m.id).first()).toBeNull();
    const channels = await (await api("/api/v1/channels", { key: m.testKey })).json<{ data: Array<{ channel: string; account: string }> }>();
    expect(channels.data.find((c) => c.channel === "stripe")).toMatchObject({ account: "platform" });
  });

  it("answers 502 and stores nothing when Stripe stays down during the check; payments stay on the platform's account", async () => {
    const m = await createMerchant();
    await stripe.failNext(500, 3); // the first try and the SDK's two retries
    expect(await errorOf(await configure(m.testKey))).toMatchObject({ status: 502, type: "api_error", code: expect.stringMatching(/^stripe_/) });
    expect(await env.DB.prepare("SELECT 1 FROM channel_configs WHERE merchant_id = ?").bind(m.id).first()).toBeNull();
    const payment = await (await createPayment(m.testKey, { channel: "stripe" })).json<PaymentJson>();
    expect(payment.next_action?.use_client_sdk?.publishable_key).toBe(TEST_STRIPE.publishableKey);
    const [call] = (await stripe.requests()).filter((r) => r.params.metadata?.payment_no === payment.payment_no);
    expect(call!.api_key_last4).toBe(TEST_STRIPE.apiKey.slice(-4));
  });

  it("refuses a key of the other mode, and stops using the account once deleted", async () => {
    const m = await createMerchant();
    expect(await errorOf(await configure(m.testKey, { ...ownAccount, secret_key: "sk_live_abc" }))).toMatchObject({
      status: 400,
      code: "parameter_invalid",
      param: "secret_key",
    });
    expect(await errorOf(await configure(m.testKey, { ...ownAccount, webhook_secret: "nope" }))).toMatchObject({
      status: 400,
      param: "webhook_secret",
    });
    await configure(m.testKey);
    const removed = await api("/api/v1/merchant/channels/stripe", { key: m.testKey, method: "DELETE" });
    expect(await removed.json()).toEqual({ deleted: true });
    expect(await errorOf(await api("/api/v1/merchant/channels/stripe", { key: m.testKey }))).toMatchObject({ status: 404, code: "resource_missing" });
    const payment = await (await createPayment(m.testKey, { channel: "stripe" })).json<PaymentJson>();
    expect(payment.next_action?.use_client_sdk?.publishable_key).toBe(TEST_STRIPE.publishableKey);
  });
});
