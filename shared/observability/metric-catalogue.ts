// Every metric GET /metrics exposes: its name, kind, help text and labels. The exposition, the
// Grafana dashboard and the alert rules (docs/observability/) are checked against this one list.
export type MetricKind = "counter" | "gauge" | "histogram";

export interface MetricSpec {
  kind: MetricKind;
  help: string;
  labels: readonly string[];
  /** A histogram's bucket upper bounds (the +Inf bucket is implied). */
  buckets?: readonly number[];
}

/** Seconds: a channel's answer, or how long a change took to reach D1. */
const LATENCY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

export const METRICS = {
  edgepay_payment_transitions_total: {
    kind: "counter",
    help: "Payments entering each status, by channel and mode.",
    labels: ["channel", "status", "mode"],
  },
  edgepay_payment_succeeded_amount_total: {
    kind: "counter",
    help: "Amount of succeeded payments, in the currency's minor unit.",
    labels: ["currency", "mode"],
  },
  edgepay_channel_call_duration_seconds: {
    kind: "histogram",
    help: "Calls to payment channels by channel, operation and outcome (ok, declined, error, unavailable).",
    labels: ["channel", "operation", "outcome"],
    buckets: LATENCY_BUCKETS,
  },
  edgepay_webhook_ingress_total: {
    kind: "counter",
    help: "Channel webhooks received, by channel and result (accepted, duplicate, refused).",
    labels: ["channel", "result"],
  },
  edgepay_notification_deliveries_total: {
    kind: "counter",
    help: "Attempts to deliver merchant notifications, by outcome (delivered, retry, failed).",
    labels: ["outcome"],
  },
  edgepay_email_deliveries_total: {
    kind: "counter",
    help: "Attempts to send emails (receipts, operator alerts), by kind and outcome (sent, retry, failed).",
    labels: ["kind", "outcome"],
  },
  edgepay_dead_letters: {
    kind: "gauge",
    help: "Dead letters parked and not yet replayed, by queue.",
    labels: ["queue"],
  },
  edgepay_channel_callbacks_waiting: {
    kind: "gauge",
    help: "Verified channel callbacks stored and not yet applied to their payment.",
    labels: [],
  },
  edgepay_projection_lag_seconds: {
    kind: "histogram",
    help: "Time from a Durable Object's commit to its projection in D1, by record (payment, order).",
    labels: ["record"],
    buckets: LATENCY_BUCKETS,
  },
  edgepay_routing_circuits: {
    kind: "gauge",
    help: "Merchants' routing circuits, by channel and state (closed, open, half_open).",
    labels: ["channel", "state"],
  },
} as const satisfies Record<string, MetricSpec>;

export type MetricName = keyof typeof METRICS;
