// Stored channel events (payment_callbacks) and what came of them. The channel-events consumer
// applies each one as the queue delivers it; the cron re-drives those the queue never delivered
// (a hand-off lost in a crash, say), so an event acknowledged to its channel is never lost.
import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { ChannelEvent, ChannelName } from "../channels/adapter";
import { parseChannelWebhook } from "../channels/registry";
import type { Orm } from "../db/batch";
import { paymentCallbacks } from "../db/schema";
import { paymentStub } from "../payments/stub";
import { log } from "../observability/logger";

/** The `account` of an event that came through the platform's own channel account. */
export const PLATFORM_ACCOUNT = "platform";
export const accountKey = (account: string | null) => account ?? PLATFORM_ACCOUNT;

export interface CallbackResult {
  callbackId: string;
  status: "applied" | "ignored";
  /** Why an ignored event changed nothing. */
  detail: string | null;
}

/** Applies one verified event to its payment; answers what its callback records. */
export async function applyEvent(env: Env, callbackId: string, event: ChannelEvent): Promise<CallbackResult> {
  const stub = event.paymentNo ? paymentStub(env, event.paymentNo) : null;
  if (!stub) {
    const detail = event.paymentNo ? `${event.paymentNo} is not a payment number` : "the event names no payment of this platform";
    return { callbackId, status: "ignored", detail };
  }
  const outcome = await stub.applyChannelEvent(event);
  return { callbackId, status: outcome.outcome, detail: outcome.outcome === "ignored" ? outcome.reason : null };
}

/** D1 binds at most 100 parameters to one statement. */
const IDS_PER_STATEMENT = 90;

/** Records results: applied ones in one statement (per 90), ignored ones each with its reason. */
export async function recordResults(db: D1Database, results: CallbackResult[], now: number): Promise<void> {
  const orm = drizzle(db);
  const applied = results.filter((r) => r.status === "applied").map((r) => r.callbackId);
  const chunks = Array.from({ length: Math.ceil(applied.length / IDS_PER_STATEMENT) }, (_, i) =>
    applied.slice(i * IDS_PER_STATEMENT, (i + 1) * IDS_PER_STATEMENT),
  );
  const statements = [
    ...chunks.map((ids) => orm.update(paymentCallbacks).set({ status: "applied", processedAt: now }).where(inArray(paymentCallbacks.id, ids))),
    ...results
      .filter((r) => r.status === "ignored")
      .map((r) => orm.update(paymentCallbacks).set({ status: "ignored", detail: r.detail, processedAt: now }).where(eq(paymentCallbacks.id, r.callbackId))),
  ];
  if (statements.length > 0) await orm.batch(statements as [(typeof statements)[number], ...typeof statements]);
}

/**
 * Callbacks still `received` `afterMs` after they arrived and not waiting out a backoff, oldest
 * first, through the partial index that holds just the received ones (most callbacks are stored
 * already applied, and never enter it).
 */
export const strandedCallbacks = (orm: Orm, now: number, afterMs: number, limit: number) =>
  orm
    .select()
    .from(paymentCallbacks)
    .where(
      and(
        eq(paymentCallbacks.status, "received"),
        lte(paymentCallbacks.receivedAt, now - afterMs),
        or(isNull(paymentCallbacks.retryAt), lte(paymentCallbacks.retryAt, now)),
      ),
    )
    .orderBy(asc(paymentCallbacks.receivedAt))
    .limit(limit);

/** A re-drive that failed waits 1 min, doubling to 6 h. */
const redriveBackoffMs = (attempts: number) => Math.min(6 * 3_600_000, 60_000 * 2 ** attempts);
/** Re-driven at once by one cron run. */
const REDRIVE_CONCURRENCY = 8;

/**
 * Applies callbacks still `received` `afterMs` after they arrived, oldest first, at most `limit`.
 * One that fails waits with backoff (so it cannot starve the rest); one whose stored body no
 * longer reads as an event is marked failed. Answers how many were applied or ignored, and failed.
 */
export async function redriveCallbacks(env: Env, now: number, afterMs: number, limit: number) {
  const orm = drizzle(env.DB);
  const rows = await strandedCallbacks(orm, now, afterMs, limit);
  const results: CallbackResult[] = [];
  let failed = 0;
  for (let i = 0; i < rows.length; i += REDRIVE_CONCURRENCY) {
    await Promise.all(
      rows.slice(i, i + REDRIVE_CONCURRENCY).map(async (row) => {
        let event: ChannelEvent;
        try {
          const channel = row.channel as ChannelName;
          const parsed = parseChannelWebhook(channel, row.payload);
          event = { ...parsed, channel, paymentNo: parsed.paymentNo ?? row.paymentNo, account: row.account === PLATFORM_ACCOUNT ? null : row.account };
        } catch (error) {
          failed++;
          log.error("stored callback unreadable", { callback_id: row.id, error: String(error) });
          await orm.update(paymentCallbacks).set({ status: "failed", detail: String(error), processedAt: now }).where(eq(paymentCallbacks.id, row.id));
          return;
        }
        try {
          results.push(await applyEvent(env, row.id, event));
        } catch (error) {
          failed++;
          log.warn("callback re-drive failed", { callback_id: row.id, event_id: row.eventId, error: String(error) });
          await orm
            .update(paymentCallbacks)
            .set({ attempts: sql`${paymentCallbacks.attempts} + 1`, retryAt: now + redriveBackoffMs(row.attempts), detail: String(error) })
            .where(eq(paymentCallbacks.id, row.id));
        }
      }),
    );
  }
  await recordResults(env.DB, results, now);
  return { redriven: results.length, failed };
}
