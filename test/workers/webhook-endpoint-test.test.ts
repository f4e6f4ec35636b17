import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "../../docs/examples/verify-webhook.mjs";
import { api, createMerchant, errorOf, type TestMerchant } from "./helpers";
import { newHook } from "./receiver-hooks";


interface WebhookTestJson {
  object: string;
  url: string;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
  delivered: boolean;
}

const putEndpoint = async (m: TestMerchant, url: string, events: string[] = []) =>
  (await api("/api/v1/merchant/webhook-endpoint", { key: m.testKey, method: "PUT", body: { url, events } })).json<{ secret: string }>();

const sendTest = (key: string) => api("/api/v1/merchant/webhook-endpoint/test", { key, method: "POST" });

async function sentTest(key: string) {
  const res = await sendTest(key);
  expect(res.status).toBe(200);
  return res.json<WebhookTestJson>();
}

describe("POST /api/v1/merchant/webhook-endpoint/test", () => {
  it("sends one test.webhook event, signed as every notification, whatever the endpoint's event filter", async () => {
    const m = await createMerchant();
    const hook = await newHook();
    const { secret } = await putEndpoint(m, hook.url, ["refund.succeeded"]);
    const result = await sentTest(m.testKey);
    expect(result).toEqual({
      object: "webhook_test",
      url: hook.url,
      status_code: 200,
      latency_ms: expect.any(Number),
      response_excerpt: '{"ok":true}',
      error: null,
      delivered: true,
    });
    const received = await hook.received();
    expect(received).toHaveLength(1);
    const [delivery] = received;
    const event = JSON.parse(delivery!.body) as { id: string; type: string };
    expect(event).toEqual({
      id: expect.stringMatching(/^evt_\w{24}$/),
      object: "event",
      type: "test.webhook",
      created: expect.any(String),
      livemode: false,
      payment_no: null,
      refund_no: null,
      order_no: null,
      data: { object: { object: "webhook_test", message: expect.any(String) } },
    });
    expect(delivery!.headers["x-event-id"]).toBe(event.id);
    expect(delivery!.headers["x-event-type"]).toBe("test.webhook");
    // verified as the README tells merchants to, with the endpoint's secret
    const signature = delivery!.headers["x-payment-signature"]!;
    expect(verifyWebhook(signature, delivery!.body, secret)).toBe(true);
    expect(verifyWebhook(signature, delivery!.body, "whsec_someone_else")).toBe(false);

    // not stored as an event: not listed, no delivery logged
    expect((await (await api("/api/v1/events", { key: m.testKey })).json<{ data: unknown[] }>()).data).toEqual([]);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM events WHERE id = ?").bind(event.id).first("n")).toBe(0);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM event_deliveries WHERE event_id = ?").bind(event.id).first("n")).toBe(0);
  });

  it("signs with both secrets while a rotation overlaps", async () => {
    const m = await createMerchant();
    const hook = await newHook();
    const { secret: first } = await putEndpoint(m, hook.url);
    const rotate = await api("/api/v1/merchant/webhook-endpoint/rotate-secret", { key: m.testKey, body: { overlap_seconds: 3600 } });
    const { secret: second } = await rotate.json<{ secret: string }>();
    expect((await sentTest(m.testKey)).delivered).toBe(true);
    const [delivery] = await hook.received();
    const signature = delivery!.headers["x-payment-signature"]!;
    expect([...signature.matchAll(/v1=/g)]).toHaveLength(2);
    expect(verifyWebhook(signature, delivery!.body, first)).toBe(true);
    expect(verifyWebhook(signature, delivery!.body, second)).toBe(true);
  });

  it("reports a refusal, once: the answer's status and excerpt, and no retry", async () => {
    const m = await createMerchant();
    const hook = await newHook({ failNext: 1, status: 503 });
    await putEndpoint(m, hook.url);
    expect(await sentTest(m.testKey)).toMatchObject({ status_code: 503, response_excerpt: '{"ok":false}', error: null, delivered: false });
    // tests retry notifications after 1 s: a test event is never retried
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await hook.received()).toHaveLength(1);
  });

  it("reports an endpoint that does not answer within the timeout, and one that cannot be reached", async () => {
    const m = await createMerchant();
    // tests set NOTIFY_TIMEOUT_MS to 500 (production: 10 s); the receiver holds its answer 2 s
    const slow = await newHook({ slowNext: 1, delayMs: 2000 });
    await putEndpoint(m, slow.url);
    expect(await sentTest(m.testKey)).toMatchObject({ status_code: null, response_excerpt: null, error: "no answer within 500 ms", delivered: false });
    await putEndpoint(m, "http://127.0.0.1:1/hooks/closed");
    expect(await sentTest(m.testKey)).toMatchObject({ status_code: null, error: "connection failed", delivered: false });
  });

  it("sends nothing to a URL the SSRF rules refuse now (a row set before they did)", async () => {
    const m = await createMerchant();
    const hook = await newHook();
    await putEndpoint(m, hook.url);
    await env.DB.prepare("UPDATE webhook_endpoints SET url = ? WHERE merchant_id = ?").bind("http://10.0.0.1/hook", m.id).run();
    expect(await sentTest(m.testKey)).toEqual({
      object: "webhook_test",
      url: "http://10.0.0.1/hook",
      status_code: null,
      latency_ms: expect.any(Number),
      response_excerpt: null,
      error: "target must be a public address or loopback",
      delivered: false,
    });
  });

  it("answers 409 webhook_endpoint_missing without an endpoint URL in the key's mode", async () => {
    const m = await createMerchant();
    const missing = { status: 409, code: "webhook_endpoint_missing" };
    expect(await errorOf(await sendTest(m.testKey))).toMatchObject({
      ...missing,
      message: "No webhook endpoint is set for test mode; set one with PUT /api/v1/merchant/webhook-endpoint.",
    });
    // revealing the secret makes the row, without a URL
    expect((await api("/api/v1/merchant/webhook-endpoint/secret", { key: m.testKey })).status).toBe(200);
    expect(await errorOf(await sendTest(m.testKey))).toMatchObject(missing);
    // the test mode's endpoint is not the live mode's
    const hook = await newHook();
    await putEndpoint(m, hook.url);
    expect(await errorOf(await sendTest(m.liveKey))).toMatchObject({ ...missing, message: expect.stringContaining("live mode") });
    expect(await hook.received()).toEqual([]);
  });
});
