// What a PaymentDO's drain adds to the metrics, in its own D1 batch: the statuses each drained
// snapshot entered, and the amount of those that succeeded. Each snapshot counts only while D1's
// payment row is older than it: the guard runs in the batch's transaction before the upsert that
// moves the row, so a redelivered drain (its rows already written) counts nothing again.
import { sql } from "drizzle-orm";
import type { Orm, Statement } from "../db/batch";
import { countStatement } from "../observability/metrics-store";
import type { PaymentRecord } from "./payment";
import type { PaymentStatus } from "./state-machine";

/** A payment.projection snapshot: the payment, and the statuses its change entered (in order). */
export type ProjectedPayment = PaymentRecord & { entered?: PaymentStatus[] };

export function transitionCounts(orm: Orm, snapshots: ProjectedPayment[]): Statement[] {
  return snapshots.flatMap((s) => {
    const entered = s.entered ?? [];
    if (entered.length === 0) return [];
    const unseen = sql`NOT EXISTS (SELECT 1 FROM payments WHERE payment_no = ${s.paymentNo} AND version >= ${s.version})`;
    const mode = s.livemode ? "live" : "test";
    const times = new Map<PaymentStatus, number>();
    for (const status of entered) times.set(status, (times.get(status) ?? 0) + 1);
    return [
      ...[...times].map(([status, n]) => countStatement(orm, "edgepay_payment_transitions_total", { channel: s.channel, status, mode }, n, unseen)),
      ...(times.has("succeeded") ? [countStatement(orm, "edgepay_payment_succeeded_amount_total", { currency: s.currency, mode }, s.amount, unseen)] : []),
    ];
  });
}
