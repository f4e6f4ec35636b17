// An order as the API shows it (the `Order` schema); also the `data` of order events. One mapper
// for both sources: OrderDO's record and the D1 projection (orders + order_items rows).
import type { orderItems, orders } from "../db/schema";
import { toIso, toIsoOrNull } from "../time";
import type { OrderItem, OrderRecord } from "./order";
import type { OrderStatus } from "./state-machine";

export type OrderView = Omit<OrderRecord, "paymentNos" | "version">;

export const orderJson = (o: OrderView) => ({
  object: "order" as const,
  order_no: o.orderNo,
  merchant_id: o.merchantId,
  merchant_reference: o.merchantReference,
  status: o.status,
  currency: o.currency,
  items: o.items.map((i) => ({
    product_id: i.productId,
    product_name: i.productName,
    unit_price: i.unitPrice,
    quantity: i.quantity,
    line_total: i.lineTotal,
  })),
  total_amount: o.totalAmount,
  paid_amount: o.paidAmount,
  refunded_amount: o.refundedAmount,
  payment_no: o.paymentNo,
  customer_email: o.customerEmail,
  customer_name: o.customerName,
  shipping: o.shipping,
  carrier: o.carrier,
  tracking_no: o.trackingNo,
  metadata: o.metadata,
  livemode: o.livemode,
  paid_at: toIsoOrNull(o.paidAt),
  shipped_at: toIsoOrNull(o.shippedAt),
  completed_at: toIsoOrNull(o.completedAt),
  cancelled_at: toIsoOrNull(o.cancelledAt),
  created_at: toIso(o.createdAt),
  updated_at: toIso(o.updatedAt),
});

export function orderViewFromRows(r: typeof orders.$inferSelect, items: Array<typeof orderItems.$inferSelect>): OrderView {
  return {
    orderNo: r.orderNo,
    merchantId: r.merchantId,
    livemode: r.livemode,
    merchantReference: r.merchantReference,
    customerEmail: r.customerEmail,
    customerName: r.customerName,
    currency: r.currency,
    items: items
      .sort((a, b) => a.position - b.position)
      .map((i): OrderItem => ({ productId: i.productId, productName: i.productName, unitPrice: i.unitPrice, quantity: i.quantity, lineTotal: i.lineTotal })),
    totalAmount: r.totalAmount,
    paidAmount: r.paidAmount,
    refundedAmount: r.refundedAmount,
    status: r.status as OrderStatus,
    paymentNo: r.paymentNo,
    shipping: r.shipping === null ? null : (JSON.parse(r.shipping) as Record<string, string>),
    carrier: r.carrier,
    trackingNo: r.trackingNo,
    metadata: JSON.parse(r.metadata) as Record<string, string>,
    paidAt: r.paidAt,
    shippedAt: r.shippedAt,
    completedAt: r.completedAt,
    cancelledAt: r.cancelledAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
