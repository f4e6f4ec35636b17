// PaymentDO's storage: the payment, its transitions, refunds, the channel events it has seen,
// and the outbox, in the object's own SQLite. Every change is one transaction that also writes
// the outbox rows; drain() delivers them (D1 projection, channel calls) until all are delivered.
import type { ChannelEvent } from "../shared/channels/adapter";
import type { Cause, EventOutcome, PaymentRecord, Transition } from "../shared/payments/payment";
import { projectPayment } from "../shared/payments/projection";
import { canTransition, type PaymentStatus } from "../shared/payments/state-machine";
import { projectRefunds } from "../shared/refunds/projection";
import type { RefundCallMessage, RefundRecord } from "../shared/refunds/refund";
import { eventsOf, type EventRecord } from "../shared/events/event";
import { recordEvents } from "../shared/events/event-store";
import type { NotificationMessage } from "../shared/notifications/message";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS payment (id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS transitions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, from_status TEXT, to_status TEXT NOT NULL,
    cause_type TEXT NOT NULL, cause_id TEXT NOT NULL, at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS channel_events (
    event_id TEXT PRIMARY KEY, type TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT,
    received_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS refunds (refund_no TEXT PRIMARY KEY, data TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS notifications (
    seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'sent', 'done')));
  CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, payload TEXT NOT NULL,
    created_at INTEGER NOT NULL);
