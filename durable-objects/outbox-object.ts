// What PaymentDO and OrderDO share as objects: the drain of their store's outbox right after each
// command, the alarm that drains it after a crash or a failure (with backoff) and then runs their
// scheduled work, the cron's request to re-arm it, and the notifications consumer's word that an
// event is settled.
import { DurableObject } from "cloudflare:workers";
import { meterAlarm, meterStorage, metered } from "../shared/metering";
import { runInContext } from "../shared/observability/log-context";
import { childSpan, parseTraceparent, spanInTrace, startTrace } from "../shared/observability/trace-context";
import { drainOrRetry } from "./outbox";
import type { RecordStore } from "./record-store";

/** Whom an object's log lines are about, and the trace its work joins. */
export interface ObjectSubject {
  /** The trace the record's first command (its create) came in; null on records from before traces. */
  traceId: string | null;
  merchantId: string;
  paymentNo?: string;
  orderNo?: string;
}

export abstract class OutboxObject<S extends RecordStore<unknown>> extends DurableObject<Env> {
  private drainFailures = 0;
  /** The drain running after a command, and whether another command committed meanwhile. */
  private drainRun: Promise<void> | null = null;
  private drainAgain = false;
  protected abstract readonly store: S;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, metered(env));
    meterStorage(ctx.storage, env, this.constructor.name);
  }

  /** Work of the object's own that is due now (from the alarm, after the outbox is delivered). */
  protected async runScheduled(): Promise<void> {}

  /** The record's owner, number and trace; null before the record exists. */
  protected abstract about(): ObjectSubject | null;

  /**
   * Runs work in the object's log context. Everything done to a record joins the trace of the
   * request that created it (so its outbox, queue messages, channel calls and notifications share
   * one trace id); a later caller's trace is named as linked. A record's first command starts in
   * the caller's trace.
   */
  protected traced<T>(work: () => T, traceparent?: string): T {
    const about = this.about();
    const caller = parseTraceparent(traceparent);
    const trace = about?.traceId ? spanInTrace(about.traceId) : caller ? childSpan(caller) : startTrace();
    const linked = caller && caller.traceId !== trace.traceId ? caller.traceId : undefined;
    return runInContext({ trace, linkedTraceId: linked, merchantId: about?.merchantId, paymentNo: about?.paymentNo, orderNo: about?.orderNo }, work);
  }

  override alarm(): Promise<void> {
    return this.traced(() => this.runAlarm());
  }

  private async runAlarm(): Promise<void> {
    meterAlarm(this.env, this.constructor.name);
    this.drainFailures = await drainOrRetry(this.ctx.storage, this.drainFailures, () => this.store.drain());
    // a failed drain has set its own retry
    if (this.drainFailures > 0) return;
    await this.runScheduled();
    await this.rearm();
  }

  /**
   * Runs a command, then delivers what it committed at once, in the background: the caller does
   * not wait for D1, and no alarm invocation is spent on it. The commit's alarm, set a little
   * later, is the net should the runtime stop before the drain ends.
   */
  protected command<T>(run: () => Promise<T>, traceparent?: string): Promise<T> {
    return this.traced(async () => {
      try {
        return await run();
      } finally {
        this.drainSoon();
      }
    }, traceparent);
  }

  private drainSoon(): void {
    if (this.drainRun) {
      this.drainAgain = true;
      return;
    }
    const now = Date.now();
    if (this.store.wakeAt(now) !== now) return;
    this.drainRun = this.drainUntilDelivered()
      .catch(() => {}) // the alarm is still set
      .finally(() => (this.drainRun = null));
    this.ctx.waitUntil(this.drainRun);
  }

  private async drainUntilDelivered(): Promise<void> {
    do {
      this.drainAgain = false;
      this.drainFailures = await drainOrRetry(this.ctx.storage, this.drainFailures, () => this.store.drain());
      // a failed drain has set its own retry
      if (this.drainFailures > 0) return;
    } while (this.drainAgain);
    await this.rearm();
  }

  /** Delivered: the alarm waits for the object's next work, if it has any. */
  private async rearm(): Promise<void> {
    const next = this.store.wakeAt(Date.now());
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }

  /** From the cron's sweep: re-sends overdue notifications, re-arms the alarm if work waits without one. */
  async ensureDrained(overdueEventIds?: string[]): Promise<boolean> {
    return this.traced(() => this.store.ensureDrained(overdueEventIds));
  }

  /** The notifications consumer is done with an event (delivered or parked). */
  async notificationSettled(eventId: string): Promise<void> {
    await this.traced(() => this.store.settleNotification(eventId));
  }
}
