import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentDO } from "../../durable-objects/payment";
import { signPayload } from "../../shared/channels/signature";
import type { SandboxEvent, SandboxIntent } from "../../shared/channels/sandbox/wire";
import { TEST_SANDBOX_SECRET } from "../constants";
import { sandboxIntentEvent } from "./channel-events";
import { api, createMerchant, createPayment, errorOf, eventually, getPayment, type PaymentJson } from "./helpers";

/** A payment parked in requires_action (nothing scheduled), and a builder of events for it. */
async function parkedPayment() {
  const m = await createMerchant();
  const payment = await (
    await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })
  ).json<PaymentJson>();
  const event = (status: SandboxIntent["status"]) => sandboxIntentEvent(payment, status);
  return { m, payment, event };
}

async function post(event: SandboxEvent, { secret = TEST_SANDBOX_SECRET, at = Date.now(), tamper = false } = {}) {
  const body = JSON.stringify(event);
  const signature = await signPayload(secret, body, Math.floor(at / 1000));
  return api("/api/v1/webhooks/sandbox", {
    body: tamper ? body.replace('"amount":10000', '"amount":1') : body,
    headers: { "Sandbox-Signature": signature },
  });
}

const callbacks = async (eventId: string) =>
  (await env.DB.prepare("SELECT * FROM payment_callbacks WHERE event_id = ?").bind(eventId).all()).results;

const eventsSeen = (paymentNo: string) =>
  runInDurableObject(env.PAYMENT.get(env.PAYMENT.idFromName(paymentNo)), (_: PaymentDO, state) =>
    state.storage.sql.exec<{ event_id: string; outcome: string; detail: string | null }>("SELECT * FROM channel_events").toArray(),
  );

describe("webhook ingress", () => {
  it("applies a valid event before it answers, and stores it with what came of it as its audit record", async () => {
    const { m, payment, event } = await parkedPayment();
    const e = event("processing");
    const res = await post(e);
    expect(await res.json()).toEqual({ received: true, event_id: e.id, duplicate: false });
    // no queue hop: by the time the channel has its answer, the payment has moved
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("processing");
    const [row] = await callbacks(e.id);
    expect(row).toMatchObject({ status: "applied", request_id: res.headers.get("X-Request-Id") });
    const logged = await env.DB.prepare("SELECT count(*) AS n FROM webhook_logs WHERE event_id = ?").bind(e.id).first<{ n: number }>();
    expect(logged!.n).toBe(0);
  });

  it("stores an event its payment cannot take at once as received and applies it through the queue", async () => {
    const { m, payment, event } = await parkedPayment();
    const stub = env.PAYMENT.get(env.PAYMENT.idFromName(payment.payment_no));
    await runInDurableObject(stub, (_: PaymentDO, state) =>
      state.storage.sql.exec("CREATE TRIGGER refuse BEFORE INSERT ON channel_events BEGIN SELECT RAISE(ABORT, 'injected'); END"),
    );
    const e = event("processing");
    expect(await (await post(e)).json()).toEqual({ received: true, event_id: e.id, duplicate: false });
    expect(await callbacks(e.id)).toMatchObject([{ status: "received" }]);
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("requires_action");
    await runInDurableObject(stub, (_: PaymentDO, state) => state.storage.sql.exec("DROP TRIGGER refuse"));
    // the channel-events consumer retries it (2 s) and records what came of it
    await eventually(() => callbacks(e.id), (rows) => rows[0]?.status === "applied", 15_000);
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("processing");
  });

  it.each([
    ["a tampered body", { tamper: true }, "webhook_signature_invalid"],
    ["the wrong secret", { secret: "whsec_wrong" }, "webhook_signature_invalid"],
    ["a stale timestamp", { at: Date.now() - 400_000 }, "webhook_timestamp_stale"],
    ["a future timestamp", { at: Date.now() + 400_000 }, "webhook_timestamp_stale"],
  ])("refuses %s with 400 and changes nothing", async (_label, options, code) => {
    const { m, payment, event } = await parkedPayment();
    const e = event("processing");
    expect(await errorOf(await post(e, options))).toMatchObject({ status: 400, code });
    expect(await callbacks(e.id)).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("requires_action");
    const audit = await env.DB.prepare("SELECT * FROM webhook_logs WHERE verified = 0 AND error = ?").bind(code).all();
    expect(audit.results.length).toBeGreaterThan(0);
  });

  it("refuses a missing signature header", async () => {
    const res = await api("/api/v1/webhooks/sandbox", { body: { id: "evt_x" } });
    expect(await errorOf(res)).toMatchObject({ status: 400, code: "webhook_signature_missing" });
  });

  it("answers an unknown channel with 400", async () => {
    const res = await api("/api/v1/webhooks/bitcoin-bank", { body: {} });
    expect(res.status).toBe(400);
  });

  it("stores a replayed event once and applies it once", async () => {
    const { m, payment, event } = await parkedPayment();
    const e = event("processing");
    const responses = await Promise.all([post(e), post(e), post(e)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    await eventually(() => getPayment(m.testKey, payment.payment_no), (p) => p.status === "processing");
    const again = await post(e);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(await callbacks(e.id)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const seen = (await eventsSeen(payment.payment_no)).filter((row) => row.event_id === e.id);
    expect(seen).toEqual([expect.objectContaining({ outcome: "applied" })]);
  });

  it("settles events that arrive out of order: a late earlier step changes nothing", async () => {
    const { m, payment, event } = await parkedPayment();
    const succeeded = event("succeeded");
    const processing = event("processing");
    await post(succeeded);
    const done = await eventually(() => getPayment(m.testKey, payment.payment_no), (p) => p.status === "succeeded");
    await post(processing);
    await eventually(() => callbacks(processing.id), (rows) => rows[0]?.status === "ignored");
    const after = await getPayment(m.testKey, payment.payment_no);
    expect(after.status).toBe("succeeded");
    expect(after.updated_at).toBe(done.updated_at);
    const seen = await eventsSeen(payment.payment_no);
    expect(seen.find((row) => row.event_id === processing.id)).toMatchObject({
      outcome: "ignored",
      detail: "transition succeeded → processing is not allowed",
    });
  });

  it("ignores an event naming another channel payment than the payment's own", async () => {
    const { m, payment, event } = await parkedPayment();
    const e = event("succeeded");
    (e.data.object as SandboxIntent).id = "sbpi_someoneelse";
    await post(e);
    await eventually(() => callbacks(e.id), (rows) => rows[0]?.status === "ignored");
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("requires_action");
  });
});
