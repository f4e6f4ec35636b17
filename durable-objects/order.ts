// OrderDO: the single source of truth for one order. Merchants create, pay, ship, complete,
// cancel and refund it; its payments move it (paid, refunded) through PaymentDO's outbox, each
// payment version applied at most once. It decides; OrderStore persists every change with its
// log, events and outbox rows in one transaction.
import type { OrderCause, OrderLog, OrderOutcome, OrderRecord, NewOrder } from "../shared/orders/order";
import { priceItems } from "../shared/orders/order";
import { canMoveOrder, REFUNDABLE_ORDER, type OrderStatus } from "../shared/orders/state-machine";
import type { NewPayment, Owner, PaymentOutcome, PaymentSnapshot } from "../shared/payments/payment";
import { paymentNoFor } from "../shared/payments/payment-no";
import type { PaymentStatus } from "../shared/payments/state-machine";
import { paymentStub } from "../shared/payments/stub";
import type { RefundOutcome } from "../shared/refunds/refund";
import { OrderStore } from "./order-store";
import { currentTraceId } from "../shared/observability/log-context";
import { OutboxObject, type ObjectSubject } from "./outbox-object";

const ownedBy = (order: OrderRecord, owner: Owner) => order.merchantId === owner.merchantId && order.livemode === owner.livemode;

/** Payment statuses in which the money has been captured. */
const CAPTURED: readonly PaymentStatus[] = ["succeeded", "partially_refunded", "refunded"];
/** Payment statuses after which the order may be paid again with a new payment. */
const DEAD: readonly PaymentStatus[] = ["failed", "cancelled"];

/** How the order's payment is to be made: the route the gateway chose and the customer's options. */
export type PaymentRequest = Pick<
  NewPayment,
  "channel" | "channelAccount" | "paymentMethod" | "notifyUrl" | "returnUrl" | "routing" | "plan" | "maxAttempts" | "customerIp" | "risk" | "amountUsdCents" | "language"
>;

export type PayOutcome = { kind: "payment"; outcome: PaymentOutcome } | Exclude<OrderOutcome, { kind: "created" | "existing" | "conflict" }>;

