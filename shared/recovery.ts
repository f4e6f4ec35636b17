// The cron's sweep for stranded work: the payments and orders whose Durable Object may hold work
// with no alarm left to do it (undelivered outbox rows, a notification to hand on, a status sync
// due), and the notifications whose queue message was lost. Asking an object that has nothing
// waiting changes nothing.
import { and, gt, inArray, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { events, orders, payments, refunds } from "./db/schema";

/**
 * How long work may wait before it counts as stranded and is re-driven (RECONCILE_AFTER_SECONDS,
 * default 120): callbacks, outboxes and notifications by the cron, status syncs by the payment.
 */
export const reconcileAfterMs = (env: Env) => Number(env.RECONCILE_AFTER_SECONDS || 120) * 1000;

/** Older than this, a record is not swept (its object would have been asked many times). */
const SWEEP_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** At most this many of each kind per run. */
const SWEEP_LIMIT = 200;

/** Each object to ask, with the events of it whose delivery is overdue. */
export interface StrandedWork {
  payments: Map<string, string[]>;
  orders: Map<string, string[]>;
}

/**
 * Payments unfinished in D1 (or with a refund pending) and orders still pending, `afterMs` after
 * their last change; and the next undelivered event of a payment or order whose attempt is
 * `afterMs` overdue (the first attempt is due when the event is made). Only an owner's first
 * undelivered event counts: the later ones wait for it by design.
 */
export async function strandedWork(db: D1Database, now: number, afterMs: number): Promise<StrandedWork> {
  const orm = drizzle(db);
  const cutoff = now - afterMs;
  const window = now - SWEEP_WINDOW_MS;
  const aged = (column: typeof payments.updatedAt | typeof orders.updatedAt | typeof refunds.updatedAt) =>
    and(lt(column, cutoff), gt(column, window));
  const [openPayments, pendingRefunds, openOrders, overdue] = await orm.batch([
    orm
      .select({ no: payments.paymentNo })
      .from(payments)
      .where(and(inArray(payments.status, ["pending", "requires_action", "processing"]), aged(payments.updatedAt)))
      .limit(SWEEP_LIMIT),
    orm
      .selectDistinct({ no: refunds.paymentNo })
      .from(refunds)
      .where(and(inArray(refunds.status, ["pending"]), aged(refunds.updatedAt)))
      .limit(SWEEP_LIMIT),
    orm
      .select({ no: orders.orderNo })
      .from(orders)
      .where(and(inArray(orders.status, ["pending"]), aged(orders.updatedAt)))
      .limit(SWEEP_LIMIT),
    orm
      .select({ id: events.id, paymentNo: events.paymentNo, orderNo: events.orderNo })
      .from(events)
      .where(
        and(
          inArray(events.deliveryStatus, ["pending"]),
          gt(events.createdAt, window),
          sql`coalesce(${events.nextAttemptAt}, ${events.createdAt}) < ${cutoff}`,
          sql`NOT EXISTS (SELECT 1 FROM events AS earlier WHERE earlier.delivery_status = 'pending'
                AND ((earlier.payment_no = ${events.paymentNo}) OR (earlier.order_no = ${events.orderNo}))
                AND earlier.seq < ${events.seq})`,
        ),
      )
      .limit(SWEEP_LIMIT),
  ]);
  const work: StrandedWork = { payments: new Map(), orders: new Map() };
  for (const { no } of [...openPayments, ...pendingRefunds]) work.payments.set(no, []);
  for (const { no } of openOrders) work.orders.set(no, []);
  for (const event of overdue) {
    const [owners, no] = event.paymentNo ? [work.payments, event.paymentNo] : [work.orders, event.orderNo!];
    owners.set(no, [...(owners.get(no) ?? []), event.id]);
  }
  return work;
}
