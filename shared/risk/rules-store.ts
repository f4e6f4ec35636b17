// Risk rules in D1 (risk_rules): a merchant's own per mode, and the platform's (merchant_id null)
// that operators write and every merchant's payments meet first. A rule is stored only once its
// predicate parses; creates read the rules through an isolate cache that a write evicts at once
// in the isolate that writes (the others follow within RULES_CACHE_TTL_MS).
import { and, eq, isNull, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { riskRules } from "../db/schema";
import { newId } from "../ids";
import { IsolateCache } from "../isolate-cache";
import type { RiskAction } from "./decision";

export type RiskRuleRow = typeof riskRules.$inferSelect;

/** Whose rules: a merchant's in one mode, or the platform's (merchantId null) in one mode. */
export interface RuleOwner {
  merchantId: string | null;
  livemode: boolean;
}

/** A merchant may keep this many rules per mode, and the platform as many. */
export const MAX_RULES = 100;
export const RULES_CACHE_TTL_MS = 10_000;

const ownedBy = (owner: RuleOwner) =>
  and(owner.merchantId === null ? isNull(riskRules.merchantId) : eq(riskRules.merchantId, owner.merchantId), eq(riskRules.livemode, owner.livemode));

const cache = new IsolateCache<RiskRuleRow[]>(RULES_CACHE_TTL_MS);
const cacheKey = (owner: RuleOwner) => `${owner.merchantId ?? "platform"}:${owner.livemode ? "live" : "test"}`;

/** The owner's rules by position (creation order breaks ties). */
export const listRules = (env: Env, owner: RuleOwner) =>
  drizzle(env.DB).select().from(riskRules).where(ownedBy(owner)).orderBy(riskRules.position, riskRules.createdAt, riskRules.id).all();

export const countRules = async (env: Env, owner: RuleOwner) =>
  (await drizzle(env.DB).select({ n: sql<number>`count(*)` }).from(riskRules).where(ownedBy(owner)).get())?.n ?? 0;

export const findRule = (env: Env, owner: RuleOwner, id: string) =>
  drizzle(env.DB).select().from(riskRules).where(and(ownedBy(owner), eq(riskRules.id, id))).get();

export async function createRule(
  env: Env,
  owner: RuleOwner,
  rule: { name: string; action: RiskAction; predicate: string; shadow: boolean; position?: number },
): Promise<RiskRuleRow> {
  const now = Date.now();
  const merchant = owner.merchantId === null ? sql`merchant_id IS NULL` : sql`merchant_id = ${owner.merchantId}`;
  const [row] = await drizzle(env.DB)
    .insert(riskRules)
    .values({
      id: newId("rsk"),
      merchantId: owner.merchantId,
      livemode: owner.livemode,
      // after the last unless placed: one statement, so concurrent creates keep their order
      position: rule.position ?? sql`(SELECT coalesce(max(position), 0) + 1 FROM risk_rules WHERE ${merchant} AND livemode = ${owner.livemode ? 1 : 0})`,
      name: rule.name,
      action: rule.action,
      predicate: rule.predicate,
      shadow: rule.shadow,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  evictRules(owner);
  return row!;
}

export async function updateRule(
  env: Env,
  owner: RuleOwner,
  id: string,
  change: Partial<{ name: string; action: RiskAction; predicate: string; shadow: boolean; position: number }>,
): Promise<RiskRuleRow | undefined> {
  const [row] = await drizzle(env.DB)
    .update(riskRules)
    .set({ ...change, updatedAt: Date.now() })
    .where(and(ownedBy(owner), eq(riskRules.id, id)))
    .returning();
  evictRules(owner);
  return row;
}

export async function deleteRule(env: Env, owner: RuleOwner, id: string): Promise<boolean> {
  const deleted = await drizzle(env.DB).delete(riskRules).where(and(ownedBy(owner), eq(riskRules.id, id))).returning({ id: riskRules.id });
  evictRules(owner);
  return deleted.length > 0;
}

/** The owner's rules as a create meets them: from this isolate's cache, else one D1 read. */
export const cachedRules = (env: Env, owner: RuleOwner, now = Date.now()): Promise<RiskRuleRow[]> =>
  cache.read(cacheKey(owner), () => listRules(env, owner), now);

export function evictRules(owner: RuleOwner): void {
  cache.evict(cacheKey(owner));
}
