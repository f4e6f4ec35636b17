// A Durable Object's outbox: rows written in the same SQLite transaction as the change they
// report, read back by the alarm that delivers them, deleted only once all are delivered.
// AUTOINCREMENT: a drain deletes the rows up to the last seq it read, and two drains may overlap
// (the object's own and its alarm's); a seq reused once the table emptied could be deleted undelivered.
import { log } from "../shared/observability/logger";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, payload TEXT NOT NULL,
    created_at INTEGER NOT NULL);
`;

export class Outbox {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  /** Call inside the change's transaction. */
  add(topic: string, payload: unknown, now: number): void {
    this.sql.exec("INSERT INTO outbox (topic, payload, created_at) VALUES (?, ?, ?)", topic, JSON.stringify(payload), now);
  }

  /** Everything waiting, oldest first, with each topic's payloads in order; oldestAt: when the oldest was committed. */
  pending(): { lastSeq: number; oldestAt: number; of: <T>(topic: string) => T[] } | null {
    const rows = this.sql
      .exec<{ seq: number; topic: string; payload: string; created_at: number }>("SELECT seq, topic, payload, created_at FROM outbox ORDER BY seq")
      .toArray();
    if (rows.length === 0) return null;
    return {
      lastSeq: rows.at(-1)!.seq,
      oldestAt: rows[0]!.created_at,
      of: <T>(topic: string) => rows.filter((r) => r.topic === topic).map((r) => JSON.parse(r.payload) as T),
    };
  }

  /** Delivered: rows up to `seq` go. */
  clear(seq: number): void {
    this.sql.exec("DELETE FROM outbox WHERE seq <= ?", seq);
  }

  size(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n;
  }
}

/** Retry delay for a failed drain: 1 s doubling to 5 min. */
const drainBackoff = (attempt: number) => Math.min(300_000, 1000 * 2 ** attempt);

/**
 * Runs an object's drain from its alarm; on failure re-arms the alarm with backoff (left to the
 * runtime's few alarm retries, a long D1 outage would strand the outbox). Answers the number of
 * consecutive failures, which the caller passes back in next time.
 */
export async function drainOrRetry(storage: DurableObjectStorage, failures: number, drain: () => Promise<void>): Promise<number> {
  try {
    await drain();
    return 0;
  } catch (error) {
    const delay = drainBackoff(failures);
    // the driver's error carries the query's parameters (customer data): log only the cause
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "unknown";
    log.warn("outbox drain failed", { retry_in_ms: delay, cause });
    await storage.setAlarm(Date.now() + delay);
    return failures + 1;
  }
}
