import {
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
  runDurableObjectAlarm,
  waitOnExecutionContext,
} from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { hmacSha256Hex } from "../../shared/crypto";
import { consumeNotifications } from "../../queues/notifications";
import type { NotificationMessage } from "../../shared/notifications/message";
import { app } from "../../workers/app";
import { api, BASE, createMerchant, createPayment, errorOf, eventually, paymentReaches, type PaymentJson } from "./helpers";
import { newHook, RECEIVER, type Received } from "./receiver-hooks";


const typesOf = (received: Received[]) => received.map((r) => (JSON.parse(r.body) as { type: string }).type);

async function eventOf(key: string, paymentNo: string, type: string) {
  const list = await eventually(
    async () => (await api(`/api/v1/events?payment_no=${paymentNo}&type=${type}`, { key })).json<{ data: Array<{ id: string }> }>(),
    (page) => page.data.length > 0,
  );
  return list.data[0]!.id;
}

async function eventDetail(key: string, id: string) {
  return (await api(`/api/v1/events/${id}`, { key })).json<{
    delivery: { status: string; attempts: number };
    attempts: Array<{ attempt: number; status_code: number | null; at: string; error: string | null }>;
  }>();
}

describe("merchant notifications", () => {
  it("counts an answer slower than the timeout as a failed attempt, and retries", async () => {
    const m = await createMerchant();
    // tests set NOTIFY_TIMEOUT_MS to 500 (production: 10 s); the receiver holds its first answer 2 s
    const hook = await newHook({ slowNext: 1, delayMs: 2000 });
    const payment = await (await createPayment(m.testKey, { notify_url: hook.url, payment_method: "pm_sandbox_declined" })).json<PaymentJson>();
    const id = await eventOf(m.testKey, payment.payment_no, "payment.failed");
    const detail = await eventually(() => eventDetail(m.testKey, id), (d) => d.delivery.status === "delivered", 15_000);
    expect(detail.attempts).toMatchObject([
      { attempt: 1, status_code: null, error: "no answer within 500 ms" },
      { attempt: 2, status_code: 200, error: null },
    ]);
  });

  it("retries a failing receiver and delivers, logging every attempt", async () => {
    const m = await createMerchant();
    const hook = await newHook({ failNext: 2, status: 503 });
    const payment = await (await createPayment(m.testKey, { notify_url: hook.url, payment_method: "pm_sandbox_declined" })).json<PaymentJson>();
    await paymentReaches(m.testKey, payment.payment_no, "failed");
    const id = await eventOf(m.testKey, payment.payment_no, "payment.failed");
    const detail = await eventually(() => eventDetail(m.testKey, id), (d) => d.delivery.status === "delivered", 15_000);
    expect(detail.attempts.map((a) => a.status_code)).toEqual([503, 503, 200]);
    const received = await hook.received();
    expect(received).toHaveLength(3);
    // the schedule in tests is 1 s between attempts (±10 %), carried by the queue's retry delay
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(800);
    expect(received[2]!.headers["x-event-id"]).toBe(id);
    expect(received[2]!.headers["x-event-type"]).toBe("payment.failed");
  }, 20_000);

  it("retries on the configured schedule, with jitter, through the queue's retry delays", async () => {
    const m = await createMerchant();
    const hook = await newHook({ failNext: 100 });
    const payment = await (await createPayment(m.testKey, { notify_url: hook.url, payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const id = await eventOf(m.testKey, payment.payment_no, "payment.requires_action");
    const scheduled = { ...env, NOTIFY_RETRY_SCHEDULE: "60,300,1800" } as unknown as Env;
    // What the consumer asks of the queue: message.retry({ delaySeconds }) after each failure.
    const delays: Array<number | undefined> = [];
    for (let i = 0; i < 3; i++) {
      const message = {
        id: `m-${id}-${i}`,
        timestamp: new Date(),
        attempts: i + 1,
        body: { eventId: id, paymentNo: payment.payment_no, resend: true },
        retry: (options?: QueueRetryOptions) => delays.push(options?.delaySeconds),
        ack: () => {},
      };
      const batch = { queue: "notifications", messages: [message], retryAll: () => {}, ackAll: () => {} };
      await consumeNotifications(batch as unknown as MessageBatch<NotificationMessage>, scheduled);
    }
    expect(delays[0]).toBeGreaterThanOrEqual(54);
    expect(delays[0]).toBeLessThanOrEqual(66);
    expect(delays[1]).toBeGreaterThanOrEqual(270);
    expect(delays[1]).toBeLessThanOrEqual(330);
    expect(delays[2]).toBeGreaterThanOrEqual(1620);
    expect(delays[2]).toBeLessThanOrEqual(1980);
  });

  it("marks an event failed and parks it when every attempt fails; a resend then delivers it", async () => {
    const m = await createMerchant();
    const hook = await newHook({ failNext: 3, status: 500 });
    const payment = await (await createPayment(m.testKey, { notify_url: hook.url, payment_method: "pm_sandbox_declined" })).json<PaymentJson>();
    const id = await eventOf(m.testKey, payment.payment_no, "payment.failed");
    const failed = await eventually(() => eventDetail(m.testKey, id), (d) => d.delivery.status === "failed", 15_000);
    expect(failed.attempts).toHaveLength(3);
    const parked = await env.DB.prepare("SELECT * FROM dead_letters WHERE queue = 'notifications' AND body LIKE ?").bind(`%${id}%`).first();
    expect(parked).not.toBeNull();

    const resend = await api(`/api/v1/events/${id}/resend`, { key: m.testKey, method: "POST" });
    expect(resend.status).toBe(202);
    const delivered = await eventually(() => eventDetail(m.testKey, id), (d) => d.delivery.status === "delivered");
    expect(delivered.attempts.at(-1)!.status_code).toBe(200);
  }, 20_000);

  it("delivers one payment's events in order, even when the first needs retries", async () => {
    const m = await createMerchant();
    const hook = await newHook({ failNext: 1 });
    const payment = await (await createPayment(m.testKey, { notify_url: hook.url, payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    await api(`/api/v1/sandbox/payments/${payment.payment_no}/confirm`, { key: m.testKey, method: "POST" });
    const received = await eventually(() => hook.received(), (r) => r.filter((x) => x.status === 200).length === 2, 15_000);
    expect(typesOf(received)).toEqual(["payment.requires_action", "payment.requires_action", "payment.succeeded"]);
    expect(received.map((r) => r.status)).toEqual([500, 200, 200]);
  }, 20_000);

  it("signs with the endpoint secret, and with both secrets while a rotation overlaps", async () => {
    const m = await createMerchant();
    const hook = await newHook();
    const put = await (await api("/api/v1/merchant/webhook-endpoint", { key: m.testKey, method: "PUT", body: { url: hook.url } })).json<{ secret: string }>();
    expect(put.secret).toMatch(/^whsec_/);
    const again = await (await api("/api/v1/merchant/webhook-endpoint", { key: m.testKey, method: "PUT", body: { url: hook.url } })).json<{ secret?: string }>();
    expect(again.secret).toBeUndefined();
    const rotated = await (await api("/api/v1/merchant/webhook-endpoint/rotate-secret", { key: m.testKey, body: { overlap_seconds: 3600 } })).json<{ secret: string; previous_secret_expires_at: string }>();
    expect(rotated.previous_secret_expires_at).not.toBeNull();

    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const [delivery] = await eventually(() => hook.received(), (r) => r.length > 0);
    const header = delivery!.headers["x-payment-signature"]!;
    const t = /t=(\d+)/.exec(header)![1];
    const v1s = [...header.matchAll(/v1=([0-9a-f]{64})/g)].map((x) => x[1]);
    expect(v1s).toEqual([await hmacSha256Hex(rotated.secret, `${t}.${delivery!.body}`), await hmacSha256Hex(put.secret, `${t}.${delivery!.body}`)]);
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: "payment.requires_action", payment_no: payment.payment_no });

    await api("/api/v1/merchant/webhook-endpoint/rotate-secret", { key: m.testKey, body: { overlap_seconds: 0 } });
    await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" });
    const later = await eventually(() => hook.received(), (r) => r.length > 1);
    expect([...later[1]!.headers["x-payment-signature"]!.matchAll(/v1=/g)]).toHaveLength(1);
  });

  it("sends nothing to an endpoint that did not ask for the event type", async () => {
    const m = await createMerchant();
    const hook = await newHook();
    await api("/api/v1/merchant/webhook-endpoint", { key: m.testKey, method: "PUT", body: { url: hook.url, events: ["refund.succeeded"] } });
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const id = await eventOf(m.testKey, payment.payment_no, "payment.requires_action");
    await eventually(() => eventDetail(m.testKey, id), (d) => d.delivery.status === "skipped");
    expect(await hook.received()).toEqual([]);
  });

  it("loses nothing when the drain fails between the change and the send", async () => {
    const m = await createMerchant();
    const hook = await newHook();
    await env.DB.exec(`CREATE TRIGGER refuse_notify_${m.id} BEFORE INSERT ON events WHEN NEW.merchant_id = '${m.id}' BEGIN SELECT RAISE(ABORT, 'injected'); END;`);
    const payment = await (await createPayment(m.testKey, { notify_url: hook.url, payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await hook.received()).toEqual([]);
    await env.DB.exec(`DROP TRIGGER refuse_notify_${m.id}`);
    await runDurableObjectAlarm(env.PAYMENT.get(env.PAYMENT.idFromName(payment.payment_no)));
    const received = await eventually(() => hook.received(), (r) => r.length > 0);
    expect(typesOf(received)).toEqual(["payment.requires_action"]);
  });
});

describe("notifications consumer", () => {
  it("retries one message with a delay when the platform itself fails, leaving the batch alone", async () => {
    const m = await createMerchant();
    const hook = await newHook();
    const payment = await (await createPayment(m.testKey, { notify_url: hook.url, payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const id = await eventOf(m.testKey, payment.payment_no, "payment.requires_action");
    await eventually(() => eventDetail(m.testKey, id), (d) => d.delivery.status === "delivered");
    await env.DB.exec(`CREATE TRIGGER refuse_log_${m.id} BEFORE INSERT ON event_deliveries WHEN NEW.event_id = '${id}' BEGIN SELECT RAISE(ABORT, 'injected'); END;`);
    const batch = createMessageBatch<NotificationMessage>("notifications", [
      { id: "msg-broken", timestamp: new Date(), attempts: 3, body: { eventId: id, paymentNo: payment.payment_no, resend: true } },
      { id: "msg-unknown", timestamp: new Date(), attempts: 1, body: { eventId: "evt_unknown", paymentNo: payment.payment_no, resend: true } },
    ]);
    const ctx = createExecutionContext();
    await consumeNotifications(batch, env);
    await env.DB.exec(`DROP TRIGGER refuse_log_${m.id}`);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["msg-unknown"]);
    expect(result.retryMessages).toEqual([{ msgId: "msg-broken" }]); // (this test batch does not record delays)
  });
});

describe("failed notification attempts", () => {
  it.each([
    ["a receiver that answers 503", async () => {
      const hook = await newHook();
      return { url: `${hook.url}?token=not-for-logs`, fail: () => hook.set({ failNext: 1, status: 503 }), expected: { host: new URL(RECEIVER).host, status_code: 503, error: null } };
    }],
    ["a target nobody listens on", async () => ({
      url: "http://127.0.0.1:9/hook?token=not-for-logs",
      fail: async () => undefined,
      expected: { host: "127.0.0.1:9", status_code: null, error: "connection failed" },
    })],
  ])("log one structured warning each (%s), with the target's host only", async (_label, target) => {
    const m = await createMerchant();
    const { url, fail, expected } = await target();
    const payment = await (await createPayment(m.testKey, { notify_url: url, payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const id = await eventOf(m.testKey, payment.payment_no, "payment.requires_action");
    // the queue's own attempts run to their end first (delivered, or failed after the schedule);
    // then one attempt, watched
    await eventually(() => eventDetail(m.testKey, id), (d) => ["delivered", "failed"].includes(d.delivery.status), 15_000);
    await fail();
    const warn = vi.spyOn(console, "warn");
    const error = vi.spyOn(console, "error");
    try {
      const batch = createMessageBatch<NotificationMessage>("notifications", [
        { id: `msg-warn-${id}`, timestamp: new Date(), attempts: 1, body: { eventId: id, paymentNo: payment.payment_no, resend: true } },
      ]);
      await consumeNotifications(batch, env);
      const lines = warn.mock.calls.map((call) => String(call[0])).filter((line) => line.includes("notification attempt failed"));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ level: "warn", event_id: id, ...expected, next_attempt_in_s: expect.any(Number) });
      expect(lines[0]).not.toContain("not-for-logs");
      expect(error).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });
});

describe("notification targets (SSRF)", () => {
  it.each([
    "http://127.0.0.1/hook",
    "http://localhost:8080/hook",
    "http://10.0.0.5/hook",
    "http://172.20.1.1/hook",
    "http://192.168.1.10/hook",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]/hook",
    "http://[fd00::1]/hook",
    "https://billing.internal/hook",
    "https://printer.local/hook",
    "ftp://example.com/hook",
    "https://user:pass@example.com/hook",
  ])("refuses %s in live mode", async (url) => {
    const m = await createMerchant();
    const res = await api("/api/v1/merchant/webhook-endpoint", { key: m.liveKey, method: "PUT", body: { url } });
    expect(await errorOf(res)).toMatchObject({ status: 400, code: "url_not_allowed", param: "url" });
    const pay = await createPayment(m.liveKey, { notify_url: url });
    expect(await errorOf(pay)).toMatchObject({ status: 400 });
  });

  it("accepts a public URL in live mode, and loopback in test mode only", async () => {
    const m = await createMerchant();
    expect((await api("/api/v1/merchant/webhook-endpoint", { key: m.liveKey, method: "PUT", body: { url: "https://merchant.example.com/hook" } })).status).toBe(200);
    expect((await api("/api/v1/merchant/webhook-endpoint", { key: m.testKey, method: "PUT", body: { url: "http://127.0.0.1:3000/hook" } })).status).toBe(200);
    expect(await errorOf(await api("/api/v1/merchant/webhook-endpoint", { key: m.testKey, method: "PUT", body: { url: "http://10.1.2.3/hook" } }))).toMatchObject({ code: "url_not_allowed" });
  });
});

interface RevealedSecret {
  object: string;
  livemode: boolean;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
}

const revealSecret = async (key: string) => {
  const res = await api("/api/v1/merchant/webhook-endpoint/secret", { key });
  expect(res.status).toBe(200);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  return res.json<RevealedSecret>();
};

/** The v1 signatures of the hook's first delivery, and the one `secret` makes for it. */
async function firstDeliverySignatures(hook: Awaited<ReturnType<typeof newHook>>, secret: string) {
  const [delivery] = await eventually(() => hook.received(), (r) => r.length > 0);
  const header = delivery!.headers["x-payment-signature"]!;
  const t = /t=(\d+)/.exec(header)![1];
  return {
    given: [...header.matchAll(/v1=([0-9a-f]{64})/g)].map((x) => x[1]),
    expected: [await hmacSha256Hex(secret, `${t}.${delivery!.body}`)],
  };
}

describe("revealing the webhook signing secret", () => {
  it("makes the secret before any endpoint exists, and the first notify_url delivery is signed with it", async () => {
    const m = await createMerchant();
    const revealed = await revealSecret(m.testKey);
    expect(revealed).toEqual({
      object: "webhook_endpoint_secret",
      livemode: false,
      secret: expect.stringMatching(/^whsec_\w{32}$/),
      previous_secret: null,
      previous_secret_expires_at: null,
    });
    expect((await revealSecret(m.testKey)).secret).toBe(revealed.secret);

    const hook = await newHook();
    await createPayment(m.testKey, { notify_url: hook.url, payment_method: "pm_sandbox_requires_action" });
    const { given, expected } = await firstDeliverySignatures(hook, revealed.secret);
    expect(given).toEqual(expected);
  });

  it("shows the secret a notify_url delivery made before the endpoint was set (the README's order)", async () => {
    const m = await createMerchant();
    const hook = await newHook();
    await createPayment(m.testKey, { notify_url: hook.url, payment_method: "pm_sandbox_requires_action" });
    await eventually(() => hook.received(), (r) => r.length > 0);
    // the row exists now, so PUT does not show the secret; reveal does
    const put = await (await api("/api/v1/merchant/webhook-endpoint", { key: m.testKey, method: "PUT", body: { url: hook.url } })).json<{ secret?: string }>();
    expect(put.secret).toBeUndefined();
    const { secret } = await revealSecret(m.testKey);
    const { given, expected } = await firstDeliverySignatures(hook, secret);
    expect(given).toEqual(expected);
  });

  it("answers the new secret and, while it still signs, the previous one with its expiry", async () => {
    const m = await createMerchant();
    const first = await revealSecret(m.testKey);
    const rotated = await (await api("/api/v1/merchant/webhook-endpoint/rotate-secret", { key: m.testKey, body: { overlap_seconds: 3600 } })).json<{ secret: string; previous_secret_expires_at: string }>();
    expect(await revealSecret(m.testKey)).toEqual({
      object: "webhook_endpoint_secret",
      livemode: false,
      secret: rotated.secret,
      previous_secret: first.secret,
      previous_secret_expires_at: rotated.previous_secret_expires_at,
    });
    expect(Date.parse(rotated.previous_secret_expires_at) - Date.now()).toBeGreaterThan(3500_000);

    await api("/api/v1/merchant/webhook-endpoint/rotate-secret", { key: m.testKey, body: { overlap_seconds: 0 } });
    expect(await revealSecret(m.testKey)).toMatchObject({ previous_secret: null, previous_secret_expires_at: null });
  });

  it("answers each merchant and mode its own secret", async () => {
    const a = await createMerchant();
    const b = await createMerchant();
    const [aTest, aLive, bTest] = await Promise.all([revealSecret(a.testKey), revealSecret(a.liveKey), revealSecret(b.testKey)]);
    expect(aTest.livemode).toBe(false);
    expect(aLive.livemode).toBe(true);
    expect(new Set([aTest.secret, aLive.secret, bTest.secret]).size).toBe(3);
    expect((await revealSecret(a.testKey)).secret).toBe(aTest.secret);
    expect((await revealSecret(a.liveKey)).secret).toBe(aLive.secret);
    expect((await revealSecret(b.testKey)).secret).toBe(bTest.secret);
  });

  it("answers one secret to concurrent first reveals", async () => {
    const m = await createMerchant();
    // 20: with 5, the requests here did not overlap enough to meet the insert race
    const revealed = await Promise.all(Array.from({ length: 20 }, () => revealSecret(m.testKey)));
    expect(new Set(revealed.map((r) => r.secret)).size).toBe(1);
    expect((await revealSecret(m.testKey)).secret).toBe(revealed[0]!.secret);
  });

  it("is 503 secret_store_unavailable without CHANNEL_CONFIG_KEY", async () => {
    const m = await createMerchant();
    const ctx = createExecutionContext();
    const res = await app.request(
      `${BASE}/api/v1/merchant/webhook-endpoint/secret`,
      { headers: { Authorization: `Bearer ${m.testKey}` } },
      { ...env, CHANNEL_CONFIG_KEY: "" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(await errorOf(res)).toMatchObject({ status: 503, code: "secret_store_unavailable" });
  });
});
