import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentDO } from "../../durable-objects/payment";
import type { SandboxProcessorDO } from "../../durable-objects/sandbox-processor";
import type { PaymentRecord } from "../../shared/payments/payment";
import { PAYMENT_STATUSES, type PaymentStatus } from "../../shared/payments/state-machine";
import {
  api,
  createMerchant,
  createPayment,
  errorOf,
  getPayment,
  paymentReaches,
  uniqueOrderNo,
  type PaymentJson,
} from "./helpers";
import { paymentNoFor } from "../../shared/payments/payment-no";
import { shardFor } from "../../shared/channels/sandbox/adapter";

const create = async (key: string, payment_method?: string) =>
  (await createPayment(key, payment_method ? { payment_method } : {})).json<PaymentJson>();

const confirm = (key: string, paymentNo: string) =>
  api(`/api/v1/sandbox/payments/${paymentNo}/confirm`, { key, method: "POST" });

const history = (paymentNo: string) =>
  runInDurableObject(env.PAYMENT.get(env.PAYMENT.idFromName(paymentNo)), (instance: PaymentDO) =>
    instance.transitions(),
  );

describe("sandbox channel flows", () => {
  it("a default payment succeeds by itself, each step caused by a webhook event", async () => {
    const m = await createMerchant();
    const payment = await create(m.testKey);
    expect(payment.status).toBe("pending");
    const done = await paymentReaches(m.testKey, payment.payment_no, "succeeded");
    expect(done.paid_at).not.toBeNull();
    const steps = await history(payment.payment_no);
    expect(steps.map((s) => `${s.from}>${s.to}`)).toEqual(["null>pending", "pending>processing", "processing>succeeded"]);
    expect(steps[0]!.cause.type).toBe("api");
    for (const step of steps.slice(1)) expect(step.cause).toMatchObject({ type: "webhook", id: expect.stringMatching(/^evt_sb_/) });
  });

  it("pm_sandbox_declined fails with card_declined", async () => {
    const m = await createMerchant();
    const payment = await create(m.testKey, "pm_sandbox_declined");
    const failed = await paymentReaches(m.testKey, payment.payment_no, "failed");
    expect(failed.failure).toMatchObject({ code: "card_declined" });
  });

  it("pm_sandbox_requires_action waits for confirmation, then succeeds", async () => {
    const m = await createMerchant();
    const payment = await create(m.testKey, "pm_sandbox_requires_action");
    expect(payment.status).toBe("requires_action");
    expect(payment.next_action).toMatchObject({ type: "redirect_to_url" });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("requires_action");
    expect((await confirm(m.testKey, payment.payment_no)).status).toBe(200);
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");
    expect(await errorOf(await confirm(m.testKey, payment.payment_no))).toMatchObject({
      status: 409,
      code: "payment_unexpected_state",
    });
  });

  it("pm_sandbox_processing stays processing until confirmed", async () => {
    const m = await createMerchant();
    const payment = await create(m.testKey, "pm_sandbox_processing");
    await paymentReaches(m.testKey, payment.payment_no, "processing");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("processing");
    expect((await confirm(m.testKey, payment.payment_no)).status).toBe(200);
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");
  });

  it("cancelling a requires_action payment cancels it at the sandbox too", async () => {
    const m = await createMerchant();
    const payment = await create(m.testKey, "pm_sandbox_requires_action");
    const res = await api(`/api/v1/payments/${payment.payment_no}/cancel`, { key: m.testKey, method: "POST" });
    expect(res.status).toBe(200);
    expect((await res.json<PaymentJson>()).status).toBe("cancelled");
    // the customer can no longer complete it
    expect((await confirm(m.testKey, payment.payment_no)).status).toBe(409);
    const cancelled = await getPayment(m.testKey, payment.payment_no);
    expect(cancelled.status).toBe("cancelled");
  });
});

