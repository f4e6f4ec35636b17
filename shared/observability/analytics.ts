// Workers Analytics Engine (binding ANALYTICS, dataset edgepay_events): one data point per channel
// call and per payment transition, for production dashboards over the raw events (GET /metrics
// keeps the aggregates). Both kinds share the dataset; blob1 tells them apart. Columns, as the SQL
// API names them:
//   channel_call        blob2 channel, blob3 operation, blob4 outcome (ok, declined, unavailable,
//                       error); double1 latency (ms); index1 the merchant id, else the channel
//   payment_transition  blob2 channel, blob3 status entered, blob4 status left ("" for a create),
//                       blob5 mode (test, live), blob6 currency; double1 amount (minor units);
//                       index1 the merchant id
// writeDataPoint does not wait and never throws for a full buffer: a lost point is the runtime's call.
import type { ChannelName } from "../channels/registry";
import type { PaymentStatus } from "../payments/state-machine";

export interface ChannelCallPoint {
  channel: ChannelName;
  operation: string;
  outcome: string;
  latencyMs: number;
  merchantId: string | null;
}

export function writeChannelCallPoint(env: Pick<Env, "ANALYTICS">, p: ChannelCallPoint): void {
  env.ANALYTICS.writeDataPoint({
    blobs: ["channel_call", p.channel, p.operation, p.outcome],
    doubles: [p.latencyMs],
    indexes: [p.merchantId ?? p.channel],
  });
}

export interface TransitionPoint {
  merchantId: string;
  livemode: boolean;
  channel: ChannelName;
  from: PaymentStatus | null;
  to: PaymentStatus;
  currency: string;
  amount: number;
}

export function writeTransitionPoint(env: Pick<Env, "ANALYTICS">, p: TransitionPoint): void {
  env.ANALYTICS.writeDataPoint({
    blobs: ["payment_transition", p.channel, p.to, p.from ?? "", p.livemode ? "live" : "test", p.currency],
    doubles: [p.amount],
    indexes: [p.merchantId],
  });
}
