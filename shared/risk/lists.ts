// Each merchant's risk lists per mode (`@blocked_emails` in a rule), in D1 (risk_list_items): a
// list is its name and the values in it, and exists while it has any. Values are kept normalised
// (trimmed, lower-cased), so a rule matches `Ann@Example.com` against `ann@example.com`.
import { z } from "@hono/zod-openapi";
import { and, count, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { riskListItems } from "../db/schema";
import { listPage, type PageRequest } from "../db/pagination";
import type { Owner } from "../payments/payment";

export const MAX_LIST_VALUE_LENGTH = 320;
export const MAX_IMPORT_VALUES = 1000;

export const ListNameSchema = z
  .string()
  .regex(/^[a-z0-9_]{1,40}$/, "must be 1 to 40 of a-z, 0-9 and _")
  .openapi({ example: "blocked_emails" });

/** A value as it is stored and compared: trimmed and lower-cased, then 1 to 320 characters. */
export const ListValueSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "must not be empty (after trimming)")
  .max(MAX_LIST_VALUE_LENGTH, `must be at most ${MAX_LIST_VALUE_LENGTH} characters`)
  .openapi({ example: "fraudster@example.com", description: "Trimmed and lower-cased before it is stored or looked up." });

export type ListItemRow = typeof riskListItems.$inferSelect;

const ownedBy = (owner: Owner) => and(eq(riskListItems.merchantId, owner.merchantId), eq(riskListItems.livemode, owner.livemode));
const inList = (owner: Owner, list: string) => and(ownedBy(owner), eq(riskListItems.list, list));

/** The owner's lists with how many values each holds, by name. */
export const listsOf = (env: Env, owner: Owner) =>
  drizzle(env.DB)
    .select({ name: riskListItems.list, itemCount: count() })
    .from(riskListItems)
    .where(ownedBy(owner))
    .groupBy(riskListItems.list)
    .orderBy(riskListItems.list)
    .all();

/**
 * A page of a list, newest first. Values added in the same millisecond (one import) follow each
 * other in reverse value order; the cursor is a value, unique within its list.
 */
export const listItems = (env: Env, owner: Owner, list: string, page: PageRequest) =>
  listPage(env.DB, riskListItems, { createdAt: riskListItems.createdAt, id: riskListItems.value }, inList(owner, list), [], page);

/**
 * Adds normalised values to a list, in one statement whatever their number (a json_each over them
 * keeps it under D1's 100 bound parameters). A value already there is kept as it was, with its
 * first created_at; a value given twice counts as already there the second time.
 */
export async function addListValues(env: Env, owner: Owner, list: string, values: string[], now = Date.now()) {
  const { results } = await env.DB.prepare(
    `INSERT INTO risk_list_items (merchant_id, livemode, list, value, created_at)
     SELECT ?, ?, ?, value, ? FROM json_each(?) WHERE true
     ON CONFLICT DO NOTHING RETURNING value`,
  )
    .bind(owner.merchantId, owner.livemode ? 1 : 0, list, now, JSON.stringify(values))
    .all<{ value: string }>();
  forgetList(owner, list);
  return { added: results.length, alreadyPresent: values.length - results.length };
}

export const findListItem = (env: Env, owner: Owner, list: string, value: string) =>
  drizzle(env.DB).select().from(riskListItems).where(and(inList(owner, list), eq(riskListItems.value, value))).get();

/** Removes a value; false when the list does not hold it. */
export async function removeListValue(env: Env, owner: Owner, list: string, value: string): Promise<boolean> {
  const removed = await drizzle(env.DB)
    .delete(riskListItems)
    .where(and(inList(owner, list), eq(riskListItems.value, value)))
    .returning({ value: riskListItems.value });
  forgetList(owner, list);
  return removed.length > 0;
}

// ---- the evaluator's read, through an isolate-local cache ----
// A payment's rules read the lists they name at most once per LIST_CACHE_TTL_MS in each isolate.
// A write evicts the list in the isolate that writes it, at once; other isolates see it within the
// TTL. An empty list is cached too (a rule may name a list the merchant has not filled yet). The
// cache holds at most MAX_CACHED_VALUES values over all its lists, oldest entries going first.

export const LIST_CACHE_TTL_MS = 5_000;
const MAX_CACHED_VALUES = 100_000;

const cached = new Map<string, { values: Set<string>; expires: number }>();
let cachedValues = 0;
/** Counts this isolate's writes, so a read that a write overtook does not cache what it read. */
let writes = 0;

const keyOf = (owner: Owner, list: string) => `${owner.merchantId}:${owner.livemode ? "live" : "test"}:${list}`;

function uncache(key: string): void {
  const entry = cached.get(key);
  if (!entry) return;
  cached.delete(key);
  cachedValues -= entry.values.size;
}

function cache(key: string, values: Set<string>, now: number): void {
  uncache(key);
  if (values.size > MAX_CACHED_VALUES) return;
  while (cachedValues + values.size > MAX_CACHED_VALUES) uncache(cached.keys().next().value!);
  cached.set(key, { values, expires: now + LIST_CACHE_TTL_MS });
  cachedValues += values.size;
}

function forgetList(owner: Owner, list: string): void {
  writes++;
  uncache(keyOf(owner, list));
}

/**
 * The values of each named list (an empty set for a list with none), for the rule evaluator:
 * those not cached are read in one statement.
 */
export async function listsFor(env: Env, owner: Owner, names: string[], now = Date.now()): Promise<Map<string, Set<string>>> {
  const lists = new Map<string, Set<string>>();
  const missing: string[] = [];
  for (const name of new Set(names)) {
    const entry = cached.get(keyOf(owner, name));
    if (entry && entry.expires > now) lists.set(name, entry.values);
    else missing.push(name);
  }
  if (missing.length === 0) return lists;
  const writesBefore = writes;
  const rows = await drizzle(env.DB)
    .select({ list: riskListItems.list, value: riskListItems.value })
    .from(riskListItems)
    // json_each: any number of names in one statement
    .where(and(ownedBy(owner), sql`${riskListItems.list} IN (SELECT value FROM json_each(${JSON.stringify(missing)}))`))
    .all();
  for (const name of missing) lists.set(name, new Set());
  for (const row of rows) lists.get(row.list)!.add(row.value);
  if (writes === writesBefore) for (const name of missing) cache(keyOf(owner, name), lists.get(name)!, now);
  return lists;
}
