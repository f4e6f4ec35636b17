// The order state machine as data. Payments move orders (paid, refunded); merchants ship,
// complete and cancel them. Nothing else decides whether an order may move.

export const ORDER_STATUSES = [
  "pending",
  "paid",
  "shipped",
  "completed",
  "cancelled",
  "partially_refunded",
  "refunded",
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ["paid", "cancelled"],
  paid: ["shipped", "partially_refunded", "refunded"],
  shipped: ["completed", "partially_refunded", "refunded"],
  completed: ["partially_refunded", "refunded"],
  partially_refunded: ["refunded"],
  cancelled: [],
  refunded: [],
};

export const canMoveOrder = (from: OrderStatus, to: OrderStatus) => ORDER_TRANSITIONS[from].includes(to);

/** Orders whose payment has been captured: refunds are taken against them. */
export const REFUNDABLE_ORDER: readonly OrderStatus[] = ["paid", "shipped", "completed", "partially_refunded"];
