// An order as OrderDO holds it, its items and totals, and the outcomes OrderDO answers with.
import { findCurrency } from "../money/currencies";
import type { OrderStatus } from "./state-machine";

export interface OrderItem {
  productId: string;
  productName: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
}

export interface OrderRecord {
  orderNo: string;
  merchantId: string;
  livemode: boolean;
  merchantReference: string | null;
  customerEmail: string;
  customerName: string | null;
  currency: string;
  items: OrderItem[];
  totalAmount: number;
  paidAmount: number;
  refundedAmount: number;
  status: OrderStatus;
  /** The payment that paid the order (or the latest attempt while it is pending). */
  paymentNo: string | null;
  /** Every payment started for the order, oldest first: only these may move it. */
  paymentNos: string[];
  shipping: Record<string, string> | null;
  carrier: string | null;
  trackingNo: string | null;
  metadata: Record<string, string>;
  paidAt: number | null;
  shippedAt: number | null;
  completedAt: number | null;
  cancelledAt: number | null;
  version: number;
  /** The W3C trace its create request came in; absent on orders from before traces. */
  traceId?: string | null;
  createdAt: number;
  updatedAt: number;
}

export type NewOrder = Pick<
  OrderRecord,
  "orderNo" | "merchantId" | "livemode" | "merchantReference" | "customerEmail" | "customerName" | "currency" | "shipping" | "metadata"
> & { items: Array<Omit<OrderItem, "lineTotal">> };

/** Why an order moved, and who moved it: the merchant (API), or the platform (a payment). */
export interface OrderCause {
  cause: string;
  actor: "merchant" | "system";
}

export interface OrderLog {
  from: OrderStatus | null;
  to: OrderStatus;
  cause: string;
  actor: OrderCause["actor"];
  at: number;
}

export type OrderOutcome =
  | { kind: "created" | "existing"; order: OrderRecord }
  | { kind: "conflict"; order: OrderRecord }
  | { kind: "not_found" }
  | { kind: "unexpected_state"; order: OrderRecord; message: string };

/** At most this many items per order, and this many of one item. */
export const MAX_ITEMS = 100;
export const MAX_QUANTITY = 10_000;

/**
 * Line totals and the order total in integer minor units. Answers a problem (naming the field)
 * when a line or the total passes the currency's ceiling: no float, no silent overflow.
 */
export function priceItems(
  currency: string,
  items: Array<Omit<OrderItem, "lineTotal">>,
): { items: OrderItem[]; total: number } | { problem: string; path: Array<string | number> } {
  const ceiling = findCurrency(currency)?.maxAmount ?? Number.MAX_SAFE_INTEGER;
  const priced: OrderItem[] = [];
  let total = 0;
  for (const [i, item] of items.entries()) {
    const lineTotal = item.unitPrice * item.quantity;
    if (!Number.isSafeInteger(lineTotal) || lineTotal > ceiling) {
      return { problem: `line total ${item.unitPrice} × ${item.quantity} exceeds ${ceiling} minor units for ${currency}`, path: ["items", i, "quantity"] };
    }
    total += lineTotal;
    if (total > ceiling) return { problem: `the order total exceeds ${ceiling} minor units for ${currency}`, path: ["items"] };
    priced.push({ ...item, lineTotal });
  }
  if (total <= 0) return { problem: "the order total must be greater than zero", path: ["items"] };
  return { items: priced, total };
}
