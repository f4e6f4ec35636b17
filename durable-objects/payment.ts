// PaymentDO: the single source of truth for one payment. Named by payment_no (derived from
// merchant, mode and order_no), so every request about one order meets here, one at a time.
// It decides; PaymentStore persists every change with its outbox rows in one transaction, and the
// alarm drains the outbox (D1 projection, channel calls) until every row has been delivered, then
// asks the channel where the payment stands if it has waited too long for the channel's webhook.
import { ChannelError, type ChannelEvent, type ChannelEventType, type ChannelFailure, type ChannelPayment } from "../shared/channels/adapter";
import { adapterFor } from "../shared/channels/registry";
import type {
  Cause,
  ChannelErrorOutcome,
  EventOutcome,
  NewPayment,
  Owner,
  PaymentOutcome,
  PaymentRecord,
  Transition,
} from "../shared/payments/payment";
import { moneyMismatch, nextActionIn, walk } from "../shared/payments/payment";
import type { ChannelCallMessage } from "../shared/payments/channel-calls";
import {
  attemptFor,
  currentAttempt,
  failOver,
  idempotencyKeyOf,
  nextRoute,
  outcomeOf,
  retriableFailureIn,
  verdictOf,
} from "../shared/payments/attempts";
import { checkoutUrls } from "../shared/payments/checkout-urls";
import { recordException } from "../shared/payments/exceptions";
import { UNSETTLED } from "../shared/payments/sync";
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
import { annotate, currentTraceId } from "../shared/observability/log-context";
import { OutboxObject, type ObjectSubject } from "./outbox-object";
import { PaymentStore } from "./payment-store";
import { log } from "../shared/observability/logger";

/** The status each channel event reports for the payment; refund events settle refunds. */
const EVENT_STATUS: Partial<Record<ChannelEventType, PaymentStatus>> = {
  "payment.processing": "processing",
  "payment.requires_action": "requires_action",
  // approved by the buyer, not yet completed at the channel: a completion call follows
  "payment.approved": "processing",
  "payment.succeeded": "succeeded",
  "payment.failed": "failed",
  "payment.cancelled": "cancelled",
};

/**
 * How long failover may keep one create request waiting; past it, the next attempt is started and
 * called from the channel-calls queue, and the create answers the payment as pending.
 */
const FAILOVER_BUDGET_MS = 8_000;

/** Where a payment its buyer approved at the channel waits to be completed there. */
const AWAITING_COMPLETION: readonly PaymentStatus[] = ["requires_action", "processing"];

const ownedBy = (payment: PaymentRecord, owner: Owner) =>
  payment.merchantId === owner.merchantId && payment.livemode === owner.livemode;

