// What PaymentStore and OrderStore share: one record held as JSON in a single-row table, the
// outbox its changes write to, and the sequence its events reach the merchant in.
import { NotificationSequence } from "./notification-sequence";
import { Outbox } from "./outbox";

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

  load(): T | null {
    const row = this.storage.sql.exec<{ data: string }>(`SELECT data FROM ${this.table} WHERE id = 1`).toArray()[0];
    return row ? (JSON.parse(row.data) as T) : null;
  }

  /** Delivers the outbox, then the next notification (from the object's alarm). */
  abstract drain(): Promise<void>;

  /** When work of the object's own is next due (a status sync, say); null for none. */
  protected scheduledAt(): number | null {
    return null;
  }

  /** When the object next has work: now if the outbox or a notification waits, else what is scheduled. */
  wakeAt(now: number): number | null {
    if (this.outbox.size() > 0 || this.notifications.sendable()) return now;
    return this.scheduledAt();
  }

  /** Call inside the change's transaction. */
  protected save(record: T): void {
    this.storage.sql.exec(`INSERT OR REPLACE INTO ${this.table} (id, data) VALUES (1, ?)`, JSON.stringify(record));
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

  /** The event's delivery is over: the next one may go (the alarm sends it). */
  settleNotification(eventId: string): void {
    this.notifications.settle(eventId);
    void this.storage.setAlarm(Date.now());
  }
}
