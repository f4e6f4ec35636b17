// W3C trace context: each request answers its traceparent; a payment's whole journey (its create,
// the channel's calls and webhook, the queue hops, the merchant's notification, the customer's
// receipt) shares the create's trace id, in the headers sent out and in the log lines.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseTraceparent } from "../../shared/observability/trace-context";
import { TEST_SMTP } from "../constants";
import type { ReceivedMail } from "../emulators/smtp/server.d.mts";
import { captureLogs } from "./log-capture";
import { api, createMerchant, createPayment, eventually, paymentReaches, type PaymentJson } from "./helpers";
import { newHook } from "./receiver-hooks";
import { forwardWebhooks, stripe } from "./stripe-emulator";

const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER = `00-${CALLER_TRACE}-00f067aa0ba902b7-01`;

describe("traceparent at the edge", () => {
  it("starts a trace for a request that brings none, and answers it", async () => {
    const res = await api("/healthz");
    const trace = parseTraceparent(res.headers.get("traceparent"));
    expect(trace).not.toBeNull();
    expect(trace!.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("carries on the caller's trace with a span of its own", async () => {
    const res = await api("/healthz", { headers: { traceparent: CALLER } });
    const trace = parseTraceparent(res.headers.get("traceparent"))!;
    expect(trace.traceId).toBe(CALLER_TRACE);
    expect(trace.spanId).not.toBe("00f067aa0ba902b7");
  });

  it.each([
    ["garbage", "not-a-traceparent"],
    ["an all-zero trace id", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"],
    ["version ff", `ff-${CALLER_TRACE}-00f067aa0ba902b7-01`],
  ])("starts anew on %s", async (_, header) => {
    const res = await api("/healthz", { headers: { traceparent: header } });
    const trace = parseTraceparent(res.headers.get("traceparent"))!;
    expect(trace.traceId).not.toBe(CALLER_TRACE);
    expect(trace.traceId).not.toMatch(/^0+$/);
  });
});

describe("one trace id across a payment's async hops", () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  it("create → channel call → channel webhook → queue → merchant notification", async () => {
    const m = await createMerchant();
    const hook = await newHook();
    await api("/api/v1/merchant/receipts", { key: m.testKey, method: "PUT", body: { enabled: true, support_email: "help@shop.example" } });
    const buyer = `buyer-${Date.now()}@trace.example`;
    const created = await createPayment(m.testKey, { channel: "stripe", notify_url: hook.url, customer_email: buyer }, { traceparent: CALLER });
    expect(created.status).toBe(201);
    expect(parseTraceparent(created.headers.get("traceparent"))!.traceId).toBe(CALLER_TRACE);
    const payment = await created.json<PaymentJson>();
    const intent = payment.client_secret!.split("_secret_")[0]!;

    // the PaymentIntent was created in the trace
    const calls = (await stripe.requests()).filter((r) => r.method === "POST" && r.path === "/v1/payment_intents" && r.params.metadata?.payment_no === payment.payment_no);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(parseTraceparent(call.traceparent)?.traceId).toBe(CALLER_TRACE);

    // Stripe's webhook comes in a trace of its own; the payment's work on it joins the payment's
    await stripe.drive(intent, "succeed");
    const [ack] = await forwardWebhooks(intent);
    expect(ack!.status).toBe(200);
    const webhookTrace = parseTraceparent(ack!.headers.get("traceparent"))!.traceId;
    expect(webhookTrace).not.toBe(CALLER_TRACE);
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");

    // the notification of payment.succeeded went out (through the notifications queue) in the trace
    const received = await eventually(hook.received, (r) => r.some((x) => x.body.includes('"payment.succeeded"')), 15_000);
    const succeeded = received.find((x) => x.body.includes('"payment.succeeded"'))!;
    expect(parseTraceparent(succeeded.headers.traceparent)?.traceId).toBe(CALLER_TRACE);

    // so did the customer's receipt, through the same queue
    const mails = await eventually(
      async () => (await (await fetch(`http://127.0.0.1:${TEST_SMTP.webPort}/api/messages`)).json<ReceivedMail[]>()).filter((mail) => mail.envelope.to.includes(buyer)),
      (found) => found.length > 0,
      15_000,
    );
    expect(parseTraceparent(mails[0]!.headers.traceparent)?.traceId).toBe(CALLER_TRACE);

    // and the log lines say the same: the create's request, the move to succeeded, the delivery
    const ours = await eventually(
      async () => logs.lines().filter((l) => l.payment_no === payment.payment_no),
      (lines) => lines.some((l) => l.message === "notification delivered") && lines.some((l) => l.message === "email sent"),
    );
    const traced = (message: string, extra: (l: Record<string, unknown>) => boolean = () => true) =>
      ours.filter((l) => l.message === message && extra(l)).map((l) => l.trace_id);
    expect(traced("request", (l) => l.method === "POST")).toContain(CALLER_TRACE);
    expect(traced("payment moved", (l) => l.to === "succeeded")).toEqual([CALLER_TRACE]);
    expect(traced("notification delivered")).toContain(CALLER_TRACE);
    expect(traced("email sent")).toContain(CALLER_TRACE);
    // the webhook's own line names the payment, in the webhook's trace
    expect(traced("channel event received")).toContain(webhookTrace);
    // the payment's own lines name its merchant (the channel's webhook does not know it)
    for (const line of ours.filter((l) => l.trace_id === CALLER_TRACE)) {
      expect(line.merchant_id, JSON.stringify(line)).toBe(m.id);
      expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
    }
  });
});
