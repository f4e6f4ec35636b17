// Reads of the D1 projection: refund lists and their filters.
import { and, eq } from "drizzle-orm";
import { filters, listPage, type PageRequest } from "../db/pagination";
import { refunds } from "../db/schema";

export interface RefundFilters {
  merchantId: string;
  livemode: boolean;
  paymentNo?: string;
  status?: string;
  createdGte?: number;
  createdLte?: number;
}

const keys = { createdAt: refunds.createdAt, id: refunds.refundNo };

export function listRefunds(db: D1Database, f: RefundFilters, page: PageRequest) {
  const scope = and(eq(refunds.merchantId, f.merchantId), eq(refunds.livemode, f.livemode))!;
  const conditions = filters(keys, [[refunds.paymentNo, f.paymentNo], [refunds.status, f.status]], {
    gte: f.createdGte,
    lte: f.createdLte,
  });
  return listPage(db, refunds, keys, scope, conditions, page);
}
