import { createExecutionContext, createMessageBatch, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChannelError } from "../../shared/channels/adapter";
import { outcomeOf } from "../../shared/channels/measured-adapter";
import { signPayload } from "../../shared/channels/signature";
import type { SandboxEvent } from "../../shared/channels/sandbox/wire";
import { healthStub } from "../../shared/routing/health";
import { app } from "../../workers/app";
import worker from "../../workers/index";
import { TEST_ADMIN_TOKEN, TEST_SANDBOX_SECRET } from "../constants";
import { sandboxIntentEvent } from "./channel-events";
import { addMerchantUser, addOperator, asBrowser, signIn } from "./dashboard-session";
import { api, createMerchant, createPayment, errorOf, eventually, paymentReaches, type PaymentJson } from "./helpers";
import { newHook } from "./receiver-hooks";
import { drainSandboxAfterAll, sandboxBacklog } from "./sandbox-state";

// One D1 per file: every figure is read before and after its flow, and the flow's own share
// checked. Tests in a file run one after another.
drainSandboxAfterAll();

/**
 * The scrape, parsed twice: as it is (families, types, counters and gauges), and with the
 * histograms' # TYPE lines left out, so their _bucket, _sum and _count series read as plain
 * samples with every label: the parser folds a histogram's label sets into one sample.
 */
async function scrape() {
  const res = await api("/metrics", { key: TEST_ADMIN_TOKEN });
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  const text = await res.text();
  const untypedHistograms = text
    .split("\n")
    .filter((line) => !(line.startsWith("# TYPE ") && line.endsWith(" histogram")))
    .join("\n");
  return { families: parsePrometheusTextFormat(text), series: parsePrometheusTextFormat(untypedHistograms) };
}

type Scrape = Awaited<ReturnType<typeof scrape>>;
type Labels = Record<string, string>;

const sameLabels = (a: Labels | undefined, b: Labels) => Object.keys(a ?? {}).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a?.[k] === v);

/** The samples of every family named `name` (without its histogram type, one family per run of lines). */
const samplesOf = (families: Scrape["families"], name: string) => families.filter((f) => f.name === name).flatMap((f) => f.metrics);

/** A counter's or gauge's value (0 before its first sample). */
const valueOf = (s: Scrape, name: string, labels: Labels) => Number(samplesOf(s.families, name).find((m) => sameLabels(m.labels, labels))?.value ?? 0);

/** A histogram's observation count (0 before the first). */
const countOf = (s: Scrape, name: string, labels: Labels) => Number(samplesOf(s.series, `${name}_count`).find((m) => sameLabels(m.labels, labels))?.value ?? 0);

/** A histogram's cumulative buckets for one label set, by upper bound, in order. */
const bucketsOf = (s: Scrape, name: string, labels: Labels) =>
  samplesOf(s.series, `${name}_bucket`)
    .filter((m) => sameLabels(Object.fromEntries(Object.entries(m.labels ?? {}).filter(([k]) => k !== "le")), labels))
    .map((m) => [m.labels!.le === "+Inf" ? Infinity : Number(m.labels!.le), Number(m.value)] as const);

async function postSandbox(event: SandboxEvent, secret = TEST_SANDBOX_SECRET) {
  const body = JSON.stringify(event);
  return api("/api/v1/webhooks/sandbox", { body, headers: { "Sandbox-Signature": await signPayload(secret, body, Math.floor(Date.now() / 1000)) } });
}

const d1Status = (paymentNo: string) => env.DB.prepare("SELECT status FROM payments WHERE payment_no = ?").bind(paymentNo).first<string>("status");

const transitions = (status: string) => ({ channel: "sandbox", status, mode: "test" });

