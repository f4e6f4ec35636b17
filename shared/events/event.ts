// Events for merchants: what happened to a payment or a refund, with the object as the API shows
// it. PaymentDO derives them from each change it commits, in the same transaction, so an event
// exists exactly when its change does.
import { randomBase62 } from "../crypto";
import { paymentJson } from "../payments/payment-json";
import type { PaymentRecord } from "../payments/payment";
import type { PaymentStatus } from "../payments/state-machine";
import { refundJson } from "../refunds/refund-json";
import { toIso } from "../time";
import type { RefundRecord } from "../refunds/refund";

export const EVENT_TYPES = [
  "payment.succeeded",
  "payment.failed",
  "payment.cancelled",
  "payment.requires_action",
  "refund.succeeded",
  "refund.failed",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The payment statuses merchants are told about. */
const NOTIFIED: readonly PaymentStatus[] = ["succeeded", "failed", "cancelled", "requires_action"];

export interface EventRecord {
  id: string;
  type: EventType;
  merchantId: string;
  livemode: boolean;
  paymentNo: string;
  refundNo: string | null;
  /** Position among the payment's events: later events are never delivered before earlier ones. */
  seq: number;
  data: { object: ReturnType<typeof paymentJson> | ReturnType<typeof refundJson> };
  /** The payment's notify_url; null: the merchant's webhook endpoint. */
  targetUrl: string | null;
  createdAt: number;
}

/** The events a committed change reports, numbered from `nextSeq`. */
export function eventsOf(
  payment: PaymentRecord,
  movedTo: PaymentStatus | undefined,
  refunds: RefundRecord[],
  nextSeq: number,
): EventRecord[] {
  const base = {
    merchantId: payment.merchantId,
    livemode: payment.livemode,
    paymentNo: payment.paymentNo,
    targetUrl: payment.notifyUrl,
    createdAt: payment.updatedAt,
  };
  const found: Array<Omit<EventRecord, "id" | "seq">> = [];
  if (movedTo && NOTIFIED.includes(movedTo)) {
    found.push({ ...base, type: `payment.${movedTo}` as EventType, refundNo: null, data: { object: paymentJson(payment) } });
  }
  for (const refund of refunds) {
    if (refund.status === "pending") continue;
    found.push({ ...base, type: `refund.${refund.status}`, refundNo: refund.refundNo, data: { object: refundJson(refund) } });
  }
  return found.map((event, i) => ({ ...event, id: `evt_${randomBase62(24)}`, seq: nextSeq + i }));
}

export const eventJson = (e: EventRecord) => ({
  id: e.id,
  object: "event" as const,
  type: e.type,
  created: toIso(e.createdAt),
  livemode: e.livemode,
  payment_no: e.paymentNo,
  refund_no: e.refundNo,
  data: e.data,
});
