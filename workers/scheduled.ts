// Cron trigger: periodic housekeeping that needs no request to start it.
import { lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { SHARDS, sandboxShard } from "../shared/channels/sandbox/adapter";
import { webhookLogs } from "../shared/db/schema";
import { orderStub } from "../shared/orders/order-no";
import { rollupOrderStatistics } from "../shared/orders/statistics";
import { paymentStub } from "../shared/payments/stub";
import { strandedSubjects } from "../shared/recovery";

/** Inbound webhook audit rows are kept for 90 days. */
export const WEBHOOK_LOG_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

export async function runScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const db = drizzle(env.DB);
  await db.delete(webhookLogs).where(lt(webhookLogs.receivedAt, controller.scheduledTime - WEBHOOK_LOG_RETENTION_MS));
  // The rollup's watermark must not be later than its reads: the scheduled time, or now if earlier.
  await rollupOrderStatistics(env.DB, Math.min(controller.scheduledTime, Date.now()));
  // the sandbox's shards re-arm a stalled schedule (test mode's channel must not strand payments)
  await Promise.all(Array.from({ length: SHARDS }, (_, i) => sandboxShard(env, String(i)).ensureAlarm()));
  // so do payments and orders whose outbox or notifications may wait without an alarm
  const stranded = await strandedSubjects(env.DB, controller.scheduledTime);
  const rearmed = await Promise.all([
    ...stranded.paymentNos.map((no) => paymentStub(env, no)?.ensureDrained()),
    ...stranded.orderNos.map((no) => orderStub(env, no)?.ensureDrained()),
  ]);
  const count = rearmed.filter(Boolean).length;
  if (count > 0) console.warn(JSON.stringify({ level: "warn", msg: "re-armed stranded objects", count }));
}
