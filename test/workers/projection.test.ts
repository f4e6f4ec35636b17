import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentDO } from "../../durable-objects/payment";
import type { PaymentRecord } from "../../shared/payments/payment";
import { writeBatch } from "../../shared/db/batch";
import { paymentUpsert } from "../../shared/payments/projection";
import { createMerchant, createPayment, eventually, getPayment, type PaymentJson } from "./helpers";

const row = (paymentNo: string) =>
  env.DB.prepare("SELECT status, version FROM payments WHERE payment_no = ?").bind(paymentNo).first<{ status: string; version: number }>();

const stubOf = (paymentNo: string) => env.PAYMENT.get(env.PAYMENT.idFromName(paymentNo));

const outboxSize = (paymentNo: string) =>
  runInDurableObject(stubOf(paymentNo), (_: PaymentDO, state) =>
    state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n,
  );

describe("D1 projection", () => {
  it("reaches D1 shortly after each change", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const projected = await eventually(() => row(payment.payment_no), (r) => r !== null);
    expect(projected).toMatchObject({ status: "requires_action" });
    // the same drain then tells routing health and the velocity counters, and clears the outbox
    await eventually(() => outboxSize(payment.payment_no), (n) => n === 0);
  });

  it("catches up by itself after D1 refused the write", async () => {
    const m = await createMerchant();
    // A trigger makes D1 refuse this merchant's projection rows, as an outage would.
    await env.DB.exec(
      `CREATE TRIGGER refuse_${m.id} BEFORE INSERT ON payments WHEN NEW.merchant_id = '${m.id}' BEGIN SELECT RAISE(ABORT, 'injected D1 failure'); END;`,
    );
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const stub = stubOf(payment.payment_no);
    // the first drain fails: the rows stay in the outbox and the alarm is re-armed for later
    await eventually(
      () => runInDurableObject(stub, async (_: PaymentDO, state) => ({
        outbox: state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n,
        alarm: await state.storage.getAlarm(),
      })),
      (s) => s.outbox > 0 && s.alarm !== null && s.alarm > Date.now(),
    );
    expect(await row(payment.payment_no)).toBeNull();

    await env.DB.exec(`DROP TRIGGER refuse_${m.id}`);
    await runDurableObjectAlarm(stub);
    const current = await getPayment(m.testKey, payment.payment_no);
    expect(await row(payment.payment_no)).toMatchObject({ status: current.status });
    expect(await outboxSize(payment.payment_no)).toBe(0);
  });

  it("never lets an older version overwrite a newer one", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    await eventually(() => row(payment.payment_no), (r) => r?.status === "requires_action");
    const record = await runInDurableObject(stubOf(payment.payment_no), (instance: PaymentDO) =>
      instance.get({ merchantId: m.id, livemode: false }),
    );
    const newest = (await row(payment.payment_no))!;
    const project = (p: PaymentRecord) => writeBatch(env.DB, (orm) => [paymentUpsert(orm, p)]);
    await project({ ...(record as PaymentRecord), status: "pending", version: newest.version - 1 });
    expect(await row(payment.payment_no)).toEqual(newest);
    await project({ ...(record as PaymentRecord), status: "cancelled", version: newest.version + 1 });
    expect(await row(payment.payment_no)).toEqual({ status: "cancelled", version: newest.version + 1 });
  });
});
