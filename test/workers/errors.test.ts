import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { requestId } from "hono/request-id";
import { onError } from "../../workers/error-handlers";
import { createRouter } from "../../workers/openapi/router";
import { signPayload } from "../../shared/channels/signature";
import { TEST_ADMIN_TOKEN, TEST_SANDBOX_SECRET } from "../constants";
import { BASE, api, createMerchant, createPayment, errorOf, type PaymentJson } from "./helpers";

const admin = (body: unknown, headers: Record<string, string> = {}) =>
  api("/api/v1/admin/merchants", { key: TEST_ADMIN_TOKEN, body, headers });

describe("one error shape for every bad input", () => {
  it("names invalid JSON", async () => {
    const res = await admin('{"name": "x",');
    expect(await errorOf(res)).toMatchObject({
      status: 400,
      type: "invalid_request_error",
      code: "invalid_json",
      request_id: res.headers.get("X-Request-Id"),
    });
  });

  it("refuses a body that is not JSON, or a Content-Type a route does not take, with one 415", async () => {
    const expected = {
      status: 415,
      type: "invalid_request_error",
      code: "unsupported_media_type",
      message: "Request bodies must be JSON, sent with 'Content-Type: application/json'.",
    };
    // a form body: refused by the platform's body check
    const form = await admin("name=x&email=y", { "Content-Type": "application/x-www-form-urlencoded" });
    expect(await errorOf(form)).toMatchObject(expected);
    // no body, but a Content-Type the route does not declare: refused by the route's media-type gate
    for (const type of ["text/plain", "application/x-www-form-urlencoded"]) {
      const res = await api("/api/v1/admin/merchants", {
        key: TEST_ADMIN_TOKEN,
        method: "POST",
        headers: { "Content-Type": type },
      });
      expect(await errorOf(res), type).toMatchObject(expected);
    }
  });

  it("names an unknown field", async () => {
    const res = await admin({ name: "X", email: "x@example.com", colour: "red" });
    expect(await errorOf(res)).toMatchObject({ status: 400, code: "parameter_unknown", param: "colour" });
  });

  it("names a field of the wrong type", async () => {
    const res = await admin({ name: 42, email: "x@example.com" });
    expect(await errorOf(res)).toMatchObject({ status: 400, code: "parameter_invalid", param: "name" });
  });

  it("names a missing field", async () => {
    const res = await admin({ name: "X" });
    expect(await errorOf(res)).toMatchObject({ status: 400, code: "parameter_missing", param: "email" });
  });

  it("names an invalid value", async () => {
    const res = await admin({ name: "X", email: "not-an-email" });
    expect(await errorOf(res)).toMatchObject({ status: 400, code: "parameter_invalid", param: "email" });
  });

  it("refuses a body over 1 MB with 413", async () => {
    const res = await admin({ name: "x".repeat(1024 * 1024), email: "x@example.com" });
    expect(await errorOf(res)).toMatchObject({ status: 413, code: "body_too_large" });
  });

  it("answers an unknown route with 404 route_not_found", async () => {
    const m = await createMerchant();
    const res = await api("/api/v1/nothing-here", { key: m.testKey });
    expect(await errorOf(res)).toMatchObject({ status: 404, code: "route_not_found" });
    const outside = await SELF.fetch(`${BASE}/nope`);
    expect(await errorOf(outside)).toMatchObject({ status: 404, code: "route_not_found" });
  });

  it("answers a wrong method with 405 and the allowed methods", async () => {
    const res = await SELF.fetch(`${BASE}/healthz`, { method: "DELETE" });
    expect(res.headers.get("Allow")).toContain("GET");
    expect(await errorOf(res)).toMatchObject({ status: 405, code: "method_not_allowed" });
  });
});

