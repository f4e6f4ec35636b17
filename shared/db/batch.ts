// Writes of one change go to D1 together: one round trip, applied atomically (D1 has no
// interactive transactions; a batch is one).
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";

export type Orm = DrizzleD1Database;
export type Statement = BatchItem<"sqlite">;

/** Runs the statements `build` makes as one batch; none, no call. */
export async function writeBatch(db: D1Database, build: (orm: Orm) => Statement[]): Promise<void> {
  const orm = drizzle(db);
  const statements = build(orm);
  if (statements.length === 0) return;
  await orm.batch(statements as [Statement, ...Statement[]]);
}
