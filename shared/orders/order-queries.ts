// Reads of the D1 projection: the order list, its filters, and the items of a page of orders.
import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { filters, listPage, type PageRequest } from "../db/pagination";
import { orderItems, orders } from "../db/schema";
import { orderViewFromRows } from "./order-json";

export interface OrderFilters {
  merchantId: string;
  livemode: boolean;
  status?: string;
  customerEmail?: string;
  createdGte?: number;
  createdLte?: number;
}

const keys = { createdAt: orders.createdAt, id: orders.orderNo };

export async function listOrders(db: D1Database, f: OrderFilters, page: PageRequest) {
  const scope = and(eq(orders.merchantId, f.merchantId), eq(orders.livemode, f.livemode))!;
  const conditions = filters(keys, [[orders.status, f.status], [orders.customerEmail, f.customerEmail]], {
    gte: f.createdGte,
    lte: f.createdLte,
  });
  const found = await listPage(db, orders, keys, scope, conditions, page);
  const nos = found.data.map((o) => o.orderNo);
  const items = nos.length === 0 ? [] : await drizzle(db).select().from(orderItems).where(inArray(orderItems.orderNo, nos)).all();
  return {
    hasMore: found.hasMore,
    data: found.data.map((o) => orderViewFromRows(o, items.filter((i) => i.orderNo === o.orderNo))),
  };
}
