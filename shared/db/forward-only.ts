// The ON CONFLICT clause every projection upsert shares: the listed columns take the incoming
// row's values, and only when its version is newer, so replays and out-of-order drains never
// move a row backwards.
import { sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

export function newerVersionWins<T extends { version: SQLiteColumn }, K extends keyof T & string>(
  table: T,
  target: SQLiteColumn,
  columns: readonly K[],
) {
  return {
    target,
    set: Object.fromEntries(columns.map((k) => [k, sql.raw(`excluded.${(table[k] as SQLiteColumn).name}`)])),
    setWhere: sql`excluded.version > ${table.version}`,
  };
}
