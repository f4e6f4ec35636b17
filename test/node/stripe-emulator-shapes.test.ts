// The Stripe emulator must answer in Stripe's shapes: every field it sends exists in Stripe's
// published example object, with the same JSON type (null allowed on either side).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fixtures from "../data/stripe-fixtures.json";
import { startStripeEmulator } from "../emulators/stripe/server.mjs";

const KEY = "sk_test_shapes";
let emulator: { url: string; close(): Promise<void> };

beforeAll(async () => {
  emulator = await startStripeEmulator({ port: 12113, accounts: [{ apiKey: KEY, webhookSecret: "whsec_shapes" }] });
});
afterAll(() => emulator.close());

const form = (body: Record<string, string>) => new URLSearchParams(body).toString();
async function post(path: string, body: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(`${emulator.url}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: form(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

function expectStripeShape(actual: Record<string, unknown>, example: Record<string, unknown>) {
  for (const [key, value] of Object.entries(actual)) {
    expect(Object.keys(example), `field ${key}`).toContain(key);
    const [a, b] = [kind(value), kind(example[key])];
    if (a !== "null" && b !== "null") expect(a, `type of ${key}`).toBe(b);
  }
}

describe("Stripe emulator wire format", () => {
  it("answers PaymentIntents, Refunds and Events in Stripe's shapes", async () => {
    const pi = await post("/v1/payment_intents", { amount: "2000", currency: "usd", "metadata[payment_no]": "PY1", "automatic_payment_methods[enabled]": "true" });
    expect(pi.status).toBe(200);
    expectStripeShape(pi.json, fixtures.payment_intent);
    expect(pi.json).toMatchObject({ object: "payment_intent", amount: 2000, currency: "usd", metadata: { payment_no: "PY1" }, status: "requires_payment_method" });

    await fetch(`${emulator.url}/_emulator/payment_intents/${pi.json.id}/succeed`, { method: "POST", body: "{}" });
    const refund = await post("/v1/refunds", { payment_intent: String(pi.json.id), amount: "500" });
    expectStripeShape(refund.json, fixtures.refund);
    expect(refund.json).toMatchObject({ object: "refund", amount: 500, status: "pending" });

    const deliveries = (await (await fetch(`${emulator.url}/_emulator/deliveries`)).json()) as Array<{ body: string; headers: Record<string, string> }>;
    for (const delivery of deliveries) {
      const event = JSON.parse(delivery.body) as Record<string, unknown>;
      expectStripeShape(event, fixtures.event);
      expect(delivery.headers["Stripe-Signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    }
  });

  it("answers the key's account in Stripe's shape (GET /v1/account)", async () => {
    const res = await fetch(`${emulator.url}/v1/account`, { headers: { Authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(200);
    const account = (await res.json()) as Record<string, unknown>;
    expectStripeShape(account, fixtures.account);
    expect(account).toMatchObject({ object: "account", id: expect.stringMatching(/^acct_\w{16}$/) });
  });

  it("answers Stripe's error object, and replays an idempotent request", async () => {
    const missing = await post("/v1/payment_intents", { currency: "usd" });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ error: { type: "invalid_request_error", code: "parameter_missing", param: "amount" } });

    const first = await post("/v1/payment_intents", { amount: "900", currency: "eur" }, { "Idempotency-Key": "shape-1" });
    const replay = await post("/v1/payment_intents", { amount: "900", currency: "eur" }, { "Idempotency-Key": "shape-1" });
    expect(replay.json.id).toBe(first.json.id);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    const reused = await post("/v1/payment_intents", { amount: "901", currency: "eur" }, { "Idempotency-Key": "shape-1" });
    expect(reused.json).toMatchObject({ error: { type: "idempotency_error" } });

    const unauthorized = await fetch(`${emulator.url}/v1/payment_intents/${first.json.id}`, { headers: { Authorization: "Bearer sk_test_wrong" } });
    expect(unauthorized.status).toBe(401);
  });
});
