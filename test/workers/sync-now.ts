// Runs a payment's status sync now instead of waiting for its schedule.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";
import type { PaymentDO } from "../../durable-objects/payment";
import { eventually } from "./helpers";

/**
 * Runs the payment's next alarm now, as if its status sync were due: once the outbox is delivered
 * the alarm waits for the sync, and runDurableObjectAlarm runs it without sleeping.
 */
export async function syncNow(paymentNo: string) {
  const stub = env.PAYMENT.get(env.PAYMENT.idFromName(paymentNo));
  await eventually(
    () =>
      runInDurableObject(stub, async (_: PaymentDO, state) => ({
        outbox: state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n,
        alarm: await state.storage.getAlarm(),
      })),
    (s) => s.outbox === 0 && s.alarm !== null && s.alarm > Date.now(),
  );
  await runInDurableObject(stub, (_: PaymentDO, state) => state.storage.sql.exec("UPDATE sync SET next_at = 0"));
  expect(await runDurableObjectAlarm(stub)).toBe(true);
}

