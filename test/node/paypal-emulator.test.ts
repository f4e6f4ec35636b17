// The PayPal emulator behaves as PayPal does where the platform relies on it: OAuth2 tokens that
// expire, PayPal-Request-Id idempotency (identical requests arriving together included), PayPal's
// amount and currency rules, the buyer's approval page, capture outcomes, refunds, webhooks signed
// as PayPal signs them and retried, accounts that cannot see each other's objects, and injected
// failures.
import * as CRC32 from "crc-32";
import { X509Certificate, createVerify } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startPayPalEmulator, type PayPalRequestRecord, type PayPalWebhookRecord } from "../emulators/paypal/server.mjs";

const A = { clientId: "client-a", clientSecret: "secret-a", webhookId: "1AWEBHOOK" };
const B = { clientId: "client-b", clientSecret: "secret-b", webhookId: "2BWEBHOOK" };

type Json = Record<string, any>;

let emulator: Awaited<ReturnType<typeof startPayPalEmulator>>;
// The accounts' webhook endpoint: records what the emulator posts, refusing `refusing.count` posts
// about `refusing.id`.
let endpoint: Server;
let endpointUrl: string;
const received: Array<{ path: string; headers: Record<string, string | string[] | undefined>; body: string }> = [];
const refusing = { id: "", count: 0 };
let tokenA: string;
let tokenB: string;

beforeAll(async () => {
  endpoint = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      const refuse = refusing.count > 0 && body.includes(refusing.id);
      if (refuse) refusing.count -= 1;
      res.statusCode = refuse ? 500 : 200;
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
  emulator = await startPayPalEmulator({ port: 12118, accounts: [{ ...A, webhookUrl: `${endpointUrl}/a` }], tokenTtlSeconds: 600, webhookRetryDelaysMs: [20, 20] });
  // B is registered at run time, as a test of another merchant's app would.
  expect((await helper("/accounts", { ...B, webhookUrl: `${endpointUrl}/b` })).status).toBe(200);
});
afterAll(async () => {
  await emulator.close();
  await new Promise((done) => endpoint.close(done));
});
// Each test starts with live tokens (one test expires them all).
beforeEach(async () => {
  [tokenA, tokenB] = await Promise.all([tokenFor(A), tokenFor(B)]);
});

