// The merchant hears about one object's events (a payment's, an order's) in the order they
// happened: the notifications queue gets the oldest unsettled event, and the next only once the
// consumer settles that one (delivered, or given up and parked).
import type { EventRecord } from "../shared/events/event";
import { outgoingTraceparent } from "../shared/observability/log-context";
import type { NotificationMessage, NotificationSubject } from "../shared/notifications/message";

// A sequence holds a handful of events: looking one up by id reads them all, cheaper than an
// index written with every event (each index entry is a billed row).
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS notifications (
    seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'sent', 'done')));
`;

export class NotificationSequence {
  constructor(
    private readonly sql: SqlStorage,
    private readonly queue: Queue<NotificationMessage>,
  ) {
    sql.exec(SCHEMA);
  }

  /** The seq the next event takes. */
  nextSeq(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM notifications").one().n + 1;
  }

  /** Call inside the change's transaction. */
  add(events: EventRecord[]): void {
    for (const event of events) this.sql.exec("INSERT INTO notifications (seq, event_id) VALUES (?, ?)", event.seq, event.id);
  }

  private head() {
    return this.sql
      .exec<{ seq: number; event_id: string; state: string }>("SELECT * FROM notifications WHERE state != 'done' ORDER BY seq LIMIT 1")
      .toArray()[0];
  }

  /**
   * Hands the oldest unsettled event to the queue, unless it is already out there. It is marked
   * sent before the send, so a second caller meanwhile (the alarm, a settle) does not send it
   * too; a refused send puts it back. A crash in between leaves it `sent` with no message, which
   * the cron's sweep for overdue events re-sends.
   */
  async sendNext(subject: NotificationSubject): Promise<void> {
    const head = this.head();
    if (!head || head.state !== "waiting") return;
    this.sql.exec("UPDATE notifications SET state = 'sent' WHERE seq = ?", head.seq);
    try {
      await this.queue.send({ eventId: head.event_id, ...subject, traceparent: outgoingTraceparent() });
    } catch (error) {
      this.sql.exec("UPDATE notifications SET state = 'waiting' WHERE seq = ?", head.seq);
      throw error;
    }
  }

  /** Whether the next event waits to be handed to the queue. */
  sendable(): boolean {
    return this.head()?.state === "waiting";
  }

  /** Events handed to the queue whose message was lost go to the queue again (at least once). */
  resend(eventIds: string[]): void {
    for (const id of eventIds) this.sql.exec("UPDATE notifications SET state = 'waiting' WHERE event_id = ? AND state = 'sent'", id);
  }

  /** The event's delivery is over; the next one may go. */
  settle(eventId: string): void {
    this.sql.exec("UPDATE notifications SET state = 'done' WHERE event_id = ?", eventId);
  }
}