describe("JSON bodies", () => {
  const paymentOf = async (key: string, paymentMethod = "pm_sandbox_requires_action") =>
    (await createPayment(key, { payment_method: paymentMethod })).json<PaymentJson>();

  it("takes an empty or blank body sent as JSON as no parameters", async () => {
    const m = await createMerchant();
    for (const body of ["", " \n\t\r "]) {
      const payment = await paymentOf(m.testKey);
      const cancelled = await api(`/api/v1/payments/${payment.payment_no}/cancel`, { key: m.testKey, body });
      expect(cancelled.status, JSON.stringify(body)).toBe(200);
      expect(await cancelled.json()).toMatchObject({ status: "cancelled" });

      const issued = await api("/api/v1/merchant/api-keys", { key: m.testKey, body });
      expect(issued.status).toBe(201);

      const order = await (
        await api("/api/v1/orders", {
          key: m.testKey,
          body: { customer_email: "a@example.com", currency: "USD", items: [{ product_id: "p", product_name: "P", unit_price: 500, quantity: 1 }] },
        })
      ).json<{ order_no: string }>();
      const paid = await api(`/api/v1/orders/${order.order_no}/pay`, { key: m.testKey, body });
      expect(paid.status).toBe(201);
      expect(await paid.json()).toMatchObject({ object: "payment", amount: 500 });
    }
  });

  it("names the first required field when an empty body is sent to a route that needs some", async () => {
    const m = await createMerchant();
    expect(await errorOf(await api("/api/v1/payments", { key: m.testKey, body: "" }))).toMatchObject({
      status: 400,
      code: "parameter_missing",
      param: "order_no",
    });
    expect(await errorOf(await api("/api/v1/orders", { key: m.testKey, body: "  " }))).toMatchObject({
      status: 400,
      code: "parameter_missing",
      param: "customer_email",
    });
    expect(await errorOf(await admin(""))).toMatchObject({ status: 400, code: "parameter_missing", param: "name" });
  });

  it("refuses NUL characters and lone surrogates in any string, value or key, naming where", async () => {
    const m = await createMerchant();
    const item = { product_id: "p", product_name: "P", unit_price: 500, quantity: 1 };
    const order = (body: Record<string, unknown>) =>
      api("/api/v1/orders", { key: m.testKey, body: { customer_email: "a@example.com", currency: "USD", items: [item], ...body } });
    const cases: [Response, string, RegExp][] = [
      [await admin({ name: "Acme\u0000Books", email: "x@example.com" }), "name", /NUL character/],
      [await order({ items: [item, { ...item, product_name: "bad \ud800 half" }] }), "items[1].product_name", /lone UTF-16 surrogate/],
      [await order({ shipping: { line1: "1 Main St", city: "\udc00", country: "US" } }), "shipping.city", /lone UTF-16 surrogate/],
      [await order({ metadata: { "cart\u0000id": "c1" } }), "metadata.cart\u0000id", /parameter name contains a NUL/],
      [await createPayment(m.testKey, { description: "x\u0000" }), "description", /NUL character/],
    ];
    for (const [res, param, message] of cases) {
      const error = await errorOf(res);
      expect(error, param).toMatchObject({ status: 400, code: "parameter_invalid", param });
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/cannot be stored/);
    }
    // nothing was created
    const orders = await (await api("/api/v1/orders", { key: m.testKey })).json<{ data: unknown[] }>();
    expect(orders.data).toEqual([]);
    // well-formed text outside the Basic Multilingual Plane (a surrogate pair) is fine
    const emoji = await order({ items: [{ ...item, product_name: "Gift 🎁" }] });
    expect(emoji.status).toBe(201);
    expect(await emoji.json()).toMatchObject({ items: [{ product_name: "Gift 🎁" }] });
  });

  it("leaves channel webhook bodies alone: a signed event holding a NUL is verified on its bytes", async () => {
    const m = await createMerchant();
    const payment = await paymentOf(m.testKey);
    const [intentId] = payment.client_secret!.split("_secret_");
    const body = JSON.stringify({
      id: `evt_nul_${Date.now()}`,
      object: "event",
      type: "payment_intent.requires_action",
      created: Math.floor(Date.now() / 1000),
      note: "a\u0000b",
      data: {
        object: {
          id: intentId,
          object: "sandbox.payment_intent",
          payment_no: payment.payment_no,
          amount: payment.amount,
          currency: payment.currency,
          status: "requires_action",
          payment_method: "pm_sandbox_requires_action",
          client_secret: payment.client_secret,
          failure: null,
          created: Math.floor(Date.now() / 1000),
        },
      },
    });
    const signature = await signPayload(TEST_SANDBOX_SECRET, body, Math.floor(Date.now() / 1000));
    const res = await api("/api/v1/webhooks/sandbox", { body, headers: { "Sandbox-Signature": signature } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: true });
  });
});

