// Consumer of every dead-letter queue: a message that exhausted its retries is parked in D1,
// where it can be inspected and replayed. Nothing accepted is dropped.
import { deadLetters } from "../shared/db/schema";
import { drizzle } from "drizzle-orm/d1";
import { newId } from "../shared/ids";

export const DLQ_SUFFIX = "-dlq";

export async function parkDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
  const db = drizzle(env.DB);
  const now = Date.now();
  const rows = batch.messages.map((message) => ({
    id: newId("dl"),
    queue: batch.queue.slice(0, -DLQ_SUFFIX.length),
    messageId: message.id,
    body: JSON.stringify(message.body),
    attempts: message.attempts,
    createdAt: now,
  }));
  // (queue, message_id) is unique, so a redelivered dead letter is parked once.
  await db.insert(deadLetters).values(rows).onConflictDoNothing();
  batch.ackAll();
}

/** Parks one message its consumer gave up on itself (the queue's own retries were not spent). */
export async function parkDeadLetter(env: Env, queue: string, messageId: string, body: unknown, attempts: number): Promise<void> {
  await drizzle(env.DB)
    .insert(deadLetters)
    .values({ id: newId("dl"), queue, messageId, body: JSON.stringify(body), attempts, createdAt: Date.now() })
    .onConflictDoNothing();
}

/** The producer of each queue whose dead letters can be replayed. */
export function producerFor(env: Env, queue: string): Queue | undefined {
  const producers: Record<string, Queue> = {
    "channel-events": env.CHANNEL_EVENTS,
    "channel-calls": env.CHANNEL_CALLS,
    notifications: env.NOTIFICATIONS,
  };
  return producers[queue];
}