`;

export interface Change {
  refunds?: RefundRecord[];
  calls?: RefundCallMessage[];
}

export class PaymentStore {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: Env,
  ) {
    storage.sql.exec(SCHEMA);
  }

  load(): PaymentRecord | null {
    const row = this.storage.sql.exec<{ data: string }>("SELECT data FROM payment WHERE id = 1").toArray()[0];
    return row ? (JSON.parse(row.data) as PaymentRecord) : null;
  }

  loadRefunds(): RefundRecord[] {
    return this.storage.sql
      .exec<{ data: string }>("SELECT data FROM refunds ORDER BY refund_no")
      .toArray()
      .map((r) => JSON.parse(r.data) as RefundRecord);
  }

  transitions(): Transition[] {
    return this.storage.sql
      .exec<{ from_status: PaymentStatus | null; to_status: PaymentStatus; cause_type: Cause["type"]; cause_id: string; at: number }>(
        "SELECT * FROM transitions ORDER BY seq",
      )
      .toArray()
      .map((r) => ({ from: r.from_status, to: r.to_status, cause: { type: r.cause_type, id: r.cause_id }, at: r.at }));
  }

  /** Whether this channel event id was seen before; records it (with what came of it) if not. */
  recordEvent(event: ChannelEvent, decide: () => string | null): EventOutcome {
    const sql = this.storage.sql;
    return this.storage.transactionSync((): EventOutcome => {
      if (sql.exec("SELECT 1 FROM channel_events WHERE event_id = ?", event.eventId).toArray().length > 0) {
        return { outcome: "duplicate" };
      }
      const reason = decide();
      sql.exec(
        "INSERT INTO channel_events (event_id, type, outcome, detail, received_at) VALUES (?, ?, ?, ?, ?)",
        event.eventId, event.type, reason ? "ignored" : "applied", reason, Date.now(),
      );
      return reason ? { outcome: "ignored", reason } : { outcome: "applied", status: this.load()!.status };
    });
  }

  /**
   * One atomic change: the new payment state, its transitions, changed refunds, the events they
   * report and their outbox rows, in one SQLite transaction, then the alarm that drains the
   * outbox. Refuses any step the table does not allow.
   */
  commit(next: PaymentRecord, steps: Transition[], change: Change = {}) {
    const now = Date.now();
    const last = steps.at(-1);
    const payment: PaymentRecord = {
      ...next,
      status: last?.to ?? next.status,
      paidAt: last?.to === "succeeded" ? now : next.paidAt,
      version: next.version + 1,
      updatedAt: now,
    };
    const refunds = (change.refunds ?? []).map((r) => ({ ...r, version: r.version + 1, updatedAt: now }));
    const sql = this.storage.sql;
    this.storage.transactionSync(() => {
      for (const step of steps) {
        if (step.from !== null && !canTransition(step.from, step.to)) {
          throw new Error(`transition ${step.from} → ${step.to} is not in the table`);
        }
        sql.exec(
          "INSERT INTO transitions (from_status, to_status, cause_type, cause_id, at) VALUES (?, ?, ?, ?, ?)",
          step.from, step.to, step.cause.type, step.cause.id, step.at,
        );
      }
      sql.exec("INSERT OR REPLACE INTO payment (id, data) VALUES (1, ?)", JSON.stringify(payment));
      const outbox = (topic: string, payload: unknown) =>
        sql.exec("INSERT INTO outbox (topic, payload, created_at) VALUES (?, ?, ?)", topic, JSON.stringify(payload), now);
      outbox("payment.projection", payment);
      for (const refund of refunds) {
        sql.exec("INSERT OR REPLACE INTO refunds (refund_no, data) VALUES (?, ?)", refund.refundNo, JSON.stringify(refund));
        outbox("refund.projection", refund);
      }
      for (const call of change.calls ?? []) outbox("channel.call", call);
      const nextSeq = sql.exec<{ n: number }>("SELECT count(*) AS n FROM notifications").one().n + 1;
      for (const event of eventsOf(payment, last?.to, refunds, nextSeq)) {
        sql.exec("INSERT INTO notifications (seq, event_id) VALUES (?, ?)", event.seq, event.id);
        outbox("event", event);
      }
    });
    void this.storage.setAlarm(now);
    return { payment, refunds };
  }
  /**
   * Delivers the outbox: the newest payment and refund snapshots to D1 (older ones are skipped),
   * every event to D1, then the channel calls to their queue; then the next notification. Rows are deleted only once all of them are delivered;
   * a partial failure re-delivers, which the version-checked upserts and idempotent calls absorb.
   */
  async drain(): Promise<void> {
    const rows = this.storage.sql
      .exec<{ seq: number; topic: string; payload: string }>("SELECT seq, topic, payload FROM outbox ORDER BY seq")
      .toArray();
    if (rows.length > 0) {
      const payloads = (topic: string) => rows.filter((r) => r.topic === topic).map((r) => JSON.parse(r.payload) as unknown);
      const payment = payloads("payment.projection").at(-1) as PaymentRecord | undefined;
      const refunds = new Map((payloads("refund.projection") as RefundRecord[]).map((r) => [r.refundNo, r]));
      const calls = payloads("channel.call") as RefundCallMessage[];
      if (payment) await projectPayment(this.env.DB, payment);
      await projectRefunds(this.env.DB, [...refunds.values()]);
      await recordEvents(this.env.DB, payloads("event") as EventRecord[]);
      if (calls.length > 0) await this.env.CHANNEL_CALLS.sendBatch(calls.map((body) => ({ body })));
      this.storage.sql.exec("DELETE FROM outbox WHERE seq <= ?", rows.at(-1)!.seq);
    }
    await this.sendNextNotification();
  }

  /**
   * Hands the payment's oldest unsettled event to the notifications queue, one at a time: the
   * next is sent only when this one is settled (delivered, or given up and parked), so a later
   * event never overtakes an earlier one at the merchant.
   */
  private async sendNextNotification(): Promise<void> {
    const sql = this.storage.sql;
    const head = sql
      .exec<{ seq: number; event_id: string; state: string }>("SELECT * FROM notifications WHERE state != 'done' ORDER BY seq LIMIT 1")
      .toArray()[0];
    if (!head || head.state !== "waiting") return;
    const payment = this.load()!;
    await this.env.NOTIFICATIONS.send({ eventId: head.event_id, paymentNo: payment.paymentNo } satisfies NotificationMessage);
    sql.exec("UPDATE notifications SET state = 'sent' WHERE seq = ?", head.seq);
  }

  /** The event's delivery is over; the next one may go. */
  settleNotification(eventId: string): void {
    this.storage.sql.exec("UPDATE notifications SET state = 'done' WHERE event_id = ?", eventId);
    void this.storage.setAlarm(Date.now());
  }

}
