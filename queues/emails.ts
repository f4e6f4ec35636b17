// Consumer of email messages (from the notifications queue): each (dedupe key, recipient) is sent
// at most once. The row is found or made, then claimed (pending → sending) before SMTP is spoken:
// a delivery that finds it sending met a send that died mid-way, which may have reached the
// customer, so it is marked unknown and not sent again. A transient SMTP failure is retried on
// NOTIFY_RETRY_SCHEDULE, then the email is failed and parked; a permanent one fails at once.
import { renderAlert } from "../shared/email/alerts";
import { claimEmail, emailFor, markUnknown, recordAttempt } from "../shared/email/email-store";
import type { EmailContent } from "../shared/email/layout";
import type { EmailMessage } from "../shared/email/message";
import { renderReceipt } from "../shared/email/receipts";
import { receiptSender } from "../shared/email/receipt-settings";
import { sendEmail, SmtpError, smtpConfigured } from "../shared/email/smtp";
import { annotate, outgoingTraceparent } from "../shared/observability/log-context";
import { log } from "../shared/observability/logger";
import { parkDeadLetter } from "./dead-letters";
import { retryDelaySeconds, retrySchedule, withJitter } from "./retries";

interface Composed {
  content: EmailContent;
  fromName?: string;
  replyTo?: string;
}

/** The email to send, or null when its merchant does not send receipts (nothing is stored then). */
async function compose(env: Env, body: EmailMessage): Promise<Composed | null> {
  if (body.merchantId === null) return { content: renderAlert(body.alert) };
  const sender = await receiptSender(env, body.merchantId);
  if (!sender) return null;
  return { content: renderReceipt(body.type, body.receipt, sender), fromName: sender.businessName, replyTo: sender.supportEmail };
}

/** Message-ID from the email's id, so that a receiving server could drop a duplicate too. */
const messageId = (env: Env, emailId: string) => `<${emailId}@${env.SMTP_FROM.split("@")[1] || "localhost"}>`;

type Outcome = { ack: true } | { ack: false; retryInSeconds: number };

async function sendOnce(env: Env, body: EmailMessage, queueMessageId: string): Promise<Outcome> {
  const composed = await compose(env, body);
  if (!composed) return { ack: true };
  if (!smtpConfigured(env)) {
    log.warn("email not sent: SMTP is not configured", { kind: body.type, dedupe_key: body.dedupeKey });
    return { ack: true };
  }
  const email = await emailFor(env, body);
  const fields = { email_id: email.id, kind: email.kind, dedupe_key: email.dedupeKey };
  if (email.status === "sending") {
    await markUnknown(env, email.id);
    log.warn("email left unknown: an earlier attempt stopped while sending, and it is not sent twice", fields);
    return { ack: true };
  }
  if (email.status !== "pending") return { ack: true };
  const attempt = await claimEmail(env, email.id);
  if (attempt === null) return { ack: true };
  try {
    await sendEmail(env, {
      to: body.to,
      fromName: composed.fromName,
      replyTo: composed.replyTo,
      ...composed.content,
      headers: { "Message-ID": messageId(env, email.id), traceparent: outgoingTraceparent() },
    });
  } catch (error) {
    // anything but the server's refusal leaves the email sending: a later delivery marks it unknown
    if (!(error instanceof SmtpError)) throw error;
    const schedule = retrySchedule(env);
    const failed = error.permanent || attempt > schedule.length;
    await recordAttempt(env, email, attempt, failed ? "failed" : "retry", { code: error.code, message: error.message });
    const retryInSeconds = failed ? undefined : withJitter(schedule[attempt - 1]!);
    log.warn("email attempt failed", { ...fields, attempt, smtp_code: error.code, permanent: error.permanent, error: error.message, next_attempt_in_s: retryInSeconds ?? null });
    if (retryInSeconds !== undefined) return { ack: false, retryInSeconds };
    if (!error.permanent) await parkDeadLetter(env, "notifications", queueMessageId, body, attempt);
    return { ack: true };
  }
  await recordAttempt(env, email, attempt, "sent", null);
  log.info("email sent", { ...fields, attempt });
  return { ack: true };
}

export async function consumeEmail(message: Message<EmailMessage>, env: Env): Promise<void> {
  const body = message.body;
  if (body.merchantId !== null) annotate({ merchantId: body.merchantId, paymentNo: body.receipt.paymentNo });
  try {
    const outcome = await sendOnce(env, message.body, message.id);
    if (outcome.ack) message.ack();
    else message.retry({ delaySeconds: outcome.retryInSeconds });
  } catch (error) {
    // our own failure (D1), not the mail server's: this message alone waits and retries
    log.error("email not processed", { kind: message.body.type, dedupe_key: message.body.dedupeKey, error });
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}
