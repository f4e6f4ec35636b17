// Consumer of notifications: POSTs each event to the merchant (the payment's notify_url, else
// the merchant's webhook endpoint), signed, and logs every attempt. A 2xx within 10 s is
// delivered; anything else is retried on the configured schedule (NOTIFY_RETRY_SCHEDULE, with
// jitter), and after the last attempt the event is marked failed and parked for resend. Either
// way the payment's (or order's) next event is then released (their Durable Objects order them).
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { deadLetters, eventDeliveries, events, webhookEndpoints } from "../shared/db/schema";
import { eventJson } from "../shared/events/event";
import { eventFromRow } from "../shared/events/event-store";
import { newId } from "../shared/ids";
import type { NotificationMessage } from "../shared/notifications/message";
import { sendNotification } from "../shared/notifications/send";
import { orderStub } from "../shared/orders/order-no";
import { paymentStub } from "../shared/payments/stub";
import { retryDelaySeconds } from "./channel-events";

/** Seconds to wait before each retry; its length is the number of retries. */
export function retrySchedule(env: Env): number[] {
  return (env.NOTIFY_RETRY_SCHEDULE || "60").split(",").map((s) => Number(s.trim()));
}

/** ±10 % jitter, so endpoints that come back are not hit by every retry at once. */
const withJitter = (seconds: number) => Math.max(0, Math.round(seconds * (0.9 + Math.random() * 0.2)));

type Outcome = "delivered" | "retry" | "failed" | "skipped";

/**
 * One attempt; `queueAttempt` (the queue's count for this message) places it on the schedule.
 * A failed attempt answers the seconds until the next; the event records when that is due, so
 * the cron can tell an attempt lost with its queue message from one that waits.
 */
async function deliver(
  env: Env,
  message: NotificationMessage,
  queueAttempt: number,
): Promise<{ outcome: Outcome; attempt: number; retryInSeconds?: number }> {
  const db = drizzle(env.DB);
  // one read: the event, and its merchant's endpoint (where it goes without a notify_url, and the
  // secret that signs it)
  const found = await db
    .select({ row: events, endpoint: webhookEndpoints })
    .from(events)
    .leftJoin(webhookEndpoints, and(eq(webhookEndpoints.merchantId, events.merchantId), eq(webhookEndpoints.livemode, events.livemode)))
    .where(eq(events.id, message.eventId))
    .get();
  if (!found) return { outcome: "skipped", attempt: 0 };
  const { row } = found;
  const endpoint = found.endpoint ?? undefined;
  if (row.deliveryStatus === "delivered" && !message.resend) return { outcome: "delivered", attempt: row.attempts };
  const event = eventFromRow(row);
  const wanted = endpoint ? (JSON.parse(endpoint.events) as string[]) : [];
  const url = event.targetUrl ?? (endpoint?.url && (wanted.length === 0 || wanted.includes(event.type)) ? endpoint.url : null);
  if (!url) return { outcome: "skipped", attempt: row.attempts };

  const attempt = row.attempts + 1;
  const { statusCode, excerpt, error, startedAt: started, latencyMs, ok } = await sendNotification(env, endpoint, {
    url,
    merchantId: event.merchantId,
    livemode: event.livemode,
    eventId: event.id,
    eventType: event.type,
    body: JSON.stringify(eventJson(event)),
  });
  const schedule = retrySchedule(env);
  const exhausted = !ok && queueAttempt > schedule.length;
  const retryInSeconds = ok || exhausted ? undefined : withJitter(schedule[queueAttempt - 1]!);
  if (!ok) {
    // one line per failed attempt; the URL's host only (its path and query may carry tokens)
    console.warn(
      JSON.stringify({
        level: "warn",
        msg: "notification attempt failed",
        event_id: event.id,
        attempt,
        host: new URL(url).host,
        status_code: statusCode,
        error,
        next_attempt_in_s: retryInSeconds ?? null,
      }),
    );
  }
  await db.batch([
    db.insert(eventDeliveries).values({
      id: newId("dv"),
      eventId: event.id,
      attempt,
      url,
      statusCode,
      latencyMs,
      responseExcerpt: excerpt,
      error,
      createdAt: started,
    }),
    db
      .update(events)
      .set({
        attempts: sql`${events.attempts} + 1`,
        deliveryStatus: ok ? "delivered" : exhausted ? "failed" : "pending",
        deliveredAt: ok ? Date.now() : row.deliveredAt,
        nextAttemptAt: retryInSeconds === undefined ? null : started + retryInSeconds * 1000,
      })
      .where(eq(events.id, event.id)),
  ]);
  return { outcome: ok ? "delivered" : exhausted ? "failed" : "retry", attempt, retryInSeconds };
}

/** Releases the next event of the payment or order this one belongs to. */
const settle = (env: Env, m: NotificationMessage) =>
  m.orderNo !== undefined ? orderStub(env, m.orderNo)?.notificationSettled(m.eventId) : paymentStub(env, m.paymentNo)?.notificationSettled(m.eventId);

export async function consumeNotifications(batch: MessageBatch<NotificationMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      const { outcome, attempt, retryInSeconds } = await deliver(env, message.body, message.attempts);
      if (outcome === "retry") {
        message.retry({ delaySeconds: retryInSeconds });
        continue;
      }
      if (outcome === "failed") {
        // parked like any dead letter: listed and replayed through the admin API, or resent
        await drizzle(env.DB)
          .insert(deadLetters)
          .values({ id: newId("dl"), queue: "notifications", messageId: message.id, body: JSON.stringify(message.body), attempts: attempt, createdAt: Date.now() })
          .onConflictDoNothing();
      }
      if (outcome === "skipped") {
        await drizzle(env.DB).update(events).set({ deliveryStatus: "skipped" }).where(eq(events.id, message.body.eventId));
      }
      if (!message.body.resend) await settle(env, message.body);
      message.ack();
    } catch (error) {
      // our own failure (D1, the object), not the merchant's: this message alone waits and retries
      console.error(JSON.stringify({ level: "error", msg: "notification not processed", event_id: message.body.eventId, error: String(error) }));
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
