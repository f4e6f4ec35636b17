import type { Traced } from "../observability/trace-context";

// The channel calls a PaymentDO queues through its outbox (channel-calls queue) instead of making
// them inside a request: a refund, the completion of a payment its buyer approved at the
// channel (PayPal's capture after CHECKOUT.ORDER.APPROVED), a status sync, a failover's next attempt. Each is idempotent.
export type ChannelCallMessage = Traced & (
  | { type: "refund.create"; paymentNo: string; refundNo: string }
  | { type: "payment.complete"; paymentNo: string }
  /** Asks the channel where the payment stands now (to learn what an exception's buyer paid). */
  | { type: "payment.sync"; paymentNo: string }
  /** Runs the attempt failover started but had no time left to call (the create answered first). */
  | { type: "payment.attempt"; paymentNo: string });
