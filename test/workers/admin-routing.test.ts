// The operator's routing routes: any merchant's configuration versions and channel health in a mode
// the query names (the merchant then routes by what the operator activated), and channel health
// over every merchant, counted from the attempts' projection in D1 (`transactions`).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { platformChannelHealth } from "../../shared/routing/platform-health";
import { TEST_ADMIN_TOKEN } from "../constants";
import { api, createMerchant, createPayment, errorOf, eventually, paymentReaches, type PaymentJson, type TestMerchant } from "./helpers";
import type { VersionJson } from "./routing-api";

interface Page<T> {
  object: "list";
  data: T[];
  has_more: boolean;
}
interface HealthJson {
  object: string;
  livemode: boolean;
  window_seconds: number;
  data: Array<{ channel: string; attempts: number; succeeded: number; [key: string]: unknown }>;
}
interface PlatformHealthJson {
  object: string;
  livemode: boolean;
  window_seconds: number;
  data: Array<{ channel: string; attempts: number; succeeded: number; failed: number; success_rate: number | null; p50_ms: number | null; p95_ms: number | null; merchants: number }>;
}

const SANDBOX_FIRST = { name: "sandbox first", default: { priority: ["sandbox", "stripe"] } };
const STRIPE_FIRST = { name: "stripe first", default: { priority: ["stripe", "sandbox"] } };

const admin = (path: string, options: { method?: string; body?: unknown } = {}) => api(path, { key: TEST_ADMIN_TOKEN, ...options });
const configsOf = (merchantId: string) => `/api/v1/admin/merchants/${merchantId}/routing/configs`;

async function ok<T>(res: Response, status = 200): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(status);
  return res.json<T>();
}

const createVersion = async (merchantId: string, config: unknown, livemode = false) =>
  ok<VersionJson>(await admin(`${configsOf(merchantId)}?livemode=${livemode}`, { body: config }), 201);

/** A sandbox payment made with the merchant's test key, once it succeeded and its attempt reached D1. */
async function paidThroughApi(m: TestMerchant) {
  const payment = await ok<PaymentJson>(await createPayment(m.testKey), 201);
  expect(payment.channel).toBe("sandbox");
  await paymentReaches(m.testKey, payment.payment_no, "succeeded");
  await eventually(
    () => env.DB.prepare("SELECT status FROM transactions WHERE payment_no = ?").bind(payment.payment_no).first<{ status: string }>(),
    (row) => row?.status === "succeeded",
  );
  return payment;
}

describe("the admin routing routes: authentication and the mode", () => {
  it("need the admin token: none, a wrong one or the merchant's own key is 401", async () => {
    const m = await createMerchant();
    const paths = [`${configsOf(m.id)}?livemode=false`, `/api/v1/admin/merchants/${m.id}/routing/health?livemode=false`, "/api/v1/admin/routing/health?livemode=false"];
    for (const path of paths) {
      expect(await errorOf(await api(path)), path).toMatchObject({ status: 401 });
      expect(await errorOf(await api(path, { key: `${TEST_ADMIN_TOKEN}x` })), path).toMatchObject({ status: 401, code: "admin_token_invalid" });
      expect(await errorOf(await api(path, { key: m.testKey })), path).toMatchObject({ status: 401 });
    }
    expect(await errorOf(await api(`${configsOf(m.id)}?livemode=false`, { body: SANDBOX_FIRST }))).toMatchObject({ status: 401 });
  });

  it.each([
    ["missing", "", "parameter_missing", "Missing required parameter: livemode."],
    ["1", "?livemode=1", "parameter_invalid", "Invalid livemode: must be true or false."],
    ["TRUE", "?livemode=TRUE", "parameter_invalid", "Invalid livemode: must be true or false."],
    ["empty", "?livemode=", "parameter_invalid", "Invalid livemode: must be true or false."],
  ])("refuse a livemode that is %s, naming it", async (_, query, code, message) => {
    const m = await createMerchant();
    for (const path of [configsOf(m.id), `/api/v1/admin/merchants/${m.id}/routing/health`, "/api/v1/admin/routing/health"]) {
      expect(await errorOf(await admin(`${path}${query}`)), path).toMatchObject({ status: 400, code, param: "livemode", message });
    }
    expect(await errorOf(await admin(`${configsOf(m.id)}${query}`, { body: SANDBOX_FIRST }))).toMatchObject({ status: 400, param: "livemode" });
  });

  it("refuse a parameter they do not take, and a configuration the contract does not allow, naming the field", async () => {
    const m = await createMerchant();
    expect(await errorOf(await admin(`${configsOf(m.id)}?livemode=false&mode=test`))).toMatchObject({ status: 400, code: "parameter_unknown", param: "mode" });
    expect(await errorOf(await admin(`${configsOf(m.id)}?livemode=false`, { body: { name: "nothing" } }))).toMatchObject({ status: 400, param: "default" });
  });
});