describe("GET /metrics: who may scrape", () => {
  it("refuses no token and a merchant's key (401), a merchant user's session (403); takes the admin token and an operator's session", async () => {
    expect(await errorOf(await api("/metrics"))).toMatchObject({ status: 401 });
    const m = await createMerchant();
    expect(await errorOf(await api("/metrics", { key: m.testKey }))).toMatchObject({ status: 401, code: "admin_token_invalid" });
    const user = await addMerchantUser(m.id, "owner");
    expect((await asBrowser(await signIn(user.email), "/metrics")).status).toBe(403);
    expect((await api("/metrics", { key: TEST_ADMIN_TOKEN })).status).toBe(200);
    const operator = await addOperator("support");
    const res = await asBrowser(await signIn(operator.email), "/metrics");
    expect(res.status).toBe(200);
    // every metric of the catalogue is declared, those with no samples yet too
    const names = parsePrometheusTextFormat(await res.text()).map((f) => f.name);
    expect(names).toContain("edgepay_email_deliveries_total");
    expect(names).toContain("edgepay_payment_transitions_total");
  });
});

describe("GET /metrics: figures", () => {
  it("counts a transition once when its drain is delivered twice (D1 written, the outbox not cleared)", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    await eventually(() => d1Status(payment.payment_no), (s) => s === "requires_action");
    const stub = env.PAYMENT.get(env.PAYMENT.idFromName(payment.payment_no));
    const outboxSize = () => runInDurableObject(stub, (_, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n);
    // the drain's D1 batch goes through, then clearing the outbox fails: the rows are delivered again
    await runInDurableObject(stub, (_, state) =>
      state.storage.sql.exec("CREATE TRIGGER keep_outbox BEFORE DELETE ON outbox BEGIN SELECT RAISE(ABORT, 'injected'); END"),
    );
    const before = valueOf(await scrape(), "edgepay_payment_transitions_total", transitions("processing"));
    expect((await postSandbox(sandboxIntentEvent(payment, "processing"))).status).toBe(200);
    await eventually(() => d1Status(payment.payment_no), (s) => s === "processing");
    expect(await outboxSize()).toBeGreaterThan(0);
    expect(valueOf(await scrape(), "edgepay_payment_transitions_total", transitions("processing"))).toBe(before + 1);

    await runInDurableObject(stub, (_, state) => state.storage.sql.exec("DROP TRIGGER keep_outbox"));
    await runDurableObjectAlarm(stub);
    await eventually(outboxSize, (n) => n === 0);
    expect(valueOf(await scrape(), "edgepay_payment_transitions_total", transitions("processing"))).toBe(before + 1);
  });

  it("counts N payments succeeded and one failed, their amount, and the channel calls they made", async () => {
    const m = await createMerchant();
    const before = await scrape();
    const made = await Promise.all([1, 2, 3].map(() => createPayment(m.testKey, { amount: 1234 }).then((r) => r.json<PaymentJson>())));
    const declined = await (await createPayment(m.testKey, { amount: 1234, payment_method: "pm_sandbox_declined" })).json<PaymentJson>();
    await Promise.all(made.map((p) => paymentReaches(m.testKey, p.payment_no, "succeeded")));
    await paymentReaches(m.testKey, declined.payment_no, "failed");
    const moved = (after: Scrape, status: string) =>
      valueOf(after, "edgepay_payment_transitions_total", transitions(status)) - valueOf(before, "edgepay_payment_transitions_total", transitions(status));
    const after = await eventually(scrape, (f) => moved(f, "succeeded") >= 3 && moved(f, "failed") >= 1);
    expect(moved(after, "succeeded")).toBe(3);
    expect(moved(after, "failed")).toBe(1);
    expect(moved(after, "pending")).toBe(4);
    const amount = { currency: "USD", mode: "test" };
    expect(valueOf(after, "edgepay_payment_succeeded_amount_total", amount) - valueOf(before, "edgepay_payment_succeeded_amount_total", amount)).toBe(3 * 1234);

    // the four creates, each answered (the sandbox declines later, by webhook); buckets
    // cumulative, +Inf = _count
    const labels = { channel: "sandbox", operation: "create_payment", outcome: "ok" };
    const calls = (f: Scrape) => countOf(f, "edgepay_channel_call_duration_seconds", labels);
    const measured = await eventually(scrape, (f) => calls(f) - calls(before) >= 4);
    expect(calls(measured) - calls(before)).toBe(4);
    expect(measured.families.find((f) => f.name === "edgepay_channel_call_duration_seconds")?.type).toBe("HISTOGRAM");
    const buckets = bucketsOf(measured, "edgepay_channel_call_duration_seconds", labels);
    expect(buckets.map(([le]) => le)).toEqual([0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, Infinity]);
    expect(buckets.map(([, n]) => n)).toEqual(buckets.map(([, n]) => n).sort((a, b) => a - b));
    expect(buckets.at(-1)![1]).toBe(calls(measured));
    // and the drains observed how far D1 was behind
    expect(countOf(measured, "edgepay_projection_lag_seconds", { record: "payment" })).toBeGreaterThan(countOf(before, "edgepay_projection_lag_seconds", { record: "payment" }));
  });

  it("counts a webhook sent twice as accepted then duplicate, a bad signature and an unknown channel as refused", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const ingress = (f: Scrape, channel: string, result: string) => valueOf(f, "edgepay_webhook_ingress_total", { channel, result });
    // the sandbox posts its own webhooks for payments it settles: none may arrive in between
    await eventually(sandboxBacklog, (n) => n === 0);
    const before = await scrape();
    const event = sandboxIntentEvent(payment, "processing");
    expect(await (await postSandbox(event)).json()).toMatchObject({ duplicate: false });
    expect(await (await postSandbox(event)).json()).toMatchObject({ duplicate: true });
    expect((await postSandbox(sandboxIntentEvent(payment, "processing"), "whsec_not_the_secret")).status).toBe(400);
    expect(await errorOf(await api("/api/v1/webhooks/nope", { body: "{}" }))).toMatchObject({ status: 400, param: "channel" });
    const after = await scrape();
    expect(ingress(after, "sandbox", "accepted") - ingress(before, "sandbox", "accepted")).toBe(1);
    expect(ingress(after, "sandbox", "duplicate") - ingress(before, "sandbox", "duplicate")).toBe(1);
    expect(ingress(after, "sandbox", "refused") - ingress(before, "sandbox", "refused")).toBe(1);
    expect(ingress(after, "unknown", "refused") - ingress(before, "unknown", "refused")).toBe(1);
  });

  it("counts a notification delivered, once per attempt recorded", async () => {
    const m = await createMerchant();
    const hook = await newHook();
    const delivered = (f: Scrape) => valueOf(f, "edgepay_notification_deliveries_total", { outcome: "delivered" });
    const before = delivered(await scrape());
    const payment = await (await createPayment(m.testKey, { notify_url: hook.url, payment_method: "pm_sandbox_declined" })).json<PaymentJson>();
    const attempts = () =>
      env.DB.prepare(
        "SELECT count(*) AS n FROM event_deliveries d JOIN events e ON e.id = d.event_id WHERE e.payment_no = ? AND d.status_code BETWEEN 200 AND 299",
      )
        .bind(payment.payment_no)
        .first<number>("n");
    const n = await eventually(attempts, (count) => (count ?? 0) >= 1);
    const after = await eventually(scrape, (f) => delivered(f) - before >= n!);
    expect(delivered(after) - before).toBe(await attempts());
  });

  it("shows a parked dead letter in its queue's gauge, and the callbacks waiting", async () => {
    const parked = (f: Scrape) => valueOf(f, "edgepay_dead_letters", { queue: "channel-calls" });
    const before = await scrape();
    const message = { id: `msg-metrics-${Date.now()}`, timestamp: new Date(), attempts: 11, body: { kind: "test" } };
    await (worker as Required<ExportedHandler<Env>>).queue(createMessageBatch("channel-calls-dlq", [message]), env, createExecutionContext());
    const after = await scrape();
    expect(parked(after) - parked(before)).toBe(1);
    const waiting = await env.DB.prepare("SELECT count(*) AS n FROM payment_callbacks WHERE status = 'received'").first<number>("n");
    expect(valueOf(after, "edgepay_channel_callbacks_waiting", {})).toBe(waiting);
  });

  it("shows a merchant's circuit opened by its health object, written to routing_circuits on the change", async () => {
    const m = await createMerchant();
    const open = (f: Scrape) => valueOf(f, "edgepay_routing_circuits", { channel: "stripe", state: "open" });
    const before = await scrape();
    const now = Date.now();
    const outages = [0, 1, 2, 3, 4].map((i) => ({
      id: `metrics-outage-${now}-${i}`, channel: "stripe" as const, paymentMethod: null, currency: "USD", kind: "outage" as const, latencyMs: 100, at: now + i,
    }));
    await healthStub(env, m.id, false).record(outages);
    const row = await env.DB.prepare("SELECT state, changed_at FROM routing_circuits WHERE merchant_id = ? AND livemode = 0 AND channel = 'stripe'").bind(m.id).first();
    expect(row).toEqual({ state: "open", changed_at: now + 4 });
    expect(open(await scrape()) - open(before)).toBe(1);
  });
});

