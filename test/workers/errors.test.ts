import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { requestId } from "hono/request-id";
import { onError } from "../../workers/error-handlers";
import { createRouter } from "../../workers/openapi/router";
import { TEST_ADMIN_TOKEN } from "../constants";
import { BASE, api, createMerchant, errorOf } from "./helpers";

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

  it("refuses a body that is not JSON with 415", async () => {
    const res = await admin("name=x&email=y", { "Content-Type": "application/x-www-form-urlencoded" });
    expect(await errorOf(res)).toMatchObject({ status: 415, code: "unsupported_media_type" });
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
    [{ retryable: true }, "temporarily_unavailable", "1"],
    [{ overloaded: true }, "overloaded", "5"],
  ])("answers %o with 503 and Retry-After", async (flags, code, retryAfter) => {
    const res = await appThrowing(flagged(flags)).request("/boom");
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe(retryAfter);
    expect(await errorOf(res)).toMatchObject({ type: "api_error", code });
  });

  it("answers any other error with 500 internal_error", async () => {
    const res = await appThrowing(flagged({ retryable: false })).request("/boom");
    expect(await errorOf(res)).toMatchObject({ status: 500, code: "internal_error" });
  });
});
