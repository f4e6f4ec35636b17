// Routing health end to end: attempt outcomes reach the merchant's health object through the
// payments' outboxes (not on the request's path), GET /routing/health shows them, success rates
// reorder the candidates, and a channel's circuit opens after consecutive outages, half-opens after
// its cool-down for probe payments only, and closes when they go through.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { paymentNoFor } from "../../shared/payments/payment-no";
import { CIRCUIT_DEFAULTS, type Circuit } from "../../shared/routing/circuit";
import { drawsFor } from "../../shared/routing/dynamic";
import { evictHealth } from "../../shared/routing/health-cache";
import { healthStub } from "../../shared/routing/health";
import { drainSandboxAfterAll } from "./sandbox-state";
import { api, createMerchant, createPayment, eventually, paymentReaches, uniqueOrderNo, type PaymentJson, type TestMerchant } from "./helpers";
import { activateConfig } from "./routing-api";

interface ChannelHealth {
  channel: string;
  attempts: number;
  succeeded: number;
  declined: number;
  outages: number;
  success_rate: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  circuit: { state: string; consecutive_outages: number; opened_at: string | null; half_opens_at: string | null };
}
type Routed = PaymentJson & {
  attempts: Array<{ channel: string; status: string }>;
  routing: {
    candidates: string[];
    skipped: Array<{ channel: string; reason: string }>;
    dynamic: { scores: Array<{ channel: string; score: number; sample: number; basis: string }>; explored: string | null } | null;
  };
};


const setSandbox = async (key: string, mode: string) =>
  expect((await api("/api/v1/sandbox/conditions", { key, body: { mode } })).status).toBe(200);

const health = async (key: string) => {
  const res = await api("/api/v1/routing/health", { key });
  expect(res.status).toBe(200);
  return res.json<{ object: string; livemode: boolean; window_seconds: number; data: ChannelHealth[] }>();
};
const channelHealth = async (key: string, channel: string) => (await health(key)).data.find((c) => c.channel === channel);

const pay = async (m: TestMerchant, orderNo = uniqueOrderNo("RH")) => {
  const res = await createPayment(m.testKey, { order_no: orderNo, amount: 1500, currency: "USD" });
  expect(res.status).toBe(201);
  return res.json<Routed>();
};

/** An order number whose payment is (or is not) one of a half-open circuit's probes. */
async function orderNoWhere(m: TestMerchant, probe: boolean) {
  for (;;) {
    const orderNo = uniqueOrderNo("PR");
    const [, , draw] = await drawsFor(await paymentNoFor(m.id, false, orderNo));
    if (draw * 100 < CIRCUIT_DEFAULTS.probePercent === probe) return orderNo;
  }
}

const owner = (m: TestMerchant) => ({ merchantId: m.id, livemode: false });

drainSandboxAfterAll();

describe("GET /api/v1/routing/health", () => {
  it("counts each attempt once its payment's outbox is drained: answers, successes, latency", async () => {
    const m = await createMerchant();
    expect(await health(m.testKey)).toEqual({ object: "routing_health", livemode: false, window_seconds: 1800, data: [] });
    const payments = [await pay(m), await pay(m), await pay(m)];
    for (const p of payments) await paymentReaches(m.testKey, p.payment_no, "succeeded");
    const sandbox = await eventually(() => channelHealth(m.testKey, "sandbox"), (h) => h?.succeeded === 3);
    expect(sandbox).toMatchObject({ attempts: 3, succeeded: 3, declined: 0, outages: 0, success_rate: 1, circuit: { state: "closed", consecutive_outages: 0 } });
    expect(sandbox!.p50_ms).toEqual(expect.any(Number));
    expect(sandbox!.p95_ms).toBeGreaterThanOrEqual(sandbox!.p50_ms!);
    // the other mode's figures are its own
    expect((await api("/api/v1/routing/health", { key: m.liveKey }).then((r) => r.json<{ data: unknown[] }>())).data).toEqual([]);
  });

  it("counts an outcome once when the outbox delivers it again to the object that heard it", async () => {
    const m = await createMerchant();
    const outcome = { id: "PYX:1:0", channel: "sandbox" as const, paymentMethod: null, currency: "USD", kind: "outage" as const, latencyMs: 30, at: Date.now() };
    const stub = healthStub(env, m.id, false);
    await stub.record([outcome]);
    await stub.record([outcome]);
    expect(await channelHealth(m.testKey, "sandbox")).toMatchObject({ attempts: 1, outages: 1, circuit: { consecutive_outages: 1 } });
  });
});

