// Cron trigger: periodic housekeeping that needs no request to start it, and the reconciliation
// that makes sure nothing accepted waits forever: stored callbacks are re-driven, objects with
// stranded work are re-armed, overdue notifications are handed to the queue again.
import { lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { pruneSignInFailures } from "../shared/access/sign-in-throttle";
import { CHANNEL_DEFINITIONS } from "../shared/channels/registry";
import { enqueueOperatorAlerts } from "../shared/email/operator-alerts";
import { webhookLogs } from "../shared/db/schema";
import { orderStub } from "../shared/orders/order-no";
import { rollupOrderStatistics } from "../shared/orders/statistics";
import { rollupPaymentStatistics } from "../shared/payments/statistics";
import { paymentStub } from "../shared/payments/stub";
import { redriveCallbacks } from "../shared/webhooks/callbacks";
import { reconcileAfterMs, strandedWork } from "../shared/recovery";
import { log } from "../shared/observability/logger";

/** Inbound webhook audit rows are kept for 90 days. */
export const WEBHOOK_LOG_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;
/** Stored callbacks re-driven by one run, oldest first. */
const REDRIVE_LIMIT = 200;


export async function runScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const db = drizzle(env.DB);
  const now = controller.scheduledTime;
  await db.delete(webhookLogs).where(lt(webhookLogs.receivedAt, now - WEBHOOK_LOG_RETENTION_MS));
  await pruneSignInFailures(env.DB, now);
  // circuits opened, dead letters growing: the admin operators hear of each once
  await enqueueOperatorAlerts(env, now);
  // A rollup's watermark must not be later than its reads: the scheduled time, or now if earlier.
  const rollupStart = Math.min(now, Date.now());
  await rollupOrderStatistics(env.DB, rollupStart);
  await rollupPaymentStatistics(env.DB, rollupStart);
  // verified callbacks the queue never delivered are applied here
  const callbacks = await redriveCallbacks(env, now, reconcileAfterMs(env), REDRIVE_LIMIT);
  // each channel's own upkeep (the sandbox re-arms a stalled schedule)
  await Promise.all(CHANNEL_DEFINITIONS.map((definition) => definition.maintain?.(env)));
  // payments and orders whose outbox, notifications or status sync may wait without an alarm
  const stranded = await strandedWork(env.DB, now, reconcileAfterMs(env));
  const rearmed = await Promise.all([
    ...[...stranded.payments].map(([no, overdue]) => paymentStub(env, no)?.ensureDrained(overdue)),
    ...[...stranded.orders].map(([no, overdue]) => orderStub(env, no)?.ensureDrained(overdue)),
  ]);
  const count = rearmed.filter(Boolean).length;
  if (count > 0 || callbacks.redriven > 0 || callbacks.failed > 0) {
    log.warn("reconciled stranded work", { rearmed: count, callbacks_redriven: callbacks.redriven, callbacks_failed: callbacks.failed });
  }
}
