// The versions of each merchant's routing configuration per mode, in D1 (payment_routes). A new
// version is stored inactive; activating one deactivates the other in the same batch (the schema
// allows one active version per merchant and mode); rolling back is activating an older version.
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { paymentRoutes } from "../db/schema";
import { listPage, type PageRequest } from "../db/pagination";
import { newId } from "../ids";
import type { Owner } from "../payments/payment";
import type { RoutingConfig } from "./config";
import { cacheConfig, evictConfig, getCachedConfig } from "./config-cache";

export type ConfigVersionRow = typeof paymentRoutes.$inferSelect;

/** Which stored version a configuration is. */
export interface ConfigRef {
  id: string;
  version: number;
}

export interface ActiveConfig {
  ref: ConfigRef;
  config: RoutingConfig;
}

const ownedBy = (owner: Owner) => and(eq(paymentRoutes.merchantId, owner.merchantId), eq(paymentRoutes.livemode, owner.livemode));

/** Stores `config` (as its schema output it) as the owner's next version, inactive. */
export async function createConfigVersion(env: Env, owner: Owner, config: RoutingConfig): Promise<ConfigVersionRow> {
  const [row] = await drizzle(env.DB)
    .insert(paymentRoutes)
    .values({
      id: newId("rtc"),
      merchantId: owner.merchantId,
      livemode: owner.livemode,
      // one statement, so concurrent creates cannot take the same number (UNIQUE backs it)
      version: sql`(SELECT coalesce(max(version), 0) + 1 FROM payment_routes WHERE merchant_id = ${owner.merchantId} AND livemode = ${owner.livemode ? 1 : 0})`,
      name: config.name,
      config: JSON.stringify(config),
      active: false,
      createdAt: Date.now(),
      activatedAt: null,
    })
    .returning();
  return row!;
}

/** The owner's versions, newest first. */
export const listConfigVersions = (env: Env, owner: Owner, page: PageRequest) =>
  // the version orders the list (two versions may share a millisecond)
  listPage(env.DB, paymentRoutes, { createdAt: paymentRoutes.version, id: paymentRoutes.id }, ownedBy(owner), [], page);

export const findConfigVersion = (env: Env, owner: Owner, id: string) =>
  drizzle(env.DB).select().from(paymentRoutes).where(and(ownedBy(owner), eq(paymentRoutes.id, id))).get();

/** Makes the version the active one; undefined when the owner has no such version. */
export async function activateConfigVersion(env: Env, owner: Owner, id: string): Promise<ConfigVersionRow | undefined> {
  const found = await findConfigVersion(env, owner, id);
  if (!found || found.active) return found;
  const orm = drizzle(env.DB);
  // deactivate first: the partial unique index allows one active row at every statement's end
  const [, activated] = await orm.batch([
    orm.update(paymentRoutes).set({ active: false }).where(and(ownedBy(owner), eq(paymentRoutes.active, true))),
    orm.update(paymentRoutes).set({ active: true, activatedAt: Date.now() }).where(and(ownedBy(owner), eq(paymentRoutes.id, id))).returning(),
  ]);
  evictConfig(owner.merchantId, owner.livemode);
  return activated[0];
}

/** The owner's active configuration, or null: from the isolate's cache, else one D1 read. */
export async function activeConfig(env: Env, owner: Owner, now = Date.now()): Promise<ActiveConfig | null> {
  const cached = getCachedConfig(owner.merchantId, owner.livemode, now);
  if (cached !== undefined) return cached;
  const row = await drizzle(env.DB)
    .select({ id: paymentRoutes.id, version: paymentRoutes.version, config: paymentRoutes.config })
    .from(paymentRoutes)
    .where(and(ownedBy(owner), eq(paymentRoutes.active, true)))
    .get();
  // validated when it was stored, and stored as the schema output it
  const value = row ? { ref: { id: row.id, version: row.version }, config: JSON.parse(row.config) as RoutingConfig } : null;
  cacheConfig(owner.merchantId, owner.livemode, value, now);
  return value;
}
