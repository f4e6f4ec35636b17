// PaymentDO: the single source of truth for one payment. Named by payment_no (derived from
// merchant, mode and order_no), so every request about one order meets here, one at a time.
// It decides; PaymentStore persists every change with its outbox rows in one transaction, and the
// alarm drains the outbox (D1 projection, channel calls) until every row has been delivered.
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
import { walk } from "../shared/payments/payment";
import { canTransition, pathTo, type PaymentStatus } from "../shared/payments/state-machine";
import {
  MAX_REFUNDS_PER_PAYMENT,
  REFUNDABLE,
  REFUND_TRANSITIONS,
  availableToRefund,
  refundNoFor,
  statusAfterRefunds,
  type RefundOutcome,
  type RefundRecord,
} from "../shared/refunds/refund";
import { OutboxObject } from "./outbox-object";
import { PaymentStore } from "./payment-store";

/** The status each channel event reports for the payment; refund events settle refunds. */
const EVENT_STATUS: Partial<Record<ChannelEventType, PaymentStatus>> = {
  "payment.processing": "processing",
  "payment.requires_action": "requires_action",
  "payment.succeeded": "succeeded",
  "payment.failed": "failed",
  "payment.cancelled": "cancelled",
};

const ownedBy = (payment: PaymentRecord, owner: Owner) =>
  payment.merchantId === owner.merchantId && payment.livemode === owner.livemode;

