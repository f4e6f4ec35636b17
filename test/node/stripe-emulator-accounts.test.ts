// The Stripe emulator holds several accounts as Stripe does: an object belongs to the account
// whose key created it, other accounts' keys are told it does not exist, and its webhooks are
// signed with its account's secret and posted to its account's URL.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeEmulator } from "../emulators/stripe/server.mjs";

const A = { apiKey: "sk_test_account_a", webhookSecret: "whsec_account_a" };
const B = { apiKey: "sk_test_account_b", webhookSecret: "whsec_account_b" };

/** What the emulator answers: an object with its id, or Stripe's error object. */
interface Answer {
  id: string;
  error?: { type: string; code: string; param?: string };
}

let emulator: { url: string; close(): Promise<void> };
// Account B's webhook endpoint: records what the emulator posts to it.
let endpoint: Server;
const posted: Array<{ signature: string; body: string }> = [];

const register = (body: Record<string, string>) =>
  fetch(`${emulator.url}/_emulator/accounts`, { method: "POST", body: JSON.stringify(body) });

// A is given at start; B is registered at run time, with a webhook URL.
beforeAll(async () => {
  emulator = await startStripeEmulator({ port: 0, accounts: [A] });
  endpoint = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      posted.push({ signature: String(req.headers["stripe-signature"]), body });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  const port = (endpoint.address() as AddressInfo).port;
  await register({ api_key: B.apiKey, webhook_secret: B.webhookSecret, webhook_url: `http://127.0.0.1:${port}/b` });
});
afterAll(async () => {
  await emulator.close();
  await new Promise((done) => endpoint.close(done));
});

async function call(key: string, method: string, path: string, body: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/x-www-form-urlencoded", ...headers },
    ...(method === "GET" ? {} : { body: new URLSearchParams(body).toString() }),
  });
  return { status: res.status, json: (await res.json()) as Answer };
}

const deliveriesFor = async (objectId: string) =>
  ((await (await fetch(`${emulator.url}/_emulator/deliveries`)).json()) as Array<{ account: string; body: string; headers: Record<string, string> }>).filter(
    (d) => d.body.includes(objectId),
  );

/** The SDK's own verification: throws unless `secret` signed the delivery. */
const verify = (body: string, signature: string, secret: string) => new Stripe("sk_test_verifier").webhooks.constructEvent(body, signature, secret);

describe("Stripe emulator accounts", () => {
  it("refuses a key it does not know with Stripe's 401, and accepts it once registered at run time", async () => {
    const C = "sk_test_account_c";
    expect(await call(C, "GET", "/v1/account")).toMatchObject({ status: 401, json: { error: { type: "invalid_request_error", code: "api_key_invalid" } } });
    const res = await register({ api_key: C, webhook_secret: "whsec_account_c" });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as Answer;
    expect(await call(C, "GET", "/v1/account")).toMatchObject({ status: 200, json: { object: "account", id } });
    expect((await call(A.apiKey, "GET", "/v1/account")).json.id).not.toBe(id);
  });

  it("refuses to register an account without a secret key or a webhook secret, naming the field", async () => {
    const noKey = await register({ api_key: "pk_test_x", webhook_secret: "whsec_x" });
    expect(noKey.status).toBe(400);
    expect(await noKey.json()).toMatchObject({ error: { code: "parameter_invalid", param: "api_key" } });
    expect(await (await register({ api_key: "sk_test_x" })).json()).toMatchObject({ error: { param: "webhook_secret" } });
  });

  it("keeps each account's PaymentIntents and Refunds invisible to another account's key (404 resource_missing)", async () => {
    const pi = (await call(A.apiKey, "POST", "/v1/payment_intents", { amount: "1000", currency: "usd" })).json;
    expect(await call(B.apiKey, "GET", `/v1/payment_intents/${pi.id}`)).toMatchObject({ status: 404, json: { error: { code: "resource_missing" } } });
    expect((await call(B.apiKey, "POST", `/v1/payment_intents/${pi.id}/cancel`)).status).toBe(404);
    await fetch(`${emulator.url}/_emulator/payment_intents/${pi.id}/succeed`, { method: "POST", body: "{}" });
    expect(await call(B.apiKey, "POST", "/v1/refunds", { payment_intent: pi.id })).toMatchObject({
      status: 400,
      json: { error: { code: "resource_missing", param: "payment_intent" } },
    });
    const refund = (await call(A.apiKey, "POST", "/v1/refunds", { payment_intent: pi.id, amount: "300" })).json;
    expect((await call(B.apiKey, "GET", `/v1/refunds/${refund.id}`)).status).toBe(404);
    expect(await call(A.apiKey, "GET", `/v1/refunds/${refund.id}`)).toMatchObject({ status: 200, json: { id: refund.id } });
    expect(await call(A.apiKey, "GET", `/v1/payment_intents/${pi.id}`)).toMatchObject({ status: 200, json: { id: pi.id, status: "succeeded" } });
  });

  it("scopes Idempotency-Key to the account: the same key on two accounts creates two PaymentIntents", async () => {
    const headers = { "Idempotency-Key": "same-key-two-accounts" };
    const a = await call(A.apiKey, "POST", "/v1/payment_intents", { amount: "700", currency: "eur" }, headers);
    const b = await call(B.apiKey, "POST", "/v1/payment_intents", { amount: "700", currency: "eur" }, headers);
    expect(b.json.id).not.toBe(a.json.id);
    expect((await call(B.apiKey, "GET", `/v1/payment_intents/${a.json.id}`)).status).toBe(404);
  });

  it("signs each object's webhooks with its account's secret and posts them to its account's URL", async () => {
    const ofA = (await call(A.apiKey, "POST", "/v1/payment_intents", { amount: "1200", currency: "usd" })).json;
    const ofB = (await call(B.apiKey, "POST", "/v1/payment_intents", { amount: "1300", currency: "usd" })).json;
    for (const pi of [ofA, ofB]) await fetch(`${emulator.url}/_emulator/payment_intents/${pi.id}/succeed`, { method: "POST", body: "{}" });

    const [deliveryA] = await deliveriesFor(ofA.id);
    const [deliveryB] = await deliveriesFor(ofB.id);
    expect(verify(deliveryA!.body, deliveryA!.headers["Stripe-Signature"]!, A.webhookSecret).type).toBe("payment_intent.succeeded");
    expect(() => verify(deliveryA!.body, deliveryA!.headers["Stripe-Signature"]!, B.webhookSecret)).toThrow();
    expect(verify(deliveryB!.body, deliveryB!.headers["Stripe-Signature"]!, B.webhookSecret).type).toBe("payment_intent.succeeded");
    expect(deliveryB!.account).toBe((await call(B.apiKey, "GET", "/v1/account")).json.id);

    // only B has a webhook URL: its event arrives there, A's is only listed
    await expect.poll(() => posted.filter((p) => p.body.includes(ofB.id)).length).toBe(1);
    const [arrived] = posted.filter((p) => p.body.includes(ofB.id));
    expect(verify(arrived!.body, arrived!.signature, B.webhookSecret).id).toBe(JSON.parse(deliveryB!.body).id);
    expect(posted.some((p) => p.body.includes(ofA.id))).toBe(false);
  });
});
