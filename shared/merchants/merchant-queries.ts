// Reads of merchants for operators: the admin list and its filters.
import { filters, listPage, type PageRequest } from "../db/pagination";
import { merchants } from "../db/schema";

export interface MerchantFilters {
  status?: "active" | "suspended";
  email?: string;
  createdGte?: number;
  createdLte?: number;
}

const keys = { createdAt: merchants.createdAt, id: merchants.id };

/** Every merchant (operators see them all), newest first. */
export function listMerchants(db: D1Database, f: MerchantFilters, page: PageRequest) {
  const conditions = filters(
    keys,
    [[merchants.status, f.status], [merchants.email, f.email]],
    { gte: f.createdGte, lte: f.createdLte },
  );
  return listPage(db, merchants, keys, undefined, conditions, page);
}
