import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { IDEMPOTENCY_TTL_MS, type IdempotencyDO } from "../../durable-objects/idempotency";
import { api, createMerchant, errorOf } from "./helpers";

const issueKey = (key: string, idempotencyKey: string, body?: unknown) =>
  api("/api/v1/merchant/api-keys", {
    key,
    method: "POST",
    body,
    headers: { "Idempotency-Key": idempotencyKey },
  });

async function keyCount(merchantId: string) {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM api_keys WHERE merchant_id = ?")
    .bind(merchantId)
    .first<{ n: number }>();
  return row!.n;
}

describe("Idempotency-Key", () => {
  it("replays the first answer for the same key and body, without doing the work again", async () => {
    const m = await createMerchant();
    const first = await issueKey(m.testKey, "idem-1");
    const second = await issueKey(m.testKey, "idem-1");
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    expect(second.headers.get("Original-Request")).toBe(first.headers.get("X-Request-Id"));
    expect(await second.text()).toBe(await first.text());
    expect(await keyCount(m.id)).toBe(3);
  });

  it("refuses the same key with a different request with idempotency_key_reused", async () => {
    const m = await createMerchant();
    expect((await issueKey(m.testKey, "idem-2")).status).toBe(201);
    const other = await api(`/api/v1/merchant/api-keys/${m.testKeyId}/revoke`, {
      key: m.testKey,
      method: "POST",
      headers: { "Idempotency-Key": "idem-2" },
    });
    expect(await errorOf(other)).toMatchObject({
      status: 400,
      type: "idempotency_error",
      code: "idempotency_key_reused",
    });
    // and the refused request did nothing: the key it would have revoked still works
    expect((await api("/api/v1/merchant", { key: m.testKey })).status).toBe(200);
  });

  it("does the work once for 30 concurrent requests with one key, and answers them all alike", async () => {
    const m = await createMerchant();
    const responses = await Promise.all(
      Array.from({ length: 30 }, () => issueKey(m.testKey, "idem-concurrent")),
    );
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.status)).toEqual(Array(30).fill(201));
    expect(new Set(bodies).size).toBe(1);
    expect(responses.filter((r) => r.headers.get("Idempotent-Replayed") === null)).toHaveLength(1);
    expect(await keyCount(m.id)).toBe(3);
  });

  it("keeps keys apart per merchant and per mode", async () => {
    const a = await createMerchant();
    const b = await createMerchant();
    const results = await Promise.all([
      issueKey(a.testKey, "shared"),
      issueKey(a.liveKey, "shared"),
      issueKey(b.testKey, "shared"),
    ]);
    for (const res of results) expect(res.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await keyCount(a.id)).toBe(4);
    expect(await keyCount(b.id)).toBe(3);
  });

  it("does not keep an answer to an invalid request, so a corrected retry runs", async () => {
    const m = await createMerchant();
    const bad = await issueKey(m.testKey, "idem-bad", "{not json");
    expect(bad.status).toBe(400);
    const good = await issueKey(m.testKey, "idem-bad");
    expect(good.status).toBe(201);
    expect(good.headers.get("Idempotent-Replayed")).toBeNull();
  });

  it("refuses an over-long key", async () => {
    const m = await createMerchant();
    const res = await issueKey(m.testKey, "k".repeat(256));
    expect(await errorOf(res)).toMatchObject({ status: 400, code: "idempotency_key_invalid" });
  });

  it("forgets a key after 24 hours", async () => {
    const m = await createMerchant();
    expect((await issueKey(m.testKey, "idem-ttl")).status).toBe(201);
    const stub = env.IDEMPOTENCY.get(env.IDEMPOTENCY.idFromName(`${m.id}:test:idem-ttl`));
    const alarmAt = await runInDurableObject(stub, (_: IdempotencyDO, state) => state.storage.getAlarm());
    expect(alarmAt).toBeGreaterThan(Date.now() + IDEMPOTENCY_TTL_MS - 60_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const again = await issueKey(m.testKey, "idem-ttl");
    expect(again.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await keyCount(m.id)).toBe(4);
  });
});