describe("channel call outcomes", () => {
  it("ok; declined for a refusal or a failed payment; unavailable for a 502 (timeouts included); error else", () => {
    const payment = { id: "pi_1", status: "failed", clientSecret: null, nextAction: null, failure: { code: "card_declined", message: "Declined." } };
    expect(outcomeOf({ ok: true, value: { ...payment, status: "succeeded", failure: null } })).toBe("ok");
    expect(outcomeOf({ ok: true, value: { accountId: "acct_1" } })).toBe("ok");
    expect(outcomeOf({ ok: true, value: payment })).toBe("declined");
    expect(outcomeOf({ ok: false, error: new ChannelError("card_declined", "Declined.", 402) })).toBe("declined");
    expect(outcomeOf({ ok: false, error: new ChannelError("stripe_unavailable", "Timed out.", 502) })).toBe("unavailable");
    expect(outcomeOf({ ok: false, error: new TypeError("x is undefined") })).toBe("error");
  });
});

describe("Analytics Engine", () => {
  afterEach(() => vi.restoreAllMocks());

  it("gets one point per channel call and per payment transition", async () => {
    // the binding is the boundary: the Worker's and the objects' ANALYTICS share its prototype
    const written = vi.spyOn(Object.getPrototypeOf(env.ANALYTICS) as AnalyticsEngineDataset, "writeDataPoint");
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const points = () => written.mock.calls.map(([point]) => point!);
    expect(points()).toContainEqual({ blobs: ["channel_call", "sandbox", "create_payment", "ok"], doubles: [expect.any(Number)], indexes: [m.id] });
    const moves = points().filter((p) => p.blobs?.[0] === "payment_transition" && p.indexes?.[0] === m.id);
    expect(moves.map((p) => p.blobs)).toEqual([
      ["payment_transition", "sandbox", "pending", "", "test", "USD"],
      ["payment_transition", "sandbox", "requires_action", "pending", "test", "USD"],
    ]);
    expect(moves.every((p) => p.doubles?.[0] === payment.amount)).toBe(true);
  });
});

