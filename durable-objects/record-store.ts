// What PaymentStore and OrderStore share: one record held as JSON in a single-row table, the
// outbox its changes write to, and the sequence its events reach the merchant in.
import { NotificationSequence } from "./notification-sequence";
import { Outbox } from "./outbox";
import type { NotificationSubject } from "../shared/notifications/message";

/** How long after a commit the alarm delivers an outbox the object has not delivered itself. */
export const DRAIN_NET_MS = 5_000;

export abstract class RecordStore<T> {
  protected readonly outbox: Outbox;
  protected readonly notifications: NotificationSequence;

  constructor(
    protected readonly storage: DurableObjectStorage,
    protected readonly env: Env,
    private readonly table: string,
    schema: string,
  ) {
    storage.sql.exec(`CREATE TABLE IF NOT EXISTS ${table} (id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL);${schema}`);
    this.outbox = new Outbox(storage.sql);
    this.notifications = new NotificationSequence(storage.sql, env.NOTIFICATIONS);
  }

  /**
   * The record as stored. The object is its storage's only writer, so after the first read the
   * record is kept in memory, replaced by each save; a transaction that fails drops it (the
   * storage rolled back), and so does the object's reset on a storage failure. Callers never
   * mutate it: every change builds a new record.
   */
  private cached: T | null | undefined;

  load(): T | null {
    if (this.cached === undefined) {
      const row = this.storage.sql.exec<{ data: string }>(`SELECT data FROM ${this.table} WHERE id = 1`).toArray()[0];
      this.cached = row ? (JSON.parse(row.data) as T) : null;
    }
    return this.cached;
  }

  /** One SQLite transaction; if it fails, the kept record goes with it. */
  protected transaction<R>(body: () => R): R {
    try {
      return this.storage.transactionSync(body);
    } catch (error) {
      this.cached = undefined;
      throw error;
    }
  }

  /** Delivers the outbox, then the next notification (from the object's alarm). */
  abstract drain(): Promise<void>;

  /** Whose events these are, in the notifications' messages. */
  protected abstract subject(record: T): NotificationSubject;

  /** Hands the next waiting event to the notifications queue. */
  protected async sendNextNotification(): Promise<void> {
    const record = this.load();
    if (record) await this.notifications.sendNext(this.subject(record));
  }

  /** When work of the object's own is next due (a status sync, say); null for none. */
  protected scheduledAt(): number | null {
    return null;
  }

  /** When the object next has work: now if the outbox or a notification waits, else what is scheduled. */
  wakeAt(now: number): number | null {
    if (this.outbox.size() > 0 || this.notifications.sendable()) return now;
    return this.scheduledAt();
  }

  /**
   * After a commit: the alarm that delivers the outbox should the object's own drain after the
   * command (OutboxObject.command) not finish.
   */
  protected armDrain(now: number): void {
    void this.storage.setAlarm(now + DRAIN_NET_MS);
  }

  /** Call inside the change's transaction. */
  protected save(record: T): void {
    this.storage.sql.exec(`INSERT OR REPLACE INTO ${this.table} (id, data) VALUES (1, ?)`, JSON.stringify(record));
    this.cached = record;
  }

  /**
   * From the cron's sweep. Events whose delivery is long overdue (their queue message was lost)
   * are handed to the queue again; then the alarm is re-armed if work waits without one: an alarm
   * whose runs all failed before reaching the handler (the object could not open its storage) is
   * dropped by the runtime after its retries. Answers whether it re-armed.
   */
  async ensureDrained(overdueEventIds: string[] = []): Promise<boolean> {
    this.notifications.resend(overdueEventIds);
    const due = this.wakeAt(Date.now());
    if (due === null) return false;
    const alarm = await this.storage.getAlarm();
    if (alarm !== null && alarm <= due) return false;
    await this.storage.setAlarm(due);
    return true;
  }

  /**
   * The event's delivery is over: the next one, if any waits, goes now (a request to the object
   * saved, not an alarm's); if the queue refuses it, the alarm tries again.
   */
  async settleNotification(eventId: string): Promise<void> {
    this.notifications.settle(eventId);
    if (!this.notifications.sendable()) return;
    try {
      await this.sendNextNotification();
    } catch {
      await this.storage.setAlarm(Date.now());
    }
  }
}