describe("a merchant's routing configuration, set by the operator", () => {
  it("creates, lists, reads and activates versions in the mode named, and the merchant routes by the active one", async () => {
    const m = await createMerchant();
    const v1 = await createVersion(m.id, SANDBOX_FIRST);
    const v2 = await createVersion(m.id, STRIPE_FIRST);
    expect(v1).toMatchObject({ object: "routing_config", livemode: false, version: 1, name: "sandbox first", active: false, activated_at: null });
    expect(v1.config).toMatchObject({ default: { priority: ["sandbox", "stripe"] }, rules: [], max_attempts: 2 });
    expect(v2).toMatchObject({ version: 2, active: false });

    // the merchant's list, with its paging
    const page = await ok<Page<VersionJson>>(await admin(`${configsOf(m.id)}?livemode=false`));
    expect(page).toEqual({ object: "list", data: [v2, v1], has_more: false });
    const first = await ok<Page<VersionJson>>(await admin(`${configsOf(m.id)}?livemode=false&limit=1`));
    expect([first.data.map((v) => v.id), first.has_more]).toEqual([[v2.id], true]);
    const next = await ok<Page<VersionJson>>(await admin(`${configsOf(m.id)}?livemode=false&limit=1&starting_after=${v2.id}`));
    expect([next.data.map((v) => v.id), next.has_more]).toEqual([[v1.id], false]);
    // the other mode has its own versions: none yet
    expect(await ok<Page<VersionJson>>(await admin(`${configsOf(m.id)}?livemode=true`))).toEqual({ object: "list", data: [], has_more: false });
    expect(await errorOf(await admin(`${configsOf(m.id)}/${v1.id}?livemode=true`))).toMatchObject({ status: 404 });

    expect(await ok<VersionJson>(await admin(`${configsOf(m.id)}/${v1.id}?livemode=false`))).toEqual(v1);
    const active = await ok<VersionJson>(await admin(`${configsOf(m.id)}/${v1.id}/activate?livemode=false`, { method: "POST" }));
    expect(active).toMatchObject({ id: v1.id, active: true, activated_at: expect.any(String) });

    // the merchant sees the operator's versions through its own API, and routes by the active one
    const own = await ok<Page<VersionJson>>(await api("/api/v1/routing/configs", { key: m.testKey }));
    expect(own.data.map((v) => [v.id, v.active])).toEqual([[v2.id, false], [v1.id, true]]);
    expect(own.data[1]).toEqual(active);
    const evaluation = await ok<{ config: { id: string; version: number } | null; candidates: string[] }>(
      await api("/api/v1/routing/evaluate", { key: m.testKey, body: { amount: 1000, currency: "USD" } }),
    );
    expect(evaluation).toMatchObject({ config: { id: v1.id, version: 1 }, candidates: ["sandbox", "stripe"] });
    expect((await ok<Page<VersionJson>>(await api("/api/v1/routing/configs", { key: m.liveKey }))).data).toEqual([]);

    // rolling forward: the other version takes over
    await ok(await admin(`${configsOf(m.id)}/${v2.id}/activate?livemode=false`, { method: "POST" }));
    expect((await ok<Page<VersionJson>>(await api("/api/v1/routing/configs", { key: m.testKey }))).data.map((v) => v.active)).toEqual([true, false]);
  });

  it("evaluates a payment for the merchant in the mode named, as its own key would", async () => {
    const m = await createMerchant();
    const version = await createVersion(m.id, STRIPE_FIRST);
    await ok(await admin(`${configsOf(m.id)}/${version.id}/activate?livemode=false`, { method: "POST" }));
    const body = { order_no: "ADM-EVAL-1", amount: 1000, currency: "USD" };
    const asOperator = await ok<Record<string, unknown>>(await admin(`/api/v1/admin/merchants/${m.id}/routing/evaluate?livemode=false`, { body }));
    const asMerchant = await ok<Record<string, unknown>>(await api("/api/v1/routing/evaluate", { key: m.testKey, body }));
    expect(asOperator).toEqual(asMerchant);
    expect(asOperator).toMatchObject({ object: "routing_evaluation", config: { id: version.id }, candidates: ["stripe", "sandbox"], chosen: "stripe" });
    // live mode has no configuration: the sandbox serves no live payments, so nothing can take it
    expect(await errorOf(await admin(`/api/v1/admin/merchants/${m.id}/routing/evaluate?livemode=true`, { body }))).toMatchObject({ status: 400, code: "channel_unavailable" });
    expect(await errorOf(await admin(`/api/v1/admin/merchants/mch_doesNotExist00000000/routing/evaluate?livemode=false`, { body }))).toMatchObject({ status: 404 });
  });

  it("stores a live-mode version apart from the test-mode ones", async () => {
    const m = await createMerchant();
    await createVersion(m.id, SANDBOX_FIRST);
    const live = await createVersion(m.id, STRIPE_FIRST, true);
    expect(live).toMatchObject({ livemode: true, version: 1 });
    expect((await ok<Page<VersionJson>>(await api("/api/v1/routing/configs", { key: m.liveKey }))).data.map((v) => v.id)).toEqual([live.id]);
  });

  it("answers 404 for another merchant's version, and changes nothing of it", async () => {
    const a = await createMerchant();
    const b = await createMerchant();
    const version = await createVersion(a.id, SANDBOX_FIRST);
    const missing = { status: 404, code: "resource_missing", message: `No such routing configuration: '${version.id}'.` };
    expect(await errorOf(await admin(`${configsOf(b.id)}/${version.id}?livemode=false`))).toMatchObject(missing);
    expect(await errorOf(await admin(`${configsOf(b.id)}/${version.id}/activate?livemode=false`, { method: "POST" }))).toMatchObject(missing);
    expect(await ok<VersionJson>(await admin(`${configsOf(a.id)}/${version.id}?livemode=false`))).toMatchObject({ active: false });
    expect((await ok<Page<VersionJson>>(await admin(`${configsOf(b.id)}?livemode=false`))).data).toEqual([]);
  });

  it("answers 404 naming an unknown merchant, on every route, and stores nothing for it", async () => {
    const unknown = "mch_doesNotExist00000000";
    const missing = { status: 404, code: "resource_missing", message: `No such merchant: '${unknown}'.` };
    expect(await errorOf(await admin(`${configsOf(unknown)}?livemode=false`))).toMatchObject(missing);
    expect(await errorOf(await admin(`${configsOf(unknown)}?livemode=false`, { body: SANDBOX_FIRST }))).toMatchObject(missing);
    expect(await errorOf(await admin(`${configsOf(unknown)}/rtc_x?livemode=false`))).toMatchObject(missing);
    expect(await errorOf(await admin(`${configsOf(unknown)}/rtc_x/activate?livemode=false`, { method: "POST" }))).toMatchObject(missing);
    expect(await errorOf(await admin(`/api/v1/admin/merchants/${unknown}/routing/health?livemode=false`))).toMatchObject(missing);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM payment_routes WHERE merchant_id = ?").bind(unknown).first("n")).toBe(0);
  });
});

