import { describe, expect, it } from "vitest";
import { KEY_CACHE_TTL_MS, cacheKey, evictKey, evictMerchant, getCachedKey, type CachedKey } from "../../shared/merchants/key-cache";

const entry = (id: string, merchantId = "m"): CachedKey => ({
  key: { id, merchantId, livemode: false, keyHash: "h", keyPrefix: "sk_test_x", createdAt: 0, revokedAt: null, lastUsedAt: null },
  merchant: { id: merchantId, name: "n", email: "e", status: "active", createdAt: 0, updatedAt: 0 },
});

describe("authenticated-key cache", () => {
  it("serves a key until its TTL passes, then forgets it", () => {
    cacheKey("hash-ttl", entry("key_ttl"), 1_000);
    expect(getCachedKey("hash-ttl", 1_000 + KEY_CACHE_TTL_MS - 1)?.key.id).toBe("key_ttl");
    expect(getCachedKey("hash-ttl", 1_000 + KEY_CACHE_TTL_MS)).toBeUndefined();
  });

  it("evicts a key by id, as revocation does", () => {
    cacheKey("hash-evict", entry("key_evict"), 1_000);
    evictKey("key_evict");
    expect(getCachedKey("hash-evict", 1_001)).toBeUndefined();
  });

  it("evicts every key of a merchant and no other's, as a suspension or reactivation does", () => {
    cacheKey("hash-test", entry("key_test", "m_suspended"), 1_000);
    cacheKey("hash-live", entry("key_live", "m_suspended"), 1_000);
    cacheKey("hash-other", entry("key_other", "m_other"), 1_000);
    evictMerchant("m_suspended");
    expect(getCachedKey("hash-test", 1_001)).toBeUndefined();
    expect(getCachedKey("hash-live", 1_001)).toBeUndefined();
    expect(getCachedKey("hash-other", 1_001)?.key.id).toBe("key_other");
  });
});
