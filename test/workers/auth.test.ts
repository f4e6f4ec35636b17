import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../shared/crypto";
import { TEST_ADMIN_TOKEN } from "../constants";
import { api, createMerchant, errorOf } from "./helpers";

describe("API key authentication", () => {
  it("rejects a request without an Authorization header", async () => {
    const res = await api("/api/v1/merchant");
    expect(await errorOf(res)).toMatchObject({
      status: 401,
      type: "authentication_error",
      code: "api_key_missing",
    });
  });

  it("rejects an Authorization header that is not Bearer", async () => {
    const res = await api("/api/v1/merchant", { headers: { Authorization: "Basic dXNlcjpwYXNz" } });
    expect(await errorOf(res)).toMatchObject({ status: 401, code: "authorization_malformed" });
  });

  it("rejects a token that is not an API key", async () => {
    const res = await api("/api/v1/merchant", { key: "pk_test_123" });
    expect(await errorOf(res)).toMatchObject({ status: 401, code: "api_key_malformed" });
  });

  it("rejects a well-formed key that was never issued", async () => {
    const res = await api("/api/v1/merchant", { key: `sk_test_${"x".repeat(32)}` });
    expect(await errorOf(res)).toMatchObject({ status: 401, code: "api_key_invalid" });
  });

  it("accepts both the test and the live key of a merchant", async () => {
    const m = await createMerchant();
    for (const key of [m.testKey, m.liveKey]) {
      const me = await api("/api/v1/merchant", { key });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ id: m.id, object: "merchant" });
    }
  });

  it("stops accepting a key the moment it is revoked", async () => {
    const m = await createMerchant();
    const issued = await api("/api/v1/merchant/api-keys", { key: m.testKey, method: "POST" });
    expect(issued.status).toBe(201);
    const { id, secret } = await issued.json<{ id: string; secret: string }>();
    expect((await api("/api/v1/merchant", { key: secret })).status).toBe(200);

    const revoked = await api(`/api/v1/merchant/api-keys/${id}/revoke`, { key: m.testKey, method: "POST" });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ id, revoked_at: expect.any(String) });
    expect(await errorOf(await api("/api/v1/merchant", { key: secret }))).toMatchObject({
      status: 401,
      code: "api_key_revoked",
    });
    // the merchant's other keys keep working
    expect((await api("/api/v1/merchant", { key: m.testKey })).status).toBe(200);
  });

  it("issues keys in the calling key's mode only", async () => {
    const m = await createMerchant();
    const res = await api("/api/v1/merchant/api-keys", { key: m.liveKey, method: "POST" });
    const key = await res.json<{ secret: string; livemode: boolean }>();
    expect(key.livemode).toBe(true);
    expect(key.secret).toMatch(/^sk_live_[A-Za-z0-9]{32}$/);
  });
});

describe("merchant isolation", () => {
  it("answers 404 for another merchant's key and leaves it untouched", async () => {
    const a = await createMerchant();
    const b = await createMerchant();
    const res = await api(`/api/v1/merchant/api-keys/${b.testKeyId}/revoke`, { key: a.testKey, method: "POST" });
    expect(await errorOf(res)).toMatchObject({ status: 404, code: "resource_missing" });
    expect((await api("/api/v1/merchant", { key: b.testKey })).status).toBe(200);
  });

  it("lists only the caller's own keys", async () => {
    const a = await createMerchant();
    const b = await createMerchant();
    const list = await (await api("/api/v1/merchant/api-keys", { key: a.testKey })).json<{
      data: Array<{ id: string }>;
    }>();
    expect(list.data).toHaveLength(2);
    expect(list.data.map((k) => k.id)).not.toContain(b.testKeyId);
  });
});

describe("key storage", () => {
  it("stores only a hash of each key and shows the secret only when issued", async () => {
    const m = await createMerchant();
    const rows = await env.DB.prepare("SELECT * FROM api_keys WHERE merchant_id = ?").bind(m.id).all();
    const stored = JSON.stringify(rows.results);
    expect(stored).not.toContain(m.testKey);
    expect(stored).not.toContain(m.liveKey);
    expect(rows.results.map((r) => r.key_hash).sort()).toEqual(
      [await sha256Hex(m.testKey), await sha256Hex(m.liveKey)].sort(),
    );
    const listed = await (await api("/api/v1/merchant/api-keys", { key: m.testKey })).text();
    expect(listed).not.toContain(m.testKey.slice(12));
    expect(listed).not.toContain("secret");
  });

  it("issues keys with at least 128 bits of randomness", async () => {
    const m = await createMerchant();
    // 32 base62 symbols = 190 bits; and two merchants never share a key
    expect(m.testKey).toMatch(/^sk_test_[A-Za-z0-9]{32}$/);
    expect(m.liveKey).toMatch(/^sk_live_[A-Za-z0-9]{32}$/);
    const other = await createMerchant();
    expect(other.testKey).not.toBe(m.testKey);
  });
});

describe("admin API", () => {
  it("refuses a missing or wrong admin token", async () => {
    const body = { name: "X", email: "x@example.com" };
    expect((await api("/api/v1/admin/merchants", { body })).status).toBe(401);
    const wrong = await api("/api/v1/admin/merchants", { body, key: `${TEST_ADMIN_TOKEN}x` });
    expect(await errorOf(wrong)).toMatchObject({ status: 401, code: "admin_token_invalid" });
  });

  it("does not accept a merchant key as the admin token", async () => {
    const m = await createMerchant();
    const res = await api(`/api/v1/admin/merchants/${m.id}`, { key: m.liveKey });
    expect(res.status).toBe(401);
  });

  it("reads a merchant, and 404s an unknown one", async () => {
    const m = await createMerchant("Readable");
    const res = await api(`/api/v1/admin/merchants/${m.id}`, { key: TEST_ADMIN_TOKEN });
    expect(await res.json()).toMatchObject({ id: m.id, name: "Readable", status: "active" });
    const missing = await api("/api/v1/admin/merchants/mch_nope", { key: TEST_ADMIN_TOKEN });
    expect(missing.status).toBe(404);
  });
});