describe("trailing slashes", () => {
  it("routes /api/v1/payments/ as /api/v1/payments, path parameters included", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey)).json<PaymentJson>();
    const list = await api("/api/v1/payments/", { key: m.testKey });
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ object: "list" });
    const one = await api(`/api/v1/payments/${payment.payment_no}/`, { key: m.testKey });
    expect(await one.json()).toMatchObject({ payment_no: payment.payment_no });
    expect((await SELF.fetch(`${BASE}/healthz/`)).status).toBe(200);
  });

  it("still answers 405 with the allowed methods, and 404 for unknown URLs", async () => {
    const m = await createMerchant();
    const res = await api("/api/v1/payments/", { key: m.testKey, method: "DELETE" });
    expect(res.headers.get("Allow")?.split(", ").sort()).toEqual(["GET", "HEAD", "POST"]);
    expect(await errorOf(res)).toMatchObject({ status: 405, code: "method_not_allowed" });
    expect(await errorOf(await api("/api/v1/nothing-here/", { key: m.testKey }))).toMatchObject({
      status: 404,
      code: "route_not_found",
    });
  });
});

describe("request ids", () => {
  it("puts X-Request-Id on successes and failures alike", async () => {
    for (const res of [
      await SELF.fetch(`${BASE}/healthz`),
      await SELF.fetch(`${BASE}/nope`),
      await api("/api/v1/merchant"),
    ]) {
      expect(res.headers.get("X-Request-Id")).toMatch(/^req_[A-Za-z0-9]{20}$/);
    }
  });

  it("keeps a caller's well-formed request id and replaces a malformed one", async () => {
    const kept = await SELF.fetch(`${BASE}/healthz`, { headers: { "X-Request-Id": "client-abc-123" } });
    expect(kept.headers.get("X-Request-Id")).toBe("client-abc-123");
    const replaced = await SELF.fetch(`${BASE}/healthz`, { headers: { "X-Request-Id": "bad id<>" } });
    expect(replaced.headers.get("X-Request-Id")).toMatch(/^req_/);
  });
});

describe("health", () => {
  it("answers /healthz without authentication", async () => {
    const res = await SELF.fetch(`${BASE}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });
});

describe("failures of the runtime itself", () => {
  // A small app with the platform's error handler and request ids, whose route throws what a
  // Durable Object stub throws when the object's infrastructure fails.
  const appThrowing = (error: Error) => {
    const app = createRouter();
    app.use(requestId());
    app.get("/boom", () => {
      throw error;
    });
    app.onError(onError);
    return app;
  };
  const flagged = (flags: Record<string, boolean>) => Object.assign(new Error("Durable Object reset"), flags);

  it.each([
    [flagged({ retryable: true }), "temporarily_unavailable", "1"],
    [flagged({ overloaded: true }), "overloaded", "5"],
    // an object whose storage failed (SQLITE_NOMEM) is reset by the runtime
    [flagged({ durableObjectReset: true }), "temporarily_unavailable", "1"],
    // how the local runtime reports an object it could not open
    [new Error("internal error; reference = 0123456789abcdef"), "temporarily_unavailable", "1"],
  ])("answers %o with 503 and Retry-After", async (error, code, retryAfter) => {
    const res = await appThrowing(error).request("/boom");
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe(retryAfter);
    expect(await errorOf(res)).toMatchObject({ type: "api_error", code });
  });

  it.each([
    ["another error", flagged({ retryable: false })],
    // the object's own code failed: a bug to fix, not a moment to wait out
    ["an object's own internal error", Object.assign(new Error("internal error; reference = 0123"), { remote: true })],
  ])("answers %s with 500 internal_error", async (_, error) => {
    const res = await appThrowing(error).request("/boom");
    expect(await errorOf(res)).toMatchObject({ status: 500, code: "internal_error" });
  });
});