const basic = (clientId: string, secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
const requestToken = (authorization: string | undefined, body = "grant_type=client_credentials") =>
  fetch(`${emulator.url}/v1/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(authorization ? { Authorization: authorization } : {}) },
    body,
  });
async function tokenFor(account: typeof A) {
  return ((await (await requestToken(basic(account.clientId, account.clientSecret))).json()) as Json).access_token as string;
}

async function call(token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Json };
}
async function helper(path: string, body?: unknown, method = "POST") {
  const res = await fetch(`${emulator.url}/_emulator${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as Json };
}
const webhooks = async () => (await helper("/webhooks", undefined, "GET")).json as unknown as PayPalWebhookRecord[];
/** The event types sent about `id` (an order, capture or refund), in order. */
const eventsAbout = async (id: string) => (await webhooks()).filter((w) => w.body.includes(id)).map((w) => w.event.event_type);

/** Polls `probe` until it answers something truthy (webhooks are delivered asynchronously). */
async function until<T>(probe: () => Promise<T> | T, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const orderRequest = (amount = { currency_code: "EUR", value: "24.90" }, description = "Two mugs") => ({
  intent: "CAPTURE",
  purchase_units: [{ reference_id: "PY-1", custom_id: "pay_1", invoice_id: `INV-${Math.random()}`, description, amount }],
  payment_source: {
    paypal: { experience_context: { return_url: "https://shop.example/return?cart=7", cancel_url: "https://shop.example/cancel", user_action: "PAY_NOW", brand_name: "Mug Shop" } },
  },
});

/** A new order of A's, approved by the buyer, whose capture will have `outcome`. */
async function approvedOrder(outcome?: Json, request: Json = orderRequest()) {
  const { json } = await call(tokenA, "POST", "/v2/checkout/orders", request);
  if (outcome) await helper(`/orders/${json.id}/outcome`, outcome);
  await helper(`/orders/${json.id}/approve`);
  return json.id as string;
}
/** A new order of A's, captured; answers the capture's id. */
async function captured(outcome?: Json, request?: Json) {
  const orderId = await approvedOrder(outcome, request);
  const { json } = await call(tokenA, "POST", `/v2/checkout/orders/${orderId}/capture`, {});
  return json.purchase_units[0].payments.captures[0].id as string;
}
const refund = (captureId: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(tokenA, "POST", `/v2/payments/captures/${captureId}/refund`, body, { Prefer: "return=representation", ...headers });
const issueOf = (json: Json) => json.details?.[0]?.issue;

describe("OAuth2", () => {
  it("issues a bearer token for good client credentials and refuses bad ones as PayPal does", async () => {
    const res = await requestToken(basic(A.clientId, A.clientSecret));
    expect(res.status).toBe(200);
    const token = (await res.json()) as Json;
    expect(token).toMatchObject({ token_type: "Bearer", expires_in: 600 });
    expect((await call(token.access_token, "GET", "/v2/checkout/orders/00000000000000000")).status).toBe(404);

    const invalidClient = { error: "invalid_client", error_description: "Client Authentication failed" };
    for (const authorization of [basic(A.clientId, "wrong"), basic("nobody", A.clientSecret), undefined]) {
      const refused = await requestToken(authorization);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual(invalidClient);
    }
    const noGrant = await requestToken(basic(A.clientId, A.clientSecret), "");
    expect(noGrant.status).toBe(400);
    expect(await noGrant.json()).toEqual({ error: "unsupported_grant_type", error_description: "Grant Type is NULL" });
  });

  it("refuses a missing or unknown token, and every token once expired, with AUTHENTICATION_FAILURE", async () => {
    const failure = {
      name: "AUTHENTICATION_FAILURE",
      message: "Authentication failed due to invalid authentication credentials or a missing Authorization header.",
      links: [{ href: "https://developer.paypal.com/docs/api/overview/#error", rel: "information_link" }],
    };
    const missing = await fetch(`${emulator.url}/v2/checkout/orders`, { method: "POST", body: JSON.stringify(orderRequest()) });
    expect({ status: missing.status, json: await missing.json() }).toEqual({ status: 401, json: failure });
    expect(await call("A21AAnot-issued", "GET", "/v2/checkout/orders/00000000000000000")).toEqual({ status: 401, json: failure });

    expect((await call(tokenA, "POST", "/v2/checkout/orders", orderRequest())).status).toBe(201);
    expect((await helper("/tokens/expire")).status).toBe(200);
    expect(await call(tokenA, "POST", "/v2/checkout/orders", orderRequest())).toEqual({ status: 401, json: failure });
    expect((await call(await tokenFor(A), "POST", "/v2/checkout/orders", orderRequest())).status).toBe(201);
  });
});

describe("PayPal-Request-Id", () => {
  it("answers a repeated create, capture and refund with the first answer, doing nothing again", async () => {
    const key = { "PayPal-Request-Id": `create-${Math.random()}` };
    const first = await call(tokenA, "POST", "/v2/checkout/orders", orderRequest(), key);
    const again = await call(tokenA, "POST", "/v2/checkout/orders", orderRequest({ currency_code: "USD", value: "1.00" }), key);
    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    // Without one, each create is a new order.
    const [one, two] = await Promise.all([1, 2].map(() => call(tokenA, "POST", "/v2/checkout/orders", orderRequest())));
    expect(one!.json.id).not.toBe(two!.json.id);
    // The id is scoped to the call's path and to the app: elsewhere it is a new request.
    const otherAccount = await call(tokenB, "POST", "/v2/checkout/orders", orderRequest(), key);
    expect(otherAccount.status).toBe(201);
    expect(otherAccount.json.id).not.toBe(first.json.id);

    await helper(`/orders/${first.json.id}/approve`);
    const captureKey = { "PayPal-Request-Id": `capture-${Math.random()}` };
    const capture = await call(tokenA, "POST", `/v2/checkout/orders/${first.json.id}/capture`, {}, captureKey);
    expect(capture.status).toBe(201);
    expect(await call(tokenA, "POST", `/v2/checkout/orders/${first.json.id}/capture`, {}, captureKey)).toEqual(capture);
    const captureId = capture.json.purchase_units[0].payments.captures[0].id;

    const refundKey = { "PayPal-Request-Id": `refund-${Math.random()}` };
    const refunded = await refund(captureId, { amount: { currency_code: "EUR", value: "5.00" } }, refundKey);
    expect(await refund(captureId, { amount: { currency_code: "EUR", value: "5.00" } }, refundKey)).toEqual(refunded);
    const order = (await call(tokenA, "GET", `/v2/checkout/orders/${first.json.id}`)).json;
    expect(order.purchase_units[0].payments).toMatchObject({ captures: [{ status: "PARTIALLY_REFUNDED" }], refunds: [{ id: refunded.json.id }] });
    expect(order.purchase_units[0].payments.refunds).toHaveLength(1);
    expect(await eventsAbout(captureId)).toEqual(["PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.REFUNDED"]);
  });

  it("answers identical requests arriving together with one object", async () => {
    const createKey = { "PayPal-Request-Id": `together-${Math.random()}` };
    const creates = await Promise.all(Array.from({ length: 5 }, () => call(tokenA, "POST", "/v2/checkout/orders", orderRequest(), createKey)));
    expect(new Set(creates.map((c) => c.json.id)).size).toBe(1);
    const orderId = creates[0]!.json.id;

    await helper(`/orders/${orderId}/approve`);
    const captureKey = { "PayPal-Request-Id": `together-capture-${Math.random()}` };
    const captures = await Promise.all(Array.from({ length: 5 }, () => call(tokenA, "POST", `/v2/checkout/orders/${orderId}/capture`, {}, captureKey)));
    expect(captures.map((c) => c.status)).toEqual([201, 201, 201, 201, 201]);
    const captureIds = new Set(captures.map((c) => c.json.purchase_units[0].payments.captures[0].id));
    expect(captureIds.size).toBe(1);
    const [captureId] = [...captureIds] as [string];

    const refundKey = { "PayPal-Request-Id": `together-refund-${Math.random()}` };
    const refunds = await Promise.all(Array.from({ length: 3 }, () => refund(captureId, undefined, refundKey)));
    expect(new Set(refunds.map((r) => r.json.id)).size).toBe(1);
    expect((await call(tokenA, "GET", `/v2/payments/captures/${captureId}`)).json.status).toBe("REFUNDED");
    expect(await eventsAbout(captureId)).toEqual(["PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.REFUNDED"]);
  });
});

describe("amounts and requests", () => {
  it("takes PayPal's decimal strings and refuses, naming the field, what PayPal refuses", async () => {
    const cases: Array<[string, string, number, string]> = [
      // currency, value, status, issue (or the value PayPal shows)
      ["USD", "10.5", 201, "10.50"],
      ["JPY", "1000", 201, "1000"],
      ["HUF", "500", 201, "500"],
      ["JPY", "1000.0", 422, "DECIMAL_PRECISION"],
      ["TWD", "1.5", 422, "DECIMAL_PRECISION"],
      ["USD", "1.005", 422, "DECIMAL_PRECISION"],
      ["USD", "0.00", 422, "CANNOT_BE_ZERO_OR_NEGATIVE"],
      ["USD", "-1.00", 422, "CANNOT_BE_ZERO_OR_NEGATIVE"],
      ["USD", "1,00", 400, "INVALID_PARAMETER_SYNTAX"],
      ["KRW", "1000", 422, "CURRENCY_NOT_SUPPORTED"],
      ["usd", "1.00", 422, "CURRENCY_NOT_SUPPORTED"],
    ];
    for (const [currency, value, status, expected] of cases) {
      const res = await call(tokenA, "POST", "/v2/checkout/orders", orderRequest({ currency_code: currency, value }), { Prefer: "return=representation" });
      expect(res.status, `${value} ${currency}`).toBe(status);
      if (status === 201) expect(res.json.purchase_units[0].amount).toEqual({ currency_code: currency, value: expected });
      else {
        const field = expected === "CURRENCY_NOT_SUPPORTED" ? "currency_code" : "value";
        expect(res.json.details, `${value} ${currency}`).toEqual([expect.objectContaining({ field: `/purchase_units/0/amount/${field}`, location: "body", issue: expected })]);
      }
    }
  });

  it("refuses a malformed order with the issue and field PayPal names", async () => {
    const base = orderRequest();
    const unit = base.purchase_units[0]!;
    const context = base.payment_source.paypal.experience_context;
    const cases: Array<[unknown, number, string, string]> = [
      [{ purchase_units: base.purchase_units }, 400, "MISSING_REQUIRED_PARAMETER", "/intent"],
      [{ ...base, purchase_units: [] }, 400, "INVALID_ARRAY_MIN_ITEMS", "/purchase_units"],
      [{ ...base, purchase_units: [unit, unit] }, 400, "INVALID_ARRAY_MAX_ITEMS", "/purchase_units"],
      [{ ...base, purchase_units: [{ ...unit, custom_id: "x".repeat(128) }] }, 400, "INVALID_STRING_LENGTH", "/purchase_units/0/custom_id"],
      [{ ...base, purchase_units: [{ ...unit, amount: { value: "1.00" } }] }, 400, "MISSING_REQUIRED_PARAMETER", "/purchase_units/0/amount/currency_code"],
      [{ ...base, payment_source: { paypal: { experience_context: { ...context, user_action: "LATER" } } } }, 400, "INVALID_PARAMETER_VALUE", "/payment_source/paypal/experience_context/user_action"],
      [{ ...base, payment_source: { paypal: { experience_context: { ...context, return_url: "not a url" } } } }, 400, "INVALID_PARAMETER_SYNTAX", "/payment_source/paypal/experience_context/return_url"],
      ["{not json", 400, "MALFORMED_REQUEST_JSON", "/"],
      [{ ...base, intent: "AUTHORIZE" }, 422, "AUTH_CAPTURE_NOT_ENABLED", "/intent"],
    ];
    for (const [body, status, issue, field] of cases) {
      const res = await call(tokenA, "POST", "/v2/checkout/orders", body);
      expect({ status: res.status, issue: issueOf(res.json), field: res.json.details?.[0]?.field }, issue).toEqual({ status, issue, field });
      expect(res.json).toMatchObject({ name: status === 400 ? "INVALID_REQUEST" : "UNPROCESSABLE_ENTITY", debug_id: expect.any(String) });
      expect(res.json.links[0]).toEqual({ href: `https://developer.paypal.com/docs/api/orders/v2/#error-${issue}`, rel: "information_link", method: "GET" });
    }
  });
});

describe("approval page", () => {
  it("shows the buyer the order, with Approve and Cancel buttons that post", async () => {
    const { json } = await call(tokenA, "POST", "/v2/checkout/orders", orderRequest());
    const payerAction = json.links.find((l: Json) => l.rel === "payer-action");
    expect(payerAction).toEqual({ href: `${emulator.url}/checkoutnow?token=${json.id}`, rel: "payer-action", method: "GET" });
    const res = await fetch(payerAction.href);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("<title>Pay with PayPal</title>");
    expect(html).toContain("Mug Shop");
    expect(html).toContain("24.90 EUR");
    expect(html).toContain(`<form method="post" action="/checkoutnow/approve?token=${json.id}"><button type="submit">Approve</button></form>`);
    expect(html).toContain(`<form method="post" action="/checkoutnow/cancel?token=${json.id}"><button type="submit">Cancel</button></form>`);
  });

  it("Approve sends the buyer to return_url with token and PayerID, approves the order and sends CHECKOUT.ORDER.APPROVED", async () => {
    const { json } = await call(tokenA, "POST", "/v2/checkout/orders", orderRequest());
    const res = await fetch(`${emulator.url}/checkoutnow/approve?token=${json.id}`, { method: "POST", redirect: "manual" });
    expect(res.status).toBe(303);
    const landing = new URL(res.headers.get("location")!);
    expect(`${landing.origin}${landing.pathname}`).toBe("https://shop.example/return");
    expect(landing.searchParams.get("cart")).toBe("7");
    expect(landing.searchParams.get("token")).toBe(json.id);
    const payerId = landing.searchParams.get("PayerID");
    expect(payerId).toMatch(/^[2-9A-HJ-NP-Z]{13}$/);

    const order = (await call(tokenA, "GET", `/v2/checkout/orders/${json.id}`)).json;
    expect(order).toMatchObject({ status: "APPROVED", payer: { payer_id: payerId }, payment_source: { paypal: { account_id: payerId } } });
    expect(order.links.map((l: Json) => l.rel)).toEqual(["self", "update", "capture"]);
    const delivered = await until(() => received.find((r) => r.body.includes(json.id)));
    expect(delivered).toMatchObject({ path: "/a" });
    expect(JSON.parse(delivered!.body)).toMatchObject({ event_type: "CHECKOUT.ORDER.APPROVED", resource_type: "checkout-order", resource: { id: json.id, status: "APPROVED" } });

    const again = await fetch(`${emulator.url}/checkoutnow?token=${json.id}`);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("not awaiting the buyer's approval");
  });

  it("Cancel sends the buyer to cancel_url with the token and leaves the order waiting", async () => {
    const { json } = await call(tokenA, "POST", "/v2/checkout/orders", orderRequest());
    const res = await fetch(`${emulator.url}/checkoutnow/cancel?token=${json.id}`, { method: "POST", redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`https://shop.example/cancel?token=${json.id}`);
    expect((await call(tokenA, "GET", `/v2/checkout/orders/${json.id}`)).json.status).toBe("PAYER_ACTION_REQUIRED");
    expect(await eventsAbout(json.id)).toEqual([]);
  });

  it("an order without a payment source is CREATED, behind an approve link", async () => {
    const { json } = await call(tokenA, "POST", "/v2/checkout/orders", { intent: "CAPTURE", purchase_units: [{ amount: { currency_code: "USD", value: "3.00" } }] });
    expect(json).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{17}$/),
      status: "CREATED",
      links: [
        { href: `${emulator.url}/v2/checkout/orders/${json.id}`, rel: "self", method: "GET" },
        { href: `${emulator.url}/checkoutnow?token=${json.id}`, rel: "approve", method: "GET" },
        { href: `${emulator.url}/v2/checkout/orders/${json.id}`, rel: "update", method: "PATCH" },
        { href: `${emulator.url}/v2/checkout/orders/${json.id}/capture`, rel: "capture", method: "POST" },
      ],
    });
    // Nowhere to send the buyer back to: the helper says so.
    expect((await helper(`/orders/${json.id}/approve`)).json).toEqual({ return_url: null });
  });
});

describe("captures", () => {
  it("captures an approved order once, COMPLETED, with the capture in the order and its webhook", async () => {
    const { json: unapproved } = await call(tokenA, "POST", "/v2/checkout/orders", orderRequest());
    const early = await call(tokenA, "POST", `/v2/checkout/orders/${unapproved.id}/capture`, {});
    expect({ status: early.status, issue: issueOf(early.json) }).toEqual({ status: 422, issue: "ORDER_NOT_APPROVED" });

    const orderId = await approvedOrder();
    const res = await call(tokenA, "POST", `/v2/checkout/orders/${orderId}/capture`);
    expect(res.status).toBe(201);
    expect(res.json.status).toBe("COMPLETED");
    const capture = res.json.purchase_units[0].payments.captures[0];
    expect(capture).toMatchObject({
      status: "COMPLETED",
      amount: { currency_code: "EUR", value: "24.90" },
      final_capture: true,
      custom_id: "pay_1",
      seller_receivable_breakdown: { gross_amount: { value: "24.90" }, paypal_fee: { value: "1.36" }, net_amount: { value: "23.54" } },
    });
    expect(capture.links.map((l: Json) => [l.rel, l.href])).toEqual([
      ["self", `${emulator.url}/v2/payments/captures/${capture.id}`],
      ["refund", `${emulator.url}/v2/payments/captures/${capture.id}/refund`],
      ["up", `${emulator.url}/v2/checkout/orders/${orderId}`],
    ]);
    const twice = await call(tokenA, "POST", `/v2/checkout/orders/${orderId}/capture`, {});
    expect({ status: twice.status, issue: issueOf(twice.json) }).toEqual({ status: 422, issue: "ORDER_ALREADY_CAPTURED" });

    const shown = (await call(tokenA, "GET", `/v2/payments/captures/${capture.id}`)).json;
    expect(shown).toMatchObject({ id: capture.id, status: "COMPLETED", supplementary_data: { related_ids: { order_id: orderId } } });
    const [webhook] = (await webhooks()).filter((w) => w.body.includes(capture.id));
    expect(webhook!.event).toMatchObject({ event_type: "PAYMENT.CAPTURE.COMPLETED", resource_type: "capture", resource: { id: capture.id, supplementary_data: { related_ids: { order_id: orderId } } } });
  });

  it("a PENDING capture settles later, completed or denied, each with its webhook", async () => {
    for (const [action, status, event] of [["complete", "COMPLETED", "PAYMENT.CAPTURE.COMPLETED"], ["deny", "DECLINED", "PAYMENT.CAPTURE.DENIED"]] as const) {
      const captureId = await captured({ capture: "PENDING", reason: "ECHECK" });
      const pending = (await call(tokenA, "GET", `/v2/payments/captures/${captureId}`)).json;
      expect(pending).toMatchObject({ status: "PENDING", status_details: { reason: "ECHECK" } });
      expect(pending.seller_receivable_breakdown).toBeUndefined();
      const early = await refund(captureId, {});
      expect({ status: early.status, issue: issueOf(early.json) }).toEqual({ status: 422, issue: "REFUND_NOT_ALLOWED" });

      expect((await helper(`/captures/${captureId}/${action}`)).json).toMatchObject({ id: captureId, status });
      const settled = (await call(tokenA, "GET", `/v2/payments/captures/${captureId}`)).json;
      expect(settled.status).toBe(status);
      expect(settled.status_details).toBeUndefined();
      expect(await eventsAbout(captureId)).toEqual(["PAYMENT.CAPTURE.PENDING", event]);
      expect((await helper(`/captures/${captureId}/${action}`)).status).toBe(422);
    }
  });

  it("a DECLINED capture completes the order: the capture's status tells the outcome", async () => {
    const orderId = await approvedOrder({ capture: "DECLINED" });
    const res = await call(tokenA, "POST", `/v2/checkout/orders/${orderId}/capture`, {});
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ status: "COMPLETED", purchase_units: [{ payments: { captures: [{ status: "DECLINED" }] } }] });
    expect(await eventsAbout(res.json.purchase_units[0].payments.captures[0].id)).toEqual(["PAYMENT.CAPTURE.DECLINED"]);
  });

  it("INSTRUMENT_DECLINED and PAYER_ACTION_REQUIRED answer the capture 422 once, leaving the order approved", async () => {
    for (const issue of ["INSTRUMENT_DECLINED", "PAYER_ACTION_REQUIRED"]) {
      const orderId = await approvedOrder({ error: issue });
      const refused = await call(tokenA, "POST", `/v2/checkout/orders/${orderId}/capture`, {});
      expect({ status: refused.status, name: refused.json.name, issue: issueOf(refused.json) }).toEqual({ status: 422, name: "UNPROCESSABLE_ENTITY", issue });
      expect((await call(tokenA, "GET", `/v2/checkout/orders/${orderId}`)).json.status).toBe("APPROVED");
      expect((await call(tokenA, "POST", `/v2/checkout/orders/${orderId}/capture`, {})).status).toBe(201);
    }
    expect((await helper("/orders/00000000000000000/outcome", { capture: "LATER" })).status).toBe(404);
    const orderId = await approvedOrder();
    const bad = await helper(`/orders/${orderId}/outcome`, { capture: "LATER" });
    expect({ status: bad.status, field: bad.json.details[0].field }).toEqual({ status: 400, field: "/capture" });
  });
});