describe("dynamic ordering", () => {
  it("puts the channel with the better success rate first, and shows the scores it used", async () => {
    const m = await createMerchant();
    await activateConfig(m.testKey, { name: "by-rate", default: { priority: ["sandbox", "stripe"] }, dynamic: { success_rate: true, exploration_percent: 0 } });
    const at = Date.now();
    // 30 settled sandbox attempts in USD, 3 succeeded; stripe has too few to be believed
    await healthStub(env, m.id, false).record(
      Array.from({ length: 30 }, (_, i) => ({ id: `seed:${i}`, channel: "sandbox" as const, paymentMethod: null, currency: "USD", kind: i < 3 ? ("succeeded" as const) : ("declined" as const), latencyMs: null, at })),
    );
    evictHealth(owner(m));
    const payment = await pay(m);
    expect(payment.routing.candidates).toEqual(["stripe", "sandbox"]);
    expect(payment.routing.dynamic).toEqual({
      scores: [
        { channel: "sandbox", score: 0.1, sample: 30, basis: "method_currency" },
        { channel: "stripe", score: 0.5, sample: 0, basis: "default" },
      ],
      explored: null,
    });
    expect(payment.channel).toBe("stripe");
  });
});

describe("circuit breaking", () => {
  it("opens after consecutive outages, sets the channel aside, half-opens for probes after the cool-down, then closes", async () => {
    const m = await createMerchant();
    await activateConfig(m.testKey, { name: "breaker", default: { priority: ["sandbox", "stripe"] }, dynamic: { elimination: true }, max_attempts: 2 });
    await setSandbox(m.testKey, "down");
    for (let i = 0; i < CIRCUIT_DEFAULTS.consecutiveOutages; i++) {
      const p = await pay(m);
      expect(p.attempts.map((a) => [a.channel, a.status])).toEqual([["sandbox", "failed"], ["stripe", "pending"]]);
    }
    const open = await eventually(() => channelHealth(m.testKey, "sandbox"), (h) => h?.circuit.state === "open");
    expect(open).toMatchObject({ outages: 5, circuit: { consecutive_outages: 5, opened_at: expect.any(String), half_opens_at: expect.any(String) } });
    expect(Date.parse(open!.circuit.half_opens_at!) - Date.parse(open!.circuit.opened_at!)).toBe(CIRCUIT_DEFAULTS.cooldownMs);

    // while open: straight to stripe, with why
    evictHealth(owner(m));
    const skipped = await pay(m);
    expect(skipped.attempts.map((a) => a.channel)).toEqual(["stripe"]);
    expect(skipped.routing.skipped).toEqual([{ channel: "sandbox", reason: `circuit open until ${open!.circuit.half_opens_at}` }]);

    // the cool-down passes (the clock of the circuit moved back by it), and the sandbox is up again
    await setSandbox(m.testKey, "up");
    await runInDurableObject(healthStub(env, m.id, false), (_, state) => {
      const row = state.storage.sql.exec<{ data: string }>("SELECT data FROM circuits WHERE channel = 'sandbox'").one();
      const circuit = JSON.parse(row.data) as Circuit;
      state.storage.sql.exec("UPDATE circuits SET data = ? WHERE channel = 'sandbox'", JSON.stringify({ ...circuit, openedAt: circuit.openedAt! - CIRCUIT_DEFAULTS.cooldownMs }));
    });
    evictHealth(owner(m));
    expect((await channelHealth(m.testKey, "sandbox"))!.circuit.state).toBe("half_open");
    const notProbe = await pay(m, await orderNoWhere(m, false));
    expect(notProbe.attempts.map((a) => a.channel)).toEqual(["stripe"]);
    expect(notProbe.routing.skipped).toEqual([{ channel: "sandbox", reason: "circuit half-open: not a probe" }]);
    for (let i = 0; i < CIRCUIT_DEFAULTS.probesToClose; i++) {
      evictHealth(owner(m));
      const probe = await pay(m, await orderNoWhere(m, true));
      expect(probe.attempts.map((a) => [a.channel, a.status])).toEqual([["sandbox", "pending"]]);
      await eventually(() => channelHealth(m.testKey, "sandbox"), (h) => h!.attempts === CIRCUIT_DEFAULTS.consecutiveOutages + i + 1);
    }
    expect((await channelHealth(m.testKey, "sandbox"))!.circuit).toEqual({ state: "closed", consecutive_outages: 0, opened_at: null, half_opens_at: null });
  });
});
