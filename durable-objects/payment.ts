// PaymentDO: the single source of truth for one payment. Named by payment_no (derived from
// merchant, mode and order_no), so every request about one order meets here, one at a time.
// Every change is one SQLite transaction that writes the payment, its transition (with cause)
// and an outbox row; the outbox is drained to D1 by the alarm until D1 has it.
import { DurableObject } from "cloudflare:workers";
import { ChannelError, type ChannelEvent, type ChannelEventType, type ChannelPayment } from "../shared/channels/adapter";
import { adapterFor } from "../shared/channels/registry";
import type {
  Cause,
  EventOutcome,
  NewPayment,
  Owner,
  PaymentOutcome,
  PaymentRecord,
  Transition,
} from "../shared/payments/payment";
import { projectPayment } from "../shared/payments/projection";
import { canTransition, pathTo, type PaymentStatus } from "../shared/payments/state-machine";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS payment (id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS transitions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, from_status TEXT, to_status TEXT NOT NULL,
    cause_type TEXT NOT NULL, cause_id TEXT NOT NULL, at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS channel_events (
    event_id TEXT PRIMARY KEY, type TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT,
    received_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, payload TEXT NOT NULL,
    created_at INTEGER NOT NULL);
`;

/** The status each channel event reports; refund events are settled elsewhere. */
const EVENT_STATUS: Partial<Record<ChannelEventType, PaymentStatus>> = {
  "payment.processing": "processing",
  "payment.requires_action": "requires_action",
  "payment.succeeded": "succeeded",
  "payment.failed": "failed",
  "payment.cancelled": "cancelled",
};

const ownedBy = (payment: PaymentRecord, owner: Owner) =>
  payment.merchantId === owner.merchantId && payment.livemode === owner.livemode;

/** Retry delay for a failed drain: 1 s doubling to 5 min. */
const drainBackoff = (attempt: number) => Math.min(300_000, 1000 * 2 ** attempt);

export class PaymentDO extends DurableObject<Env> {
  private drainAttempts = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(SCHEMA);
  }

  // ── reads ────────────────────────────────────────────────────────────────

  /** The payment, if it belongs to `owner`: another merchant's payment does not exist for them. */
  async get(owner: Owner): Promise<PaymentRecord | null> {
    const payment = this.load();
    return payment && ownedBy(payment, owner) ? payment : null;
  }

  async transitions(): Promise<Transition[]> {
    return this.ctx.storage.sql
      .exec<{ from_status: PaymentStatus | null; to_status: PaymentStatus; cause_type: Cause["type"]; cause_id: string; at: number }>(
        "SELECT * FROM transitions ORDER BY seq",
      )
      .toArray()
      .map((r) => ({ from: r.from_status, to: r.to_status, cause: { type: r.cause_type, id: r.cause_id }, at: r.at }));
  }

  // ── commands ─────────────────────────────────────────────────────────────

  /**
   * Creates the payment, or answers the one this order already has. The payment is recorded
   * (pending) before the channel is called, and the channel call carries an idempotency key
   * derived from the payment, so a retry after any failure never makes a second channel payment.
   */
  async create(input: NewPayment & { paymentNo: string }, cause: Cause): Promise<PaymentOutcome> {
    return this.ctx.blockConcurrencyWhile(async () => {
      let payment = this.load();
      let kind: "created" | "existing" = "existing";
      if (payment) {
        if (payment.amount !== input.amount || payment.currency !== input.currency) {
          return { kind: "conflict", payment };
        }
      } else {
        const now = Date.now();
        payment = {
          ...input,
          status: "pending",
          channelPaymentId: null,
          clientSecret: null,
          nextAction: null,
          refundedAmount: 0,
          failure: null,
          paidAt: null,
          version: 0,
          createdAt: now,
          updatedAt: now,
        };
        payment = this.commit(payment, [{ from: null, to: "pending", cause, at: now }]);
        kind = "created";
      }
      if (payment.channelPaymentId === null && payment.status === "pending") {
        try {
          const channelPayment = await adapterFor(payment.channel, this.env).createPayment({
            paymentNo: payment.paymentNo,
            merchantId: payment.merchantId,
            livemode: payment.livemode,
            amount: payment.amount,
            currency: payment.currency,
            paymentMethod: payment.paymentMethod,
            description: payment.description,
            customerEmail: payment.customerEmail,
            returnUrl: payment.returnUrl,
            idempotencyKey: `${payment.paymentNo}:attempt-1`,
          });
          payment = this.adoptChannelView(payment, channelPayment, { type: "channel", id: channelPayment.id });
        } catch (error) {
          if (!(error instanceof ChannelError)) throw error;
          // A refusal (4xx) is final: the payment failed. An outage (502) leaves it pending, and
          // the next create for this order calls the channel again with the same idempotency key.
          if (error.status !== 502) {
            const failure = { code: error.code, message: error.message };
            this.commit({ ...payment, failure }, [{ from: "pending", to: "failed", cause: { type: "channel", id: error.code }, at: Date.now() }]);
          }
          return { kind: "channel_error", code: error.code, message: error.message, status: error.status };
        }
      }
      return { kind, payment };
    });
  }

  async cancel(owner: Owner, cause: Cause): Promise<PaymentOutcome> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const payment = this.load();
      if (!payment || !ownedBy(payment, owner)) return { kind: "not_found" };
      if (!canTransition(payment.status, "cancelled")) {
        return { kind: "unexpected_state", payment, message: `A ${payment.status} payment cannot be cancelled.` };
      }
      if (payment.channelPaymentId !== null) {
        try {
          await adapterFor(payment.channel, this.env).cancelPayment(payment.channelPaymentId);
        } catch (error) {
          if (!(error instanceof ChannelError)) throw error;
          if (error.status !== 409) return { kind: "channel_error", code: error.code, message: error.message, status: error.status };
          return { kind: "unexpected_state", payment: this.load()!, message: `The channel refused: ${error.message}` };
        }
      }
      const now = Date.now();
      const cancelled = this.commit(payment, [{ from: payment.status, to: "cancelled", cause, at: now }]);
      return { kind: "existing", payment: cancelled };
    });
  }

  /** Applies a verified channel event at most once; events the state machine refuses change nothing. */
  async applyChannelEvent(event: ChannelEvent): Promise<EventOutcome> {
    const sql = this.ctx.storage.sql;
    return this.ctx.storage.transactionSync((): EventOutcome => {
      const seen = sql.exec("SELECT 1 FROM channel_events WHERE event_id = ?", event.eventId).toArray();
      if (seen.length > 0) return { outcome: "duplicate" };
      const record = (outcome: EventOutcome["outcome"], detail: string | null) =>
        sql.exec(
          "INSERT INTO channel_events (event_id, type, outcome, detail, received_at) VALUES (?, ?, ?, ?, ?)",
          event.eventId, event.type, outcome, detail, Date.now(),
        );
      const payment = this.load();
      const target = EVENT_STATUS[event.type];
      if (!payment || !target) {
        const reason = payment ? `event type ${event.type} does not move a payment` : "no such payment";
        record("ignored", reason);
        return { outcome: "ignored", reason };
      }
      if (payment.channelPaymentId !== null && event.channelObjectId !== payment.channelPaymentId) {
        const reason = `event is about channel payment ${event.channelObjectId}, not ${payment.channelPaymentId}`;
        record("ignored", reason);
        return { outcome: "ignored", reason };
      }
      const path = target === payment.status ? [] : pathTo(payment.status, target);
      if (!path || path.length === 0) {
        const reason = path ? `already ${target}` : `transition ${payment.status} → ${target} is not allowed`;
        if (path === null) {
          console.warn(JSON.stringify({ level: "warn", msg: "transition refused", payment_no: payment.paymentNo, event_id: event.eventId, reason }));
        }
        record("ignored", reason);
        return { outcome: "ignored", reason };
      }
      const cause: Cause = { type: "webhook", id: event.eventId };
      const now = Date.now();
      let from = payment.status;
      const steps = path.map((to) => {
        const step = { from, to, cause, at: now };
        from = to;
        return step;
      });
      const updated = this.commit(
        { ...payment, failure: target === "failed" ? event.failure : payment.failure },
        steps,
      );
      record("applied", null);
      return { outcome: "applied", status: updated.status };
    });
  }

  // ── outbox ───────────────────────────────────────────────────────────────

  override async alarm(): Promise<void> {
    try {
      await this.drain();
      this.drainAttempts = 0;
    } catch (error) {
      const delay = drainBackoff(this.drainAttempts++);
      // the driver's error carries the query's parameters (customer data): log only the cause
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "unknown";
      console.warn(JSON.stringify({ level: "warn", msg: "outbox drain failed", retry_in_ms: delay, cause }));
      await this.ctx.storage.setAlarm(Date.now() + delay);
    }
  }

  /** Sends the outbox to D1. Only the newest payment snapshot matters: older ones are skipped. */
  private async drain(): Promise<void> {
    const rows = this.ctx.storage.sql
      .exec<{ seq: number; topic: string; payload: string }>("SELECT seq, topic, payload FROM outbox ORDER BY seq")
      .toArray();
    if (rows.length === 0) return;
    const latest = rows.filter((r) => r.topic === "payment.projection").at(-1);
    if (latest) await projectPayment(this.env.DB, JSON.parse(latest.payload) as PaymentRecord);
    this.ctx.storage.sql.exec("DELETE FROM outbox WHERE seq <= ?", rows.at(-1)!.seq);
  }

  // ── internals ────────────────────────────────────────────────────────────

  private load(): PaymentRecord | null {
    const row = this.ctx.storage.sql.exec<{ data: string }>("SELECT data FROM payment WHERE id = 1").toArray()[0];
    return row ? (JSON.parse(row.data) as PaymentRecord) : null;
  }

  /** Takes the channel's answer: its ids and secrets, and its status if the table allows the move. */
  private adoptChannelView(payment: PaymentRecord, view: ChannelPayment, cause: Cause): PaymentRecord {
    const path = view.status === payment.status ? [] : (pathTo(payment.status, view.status) ?? []);
    let from = payment.status;
    const now = Date.now();
    const steps = path.map((to) => {
      const step = { from, to, cause, at: now };
      from = to;
      return step;
    });
    return this.commit(
      {
        ...payment,
        channelPaymentId: view.id,
        clientSecret: view.clientSecret,
        nextAction: view.nextAction,
        failure: view.failure ?? payment.failure,
      },
      steps,
    );
  }

  /**
   * One atomic change: the new payment state, its transitions and the outbox row, in one SQLite
   * transaction, then the alarm that drains the outbox. Refuses any step the table does not allow.
   */
  private commit(next: PaymentRecord, steps: Transition[]): PaymentRecord {
    const now = Date.now();
    const last = steps.at(-1);
    const payment: PaymentRecord = {
      ...next,
      status: last?.to ?? next.status,
      paidAt: last?.to === "succeeded" ? now : next.paidAt,
      version: next.version + 1,
      updatedAt: now,
    };
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
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
      sql.exec(
        "INSERT INTO outbox (topic, payload, created_at) VALUES ('payment.projection', ?, ?)",
        JSON.stringify(payment),
        now,
      );
    });
    void this.ctx.storage.setAlarm(now);
    return payment;
  }
}
