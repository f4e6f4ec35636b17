// Each channel emulator takes a failure condition per account (POST /_emulator/conditions): new
// payment creates of that account only are refused while it is down (503 in the channel's own
// shape, nothing made), made and then cut off without an answer (timeout_after_charge, so a replay
// of the same create finds the one object made), or, on Stripe, declined retriably; `share` of
// them are affected. Replays of an answered create and every other call are served as usual.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startBTCPayEmulator } from "../emulators/btcpay/server.mjs";
import { startPayPalEmulator } from "../emulators/paypal/server.mjs";
import { startStripeEmulator } from "../emulators/stripe/server.mjs";

type Json = Record<string, any>;
type Emulator = { url: string; close(): Promise<void> };

async function helper(emulator: Emulator, method: string, path: string, body?: unknown) {
  const res = await fetch(`${emulator.url}/_emulator${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as Json };
}

/** What the client sees of a create whose answer the emulator cut off: the fetch fails. */
const cutOff = (answer: Promise<unknown>) => expect(answer).rejects.toThrow(/fetch failed/);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Stripe emulator conditions", () => {
  const A = { apiKey: "sk_test_conditions_a", webhookSecret: "whsec_conditions_a" };
  const B = { apiKey: "sk_test_conditions_b", webhookSecret: "whsec_conditions_b" };
  let stripe: Emulator;
  beforeAll(async () => {
    stripe = await startStripeEmulator({ port: 0, accounts: [A, B] });
  });
  afterAll(() => stripe.close());

  const set = (apiKey: string, mode: string, share?: number) => helper(stripe, "POST", "/conditions", { api_key: apiKey, mode, ...(share === undefined ? {} : { share }) });
  async function call(key: string, method: string, path: string, body: Record<string, string> = {}, idempotencyKey?: string) {
    const res = await fetch(`${stripe.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/x-www-form-urlencoded", ...(idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {}) },
      ...(method === "GET" ? {} : { body: new URLSearchParams(body).toString() }),
    });
    return { status: res.status, json: (await res.json()) as Json, replayed: res.headers.get("idempotent-replayed") === "true" };
  }
  const create = (key: string, order: string, idempotencyKey?: string) =>
    call(key, "POST", "/v1/payment_intents", { amount: "4200", currency: "eur", "metadata[order]": order }, idempotencyKey);
  const intentsOf = async (order: string) => ((await helper(stripe, "GET", "/payment_intents")).json as unknown as Json[]).filter((pi) => pi.metadata.order === order);

  it("sets a condition per account, lists it by acct_ id, and clears it with up", async () => {
    const account = (await helper(stripe, "POST", "/accounts", { api_key: A.apiKey, webhook_secret: A.webhookSecret })).json.id;
    expect(await set(A.apiKey, "down", 0.25)).toEqual({ status: 200, json: { account, mode: "down", share: 0.25 } });
    expect((await set(A.apiKey, "timeout_after_charge")).json).toEqual({ account, mode: "timeout_after_charge", share: 1 });
    expect((await helper(stripe, "GET", "/conditions")).json).toEqual([{ account, mode: "timeout_after_charge", share: 1 }]);
    await set(A.apiKey, "up");
    expect((await helper(stripe, "GET", "/conditions")).json).toEqual([]);
  });

  it("refuses an unknown account, mode or share, naming the param", async () => {
    expect(await set("sk_test_nobody", "down")).toMatchObject({ status: 400, json: { error: { type: "invalid_request_error", param: "api_key" } } });
    expect(await set(A.apiKey, "sideways")).toMatchObject({ status: 400, json: { error: { param: "mode" } } });
    expect(await set(A.apiKey, "down", 1.5)).toMatchObject({ status: 400, json: { error: { param: "share" } } });
    expect(await set(A.apiKey, "down", "half" as never)).toMatchObject({ status: 400, json: { error: { param: "share" } } });
  });

  it("down answers new PaymentIntents of that account 503 api_error and makes none; other accounts and calls are served", async () => {
    const order = `down-${Math.random()}`;
    const before = await create(A.apiKey, `${order}-before`);
    await set(A.apiKey, "down");
    try {
      const refused = await create(A.apiKey, order, `key-${order}`);
      expect(refused).toMatchObject({ status: 503, json: { error: { type: "api_error" } } });
      expect(await intentsOf(order)).toEqual([]);
      // another account is not disturbed, nor another call of this one
      expect((await create(B.apiKey, `${order}-b`)).status).toBe(200);
      expect((await call(A.apiKey, "GET", `/v1/payment_intents/${before.json.id}`)).status).toBe(200);
      expect((await call(A.apiKey, "POST", `/v1/payment_intents/${before.json.id}/cancel`)).json.status).toBe("canceled");
    } finally {
      await set(A.apiKey, "up");
    }
    // a refusal is not stored under the key: once up, the same create makes the PaymentIntent
    const made = await create(A.apiKey, order, `key-${order}`);
    expect(made).toMatchObject({ status: 200, replayed: false });
    expect((await intentsOf(order)).map((pi) => pi.id)).toEqual([made.json.id]);
  });

  it("timeout_after_charge makes the PaymentIntent, then cuts the connection; a replay of the key answers it", async () => {
    const order = `timeout-${Math.random()}`;
    await set(A.apiKey, "timeout_after_charge");
    try {
      await cutOff(create(A.apiKey, order, `key-${order}`));
      const [made] = await intentsOf(order);
      expect(made).toMatchObject({ status: "requires_payment_method", amount: 4200 });
      // the condition holds, but a create the emulator already answered is answered again
      const replay = await create(A.apiKey, order, `key-${order}`);
      expect(replay).toMatchObject({ status: 200, replayed: true, json: { id: made!.id } });
      expect(await intentsOf(order)).toHaveLength(1);
    } finally {
      await set(A.apiKey, "up");
    }
  });

  it("decline_retriable answers 402 card_error processing_error with the PaymentIntent, left waiting for a payment method", async () => {
    const order = `decline-${Math.random()}`;
    await set(A.apiKey, "decline_retriable");
    try {
      const declined = await create(A.apiKey, order, `key-${order}`);
      expect(declined).toMatchObject({
        status: 402,
        json: { error: { type: "card_error", code: "processing_error", payment_intent: { status: "requires_payment_method", last_payment_error: { code: "processing_error" } } } },
      });
      const [made] = await intentsOf(order);
      expect(made!.id).toBe(declined.json.error.payment_intent.id);
      // Stripe keeps the decline under the key: a replay answers it again
      expect(await create(A.apiKey, order, `key-${order}`)).toEqual({ ...declined, replayed: true });
      expect(await intentsOf(order)).toHaveLength(1);
    } finally {
      await set(A.apiKey, "up");
    }
  });

  it("affects each new create with probability share: 0 never, 1 always, else as Math.random draws", async () => {
    await set(A.apiKey, "down", 0);
    try {
      for (let i = 0; i < 10; i++) expect((await create(A.apiKey, "share-0")).status).toBe(200);
      await set(A.apiKey, "down", 1);
      for (let i = 0; i < 10; i++) expect((await create(A.apiKey, "share-1")).status).toBe(503);
      await set(A.apiKey, "down", 0.5);
      vi.spyOn(Math, "random").mockReturnValueOnce(0.49).mockReturnValueOnce(0.5);
      expect((await create(A.apiKey, "share-half")).status).toBe(503);
      expect((await create(A.apiKey, "share-half")).status).toBe(200);
    } finally {
      await set(A.apiKey, "up");
    }
  });
});

