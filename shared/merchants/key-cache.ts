// An isolate-local cache of authenticated keys, so most requests authenticate without D1.
// Revocation, and a merchant's suspension or reactivation, is immediate in the isolate that makes
// it (it evicts the key, or all of the merchant's) and takes at most KEY_CACHE_TTL_MS in every
// other isolate. Unknown keys are never cached.
import type { ApiKeyRow, Merchant } from "./merchant-store";

export const KEY_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

export interface CachedKey {
  key: ApiKeyRow;
  merchant: Merchant;
}

const entries = new Map<string, { value: CachedKey; expires: number }>();

export function getCachedKey(hash: string, now: number): CachedKey | undefined {
  const entry = entries.get(hash);
  if (!entry) return undefined;
  if (entry.expires > now) return entry.value;
  entries.delete(hash);
  return undefined;
}

export function cacheKey(hash: string, value: CachedKey, now: number): void {
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(hash, { value, expires: now + KEY_CACHE_TTL_MS });
}

export function evictKey(keyId: string): void {
  for (const [hash, entry] of entries) if (entry.value.key.id === keyId) entries.delete(hash);
}

/** Every cached key of the merchant: they carry its status, which has just changed. */
export function evictMerchant(merchantId: string): void {
  for (const [hash, entry] of entries) if (entry.value.merchant.id === merchantId) entries.delete(hash);
}
