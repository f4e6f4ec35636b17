// Reconciliation: nothing waits on one delivery. A stored callback the queue never delivered is
// applied by the cron; a payment or refund the channel settled without a webhook is synced with
// the channel; a cancel the channel refuses takes the channel's status; a notification whose queue
// message was lost is sent again.
import {
  createExecutionContext,
  createScheduledController,
  env,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentDO } from "../../durable-objects/payment";
import { SYNC_DELAYS_MS } from "../../shared/payments/sync";
import { paymentNoFor } from "../../shared/payments/payment-no";
import { reconcileAfterMs, strandedWork } from "../../shared/recovery";
import { strandedCallbacks } from "../../shared/webhooks/callbacks";
import { drizzle } from "drizzle-orm/d1";
import worker from "../../workers/index";
import { TEST_RECEIVER_PORT } from "../constants";
import { api, createMerchant, createPayment, eventually, getPayment, paymentReaches, type PaymentJson } from "./helpers";
import { channelIdOf, sandboxIntentEvent } from "./channel-events";
import { forwardWebhooks, postStripeEvent, stripe } from "./stripe-emulator";
import { syncNow } from "./sync-now";

const handler = worker as Required<ExportedHandler<Env>>;
const piOf = channelIdOf;
const stubOf = (paymentNo: string) => env.PAYMENT.get(env.PAYMENT.idFromName(paymentNo));
let seq = 0;

async function runCron() {
  const ctx = createExecutionContext();
  await handler.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const syncRow = (paymentNo: string) =>
  runInDurableObject(stubOf(paymentNo), (_: PaymentDO, state) =>
    state.storage.sql.exec<{ attempts: number; next_at: number; changed_at: number }>("SELECT * FROM sync").toArray()[0] ?? null,
  );

const lastTransition = async (paymentNo: string) => (await stubOf(paymentNo).transitions()).at(-1);

const d1Payment = (paymentNo: string) =>
  env.DB.prepare("SELECT * FROM payments WHERE payment_no = ?").bind(paymentNo).first<Record<string, unknown>>();

async function stripePayment(key: string, amount = 2000) {
  return (await createPayment(key, { channel: "stripe", amount })).json<PaymentJson>();
}

/** A Stripe payment that has succeeded, through its webhooks. */
async function succeededStripePayment(key: string) {
  const payment = await stripePayment(key);
  await stripe.drive(piOf(payment), "succeed");
  await forwardWebhooks(piOf(payment));
  await paymentReaches(key, payment.payment_no, "succeeded");
  return payment;
}

describe("stored callbacks the queue never delivered", () => {
  it("are found through the index of received callbacks alone, which applied ones never enter", async () => {
    const query = strandedCallbacks(drizzle(env.DB), Date.now(), 120_000, 200).toSQL();
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).bind(...query.params).all<{ detail: string }>();
    const details = plan.results.map((r) => r.detail).join("\n");
    expect(details).toContain("USING INDEX idx_payment_callbacks_received");
    expect(details).not.toMatch(/SCAN payment_callbacks(?! USING)/);
    const index = await env.DB.prepare("SELECT sql FROM sqlite_master WHERE name = 'idx_payment_callbacks_received'").first<{ sql: string }>();
    expect(index!.sql).toContain("WHERE status = 'received'");
  });

  const sandboxEvent = (payment: PaymentJson, status: "processing" | "succeeded") =>
    sandboxIntentEvent(payment, status, { id: `evt_redrive_${Date.now()}_${++seq}` });

  /** A callback as ingress stores it, whose hand-off to the queue was lost. */
  const storeCallback = (id: string, event: { id: string; type: string }, payload: string, receivedAt: number, paymentNo: string | null) =>
    env.DB.prepare(
      "INSERT INTO payment_callbacks (id, channel, account, event_id, event_type, payment_no, payload, received_at) VALUES (?, 'sandbox', 'platform', ?, ?, ?, ?, ?)",
    )
      .bind(id, event.id, event.type, paymentNo, payload, receivedAt)
      .run();
  const callback = (id: string) => env.DB.prepare("SELECT * FROM payment_callbacks WHERE id = ?").bind(id).first<Record<string, unknown>>();

  it("are applied by the cron once they are older than the reconcile threshold, oldest first", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const old = Date.now() - reconcileAfterMs(env) - 60_000;
    const processing = sandboxEvent(payment, "processing");
    const succeeded = sandboxEvent(payment, "succeeded");
    const ids = [`cb_r1_${seq}`, `cb_r2_${seq}`, `cb_r3_${seq}`] as const;
    await storeCallback(ids[0], processing, JSON.stringify(processing), old, payment.payment_no);
    await storeCallback(ids[1], succeeded, JSON.stringify(succeeded), old + 1, payment.payment_no);
    // a fresh one waits: its queue message may still come
    const fresh = sandboxEvent(payment, "succeeded");
    await storeCallback(ids[2], fresh, JSON.stringify(fresh), Date.now(), payment.payment_no);

    await runCron();
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("succeeded");
    const causes = (await stubOf(payment.payment_no).transitions()).slice(-2).map((t) => [t.to, t.cause]);
    expect(causes).toEqual([
      ["processing", { type: "webhook", id: processing.id }],
      ["succeeded", { type: "webhook", id: succeeded.id }],
    ]);
    expect(await callback(ids[0])).toMatchObject({ status: "applied" });
    expect(await callback(ids[1])).toMatchObject({ status: "applied" });
    expect(await callback(ids[2])).toMatchObject({ status: "received" });
    await eventually(() => d1Payment(payment.payment_no), (row) => row?.status === "succeeded");
  });

  it("an event the payment already applied is marked with what came of it then", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const processing = sandboxEvent(payment, "processing");
    await stubOf(payment.payment_no).applyChannelEvent({
      channel: "sandbox",
      account: null,
      eventId: processing.id,
      type: "payment.processing",
      channelType: processing.type,
      paymentNo: payment.payment_no,
      refundNo: null,
      channelPaymentId: piOf(payment),
      channelObjectId: piOf(payment),
      occurredAt: Date.now(),
      failure: null,
      money: { amount: payment.amount, currency: payment.currency },
    });
    // the consumer applied it, then died before marking the callback
    const id = `cb_dup_${seq}`;
    await storeCallback(id, processing, JSON.stringify(processing), Date.now() - reconcileAfterMs(env) - 1000, payment.payment_no);
    await runCron();
    expect(await callback(id)).toMatchObject({ status: "applied" });
    expect((await stubOf(payment.payment_no).transitions()).filter((t) => t.to === "processing")).toHaveLength(1);
  });

  it("one whose stored body no longer reads as an event is marked failed with the reason, not retried forever", async () => {
    const id = `cb_bad_${Date.now()}`;
    await storeCallback(id, { id: `evt_bad_${Date.now()}`, type: "payment_intent.succeeded" }, '{"id":"evt_x"}', Date.now() - reconcileAfterMs(env) - 1000, null);
    await runCron();
    const row = await callback(id);
    expect(row).toMatchObject({ status: "failed" });
    expect(String(row!.detail)).toMatch(/not an event of this channel/);
  });
});