describe("PayPal emulator conditions", () => {
  const A = { clientId: "conditions-client-a", clientSecret: "secret-a", webhookId: "1CONDITIONSA" };
  const B = { clientId: "conditions-client-b", clientSecret: "secret-b", webhookId: "2CONDITIONSB" };
  let paypal: Emulator;
  const tokens = new Map<string, string>();
  beforeAll(async () => {
    paypal = await startPayPalEmulator({ port: 0, accounts: [A, B] });
    for (const account of [A, B]) {
      const res = await fetch(`${paypal.url}/v1/oauth2/token`, {
        method: "POST",
        headers: { Authorization: `Basic ${Buffer.from(`${account.clientId}:${account.clientSecret}`).toString("base64")}`, "Content-Type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      });
      tokens.set(account.clientId, ((await res.json()) as Json).access_token);
    }
  });
  afterAll(() => paypal.close());

  const set = (clientId: string, mode: string, share?: number) => helper(paypal, "POST", "/conditions", { clientId, mode, ...(share === undefined ? {} : { share }) });
  async function call(clientId: string, method: string, path: string, body?: unknown, requestId?: string) {
    const res = await fetch(`${paypal.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${tokens.get(clientId)}`, "Content-Type": "application/json", ...(requestId ? { "PayPal-Request-Id": requestId } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Json };
  }
  const create = (clientId: string, reference: string, requestId?: string) =>
    call(clientId, "POST", "/v2/checkout/orders", { intent: "CAPTURE", purchase_units: [{ reference_id: reference, amount: { currency_code: "EUR", value: "42.00" } }] }, requestId);
  const ordersOf = async (reference: string) =>
    ((await helper(paypal, "GET", "/orders")).json as unknown as Json[]).filter((order) => order.purchase_units[0].reference_id === reference);

  it("sets a condition per app, lists it by client id, and clears it with up", async () => {
    expect(await set(A.clientId, "down", 0.5)).toEqual({ status: 200, json: { clientId: A.clientId, mode: "down", share: 0.5 } });
    expect((await helper(paypal, "GET", "/conditions")).json).toEqual([{ clientId: A.clientId, mode: "down", share: 0.5 }]);
    await set(A.clientId, "up");
    expect((await helper(paypal, "GET", "/conditions")).json).toEqual([]);
  });

  it("refuses decline_retriable (PayPal declines nothing at create), and an unknown app, mode or share, naming the field", async () => {
    const refused = await set(A.clientId, "decline_retriable");
    expect(refused).toMatchObject({ status: 400, json: { name: "INVALID_REQUEST", details: [{ field: "/mode", issue: "INVALID_PARAMETER_VALUE" }] } });
    expect(refused.json.details[0].description).toMatch(/declines nothing/);
    expect((await set("nobody", "down")).json.details[0].field).toBe("/clientId");
    expect((await set(A.clientId, "sideways")).json.details[0].field).toBe("/mode");
    expect((await set(A.clientId, "down", -0.1)).json.details[0].field).toBe("/share");
    expect((await helper(paypal, "GET", "/conditions")).json).toEqual([]);
  });

  it("down answers new orders of that app 503 SERVICE_UNAVAILABLE and makes none; other apps and calls are served", async () => {
    const reference = `down-${Math.random()}`;
    const before = await create(A.clientId, `${reference}-before`);
    await set(A.clientId, "down");
    try {
      const refused = await create(A.clientId, reference, `key-${reference}`);
      expect(refused).toMatchObject({ status: 503, json: { name: "SERVICE_UNAVAILABLE", debug_id: expect.any(String) } });
      expect(await ordersOf(reference)).toEqual([]);
      expect((await create(B.clientId, `${reference}-b`)).status).toBe(201);
      expect((await call(A.clientId, "GET", `/v2/checkout/orders/${before.json.id}`)).status).toBe(200);
    } finally {
      await set(A.clientId, "up");
    }
    // a refusal is not kept under the PayPal-Request-Id: once up, the same create makes the order
    const made = await create(A.clientId, reference, `key-${reference}`);
    expect(made.status).toBe(201);
    expect((await ordersOf(reference)).map((order) => order.id)).toEqual([made.json.id]);
  });

  it("timeout_after_charge makes the order, then cuts the connection; a replay of the PayPal-Request-Id answers it", async () => {
    const reference = `timeout-${Math.random()}`;
    await set(A.clientId, "timeout_after_charge");
    try {
      await cutOff(create(A.clientId, reference, `key-${reference}`));
      const [made] = await ordersOf(reference);
      expect(made).toMatchObject({ status: "CREATED" });
      const replay = await create(A.clientId, reference, `key-${reference}`);
      expect(replay).toMatchObject({ status: 201, json: { id: made!.id } });
      expect(await ordersOf(reference)).toHaveLength(1);
    } finally {
      await set(A.clientId, "up");
    }
  });

  it("affects each new create with probability share: 0 never, 1 always, else as Math.random draws", async () => {
    await set(A.clientId, "down", 0);
    try {
      for (let i = 0; i < 10; i++) expect((await create(A.clientId, "share-0")).status).toBe(201);
      await set(A.clientId, "down", 1);
      for (let i = 0; i < 10; i++) expect((await create(A.clientId, "share-1")).status).toBe(503);
      await set(A.clientId, "down", 0.5);
      vi.spyOn(Math, "random").mockReturnValueOnce(0.49).mockReturnValueOnce(0.5);
      expect((await create(A.clientId, "share-half")).status).toBe(503);
      expect((await create(A.clientId, "share-half")).status).toBe(201);
    } finally {
      await set(A.clientId, "up");
    }
  });
});

describe("BTCPay emulator conditions", () => {
  const A = { storeId: "7Hc4StoreAConditionsTestsXq9ZcLf6GdE5abcdefg", apiKey: "conditions-key-a", webhookSecret: "conditions-secret-a" };
  const B = { storeId: "8Jd5StoreBConditionsTestsYr2AdMg7HeF6abcdefg", apiKey: "conditions-key-b", webhookSecret: "conditions-secret-b" };
  let btcpay: Emulator;
  beforeAll(async () => {
    btcpay = await startBTCPayEmulator({ port: 0, stores: [A, B], stepMs: 600_000 });
  });
  afterAll(() => btcpay.close());

  const set = (storeId: string, mode: string, share?: number) => helper(btcpay, "POST", "/conditions", { storeId, mode, ...(share === undefined ? {} : { share }) });
  async function call(store: typeof A, method: string, path: string, body?: unknown) {
    const res = await fetch(`${btcpay.url}${path}`, {
      method,
      headers: { Authorization: `token ${store.apiKey}`, "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as any };
  }
  const create = (store: typeof A, orderId: string, attemptKey = `${orderId}:attempt-1`) =>
    call(store, "POST", `/api/v1/stores/${store.storeId}/invoices`, { amount: "19.99", currency: "USD", metadata: { orderId, attemptKey } });
  /** The store's invoices for `orderId`: how the platform finds an invoice whose answer it lost. */
  const invoicesOf = async (store: typeof A, orderId: string) => (await call(store, "GET", `/api/v1/stores/${store.storeId}/invoices?orderId=${orderId}`)).json as Json[];

  it("sets a condition per store, lists it by store id, and clears it with up", async () => {
    expect(await set(A.storeId, "timeout_after_charge", 0.1)).toEqual({ status: 200, json: { storeId: A.storeId, mode: "timeout_after_charge", share: 0.1 } });
    expect((await helper(btcpay, "GET", "/conditions")).json).toEqual([{ storeId: A.storeId, mode: "timeout_after_charge", share: 0.1 }]);
    await set(A.storeId, "up");
    expect((await helper(btcpay, "GET", "/conditions")).json).toEqual([]);
  });

  it("refuses decline_retriable (BTCPay declines nothing at create) with 400, and an unknown store, mode or share with 422 naming it", async () => {
    const refused = await set(A.storeId, "decline_retriable");
    expect(refused).toMatchObject({ status: 400, json: { code: "mode-not-supported", message: expect.stringMatching(/declines nothing/) } });
    expect(await set("nostore", "down")).toMatchObject({ status: 422, json: [{ path: "storeId" }] });
    expect(await set(A.storeId, "sideways")).toMatchObject({ status: 422, json: [{ path: "mode" }] });
    expect(await set(A.storeId, "down", 2)).toMatchObject({ status: 422, json: [{ path: "share" }] });
    expect((await helper(btcpay, "GET", "/conditions")).json).toEqual([]);
  });

  it("down answers new invoices of that store 503 and makes none; other stores and calls are served", async () => {
    const orderId = `down-${Math.random()}`;
    const before = await create(A, `${orderId}-before`);
    await set(A.storeId, "down");
    try {
      expect(await create(A, orderId)).toMatchObject({ status: 503, json: { code: "service-unavailable", message: expect.any(String) } });
      expect(await invoicesOf(A, orderId)).toEqual([]);
      expect((await create(B, orderId)).status).toBe(200);
      expect((await call(A, "GET", `/api/v1/stores/${A.storeId}/invoices/${before.json.id}`)).status).toBe(200);
    } finally {
      await set(A.storeId, "up");
    }
  });

  it("timeout_after_charge makes the invoice, then cuts the connection; the store's list by orderId finds it", async () => {
    const orderId = `timeout-${Math.random()}`;
    await set(A.storeId, "timeout_after_charge");
    try {
      await cutOff(create(A, orderId));
      // the lookup is not a create: the condition does not touch it
      const found = await invoicesOf(A, orderId);
      expect(found).toEqual([expect.objectContaining({ status: "New", metadata: expect.objectContaining({ orderId, attemptKey: `${orderId}:attempt-1` }) })]);
      expect((await call(A, "GET", `/api/v1/stores/${A.storeId}/invoices/${found[0]!.id}`)).json.id).toBe(found[0]!.id);
    } finally {
      await set(A.storeId, "up");
    }
  });

  it("affects each new create with probability share: 0 never, 1 always, else as Math.random draws", async () => {
    await set(A.storeId, "down", 0);
    try {
      for (let i = 0; i < 10; i++) expect((await create(A, "share-0")).status).toBe(200);
      await set(A.storeId, "down", 1);
      for (let i = 0; i < 10; i++) expect((await create(A, "share-1")).status).toBe(503);
      await set(A.storeId, "down", 0.5);
      vi.spyOn(Math, "random").mockReturnValueOnce(0.49).mockReturnValueOnce(0.5);
      expect((await create(A, "share-half")).status).toBe(503);
      expect((await create(A, "share-half")).status).toBe(200);
    } finally {
      await set(A.storeId, "up");
    }
  });
});
