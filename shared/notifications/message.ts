import type { EmailMessage } from "../email/message";
import type { Traced } from "../observability/trace-context";

/** Whose event it is: a payment's or an order's. Each one's events reach the merchant in order. */
export type NotificationSubject = { paymentNo: string; orderNo?: undefined } | { orderNo: string; paymentNo?: undefined };

/** A notifications-queue message: deliver this event (of this payment or order) to the merchant. */
export type NotificationMessage = NotificationSubject & Traced & {
  kind?: undefined;
  eventId: string;
  /** An explicit resend: delivered again even if it was delivered before. */
  resend?: boolean;
};

/** What the notifications queue carries: events for merchants, and emails (kind "email"). */
export type NotificationsQueueMessage = NotificationMessage | EmailMessage;