describe("status sync with the channel", () => {
  it("a Stripe payment that succeeded without a webhook is synced: succeeded, cause sync, in D1, no sync left", async () => {
    const m = await createMerchant();
    const payment = await stripePayment(m.testKey);
    expect(await syncRow(payment.payment_no)).toMatchObject({ attempts: 0 });
    await stripe.drive(piOf(payment), "succeed"); // its webhook is never delivered
    await syncNow(payment.payment_no);
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("succeeded");
    expect(await lastTransition(payment.payment_no)).toMatchObject({ from: "processing", to: "succeeded", cause: { type: "sync", id: piOf(payment) } });
    expect(await syncRow(payment.payment_no)).toBeNull();
    await eventually(() => d1Payment(payment.payment_no), (row) => row?.status === "succeeded");
    const events = await (await api(`/api/v1/events?payment_no=${payment.payment_no}`, { key: m.testKey })).json<{ data: Array<{ type: string }> }>();
    expect(events.data.map((e) => e.type)).toContain("payment.succeeded");
  });

  it("a sync that finds nothing new changes nothing and backs off", async () => {
    const m = await createMerchant();
    const payment = await stripePayment(m.testKey);
    const before = await runInDurableObject(stubOf(payment.payment_no), (instance: PaymentDO) => instance.get({ merchantId: m.id, livemode: false }));
    const startedAt = Date.now();
    await syncNow(payment.payment_no);
    const after = await runInDurableObject(stubOf(payment.payment_no), (instance: PaymentDO) => instance.get({ merchantId: m.id, livemode: false }));
    expect(after!.version).toBe(before!.version);
    const row = await syncRow(payment.payment_no);
    expect(row!.attempts).toBe(1);
    expect(row!.next_at).toBeGreaterThanOrEqual(startedAt + SYNC_DELAYS_MS[0]);
    // the alarm is set for it
    const alarm = await runInDurableObject(stubOf(payment.payment_no), (_, state) => state.storage.getAlarm());
    expect(alarm).toBe(row!.next_at);
    const asked = (await stripe.requests()).filter((r) => r.method === "GET" && r.path === `/v1/payment_intents/${piOf(payment)}`);
    expect(asked).toHaveLength(1);
  });

  it("a sandbox payment the sandbox settled without a webhook is synced through the sandbox adapter", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const intent = piOf(payment);
    const shard = env.SANDBOX.get(env.SANDBOX.idFromName(`shard-${intent.split("_")[1]}`));
    // once the sandbox has run the intent's schedule, it settles it with no webhook to follow
    await eventually(
      () =>
        runInDurableObject(shard, (_, state) =>
          state.storage.sql.exec<{ n: number }>(
            "SELECT (SELECT count(*) FROM schedule WHERE intent_id = ?1) + (SELECT count(*) FROM deliveries WHERE intent_id = ?1) AS n",
            intent,
          ).one().n,
        ),
      (n) => n === 0,
    );
    await runInDurableObject(shard, (_, state) => {
      state.storage.sql.exec("UPDATE intents SET data = json_set(data, '$.status', 'succeeded') WHERE id = ?", intent);
    });
    await syncNow(payment.payment_no);
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("succeeded");
    expect(await lastTransition(payment.payment_no)).toMatchObject({ to: "succeeded", cause: { type: "sync", id: intent } });
  });

  it("a refund Stripe settled without a webhook is synced: the refund succeeds and the payment follows", async () => {
    const m = await createMerchant();
    const payment = await succeededStripePayment(m.testKey);
    const refund = await (await api("/api/v1/refunds", { key: m.testKey, body: { payment_no: payment.payment_no, amount: 500 } })).json<{ refund_no: string }>();
    const called = await eventually(
      async () => (await stripe.refunds()).find((r) => r.metadata.refund_no === refund.refund_no),
      (r) => r !== undefined,
    );
    await stripe.settleRefund(called!.id, "succeed"); // its webhooks are never delivered
    await syncNow(payment.payment_no);
    const now = await (await api(`/api/v1/refunds/${refund.refund_no}`, { key: m.testKey })).json<{ status: string }>();
    expect(now.status).toBe("succeeded");
    expect(await getPayment(m.testKey, payment.payment_no)).toMatchObject({ status: "partially_refunded", refunded_amount: 500 });
    expect(await lastTransition(payment.payment_no)).toMatchObject({ to: "partially_refunded", cause: { type: "sync", id: called!.id } });
  });

  it("a refund whose channel call never went out is called by the sync, with its refund_no as the idempotency key", async () => {
    const m = await createMerchant();
    const payment = await succeededStripePayment(m.testKey);
    // the call fails at Stripe (three tries by the SDK), so the queue holds it back for a while
    await stripe.failNext(500, 3);
    const refund = await (await api("/api/v1/refunds", { key: m.testKey, body: { payment_no: payment.payment_no, amount: 700 } })).json<{ refund_no: string }>();
    await eventually(
      async () => (await stripe.requests()).filter((r) => r.path === "/v1/refunds" && r.idempotency_key === refund.refund_no).length,
      (n) => n >= 3,
    );
    await syncNow(payment.payment_no);
    const made = (await stripe.refunds()).filter((r) => r.metadata.refund_no === refund.refund_no);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ amount: 700, status: "pending" });
  });
});

