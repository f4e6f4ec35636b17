// The cron's sweep for stranded work: the payments and orders whose Durable Object may hold
// undelivered outbox rows or notifications with no alarm left to deliver them. A payment or order
// still unfinished in D1, or an event still undelivered, after STRANDED_AFTER_MS is asked to
// re-arm its alarm; asking one that has nothing waiting changes nothing.
import { and, gt, inArray, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { events, orders, payments } from "./db/schema";

export const STRANDED_AFTER_MS = 2 * 60 * 1000;
/** Older than this, a record is not swept (its object would have been asked many times). */
const SWEEP_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** At most this many objects of each kind per run. */
const SWEEP_LIMIT = 200;

export async function strandedSubjects(db: D1Database, now: number): Promise<{ paymentNos: string[]; orderNos: string[] }> {
  const orm = drizzle(db);
  const aged = <T extends { updatedAt: typeof payments.updatedAt | typeof orders.updatedAt }>(t: T) =>
    and(lt(t.updatedAt, now - STRANDED_AFTER_MS), gt(t.updatedAt, now - SWEEP_WINDOW_MS));
  const [openPayments, openOrders, undelivered] = await orm.batch([
    orm
      .select({ no: payments.paymentNo })
      .from(payments)
      .where(and(inArray(payments.status, ["pending", "requires_action", "processing"]), aged(payments)))
      .limit(SWEEP_LIMIT),
    orm
      .select({ no: orders.orderNo })
      .from(orders)
      .where(and(inArray(orders.status, ["pending"]), aged(orders)))
      .limit(SWEEP_LIMIT),
    orm
      .select({ paymentNo: events.paymentNo, orderNo: events.orderNo })
      .from(events)
      .where(and(inArray(events.deliveryStatus, ["pending"]), lt(events.createdAt, now - STRANDED_AFTER_MS), gt(events.createdAt, now - SWEEP_WINDOW_MS)))
      .limit(SWEEP_LIMIT),
  ]);
  const unique = (nos: Array<string | null>) => [...new Set(nos.filter((n): n is string => n !== null))];
  return {
    paymentNos: unique([...openPayments.map((r) => r.no), ...undelivered.map((e) => e.paymentNo)]),
    orderNos: unique([...openOrders.map((r) => r.no), ...undelivered.map((e) => e.orderNo)]),
  };
}
