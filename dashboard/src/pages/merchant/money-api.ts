// The API's shapes only the money pages read, as the route contracts declare them
// (workers/routes/{payments,refunds,orders,statistics}/*; the shared ones are in api-types.ts), and
// where each thing's page is.
import type { Failure } from "../../api-types";
import { BASE } from "../../paths";
import type { OrderStatus } from "../../../../shared/orders/state-machine";
import type { PaymentStatus } from "../../../../shared/payments/state-machine";

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