describe("refunds", () => {
  it("refunds part, then the rest, then refuses: exceeded, other currency, nothing left", async () => {
    const captureId = await captured();
    const minimal = await refund(captureId, { amount: { currency_code: "EUR", value: "4.90" } }, { Prefer: "return=minimal" });
    expect(minimal.status).toBe(201);
    expect(Object.keys(minimal.json)).toEqual(["id", "status", "links"]);
    expect(minimal.json.status).toBe("COMPLETED");
    const first = (await call(tokenA, "GET", `/v2/payments/refunds/${minimal.json.id}`)).json;
    expect(first).toMatchObject({ amount: { value: "4.90" }, seller_payable_breakdown: { total_refunded_amount: { value: "4.90" } } });
    expect((await call(tokenA, "GET", `/v2/payments/captures/${captureId}`)).json.status).toBe("PARTIALLY_REFUNDED");

    const refusals: Array<[Json, string]> = [
      [{ amount: { currency_code: "EUR", value: "20.01" } }, "REFUND_AMOUNT_EXCEEDED"],
      [{ amount: { currency_code: "USD", value: "1.00" } }, "REFUND_CAPTURE_CURRENCY_MISMATCH"],
      [{ amount: { currency_code: "EUR", value: "1.001" } }, "DECIMAL_PRECISION"],
      [{ amount: { currency_code: "EUR", value: "0" } }, "CANNOT_BE_ZERO_OR_NEGATIVE"],
    ];
    for (const [body, issue] of refusals) {
      const res = await refund(captureId, body);
      expect({ status: res.status, issue: issueOf(res.json) }).toEqual({ status: 422, issue });
    }
    const invalid = await refund(captureId, { note_to_payer: "" });
    expect({ status: invalid.status, issue: issueOf(invalid.json), field: invalid.json.details[0].field }).toEqual({ status: 400, issue: "INVALID_STRING_LENGTH", field: "/note_to_payer" });

    // No amount: what is left.
    const rest = await refund(captureId);
    expect(rest.json).toMatchObject({ status: "COMPLETED", amount: { currency_code: "EUR", value: "20.00" }, seller_payable_breakdown: { total_refunded_amount: { value: "24.90" } } });
    expect((await call(tokenA, "GET", `/v2/payments/captures/${captureId}`)).json.status).toBe("REFUNDED");
    const more = await refund(captureId, {});
    expect({ status: more.status, issue: issueOf(more.json) }).toEqual({ status: 422, issue: "CAPTURE_FULLY_REFUNDED" });
    expect(await eventsAbout(captureId)).toEqual(["PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.REFUNDED", "PAYMENT.CAPTURE.REFUNDED"]);
  });

  it("refuses decimals in a refund of a currency without them (Payments' DECIMALS_NOT_SUPPORTED)", async () => {
    const captureId = await captured(undefined, orderRequest({ currency_code: "JPY", value: "3000" }));
    const res = await refund(captureId, { amount: { currency_code: "JPY", value: "100.5" } });
    expect({ status: res.status, issue: issueOf(res.json) }).toEqual({ status: 422, issue: "DECIMALS_NOT_SUPPORTED" });
    expect((await refund(captureId, { amount: { currency_code: "JPY", value: "100" } })).json.amount).toEqual({ currency_code: "JPY", value: "100" });
  });

  it("a pending refund holds its amount until it completes or fails, each with its webhook", async () => {
    const captureId = await captured();
    await helper("/refunds/next", { status: "PENDING" });
    const pending = await refund(captureId, { amount: { currency_code: "EUR", value: "10.00" } });
    expect(pending.json).toMatchObject({ status: "PENDING", status_details: { reason: "ECHECK" } });
    expect((await call(tokenA, "GET", `/v2/payments/captures/${captureId}`)).json.status).toBe("COMPLETED");
    const over = await refund(captureId, { amount: { currency_code: "EUR", value: "15.00" } });
    expect(issueOf(over.json)).toBe("REFUND_AMOUNT_EXCEEDED");

    expect((await helper(`/refunds/${pending.json.id}/fail`)).json.status).toBe("FAILED");
    await helper("/refunds/next", { status: "PENDING" });
    const later = await refund(captureId, { amount: { currency_code: "EUR", value: "15.00" } });
    expect((await helper(`/refunds/${later.json.id}/complete`)).json).toMatchObject({ status: "COMPLETED", seller_payable_breakdown: { total_refunded_amount: { value: "15.00" } } });
    expect((await call(tokenA, "GET", `/v2/payments/captures/${captureId}`)).json.status).toBe("PARTIALLY_REFUNDED");
    expect((await helper(`/refunds/${later.json.id}/complete`)).status).toBe(422);
    expect(await eventsAbout(pending.json.id)).toEqual(["PAYMENT.REFUND.PENDING", "PAYMENT.REFUND.FAILED"]);
    expect(await eventsAbout(later.json.id)).toEqual(["PAYMENT.REFUND.PENDING", "PAYMENT.CAPTURE.REFUNDED"]);
  });

  it("a reversal takes back what is left; a dispute names the capture, its custom_id and invoice_id", async () => {
    const request = orderRequest();
    const captureId = await captured(undefined, request);
    await refund(captureId, { amount: { currency_code: "EUR", value: "4.90" } });
    const dispute = await helper(`/captures/${captureId}/dispute`, { reason: "UNAUTHORISED" });
    expect(dispute.json).toMatchObject({
      reason: "UNAUTHORISED",
      status: "OPEN",
      disputed_transactions: [{ seller_transaction_id: captureId, custom: "pay_1", invoice_number: request.purchase_units[0]!.invoice_id }],
    });
    const reversal = await helper(`/captures/${captureId}/reverse`);
    expect(reversal.json).toMatchObject({ status: "COMPLETED", amount: { value: "20.00" }, custom_id: "pay_1", links: [{ rel: "self" }, { rel: "up", href: `${emulator.url}/v2/payments/captures/${captureId}` }] });
    expect((await call(tokenA, "GET", `/v2/payments/refunds/${reversal.json.id}`)).json.id).toBe(reversal.json.id);
    expect((await call(tokenA, "GET", `/v2/payments/captures/${captureId}`)).json.status).toBe("REFUNDED");
    expect((await helper(`/captures/${captureId}/reverse`)).status).toBe(422);
    expect(await eventsAbout(captureId)).toEqual(["PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.REFUNDED", "CUSTOMER.DISPUTE.CREATED", "PAYMENT.CAPTURE.REVERSED"]);
  });
});