export class PaymentDO extends OutboxObject<PaymentStore> {
  protected readonly store: PaymentStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new PaymentStore(ctx.storage, this.env);
  }

  protected about(): ObjectSubject | null {
    const payment = this.store.load();
    return payment && { traceId: payment.traceId ?? null, merchantId: payment.merchantId, paymentNo: payment.paymentNo };
  }

  // ── reads ────────────────────────────────────────────────────────────────

  /** The payment, if it belongs to `owner`: another merchant's payment does not exist for them. */
  async get(owner: Owner): Promise<PaymentRecord | null> {
    const payment = this.store.load();
    return payment && ownedBy(payment, owner) ? payment : null;
  }

  /** For the buyer's checkout pages (no merchant key): they show only its status. */
  async checkoutView(): Promise<PaymentRecord | null> {
    return this.store.load();
  }

  async getRefund(owner: Owner, refundNo: string): Promise<RefundRecord | null> {
    const payment = this.store.load();
    if (!payment || !ownedBy(payment, owner)) return null;
    return this.store.loadRefunds().find((r) => r.refundNo === refundNo) ?? null;
  }

  async transitions(): Promise<Transition[]> {
    return this.store.transitions();
  }

  /** Every move of the payment, oldest first, if it belongs to `owner` (null otherwise, as get). */
  async timeline(owner: Owner): Promise<Transition[] | null> {
    const payment = this.store.load();
    return payment && ownedBy(payment, owner) ? this.store.transitions() : null;
  }

  // ── commands ─────────────────────────────────────────────────────────────

  /**
   * Creates the payment, or answers the one this order already has. The payment is recorded
   * (pending) before the channel is called, and the channel call carries an idempotency key
   * derived from the payment, so a retry after any failure never makes a second channel payment.
   */
  async create(input: NewPayment & { paymentNo: string }, cause: Cause, traceparent?: string): Promise<PaymentOutcome> {
    return this.command(() => this.ctx.blockConcurrencyWhile(async () => {
      annotate({ merchantId: input.merchantId, paymentNo: input.paymentNo });
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
          nextAction: null,
          refundedAmount: 0,
          disputedAt: null,
          failure: null,
          paidAt: null,
          version: 0,
          traceId: currentTraceId() ?? null,
          createdAt: now,
          updatedAt: now,
        };
        const steps: Transition[] = [{ from: null, to: "pending", cause, at: now }];
        // a block is recorded like any payment, failed before any channel hears of it
        const blocked = input.risk?.action === "block" ? input.risk.rule : null;
        if (blocked) {
          steps.push({ from: "pending", to: "failed", cause: { type: "risk", id: blocked.id }, at: now });
          payment = { ...payment, failure: { code: "risk_blocked", message: `Blocked by risk rule '${blocked.name}'.` } };
        }
        const flagged = input.risk?.action === "review";
        if (flagged) payment = { ...payment, review: { status: "open", openedAt: now, closedAt: null } };
        payment = this.store.commit(payment, steps, flagged ? { review: "opened" } : {}).payment;
        kind = "created";
      }
      if (payment.channelPaymentId === null && payment.status === "pending") {
        const made = await this.attemptAtChannels(payment, { failover: true });
        if (made.kind === "channel_error") return made;
        payment = made.payment;
      }
      return { kind, payment };
    }), traceparent);
  }

  /**
   * Cancels at the channel, then here. When the channel refuses because the payment has moved on
   * there (it succeeded meanwhile), the payment takes the channel's status and the answer says so.
   */
  async cancel(owner: Owner, cause: Cause): Promise<PaymentOutcome> {
    return this.command(() => this.ctx.blockConcurrencyWhile(async () => {
      const found = this.store.load();
      if (!found || !ownedBy(found, owner)) return { kind: "not_found" };
      return this.cancelNow(found, cause);
    }));
  }

  /**
   * Closes the payment's open risk review. Approving changes nothing else; rejecting cancels a
   * payment that can still be cancelled, or refunds in full one already captured (reason
   * fraudulent), and the review closes only once that went through.
   */
  async closeReview(owner: Owner, verdict: "approve" | "reject", cause: Cause): Promise<PaymentOutcome> {
    return this.command(() => this.ctx.blockConcurrencyWhile(async () => {
      const found = this.store.load();
      if (!found || !ownedBy(found, owner)) return { kind: "not_found" };
      if (found.review?.status !== "open") {
        return { kind: "unexpected_state", payment: found, message: "The payment has no open review." };
      }
      let payment = found;
      if (verdict === "reject") {
        if (canTransition(payment.status, "cancelled")) {
          const cancelled = await this.cancelNow(payment, cause);
          if (cancelled.kind !== "existing") return cancelled;
          payment = cancelled.payment;
        } else if (REFUNDABLE.includes(payment.status)) {
          const refund = this.reserveRefund(owner, { reason: "fraudulent", metadata: { review: "rejected" } });
          if (refund.kind !== "created") return { kind: "unexpected_state", payment, message: "The payment could not be refunded." };
          payment = this.store.load()!;
        } else if (payment.status !== "failed" && payment.status !== "cancelled") {
          return { kind: "unexpected_state", payment, message: `A ${payment.status} payment can be rejected once it settles.` };
        }
      }
      const review = { ...payment.review!, status: verdict === "approve" ? ("approved" as const) : ("rejected" as const), closedAt: Date.now() };
      return { kind: "existing", payment: this.store.commit({ ...payment, review }, [], { review: "closed" }).payment };
    }));
  }

  /** The cancel itself, for a merchant's cancel and a rejected review. */
  private async cancelNow(found: PaymentRecord, cause: Cause): Promise<PaymentOutcome> {
    let payment = found;
    const refusal = (p: PaymentRecord, message = `A ${p.status} payment cannot be cancelled.`) =>
      ({ kind: "unexpected_state", payment: p, message }) as const;
    if (!canTransition(payment.status, "cancelled")) return refusal(payment);
    if (payment.channelPaymentId === null) {
      // A create interrupted before the channel's answer was stored may still have made the
      // payment there, where it could be captured unseen: learn it first, then cancel it.
      const made = await this.attemptAtChannels(payment, { failover: false });
      if (made.kind === "channel_error") return made.status === 502 ? made : refusal(this.store.load()!);
      payment = made.payment;
      if (!canTransition(payment.status, "cancelled")) return refusal(payment);
    }
    const adapter = await this.adapter(payment);
    try {
      await adapter.cancelPayment(payment.channelPaymentId!);
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      if (error.status !== 409) return { kind: "channel_error", code: error.code, message: error.message, status: error.status };
      const now = await this.refreshFromChannel(payment).catch(() => payment);
      return refusal(now, `The channel refused to cancel the payment (${error.message}); it is ${now.status}.`);
    }
    const cancelled = this.store.commit(payment, [{ from: payment.status, to: "cancelled", cause, at: Date.now() }]).payment;
    return { kind: "existing", payment: cancelled };
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
    return this.command(async () => this.reserveRefund(owner, input));
  }

  private reserveRefund(owner: Owner, input: { amount?: number; reason: string | null; metadata: Record<string, string> }): RefundOutcome {
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
    return this.command(() => this.ctx.blockConcurrencyWhile(async () => {
      const payment = this.store.load();
      const refund = this.store.loadRefunds().find((r) => r.refundNo === refundNo);
      if (!payment || !refund || refund.status !== "pending" || refund.channelRefundId !== null) return { retry: false };
      return this.refundAtChannel(payment, refund);
    }));
  }

  /**
   * The buyer came back from the channel's page (PayPal's approval): completes the payment there
   * (the capture) and answers it as it then stands. `channelPaymentId` is what the channel put in
   * the return URL; another payment's id finds nothing. The channel refuses a payment its buyer
   * did not approve, which leaves it as it was.
   */
  async completeApproved(channelPaymentId: string, cause: Cause): Promise<PaymentOutcome> {
    return this.command(() => this.ctx.blockConcurrencyWhile(async () => {
      const payment = this.store.load();
      if (!payment || payment.channelPaymentId === null || payment.channelPaymentId !== channelPaymentId) return { kind: "not_found" };
      return this.completeAtChannel(payment, cause);
    }));
  }

  /** The completion call queued by an approval event (channel-calls queue); retried while the channel is down. */
  async executeCompletion(): Promise<{ retry: boolean }> {
    return this.command(() => this.ctx.blockConcurrencyWhile(async () => {
      const payment = this.store.load();
      if (!payment) return { retry: false };
      const outcome = await this.completeAtChannel(payment, { type: "channel", id: "payment.complete" });
      return { retry: outcome.kind === "channel_error" && outcome.status === 502 };
    }));
  }

  /** The next attempt failover started when the create had no time left to call it (channel-calls queue). */
  async executeAttempt(): Promise<{ retry: boolean }> {
    return this.command(() => this.ctx.blockConcurrencyWhile(async () => {
      const payment = this.store.load();
      if (!payment || payment.channelPaymentId !== null || payment.status !== "pending") return { retry: false };
      const made = await this.attemptAtChannels(payment, { failover: true });
      return { retry: made.kind === "channel_error" && made.status === 502 };
    }));
  }

  /** The status sync queued when an exception was recorded: learns what the buyer paid. */
  async executeSync(): Promise<{ retry: boolean }> {
    return this.command(() => this.ctx.blockConcurrencyWhile(async () => {
      const payment = this.store.load();
      if (!payment || payment.channelPaymentId === null) return { retry: false };
      try {
        await this.refreshFromChannel(payment);
        return { retry: false };
      } catch (error) {
        if (!(error instanceof ChannelError)) throw error;
        return { retry: error.status === 502 };
      }
    }));
  }

  /** Applies a verified channel event at most once; events the state machine refuses change nothing. */
  async applyChannelEvent(event: ChannelEvent): Promise<EventOutcome> {
    const payment = this.store.load();
    if (!payment) return { outcome: "ignored", reason: "no such payment", duplicate: false };
    // Refused before the event id is recorded: that id must stay free for the account that may send it.
    if (attemptFor(payment, event) === null) {
      return { outcome: "ignored", reason: `event came through ${event.channel} account ${event.account ?? "platform"}, which no attempt of the payment used`, duplicate: false };
    }
    return this.command(async () => this.store.recordEvent(event, () => this.decideEvent(event)));
  }

  /** From the alarm: a status sync when one is due (the channel's webhook may never come). */
  protected override async runScheduled(): Promise<void> {
    if (!this.store.syncDue(Date.now())) return;
    const changed = await this.syncWithChannel();
    // a change starts the schedule over; otherwise the next sync backs off
    if (!changed) this.store.recordSyncAttempt(Date.now());
  }

  // ── internals ────────────────────────────────────────────────────────────

  /** The channel adapter on the account the payment was made on. */
  private adapter(payment: PaymentRecord) {
    return adapterFor(payment.channel, this.env, payment.channelAccount, payment.livemode);
  }

  /**
   * Makes the payment at its channel, attempt after attempt: each create carries its attempt's
   * idempotency key, so repeating one never makes a second payment. Failover to the plan's next
   * channel follows an outage the channel certainly did not act on, or a decline its channel marks
   * retriable; an outage of unknown outcome (a timeout) is first asked about by repeating the
   * create with the same key, and stays on its attempt while that cannot tell, so one payment is
   * never made twice. Without failover (or with nowhere to go) a refusal fails the payment and an
   * outage leaves it pending for the next try or status sync.
   */
  private async attemptAtChannels(start: PaymentRecord, options: { failover: boolean }): Promise<{ kind: "made"; payment: PaymentRecord } | ChannelErrorOutcome> {
    const deadline = Date.now() + FAILOVER_BUDGET_MS;
    let payment = start;
    let asked = false;
    for (;;) {
      const attempt = currentAttempt(payment);
      const began = Date.now();
      const answer = await this.callCreate(payment).then((view) => ({ view }), (error: unknown) => {
        if (error instanceof ChannelError) return { error };
        throw error;
      });
      const latencyMs = Date.now() - began;
      const route = options.failover ? nextRoute(payment, payment.plan ?? [], payment.maxAttempts ?? 1) : null;
      const moveOn = (failure: ChannelFailure, channelPaymentId: string | null, kind: "declined" | "outage") => {
        const deferred = Date.now() >= deadline;
        const outcome = outcomeOf(payment, attempt.channel, kind, latencyMs, Date.now());
        const calls: ChannelCallMessage[] = deferred ? [{ type: "payment.attempt", paymentNo: payment.paymentNo }] : [];
        payment = this.store.commit(failOver(payment, route!, { failure, channelPaymentId, latencyMs }, Date.now()), [], { outcomes: [outcome], calls }).payment;
        asked = false;
        return deferred;
      };
      if ("view" in answer) {
        const { view } = answer;
        if (route && retriableFailureIn(attempt.channel, view.status, view.failure)) {
          if (moveOn(view.failure!, view.id, "declined")) return { kind: "made", payment };
          continue;
        }
        return { kind: "made", payment: this.adoptChannelView(payment, view, { type: "channel", id: view.id }, latencyMs) };
      }
      const { error } = answer;
      const verdict = verdictOf(attempt.channel, error);
      const refusal = { kind: "channel_error", code: error.code, message: error.message, status: error.status } as const;
      // the same key answers what the lost call made, if it made anything
      if (verdict.kind === "unknown" && !asked) {
        asked = true;
        continue;
      }
      if (route && (verdict.kind === "outage" || verdict.kind === "retriable_decline")) {
        if (moveOn(verdict.failure, null, verdict.kind === "outage" ? "outage" : "declined")) return { kind: "made", payment };
        continue;
      }
      if (verdict.kind === "refused" || verdict.kind === "retriable_decline") {
        const steps = [{ from: payment.status, to: "failed" as const, cause: { type: "channel" as const, id: error.code }, at: Date.now() }];
        this.store.commit({ ...payment, failure: verdict.failure }, steps, { latencyMs });
        return refusal;
      }
      // nowhere to go, or still unknown: the payment waits on this attempt for a retry or status sync
      this.store.commit(payment, [], { outcomes: [outcomeOf(payment, attempt.channel, "outage", latencyMs, Date.now())] });
      return refusal;
    }
  }

  /** One create call for the payment's current attempt. */
  private async callCreate(payment: PaymentRecord): Promise<ChannelPayment> {
    return (await this.adapter(payment)).createPayment({
      paymentNo: payment.paymentNo,
      merchantId: payment.merchantId,
      livemode: payment.livemode,
      amount: payment.amount,
      currency: payment.currency,
      paymentMethod: payment.paymentMethod,
      description: payment.description,
      customerEmail: payment.customerEmail,
      ...checkoutUrls(this.env, payment.paymentNo),
      idempotencyKey: idempotencyKeyOf(payment.paymentNo, currentAttempt(payment).attemptNo),
    });
  }

  /**
   * Completes an approved payment at its channel, with a key of its own so that the return, the
   * approval webhook and status sync together capture once. A refusal that is the buyer's
   * (declined funding, 402) fails the payment; "not approved" or "already done" (409) leaves it
   * as it stands; an outage (502) leaves it for the next try.
   */
  private async completeAtChannel(payment: PaymentRecord, cause: Cause): Promise<PaymentOutcome> {
    // checked before the adapter, which may read the merchant's credentials from D1
    if (payment.channelPaymentId === null || !AWAITING_COMPLETION.includes(payment.status)) return { kind: "existing", payment };
    const adapter = await this.adapter(payment);
    if (!adapter.completePayment) return { kind: "existing", payment };
    try {
      const key = `${idempotencyKeyOf(payment.paymentNo, currentAttempt(payment).attemptNo)}:complete`;
      const view = await adapter.completePayment(payment.channelPaymentId, key);
      return { kind: "existing", payment: this.adoptChannelView(payment, view, cause) };
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      if (error.status === 409) return { kind: "existing", payment };
      if (error.status === 402) {
        const failure = { code: error.code, message: error.message };
        const failed = this.store.commit({ ...payment, failure }, walk(payment.status, ["failed"], { type: "channel", id: error.code })).payment;
        return { kind: "existing", payment: failed };
      }
      return { kind: "channel_error", code: error.code, message: error.message, status: error.status };
    }
  }

  /** The channel call of a pending refund; its refund_no is the channel's idempotency key. */
  private async refundAtChannel(payment: PaymentRecord, refund: RefundRecord): Promise<{ retry: boolean }> {
    try {
      const answer = await (await this.adapter(payment)).createRefund({
        refundNo: refund.refundNo,
        paymentNo: payment.paymentNo,
        channelPaymentId: payment.channelPaymentId!,
        amount: refund.amount,
        currency: refund.currency,
        reason: refund.reason,
        idempotencyKey: refund.refundNo,
      });
      const called = { ...refund, channelRefundId: answer.id, nextAction: answer.nextAction ?? null };
      if (answer.status === "pending") this.store.commit(payment, [], { refunds: [called] });
      else this.settleRefund(payment, called, answer.status, answer.failure, { type: "channel", id: answer.id });
      return { retry: false };
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      if (error.status === 502) return { retry: true };
      this.settleRefund(payment, refund, "failed", { code: error.code, message: error.message }, { type: "channel", id: error.code });
      return { retry: false };
    }
  }

  /**
   * Asks the channel where the payment and its pending refunds stand and applies its answers
   * through the state machine (cause `sync`). A payment whose create was interrupted learns its
   * channel payment by repeating the create (same idempotency key); a refund whose call never
   * went out is called now (its refund_no is the key). Answers whether anything changed.
   */
  private async syncWithChannel(): Promise<boolean> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const before = this.store.load();
      if (!before) return false;
      let payment = before;
      try {
        const adapter = await this.adapter(payment);
        if (UNSETTLED.includes(payment.status)) {
          if (payment.channelPaymentId === null) {
            const made = await this.attemptAtChannels(payment, { failover: true });
            if (made.kind === "made") payment = made.payment;
          } else {
            payment = await this.refreshFromChannel(payment);
          }
        }
        for (const refund of this.store.loadRefunds().filter((r) => r.status === "pending")) {
          payment = this.store.load()!;
          if (refund.channelRefundId === null) {
            await this.refundAtChannel(payment, refund);
            continue;
          }
          const answer = await adapter.getRefund(refund.channelRefundId);
          if (answer.status !== "pending") this.settleRefund(payment, refund, answer.status, answer.failure, { type: "sync", id: answer.id });
        }
      } catch (error) {
        if (!(error instanceof ChannelError)) throw error;
        log.warn("status sync failed", { code: error.code, status: error.status });
      }
      return this.store.load()!.version !== before.version;
    });
  }

  /**
   * The channel's view of the payment, adopted (cause `sync`); a payment the buyer approved there
   * but that was never completed (its return and webhook both lost) is completed now.
   */
  private async refreshFromChannel(payment: PaymentRecord): Promise<PaymentRecord> {
    const view = await (await this.adapter(payment)).getPayment(payment.channelPaymentId!);
    const adopted = this.adoptChannelView(payment, view, { type: "sync", id: view.id });
    if (!view.awaitingCompletion) return adopted;
    const completed = await this.completeAtChannel(adopted, { type: "sync", id: view.id });
    return completed.kind === "existing" ? completed.payment : adopted;
  }

  /** Applies one event; answers why it changed nothing, or null when it was applied. */
  private decideEvent(event: ChannelEvent): string | null {
    const payment = this.store.load()!;
    const attempt = attemptFor(payment, event)!;
    const current = currentAttempt(payment);
    // an attempt failover left behind never moves the payment past what the current one says
    if (attempt.attemptNo !== current.attemptNo) {
      if (event.type === "payment.succeeded") {
        log.error("an abandoned attempt reports money taken", { attempt_no: attempt.attemptNo, event_id: event.eventId });
      }
      return `event is about attempt ${attempt.attemptNo} (${attempt.channel}); the payment is on attempt ${current.attemptNo} (${current.channel})`;
    }
    // refund and dispute events of some channels name no payment id (PayPal's name the capture)
    if (payment.channelPaymentId !== null && event.channelPaymentId !== null && event.channelPaymentId !== payment.channelPaymentId) {
      return `event is about channel payment ${event.channelPaymentId}, not ${payment.channelPaymentId}`;
    }
    if (event.type === "refund.succeeded" || event.type === "refund.failed") return this.applyRefundEvent(payment, event);
    if (event.type === "payment.disputed") {
      if (payment.disputedAt !== null) return "dispute already recorded";
      this.store.commit({ ...payment, disputedAt: event.occurredAt }, []);
      return null;
    }
    // the approval webhook often lands after the buyer's return has completed the payment
    if (event.type === "payment.approved" && !UNSETTLED.includes(payment.status)) return `approved after the payment was ${payment.status}`;
    // money that did not go as asked is recorded whatever the status does; what the buyer paid is
    // then asked of the channel (a queued sync), as webhooks do not say
    const exceptions = event.exception ? recordException(payment, event.exception, null, Date.now()) : null;
    const target = EVENT_STATUS[event.type];
    const refusal = target
      ? (moneyMismatch(payment, event.money) ?? this.pathRefusal(payment, target, event))
      : `${event.type} is informational: recorded, nothing to change`;
    if (refusal && !exceptions) return refusal;
    const moves = !refusal && target !== undefined;
    const calls: ChannelCallMessage[] = [];
    if (moves && event.type === "payment.approved") calls.push({ type: "payment.complete", paymentNo: payment.paymentNo });
    if (exceptions) calls.push({ type: "payment.sync", paymentNo: payment.paymentNo });
    this.store.commit(
      {
        ...payment,
        // a create interrupted before the channel's answer was stored: its event names the payment it made
        channelPaymentId: payment.channelPaymentId ?? event.channelPaymentId,
        failure: moves && target === "failed" ? event.failure : payment.failure,
        exceptions: exceptions ?? payment.exceptions,
      },
      moves ? walk(payment.status, pathTo(payment.status, target)!, { type: "webhook", id: event.eventId }) : [],
      { calls, exceptionRecorded: exceptions !== null },
    );
    return null;
  }

  /** Why an event reporting `target` cannot move the payment, or null when a path leads there. */
  private pathRefusal(payment: PaymentRecord, target: PaymentStatus, event: ChannelEvent): string | null {
    if (target === payment.status) return `already ${target}`;
    if (pathTo(payment.status, target) !== null) return null;
    const reason = `transition ${payment.status} → ${target} is not allowed`;
    log.warn("transition refused", { event_id: event.eventId, reason });
    return reason;
  }

  /** A refund event from the channel; answers why it was ignored, or null when applied. */
  private applyRefundEvent(payment: PaymentRecord, event: ChannelEvent): string | null {
    const refund = this.store.loadRefunds().find((r) => r.refundNo === event.refundNo);
    if (!refund) return `no refund ${event.refundNo} on this payment`;
    if (refund.channelRefundId !== null && refund.channelRefundId !== event.channelObjectId) {
      return `event is about channel refund ${event.channelObjectId}, not ${refund.channelRefundId}`;
    }
    const mismatch = moneyMismatch(refund, event.money);
    if (mismatch) return mismatch;
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

  /**
   * Takes the channel's answer: its ids and secrets, and its status if the table allows the move.
   * An answer that changes nothing commits nothing; one the table cannot follow (the channel says
   * succeeded, the payment here is cancelled) is logged as an error for an operator.
   */
  private adoptChannelView(payment: PaymentRecord, view: ChannelPayment, cause: Cause, createLatencyMs?: number): PaymentRecord {
    const path = view.status === payment.status ? [] : pathTo(payment.status, view.status);
    if (path === null) {
      log.error("channel and platform disagree", { channel_status: view.status, status: payment.status });
    }
    const exceptions = view.exception ? recordException(payment, view.exception, view.received, Date.now()) : null;
    const next: PaymentRecord = {
      ...payment,
      channelPaymentId: view.id,
      clientSecret: view.clientSecret,
      nextAction: nextActionIn(path?.at(-1) ?? payment.status, view.nextAction),
      failure: view.failure ?? payment.failure,
      exceptions: exceptions ?? payment.exceptions,
    };
    // the answer to a create is news for routing health even when it changes nothing else
    if (!path?.length && createLatencyMs === undefined && JSON.stringify(next) === JSON.stringify(payment)) return payment;
    const exceptionRecorded = (exceptions?.length ?? 0) > (payment.exceptions?.length ?? 0);
    const answered = createLatencyMs === undefined ? [] : [outcomeOf(payment, currentAttempt(payment).channel, "answered", createLatencyMs, Date.now())];
    return this.store.commit(next, walk(payment.status, path ?? [], cause), { exceptionRecorded, latencyMs: createLatencyMs, outcomes: answered }).payment;
  }
}
