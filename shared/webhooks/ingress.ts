// Channel webhook ingress: verify, record (deduplicated by the channel account's event id), hand
// on. Every inbound request is audited in webhook_logs; only verified events reach
// payment_callbacks and the channel-events queue, whose consumer applies them to PaymentDO. A
// stored callback that the queue never delivers is applied by the cron (./callbacks.ts).
import { and, eq } from "drizzle-orm";
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
import { paymentCallbacks, payments, webhookLogs } from "../db/schema";
import { invalidRequest } from "../errors";
import { newId } from "../ids";
import { accountKey } from "./callbacks";

export interface ChannelEventMessage {
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
    event = { ...(await verifiedEvent(await webhookVerifiers(channel, env, account), headers, rawBody, now)), account };
  } catch (error) {
    const refusal = refusalOf(error);
    await audit({ httpStatus: 400, verified: false, error: refusal.code });
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

  const callbackId = newId("cb");
  const key = { channel, account: accountKey(account), eventId: event.eventId };
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
        receivedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: paymentCallbacks.id }),
    audit({ httpStatus: 200, verified: true, eventId: event.eventId, eventType: event.channelType }),
  ]);
  const duplicate = inserted.length === 0;
  // A redelivery of an event not yet applied is handed on again: the first hand-off may have been
  // lost between the insert and the queue. PaymentDO applies each event id once, so this is safe.
  let pending = !duplicate;
  let id = callbackId;
  if (duplicate) {
    const existing = await db
      .select({ id: paymentCallbacks.id, status: paymentCallbacks.status })
      .from(paymentCallbacks)
      .where(and(eq(paymentCallbacks.channel, key.channel), eq(paymentCallbacks.account, key.account), eq(paymentCallbacks.eventId, key.eventId)))
      .get();
    pending = existing?.status === "received";
    id = existing?.id ?? callbackId;
  }
  if (pending) await env.CHANNEL_EVENTS.send({ callbackId: id, event } satisfies ChannelEventMessage);
  return { eventId: event.eventId, duplicate };
}
