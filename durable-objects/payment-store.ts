// PaymentDO's storage: the payment, its transitions, refunds, the channel events it has seen,
// and the outbox, in the object's own SQLite. Every change is one transaction that also writes
// the outbox rows; drain() delivers them (D1 projection, channel calls) until all are delivered.
import type { ChannelEvent } from "../shared/channels/adapter";
import type { Cause, EventOutcome, PaymentRecord, Transition } from "../shared/payments/payment";
import { attemptUpserts } from "../shared/payments/attempt-projection";
import { attemptsAfter, attemptsOf, settledOutcome, type AttemptOutcome, type HeardOutcome } from "../shared/payments/attempts";
import { paymentUpsert } from "../shared/payments/projection";
import { healthStub } from "../shared/routing/health";
import type { VelocityEvent } from "../shared/risk/velocity";
import { feedVelocity, velocityEventsOf } from "../shared/risk/velocity-feed";
import { canTransition, type PaymentStatus } from "../shared/payments/state-machine";
import { refundUpserts } from "../shared/refunds/projection";
import type { ChannelCallMessage } from "../shared/payments/channel-calls";
import type { RefundRecord } from "../shared/refunds/refund";
import { eventsOf, type EventRecord } from "../shared/events/event";
import { eventInserts } from "../shared/events/event-store";
import { enqueueReceipts } from "../shared/email/receipt-messages";
import { writeBatch } from "../shared/db/batch";
import { orderStub } from "../shared/orders/order-no";
import { nextActionIn, type PaymentSnapshot } from "../shared/payments/payment";
import { needsSync, nextSyncAt } from "../shared/payments/sync";
import { reconcileAfterMs } from "../shared/recovery";
import { outgoingTraceparent } from "../shared/observability/log-context";
import { writeTransitionPoint } from "../shared/observability/analytics";
import { observeStatement } from "../shared/observability/metrics-store";
import { transitionCounts, type ProjectedPayment } from "../shared/payments/payment-metrics";
import { log } from "../shared/observability/logger";
import { RecordStore } from "./record-store";

