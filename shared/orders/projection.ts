// OrderDO -> D1: the order row (only ever moved to a newer version), its items (written once)
// and its status log (each entry written once, by id), for the drain's one atomic batch.
import type { Orm } from "../db/batch";
import { newerVersionWins } from "../db/forward-only";
import { orderItems, orderLogs, orders } from "../db/schema";
import type { OrderLog, OrderRecord } from "./order";

export interface LoggedTransition extends OrderLog {
  id: string;
}

export function orderWrites(orm: Orm, order: OrderRecord, logs: LoggedTransition[]) {
  const row: typeof orders.$inferInsert = {
    orderNo: order.orderNo,
    merchantId: order.merchantId,
    livemode: order.livemode,
    merchantReference: order.merchantReference,
    customerEmail: order.customerEmail,
    customerName: order.customerName,
    currency: order.currency,
    totalAmount: order.totalAmount,
    paidAmount: order.paidAmount,
    refundedAmount: order.refundedAmount,
    status: order.status,
    paymentNo: order.paymentNo,
    shipping: order.shipping === null ? null : JSON.stringify(order.shipping),
    carrier: order.carrier,
    trackingNo: order.trackingNo,
    metadata: JSON.stringify(order.metadata),
    paidAt: order.paidAt,
    shippedAt: order.shippedAt,
    completedAt: order.completedAt,
    cancelledAt: order.cancelledAt,
    version: order.version,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
  const changing = ["paidAmount", "refundedAmount", "status", "paymentNo", "carrier", "trackingNo", "paidAt", "shippedAt", "completedAt", "cancelledAt", "version", "updatedAt"] as const;
  return [
    orm
      .insert(orders)
      .values(row)
      .onConflictDoUpdate(newerVersionWins(orders, orders.orderNo, changing)),
    ...order.items.map((item, position) =>
      orm
        .insert(orderItems)
        .values({ id: `${order.orderNo}:${position}`, orderNo: order.orderNo, position, ...item })
        .onConflictDoNothing(),
    ),
    ...logs.map((log) =>
      orm
        .insert(orderLogs)
        .values({ id: log.id, orderNo: order.orderNo, fromStatus: log.from, toStatus: log.to, cause: log.cause, actor: log.actor, createdAt: log.at })
        .onConflictDoNothing(),
    ),
  ];
}