describe("cancel in each state", () => {
  /** Puts a payment into `status` directly in its object's storage (no channel object). */
  async function paymentIn(key: string, status: PaymentStatus) {
    const m = await createPayment(key, { payment_method: "pm_sandbox_requires_action" });
    const { payment_no } = await m.json<PaymentJson>();
    await runInDurableObject(env.PAYMENT.get(env.PAYMENT.idFromName(payment_no)), (instance: PaymentDO, state) => {
      const row = state.storage.sql.exec<{ data: string }>("SELECT data FROM payment").one();
      const record = JSON.parse(row.data) as PaymentRecord;
      state.storage.sql.exec(
        "UPDATE payment SET data = ?",
        JSON.stringify({ ...record, status, channelPaymentId: null }),
      );
      // the object keeps its record in memory: a write behind its back must drop that copy
      (instance as unknown as { store: { cached?: PaymentRecord } }).store.cached = undefined;
    });
    return payment_no;
  }

  it.each(PAYMENT_STATUSES.map((s) => [s, s === "pending" || s === "requires_action"] as const))(
    "from %s: allowed=%s",
    async (status, allowed) => {
      const m = await createMerchant();
      const paymentNo = await paymentIn(m.testKey, status);
      const res = await api(`/api/v1/payments/${paymentNo}/cancel`, { key: m.testKey, method: "POST" });
      if (allowed) {
        expect(res.status).toBe(200);
        expect((await res.json<PaymentJson>()).status).toBe("cancelled");
      } else {
        expect(await errorOf(res)).toMatchObject({ status: 409, code: "payment_unexpected_state" });
        expect((await getPayment(m.testKey, paymentNo)).status).toBe(status);
      }
    },
  );
});

describe("sandbox processor alarm", () => {
  it("re-arms itself when a run fails, and delivers once storage works again", async () => {
    const m = await createMerchant();
    const payment = await create(m.testKey, "pm_sandbox_requires_action");
    await paymentReaches(m.testKey, payment.payment_no, "requires_action");
    const record = await runInDurableObject(env.PAYMENT.get(env.PAYMENT.idFromName(payment.payment_no)), (instance: PaymentDO) =>
      instance.get({ merchantId: m.id, livemode: false }),
    );
    const intentId = (record as PaymentRecord).channelPaymentId!;
    const shard = env.SANDBOX.get(env.SANDBOX.idFromName(`shard-${intentId.split("_")[1]}`));
    // A trigger makes the shard's next run fail, as it would with its storage out of memory.
    await runInDurableObject(shard, (_, state) =>
      state.storage.sql.exec("CREATE TRIGGER refuse BEFORE INSERT ON deliveries BEGIN SELECT RAISE(ABORT, 'injected failure'); END"),
    );
    expect((await confirm(m.testKey, payment.payment_no)).status).toBe(200);
    await runInDurableObject(shard, async (instance: SandboxProcessorDO, state) => {
      await instance.alarm(); // fails inside: must not throw, must re-arm
      const pending = state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM schedule WHERE intent_id = ?", intentId).one().n;
      expect(pending).toBeGreaterThan(0); // the confirm's steps wait for the next run
      expect(await state.storage.getAlarm()).toBeGreaterThan(Date.now());
      state.storage.sql.exec("DROP TRIGGER refuse");
    });
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");
  });
});

describe("sandbox outage", () => {
  it("a shard that fails answers 502 and leaves the payment pending; the same request then succeeds", async () => {
    const m = await createMerchant();
    const orderNo = uniqueOrderNo();
    const paymentNo = await paymentNoFor(m.id, false, orderNo);
    const shard = env.SANDBOX.get(env.SANDBOX.idFromName(`shard-${shardFor(`${paymentNo}:attempt-1`)}`));
    await runInDurableObject(shard, (_, state) =>
      state.storage.sql.exec(`CREATE TRIGGER refuse_${paymentNo} BEFORE INSERT ON intents WHEN NEW.idempotency_key = '${paymentNo}:attempt-1' BEGIN SELECT RAISE(ABORT, 'injected'); END`),
    );
    const body = { order_no: orderNo, amount: 1500, currency: "EUR" };
    expect(await errorOf(await createPayment(m.testKey, body))).toMatchObject({ status: 502, code: "sandbox_unavailable" });
    expect((await getPayment(m.testKey, paymentNo)).status).toBe("pending");
    await runInDurableObject(shard, (_, state) => state.storage.sql.exec(`DROP TRIGGER refuse_${paymentNo}`));
    const retried = await createPayment(m.testKey, body);
    expect(retried.status).toBe(200);
    expect((await retried.json<PaymentJson>()).payment_no).toBe(paymentNo);
    await paymentReaches(m.testKey, paymentNo, "succeeded");
  });
});