// Each row written is billed, and so is each index entry: transitions are never deleted, so their
// rowid only grows without AUTOINCREMENT's bookkeeping row; channel events are keyed by their id
// alone (WITHOUT ROWID: no second index). Objects made before keep their tables as they were.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS transitions (
    seq INTEGER PRIMARY KEY, from_status TEXT, to_status TEXT NOT NULL,
    cause_type TEXT NOT NULL, cause_id TEXT NOT NULL, at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS channel_events (
    event_id TEXT PRIMARY KEY, type TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT,
    received_at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS refunds (refund_no TEXT PRIMARY KEY, data TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS sync (
    id INTEGER PRIMARY KEY CHECK (id = 1), changed_at INTEGER NOT NULL, attempts INTEGER NOT NULL,
    next_at INTEGER NOT NULL);
`;

export interface Change {
  refunds?: RefundRecord[];
  calls?: ChannelCallMessage[];
  /** The change records a new payment exception: merchants are told (payment.exception). */
  exceptionRecorded?: boolean;
  /** How long the current attempt's create took, when this change is its answer. */
  latencyMs?: number;
  /** Outcomes of attempts routing health must hear beyond a settled status (answers, outages). */
  outcomes?: AttemptOutcome[];
  /** The change opens or closes a risk review: merchants are told. */
  review?: "opened" | "closed";
}

export class PaymentStore extends RecordStore<PaymentRecord> {
  constructor(storage: DurableObjectStorage, env: Env) {
    super(storage, env, "payment", SCHEMA);
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

  /**
   * Decides a channel event once: a repeat answers what came of it the first time. The decision's
   * change and the record of the event are one transaction.
   */
  recordEvent(event: ChannelEvent, decide: () => string | null): EventOutcome {
    const sql = this.storage.sql;
    return this.transaction((): EventOutcome => {
      const seen = sql
        .exec<{ outcome: string; detail: string | null }>("SELECT outcome, detail FROM channel_events WHERE event_id = ?", event.eventId)
        .toArray()[0];
      if (seen) {
        return seen.outcome === "applied" ? { outcome: "applied", duplicate: true } : { outcome: "ignored", reason: seen.detail ?? "", duplicate: true };
      }
      const reason = decide();
      sql.exec(
        "INSERT INTO channel_events (event_id, type, outcome, detail, received_at) VALUES (?, ?, ?, ?, ?)",
        event.eventId, event.type, reason ? "ignored" : "applied", reason, Date.now(),
      );
      return reason ? { outcome: "ignored", reason, duplicate: false } : { outcome: "applied", duplicate: false };
    });
  }

  // ── status sync schedule ───────────────────────────────────────────────

  protected override scheduledAt(): number | null {
    return this.storage.sql.exec<{ next_at: number }>("SELECT next_at FROM sync").toArray()[0]?.next_at ?? null;
  }

  /** Whether a status sync is due. */
  syncDue(now: number): boolean {
    const at = this.scheduledAt();
    return at !== null && at <= now;
  }

  /** A sync ran (whatever it found): the next one backs off, or none once past the window. */
  recordSyncAttempt(now: number): void {
    const row = this.storage.sql.exec<{ changed_at: number; attempts: number }>("SELECT changed_at, attempts FROM sync").toArray()[0];
    if (!row) return;
    const next = nextSyncAt(row.changed_at, row.attempts + 1, now, reconcileAfterMs(this.env));
    if (next === null) {
      this.storage.sql.exec("DELETE FROM sync");
      log.warn("status sync given up: the payment is still unsettled");
      return;
    }
    this.storage.sql.exec("UPDATE sync SET attempts = attempts + 1, next_at = ?", next);
  }

  /** Call inside the change's transaction: a changed payment that still waits on its channel starts its schedule over. */
  private scheduleSync(payment: PaymentRecord, now: number): void {
    if (needsSync(payment, this.loadRefunds())) {
      this.storage.sql.exec(
        "INSERT OR REPLACE INTO sync (id, changed_at, attempts, next_at) VALUES (1, ?, 0, ?)",
        now, nextSyncAt(now, 0, now, reconcileAfterMs(this.env)),
      );
    } else {
      this.storage.sql.exec("DELETE FROM sync");
    }
  }

  /**
   * One atomic change: the new payment state, its transitions, changed refunds, the events they
   * report and their outbox rows, in one SQLite transaction, then the alarm that drains the
   * outbox. Refuses any step the table does not allow.
   */
  commit(next: PaymentRecord, steps: Transition[], change: Change = {}) {
    const now = Date.now();
    const last = steps.at(-1);
    const status = last?.to ?? next.status;
    const before = attemptsOf(next).at(-1)!;
    const moved = { ...next, status };
    const attempts = attemptsAfter(moved, change.latencyMs ?? null, now);
    const settled = settledOutcome(moved, before, attempts.at(-1)!, now);
    const outcomes = [...(change.outcomes ?? []), ...(settled ? [settled] : [])];
    const payment: PaymentRecord = {
      ...next,
      status,
      nextAction: nextActionIn(status, next.nextAction),
      paidAt: last?.to === "succeeded" ? now : next.paidAt,
      attempts,
      version: next.version + 1,
      updatedAt: now,
    };
    const refunds = (change.refunds ?? []).map((r) => ({ ...r, version: r.version + 1, updatedAt: now }));
    const sql = this.storage.sql;
    this.transaction(() => {
      for (const step of steps) {
        if (step.from !== null && !canTransition(step.from, step.to)) {
          throw new Error(`transition ${step.from} → ${step.to} is not in the table`);
        }
        sql.exec(
          "INSERT INTO transitions (from_status, to_status, cause_type, cause_id, at) VALUES (?, ?, ?, ?, ?)",
          step.from, step.to, step.cause.type, step.cause.id, step.at,
        );
      }
      this.save(payment);
      // the change's attempt outcomes ride on its projection row (no row of their own); ids let the
      // health object tell a redelivered outcome from a new one
      const heard = outcomes.map((outcome, i) => ({ ...outcome, id: `${payment.paymentNo}:${payment.version}:${i}` }));
      const velocity = velocityEventsOf(payment, steps, now);
      // the statuses entered ride on it too: the drain counts them (payment-metrics.ts)
      const entered = steps.map((step) => step.to);
      this.outbox.add(
        "payment.projection",
        { ...payment, ...(heard.length > 0 && { outcomes: heard }), ...(velocity.length > 0 && { velocity }), ...(entered.length > 0 && { entered }) },
        now,
      );
      for (const refund of refunds) {
        sql.exec("INSERT OR REPLACE INTO refunds (refund_no, data) VALUES (?, ?)", refund.refundNo, JSON.stringify(refund));
        this.outbox.add("refund.projection", refund, now);
      }
      for (const call of change.calls ?? []) this.outbox.add("channel.call", call, now);
      // a payment made for an order moves it: the order hears of every change, in version order
      if (payment.orderLink) this.outbox.add("order.sync", snapshotOf(payment), now);
      const events = eventsOf(payment, last?.to, refunds, this.notifications.nextSeq(), change.exceptionRecorded, change.review ?? null);
      this.notifications.add(events);
      for (const event of events) this.outbox.add("event", event, now);
      this.scheduleSync(payment, now);
    });
    this.armDrain(now);
    // one Analytics Engine point and one log line per transition, here: after its transaction committed, once
    for (const step of steps) {
      writeTransitionPoint(this.env, { ...payment, from: step.from, to: step.to });
      log.info("payment moved", { from: step.from, to: step.to, cause: step.cause.type, channel: payment.channel, version: payment.version });
    }
    for (const refund of refunds) log.info("refund saved", { refund_no: refund.refundNo, status: refund.status, version: refund.version });
    return { payment, refunds };
  }
  /**
   * Delivers the outbox: the newest payment and refund snapshots to D1 (older ones are skipped)
   * with every event, in one batch, the channel calls to their queue, the newest state to the payment's order;
   * then the next notification. Rows are deleted only once all of them are delivered; a partial
   * failure re-delivers, which the version-checked upserts and idempotent calls absorb.
   */
  async drain(): Promise<void> {
    const pending = this.outbox.pending();
    if (pending) {
      const snapshots = pending.of<ProjectedPayment & { outcomes?: HeardOutcome[]; velocity?: VelocityEvent[] }>("payment.projection");
      const payment = snapshots.at(-1);
      const outcomes = snapshots.flatMap((snapshot) => snapshot.outcomes ?? []);
      const velocity = snapshots.flatMap((snapshot) => snapshot.velocity ?? []);
      const refunds = new Map(pending.of<RefundRecord>("refund.projection").map((r) => [r.refundNo, r]));
      const calls = pending.of<ChannelCallMessage>("channel.call");
      const sync = pending.of<PaymentSnapshot>("order.sync").at(-1);
      const events = pending.of<EventRecord>("event");
      await writeBatch(this.env.DB, (orm) => [
        // before the upsert: each snapshot counts only while D1 has not seen its version
        ...transitionCounts(orm, snapshots),
        observeStatement(orm, "edgepay_projection_lag_seconds", { record: "payment" }, (Date.now() - pending.oldestAt) / 1000),
        ...(payment ? [paymentUpsert(orm, payment), ...attemptUpserts(orm, payment)] : []),
        ...refundUpserts(orm, [...refunds.values()]),
        ...eventInserts(orm, events),
      ]);
      await enqueueReceipts(this.env, payment, events);
      if (calls.length > 0) await this.env.CHANNEL_CALLS.sendBatch(calls.map((body) => ({ body: { ...body, traceparent: outgoingTraceparent() } })));
      if (sync) await orderStub(this.env, sync.orderLink)?.syncPayment(sync);
      if (payment && outcomes.length > 0) await healthStub(this.env, payment.merchantId, payment.livemode).record(outcomes);
      if (payment) await feedVelocity(this.env, payment, velocity);
      this.outbox.clear(pending.lastSeq);
    }
    await this.sendNextNotification();
  }

  protected subject(payment: PaymentRecord) {
    return { paymentNo: payment.paymentNo };
  }
}

const snapshotOf = (p: PaymentRecord): PaymentSnapshot => ({
  paymentNo: p.paymentNo,
  orderLink: p.orderLink!,
  merchantId: p.merchantId,
  livemode: p.livemode,
  status: p.status,
  amount: p.amount,
  refundedAmount: p.refundedAmount,
  paidAt: p.paidAt,
  version: p.version,
});