export class PaymentDO extends OutboxObject<PaymentStore> {
  protected readonly store: PaymentStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new PaymentStore(ctx.storage, env);
  }

  // ── reads ────────────────────────────────────────────────────────────────

  /** The payment, if it belongs to `owner`: another merchant's payment does not exist for them. */
  async get(owner: Owner): Promise<PaymentRecord | null> {
    const payment = this.store.load();
    return payment && ownedBy(payment, owner) ? payment : null;
  }

  async getRefund(owner: Owner, refundNo: string): Promise<RefundRecord | null> {
    const payment = this.store.load();
    if (!payment || !ownedBy(payment, owner)) return null;
    return this.store.loadRefunds().find((r) => r.refundNo === refundNo) ?? null;
  }

  async transitions(): Promise<Transition[]> {
    return this.store.transitions();
  }

  // ── commands ─────────────────────────────────────────────────────────────

  /**
   * Creates the payment, or answers the one this order already has. The payment is recorded
   * (pending) before the channel is called, and the channel call carries an idempotency key
   * derived from the payment, so a retry after any failure never makes a second channel payment.
   */
  async create(input: NewPayment & { paymentNo: string }, cause: Cause): Promise<PaymentOutcome> {
    return this.ctx.blockConcurrencyWhile(async () => {
      let payment = this.store.load();
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
          publishableKey: null,
          nextAction: null,
          refundedAmount: 0,
          disputedAt: null,
          failure: null,
          paidAt: null,
          version: 0,
          createdAt: now,
          updatedAt: now,
        };
        payment = this.store.commit(payment, [{ from: null, to: "pending", cause, at: now }]).payment;
        kind = "created";
      }
      if (payment.channelPaymentId === null && payment.status === "pending") {
        try {
          const adapter = await this.adapter(payment);
          const channelPayment = await adapter.createPayment({
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
            this.store.commit({ ...payment, failure }, [{ from: "pending", to: "failed", cause: { type: "channel", id: error.code }, at: Date.now() }]);
          }
          return { kind: "channel_error", code: error.code, message: error.message, status: error.status };
        }
      }
      return { kind, payment };
    });
  }

  async cancel(owner: Owner, cause: Cause): Promise<PaymentOutcome> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const payment = this.store.load();
      if (!payment || !ownedBy(payment, owner)) return { kind: "not_found" };
      if (!canTransition(payment.status, "cancelled")) {
        return { kind: "unexpected_state", payment, message: `A ${payment.status} payment cannot be cancelled.` };
      }
      if (payment.channelPaymentId !== null) {
        try {
          await (await this.adapter(payment)).cancelPayment(payment.channelPaymentId);
        } catch (error) {
          if (!(error instanceof ChannelError)) throw error;
          if (error.status !== 409) return { kind: "channel_error", code: error.code, message: error.message, status: error.status };
          return { kind: "unexpected_state", payment: this.store.load()!, message: `The channel refused: ${error.message}` };
        }
      }
      const now = Date.now();
      const cancelled = this.store.commit(payment, [{ from: payment.status, to: "cancelled", cause, at: now }]).payment;
      return { kind: "existing", payment: cancelled };
    });
  }

  /**
   * Reserves a refund. The check of what is refundable and the reservation are one synchronous
   * transaction in this single-threaded object, so concurrent refunds can never sum past the
   * captured amount. The channel call is queued through the outbox (channel-calls queue).
   */
  async createRefund(
    owner: Owner,
    input: { amount?: number; reason: string | null; metadata: Record<string, string> },
  ): Promise<RefundOutcome> {
    const payment = this.store.load();
    if (!payment || !ownedBy(payment, owner)) return { kind: "not_found" };
    if (!REFUNDABLE.includes(payment.status)) {
      return { kind: "unexpected_state", message: `A ${payment.status} payment cannot be refunded.` };
    }
    const refunds = this.store.loadRefunds();
    if (refunds.length >= MAX_REFUNDS_PER_PAYMENT) {
      return { kind: "unexpected_state", message: `A payment takes at most ${MAX_REFUNDS_PER_PAYMENT} refunds.` };
    }
    const available = availableToRefund(payment, refunds);
    const amount = input.amount ?? available;
    if (amount <= 0 || amount > available) return { kind: "amount_too_large", available };
    const now = Date.now();
    const refund: RefundRecord = {
      refundNo: refundNoFor(payment.paymentNo, refunds.length + 1),
      paymentNo: payment.paymentNo,
      merchantId: payment.merchantId,
      livemode: payment.livemode,
      amount,
      currency: payment.currency,
      status: "pending",
      reason: input.reason,
      metadata: input.metadata,
      channel: payment.channel,
      channelRefundId: null,
      failure: null,
      version: 0,
      createdAt: now,
      updatedAt: now,
    };
    const [stored] = this.store.commit(payment, [], {
      refunds: [refund],
      calls: [{ type: "refund.create", paymentNo: payment.paymentNo, refundNo: refund.refundNo }],
    }).refunds;
    return { kind: "created", refund: stored! };
  }

  /**
   * Calls the channel for a pending refund (from the channel-calls queue). The refund_no is the
   * channel's idempotency key, so a redelivered message never refunds twice. Answers whether the
   * call should be retried (the channel could not be reached).
   */
  async executeRefund(refundNo: string): Promise<{ retry: boolean }> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const payment = this.store.load();
      const refund = this.store.loadRefunds().find((r) => r.refundNo === refundNo);
      if (!payment || !refund || refund.status !== "pending" || refund.channelRefundId !== null) return { retry: false };
      try {
        const answer = await (await this.adapter(payment)).createRefund({
          refundNo,
          paymentNo: payment.paymentNo,
          channelPaymentId: payment.channelPaymentId!,
          amount: refund.amount,
          currency: refund.currency,
          reason: refund.reason,
          idempotencyKey: refundNo,
        });
        const called = { ...refund, channelRefundId: answer.id };
        if (answer.status === "pending") this.store.commit(payment, [], { refunds: [called] });
        else this.settleRefund(payment, called, answer.status, answer.failure, { type: "channel", id: answer.id });
        return { retry: false };
      } catch (error) {
        if (!(error instanceof ChannelError)) throw error;
        if (error.status === 502) return { retry: true };
        this.settleRefund(payment, refund, "failed", { code: error.code, message: error.message }, { type: "channel", id: error.code });
        return { retry: false };
      }
    });
  }

  /** Applies a verified channel event at most once; events the state machine refuses change nothing. */
  async applyChannelEvent(event: ChannelEvent): Promise<EventOutcome> {
    return this.store.recordEvent(event, () => this.decideEvent(event));
  }

  // ── internals ────────────────────────────────────────────────────────────

  /** The channel adapter on the account the payment was made on. */
  private adapter(payment: PaymentRecord) {
    return adapterFor(payment.channel, this.env, payment.channelAccount, payment.livemode);
  }

  /** Applies one event; answers why it changed nothing, or null when it was applied. */
  private decideEvent(event: ChannelEvent): string | null {
    const payment = this.store.load();
    if (!payment) return "no such payment";
    if (event.account !== payment.channelAccount) {
      return `event came through channel account ${event.account ?? "platform"}, not the payment's`;
    }
    if (payment.channelPaymentId !== null && event.channelPaymentId !== payment.channelPaymentId) {
      return `event is about channel payment ${event.channelPaymentId}, not ${payment.channelPaymentId}`;
    }
    if (event.type === "refund.succeeded" || event.type === "refund.failed") return this.applyRefundEvent(payment, event);
    if (event.type === "payment.disputed") {
      if (payment.disputedAt !== null) return "dispute already recorded";
      this.store.commit({ ...payment, disputedAt: event.occurredAt }, []);
      return null;
    }
    const target = EVENT_STATUS[event.type];
    if (!target) return `${event.type} is informational: recorded, nothing to change`;
    const path = target === payment.status ? [] : pathTo(payment.status, target);
    if (path === null) {
      const reason = `transition ${payment.status} → ${target} is not allowed`;
      console.warn(JSON.stringify({ level: "warn", msg: "transition refused", payment_no: payment.paymentNo, event_id: event.eventId, reason }));
      return reason;
    }
    if (path.length === 0) return `already ${target}`;
    this.store.commit(
      { ...payment, failure: target === "failed" ? event.failure : payment.failure },
      walk(payment.status, path, { type: "webhook", id: event.eventId }),
    );
    return null;
  }

  /** A refund event from the channel; answers why it was ignored, or null when applied. */
  private applyRefundEvent(payment: PaymentRecord, event: ChannelEvent): string | null {
    const refund = this.store.loadRefunds().find((r) => r.refundNo === event.refundNo);
    if (!refund) return `no refund ${event.refundNo} on this payment`;
    if (refund.channelRefundId !== null && refund.channelRefundId !== event.channelObjectId) {
      return `event is about channel refund ${event.channelObjectId}, not ${refund.channelRefundId}`;
    }
    const to = event.type === "refund.succeeded" ? "succeeded" : "failed";
    if (!REFUND_TRANSITIONS[refund.status].includes(to)) return `refund already ${refund.status}`;
    this.settleRefund(payment, { ...refund, channelRefundId: event.channelObjectId }, to, event.failure, {
      type: "webhook",
      id: event.eventId,
    });
    return null;
  }

  /**
   * Settles a pending refund. Succeeded: the payment's refunded amount grows and the payment
   * becomes partially_refunded or refunded. Failed: the reservation is released.
   */
  private settleRefund(
    payment: PaymentRecord,
    refund: RefundRecord,
    to: "succeeded" | "failed",
    failure: RefundRecord["failure"],
    cause: Cause,
  ): void {
    const settled: RefundRecord = { ...refund, status: to, failure: to === "failed" ? failure : null };
    if (to === "failed") {
      this.store.commit(payment, [], { refunds: [settled] });
      return;
    }
    const refundedAmount = payment.refundedAmount + refund.amount;
    const target = statusAfterRefunds(payment, refundedAmount);
    const steps = target === payment.status ? [] : walk(payment.status, [target], cause);
    this.store.commit({ ...payment, refundedAmount }, steps, { refunds: [settled] });
  }

  /** Takes the channel's answer: its ids and secrets, and its status if the table allows the move. */
  private adoptChannelView(payment: PaymentRecord, view: ChannelPayment, cause: Cause): PaymentRecord {
    const path = view.status === payment.status ? [] : (pathTo(payment.status, view.status) ?? []);
    return this.store.commit(
      {
        ...payment,
        channelPaymentId: view.id,
        clientSecret: view.clientSecret,
        publishableKey: view.publishableKey,
        nextAction: view.nextAction,
        failure: view.failure ?? payment.failure,
      },
      walk(payment.status, path, cause),
    ).payment;
  }

}