describe("webhooks", () => {
  /** What verify-webhook-signature is asked about a received webhook. */
  const verification = (headers: Record<string, string>, body: string, webhookId: string) => ({
    auth_algo: headers["PAYPAL-AUTH-ALGO"],
    cert_url: headers["PAYPAL-CERT-URL"],
    transmission_id: headers["PAYPAL-TRANSMISSION-ID"],
    transmission_sig: headers["PAYPAL-TRANSMISSION-SIG"],
    transmission_time: headers["PAYPAL-TRANSMISSION-TIME"],
    webhook_id: webhookId,
    webhook_event: JSON.parse(body),
  });
  const verify = async (token: string, request: Json) => (await call(token, "POST", "/v1/notifications/verify-webhook-signature", request)).json.verification_status;

  it("signs as PayPal does: RSA-SHA256 over id|time|webhook id|crc32 of the body's UTF-8 bytes, checkable with the served certificate", async () => {
    const { json } = await call(tokenA, "POST", "/v2/checkout/orders", orderRequest(undefined, "Café für zwei ☕"));
    await helper(`/orders/${json.id}/approve`);
    const delivered = await until(() => received.find((r) => r.body.includes(json.id)));
    const header = (name: string) => String(delivered!.headers[name]);
    expect(delivered!.body).toContain("Café für zwei ☕");
    expect(header("content-type")).toBe("application/json");
    expect(header("paypal-auth-algo")).toBe("SHA256withRSA");
    expect(header("paypal-auth-version")).toBe("v2");
    expect(header("paypal-transmission-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Date(header("paypal-transmission-time")).toISOString().slice(0, 19)).toBe(header("paypal-transmission-time").slice(0, 19));
    expect(header("paypal-cert-url")).toMatch(new RegExp(`^${emulator.url}/v1/notifications/certs/CERT-360caa42-fca2a594-[0-9a-f]{8}$`));
    expect(header("paypal-cert-url")).toBe(emulator.certUrl);

    const pem = await (await fetch(header("paypal-cert-url"))).text();
    expect(pem).toBe(emulator.certificatePem);
    const certificate = new X509Certificate(pem);
    expect(Date.parse(certificate.validFrom)).toBeLessThan(Date.now() - 23 * 3600_000);
    expect(Date.parse(certificate.validTo)).toBeGreaterThan(Date.now() + 364 * 86_400_000);
    const signedWith = (crc: number) =>
      createVerify("RSA-SHA256")
        .update(`${header("paypal-transmission-id")}|${header("paypal-transmission-time")}|${A.webhookId}|${crc}`)
        .verify(certificate.publicKey, header("paypal-transmission-sig"), "base64");
    expect(signedWith(CRC32.buf(Buffer.from(delivered!.body, "utf8")) >>> 0)).toBe(true);
    // The crc is over UTF-8 bytes: one over the string's UTF-16 code units (as Latin-1) does not match.
    expect(signedWith(CRC32.bstr(delivered!.body) >>> 0)).toBe(false);
  });

  it("verify-webhook-signature says SUCCESS only for the event, webhook id and valid certificate that were signed", async () => {
    const orderId = await approvedOrder();
    const record = (await webhooks()).find((w) => w.body.includes(orderId))!;
    const request = verification(record.headers, record.body, A.webhookId);
    expect(await verify(tokenA, request)).toBe("SUCCESS");
    expect(await verify(tokenA, { ...request, webhook_event: { ...request.webhook_event, summary: "altered" } })).toBe("FAILURE");
    expect(await verify(tokenA, { ...request, webhook_id: B.webhookId })).toBe("FAILURE");
    expect(await verify(tokenB, request)).toBe("FAILURE");

    // Headers made by the helper for the same body: good ones pass; another host's certificate URL and an expired certificate do not.
    const signed = (await helper("/sign", { body: record.body, webhookId: A.webhookId })).json as Record<string, string>;
    expect(await verify(tokenA, verification(signed, record.body, A.webhookId))).toBe("SUCCESS");
    // PayPal does not judge the transmission time: refusing stale ones is the receiver's job.
    const stale = (await helper("/sign", { body: record.body, webhookId: A.webhookId, transmissionTime: "2020-01-01T00:00:00Z" })).json as Record<string, string>;
    expect(stale["PAYPAL-TRANSMISSION-TIME"]).toBe("2020-01-01T00:00:00Z");
    expect(await verify(tokenA, verification(stale, record.body, A.webhookId))).toBe("SUCCESS");
    const foreignUrl = `https://certs.example/v1/notifications/certs/${emulator.certUrl.split("/").pop()}`;
    const foreign = (await helper("/sign", { body: record.body, webhookId: A.webhookId, certUrl: foreignUrl })).json as Record<string, string>;
    expect(foreign["PAYPAL-CERT-URL"]).toBe(foreignUrl);
    expect(await verify(tokenA, verification(foreign, record.body, A.webhookId))).toBe("FAILURE");

    const expired = (await helper("/sign", { body: record.body, webhookId: A.webhookId, expired: true })).json as Record<string, string>;
    expect(expired["PAYPAL-CERT-URL"]).not.toBe(emulator.certUrl);
    const expiredCertificate = new X509Certificate(await (await fetch(expired["PAYPAL-CERT-URL"]!)).text());
    expect(Date.parse(expiredCertificate.validTo)).toBeLessThan(Date.now());
    const crc = CRC32.buf(Buffer.from(record.body, "utf8")) >>> 0;
    const message = `${expired["PAYPAL-TRANSMISSION-ID"]}|${expired["PAYPAL-TRANSMISSION-TIME"]}|${A.webhookId}|${crc}`;
    expect(createVerify("RSA-SHA256").update(message).verify(expiredCertificate.publicKey, expired["PAYPAL-TRANSMISSION-SIG"]!, "base64")).toBe(true);
    expect(await verify(tokenA, verification(expired, record.body, A.webhookId))).toBe("FAILURE");

    const { webhook_id: _, ...incomplete } = request;
    const refused = await call(tokenA, "POST", "/v1/notifications/verify-webhook-signature", incomplete);
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ name: "VALIDATION_ERROR", details: [{ field: "/webhook_id", location: "body" }] });
  });

  it("retries a webhook its endpoint refuses, recording every attempt, and posts each account's to its own URL", async () => {
    const { json: order } = await call(tokenA, "POST", "/v2/checkout/orders", orderRequest());
    const orderId = order.id as string;
    Object.assign(refusing, { id: orderId, count: 2 });
    await helper(`/orders/${orderId}/approve`);
    const record = await until(async () => (await webhooks()).find((w) => w.body.includes(orderId) && w.deliveries.length === 3));
    expect(record!.deliveries.map((d) => d.status)).toEqual([500, 500, 200]);
    const attempts = received.filter((r) => r.body.includes(orderId));
    expect(attempts.map((r) => r.body)).toEqual([record!.body, record!.body, record!.body]);

    const { json } = await call(tokenB, "POST", "/v2/checkout/orders", orderRequest());
    await helper(`/orders/${json.id}/approve`);
    const toB = await until(() => received.find((r) => r.body.includes(json.id)));
    expect(toB!.path).toBe("/b");
    const bRecord = (await webhooks()).find((w) => w.body.includes(json.id))!;
    expect(bRecord.clientId).toBe(B.clientId);
    expect(await verify(tokenB, verification(bRecord.headers, bRecord.body, B.webhookId))).toBe("SUCCESS");
  });

  it("records the webhooks of an account without a URL, and an unreachable URL's attempts as failures", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`;
    await new Promise((done) => closed.close(done));
    const silent = { clientId: "client-c", clientSecret: "secret-c", webhookId: "3CWEBHOOK" };
    const unreachable = { clientId: "client-d", clientSecret: "secret-d", webhookId: "4DWEBHOOK", webhookUrl: deadUrl };
    await helper("/accounts", silent);
    await helper("/accounts", unreachable);
    for (const [account, attempts] of [[silent, 0], [unreachable, 3]] as const) {
      const { json } = await call(await tokenFor(account), "POST", "/v2/checkout/orders", orderRequest());
      await helper(`/orders/${json.id}/approve`);
      const record = await until(async () => (await webhooks()).find((w) => w.body.includes(json.id) && w.deliveries.length === attempts));
      expect(record!.deliveries.every((d) => d.status === null && typeof d.error === "string")).toBe(true);
    }
  });
});

describe("accounts", () => {
  it("another account's token is told A's order, capture, refund and webhook do not exist", async () => {
    const orderId = await approvedOrder();
    const notFound = { status: 404, json: expect.objectContaining({ name: "RESOURCE_NOT_FOUND", details: [expect.objectContaining({ issue: "INVALID_RESOURCE_ID", location: "path" })] }) };
    expect(await call(tokenB, "GET", `/v2/checkout/orders/${orderId}`)).toEqual(notFound);
    expect(await call(tokenB, "POST", `/v2/checkout/orders/${orderId}/capture`, {})).toEqual(notFound);
    const { json } = await call(tokenA, "POST", `/v2/checkout/orders/${orderId}/capture`, {});
    const captureId = json.purchase_units[0].payments.captures[0].id;
    const { json: refunded } = await refund(captureId, { amount: { currency_code: "EUR", value: "1.00" } });
    expect(await call(tokenB, "GET", `/v2/payments/captures/${captureId}`)).toEqual(notFound);
    expect(await call(tokenB, "POST", `/v2/payments/captures/${captureId}/refund`, {})).toEqual(notFound);
    expect(await call(tokenB, "GET", `/v2/payments/refunds/${refunded.id}`)).toEqual(notFound);
    expect((await call(tokenA, "GET", `/v2/payments/refunds/${refunded.id}`)).status).toBe(200);
    // Each app sees its own webhook only (how a client checks a webhook id belongs to its app).
    expect(await call(tokenA, "GET", `/v1/notifications/webhooks/${A.webhookId}`)).toMatchObject({ status: 200, json: { id: A.webhookId, url: `${endpointUrl}/a` } });
    expect(await call(tokenB, "GET", `/v1/notifications/webhooks/${A.webhookId}`)).toEqual(notFound);
  });

  it("registers accounts at run time, refusing a bad field by name", async () => {
    const cases: Array<[Json, string]> = [
      [{ clientSecret: "s", webhookId: "W1" }, "/clientId"],
      [{ clientId: "c", webhookId: "W1" }, "/clientSecret"],
      [{ clientId: "c", clientSecret: "s", webhookId: "WH-1" }, "/webhookId"],
      [{ clientId: "c", clientSecret: "s", webhookId: "W1", webhookUrl: "nope" }, "/webhookUrl"],
    ];
    for (const [body, field] of cases) {
      const res = await helper("/accounts", body);
      expect({ status: res.status, field: res.json.details[0].field }).toEqual({ status: 400, field });
    }
    const res = await helper("/accounts", { clientId: "client-e", clientSecret: "secret-e", webhookId: "5EWEBHOOK" });
    expect(res.json).toMatchObject({ clientId: "client-e", webhookId: "5EWEBHOOK", merchantId: expect.stringMatching(/^[2-9A-HJ-NP-Z]{13}$/) });
    expect((await requestToken(basic("client-e", "secret-e"))).status).toBe(200);
  });
});

describe("test helpers", () => {
  it("fail-next answers the next matching calls with PayPal's error, doing nothing, and a retry with the same PayPal-Request-Id is served", async () => {
    expect((await helper("/fail-next", { path: "/v2/checkout/orders", method: "POST", status: 500, count: 2 })).json).toEqual({ failing: 2 });
    const key = { "PayPal-Request-Id": `retry-${Math.random()}` };
    // Another method on the path is not matched.
    expect((await call(tokenA, "GET", "/v2/checkout/orders/00000000000000000")).status).toBe(404);
    for (let i = 0; i < 2; i++) {
      const failed = await call(tokenA, "POST", "/v2/checkout/orders", orderRequest(), key);
      expect(failed).toMatchObject({ status: 500, json: { name: "INTERNAL_SERVER_ERROR", message: "An internal server error occurred." } });
    }
    const served = await call(tokenA, "POST", "/v2/checkout/orders", orderRequest(), key);
    expect(served.status).toBe(201);
    expect(await call(tokenA, "POST", "/v2/checkout/orders", orderRequest(), key)).toEqual(served);

    await helper("/fail-next", { path: "/v2/payments", status: 503 });
    expect((await call(tokenA, "GET", "/v2/payments/captures/00000000000000000")).json.name).toBe("SERVICE_UNAVAILABLE");
    await helper("/fail-next", { status: 401 });
    expect((await call(tokenA, "GET", `/v2/checkout/orders/${served.json.id}`)).json.name).toBe("AUTHENTICATION_FAILURE");
    expect((await call(tokenA, "GET", `/v2/checkout/orders/${served.json.id}`)).status).toBe(200);
    expect((await helper("/fail-next", { status: 200 })).status).toBe(400);
  });

  it("lists the calls received, with their PayPal-Request-Id and body, and clears them", async () => {
    expect((await helper("/requests", undefined, "DELETE")).status).toBe(200);
    await call(tokenA, "POST", "/v2/checkout/orders", orderRequest(), { "PayPal-Request-Id": "listed-1" });
    const requests = (await helper("/requests", undefined, "GET")).json as unknown as PayPalRequestRecord[];
    expect(requests).toEqual([
      expect.objectContaining({ method: "POST", path: "/v2/checkout/orders", headers: expect.objectContaining({ "paypal-request-id": "listed-1" }), body: expect.objectContaining({ intent: "CAPTURE" }) }),
    ]);
  });
});
