// The emails table: one row per (dedupe key, recipient), claimed before SMTP is spoken, and every
// attempt. The status moves only forward from pending (sending → sent | failed | unknown; sending →
// pending after a transient failure), each move guarded by the status it leaves.
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { emailAttempts, emails } from "../db/schema";
import { newId } from "../ids";
import { countStatement } from "../observability/metrics-store";
import type { EmailMessage } from "./message";

export type EmailRow = typeof emails.$inferSelect;
export type AttemptOutcome = "sent" | "retry" | "failed";

/** The message's email row: made now (pending), or the one an earlier delivery made. */
export async function emailFor(env: Env, message: EmailMessage, now = Date.now()): Promise<EmailRow> {
  const db = drizzle(env.DB);
  const [, [row]] = await db.batch([
    db
      .insert(emails)
      .values({
        id: newId("em"),
        kind: message.type,
        dedupeKey: message.dedupeKey,
        recipient: message.to,
        merchantId: message.merchantId,
        livemode: message.livemode,
        createdAt: now,
      })
      .onConflictDoNothing(),
    db.select().from(emails).where(and(eq(emails.dedupeKey, message.dedupeKey), eq(emails.recipient, message.to))),
  ]);
  return row!;
}

/** Claims a pending email for one attempt; its attempt number, or null if another delivery holds it. */
export async function claimEmail(env: Env, id: string): Promise<number | null> {
  const [claimed] = await drizzle(env.DB)
    .update(emails)
    .set({ status: "sending", attempts: sql`${emails.attempts} + 1` })
    .where(and(eq(emails.id, id), eq(emails.status, "pending")))
    .returning({ attempts: emails.attempts });
  return claimed?.attempts ?? null;
}

/** A send that died mid-way: whether the mail left is unknown, and it is never sent again. */
export async function markUnknown(env: Env, id: string): Promise<void> {
  await drizzle(env.DB)
    .update(emails)
    .set({ status: "unknown", lastError: "an earlier attempt stopped while sending" })
    .where(and(eq(emails.id, id), eq(emails.status, "sending")));
}

/** The attempt's row, and the email's status after it, in one batch. */
export async function recordAttempt(
  env: Env,
  { id, kind }: { id: string; kind: string },
  attempt: number,
  outcome: AttemptOutcome,
  failure: { code: number | null; message: string } | null,
  now = Date.now(),
): Promise<void> {
  const db = drizzle(env.DB);
  const status = outcome === "sent" ? "sent" : outcome === "retry" ? "pending" : "failed";
  await db.batch([
    // counted with its attempt row, once: a repeated record of the same attempt adds nothing
    countStatement(db, "edgepay_email_deliveries_total", { kind, outcome }, 1, sql`NOT EXISTS (SELECT 1 FROM email_attempts WHERE email_id = ${id} AND attempt = ${attempt})`),
    db
      .insert(emailAttempts)
      .values({ emailId: id, attempt, outcome, smtpCode: failure?.code ?? null, error: failure?.message ?? null, at: now })
      .onConflictDoNothing(),
    db
      .update(emails)
      .set({ status, lastError: failure?.message ?? null, ...(outcome === "sent" && { sentAt: now }) })
      .where(eq(emails.id, id)),
  ]);
}