describe("GET /api/v1/admin/merchants/{merchantId}/routing/health", () => {
  it("answers what the merchant's own health route answers, in the mode named", async () => {
    const m = await createMerchant();
    await paidThroughApi(m);
    const path = `/api/v1/admin/merchants/${m.id}/routing/health`;
    const seen = await eventually(
      async () => ok<HealthJson>(await admin(`${path}?livemode=false`)),
      (h) => h.data.some((c) => c.channel === "sandbox" && c.succeeded === 1),
    );
    expect(seen).toMatchObject({ object: "routing_health", livemode: false, window_seconds: 1800 });
    expect(seen.data).toEqual([
      {
        channel: "sandbox",
        attempts: 1,
        succeeded: 1,
        declined: 0,
        outages: 0,
        success_rate: 1,
        p50_ms: expect.any(Number),
        p95_ms: expect.any(Number),
        circuit: { state: "closed", consecutive_outages: 0, opened_at: null, half_opens_at: null },
      },
    ]);
    expect(await ok<HealthJson>(await api("/api/v1/routing/health", { key: m.testKey }))).toEqual(seen);
    expect(await ok<HealthJson>(await admin(`${path}?livemode=true`))).toEqual({ object: "routing_health", livemode: true, window_seconds: 1800, data: [] });
  });
});

