// Consumer of channel-calls: runs each queued channel call (refunds, completions of approved
// payments, status syncs) in its PaymentDO. A call the channel could not take is retried with backoff; after
// max_retries it parks in the dead-letter queue, from where an operator can replay it (a refund
// stays pending, its amount reserved; an approved payment stays processing, and status sync
// completes it as well).
import type { ChannelCallMessage } from "../shared/payments/channel-calls";
import { runTraced } from "../shared/observability/log-context";
import { paymentStub } from "../shared/payments/stub";
import { retryDelaySeconds } from "./retries";
import { log } from "../shared/observability/logger";

function run(stub: NonNullable<ReturnType<typeof paymentStub>>, call: ChannelCallMessage) {
  switch (call.type) {
    case "refund.create":
      return stub.executeRefund(call.refundNo);
    case "payment.complete":
      return stub.executeCompletion();
    case "payment.sync":
      return stub.executeSync();
    case "payment.attempt":
      return stub.executeAttempt();
  }
}

export async function consumeChannelCalls(batch: MessageBatch<ChannelCallMessage>, env: Env) {
  await Promise.all(
    batch.messages.map((message) => runTraced(message.body.traceparent, async () => {
      const call = message.body;
      try {
        const stub = paymentStub(env, call.paymentNo);
        const result = !stub ? { retry: false } : await run(stub, call);
        if (result.retry) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
        else message.ack();
      } catch (error) {
        log.error("channel call failed", { call, error: String(error) });
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    })),
  );
}
