import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ChannelError, type ChannelPayment } from "../../shared/channels/adapter";
import { SHARDS, SandboxAdapter, sandboxShard, shardFor } from "../../shared/channels/sandbox/adapter";
import { sandboxChannel } from "../../shared/channels/sandbox/definition";
import { api, createMerchant, createPayment, errorOf, eventually, type PaymentJson } from "./helpers";
import { drainSandboxAfterAll } from "./sandbox-state";

interface ConditionsJson {
  object: string;
  mode: string;
  share: number;
  updated_at: string | null;
}

const setConditions = (key: string, body: unknown) => api("/api/v1/sandbox/conditions", { key, body });
const readConditions = async (key: string) => (await api("/api/v1/sandbox/conditions", { key })).json<ConditionsJson>();

async function setMode(key: string, mode: string, share?: number) {
  const res = await setConditions(key, share === undefined ? { mode } : { mode, share });
  expect(res.status).toBe(200);
  return res.json<ConditionsJson>();
}

let seq = 0;
/**
 * An idempotency key unique to this run. Its payment_no is not one the platform issues, so the
 * sandbox's webhooks for it are received and ignored, with no payment object made.
 */
const newKey = () => `sbcond-${Date.now()}-${++seq}`;

/** A create as PaymentDO sends it, straight to the sandbox adapter. */
const createAtSandbox = (merchantId: string, idempotencyKey: string, paymentMethod = "pm_sandbox_success") =>
  new SandboxAdapter(env).createPayment({
    paymentNo: idempotencyKey,
    merchantId,
    livemode: false,
    amount: 1000,
    currency: "USD",
    paymentMethod,
    description: null,
    customerEmail: null,
    returnUrl: null,
    cancelUrl: null,
    idempotencyKey,
  });

