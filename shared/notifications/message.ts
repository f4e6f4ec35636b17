/** A notifications-queue message: deliver this event (of this payment) to the merchant. */
export interface NotificationMessage {
  eventId: string;
  paymentNo: string;
  /** An explicit resend: delivered again even if it was delivered before. */
  resend?: boolean;
}
