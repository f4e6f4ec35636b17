import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { IDEMPOTENCY_TTL_MS, type IdempotencyDO } from "../../durable-objects/idempotency";
import { api, createMerchant, createPayment, errorOf, uniqueOrderNo } from "./helpers";

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
    const body = { order_no: uniqueOrderNo(), amount: 1500, currency: "USD" };
    const first = await createPayment(m.testKey, body, { "Idempotency-Key": "idem-1" });
    const second = await createPayment(m.testKey, body, { "Idempotency-Key": "idem-1" });
    expect(first.status).toBe(201);
    // run again, the handler would answer 200 (the order's existing payment): this is the kept answer
    expect(second.status).toBe(201);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    expect(second.headers.get("Original-Request")).toBe(first.headers.get("X-Request-Id"));
    expect(await second.text()).toBe(await first.text());
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
    const body = { order_no: uniqueOrderNo(), amount: 1500, currency: "USD" };
    const responses = await Promise.all(
      Array.from({ length: 30 }, () => createPayment(m.testKey, body, { "Idempotency-Key": "idem-concurrent" })),
    );
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.status)).toEqual(Array(30).fill(201));
    expect(new Set(bodies).size).toBe(1);
    expect(responses.filter((r) => r.headers.get("Idempotent-Replayed") === null)).toHaveLength(1);
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

/** Everything the key's IdempotencyDO holds, as one string. */
async function idempotencyStorage(merchantId: string, key: string) {
  const stub = env.IDEMPOTENCY.get(env.IDEMPOTENCY.idFromName(`${merchantId}:test:${key}`));
  return runInDurableObject(stub, (_: IdempotencyDO, state) => JSON.stringify([...state.storage.kv.list()]));
}

const listKeys = async (key: string) =>
  (await (await api("/api/v1/merchant/api-keys", { key })).json<{ data: Array<{ id: string }> }>()).data;

describe("Idempotency-Key on answers that show a secret once", () => {
  it("answers a replayed key creation 409 naming the key, without making another or keeping the secret", async () => {
    const m = await createMerchant();
    const before = await listKeys(m.testKey);
    const first = await issueKey(m.testKey, "idem-secret");
    const issued = await first.json<{ id: string; secret: string }>();
    expect(first.status).toBe(201);

    const replay = await issueKey(m.testKey, "idem-secret");
    expect(await errorOf(replay)).toMatchObject({
      status: 409,
      type: "idempotency_error",
      code: "idempotency_secret_not_replayable",
      message: expect.stringContaining(`created API key ${issued.id}`),
    });
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.headers.get("Original-Request")).toBe(first.headers.get("X-Request-Id"));
    expect((await listKeys(m.testKey)).length).toBe(before.length + 1);

    const stored = await idempotencyStorage(m.id, "idem-secret");
    expect(stored).toContain(issued.id);
    expect(stored).not.toContain(issued.secret);
    expect(stored).not.toMatch(/sk_(test|live)_/);
  });

  it("still refuses the same key with a different request with idempotency_key_reused", async () => {
    const m = await createMerchant();
    expect((await issueKey(m.testKey, "idem-secret-other")).status).toBe(201);
    const other = await api("/api/v1/merchant/webhook-endpoint/rotate-secret", {
      key: m.testKey,
      body: {},
      headers: { "Idempotency-Key": "idem-secret-other" },
    });
    expect(await errorOf(other)).toMatchObject({ status: 400, code: "idempotency_key_reused" });
  });

  it("makes one key for concurrent duplicates; the others wait for it and get the 409", async () => {
    const m = await createMerchant();
    const responses = await Promise.all(Array.from({ length: 10 }, () => issueKey(m.testKey, "idem-secret-concurrent")));
    const made = responses.filter((r) => r.status === 201);
    expect(made).toHaveLength(1);
    const { id } = await made[0]!.json<{ id: string }>();
    for (const res of responses.filter((r) => r.status !== 201)) {
      expect(res.headers.get("Idempotent-Replayed")).toBe("true");
      expect(await errorOf(res)).toMatchObject({ status: 409, code: "idempotency_secret_not_replayable", message: expect.stringContaining(id) });
    }
    expect(await keyCount(m.id)).toBe(3);
  });

  it("answers a replayed secret rotation 409 without keeping the new secret; reveal still shows it", async () => {
    const m = await createMerchant();
    const rotate = () =>
      api("/api/v1/merchant/webhook-endpoint/rotate-secret", {
        key: m.testKey,
        body: { overlap_seconds: 60 },
        headers: { "Idempotency-Key": "idem-rotate" },
      });
    const first = await rotate();
    const { secret } = await first.json<{ secret: string }>();
    expect(secret).toMatch(/^whsec_/);

    const replay = await rotate();
    expect(await errorOf(replay)).toMatchObject({
      status: 409,
      type: "idempotency_error",
      code: "idempotency_secret_not_replayable",
      message: expect.stringContaining("GET /api/v1/merchant/webhook-endpoint/secret"),
    });
    expect(replay.headers.get("Original-Request")).toBe(first.headers.get("X-Request-Id"));
    // not rotated again: the secret from the first answer is still the current one
    const revealed = await (await api("/api/v1/merchant/webhook-endpoint/secret", { key: m.testKey })).json<{ secret: string }>();
    expect(revealed.secret).toBe(secret);

    const stored = await idempotencyStorage(m.id, "idem-rotate");
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain("whsec_");
  });
});
