// The channel calls a PaymentDO queues through its outbox (channel-calls queue) instead of making
// them inside a request: a refund, and the completion of a payment its buyer approved at the
// channel (PayPal's capture after CHECKOUT.ORDER.APPROVED). Each is idempotent at the channel.
export type ChannelCallMessage =
  | { type: "refund.create"; paymentNo: string; refundNo: string }
  | { type: "payment.complete"; paymentNo: string };
