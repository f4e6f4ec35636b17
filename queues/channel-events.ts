// Consumer of channel-events: applies each verified channel event to its PaymentDO, then marks
// the stored callback. A failure retries the message with backoff; after max_retries it parks
// in the dead-letter queue. PaymentDO applies an event id once, so redeliveries are harmless.
import { inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { paymentCallbacks } from "../shared/db/schema";
import { paymentStub } from "../shared/payments/stub";
import type { ChannelEventMessage } from "../shared/webhooks/ingress";

type CallbackStatus = "applied" | "ignored";

export const retryDelaySeconds = (attempts: number) => Math.min(600, 2 ** attempts);

export async function consumeChannelEvents(batch: MessageBatch<ChannelEventMessage>, env: Env) {
  const settled: Record<CallbackStatus, string[]> = { applied: [], ignored: [] };
  for (const message of batch.messages) {
    const { callbackId, event } = message.body;
    try {
      const stub = event.paymentNo ? paymentStub(env, event.paymentNo) : null;
      const outcome = stub ? await stub.applyChannelEvent(event) : null;
      settled[outcome?.outcome === "applied" ? "applied" : "ignored"].push(callbackId);
      message.ack();
    } catch (error) {
      console.error(JSON.stringify({ level: "error", msg: "channel event not applied", event_id: event.eventId, error: String(error) }));
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
  const db = drizzle(env.DB);
  const now = Date.now();
  const updates = (Object.keys(settled) as CallbackStatus[])
    .filter((status) => settled[status].length > 0)
    .map((status) =>
      db.update(paymentCallbacks).set({ status, processedAt: now }).where(inArray(paymentCallbacks.id, settled[status])),
    );
  if (updates.length > 0) await db.batch(updates as [(typeof updates)[number], ...typeof updates]);
}
