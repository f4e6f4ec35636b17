// What a million payment lifecycles cost at Cloudflare's list prices, from what the bench measured
// per lifecycle (bench/lifecycle.mjs). Marginal prices: the monthly allowances of the Workers Paid
// plan (10 M requests, 30 M CPU-ms, 1 M Durable Object requests, 50 M rows written, 1 M queue
// operations, …) are left out, so this is what the millionth million costs.

export const PRICES_READ_ON = "2026-11-25";

/** USD per unit, from developers.cloudflare.com's pricing pages for Workers, Durable Objects, D1 and Queues. */
const PRICE = {
  workerRequest: 0.3 / 1e6,
  cpuMs: 0.02 / 1e6,
  objectRequest: 0.15 / 1e6, // RPC calls and alarm invocations alike
  sqliteRowWritten: 1.0 / 1e6, // Durable Objects' SQLite storage and D1
  sqliteRowRead: 0.001 / 1e6,
  queueOperation: 0.4 / 1e6, // per 64 KB written, read or deleted: a message is three
};

const MILLION = 1e6;

export function costOfAMillion(lifecycle) {
  const p = lifecycle.per_payment;
  const lines = [
    // a webhook from a real channel is a request of its own, as the sandbox's are here
    { item: "Worker requests (API, webhooks, queue batches)", quantity: p.worker_invocations * MILLION, unit: PRICE.workerRequest },
    // an upper bound: locally workerd also runs D1, the queue broker and the sandbox channel
    { item: "Worker CPU (ms, as measured locally)", quantity: lifecycle.lifecycle_cpu_ms * MILLION, unit: PRICE.cpuMs },
    { item: "Durable Object requests (RPC, alarms)", quantity: p.object_requests * MILLION, unit: PRICE.objectRequest },
    // the platform's objects; the sandbox channel's own rows would be a real channel's
    { item: "Durable Object SQLite rows written", quantity: (p.object_rows_written - p.object_rows_written_by_the_sandbox) * MILLION, unit: PRICE.sqliteRowWritten },
    { item: "Durable Object SQLite rows read", quantity: p.object_rows_read * MILLION, unit: PRICE.sqliteRowRead },
    { item: "D1 rows written (index entries count)", quantity: p.d1_rows_written * MILLION, unit: PRICE.sqliteRowWritten },
    { item: "D1 rows read", quantity: p.d1_rows_read * MILLION, unit: PRICE.sqliteRowRead },
    { item: "Queue operations (3 a message)", quantity: p.queue_messages * 3 * MILLION, unit: PRICE.queueOperation },
  ].map(({ item, quantity, unit }) => ({ item, quantity: Math.round(quantity), usd: +(quantity * unit).toFixed(2) }));
  return { lines, total_usd: +lines.reduce((sum, line) => sum + line.usd, 0).toFixed(2), prices_read_on: PRICES_READ_ON };
}
