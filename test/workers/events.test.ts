import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, createMerchant, createPayment, eventually, paymentReaches, type PaymentJson } from "./helpers";

interface EventJson {
  id: string;
  type: string;
  payment_no: string;
  refund_no: string | null;
  created: string;
  data: { object: { object: string; status: string } };
}

const eventsOf = async (key: string, paymentNo: string) =>
  (await (await api(`/api/v1/events?payment_no=${paymentNo}&limit=100`, { key })).json<{ data: EventJson[] }>()).data;

const eventTypes = async (key: string, paymentNo: string) => (await eventsOf(key, paymentNo)).map((e) => e.type).reverse();

const seqs = (paymentNo: string) =>
  env.DB.prepare("SELECT type, seq FROM events WHERE payment_no = ? ORDER BY seq").bind(paymentNo).all<{ type: string; seq: number }>();

describe("events", () => {
  it("reports a payment that succeeds once, with the payment as the API shows it", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey)).json<PaymentJson>();
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");
    const [event] = await eventually(() => eventsOf(m.testKey, payment.payment_no), (list) => list.length > 0);
    expect(event).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      type: "payment.succeeded",
      payment_no: payment.payment_no,
      data: { object: { object: "payment", status: "succeeded", payment_no: payment.payment_no } },
    });
    const one = await (await api(`/api/v1/events/${event!.id}`, { key: m.testKey })).json<EventJson & { attempts: unknown[] }>();
    expect(one).toMatchObject({ id: event!.id, type: event!.type, created: event!.created, data: event!.data, attempts: [] });
    expect(await eventsOf(m.testKey, payment.payment_no)).toHaveLength(1);
  });

  it.each([
    ["pm_sandbox_declined", "failed", ["payment.failed"]],
    ["pm_sandbox_requires_action", "requires_action", ["payment.requires_action"]],
  ])("%s -> %j", async (payment_method, status, types) => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method })).json<PaymentJson>();
    await paymentReaches(m.testKey, payment.payment_no, status);
    expect(await eventually(() => eventTypes(m.testKey, payment.payment_no), (t) => t.length > 0)).toEqual(types);
  });

  it("numbers one payment's events in order: requires_action, cancelled", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    await api(`/api/v1/payments/${payment.payment_no}/cancel`, { key: m.testKey, method: "POST" });
    const rows = await eventually(() => seqs(payment.payment_no), (r) => r.results.length === 2);
    expect(rows.results).toEqual([
      { type: "payment.requires_action", seq: 1 },
      { type: "payment.cancelled", seq: 2 },
    ]);
  });

  it("reports refunds that settle, after the payment's own event", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey)).json<PaymentJson>();
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");
    const refund = await (await api("/api/v1/refunds", { key: m.testKey, body: { payment_no: payment.payment_no, amount: 100 } })).json<{ refund_no: string }>();
    const rows = await eventually(() => seqs(payment.payment_no), (r) => r.results.length === 2);
    expect(rows.results.map((r) => r.type)).toEqual(["payment.succeeded", "refund.succeeded"]);
    const [latest] = await eventsOf(m.testKey, payment.payment_no);
    expect(latest).toMatchObject({ refund_no: refund.refund_no, data: { object: { object: "refund", status: "succeeded" } } });
  });

  it("loses no event when D1 refuses it: the payment's outbox keeps it until D1 takes it", async () => {
    const m = await createMerchant();
    await env.DB.exec(
      `CREATE TRIGGER refuse_events_${m.id} BEFORE INSERT ON events WHEN NEW.merchant_id = '${m.id}' BEGIN SELECT RAISE(ABORT, 'injected'); END;`,
    );
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_declined" })).json<PaymentJson>();
    await paymentReaches(m.testKey, payment.payment_no, "failed");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await seqs(payment.payment_no)).results).toEqual([]);
    await env.DB.exec(`DROP TRIGGER refuse_events_${m.id}`);
    await runDurableObjectAlarm(env.PAYMENT.get(env.PAYMENT.idFromName(payment.payment_no)));
    expect((await seqs(payment.payment_no)).results).toEqual([{ type: "payment.failed", seq: 1 }]);
  });

  it("shows a merchant only its own events", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const [event] = await eventually(() => eventsOf(m.testKey, payment.payment_no), (list) => list.length > 0);
    const other = await createMerchant();
    expect((await api(`/api/v1/events/${event!.id}`, { key: other.testKey })).status).toBe(404);
    expect((await api(`/api/v1/events/${event!.id}`, { key: m.liveKey })).status).toBe(404);
    expect(await eventsOf(other.testKey, payment.payment_no)).toEqual([]);
  });
});
