// The API's shapes the money pages read, as the route contracts declare them
// (workers/routes/{payments,refunds,orders,events,statistics}/*), and where each thing's page is.
import { BASE } from "../../paths";
import type { OrderStatus } from "../../../../shared/orders/state-machine";
import type { PaymentStatus } from "../../../../shared/payments/state-machine";

export interface Failure {
  code: string;
  message: string;
}

/** PaymentSchema; routing, risk, review and attempts are null in lists. */
export interface Payment {
  object: "payment";
  payment_no: string;
  order_no: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  channel: string;
  payment_method: string | null;
  customer_email: string | null;
  customer_name: string | null;
  description: string | null;
  notify_url: string | null;
  return_url: string | null;
  metadata: Record<string, string>;
  refunded_amount: number;
  failure: Failure | null;
  livemode: boolean;
  paid_at: string | null;
  disputed_at: string | null;
  exceptions: Array<{ code: string; message: string; amount: number | null; currency: string; recorded_at: string }>;
  routing: Routing | null;
  customer_ip: string | null;
  review: { status: "open" | "approved" | "rejected"; opened_at: string; closed_at: string | null } | null;
  risk: Risk | null;
  attempts: Attempt[] | null;
  created_at: string;
  updated_at: string;
}

export interface Attempt {
  attempt_no: number;
  channel: string;
  status: string;
  failure: Failure | null;
  latency_ms: number | null;
  created_at: string;
  updated_at: string;
}

/** RoutingSchema: how a routing configuration chose the channel. */
export interface Routing {
  config: { id: string; version: number } | null;
  strategy: "rule" | "default" | "none";
  rule: string | null;
  leg: number | null;
  candidates: string[];
  skipped: Array<{ channel: string; reason: string }>;
  chosen: string | null;
  dynamic?: {
    scores: Array<{ channel: string; score: number; sample: number; basis: "method_currency" | "channel" | "default" }>;
    explored: string | null;
  } | null;
}

/** RiskSchema: what the risk rules decided before any channel was called. */
export interface Risk {
  action: "allow" | "block" | "review";
  score: number | null;
  rule: { id: string; name: string; platform: boolean } | null;
  rules: Array<{ id: string; name: string; action: "allow" | "block" | "review"; shadow: boolean; platform: boolean; matched: boolean }>;
  evaluated_at: string;
}

/** PaymentTransitionSchema: one move of GET /api/v1/payments/{paymentNo}/timeline. */
export interface Transition {
  from: PaymentStatus | null;
  to: PaymentStatus;
  cause: { type: "api" | "webhook" | "channel" | "sync" | "return" | "risk"; id: string };
  at: string;
}

export type RefundStatus = "pending" | "succeeded" | "failed";

export interface Refund {
  object: "refund";
  refund_no: string;
  payment_no: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  reason: string | null;
  channel: string;
  failure: Failure | null;
  livemode: boolean;
  created_at: string;
  updated_at: string;
}

export interface Order {
  object: "order";
  order_no: string;
  merchant_reference: string | null;
  status: OrderStatus;
  currency: string;
  items: Array<{ product_id: string; product_name: string; unit_price: number; quantity: number; line_total: number }>;
  total_amount: number;
  paid_amount: number;
  refunded_amount: number;
  payment_no: string | null;
  customer_email: string;
  customer_name: string | null;
  shipping: Record<string, string> | null;
  carrier: string | null;
  tracking_no: string | null;
  paid_at: string | null;
  shipped_at: string | null;
  completed_at: string | null;
  cancelled_at: string | null;
  created_at: string;
}

export interface EventSummary {
  id: string;
  object: "event";
  type: string;
  created: string;
  delivery: { status: "pending" | "delivered" | "failed" | "skipped"; attempts: number; delivered_at: string | null };
}

/** GET /api/v1/events/{id}: the event and its delivery attempts. */
export interface EventWithAttempts extends EventSummary {
  attempts: Array<{
    attempt: number;
    at: string;
    url: string;
    status_code: number | null;
    latency_ms: number;
    response_excerpt: string | null;
    error: string | null;
  }>;
}

export interface Channel {
  object: "channel";
  channel: string;
  configured: boolean;
}

/** GET /api/v1/statistics/payments. */
export interface PaymentStatistics {
  object: "payment_statistics";
  from: string;
  to: string;
  days: Array<{
    day: string;
    channel: string;
    currency: string;
    count: number;
    succeeded_count: number;
    failed_count: number;
    success_rate: number | null;
    succeeded_amount: number;
  }>;
  top_failure_codes: Array<{ code: string; count: number }>;
}

export interface CurrencyOverview {
  currency: string;
  payment_count: number;
  succeeded_count: number;
  failed_count: number;
  success_rate: number | null;
  succeeded_amount: number;
  refund_count: number;
  refunded_amount: number;
  dispute_count: number;
  disputed_amount: number;
}

/** GET /api/v1/statistics/overview. */
export interface StatisticsOverview {
  object: "statistics_overview";
  from: string;
  to: string;
  currencies: CurrencyOverview[];
}

export const paymentHref = (paymentNo: string) => `${BASE}/payments/${encodeURIComponent(paymentNo)}`;
export const orderHref = (orderNo: string) => `${BASE}/orders/${encodeURIComponent(orderNo)}`;
