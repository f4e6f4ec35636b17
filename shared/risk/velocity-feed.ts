// What a payment's change tells the velocity counters: it was created (and blocked, when a rule
// did), or it failed. Only payments some risk rule looked at are counted, so merchants without
// rules pay nothing for counters; the counters of a rule added later start from then.
import type { PaymentRecord, Transition } from "../payments/payment";
import { counterKeyOf } from "./assess";
import { COUNTER_DIMENSIONS, counterStub } from "./counter-stub";
import type { VelocityEvent } from "./velocity";

/** The velocity events of one committed change (ids from the payment's version, so a redelivery is known). */
export function velocityEventsOf(payment: PaymentRecord, steps: Transition[], now: number): VelocityEvent[] {
  if (!payment.risk?.rules.length) return [];
  const base = { amountUsdCents: payment.amountUsdCents ?? 0, at: now };
  const id = (kind: VelocityEvent["kind"]) => `${payment.paymentNo}:${kind}`;
  // a blocked payment counts once, as blocked (which the counters add to the total too)
  if (steps.some((s) => s.cause.type === "risk")) return [{ ...base, id: id("blocked"), kind: "blocked" }];
  const events: VelocityEvent[] = [];
  if (steps.some((s) => s.from === null)) events.push({ ...base, id: id("created"), kind: "created" });
  if (steps.some((s) => s.to === "failed")) events.push({ ...base, id: id("failed"), kind: "failed" });
  return events;
}

/** Counts the events for each trait of the payment's buyer it states (email, IP, customer), at once. */
export async function feedVelocity(env: Env, payment: PaymentRecord, events: VelocityEvent[]): Promise<void> {
  if (events.length === 0) return;
  // a customer known by email is counted in that email's counter: once
  const keys = new Map(COUNTER_DIMENSIONS.map((d) => counterKeyOf(payment, d)).filter((k) => k !== null).map((k) => [`${k.dimension}:${k.value}`, k]));
  await Promise.all([...keys.values()].map(async (key) => (await counterStub(env, payment.merchantId, payment.livemode, key.dimension, key.value)).record(events)));
}
