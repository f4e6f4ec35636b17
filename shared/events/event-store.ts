// Events in D1: written once (by id) from PaymentDO's and OrderDO's outboxes, read by the events API.
import { and, asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Orm } from "../db/batch";
import { filters, listPage, type PageRequest } from "../db/pagination";
import { eventDeliveries, events } from "../db/schema";
import type { EventRecord } from "./event";

/** Each event written once, by id. */
export const eventInserts = (orm: Orm, records: EventRecord[]) =>
  records.map((e) =>
    orm
      .insert(events)
      .values({ ...e, data: JSON.stringify(e.data) })
      .onConflictDoNothing(),
  );

export const eventFromRow = (row: typeof events.$inferSelect): EventRecord => ({
  ...row,
  type: row.type as EventRecord["type"],
  data: JSON.parse(row.data) as EventRecord["data"],
});

export function findEvent(db: D1Database, id: string, merchantId: string, livemode: boolean) {
  return drizzle(db)
    .select()
    .from(events)
    .where(and(eq(events.id, id), eq(events.merchantId, merchantId), eq(events.livemode, livemode)))
    .get();
}

const keys = { createdAt: events.createdAt, id: events.id };

export function listEvents(
  db: D1Database,
  f: { merchantId: string; livemode: boolean; type?: string; paymentNo?: string; orderNo?: string; createdGte?: number; createdLte?: number },
  page: PageRequest,
) {
  const scope = and(eq(events.merchantId, f.merchantId), eq(events.livemode, f.livemode))!;
  const conditions = filters(keys, [[events.type, f.type], [events.paymentNo, f.paymentNo], [events.orderNo, f.orderNo]], { gte: f.createdGte, lte: f.createdLte });
  return listPage(db, events, keys, scope, conditions, page);
}

export const deliveriesOf = (db: D1Database, eventId: string) =>
  drizzle(db).select().from(eventDeliveries).where(eq(eventDeliveries.eventId, eventId)).orderBy(asc(eventDeliveries.attempt)).all();

export async function markForResend(db: D1Database, eventId: string) {
  const [row] = await drizzle(db).update(events).set({ deliveryStatus: "pending" }).where(eq(events.id, eventId)).returning();
  return row;
}