describe("cancel takes the channel's word", () => {
  it("when the channel refuses because the payment succeeded there, the payment becomes succeeded and the 409 carries it", async () => {
    const m = await createMerchant();
    const payment = await stripePayment(m.testKey);
    await stripe.drive(piOf(payment), "succeed"); // no webhook yet
    const res = await api(`/api/v1/payments/${payment.payment_no}/cancel`, { key: m.testKey, method: "POST" });
    expect(res.status).toBe(409);
    const { error } = await res.json<{ error: { code: string; message: string; payment: { status: string; payment_no: string } } }>();
    expect(error.code).toBe("payment_unexpected_state");
    expect(error.message).toMatch(/refused to cancel .* it is succeeded/);
    expect(error.payment).toMatchObject({ payment_no: payment.payment_no, status: "succeeded" });
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("succeeded");
    expect(await lastTransition(payment.payment_no)).toMatchObject({ to: "succeeded", cause: { type: "sync" } });
  });

  it("a payment whose create never got the channel's answer learns it from the channel, then cancels it there", async () => {
    const m = await createMerchant();
    // a 500 leaves the outcome unknown: the SDK's three tries, then three more when the platform asks
    await stripe.failNext(500, 6);
    const orderNo = `ORD-unanswered-${Date.now()}`;
    expect((await createPayment(m.testKey, { channel: "stripe", amount: 2000, order_no: orderNo })).status).toBe(502);
    const paymentNo = await paymentNoFor(m.id, false, orderNo);
    const cancelled = await api(`/api/v1/payments/${paymentNo}/cancel`, { key: m.testKey, method: "POST" });
    expect(cancelled.status).toBe(200);
    expect((await cancelled.json<PaymentJson>()).status).toBe("cancelled");
    const intents = (await stripe.paymentIntents()).filter((pi) => pi.metadata.payment_no === paymentNo);
    expect(intents).toHaveLength(1);
    const creates = (await stripe.requests()).filter((r) => r.path === "/v1/payment_intents" && r.idempotency_key === `${paymentNo}:attempt-1`);
    expect(creates.length).toBeGreaterThanOrEqual(7); // six failed tries, then the one the cancel made
    const canceled = (await stripe.requests()).filter((r) => r.path === `/v1/payment_intents/${intents[0]!.id}/cancel`);
    expect(canceled).toHaveLength(1);
  });

  it("an event about a payment whose create never got an answer is applied, and the payment learns its channel id", async () => {
    const m = await createMerchant();
    // a 500 leaves the outcome unknown: the SDK's three tries, then three more when the platform asks
    await stripe.failNext(500, 6);
    const orderNo = `ORD-late-${Date.now()}`;
    expect((await createPayment(m.testKey, { channel: "stripe", amount: 2000, order_no: orderNo })).status).toBe(502);
    const paymentNo = await paymentNoFor(m.id, false, orderNo);
    const pi = `pi_late_${Date.now()}`;
    const res = await postStripeEvent({
      id: `evt_late_${Date.now()}`,
      type: "payment_intent.succeeded",
      data: { object: { id: pi, object: "payment_intent", amount: 2000, currency: "usd", metadata: { payment_no: paymentNo } } },
    });
    expect(res.status).toBe(200);
    await paymentReaches(m.testKey, paymentNo, "succeeded");
    await eventually(() => d1Payment(paymentNo), (row) => row?.channel_payment_id === pi);
  });
});

