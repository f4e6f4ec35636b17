// Consumer of notifications: POSTs each event to the merchant (the payment's notify_url, else
// the merchant's webhook endpoint), signed, and logs every attempt. A 2xx within 10 s is
// delivered; anything else is retried on the configured schedule (NOTIFY_RETRY_SCHEDULE, with
// jitter), and after the last attempt the event is marked failed and parked for resend. Either
// way the payment's (or order's) next event is then released (their Durable Objects order them).
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { eventDeliveries, events, webhookEndpoints } from "../shared/db/schema";
import { eventJson } from "../shared/events/event";
import { eventFromRow } from "../shared/events/event-store";
import { newId } from "../shared/ids";
import { countStatement } from "../shared/observability/metrics-store";
import type { EmailMessage } from "../shared/email/message";
import type { NotificationMessage, NotificationsQueueMessage } from "../shared/notifications/message";
import { sendNotification } from "../shared/notifications/send";
import { orderStub } from "../shared/orders/order-no";
import { paymentStub } from "../shared/payments/stub";
import { annotate, runTraced } from "../shared/observability/log-context";
import { retryDelaySeconds, retrySchedule, withJitter } from "./retries";
import { parkDeadLetter } from "./dead-letters";
import { consumeEmail } from "./emails";
import { log } from "../shared/observability/logger";

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
  annotate({ merchantId: event.merchantId, paymentNo: event.paymentNo ?? undefined, orderNo: event.orderNo ?? undefined });
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
  if (ok) log.info("notification delivered", { event_id: event.id, event_type: event.type, attempt, status_code: statusCode, latency_ms: latencyMs });
  if (!ok) {
    // one line per failed attempt; the URL's host only (its path and query may carry tokens)
    log.warn("notification attempt failed", {
      event_id: event.id,
      attempt,
      host: new URL(url).host,
      status_code: statusCode,
      error,
      next_attempt_in_s: retryInSeconds ?? null,
    });
  }
  const outcome = ok ? "delivered" : exhausted ? "failed" : "retry";
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
    // counted with the attempt's own row: once per attempt recorded
    countStatement(db, "edgepay_notification_deliveries_total", { outcome }),
  ]);
  return { outcome, attempt, retryInSeconds };
}

/** Releases the next event of the payment or order this one belongs to. */
const settle = (env: Env, m: NotificationMessage) =>
  m.orderNo !== undefined ? orderStub(env, m.orderNo)?.notificationSettled(m.eventId) : paymentStub(env, m.paymentNo)?.notificationSettled(m.eventId);

export async function consumeNotifications(batch: MessageBatch<NotificationsQueueMessage>, env: Env): Promise<void> {
  // each message in the trace of the work that sent it: its delivery carries that trace on
  for (const message of batch.messages) {
    await runTraced(message.body.traceparent, () =>
      message.body.kind === "email" ? consumeEmail(message as Message<EmailMessage>, env) : consumeNotification(message as Message<NotificationMessage>, env),
    );
  }
}

async function consumeNotification(message: Message<NotificationMessage>, env: Env): Promise<void> {
  try {
    const { outcome, attempt, retryInSeconds } = await deliver(env, message.body, message.attempts);
    if (outcome === "retry") {
      message.retry({ delaySeconds: retryInSeconds });
      return;
    }
    if (outcome === "failed") {
      // parked like any dead letter: listed and replayed through the admin API, or resent
      await parkDeadLetter(env, "notifications", message.id, message.body, attempt);
    }
    if (outcome === "skipped") {
      await drizzle(env.DB).update(events).set({ deliveryStatus: "skipped" }).where(eq(events.id, message.body.eventId));
    }
    if (!message.body.resend) await settle(env, message.body);
    message.ack();
  } catch (error) {
    // our own failure (D1, the object), not the merchant's: this message alone waits and retries
    log.error("notification not processed", { event_id: message.body.eventId, error: String(error) });
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}
