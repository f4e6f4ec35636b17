// The velocity counters of one customer trait: one RiskCounterDO per merchant, mode, dimension and
// value. The value is normalised, then hashed into the object's name, so no email or IP is in it.
import { sha256Hex } from "../crypto";

export const COUNTER_DIMENSIONS = ["email", "ip", "customer"] as const;
export type CounterDimension = (typeof COUNTER_DIMENSIONS)[number];

/** "Alice@Example.com " and "alice@example.com" are one customer to count. */
const normalised = (value: string) => value.trim().toLowerCase();

export async function counterName(merchantId: string, livemode: boolean, dimension: CounterDimension, value: string): Promise<string> {
  return `${merchantId}:${livemode ? "live" : "test"}:${dimension}:${await sha256Hex(normalised(value))}`;
}

export async function counterStub(env: Env, merchantId: string, livemode: boolean, dimension: CounterDimension, value: string) {
  return env.RISK_COUNTER.get(env.RISK_COUNTER.idFromName(await counterName(merchantId, livemode, dimension, value)));
}