export class OrderDO extends OutboxObject<OrderStore> {
  protected readonly store: OrderStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new OrderStore(ctx.storage, this.env);
  }

  protected about(): ObjectSubject | null {
    const order = this.store.load();
    return order && { traceId: order.traceId ?? null, merchantId: order.merchantId, orderNo: order.orderNo };
  }

  // ── reads ────────────────────────────────────────────────────────────────

  async get(owner: Owner): Promise<OrderRecord | null> {
    const order = this.store.load();
    return order && ownedBy(order, owner) ? order : null;
  }

  async logs(): Promise<OrderLog[]> {
    return this.store.logs();
  }

  // ── merchant commands ────────────────────────────────────────────────────

  /** Creates the order, or answers the one this reference already has (a conflict if it differs). */
  async create(input: NewOrder, by: OrderCause, traceparent?: string): Promise<OrderOutcome> {
    return this.command(async () => this.createOrder(input, by), traceparent);
  }

  private createOrder(input: NewOrder, by: OrderCause): OrderOutcome {
    const existing = this.store.load();
    const priced = priceItems(input.currency, input.items);
    if ("problem" in priced) throw new Error(priced.problem); // the handler priced it first
    if (existing) {
      const same = existing.currency === input.currency && existing.totalAmount === priced.total && existing.items.length === priced.items.length;
      return { kind: same ? "existing" : "conflict", order: existing };
    }
    const now = Date.now();
    const order = this.store.commit(
      {
        ...input,
        items: priced.items,
        totalAmount: priced.total,
        paidAmount: 0,
        refundedAmount: 0,
        status: "pending",
        paymentNo: null,
        paymentNos: [],
        carrier: null,
        trackingNo: null,
        paidAt: null,
        shippedAt: null,
        completedAt: null,
        cancelledAt: null,
        version: 0,
        traceId: currentTraceId() ?? null,
        createdAt: now,
        updatedAt: now,
      },
      [{ from: null, to: "pending", ...by, at: now }],
    );
    return { kind: "created", order };
  }

  /**
   * Pays the order through the gateway: answers its live payment if it has one (paying twice
   * answers the same payment), else starts a new one with the order's amount and currency. A
   * failed or cancelled payment leaves the order pending, and the next pay starts a new attempt.
   */
  /** The payment is made in the pay request's trace (`traceparent`), the order's being its create's. */
  async pay(owner: Owner, request: PaymentRequest, by: OrderCause, traceparent?: string): Promise<PayOutcome> {
    return this.command(() => this.ctx.blockConcurrencyWhile(async (): Promise<PayOutcome> => {
      const order = this.store.load();
      if (!order || !ownedBy(order, owner)) return { kind: "not_found" };
      if (order.status === "cancelled") return { kind: "unexpected_state", order, message: "A cancelled order cannot be paid." };
      const current = order.paymentNo ? await paymentStub(this.env, order.paymentNo)!.get(owner) : null;
      if (current && (order.status !== "pending" || !DEAD.includes(current.status))) {
        return { kind: "payment", outcome: { kind: "existing", payment: current } };
      }
      // attempt n pays as order_no OR…, then OR…-2, OR…-3: each attempt is its own payment
      const attempt = order.paymentNos.length + 1;
      const paymentOrderNo = attempt === 1 ? order.orderNo : `${order.orderNo}-${attempt}`;
      const paymentNo = await paymentNoFor(order.merchantId, order.livemode, paymentOrderNo);
      if (!order.paymentNos.includes(paymentNo)) {
        // recorded before the payment exists, so the payment's first news is recognised
        this.store.commit({ ...order, paymentNo, paymentNos: [...order.paymentNos, paymentNo] }, []);
      }
      const outcome = await paymentStub(this.env, paymentNo)!.create(
        {
          paymentNo,
          merchantId: order.merchantId,
          livemode: order.livemode,
          orderNo: paymentOrderNo,
          orderLink: order.orderNo,
          amount: order.totalAmount,
          currency: order.currency,
          customerEmail: order.customerEmail,
          customerName: order.customerName,
          description: `Order ${order.orderNo}`,
          metadata: { order_no: order.orderNo },
          ...request,
        },
        { type: "api", id: by.cause },
        traceparent,
      );
      return { kind: "payment", outcome };
    }), traceparent);
  }

  /** Cancels a pending order (and, best effort, its unfinished payment). Cancelling twice is harmless. */
  async cancel(owner: Owner, by: OrderCause): Promise<OrderOutcome> {
    return this.command(() => this.ctx.blockConcurrencyWhile(async (): Promise<OrderOutcome> => {
      const order = this.store.load();
      if (!order || !ownedBy(order, owner)) return { kind: "not_found" };
      if (order.status === "cancelled") return { kind: "existing", order };
      if (!canMoveOrder(order.status, "cancelled")) {
        return { kind: "unexpected_state", order, message: `A ${order.status} order cannot be cancelled; refund it instead.` };
      }
      // A payment still in flight is cancelled if the channel allows; if it succeeds anyway,
      // syncPayment refunds it.
      if (order.paymentNo) {
        const payment = await paymentStub(this.env, order.paymentNo)!.cancel(owner, { type: "api", id: by.cause });
        if (payment.kind === "unexpected_state" && CAPTURED.includes(payment.payment.status)) {
          return { kind: "unexpected_state", order, message: "The order's payment has succeeded: refund the order instead." };
        }
      }
      const now = Date.now();
      const cancelled = this.store.commit({ ...order, cancelledAt: now }, [{ from: order.status, to: "cancelled", ...by, at: now }]);
      return { kind: "existing", order: cancelled };
    }));
  }

  async ship(owner: Owner, shipment: { carrier: string; trackingNo: string }, by: OrderCause): Promise<OrderOutcome> {
    return this.move(owner, "shipped", by, (o, now) => ({ ...o, ...shipment, shippedAt: now }));
  }

  async complete(owner: Owner, by: OrderCause): Promise<OrderOutcome> {
    return this.move(owner, "completed", by, (o, now) => ({ ...o, completedAt: now }));
  }

  /** Refunds through the order's payment; the order follows when the refund succeeds. */
  async refund(owner: Owner, input: { amount?: number; reason: string | null }): Promise<RefundOutcome | Extract<OrderOutcome, { kind: "unexpected_state" }>> {
    const order = this.store.load();
    if (!order || !ownedBy(order, owner)) return { kind: "not_found" };
    if (!REFUNDABLE_ORDER.includes(order.status) || !order.paymentNo) {
      return { kind: "unexpected_state", order, message: `A ${order.status} order cannot be refunded.` };
    }
    return paymentStub(this.env, order.paymentNo)!.createRefund(owner, { ...input, metadata: { order_no: order.orderNo } });
  }

  // ── payment news ─────────────────────────────────────────────────────────

  /**
   * The order's payment changed (from PaymentDO's outbox; redelivered and stale snapshots are
   * ignored). Captured → the order is paid, once. Refunded → the order follows. A payment captured
   * for a cancelled order, or a second one for an order already paid, is refunded automatically.
   */
  async syncPayment(payment: PaymentSnapshot): Promise<void> {
    return this.command(() => this.followPayment(payment));
  }

  private async followPayment(payment: PaymentSnapshot): Promise<void> {
    const order = this.store.load();
    if (!order || !order.paymentNos.includes(payment.paymentNo)) return;
    if (!this.store.isNewPaymentVersion(payment.paymentNo, payment.version)) return;
    if (CAPTURED.includes(payment.status)) await this.followCapturedPayment(order, payment);
    this.store.recordPaymentVersion(payment.paymentNo, payment.version);
  }

  // ── internals ────────────────────────────────────────────────────────────

  /** Applying it again is harmless: each step checks what the order already shows. */
  private async followCapturedPayment(current: OrderRecord, payment: PaymentSnapshot): Promise<void> {
    let order = current;
    const now = Date.now();
    const by: OrderCause = { cause: `payment:${payment.paymentNo}`, actor: "system" };
    if (order.status === "pending") {
      order = this.store.commit(
        { ...order, paymentNo: payment.paymentNo, paidAmount: payment.amount, paidAt: payment.paidAt ?? now },
        [{ from: "pending", to: "paid", ...by, at: now }],
      );
    }
    if (order.status === "cancelled" || order.paymentNo !== payment.paymentNo) {
      if (payment.refundedAmount < payment.amount) {
        const owner = { merchantId: order.merchantId, livemode: order.livemode };
        const reason = order.status === "cancelled" ? "order_cancelled" : "duplicate_payment";
        await paymentStub(this.env, payment.paymentNo)!.createRefund(owner, { reason, metadata: { order_no: order.orderNo } });
      }
      return;
    }
    if (payment.refundedAmount === order.refundedAmount) return;
    const target: OrderStatus = payment.refundedAmount >= order.paidAmount ? "refunded" : "partially_refunded";
    const steps: OrderLog[] = target === order.status ? [] : [{ from: order.status, to: target, ...by, at: now }];
    this.store.commit({ ...order, refundedAmount: payment.refundedAmount }, steps);
  }

  /** A merchant's move along the table (ship, complete); any other is a 409 naming the state. */
  private move(owner: Owner, to: OrderStatus, by: OrderCause, change: (o: OrderRecord, now: number) => OrderRecord): Promise<OrderOutcome> {
    return this.command(async () => this.moveNow(owner, to, by, change));
  }

  private moveNow(owner: Owner, to: OrderStatus, by: OrderCause, change: (o: OrderRecord, now: number) => OrderRecord): OrderOutcome {
    const order = this.store.load();
    if (!order || !ownedBy(order, owner)) return { kind: "not_found" };
    if (!canMoveOrder(order.status, to)) {
      return { kind: "unexpected_state", order, message: `A ${order.status} order cannot become ${to}.` };
    }
    const now = Date.now();
    return { kind: "existing", order: this.store.commit(change(order, now), [{ from: order.status, to, ...by, at: now }]) };
  }
}
