// OrderDO's storage: the order, its status log, the payment versions it has seen, the outbox and
// its notification sequence, in the object's own SQLite. Every change is one transaction that
// also writes the outbox rows; drain() delivers them (D1 projection, events, notifications).
import { log } from "../shared/observability/logger";
import { orderEventsOf, type EventRecord } from "../shared/events/event";
import { eventInserts } from "../shared/events/event-store";
import { writeBatch } from "../shared/db/batch";
import { newId } from "../shared/ids";
import type { OrderLog, OrderRecord } from "../shared/orders/order";
import { orderWrites, type LoggedTransition } from "../shared/orders/projection";
import { canMoveOrder, type OrderStatus } from "../shared/orders/state-machine";
import { observeStatement } from "../shared/observability/metrics-store";
import { RecordStore } from "./record-store";

// order_logs are never deleted: their rowid only grows without AUTOINCREMENT's bookkeeping row.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS order_logs (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, from_status TEXT, to_status TEXT NOT NULL,
    cause TEXT NOT NULL, actor TEXT NOT NULL, at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS payment_versions (payment_no TEXT PRIMARY KEY, version INTEGER NOT NULL);
`;

export class OrderStore extends RecordStore<OrderRecord> {
  constructor(storage: DurableObjectStorage, env: Env) {
    super(storage, env, "orders", SCHEMA);
  }

  logs(): OrderLog[] {
    return this.storage.sql
      .exec<{ from_status: OrderStatus | null; to_status: OrderStatus; cause: string; actor: OrderLog["actor"]; at: number }>(
        "SELECT * FROM order_logs ORDER BY seq",
      )
      .toArray()
      .map((r) => ({ from: r.from_status, to: r.to_status, cause: r.cause, actor: r.actor, at: r.at }));
  }

  /** Whether this version of the payment is newer than any the order has applied. */
  isNewPaymentVersion(paymentNo: string, version: number): boolean {
    const seen = this.storage.sql.exec<{ version: number }>("SELECT version FROM payment_versions WHERE payment_no = ?", paymentNo).toArray()[0];
    return !seen || seen.version < version;
  }

  /** The version has been applied in full (recorded last, so a failure part-way is retried). */
  recordPaymentVersion(paymentNo: string, version: number): void {
    this.storage.sql.exec("INSERT OR REPLACE INTO payment_versions (payment_no, version) VALUES (?, ?)", paymentNo, version);
  }

  /**
   * One atomic change: the new order, its logged steps, the events they report and the outbox
   * rows, then the alarm that drains them. Refuses any step the table does not allow.
   */
  commit(next: OrderRecord, steps: OrderLog[]): OrderRecord {
    const now = Date.now();
    const last = steps.at(-1);
    const order: OrderRecord = { ...next, status: last?.to ?? next.status, version: next.version + 1, updatedAt: now };
    const sql = this.storage.sql;
    this.transaction(() => {
      const logged: LoggedTransition[] = [];
      for (const step of steps) {
        if (step.from !== null && !canMoveOrder(step.from, step.to)) {
          throw new Error(`order transition ${step.from} → ${step.to} is not in the table`);
        }
        const entry = { ...step, id: newId("ol") };
        sql.exec(
          "INSERT INTO order_logs (id, from_status, to_status, cause, actor, at) VALUES (?, ?, ?, ?, ?, ?)",
          entry.id, entry.from, entry.to, entry.cause, entry.actor, entry.at,
        );
        logged.push(entry);
      }
      this.save(order);
      this.outbox.add("order.projection", { order, logs: logged }, now);
      const events = orderEventsOf(order, last?.to, this.notifications.nextSeq());
      this.notifications.add(events);
      for (const event of events) this.outbox.add("event", event, now);
    });
    this.armDrain(now);
    for (const step of steps) log.info("order moved", { from: step.from, to: step.to, cause: step.cause, version: order.version });
    return order;
  }

  /** Delivers the outbox: the newest order, every log entry and the events to D1 in one batch, then the next notification. */
  async drain(): Promise<void> {
    const pending = this.outbox.pending();
    if (pending) {
      const projections = pending.of<{ order: OrderRecord; logs: LoggedTransition[] }>("order.projection");
      const newest = projections.at(-1);
      await writeBatch(this.env.DB, (orm) => [
        ...(newest ? orderWrites(orm, newest.order, projections.flatMap((p) => p.logs)) : []),
        observeStatement(orm, "edgepay_projection_lag_seconds", { record: "order" }, (Date.now() - pending.oldestAt) / 1000),
        ...eventInserts(orm, pending.of<EventRecord>("event")),
      ]);
      this.outbox.clear(pending.lastSeq);
    }
    await this.sendNextNotification();
  }

  protected subject(order: OrderRecord) {
    return { orderNo: order.orderNo };
  }
}
