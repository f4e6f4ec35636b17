import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentDO } from "../../durable-objects/payment";
import { toIso } from "../../shared/time";
import { api, createMerchant, createPayment, errorOf, paymentReaches, type PaymentJson } from "./helpers";

interface TimelineJson {
  object: "list";
  data: Array<{ from: string | null; to: string; cause: { type: string; id: string }; at: string }>;
  has_more: boolean;
}

const timeline = async (key: string, paymentNo: string) => {
  const res = await api(`/api/v1/payments/${paymentNo}/timeline`, { key });
  expect(res.status).toBe(200);
  return res.json<TimelineJson>();
};

const stored = (paymentNo: string) =>
  runInDurableObject(env.PAYMENT.get(env.PAYMENT.idFromName(paymentNo)), (instance: PaymentDO) => instance.transitions());

const moves = (t: TimelineJson) => t.data.map((s) => `${s.from}>${s.to}:${s.cause.type}`);

describe("GET /api/v1/payments/{paymentNo}/timeline", () => {
  it("lists a sandbox payment's moves oldest first: made by the API request, then moved by the channel's webhooks", async () => {
    const m = await createMerchant();
    const res = await createPayment(m.testKey);
    const payment = await res.json<PaymentJson>();
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");
    const body = await timeline(m.testKey, payment.payment_no);
    expect(body.object).toBe("list");
    expect(body.has_more).toBe(false);
    expect(moves(body)).toEqual(["null>pending:api", "pending>processing:webhook", "processing>succeeded:webhook"]);
    // the create's own request id, and the sandbox's event ids
    expect(body.data[0]!.cause.id).toBe(res.headers.get("X-Request-Id"));
    for (const step of body.data.slice(1)) expect(step.cause.id).toMatch(/^evt_sb_/);
    // exactly what the PaymentDO stored, times as ISO
    const transitions = await stored(payment.payment_no);
    expect(body.data).toEqual(transitions.map((t) => ({ ...t, at: toIso(t.at) })));
    const times = body.data.map((s) => s.at);
    expect(times).toEqual([...times].sort());
  });

  it("names the cancel request that cancelled a payment waiting for its buyer", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const cancel = await api(`/api/v1/payments/${payment.payment_no}/cancel`, { key: m.testKey, method: "POST" });
    expect(cancel.status).toBe(200);
    const body = await timeline(m.testKey, payment.payment_no);
    expect(body.data.at(-1)).toMatchObject({ from: "requires_action", to: "cancelled", cause: { type: "api", id: cancel.headers.get("X-Request-Id") } });
    expect(body.data[0]).toMatchObject({ from: null, to: "pending" });
  });

  it("shows the risk rule that blocked a payment", async () => {
    const m = await createMerchant();
    const blocked = await createPayment(m.testKey, { metadata: { risk_test: "block" } });
    expect(blocked.status).toBe(402);
    const { payment } = (await blocked.json<{ error: { payment: PaymentJson } }>()).error;
    const body = await timeline(m.testKey, payment.payment_no);
    expect(body.data.map(({ from, to, cause }) => ({ from, to, cause: cause.type === "risk" ? cause : cause.type }))).toEqual([
      { from: null, to: "pending", cause: "api" },
      { from: "pending", to: "failed", cause: { type: "risk", id: "builtin_risk_test_block" } },
    ]);
  });

  it("answers 404 for another merchant's payment, the other mode's key and a payment that does not exist", async () => {
    const m = await createMerchant();
    const other = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    for (const [key, paymentNo] of [
      [other.testKey, payment.payment_no],
      [m.liveKey, payment.payment_no],
      [m.testKey, "PY000000000000000000000000"],
      [m.testKey, "not-a-payment"],
    ] as const) {
      const res = await api(`/api/v1/payments/${paymentNo}/timeline`, { key });
      expect(await errorOf(res), `${key.slice(0, 8)} ${paymentNo}`).toMatchObject({
        status: 404,
        code: "resource_missing",
        message: `No such payment: '${paymentNo}'.`,
      });
    }
    // the same payment is there for its own key
    expect((await timeline(m.testKey, payment.payment_no)).data.length).toBeGreaterThan(0);
  });
});