describe("platform-wide channel health", () => {
  /** A random second in 2001, so that no one else's attempts (nor an earlier run's) share the window. */
  const now = Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 300 * 86_400) * 1000;
  const WINDOW = 30 * 60_000;
  let seq = 0;

  type Row = { merchant: string; channel: string; status: string; latency: number | null; ago: number; livemode?: boolean };
  const insert = (rows: Row[]) =>
    env.DB.batch(
      rows.map((r) =>
        env.DB.prepare(
          `INSERT INTO transactions (id, merchant_id, livemode, payment_no, attempt_no, type, channel, amount, currency, status, latency_ms, version, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, 1, 'payment_attempt', ?5, 1000, 'USD', ?6, ?7, 1, ?8, ?8)`,
        ).bind(`PYHEALTH${now}${++seq}:1`, r.merchant, r.livemode ? 1 : 0, `PYHEALTH${now}${seq}`, r.channel, r.status, r.latency, now - r.ago),
      ),
    );

  it("counts per channel over the window: attempts, outcomes, exact latency quantiles and merchants", async () => {
    const [a, b, c] = [await createMerchant(), await createMerchant(), await createMerchant()];
    await insert([
      { merchant: a.id, channel: "stripe", status: "succeeded", latency: 100, ago: 60_000 },
      { merchant: a.id, channel: "stripe", status: "succeeded", latency: 300, ago: 120_000 },
      { merchant: b.id, channel: "stripe", status: "failed", latency: 200, ago: 600_000 },
      // no outcome yet, and no latency: an attempt, but in neither the rate nor the quantiles
      { merchant: b.id, channel: "stripe", status: "pending", latency: null, ago: 300_000 },
      { merchant: c.id, channel: "stripe", status: "failed", latency: 500, ago: 29 * 60_000 },
      { merchant: a.id, channel: "sandbox", status: "succeeded", latency: 40, ago: 1000 },
      { merchant: a.id, channel: "sandbox", status: "succeeded", latency: 10, ago: 0 },
      { merchant: a.id, channel: "sandbox", status: "failed", latency: 20, ago: WINDOW },
      { merchant: a.id, channel: "sandbox", status: "cancelled", latency: 30, ago: 120_000 },
      // older than the window: its 1 ms would be everyone's p50
      { merchant: c.id, channel: "stripe", status: "succeeded", latency: 1, ago: WINDOW + 1 },
      // the other mode
      { merchant: b.id, channel: "sandbox", status: "failed", latency: 5, ago: 1000, livemode: true },
    ]);

    expect(await platformChannelHealth(env.DB, false, now - WINDOW, now)).toEqual([
      // latencies 10, 20, 30, 40: p50 is the 2nd, p95 the 4th
      { channel: "sandbox", attempts: 4, succeeded: 2, failed: 1, successRate: 0.6667, p50Ms: 20, p95Ms: 40, merchants: 1 },
      // latencies 100, 200, 300, 500
      { channel: "stripe", attempts: 5, succeeded: 2, failed: 2, successRate: 0.5, p50Ms: 200, p95Ms: 500, merchants: 3 },
    ]);
    expect(await platformChannelHealth(env.DB, true, now - WINDOW, now)).toEqual([
      { channel: "sandbox", attempts: 1, succeeded: 0, failed: 1, successRate: 0, p50Ms: 5, p95Ms: 5, merchants: 1 },
    ]);
  });

  it("ranks the quantiles over the latencies alone: nearest rank, null when no attempt has one", async () => {
    const m = await createMerchant();
    const at = now - 3 * WINDOW;
    const latencies = Array.from({ length: 20 }, (_, i) => (i + 1) * 10); // 10 … 200
    await insert([
      ...latencies.map((latency, i) => ({ merchant: m.id, channel: "paypal", status: "succeeded", latency, ago: 3 * WINDOW + i })),
      { merchant: m.id, channel: "paypal", status: "pending", latency: null, ago: 3 * WINDOW },
      { merchant: m.id, channel: "btcpay", status: "pending", latency: null, ago: 3 * WINDOW },
    ]);
    expect(await platformChannelHealth(env.DB, false, at - WINDOW, at)).toEqual([
      { channel: "btcpay", attempts: 1, succeeded: 0, failed: 0, successRate: null, p50Ms: null, p95Ms: null, merchants: 1 },
      // 20 latencies: p50 is the 10th (100 ms), p95 the 19th (190 ms)
      { channel: "paypal", attempts: 21, succeeded: 20, failed: 0, successRate: 1, p50Ms: 100, p95Ms: 190, merchants: 1 },
    ]);
  });

  it("GET /api/v1/admin/routing/health counts a payment made through the API, in its mode", async () => {
    const sandboxOf = async (livemode: boolean) => {
      const health = await ok<PlatformHealthJson>(await admin(`/api/v1/admin/routing/health?livemode=${livemode}`));
      expect(health).toMatchObject({ object: "platform_routing_health", livemode, window_seconds: 1800 });
      return health.data.find((h) => h.channel === "sandbox");
    };
    const before = await sandboxOf(false);
    const liveBefore = await sandboxOf(true);
    await paidThroughApi(await createMerchant());
    const after = await sandboxOf(false);
    // other test files may pay at the same time: at least this payment was added
    expect(after).toEqual({
      channel: "sandbox",
      attempts: expect.any(Number),
      succeeded: expect.any(Number),
      failed: expect.any(Number),
      success_rate: expect.any(Number),
      p50_ms: expect.any(Number),
      p95_ms: expect.any(Number),
      merchants: expect.any(Number),
    });
    expect(after!.attempts).toBeGreaterThanOrEqual((before?.attempts ?? 0) + 1);
    expect(after!.succeeded).toBeGreaterThanOrEqual((before?.succeeded ?? 0) + 1);
    expect(after!.merchants).toBeGreaterThanOrEqual((before?.merchants ?? 0) + 1);
    expect(await sandboxOf(true)).toEqual(liveBefore);
  });
});
