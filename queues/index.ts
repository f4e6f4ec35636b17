// The Worker's queue entry point: each batch goes to the consumer of the queue it came from.
import type { ChannelEventMessage } from "../shared/webhooks/ingress";
import type { ChannelCallMessage } from "../shared/payments/channel-calls";
import { consumeChannelCalls } from "./channel-calls";
import { consumeChannelEvents } from "./channel-events";
import type { NotificationsQueueMessage } from "../shared/notifications/message";
import { consumeNotifications } from "./notifications";
import { DLQ_SUFFIX, parkDeadLetters } from "./dead-letters";

type Consumer = (batch: MessageBatch, env: Env, ctx: ExecutionContext) => Promise<void>;

const consumers: Record<string, Consumer> = {
  "channel-events": (batch, env) => consumeChannelEvents(batch as MessageBatch<ChannelEventMessage>, env),
  "channel-calls": (batch, env) => consumeChannelCalls(batch as MessageBatch<ChannelCallMessage>, env),
  notifications: (batch, env) => consumeNotifications(batch as MessageBatch<NotificationsQueueMessage>, env),
};

export async function handleQueue(batch: MessageBatch, env: Env, ctx: ExecutionContext) {
  if (batch.queue.endsWith(DLQ_SUFFIX)) return parkDeadLetters(batch, env);
  const consumer = consumers[batch.queue];
  // A queue without a consumer yet keeps its messages: they retry, then park as dead letters.
  if (!consumer) throw new Error(`no consumer for queue ${batch.queue}`);
  return consumer(batch, env, ctx);
}
