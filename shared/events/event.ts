// Events for merchants: what happened to a payment, a refund or an order, with the object as the
// API shows it. PaymentDO and OrderDO derive them from each change they commit, in the same
// transaction, so an event exists exactly when its change does.
import { randomBase62 } from "../crypto";
import { paymentJson } from "../payments/payment-json";
import type { PaymentRecord } from "../payments/payment";
import type { PaymentStatus } from "../payments/state-machine";
import { refundJson } from "../refunds/refund-json";
import { toIso } from "../time";
import { orderJson } from "../orders/order-json";
import type { OrderRecord } from "../orders/order";
import type { OrderStatus } from "../orders/state-machine";
import type { RefundRecord } from "../refunds/refund";
import type { EventType } from "./event-types";

export { EVENT_TYPES, type EventType } from "./event-types";

/** The payment statuses merchants are told about. */
const NOTIFIED: readonly PaymentStatus[] = ["succeeded", "failed", "cancelled", "requires_action"];

export interface EventRecord {
  id: string;
  type: EventType;
  merchantId: string;
  livemode: boolean;
  /** The payment the event is about; null for an order's event. */
  paymentNo: string | null;
  refundNo: string | null;
  /** The order the event is about; null for a payment's or refund's event. */
  orderNo: string | null;
  /** Position among its payment's (or order's) events: later ones are never delivered first. */
  seq: number;
  data: { object: ReturnType<typeof paymentJson> | ReturnType<typeof refundJson> | ReturnType<typeof orderJson> };
  /** The payment's notify_url; null: the merchant's webhook endpoint. */
  targetUrl: string | null;
  createdAt: number;
}

/**
 * The events a committed change reports, numbered from `nextSeq`: a risk review it opened or
 * closed, its move to a status merchants are told about, an exception it recorded (money that did
 * not go as asked), settled refunds.
 */
export function eventsOf(
  payment: PaymentRecord,
  movedTo: PaymentStatus | undefined,
  refunds: RefundRecord[],
  nextSeq: number,
  exceptionRecorded = false,
  review: "opened" | "closed" | null = null,
): EventRecord[] {
  const base = {
    merchantId: payment.merchantId,
    livemode: payment.livemode,
    paymentNo: payment.paymentNo,
    orderNo: null,
    targetUrl: payment.notifyUrl,
    createdAt: payment.updatedAt,
  };
  const found: Array<Omit<EventRecord, "id" | "seq">> = [];
  if (movedTo && NOTIFIED.includes(movedTo)) {
    found.push({ ...base, type: `payment.${movedTo}` as EventType, refundNo: null, data: { object: paymentJson(payment) } });
  }
  // a review opens as the payment is made (before its first status event) and closes before what the reviewer's rejection does
  if (review === "opened") found.unshift({ ...base, type: "payment.review_opened", refundNo: null, data: { object: paymentJson(payment) } });
  if (review === "closed") found.unshift({ ...base, type: "payment.review_closed", refundNo: null, data: { object: paymentJson(payment) } });
  if (exceptionRecorded) found.push({ ...base, type: "payment.exception", refundNo: null, data: { object: paymentJson(payment) } });
  for (const refund of refunds) {
    if (refund.status === "pending") continue;
    found.push({ ...base, type: `refund.${refund.status}`, refundNo: refund.refundNo, data: { object: refundJson(refund) } });
  }
  return numbered(found, nextSeq);
}

const numbered = (found: Array<Omit<EventRecord, "id" | "seq">>, nextSeq: number): EventRecord[] =>
  found.map((event, i) => ({ ...event, id: `evt_${randomBase62(24)}`, seq: nextSeq + i }));

/** The statuses of an order merchants are told about. */
const ORDER_NOTIFIED: readonly OrderStatus[] = ["paid", "refunded"];

/** The event an order's committed change reports, numbered `nextSeq`. */
export function orderEventsOf(order: OrderRecord, movedTo: OrderStatus | undefined, nextSeq: number): EventRecord[] {
  if (!movedTo || !ORDER_NOTIFIED.includes(movedTo)) return [];
  return numbered(
    [
      {
        type: `order.${movedTo}` as EventType,
        merchantId: order.merchantId,
        livemode: order.livemode,
        paymentNo: null,
        refundNo: null,
        orderNo: order.orderNo,
        targetUrl: null,
        createdAt: order.updatedAt,
        data: { object: orderJson(order) },
      },
    ],
    nextSeq,
  );
}

export const eventJson = (e: EventRecord) => ({
  id: e.id,
  object: "event" as const,
  type: e.type,
  created: toIso(e.createdAt),
  livemode: e.livemode,
  payment_no: e.paymentNo,
  refund_no: e.refundNo,
  order_no: e.orderNo,
  data: e.data,
});
