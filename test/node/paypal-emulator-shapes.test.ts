// The PayPal emulator must answer in PayPal's shapes: every answer the platform reads is valid
// against the schema PayPal's published OpenAPI documents (test/data/paypal-openapi) give it for
// that operation, or the component schema they name, and carries no field that schema does not
// name. A wrong field fails with its JSON path.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPayPalSpecs } from "../emulators/paypal/openapi.mjs";
import { startPayPalEmulator, type PayPalWebhookRecord } from "../emulators/paypal/server.mjs";

const ACCOUNT = { clientId: "shapes-client", clientSecret: "shapes-secret", webhookId: "7SHAPES0WEBHOOK" };
const ORDERS = "checkout_orders_v2.json";
const PAYMENTS = "payments_payment_v2.json";
const WEBHOOKS = "notifications_webhooks_v1.json";

const specs = loadPayPalSpecs();
let emulator: Awaited<ReturnType<typeof startPayPalEmulator>>;
let token: string;

type Json = Record<string, any>;

beforeAll(async () => {
  emulator = await startPayPalEmulator({ port: 12116, accounts: [ACCOUNT] });
  token = ((await (await issueToken(ACCOUNT.clientSecret)).json()) as Json).access_token;
});
afterAll(() => emulator.close());

const issueToken = (secret: string) =>
  fetch(`${emulator.url}/v1/oauth2/token`, {
    method: "POST",
    headers: { Authorization: `Basic ${Buffer.from(`${ACCOUNT.clientId}:${secret}`).toString("base64")}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Json };
}
const helper = async (path: string, body: unknown = {}) =>
  (await (await fetch(`${emulator.url}/_emulator${path}`, { method: "POST", body: JSON.stringify(body) })).json()) as Json;
const REPRESENTATION = { Prefer: "return=representation" };

const expectShape = (value: unknown, ref: string) => expect(specs.shapeProblems(value, ref).join("\n"), ref).toBe("");
const component = (file: string, name: string) => `${file}#/components/schemas/${name}`;

const ORDER_REQUEST = {
  intent: "CAPTURE",
  purchase_units: [{ reference_id: "PY-1", custom_id: "pay_1", invoice_id: "INV-1", description: "Two mugs", amount: { currency_code: "EUR", value: "24.90" } }],
  payment_source: { paypal: { experience_context: { return_url: "https://shop.example/return", cancel_url: "https://shop.example/cancel", user_action: "PAY_NOW", brand_name: "Shop" } } },
};

/** An order created, approved by the buyer, and captured with `outcome`; answers the capture call. */
async function capturedOrder(outcome: Json = { capture: "COMPLETED" }, headers: Record<string, string> = {}) {
  const created = await call("POST", "/v2/checkout/orders", ORDER_REQUEST);
  await helper(`/orders/${created.json.id}/outcome`, outcome);
  await helper(`/orders/${created.json.id}/approve`);
  return call("POST", `/v2/checkout/orders/${created.json.id}/capture`, {}, headers);
}

describe("PayPal emulator wire format", () => {
  it("answers the token call with the fields PayPal documents (the specs have no OAuth2 schema)", async () => {
    const res = await issueToken(ACCOUNT.clientSecret);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(Object.keys(body).sort()).toEqual(["access_token", "app_id", "expires_in", "nonce", "scope", "token_type"]);
    expect(body).toMatchObject({
      scope: expect.any(String),
      access_token: expect.stringMatching(/^A21AA[\w-]+$/),
      token_type: "Bearer",
      app_id: expect.stringMatching(/^APP-[0-9A-Z]{17}$/),
      expires_in: 32400,
      nonce: expect.any(String),
    });
    const refused = await issueToken("wrong");
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: "invalid_client", error_description: "Client Authentication failed" });
  });

  it("answers order creation, minimal and full, as orders.create", async () => {
    const ref = specs.responseRef(ORDERS, "post", "/v2/checkout/orders", 201);
    const minimal = await call("POST", "/v2/checkout/orders", ORDER_REQUEST);
    expect(minimal.status).toBe(201);
    expectShape(minimal.json, ref);
    expect(Object.keys(minimal.json)).toEqual(["id", "status", "payment_source", "links"]);

    const full = await call("POST", "/v2/checkout/orders", ORDER_REQUEST, REPRESENTATION);
    expectShape(full.json, ref);
    expect(full.json.purchase_units[0]).toMatchObject({ reference_id: "PY-1", custom_id: "pay_1", invoice_id: "INV-1", amount: { currency_code: "EUR", value: "24.90" } });

    // Without a payment source: CREATED, with an approve link.
    const created = await call("POST", "/v2/checkout/orders", { intent: "CAPTURE", purchase_units: [{ amount: { currency_code: "USD", value: "5" } }] }, REPRESENTATION);
    expectShape(created.json, ref);
    expect(created.json).toMatchObject({ status: "CREATED", purchase_units: [{ reference_id: "default", amount: { value: "5.00" } }] });
  });

  it("shows an order as orders.get, before and after approval", async () => {
    const ref = specs.responseRef(ORDERS, "get", "/v2/checkout/orders/{id}", 200);
    const { json: order } = await call("POST", "/v2/checkout/orders", ORDER_REQUEST);
    expectShape((await call("GET", `/v2/checkout/orders/${order.id}`)).json, ref);
    await helper(`/orders/${order.id}/approve`);
    const approved = (await call("GET", `/v2/checkout/orders/${order.id}`)).json;
    expectShape(approved, ref);
    expect(approved).toMatchObject({ status: "APPROVED", payer: { payer_id: expect.stringMatching(/^[2-9A-HJ-NP-Z]{13}$/) } });
  });

  it("answers a capture, minimal and full, as orders.capture, for each outcome", async () => {
    const ref = specs.responseRef(ORDERS, "post", "/v2/checkout/orders/{id}/capture", 201);
    for (const outcome of [{ capture: "COMPLETED" }, { capture: "PENDING", reason: "PENDING_REVIEW" }, { capture: "DECLINED" }]) {
      const minimal = await capturedOrder(outcome);
      expect(minimal.status).toBe(201);
      expectShape(minimal.json, ref);
      expect(minimal.json.purchase_units[0].payments.captures[0].status).toBe(outcome.capture);
      expectShape((await capturedOrder(outcome, REPRESENTATION)).json, ref);
    }
    // The order shows its capture and refunds once refunded.
    const { json } = await capturedOrder();
    const captureId = json.purchase_units[0].payments.captures[0].id;
    await call("POST", `/v2/payments/captures/${captureId}/refund`, { amount: { currency_code: "EUR", value: "1.00" } });
    const shown = (await call("GET", `/v2/checkout/orders/${json.id}`)).json;
    expectShape(shown, specs.responseRef(ORDERS, "get", "/v2/checkout/orders/{id}", 200));
    expect(shown.purchase_units[0].payments.refunds).toHaveLength(1);
  });

  it("shows a capture as captures.get, with the order it belongs to", async () => {
    const { json } = await capturedOrder();
    const capture = (await call("GET", `/v2/payments/captures/${json.purchase_units[0].payments.captures[0].id}`)).json;
    expectShape(capture, specs.responseRef(PAYMENTS, "get", "/v2/payments/captures/{capture_id}", 200));
    expect(capture).toMatchObject({ supplementary_data: { related_ids: { order_id: json.id } }, custom_id: "pay_1", invoice_id: "INV-1" });
  });

  it("answers a refund, minimal and full, as captures.refund, and shows it as refunds.get", async () => {
    const { json } = await capturedOrder();
    const captureId = json.purchase_units[0].payments.captures[0].id;
    const ref = specs.responseRef(PAYMENTS, "post", "/v2/payments/captures/{capture_id}/refund", 201);
    const minimal = await call("POST", `/v2/payments/captures/${captureId}/refund`, { amount: { currency_code: "EUR", value: "4.90" } });
    expect(minimal.status).toBe(201);
    expectShape(minimal.json, ref);
    await helper("/refunds/next", { status: "PENDING" });
    const full = await call("POST", `/v2/payments/captures/${captureId}/refund`, { custom_id: "refund-1", invoice_id: "INV-1-R", note_to_payer: "Sorry" }, REPRESENTATION);
    expectShape(full.json, ref);
    expect(full.json).toMatchObject({ status: "PENDING", amount: { currency_code: "EUR", value: "20.00" }, custom_id: "refund-1" });
    expectShape((await call("GET", `/v2/payments/refunds/${minimal.json.id}`)).json, specs.responseRef(PAYMENTS, "get", "/v2/payments/refunds/{refund_id}", 200));
  });

  it("sends every webhook as the spec's event, its resource as the schema of its resource type", async () => {
    const { json } = await capturedOrder();
    const captureId = json.purchase_units[0].payments.captures[0].id;
    await call("POST", `/v2/payments/captures/${captureId}/refund`, { amount: { currency_code: "EUR", value: "1.00" } });
    await helper("/refunds/next", { status: "PENDING" });
    const pendingRefund = await call("POST", `/v2/payments/captures/${captureId}/refund`, { amount: { currency_code: "EUR", value: "1.00" } });
    await helper(`/refunds/${pendingRefund.json.id}/fail`);
    await helper("/refunds/next", { status: "PENDING" });
    const laterRefund = await call("POST", `/v2/payments/captures/${captureId}/refund`, { amount: { currency_code: "EUR", value: "1.00" } });
    await helper(`/refunds/${laterRefund.json.id}/complete`);
    await helper(`/captures/${captureId}/dispute`);
    await helper(`/captures/${captureId}/reverse`);
    for (const outcome of ["complete", "deny"]) {
      const pending = await capturedOrder({ capture: "PENDING" });
      await helper(`/captures/${pending.json.purchase_units[0].payments.captures[0].id}/${outcome}`);
    }
    await capturedOrder({ capture: "DECLINED" });

    const resourceSchemas: Record<string, string> = {
      "checkout-order": component(ORDERS, "order"),
      capture: component(PAYMENTS, "capture-2"),
      refund: component(PAYMENTS, "refund"),
    };
    const webhooks = (await (await fetch(`${emulator.url}/_emulator/webhooks`)).json()) as PayPalWebhookRecord[];
    const seen = new Set<string>();
    for (const { body } of webhooks) {
      const event = JSON.parse(body) as Json;
      seen.add(`${event.event_type} ${event.resource_type}`);
      expectShape(event, component(WEBHOOKS, "event"));
      if (event.resource_type === "dispute") {
        // The specs here hold no Disputes schema: the fields PayPal's CUSTOMER.DISPUTE.CREATED documents.
        expect(event.resource).toMatchObject({
          dispute_id: expect.stringMatching(/^PP-D-\d+$/),
          disputed_transactions: [{ seller_transaction_id: captureId, invoice_number: "INV-1", custom: "pay_1" }],
          reason: "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
          status: "OPEN",
          dispute_amount: { currency_code: "EUR", value: "24.90" },
        });
      } else {
        expectShape(event.resource, resourceSchemas[event.resource_type]!);
      }
    }
    expect([...seen].sort()).toEqual([
      "CHECKOUT.ORDER.APPROVED checkout-order",
      "CUSTOMER.DISPUTE.CREATED dispute",
      "PAYMENT.CAPTURE.COMPLETED capture",
      "PAYMENT.CAPTURE.DECLINED capture",
      "PAYMENT.CAPTURE.DENIED capture",
      "PAYMENT.CAPTURE.PENDING capture",
      "PAYMENT.CAPTURE.REFUNDED refund",
      "PAYMENT.CAPTURE.REVERSED refund",
      "PAYMENT.REFUND.FAILED refund",
      "PAYMENT.REFUND.PENDING refund",
    ]);
  });

  it("answers verify-webhook-signature as its spec's response", async () => {
    await capturedOrder();
    const [sent] = (await (await fetch(`${emulator.url}/_emulator/webhooks`)).json()) as PayPalWebhookRecord[];
    const request = {
      auth_algo: sent!.headers["PAYPAL-AUTH-ALGO"],
      cert_url: sent!.headers["PAYPAL-CERT-URL"],
      transmission_id: sent!.headers["PAYPAL-TRANSMISSION-ID"],
      transmission_sig: sent!.headers["PAYPAL-TRANSMISSION-SIG"],
      transmission_time: sent!.headers["PAYPAL-TRANSMISSION-TIME"],
      webhook_id: ACCOUNT.webhookId,
      webhook_event: JSON.parse(sent!.body),
    };
    // What the platform sends is what the spec's request schema takes.
    expectShape(request, specs.requestRef(WEBHOOKS, "post", "/v1/notifications/verify-webhook-signature"));
    const res = await call("POST", "/v1/notifications/verify-webhook-signature", request);
    expect(res.json).toEqual({ verification_status: "SUCCESS" });
    expectShape(res.json, specs.responseRef(WEBHOOKS, "post", "/v1/notifications/verify-webhook-signature", 200));
  });

  it("shows the app's webhook as webhooks.get", async () => {
    const res = await call("GET", `/v1/notifications/webhooks/${ACCOUNT.webhookId}`);
    expect(res.status).toBe(200);
    expectShape(res.json, specs.responseRef(WEBHOOKS, "get", "/v1/notifications/webhooks/{webhook_id}", 200));
    expect(res.json).toMatchObject({ id: ACCOUNT.webhookId, event_types: [{ name: "*" }] });
  });

  it("answers errors as the operation's error schema, with the issues the spec lists for it", async () => {
    const missing = await call("POST", "/v2/checkout/orders", { intent: "CAPTURE", purchase_units: [{ amount: { currency_code: "USD" } }] });
    expect(missing.status).toBe(400);
    expectShape(missing.json, specs.responseRef(ORDERS, "post", "/v2/checkout/orders", 400));
    expect(missing.json.details).toEqual([expect.objectContaining({ field: "/purchase_units/0/amount/value", location: "body", issue: "MISSING_REQUIRED_PARAMETER" })]);

    const precision = await call("POST", "/v2/checkout/orders", { intent: "CAPTURE", purchase_units: [{ amount: { currency_code: "JPY", value: "100.5" } }] });
    expect(precision.status).toBe(422);
    expectShape(precision.json, specs.responseRef(ORDERS, "post", "/v2/checkout/orders", 422));

    const { json: order } = await call("POST", "/v2/checkout/orders", ORDER_REQUEST);
    const notApproved = await call("POST", `/v2/checkout/orders/${order.id}/capture`, {});
    expectShape(notApproved.json, specs.responseRef(ORDERS, "post", "/v2/checkout/orders/{id}/capture", 422));
    expect(notApproved.json.details[0].issue).toBe("ORDER_NOT_APPROVED");

    const unknown = await call("GET", "/v2/checkout/orders/0000000000000000X");
    expect(unknown.status).toBe(404);
    expectShape(unknown.json, specs.responseRef(ORDERS, "get", "/v2/checkout/orders/{id}", 404));
    expectShape((await call("GET", "/v2/payments/captures/0000000000000000X")).json, specs.responseRef(PAYMENTS, "get", "/v2/payments/captures/{capture_id}", 404));

    const { json } = await capturedOrder();
    const exceeded = await call("POST", `/v2/payments/captures/${json.purchase_units[0].payments.captures[0].id}/refund`, { amount: { currency_code: "EUR", value: "99.00" } });
    expectShape(exceeded.json, specs.responseRef(PAYMENTS, "post", "/v2/payments/captures/{capture_id}/refund", 422));
    expect(exceeded.json.details[0].issue).toBe("REFUND_AMOUNT_EXCEEDED");

    // PayPal documents CURRENCY_NOT_SUPPORTED for Orders v2, but the spec's orders.create issue
    // list lacks it: the body is still the spec's generic 422.
    const currency = await call("POST", "/v2/checkout/orders", { intent: "CAPTURE", purchase_units: [{ amount: { currency_code: "KRW", value: "1000" } }] });
    expect(currency.json.details[0].issue).toBe("CURRENCY_NOT_SUPPORTED");
    expectShape(currency.json, component(ORDERS, "error_422"));

    for (const [status, schema] of [[500, "error_500"], [503, "error_503"]] as const) {
      await helper("/fail-next", { path: "/v2/checkout/orders", status });
      const injected = await call("POST", "/v2/checkout/orders", ORDER_REQUEST);
      expect(injected.status).toBe(status);
      expectShape(injected.json, component(ORDERS, schema));
    }

    // The live API's 401 message differs from the spec's error_401 enum; that is the only difference.
    const unauthenticated = await fetch(`${emulator.url}/v2/checkout/orders/${order.id}`, { headers: { Authorization: "Bearer nope" } });
    expect(unauthenticated.status).toBe(401);
    expect(specs.shapeProblems(await unauthenticated.json(), specs.responseRef(ORDERS, "get", "/v2/checkout/orders/{id}", 401))).toEqual([
      "/message enum: must be equal to one of the allowed values",
    ]);
  });
});
