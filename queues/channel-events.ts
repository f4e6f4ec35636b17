// Consumer of channel-events: applies each verified channel event to its PaymentDO, then records
// what came of it on the stored callback. A failure retries the message with backoff; after
// max_retries it parks in the dead-letter queue (and the cron re-drives the stored callback).
// PaymentDO applies an event id once, so redeliveries are harmless.
import { applyEvent, recordResults, type CallbackResult } from "../shared/webhooks/callbacks";
import type { ChannelEventMessage } from "../shared/webhooks/ingress";
import { runTraced } from "../shared/observability/log-context";
import { retryDelaySeconds } from "./retries";
import { log } from "../shared/observability/logger";


export async function consumeChannelEvents(batch: MessageBatch<ChannelEventMessage>, env: Env) {
  const results: CallbackResult[] = [];
  for (const message of batch.messages) {
    const { callbackId, event, traceparent } = message.body;
    await runTraced(traceparent, async () => {
      try {
        results.push(await applyEvent(env, callbackId, event));
        message.ack();
      } catch (error) {
        log.error("channel event not applied", { event_id: event.eventId, error: String(error) });
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    });
  }
  await recordResults(env.DB, results, Date.now());
}
