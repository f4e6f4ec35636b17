// Channel health over every merchant, for the operator: summed from the attempts' projection in D1
// (`transactions`), as the merchants' own figures live in one RoutingHealthDO each. Circuits are
// per merchant (each trips on its own accounts), so there are none here.
import type { ChannelName } from "../channels/registry";
import { successRate } from "../payments/statistics";

export interface PlatformChannelHealth {
  channel: ChannelName;
  /** Attempts created in the window, whatever became of them. */
  attempts: number;
  succeeded: number;
  failed: number;
  /** succeeded / (succeeded + failed), to 4 places; null before any settled. */
  successRate: number | null;
  /** Nearest-rank quantiles of the attempts' create latency; null when none has one. */
  p50Ms: number | null;
  p95Ms: number | null;
  /** Distinct merchants whose payments tried the channel. */
  merchants: number;
}

/**
 * One statement, through idx_transactions_created_at: the window's attempts ranked by latency per
 * channel (those without one last), so the p-quantile is the latency at rank ceil(p × timed).
 */
const PLATFORM_HEALTH = `
  SELECT channel,
         count(*) AS attempts,
         count(*) FILTER (WHERE status = 'succeeded') AS succeeded,
         count(*) FILTER (WHERE status = 'failed') AS failed,
         max(CASE WHEN latency_rank = (timed * 50 + 99) / 100 THEN latency_ms END) AS p50_ms,
         max(CASE WHEN latency_rank = (timed * 95 + 99) / 100 THEN latency_ms END) AS p95_ms,
         count(DISTINCT merchant_id) AS merchants
  FROM (
    SELECT channel, merchant_id, status, latency_ms,
           row_number() OVER (PARTITION BY channel ORDER BY latency_ms IS NULL, latency_ms) AS latency_rank,
           count(latency_ms) OVER (PARTITION BY channel) AS timed
    FROM transactions
    WHERE created_at >= ?1 AND created_at <= ?2 AND livemode = ?3 AND type = 'payment_attempt'
  )
  GROUP BY channel
  ORDER BY channel`;

// the projection writes registry names
type Row = { channel: ChannelName; attempts: number; succeeded: number; failed: number; p50_ms: number | null; p95_ms: number | null; merchants: number };

/** Per channel that had attempts created from `from` to `to` (epoch ms, inclusive) in the mode, by name. */
export async function platformChannelHealth(db: D1Database, livemode: boolean, from: number, to: number): Promise<PlatformChannelHealth[]> {
  const { results } = await db.prepare(PLATFORM_HEALTH).bind(from, to, livemode ? 1 : 0).all<Row>();
  return results.map((r) => ({
    channel: r.channel,
    attempts: r.attempts,
    succeeded: r.succeeded,
    failed: r.failed,
    successRate: successRate(r.succeeded, r.failed),
    p50Ms: r.p50_ms,
    p95Ms: r.p95_ms,
    merchants: r.merchants,
  }));
}