/** The create's ChannelError; fails the test if the create succeeded or threw something else. */
async function createFailure(merchantId: string, idempotencyKey: string): Promise<ChannelError> {
  const error = await createAtSandbox(merchantId, idempotencyKey).then(
    (payment) => payment,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

/** The intent the key's shard stored for it, if any. */
const storedIntentId = (idempotencyKey: string) =>
  runInDurableObject(sandboxShard(env, shardFor(idempotencyKey)), (_, state) =>
    state.storage.sql
      .exec<{ id: string }>("SELECT id FROM intents WHERE idempotency_key = ?", idempotencyKey)
      .toArray()
      .map((row) => row.id),
  );

/** The sandbox webhooks the platform received for a payment_no, by type. */
const webhooksFor = (paymentNo: string) =>
  env.DB.prepare("SELECT event_type FROM payment_callbacks WHERE channel = 'sandbox' AND payment_no = ?")
    .bind(paymentNo)
    .all<{ event_type: string }>()
    .then((r) => r.results.map((row) => row.event_type));

// the creates below leave webhooks in flight: let the sandbox deliver them before the runtime closes
drainSandboxAfterAll();

describe("POST /api/v1/sandbox/conditions: validation", () => {
  it.each([
    // zod reports a missing enum as invalid_value, which workers/openapi/validation.ts reads as invalid
    ["a missing mode", { share: 0.5 }, expect.stringMatching(/^parameter_(missing|invalid)$/), "mode"],
    ["an unknown mode", { mode: "sideways" }, "parameter_invalid", "mode"],
    ["a share above 1", { mode: "down", share: 1.5 }, "parameter_invalid", "share"],
    ["a negative share", { mode: "down", share: -0.1 }, "parameter_invalid", "share"],
    ["a share that is not a number", { mode: "down", share: "half" }, "parameter_invalid", "share"],
    ["an unknown field", { mode: "down", merchant: "m" }, "parameter_unknown", "merchant"],
  ])("refuses %s with 400 naming the field", async (_, body, code, param) => {
    const m = await createMerchant();
    const error = await errorOf(await setConditions(m.testKey, body));
    expect(error).toMatchObject({ status: 400, code, param });
    expect(error.message).toContain(param);
    expect((await readConditions(m.testKey)).mode).toBe("up");
  });

  it("refuses a live key, to set or to read, saying the sandbox is test mode only", async () => {
    const m = await createMerchant();
    const set = await errorOf(await setConditions(m.liveKey, { mode: "down" }));
    expect(set).toMatchObject({ status: 403, type: "permission_error", code: "test_mode_only" });
    expect(set.message).toMatch(/test mode only/);
    expect(await errorOf(await api("/api/v1/sandbox/conditions", { key: m.liveKey }))).toMatchObject({
      status: 403,
      code: "test_mode_only",
    });
    expect((await readConditions(m.testKey)).mode).toBe("up");
  });
});

describe("sandbox conditions: reading and setting", () => {
  it("GET answers mode up, share 0 when none was ever set", async () => {
    const m = await createMerchant();
    expect(await readConditions(m.testKey)).toEqual({ object: "sandbox_conditions", mode: "up", share: 0, updated_at: null });
  });

  it("POST answers the condition in force, which GET then answers; share defaults to 1", async () => {
    const m = await createMerchant();
    const set = await setMode(m.testKey, "decline_retriable", 0.25);
    expect(set).toMatchObject({ object: "sandbox_conditions", mode: "decline_retriable", share: 0.25 });
    expect(Date.parse(set.updated_at!)).toBeGreaterThan(Date.now() - 60_000);
    expect(await readConditions(m.testKey)).toEqual(set);
    expect(await setMode(m.testKey, "down")).toMatchObject({ mode: "down", share: 1 });
    expect(await readConditions(m.testKey)).toMatchObject({ mode: "down", share: 1 });
  });

  it("every shard holds the condition, so any shard's creates meet it", async () => {
    const m = await createMerchant();
    await setMode(m.testKey, "down");
    const keysByShard = new Map<string, string>();
    for (let i = 0; keysByShard.size < SHARDS; i++) {
      const key = `${newKey()}-${i}`;
      if (!keysByShard.has(shardFor(key))) keysByShard.set(shardFor(key), key);
    }
    const errors = await Promise.all([...keysByShard.values()].map((key) => createFailure(m.id, key)));
    expect(errors.map((e) => e.code)).toEqual(Array(SHARDS).fill("sandbox_unavailable"));
  });

  it('"up" clears the condition: share 0, and creates go through again', async () => {
    const m = await createMerchant();
    await setMode(m.testKey, "down");
    expect(await setMode(m.testKey, "up", 0.7)).toMatchObject({ mode: "up", share: 0 });
    expect(await readConditions(m.testKey)).toMatchObject({ mode: "up", share: 0 });
    expect((await createAtSandbox(m.id, newKey())).status).toBe("pending");
  });

  it("one merchant's down leaves another's creates alone, on the same shard and through the API", async () => {
    const [down, other] = [await createMerchant(), await createMerchant()];
    await setMode(down.testKey, "down");
    const downKey = newKey();
    let otherKey = newKey();
    while (shardFor(otherKey) !== shardFor(downKey)) otherKey = newKey();
    expect((await createFailure(down.id, downKey)).code).toBe("sandbox_unavailable");
    expect((await createAtSandbox(other.id, otherKey)).status).toBe("pending");
    const res = await createPayment(other.testKey);
    expect(res.status).toBe(201);
    expect((await res.json<PaymentJson>()).status).toBe("pending");
  });
});

describe("sandbox conditions: what each mode does to a new create", () => {
  it("down: 502 sandbox_unavailable marked not processed, nothing stored; the same key after up makes a fresh intent", async () => {
    const m = await createMerchant();
    await setMode(m.testKey, "down");
    const key = newKey();
    const error = await createFailure(m.id, key);
    expect(error).toMatchObject({ code: "sandbox_unavailable", status: 502, notProcessed: true });
    expect(await storedIntentId(key)).toEqual([]);
    await setMode(m.testKey, "up");
    const created = await createAtSandbox(m.id, key);
    expect(created.status).toBe("pending");
    expect(await storedIntentId(key)).toEqual([created.id]);
  });

  it("decline_retriable: the create answers failed with processing_error, a failure the sandbox lists as retriable, and the failed webhook goes out", async () => {
    const m = await createMerchant();
    await setMode(m.testKey, "decline_retriable");
    const key = newKey();
    const payment = await createAtSandbox(m.id, key);
    expect(payment).toMatchObject({ status: "failed", failure: { code: "processing_error" } });
    expect(sandboxChannel.retriableFailures.has(payment.failure!.code)).toBe(true);
    expect(await eventually(() => webhooksFor(key), (types) => types.length > 0)).toEqual(["payment_intent.failed"]);
  });

  it("timeout_after_charge: 502 sandbox_timeout not marked not processed; the replay answers the same intent, which succeeds", async () => {
    const m = await createMerchant();
    await setMode(m.testKey, "timeout_after_charge");
    const key = newKey();
    const error = await createFailure(m.id, key);
    expect(error).toMatchObject({ code: "sandbox_timeout", status: 502, notProcessed: false });
    const [charged] = await storedIntentId(key);
    expect(charged).toBeDefined();
    // the replay meets no condition: it answers what the sandbox already made
    const replayed = await createAtSandbox(m.id, key);
    expect(replayed.id).toBe(charged);
    const adapter = new SandboxAdapter(env);
    await eventually(() => adapter.getPayment(charged!), (p: ChannelPayment) => p.status === "succeeded");
    await eventually(() => webhooksFor(key), (types) => types.includes("payment_intent.succeeded"));
    expect(await storedIntentId(key)).toEqual([charged]);
  });

  it("a replay of a key the shard already has answers its intent, whatever the condition", async () => {
    const m = await createMerchant();
    const key = newKey();
    const first = await createAtSandbox(m.id, key);
    await setMode(m.testKey, "down");
    expect((await createAtSandbox(m.id, key)).id).toBe(first.id);
  });
});

describe("sandbox conditions: share", () => {
  /** How many of `n` new creates the merchant's condition (down) refuses. */
  async function refusedOf(merchantId: string, n: number): Promise<number> {
    let refused = 0;
    for (let batch = 0; batch < n; batch += 50) {
      const outcomes = await Promise.allSettled(
        Array.from({ length: Math.min(50, n - batch) }, () => createAtSandbox(merchantId, newKey(), "pm_sandbox_requires_action")),
      );
      for (const outcome of outcomes) {
        if (outcome.status === "fulfilled") continue;
        expect(outcome.reason).toMatchObject({ code: "sandbox_unavailable" });
        refused++;
      }
    }
    return refused;
  }

  it("share 0 never affects a create", async () => {
    const m = await createMerchant();
    await setMode(m.testKey, "down", 0);
    expect(await refusedOf(m.id, 50)).toBe(0);
  });

  it("share 0.5 affects between 35% and 65% of 400 creates", async () => {
    const m = await createMerchant();
    await setMode(m.testKey, "down", 0.5);
    const refused = await refusedOf(m.id, 400);
    expect(refused).toBeGreaterThanOrEqual(140);
    expect(refused).toBeLessThanOrEqual(260);
  }, 60_000);
});
