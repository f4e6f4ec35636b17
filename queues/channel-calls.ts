// Consumer of channel-calls: runs each queued channel call (refunds) in its PaymentDO. A call the
// channel could not take is retried with backoff; after max_retries it parks in the dead-letter
// queue, from where an operator can replay it (the refund stays pending, its amount reserved).
import type { RefundCallMessage } from "../shared/refunds/refund";
import { paymentStub } from "../shared/payments/stub";
import { retryDelaySeconds } from "./channel-events";

export async function consumeChannelCalls(batch: MessageBatch<RefundCallMessage>, env: Env) {
  await Promise.all(
    batch.messages.map(async (message) => {
      const { paymentNo, refundNo } = message.body;
      try {
        const stub = paymentStub(env, paymentNo);
        const result = stub ? await stub.executeRefund(refundNo) : { retry: false };
        if (result.retry) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
        else message.ack();
      } catch (error) {
        console.error(JSON.stringify({ level: "error", msg: "channel call failed", refund_no: refundNo, error: String(error) }));
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }),
  );
}