describe("GET /readyz", () => {
  it("answers 200 with each check when D1 answers, its migrations are current and the queues are bound", async () => {
    const res = await api("/readyz");
    expect(res.status).toBe(200);
    const body = await res.json<{ status: string; checks: Array<{ name: string; ok: boolean }> }>();
    expect(body.status).toBe("ready");
    expect(body.checks.map((c) => [c.name, c.ok])).toEqual([["d1", true], ["migrations", true], ["queues", true]]);
  });

  it("answers 503 naming the failing check: a queue not bound", async () => {
    const res = await app.fetch(new Request("http://platform.test/readyz"), { ...env, NOTIFICATIONS: undefined } as unknown as Env, createExecutionContext());
    expect(res.status).toBe(503);
    const body = await res.json<{ status: string; checks: Array<{ name: string; ok: boolean; detail: string }> }>();
    expect(body.status).toBe("not_ready");
    expect(body.checks.filter((c) => !c.ok)).toEqual([{ name: "queues", ok: false, detail: "Not bound: NOTIFICATIONS." }]);
  });

  it("answers 503 when D1's newest migration is not the one the code needs", async () => {
    await env.DB.prepare("INSERT INTO d1_migrations (name) VALUES ('9999_from_the_future.sql')").run();
    try {
      const res = await api("/readyz");
      expect(res.status).toBe(503);
      const body = await res.json<{ checks: Array<{ name: string; ok: boolean; detail: string }> }>();
      expect(body.checks.find((c) => !c.ok)).toMatchObject({ name: "migrations", detail: expect.stringContaining("9999_from_the_future.sql") });
    } finally {
      await env.DB.prepare("DELETE FROM d1_migrations WHERE name = '9999_from_the_future.sql'").run();
    }
  });
});
