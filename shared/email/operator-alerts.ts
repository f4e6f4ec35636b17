// Operator alerts the cron raises: a merchant's channel circuit opened (routing_circuits), and
// dead letters growing (more unreplayed than at the last alert). Each goes to every admin operator
// and ALERT_EMAIL, through the notifications queue like receipts; its dedupe key makes each
// opening, and each new high of dead letters, one email per recipient.
import { and, count, desc, eq, gte, inArray, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { dashboardUsers, deadLetters, emails, routingCircuits } from "../db/schema";
import type { AlertFacts } from "./alerts";
import type { EmailMessage } from "./message";

/** Circuits that opened this long ago or less are alerted (the cron runs every 5 minutes). */
export const CIRCUIT_ALERT_WINDOW_MS = 60 * 60 * 1000;
/** At most this many circuits a run: a wide outage is the same news in every one. */
const CIRCUIT_ALERT_LIMIT = 20;

type Db = ReturnType<typeof drizzle>;

async function recipients(env: Env, db: Db): Promise<string[]> {
  const admins = await db
    .select({ email: dashboardUsers.email })
    .from(dashboardUsers)
    .where(and(eq(dashboardUsers.kind, "operator"), eq(dashboardUsers.role, "admin")));
  const extra = (env.ALERT_EMAIL ?? "").trim().toLowerCase();
  return [...new Set([...admins.map((a) => a.email), ...(extra ? [extra] : [])])];
}

async function circuitAlerts(db: Db, now: number): Promise<Array<{ key: string; alert: AlertFacts }>> {
  const opened = await db
    .select()
    .from(routingCircuits)
    .where(and(eq(routingCircuits.state, "open"), gte(routingCircuits.changedAt, now - CIRCUIT_ALERT_WINDOW_MS)))
    .limit(CIRCUIT_ALERT_LIMIT);
  return opened.map((c) => ({
    key: `circuit:${c.merchantId}:${c.livemode ? "live" : "test"}:${c.channel}:${c.changedAt}`,
    alert: { type: "alert.circuit_opened", merchantId: c.merchantId, livemode: c.livemode, channel: c.channel, openedAt: c.changedAt },
  }));
}

/** The key's count: dead_letters:<count>:<when>. */
const countOf = (key: string | undefined) => Number(key?.split(":")[1] ?? 0);

async function deadLetterAlert(db: Db, now: number): Promise<Array<{ key: string; alert: AlertFacts }>> {
  const [[parked], [last]] = await db.batch([
    db.select({ n: count() }).from(deadLetters).where(isNull(deadLetters.replayedAt)),
    db.select({ key: emails.dedupeKey }).from(emails).where(eq(emails.kind, "alert.dead_letters")).orderBy(desc(emails.createdAt)).limit(1),
  ]);
  const waiting = parked?.n ?? 0;
  const previous = countOf(last?.key);
  if (waiting < 1 || waiting <= previous) return [];
  return [{ key: `dead_letters:${waiting}:${now}`, alert: { type: "alert.dead_letters", count: waiting, previous, at: now } }];
}

/** The alert emails due now, but those already made (any recipient) by an earlier run. */
export async function operatorAlerts(env: Env, now: number): Promise<EmailMessage[]> {
  const db = drizzle(env.DB);
  const to = await recipients(env, db);
  if (to.length === 0) return [];
  const due = [...(await circuitAlerts(db, now)), ...(await deadLetterAlert(db, now))];
  if (due.length === 0) return [];
  const made = await db.selectDistinct({ key: emails.dedupeKey }).from(emails).where(inArray(emails.dedupeKey, due.map((d) => d.key)));
  const known = new Set(made.map((m) => m.key));
  return due
    .filter((d) => !known.has(d.key))
    .flatMap(({ key, alert }) =>
      to.map((address): EmailMessage => ({
        kind: "email",
        type: alert.type,
        dedupeKey: key,
        to: address,
        merchantId: null,
        livemode: alert.type === "alert.circuit_opened" ? alert.livemode : null,
        alert,
      })),
    );
}

/** Hands the due alerts to the notifications queue (100 messages a send, the queue's limit). */
export async function enqueueOperatorAlerts(env: Env, now: number): Promise<number> {
  const messages = await operatorAlerts(env, now);
  for (let i = 0; i < messages.length; i += 100) await env.NOTIFICATIONS.sendBatch(messages.slice(i, i + 100).map((body) => ({ body })));
  return messages.length;
}
