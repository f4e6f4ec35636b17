// What PaymentDO and OrderDO share as objects: the alarm that drains their store's outbox (with
// backoff on failure), the cron's request to re-arm it, and the notifications consumer's word
// that an event is settled.
import { DurableObject } from "cloudflare:workers";
import { drainOrRetry } from "./outbox";
import type { RecordStore } from "./record-store";

export abstract class OutboxObject<S extends RecordStore<unknown>> extends DurableObject<Env> {
  private drainFailures = 0;
  protected abstract readonly store: S;

  override async alarm(): Promise<void> {
    this.drainFailures = await drainOrRetry(this.ctx.storage, this.drainFailures, () => this.store.drain());
  }

  /** From the cron's sweep: re-arms the alarm if work waits without one. */
  async ensureDrained(): Promise<boolean> {
    return this.store.ensureDrained();
  }

  /** The notifications consumer is done with an event (delivered or parked). */
  async notificationSettled(eventId: string): Promise<void> {
    this.store.settleNotification(eventId);
  }
}
