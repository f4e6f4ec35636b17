// The event types merchants are told about, apart from the events themselves (event.ts) so that
// the dashboard's filters can list them without the code that makes events.
export const EVENT_TYPES = [
  "payment.succeeded",
  "payment.exception",
  "payment.failed",
  "payment.cancelled",
  "payment.requires_action",
  "payment.review_opened",
  "payment.review_closed",
  "refund.succeeded",
  "refund.failed",
  "order.paid",
  "order.refunded",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
