// The gauges GET /metrics reads at scrape time, each from an index that holds just what it counts
// (test/workers/metrics.test.ts checks their plans): parked dead letters, callbacks not applied
// yet, and the merchants' routing circuits as their health objects last wrote them.
import { CHANNELS } from "../channels/registry";
import { CIRCUIT_DEFAULTS } from "../routing/circuit";
import type { GaugeSample } from "./exposition";

/** The queues whose dead letters are parked in D1 (queues/dead-letters.ts). */
export const PARKING_QUEUES = ["channel-events", "channel-calls", "notifications"] as const;
const CIRCUIT_STATES = ["closed", "open", "half_open"] as const;

export const GAUGE_QUERIES = {
  deadLetters: "SELECT queue, count(*) AS n FROM dead_letters WHERE replayed_at IS NULL GROUP BY queue",
  callbacksWaiting: "SELECT count(*) AS n FROM payment_callbacks WHERE status = 'received'",
  // an open circuit past its cool-down is half-open: read off the clock, as the object does
  circuits: `SELECT channel, CASE WHEN state = 'open' AND changed_at <= ?1 THEN 'half_open' ELSE state END AS state, count(*) AS n
             FROM routing_circuits WHERE state IN ('closed', 'open', 'half_open') GROUP BY 1, 2`,
} as const;

export async function readGauges(db: D1Database, now: number): Promise<GaugeSample[]> {
  const [dead, waiting, circuits] = await db.batch([
    db.prepare(GAUGE_QUERIES.deadLetters),
    db.prepare(GAUGE_QUERIES.callbacksWaiting),
    db.prepare(GAUGE_QUERIES.circuits).bind(now - CIRCUIT_DEFAULTS.cooldownMs),
  ]);
  const parked = new Map((dead!.results as Array<{ queue: string; n: number }>).map((r) => [r.queue, r.n]));
  const circuitCount = new Map((circuits!.results as Array<{ channel: string; state: string; n: number }>).map((r) => [`${r.channel}:${r.state}`, r.n]));
  // every queue, channel and state has a sample (zero until something is counted): a panel or an
  // alert reads 0, not "no data"
  return [
    ...PARKING_QUEUES.map((queue): GaugeSample => ({ name: "edgepay_dead_letters", labels: { queue }, value: parked.get(queue) ?? 0 })),
    { name: "edgepay_channel_callbacks_waiting", labels: {}, value: (waiting!.results[0] as { n: number }).n },
    ...CHANNELS.flatMap((channel) =>
      CIRCUIT_STATES.map((state): GaugeSample => ({ name: "edgepay_routing_circuits", labels: { channel, state }, value: circuitCount.get(`${channel}:${state}`) ?? 0 })),
    ),
  ];
}
