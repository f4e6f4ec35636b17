// Merchants and their API keys in D1.
import { and, desc, eq, ne } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { apiKeys, merchants } from "../db/schema";
import { newId } from "../ids";
import { displayPrefix, generateApiKey, hashApiKey } from "./api-keys";
import { cacheKey, evictKey, evictMerchant, getCachedKey, type CachedKey } from "./key-cache";

export type Db = DrizzleD1Database;
export type Merchant = typeof merchants.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type MerchantStatus = Merchant["status"];

export interface IssuedKey {
  row: ApiKeyRow;
  /** The full key: returned once, at creation, and never stored. */
  secret: string;
}

async function keyRow(merchantId: string, livemode: boolean, now: number): Promise<IssuedKey> {
  const secret = generateApiKey(livemode);
  return {
    secret,
    row: {
      id: newId("key"),
      merchantId,
      livemode,
      keyHash: await hashApiKey(secret),
      keyPrefix: displayPrefix(secret),
      createdAt: now,
      revokedAt: null,
      lastUsedAt: null,
    },
  };
}

/** Creates a merchant with one test and one live key, atomically (one D1 batch). */
export async function createMerchant(db: Db, input: { name: string; email: string }) {
  const now = Date.now();
  const merchant: Merchant = {
    id: newId("mch"),
    name: input.name,
    email: input.email,
    status: "active",
    createdAt: now,
    updatedAt: now,
  };
  const [test, live] = await Promise.all([
    keyRow(merchant.id, false, now),
    keyRow(merchant.id, true, now),
  ]);
  await db.batch([
    db.insert(merchants).values(merchant),
    db.insert(apiKeys).values([test.row, live.row]),
  ]);
  return { merchant, test, live };
}

export async function issueApiKey(db: Db, merchantId: string, livemode: boolean) {
  const issued = await keyRow(merchantId, livemode, Date.now());
  await db.insert(apiKeys).values(issued.row);
  return issued;
}

export function findMerchant(db: Db, id: string) {
  return db.select().from(merchants).where(eq(merchants.id, id)).get();
}

/**
 * Suspends or reactivates a merchant; undefined when there is no such merchant. A merchant already
 * in that status is answered as it is, unwritten. Its keys are evicted from this isolate's cache,
 * so that here they answer by the new status at once (elsewhere within KEY_CACHE_TTL_MS).
 */
export async function setMerchantStatus(db: Db, id: string, status: MerchantStatus) {
  const [changed] = await db
    .update(merchants)
    .set({ status, updatedAt: Date.now() })
    .where(and(eq(merchants.id, id), ne(merchants.status, status)))
    .returning();
  // even when unchanged: another isolate may have changed it after this one cached the keys
  evictMerchant(id);
  return changed ?? findMerchant(db, id);
}

export function listApiKeys(db: Db, merchantId: string) {
  return db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.merchantId, merchantId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .all();
}

/** Revokes one of the merchant's keys; undefined when the merchant has no such key. */
export async function revokeApiKey(db: Db, merchantId: string, keyId: string) {
  const where = and(eq(apiKeys.id, keyId), eq(apiKeys.merchantId, merchantId));
  const key = await db.select().from(apiKeys).where(where).get();
  if (!key) return undefined;
  if (key.revokedAt !== null) return key;
  const [updated] = await db
    .update(apiKeys)
    .set({ revokedAt: Date.now() })
    .where(where)
    .returning();
  evictKey(keyId);
  return updated;
}

/** The key and its merchant for a presented secret: from the isolate's cache, else one D1 lookup. */
export async function findKeyBySecret(db: Db, secret: string, now: number): Promise<CachedKey | undefined> {
  const hash = await hashApiKey(secret);
  const cached = getCachedKey(hash, now);
  if (cached) return cached;
  const found = await db
    .select({ key: apiKeys, merchant: merchants })
    .from(apiKeys)
    .innerJoin(merchants, eq(merchants.id, apiKeys.merchantId))
    .where(eq(apiKeys.keyHash, hash))
    .get();
  if (found) cacheKey(hash, found, now);
  return found;
}

/** Records use at most once an hour per key, so authentication does not write on every request. */
export async function touchApiKey(db: Db, found: CachedKey, now: number) {
  if (found.key.lastUsedAt !== null && now - found.key.lastUsedAt < 3_600_000) return;
  found.key.lastUsedAt = now;
  await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, found.key.id));
}
