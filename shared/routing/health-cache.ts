// An isolate-local cache of each merchant's routing health per mode, so a create with dynamic
// ordering reads the health object at most once per HEALTH_CACHE_TTL_MS: one hop, never a write.
import type { Owner } from "../payments/payment";
import type { HealthSnapshot } from "./dynamic";
import { healthStub } from "./health";

export const HEALTH_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

const entries = new Map<string, { value: Promise<HealthSnapshot>; expires: number }>();

/** The owner's snapshot, shared by concurrent creates in this isolate while it is fresh. */
export function healthSnapshotFor(env: Env, owner: Owner, now = Date.now()): Promise<HealthSnapshot> {
  const key = `${owner.merchantId}:${owner.livemode ? "live" : "test"}`;
  const entry = entries.get(key);
  if (entry && entry.expires > now) return entry.value;
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  const value = healthStub(env, owner.merchantId, owner.livemode).snapshot();
  // a failed read is not kept: the next create asks again
  value.catch(() => entries.delete(key));
  entries.set(key, { value, expires: now + HEALTH_CACHE_TTL_MS });
  return value;
}

/** Forgets the owner's snapshot (tests, after feeding the object). */
export function evictHealth(owner: Owner): void {
  entries.delete(`${owner.merchantId}:${owner.livemode ? "live" : "test"}`);
}
