// What PaymentDO and OrderDO share as objects: the alarm that drains their store's outbox (with
// backoff on failure) and then runs their scheduled work, the cron's request to re-arm it, and the
// notifications consumer's word that an event is settled.
import { DurableObject } from "cloudflare:workers";
import { drainOrRetry } from "./outbox";
import type { RecordStore } from "./record-store";

export abstract class OutboxObject<S extends RecordStore<unknown>> extends DurableObject<Env> {
  private drainFailures = 0;
  protected abstract readonly store: S;

  /** Work of the object's own that is due now (from the alarm, after the outbox is delivered). */
  protected async runScheduled(): Promise<void> {}

  override async alarm(): Promise<void> {
    this.drainFailures = await drainOrRetry(this.ctx.storage, this.drainFailures, () => this.store.drain());
    // a failed drain has set its own retry
    if (this.drainFailures > 0) return;
    await this.runScheduled();
    const next = this.store.wakeAt(Date.now());
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  /** From the cron's sweep: re-sends overdue notifications, re-arms the alarm if work waits without one. */
  async ensureDrained(overdueEventIds?: string[]): Promise<boolean> {
    return this.store.ensureDrained(overdueEventIds);
  }

  /** The notifications consumer is done with an event (delivered or parked). */
  async notificationSettled(eventId: string): Promise<void> {
    this.store.settleNotification(eventId);
  }
}
