// The API's shapes that more than one area of the dashboard reads, as the route contracts declare
// them (workers/routes/**; written out here, since the bundle must not import the Worker's code).
// The shapes one area alone reads stay beside its pages.
import type { PaymentStatus } from "../../shared/payments/state-machine";
import type { RiskAction, RuleResult } from "../../shared/risk/decision";

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

/** RoutingSchema: how a routing configuration chose the channel (a dry run answers it too). */
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

/** RiskSchema: what the risk rules decided before any channel was called (a dry run answers it too). */
export interface Risk {
  action: RiskAction;
  score: number | null;
  rule: { id: string; name: string; platform: boolean; builtin?: true } | null;
  rules: RuleResult[];
  evaluated_at: string;
}

/** EventSchema (named so as not to hide the DOM's Event). */
export interface ApiEvent {
  id: string;
  object: "event";
  type: string;
  created: string;
  livemode: boolean;
  payment_no: string | null;
  refund_no: string | null;
  order_no: string | null;
  data: { object: unknown };
  delivery: { status: "pending" | "delivered" | "failed" | "skipped"; attempts: number; delivered_at: string | null };
}

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  url: string;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
}

/** GET /api/v1/events/{id}: the event and its delivery attempts. */
export interface EventWithAttempts extends ApiEvent {
  attempts: DeliveryAttempt[];
}

/** GET /api/v1/channels: a channel, in the mode asked. */
export interface Channel {
  object: "channel";
  channel: string;
  /** Takes payments in this mode. */
  configured: boolean;
  account: "merchant" | "platform" | null;
  modes: Array<"test" | "live">;
  currencies: string[];
  payment_methods: string[] | null;
  merchant_credentials: boolean;
}

export interface ApiKey {
  id: string;
  object: "api_key";
  livemode: boolean;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** A key as the call that made it answers: the only time its secret is shown. */
export interface IssuedApiKey extends ApiKey {
  secret: string;
}

/** A person who signs in to a merchant's dashboard (its team, as owners and operators see it). */
export interface DashboardUser {
  id: string;
  object: "dashboard_user";
  email: string;
  role: "owner" | "developer" | "analyst";
  created_at: string;
}
