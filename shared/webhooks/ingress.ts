// Channel webhook ingress: verify, apply to the payment, record (deduplicated by the channel
// account's event id). Every inbound request is audited: a verified new event by its
// payment_callbacks row (with the request id), every other request (refused, or a repeat) in
// webhook_logs. An event its PaymentDO cannot take at once goes through the channel-events
// queue; a stored callback that the queue never delivers is applied by the cron (./callbacks.ts).
import { and, eq, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import {
  ChannelError,
  WebhookPayloadError,
  WebhookVerificationError,
  type ChannelAdapter,
  type ChannelEvent,
  type ChannelName,
  type ParsedEvent,
} from "../channels/adapter";
import { webhookVerifiers } from "../channels/registry";
import { paymentCallbacks, payments, refunds, webhookLogs } from "../db/schema";
import type { Orm } from "../db/batch";
import { invalidRequest } from "../errors";
import { countStatement } from "../observability/metrics-store";
import { log } from "../observability/logger";
import { outgoingTraceparent } from "../observability/log-context";
import type { Traced } from "../observability/trace-context";
import { newId } from "../ids";
import { accountKey, applyEvent, recordResults } from "./callbacks";

export interface ChannelEventMessage extends Traced {
  callbackId: string;
  event: ChannelEvent;
}

export interface IngressResult {
  eventId: string;
  duplicate: boolean;
}

/** The event of a webhook that one of `verifiers` signed; throws the first refusal otherwise. */
async function verifiedEvent(verifiers: ChannelAdapter[], headers: Headers, rawBody: string, now: number): Promise<ParsedEvent> {
  let refusal: unknown = new WebhookVerificationError("webhook_signature_invalid", "No webhook secret is configured for this account.");
  for (const [i, adapter] of verifiers.entries()) {
    try {
      await adapter.verifyWebhook(headers, rawBody, now);
    } catch (error) {
      if (i === 0) refusal = error;
      continue;
    }
    // signed by this account: a body that is not its channel's event is refused as such
    return adapter.parseWebhook(rawBody);
  }
  throw refusal;
}

/** edgepay_webhook_ingress_total, written with the row that records the webhook (its audit). */
const ingressCount = (db: Orm, channel: ChannelName, result: "accepted" | "duplicate" | "refused", onlyIf?: SQL) =>
  countStatement(db, "edgepay_webhook_ingress_total", { channel, result }, 1, onlyIf);

const refusalOf = (error: unknown) => {
  if (error instanceof WebhookVerificationError || error instanceof ChannelError) return invalidRequest(error.code, error.message);
  if (error instanceof WebhookPayloadError) return invalidRequest("webhook_payload_invalid", error.message);
  throw error;
};

/**
 * `account` is the merchant whose own channel account posts to /webhooks/:channel/:account;
 * null for the platform's account. Only that account's secrets can verify the webhook, and event
 * ids are its own: another account cannot take one.
 */
export async function ingestWebhook(
  env: Env,
  channel: ChannelName,
  account: string | null,
  headers: Headers,
  rawBody: string,
  requestId: string,
): Promise<IngressResult> {
  const db = drizzle(env.DB);
  const now = Date.now();
  const audit = (fields: Partial<typeof webhookLogs.$inferInsert> & { httpStatus: number; verified: boolean }) =>
    db.insert(webhookLogs).values({ id: newId("wh"), channel, requestId, receivedAt: now, ...fields });

  let event: ChannelEvent;
  try {
    event = { ...(await verifiedEvent(await webhookVerifiers(channel, env, account), headers, rawBody, now)), channel, account };
  } catch (error) {
    const refusal = refusalOf(error);
    await db.batch([audit({ httpStatus: 400, verified: false, error: refusal.code }), ingressCount(db, channel, "refused")]);
    throw refusal;
  }

  // Some channel objects (disputes, refunds made outside the platform) do not carry our
  // payment_no; the projection knows which payment a channel payment id belongs to.
  if (event.paymentNo === null && event.channelPaymentId !== null) {
    const owner = await db
      .select({ paymentNo: payments.paymentNo })
      .from(payments)
      .where(and(eq(payments.channel, channel), eq(payments.channelPaymentId, event.channelPaymentId)))
      .get();
    event = { ...event, paymentNo: owner?.paymentNo ?? null };
  }
  // and some refund events name only the channel's refund object (BTCPay's payouts, its pull payment)
  if (event.paymentNo === null && event.refundNo === null && event.type.startsWith("refund.") && event.channelObjectId !== null) {
    const owner = await db
      .select({ paymentNo: refunds.paymentNo, refundNo: refunds.refundNo })
      .from(refunds)
      .where(and(eq(refunds.channel, channel), eq(refunds.channelRefundId, event.channelObjectId)))
      .get();
    if (owner) event = { ...event, ...owner };
  }

  const callbackId = newId("cb");
  const key = { channel, account: accountKey(account), eventId: event.eventId };
  // Applied to its payment at once, then stored with what came of it: one D1 write and no queue
  // hop. PaymentDO records each event id durably before it answers, so a crash between the two
  // loses nothing: the channel, unanswered, sends the event again, the object answers what came
  // of it the first time, and the row is written then. An object that cannot take the event now
  // leaves it to the channel-events queue as a stored, received callback.
  const applied = await applyEvent(env, callbackId, event).catch((error: unknown) => {
    log.warn("channel event queued: not applied at once", { event_id: event.eventId, error: String(error) });
    return null;
  });
  // A new event's callback row is its audit record; only a repeat is logged apart. It is counted
  // accepted in the same transaction, only if this request's row (its fresh id) went in.
  const [inserted] = await db.batch([
    db
      .insert(paymentCallbacks)
      .values({
        id: callbackId,
        ...key,
        eventType: event.channelType,
        paymentNo: event.paymentNo,
        refundNo: event.refundNo,
        payload: rawBody,
        requestId,
        status: applied?.status ?? "received",
        detail: applied?.detail ?? null,
        receivedAt: now,
        processedAt: applied ? now : null,
      })
      .onConflictDoNothing(),
    ingressCount(db, channel, "accepted", sql`EXISTS (SELECT 1 FROM payment_callbacks WHERE id = ${callbackId})`),
  ]);
  const duplicate = inserted.meta.changes === 0;
  let stored = callbackId;
  let queued = !duplicate && !applied;
  if (duplicate) {
    const [existing] = await db.batch([
      db
        .select({ id: paymentCallbacks.id, status: paymentCallbacks.status })
        .from(paymentCallbacks)
        .where(and(eq(paymentCallbacks.channel, key.channel), eq(paymentCallbacks.account, key.account), eq(paymentCallbacks.eventId, key.eventId))),
      audit({ httpStatus: 200, verified: true, eventId: event.eventId, eventType: event.channelType }),
      ingressCount(db, channel, "duplicate"),
    ]);
    // A repeat of an event stored but not yet applied (its first hand-off may be lost) is applied
    // now, or handed on again; PaymentDO applies each event id once, so this is safe.
    const first = existing[0];
    if (first?.status === "received") {
      stored = first.id;
      if (applied) await recordResults(env.DB, [{ ...applied, callbackId: stored }], now);
      else queued = true;
    }
  }
  if (queued) await env.CHANNEL_EVENTS.send({ callbackId: stored, event, traceparent: outgoingTraceparent() } satisfies ChannelEventMessage);
  log.info("channel event received", { channel: event.channel, event_id: event.eventId, event_type: event.channelType, duplicate, outcome: applied?.status ?? (queued ? "queued" : "stored") });
  return { eventId: event.eventId, duplicate };
}
