// The durable figures behind GET /metrics: counters and histograms as D1 rows (metric_counters,
// metric_histograms; d1-migrations/0027). Isolates come and go, so nothing is kept in memory: each
// figure is an upsert that adds to its row, built here so a caller can put it in a D1 batch it
// already sends (one round trip, and the same transaction as the change it counts).
import { sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { writeBatch, type Orm, type Statement } from "../db/batch";
import { metricCounters, metricHistograms } from "../db/schema";
import { METRICS, type MetricName } from "./metric-catalogue";

type LabelsOf<N extends MetricName> = Record<(typeof METRICS)[N]["labels"][number], string>;
type Counter = { [N in MetricName]: (typeof METRICS)[N]["kind"] extends "counter" ? N : never }[MetricName];
type Histogram = { [N in MetricName]: (typeof METRICS)[N]["kind"] extends "histogram" ? N : never }[MetricName];

/** A label value as the text format writes it between quotes. */
const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

/** The canonical label string (keys sorted, values escaped) a row is keyed by: `a="x",b="y"`. */
export function labelString(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}="${escapeLabel(labels[key]!)}"`)
    .join(",");
}

/**
 * Adds `by` to a counter. With `onlyIf` (an SQL condition) it adds only when the condition holds
 * as the statement runs: in a batch, that is a guard read in the same transaction as the change
 * counted, which is how a redelivered batch avoids counting twice.
 */
export function countStatement<N extends Counter>(orm: Orm, name: N, labels: LabelsOf<N>, by = 1, onlyIf: SQL = sql`1`): Statement {
  // INSERT ... SELECT needs its WHERE before ON CONFLICT, else SQLite reads ON as a join's
  return orm
    .insert(metricCounters)
    .select(sql`SELECT ${name}, ${labelString(labels)}, ${by} WHERE ${onlyIf}`)
    .onConflictDoUpdate({ target: [metricCounters.name, metricCounters.labels], set: { value: sql`${metricCounters.value} + excluded.value` } });
}

/** The bucket an observation falls in: the smallest upper bound at or above it, else +Inf. */
export function bucketOf(name: Histogram, value: number): string {
  const le = METRICS[name].buckets.find((bound) => value <= bound);
  return le === undefined ? "+Inf" : String(le);
}

/** One observation of a histogram: its bucket's row counts it and adds it to the bucket's sum. */
export function observeStatement<N extends Histogram>(orm: Orm, name: N, labels: LabelsOf<N>, value: number): Statement {
  return orm
    .insert(metricHistograms)
    .values({ name, labels: labelString(labels), le: bucketOf(name, value), count: 1, sum: value })
    .onConflictDoUpdate({
      target: [metricHistograms.name, metricHistograms.labels, metricHistograms.le],
      set: { count: sql`${metricHistograms.count} + excluded.count`, sum: sql`${metricHistograms.sum} + excluded.sum` },
    });
}

/** Writes figures on their own (when no batch of the caller's can carry them). */
export const recordMetrics = (env: Pick<Env, "DB">, build: (orm: Orm) => Statement[]): Promise<void> => writeBatch(env.DB, build);

/** Adds one to a counter, on its own: for code that has no batch of its own to put it in. */
export const recordCount = <N extends Counter>(env: Pick<Env, "DB">, name: N, labels: LabelsOf<N>, by = 1): Promise<void> =>
  recordMetrics(env, (orm) => [countStatement(orm, name, labels, by)]);

export interface StoredMetrics {
  counters: Array<{ name: string; labels: string; value: number }>;
  histograms: Array<{ name: string; labels: string; le: string; count: number; sum: number }>;
}

/** Every stored figure (both tables are small: one row per label set, or per bucket of one). */
export async function readStoredMetrics(db: D1Database): Promise<StoredMetrics> {
  const orm = drizzle(db);
  const [counters, histograms] = await orm.batch([orm.select().from(metricCounters), orm.select().from(metricHistograms)]);
  return { counters, histograms };
}
