import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TEST_ADMIN_TOKEN, TEST_CORS_ORIGIN } from "../constants";
import { BASE, api, createMerchant, errorOf } from "./helpers";

const ELSEWHERE = "https://playground.example";

const orderBody = {
  customer_email: "buyer@example.com",
  currency: "USD",
  items: [{ product_id: "p1", product_name: "Book", unit_price: 1200, quantity: 1 }],
};

describe("CORS on the merchant API", () => {
  it("answers a preflight from any origin, without a key", async () => {
    const res = await SELF.fetch(`${BASE}/api/v1/payments`, {
      method: "OPTIONS",
      headers: {
        Origin: ELSEWHERE,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(ELSEWHERE);
    expect(res.headers.get("Access-Control-Allow-Methods")).toBe("GET,POST,PUT,DELETE");
    expect(res.headers.get("Access-Control-Allow-Headers")).toBe("Authorization,Content-Type,Idempotency-Key,X-Request-Id");
    expect(res.headers.get("Access-Control-Max-Age")).toBe("600");
    expect(res.headers.get("Vary")).toContain("Origin");
    expect(res.headers.get("Access-Control-Allow-Credentials")).toBeNull();
  });

  it("lets a test key be used from any origin, and exposes the platform's headers", async () => {
    const m = await createMerchant();
    const res = await api("/api/v1/payments", { key: m.testKey, headers: { Origin: ELSEWHERE } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(ELSEWHERE);
    expect(res.headers.get("Vary")).toContain("Origin");
    expect(res.headers.get("Access-Control-Expose-Headers")).toBe(
      "X-Request-Id,Idempotent-Replayed,Original-Request,Retry-After",
    );
  });

  it("refuses a live key from an origin not in CORS_ORIGINS before any handler runs, readably", async () => {
    const m = await createMerchant();
    const body = { ...orderBody, merchant_reference: "CORS-1" };
    const res = await api("/api/v1/orders", { key: m.liveKey, body, headers: { Origin: ELSEWHERE } });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(ELSEWHERE);
    const error = await errorOf(res);
    expect(error).toMatchObject({ status: 403, type: "permission_error", code: "origin_not_allowed" });
    expect(error.message).toBe(
      `Requests from origin '${ELSEWHERE}' may not use a live key: live keys accept only the origins configured in CORS_ORIGINS.`,
    );
    // nothing was created: the same order from a server is new (201, not the existing one's 200)
    expect((await api("/api/v1/orders", { key: m.liveKey, body })).status).toBe(201);
    // reads are refused too
    const read = await api("/api/v1/orders", { key: m.liveKey, headers: { Origin: ELSEWHERE } });
    expect(read.status).toBe(403);
  });

  it("accepts a live key from an origin in CORS_ORIGINS, and from the Worker's own origin (/docs)", async () => {
    const m = await createMerchant();
    const res = await api("/api/v1/orders", { key: m.liveKey, body: orderBody, headers: { Origin: TEST_CORS_ORIGIN } });
    expect(res.status).toBe(201);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(TEST_CORS_ORIGIN);
    expect(res.headers.get("Vary")).toContain("Origin");
    const own = await api("/api/v1/orders", { key: m.liveKey, headers: { Origin: new URL(BASE).origin } });
    expect(own.status).toBe(200);
  });

  it("leaves requests without an Origin as they were", async () => {
    const m = await createMerchant();
    const res = await api("/api/v1/orders", { key: m.liveKey, body: orderBody });
    expect(res.status).toBe(201);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

describe("no CORS where browsers have no business", () => {
  it("gives channel webhooks no CORS headers, preflight or not", async () => {
    const preflight = await SELF.fetch(`${BASE}/api/v1/webhooks/sandbox`, {
      method: "OPTIONS",
      headers: { Origin: ELSEWHERE, "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const post = await api("/api/v1/webhooks/sandbox", { body: { id: "evt_cors" }, headers: { Origin: ELSEWHERE } });
    expect(post.status).toBe(400);
    expect(post.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(post.headers.get("Access-Control-Expose-Headers")).toBeNull();
  });

  it("gives the admin API no CORS headers", async () => {
    const res = await api("/api/v1/admin/merchants", { key: TEST_ADMIN_TOKEN, headers: { Origin: ELSEWHERE } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("serves the OpenAPI document to any origin", async () => {
    const res = await SELF.fetch(`${BASE}/openapi.json`, { headers: { Origin: ELSEWHERE } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });
});
