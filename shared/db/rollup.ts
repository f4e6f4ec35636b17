// The cron's daily rollups (order_statistics, payment_statistics): each sums the finished UTC days
// of a projection table into one row per merchant, mode, day and key, and keeps where it stands in
// statistics_rollups. A reader takes the days up to rolled_through from the rollup's table and
// sums the later ones (today, at least) from the records themselves.
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { addDays, DAY_MS, dayStart, utcDay } from "../time";
import { statisticsRollups } from "./schema";

/** UTC days, YYYY-MM-DD, both inclusive. */
export interface DayRange {
  from: string;
  to: string;
}

/** The last day the rollup `name` has written, or null before its first run. */
export async function rolledThrough(db: D1Database, name: string): Promise<string | null> {
  const state = await drizzle(db)
    .select({ rolledThrough: statisticsRollups.rolledThrough })
    .from(statisticsRollups)
    .where(eq(statisticsRollups.name, name))
    .get();
  return state?.rolledThrough ?? null;
}

/**
 * `days` cut at a rollup's rolled_through: the days to read from the rollup's table, and the later
 * ones to sum from the records (either null when there are none).
 */
export function splitAtRollup(through: string | null, days: DayRange): { rolled: DayRange | null; live: DayRange | null } {
  const rolledTo = through === null || through < days.from ? null : through < days.to ? through : days.to;
  const liveFrom = rolledTo === null ? days.from : addDays(rolledTo, 1);
  return {
    rolled: rolledTo === null ? null : { from: days.from, to: rolledTo },
    live: liveFrom > days.to ? null : { from: liveFrom, to: days.to },
  };
}

/** The UTC day (YYYY-MM-DD) of an epoch-ms column, in SQL. */
export const sqlDay = (column: SQLiteColumn) => sql<string>`strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`;

/**
 * Records reach D1 some time after their updated_at (an object's outbox drains with backoff), so
 * each run also looks this far behind the previous run's start for changed records.
 */
export const ROLLUP_LOOKBACK_MS = 60 * 60 * 1000;

export interface RollupResult {
  rolledThrough: string;
  /** Rows inserted or changed (a recomputed row that did not change is not written). */
  rowsWritten: number;
}

/**
 * Runs the rollup `name`: `upserts` recompute every finished UTC day (before the day of
 * `startedAt`) that the previous run did not finish, or that has records updated since its
 * watermark (less the lookback): payments and orders are refunded long after their day. The first
 * run computes every finished day. `startedAt` must not be later than the moment of the call.
 *
 * Each upsert takes ?1 the start of today (the days before it are finished), ?2 the start of the
 * first day not rolled yet, ?3 a record updated at or after this marks its day for recomputing,
 * ?4 the run's start (see `changedDays`), and writes only rows whose figures changed, so a run
 * with nothing new changes nothing but the watermark.
 *
 * Records written to D1 with an updated_at older than the lookback (a backfill) into days already
 * rolled are not seen; deleting the rollup's row of statistics_rollups makes the next run
 * recompute every finished day.
 */
export async function runRollup(db: D1Database, name: string, startedAt: number, upserts: string[]): Promise<RollupResult> {
  const state = await drizzle(db).select().from(statisticsRollups).where(eq(statisticsRollups.name, name)).get();
  const today = utcDay(startedAt);
  const yesterday = addDays(today, -1);
  // Days after the previous rolled_through are rolled whatever their updated_at says: a record
  // last touched while its day was still today is older than the watermark of later runs.
  const unrolledFrom = state?.rolledThrough ? dayStart(state.rolledThrough) + DAY_MS : 0;
  const changedSince = state ? state.watermark - ROLLUP_LOOKBACK_MS : 0;

  // Figures and state in one transaction: a reader that sees rolled_through sees its rows.
  const results = await db.batch([
    ...upserts.map((upsert) => db.prepare(upsert).bind(dayStart(today), unrolledFrom, changedSince, startedAt)),
    db
      .prepare(
        `INSERT INTO statistics_rollups (name, rolled_through, watermark) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET rolled_through = excluded.rolled_through, watermark = excluded.watermark`,
      )
      .bind(name, yesterday, startedAt),
  ]);
  const rowsWritten = results.slice(0, upserts.length).reduce((sum, r) => sum + r.meta.changes, 0);
  return { rolledThrough: yesterday, rowsWritten };
}

/**
 * The CTE `days (merchant_id, livemode, day_start)` of `table` an upsert recomputes: the days not
 * rolled yet and the days with records changed since the watermark, finished days only. They are
 * found through the table's created_at and updated_at indexes (a UNION: SQLite scans the whole
 * table for the same test written with OR).
 */
export const changedDays = (table: string) => `
  days AS (
    SELECT merchant_id, livemode, created_at - created_at % ${DAY_MS} AS day_start
    FROM ${table} WHERE created_at >= ?2 AND created_at < ?1
    UNION
    SELECT merchant_id, livemode, created_at - created_at % ${DAY_MS}
    FROM ${table} WHERE updated_at >= ?3 AND created_at < ?1
  )`;

/** Joins the records `alias` of one `days d` row: its merchant and mode, created that day. */
export const onChangedDay = (alias: string) =>
  `${alias}.merchant_id = d.merchant_id AND ${alias}.livemode = d.livemode
   AND ${alias}.created_at >= d.day_start AND ${alias}.created_at < d.day_start + ${DAY_MS}`;

/** The day of a `days d` row, as YYYY-MM-DD. */
export const changedDay = "strftime('%Y-%m-%d', d.day_start / 1000, 'unixepoch')";
