// An isolate-local cache of each merchant's active routing configuration per mode, so creating a
// payment reads it from D1 at most once per CONFIG_CACHE_TTL_MS. Activating a version evicts the
// entry in the isolate that activates, at once; every other isolate sees the new version within
// the TTL. "None active" is cached too: most merchants have no configuration, and they must not
// pay a D1 read per payment for it.
import type { ActiveConfig } from "./store";

export const CONFIG_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

const entries = new Map<string, { value: ActiveConfig | null; expires: number }>();
const keyOf = (merchantId: string, livemode: boolean) => `${merchantId}:${livemode ? "live" : "test"}`;

/** The cached configuration (null: none is active), or undefined when the cache does not know. */
export function getCachedConfig(merchantId: string, livemode: boolean, now: number): ActiveConfig | null | undefined {
  const key = keyOf(merchantId, livemode);
  const entry = entries.get(key);
  if (!entry) return undefined;
  if (entry.expires > now) return entry.value;
  entries.delete(key);
  return undefined;
}

export function cacheConfig(merchantId: string, livemode: boolean, value: ActiveConfig | null, now: number): void {
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(keyOf(merchantId, livemode), { value, expires: now + CONFIG_CACHE_TTL_MS });
}

export function evictConfig(merchantId: string, livemode: boolean): void {
  entries.delete(keyOf(merchantId, livemode));
}
