// Keyset pagination over (created_at, id), newest first, as Stripe lists page.
import { and, asc, desc, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { invalidRequest } from "../errors";

export interface PageRequest {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

interface Keys {
  createdAt: SQLiteColumn;
  id: SQLiteColumn;
}

/** The optional equality and time-range filters of a list, as conditions. */
export function filters(
  keys: Keys,
  equal: Array<[SQLiteColumn, string | undefined]>,
  created: { gte?: number; lte?: number },
): Array<SQL | undefined> {
  return [
    ...equal.map(([column, value]) => (value === undefined ? undefined : eq(column, value))),
    created.gte === undefined ? undefined : gte(keys.createdAt, created.gte),
    created.lte === undefined ? undefined : lte(keys.createdAt, created.lte),
  ];
}

/**
 * One page of `table` within `scope` (the caller's merchant and mode; none for operators), newest
 * first. A cursor id is looked up within the same scope, so another merchant's id is refused like
 * an unknown one.
 */
export async function listPage<T extends SQLiteTable>(
  db: D1Database,
  table: T,
  keys: Keys,
  scope: SQL | undefined,
  conditions: Array<SQL | undefined>,
  page: PageRequest,
): Promise<{ data: T["$inferSelect"][]; hasMore: boolean }> {
  const orm = drizzle(db);
  if (page.startingAfter && page.endingBefore) {
    throw invalidRequest("parameter_invalid", "Use starting_after or ending_before, not both.", "ending_before");
  }
  const param = page.startingAfter ? "starting_after" : "ending_before";
  const id = page.startingAfter ?? page.endingBefore;
  const before = page.startingAfter !== undefined;
  let where: SQL | undefined;
  if (id) {
    const cursor = await orm
      .select({ createdAt: keys.createdAt, id: keys.id })
      .from(table as SQLiteTable)
      .where(and(scope, eq(keys.id, id)))
      .get();
    if (!cursor) throw invalidRequest("resource_missing", `No such object for ${param}: '${id}'.`, param);
    // A row-value comparison lets SQLite seek the (…, created_at, id) index straight to the cursor.
    where = before
      ? sql`(${keys.createdAt}, ${keys.id}) < (${cursor.createdAt}, ${cursor.id})`
      : sql`(${keys.createdAt}, ${keys.id}) > (${cursor.createdAt}, ${cursor.id})`;
  }
  const newestFirst = !id || before;
  const order = newestFirst ? [desc(keys.createdAt), desc(keys.id)] : [asc(keys.createdAt), asc(keys.id)];
  const rows = (await orm
    .select()
    .from(table as SQLiteTable)
    .where(and(scope, ...conditions, where))
    .orderBy(...order)
    .limit(page.limit + 1)
    .all()) as T["$inferSelect"][];
  const data = rows.slice(0, page.limit);
  if (!newestFirst) data.reverse();
  return { data, hasMore: rows.length > page.limit };
}
