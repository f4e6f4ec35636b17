import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../workers/index";
import { THROTTLE_WINDOW_MS } from "../../shared/access/sign-in-throttle";
import { reconcileAfterMs } from "../../shared/recovery";
import { WEBHOOK_LOG_RETENTION_MS } from "../../workers/scheduled";
import { api, createMerchant, createPayment, eventually, type PaymentJson } from "./helpers";

const handler = worker as Required<ExportedHandler<Env>>;

async function parked(messageId: string) {
  return env.DB.prepare("SELECT * FROM dead_letters WHERE message_id = ?").bind(messageId).all();
}

describe("dead-letter queues", () => {
  it("park every exhausted message in D1 with its body and attempts, once", async () => {
    const messages = [
      { id: "msg-dl-1", timestamp: new Date(), attempts: 11, body: { kind: "payment_event", n: 1 } },
      { id: "msg-dl-2", timestamp: new Date(), attempts: 11, body: { kind: "payment_event", n: 2 } },
    ];
    for (let delivery = 0; delivery < 2; delivery++) {
      const batch = createMessageBatch("channel-events-dlq", messages);
      const ctx = createExecutionContext();
      await handler.queue(batch, env, ctx);
      const result = await getQueueResult(batch, ctx);
      expect(result.ackAll).toBe(true);
      expect(result.retryMessages).toEqual([]);
    }
    const rows = (await parked("msg-dl-1")).results;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ queue: "channel-events", attempts: 11 });
    expect(JSON.parse(rows[0]!.body as string)).toEqual({ kind: "payment_event", n: 1 });
  });

  it("leave messages of a queue without a consumer to be retried, not dropped", async () => {
    const batch = createMessageBatch("unconsumed-queue", [
      { id: "msg-x", timestamp: new Date(), attempts: 1, body: {} },
    ]);
    await expect(handler.queue(batch, env, createExecutionContext())).rejects.toThrow(/no consumer/);
  });
});

describe("cron trigger", () => {
  it("prunes inbound webhook logs past the retention period and keeps recent ones", async () => {
    const now = Date.now();
    const insert = (id: string, at: number) =>
      env.DB.prepare(
        "INSERT INTO webhook_logs (id, channel, verified, http_status, request_id, received_at) VALUES (?, 'sandbox', 1, 200, 'req', ?)",
      ).bind(id, at);
    await env.DB.batch([insert("wh_old", now - WEBHOOK_LOG_RETENTION_MS - 1000), insert("wh_new", now - 1000)]);
    const ctx = createExecutionContext();
    await handler.scheduled(createScheduledController({ scheduledTime: now, cron: "*/5 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const ids = (await env.DB.prepare("SELECT id FROM webhook_logs").all<{ id: string }>()).results.map((r) => r.id);
    expect(ids).toContain("wh_new");
    expect(ids).not.toContain("wh_old");
  });

  it("drops sign-in failure counts of windows that have ended, keeping the current window's", async () => {
    const now = Date.now();
    const current = now - (now % THROTTLE_WINDOW_MS);
    const insert = (key: string, window: number) =>
      env.DB.prepare("INSERT INTO sign_in_failures (key, window_start, failures) VALUES (?, ?, 3)").bind(key, window);
    await env.DB.batch([insert("ip:old", current - THROTTLE_WINDOW_MS), insert("ip:now", current)]);
    const ctx = createExecutionContext();
    await handler.scheduled(createScheduledController({ scheduledTime: now, cron: "*/5 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const keys = (await env.DB.prepare("SELECT key FROM sign_in_failures").all<{ key: string }>()).results.map((r) => r.key);
    expect(keys).toContain("ip:now");
    expect(keys).not.toContain("ip:old");
  });

  it("re-arms a sandbox shard whose schedule waits without an alarm", async () => {
    const shard = env.SANDBOX.get(env.SANDBOX.idFromName("shard-7"));
    const due = Date.now() + 60_000;
    // work waiting and no alarm: what is left after the runtime gave up on a failing alarm
    await runInDurableObject(shard, async (_, state) => {
      state.storage.sql.exec("INSERT INTO schedule (at, intent_id) VALUES (?, 'pi_7_stranded')", due);
      await state.storage.deleteAlarm();
    });
    const ctx = createExecutionContext();
    await handler.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await runInDurableObject(shard, (_, state) => state.storage.getAlarm())).toBeLessThanOrEqual(due);
    await runInDurableObject(shard, (_, state) => state.storage.sql.exec("DELETE FROM schedule WHERE intent_id = 'pi_7_stranded'"));
  });

  it("re-arms a payment whose outbox waits without an alarm, and D1 catches up", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const row = () => env.DB.prepare("SELECT status FROM payments WHERE payment_no = ?").bind(payment.payment_no).first<{ status: string }>();
    await eventually(row, (r) => r?.status === "requires_action");
    const stub = env.PAYMENT.get(env.PAYMENT.idFromName(payment.payment_no));
    // the requires_action notification settled first (its settling would re-arm the alarm)
    await eventually(
      () => runInDurableObject(stub, (_, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM notifications WHERE state != 'done'").one().n),
      (n) => n === 0,
    );
    // D1 refuses the cancelled projection, so the cancel stays in the outbox; then the alarm is
    // lost, as when the runtime gives up on an object that cannot open its storage
    await env.DB.exec(`CREATE TRIGGER refuse_cancel_${m.id} BEFORE INSERT ON payments WHEN NEW.merchant_id = '${m.id}' AND NEW.status = 'cancelled' BEGIN SELECT RAISE(ABORT, 'injected'); END;`);
    expect((await api(`/api/v1/payments/${payment.payment_no}/cancel`, { key: m.testKey, method: "POST" })).status).toBe(200);
    const waiting = () =>
      runInDurableObject(stub, async (_, state) => ({
        outbox: state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n,
        alarm: await state.storage.getAlarm(),
      }));
    await eventually(waiting, (w) => w.outbox > 0 && w.alarm !== null && w.alarm > Date.now());
    await runInDurableObject(stub, (_, state) => state.storage.deleteAlarm());
    await env.DB.exec(`DROP TRIGGER refuse_cancel_${m.id}`);
    await env.DB.prepare("UPDATE payments SET updated_at = ? WHERE payment_no = ?").bind(Date.now() - reconcileAfterMs(env) - 1000, payment.payment_no).run();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await waiting()).toMatchObject({ alarm: null });

    const ctx = createExecutionContext();
    await handler.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    await eventually(row, (r) => r?.status === "cancelled");
    expect((await waiting()).outbox).toBe(0);
  });
});
