// A merchant's risk settings per mode (risk_settings): whether the built-in rules run
// (builtin-rules.ts). A merchant with no row has them on. Creates read the settings through an
// isolate cache that a write evicts at once in the isolate that writes (the others follow within
// SETTINGS_CACHE_TTL_MS).
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { riskSettings } from "../db/schema";
import { IsolateCache } from "../isolate-cache";
import type { Owner } from "../payments/payment";

export interface RiskSettings {
  builtinRules: boolean;
  /** When the merchant last changed them; null if it never did. */
  updatedAt: number | null;
}

const DEFAULTS: RiskSettings = { builtinRules: true, updatedAt: null };

export const SETTINGS_CACHE_TTL_MS = 10_000;

const cache = new IsolateCache<RiskSettings>(SETTINGS_CACHE_TTL_MS);
const cacheKey = (owner: Owner) => `${owner.merchantId}:${owner.livemode ? "live" : "test"}`;

export async function readRiskSettings(env: Env, owner: Owner): Promise<RiskSettings> {
  const row = await drizzle(env.DB)
    .select()
    .from(riskSettings)
    .where(and(eq(riskSettings.merchantId, owner.merchantId), eq(riskSettings.livemode, owner.livemode)))
    .get();
  return row ? { builtinRules: row.builtinRules, updatedAt: row.updatedAt } : DEFAULTS;
}

export async function writeRiskSettings(env: Env, owner: Owner, change: { builtinRules: boolean }, now = Date.now()): Promise<RiskSettings> {
  const settings = { builtinRules: change.builtinRules, updatedAt: now };
  await drizzle(env.DB)
    .insert(riskSettings)
    .values({ merchantId: owner.merchantId, livemode: owner.livemode, ...settings })
    .onConflictDoUpdate({ target: [riskSettings.merchantId, riskSettings.livemode], set: settings });
  cache.evict(cacheKey(owner));
  return settings;
}

/** The owner's settings as a create meets them: from this isolate's cache, else one D1 read. */
export const cachedRiskSettings = (env: Env, owner: Owner, now = Date.now()): Promise<RiskSettings> =>
  cache.read(cacheKey(owner), () => readRiskSettings(env, owner), now);
