// RiskCounterDO: one per merchant, mode, dimension (email, IP, customer) and hashed value. It hears
// payment outcomes through the payments' outboxes (never on a request's path) and answers the
// velocity figures rules read at create: the last hour in minute buckets, the last day and week in
// hour buckets. Bounded: at most 60 minute rows and 168 hour rows, older ones dropped as new come.
import { CountingObject } from "./counting-object";
import { bucketsFor, keptFrom, windowFigures, type Bucket, type VelocityEvent, type WindowFigures } from "../shared/risk/velocity";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS buckets (
    granularity TEXT NOT NULL, start INTEGER NOT NULL,
    total INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, blocked INTEGER NOT NULL DEFAULT 0,
    total_amount INTEGER NOT NULL DEFAULT 0, failed_amount INTEGER NOT NULL DEFAULT 0, blocked_amount INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (granularity, start)) WITHOUT ROWID;
`;

export class RiskCounterDO extends CountingObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, "RiskCounterDO", SCHEMA);
  }

  /** Counts events (once each while this object stays up) in their minute and hour buckets. */
  async record(events: VelocityEvent[], now = Date.now()): Promise<void> {
    const sql = this.ctx.storage.sql;
    this.countOnce(
      events,
      now,
      (fresh) => {
        for (const b of bucketsFor(fresh, now)) {
          sql.exec(
            `INSERT INTO buckets (granularity, start, total, failed, blocked, total_amount, failed_amount, blocked_amount)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (granularity, start) DO UPDATE SET
               total = total + excluded.total, failed = failed + excluded.failed, blocked = blocked + excluded.blocked,
               total_amount = total_amount + excluded.total_amount, failed_amount = failed_amount + excluded.failed_amount,
               blocked_amount = blocked_amount + excluded.blocked_amount`,
            b.granularity, b.start, b.total, b.failed, b.blocked, b.total_amount_in_usd, b.failed_amount_in_usd, b.blocked_amount_in_usd,
          );
        }
      },
      () => {
        const kept = keptFrom(now);
        sql.exec("DELETE FROM buckets WHERE (granularity = 'minute' AND start < ?) OR (granularity = 'hour' AND start < ?)", kept.minute, kept.hour);
      },
    );
  }

  /** The hourly, daily and weekly figures at `now`: one statement over at most 230 rows. */
  async read(now = Date.now()): Promise<WindowFigures> {
    const rows = this.ctx.storage.sql
      .exec<Bucket>(
        `SELECT granularity, start, total, failed, blocked, total_amount AS total_amount_in_usd,
           failed_amount AS failed_amount_in_usd, blocked_amount AS blocked_amount_in_usd FROM buckets`,
      )
      .toArray();
    return windowFigures(rows, now);
  }
}
