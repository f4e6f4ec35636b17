// Keyset pagination over (created_at, id), newest first, as Stripe lists page.
import { asc, desc, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { invalidRequest } from "../errors";

export interface PageRequest {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

export interface Cursor {
  createdAt: number;
  id: string;
}

interface Keys {
  createdAt: SQLiteColumn;
  id: SQLiteColumn;
}

/**
 * The WHERE and ORDER BY for one page. `findCursor` looks the cursor id up within the caller's
 * own scope, so another merchant's id is refused like an unknown one.
 */
export async function pageClauses(
  keys: Keys,
  page: PageRequest,
  findCursor: (id: string) => Promise<Cursor | undefined>,
): Promise<{ where?: SQL; orderBy: SQL[]; reverse: boolean }> {
  const param = page.startingAfter ? "starting_after" : "ending_before";
  const id = page.startingAfter ?? page.endingBefore;
  if (page.startingAfter && page.endingBefore) {
    throw invalidRequest("parameter_invalid", "Use starting_after or ending_before, not both.", "ending_before");
  }
  if (!id) return { orderBy: [desc(keys.createdAt), desc(keys.id)], reverse: false };
  const cursor = await findCursor(id);
  if (!cursor) throw invalidRequest("resource_missing", `No such object for ${param}: '${id}'.`, param);
  const before = page.startingAfter !== undefined;
  // A row-value comparison lets SQLite seek the (…, created_at, id) index straight to the cursor.
  const where = before
    ? sql`(${keys.createdAt}, ${keys.id}) < (${cursor.createdAt}, ${cursor.id})`
    : sql`(${keys.createdAt}, ${keys.id}) > (${cursor.createdAt}, ${cursor.id})`;
  return before
    ? { where, orderBy: [desc(keys.createdAt), desc(keys.id)], reverse: false }
    : { where, orderBy: [asc(keys.createdAt), asc(keys.id)], reverse: true };
}

/** Cuts the extra row fetched to learn has_more, and restores newest-first order. */
export function toPage<T>(rows: T[], limit: number, reverse: boolean) {
  const data = rows.slice(0, limit);
  if (reverse) data.reverse();
  return { data, hasMore: rows.length > limit };
}