describe("a payment that has left requires_action", () => {
  it("no longer carries its next_action", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    expect(payment.next_action).toMatchObject({ type: "redirect_to_url" });
    expect((await api(`/api/v1/sandbox/payments/${payment.payment_no}/confirm`, { key: m.testKey, method: "POST" })).status).toBe(200);
    const done = await paymentReaches(m.testKey, payment.payment_no, "succeeded");
    expect(done.next_action).toBeNull();
  });
});

describe("notifications whose queue message was lost", () => {
  it("are handed to the queue again by the cron and delivered", async () => {
    const hook = `lost${Date.now()}`;
    const receiver = `http://127.0.0.1:${TEST_RECEIVER_PORT}`;
    const m = await createMerchant();
    const payment = await (
      await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action", notify_url: `${receiver}/hooks/${hook}` })
    ).json<PaymentJson>();
    const received = async () => (await fetch(`${receiver}/_control/${hook}`)).json<unknown[]>();
    await eventually(received, (r) => r.length === 1);
    const event = await eventually(
      () => env.DB.prepare("SELECT * FROM events WHERE payment_no = ?").bind(payment.payment_no).first<{ id: string; delivery_status: string }>(),
      (e) => e?.delivery_status === "delivered",
    );
    // as if the message had been lost on its way: handed to the queue, never delivered
    await runInDurableObject(stubOf(payment.payment_no), (_, state) => {
      state.storage.sql.exec("UPDATE notifications SET state = 'sent' WHERE event_id = ?", event!.id);
    });
    await env.DB.prepare("UPDATE events SET delivery_status = 'pending', next_attempt_at = NULL, created_at = ? WHERE id = ?")
      .bind(Date.now() - reconcileAfterMs(env) - 60_000, event!.id)
      .run();
    await runCron();
    await eventually(received, (r) => r.length === 2);
    await eventually(
      () => env.DB.prepare("SELECT delivery_status FROM events WHERE id = ?").bind(event!.id).first<{ delivery_status: string }>(),
      (e) => e?.delivery_status === "delivered",
    );
  });

  it("only an owner's first undelivered event counts as overdue: the later ones wait for it by design", async () => {
    const m = await createMerchant();
    const paymentNo = await paymentNoFor(m.id, false, `ORD-waiting-${Date.now()}`);
    const old = Date.now() - reconcileAfterMs(env) - 60_000;
    const insert = (id: string, n: number, status: string) =>
      env.DB.prepare(
        "INSERT INTO events (id, merchant_id, livemode, type, payment_no, seq, data, created_at, delivery_status) VALUES (?, ?, 0, 'payment.succeeded', ?, ?, '{}', ?, ?)",
      ).bind(id, m.id, paymentNo, n, old + n, status);
    await env.DB.batch([insert(`evt_w1_${seq}`, 1, "delivered"), insert(`evt_w2_${seq}`, 2, "pending"), insert(`evt_w3_${seq}`, 3, "pending")]);
    const work = await strandedWork(env.DB, Date.now(), reconcileAfterMs(env));
    expect(work.payments.get(paymentNo)).toEqual([`evt_w2_${seq}`]);
  });
});
