import { describe, expect, it } from "vitest";
import {
  api,
  createMerchant,
  createPayment,
  errorOf,
  eventually,
  getPayment,
  paymentReaches,
  type PaymentJson,
} from "./helpers";

interface RefundJson {
  refund_no: string;
  payment_no: string;
  amount: number;
  status: string;
  failure: { code: string } | null;
}

async function succeededPayment(key: string, extra: Record<string, unknown> = {}) {
  const payment = await (await createPayment(key, { amount: 10000, ...extra })).json<PaymentJson>();
  return paymentReaches(key, payment.payment_no, "succeeded");
}

const refund = (key: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api("/api/v1/refunds", { key, body, headers });

const getRefund = async (key: string, refundNo: string) =>
  (await api(`/api/v1/refunds/${refundNo}`, { key })).json<RefundJson>();

const refundSettles = (key: string, refundNo: string, status: string) =>
  eventually(() => getRefund(key, refundNo), (r) => r.status === status);

describe("refunds on the sandbox channel", () => {
  it("refunds part, then the rest: partially_refunded, then refunded", async () => {
    const m = await createMerchant();
    const payment = await succeededPayment(m.testKey);
    const first = await refund(m.testKey, { payment_no: payment.payment_no, amount: 3000, reason: "damaged" });
    expect(first.status).toBe(201);
    const r1 = await first.json<RefundJson>();
    expect(r1).toMatchObject({ status: "pending", amount: 3000, payment_no: payment.payment_no });
    expect(r1.refund_no).toMatch(/^RF[0-9A-Z]{24}001$/);
    await refundSettles(m.testKey, r1.refund_no, "succeeded");
    expect(await getPayment(m.testKey, payment.payment_no)).toMatchObject({ status: "partially_refunded", refunded_amount: 3000 });

    const rest = await (await refund(m.testKey, { payment_no: payment.payment_no })).json<RefundJson>();
    expect(rest.amount).toBe(7000);
    await refundSettles(m.testKey, rest.refund_no, "succeeded");
    expect(await getPayment(m.testKey, payment.payment_no)).toMatchObject({ status: "refunded", refunded_amount: 10000 });
    expect(await errorOf(await refund(m.testKey, { payment_no: payment.payment_no, amount: 1 }))).toMatchObject({
      status: 409,
      code: "payment_unexpected_state",
    });
  });

  it("never over-refunds: 20 concurrent refunds of 700 against 10000", async () => {
    const m = await createMerchant();
    const payment = await succeededPayment(m.testKey);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => refund(m.testKey, { payment_no: payment.payment_no, amount: 700 })),
    );
    const accepted = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status === 400);
    expect(accepted).toHaveLength(14);
    expect(refused).toHaveLength(6);
    for (const r of refused) expect(await errorOf(r)).toMatchObject({ code: "amount_too_large", param: "amount" });
    const refunds = await Promise.all(accepted.map((r) => r.json<RefundJson>()));
    expect(new Set(refunds.map((r) => r.refund_no)).size).toBe(14);
    await eventually(
      () => getPayment(m.testKey, payment.payment_no),
      (p) => p.refunded_amount === 9800,
    );
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("partially_refunded");
  });

  it("releases the amount when the channel fails the refund", async () => {
    const m = await createMerchant();
    const payment = await succeededPayment(m.testKey, { payment_method: "pm_sandbox_refund_fails" });
    const failing = await (await refund(m.testKey, { payment_no: payment.payment_no })).json<RefundJson>();
    expect(failing.amount).toBe(10000);
    // while pending, the whole amount is reserved
    expect((await refund(m.testKey, { payment_no: payment.payment_no, amount: 1 })).status).toBe(400);
    const failed = await refundSettles(m.testKey, failing.refund_no, "failed");
    expect(failed.failure).toMatchObject({ code: "refund_failed" });
    expect(await getPayment(m.testKey, payment.payment_no)).toMatchObject({ status: "succeeded", refunded_amount: 0 });
    // released: the full amount can be asked for again
    const again = await refund(m.testKey, { payment_no: payment.payment_no });
    expect(again.status).toBe(201);
    expect((await again.json<RefundJson>()).amount).toBe(10000);
  });

  it.each([
    ["pending (awaiting action)", "pm_sandbox_requires_action", "requires_action"],
    ["failed", "pm_sandbox_declined", "failed"],
  ])("refuses to refund a %s payment with 409", async (_label, payment_method, status) => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method })).json<PaymentJson>();
    await paymentReaches(m.testKey, payment.payment_no, status);
    expect(await errorOf(await refund(m.testKey, { payment_no: payment.payment_no }))).toMatchObject({
      status: 409,
      code: "payment_unexpected_state",
    });
  });

  it("does one refund for concurrent requests with one Idempotency-Key", async () => {
    const m = await createMerchant();
    const payment = await succeededPayment(m.testKey);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        refund(m.testKey, { payment_no: payment.payment_no, amount: 100 }, { "Idempotency-Key": "refund-once" }),
      ),
    );
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(new Set(bodies).size).toBe(1);
    await eventually(() => getPayment(m.testKey, payment.payment_no), (p) => p.refunded_amount === 100);
    const list = await eventually(
      async () => (await api(`/api/v1/refunds?payment_no=${payment.payment_no}&status=succeeded`, { key: m.testKey })).json<{ data: unknown[] }>(),
      (page) => page.data.length > 0,
    );
    expect(list.data).toHaveLength(1);
  });

  it.each([
    [{ amount: 0 }, "parameter_invalid", "amount"],
    [{ amount: 20000 }, "amount_too_large", "amount"],
    [{ reason: 5 }, "parameter_invalid", "reason"],
  ])("refuses %j", async (override, code, param) => {
    const m = await createMerchant();
    const payment = await succeededPayment(m.testKey);
    expect(await errorOf(await refund(m.testKey, { payment_no: payment.payment_no, ...override }))).toMatchObject({
      status: 400,
      code,
      param,
    });
  });
});

describe("refund reads and isolation", () => {
  it("lists refunds from D1 with filters, and hides them from other merchants", async () => {
    const m = await createMerchant();
    const payment = await succeededPayment(m.testKey);
    const created = await (await refund(m.testKey, { payment_no: payment.payment_no, amount: 500 })).json<RefundJson>();
    await refundSettles(m.testKey, created.refund_no, "succeeded");
    const listed = await eventually(
      async () => (await api(`/api/v1/refunds?payment_no=${payment.payment_no}&status=succeeded`, { key: m.testKey })).json<{ data: RefundJson[] }>(),
      (page) => page.data.length === 1,
    );
    expect(listed.data[0]).toMatchObject({ refund_no: created.refund_no, amount: 500 });

    const other = await createMerchant();
    expect((await api(`/api/v1/refunds/${created.refund_no}`, { key: other.testKey })).status).toBe(404);
    expect((await (await api("/api/v1/refunds", { key: other.testKey })).json<{ data: unknown[] }>()).data).toEqual([]);
    expect(await errorOf(await refund(other.testKey, { payment_no: payment.payment_no, amount: 1 }))).toMatchObject({
      status: 404,
      code: "resource_missing",
    });
    expect((await api("/api/v1/refunds/RFnot-a-refund", { key: m.testKey })).status).toBe(404);
  });
});
