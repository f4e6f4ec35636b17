// An isolate-local cache of each merchant's routing health per mode, so a create with dynamic
// ordering reads the health object at most once per HEALTH_CACHE_TTL_MS: one hop, never a write.
import { IsolateCache } from "../isolate-cache";
import type { Owner } from "../payments/payment";
import type { HealthSnapshot } from "./dynamic";
import { healthStub } from "./health";

export const HEALTH_CACHE_TTL_MS = 5_000;

const cache = new IsolateCache<HealthSnapshot>(HEALTH_CACHE_TTL_MS);
const keyOf = (owner: Owner) => `${owner.merchantId}:${owner.livemode ? "live" : "test"}`;

/** The owner's snapshot, shared by concurrent creates in this isolate while it is fresh. */
export const healthSnapshotFor = (env: Env, owner: Owner, now = Date.now()): Promise<HealthSnapshot> =>
  cache.read(keyOf(owner), () => healthStub(env, owner.merchantId, owner.livemode).snapshot(), now);

/** Forgets the owner's snapshot (tests, after feeding the object). */
export const evictHealth = (owner: Owner): void => cache.evict(keyOf(owner));
