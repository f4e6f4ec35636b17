// Reads of merchants for operators: the admin list and its filters.
import { eq, or, sql } from "drizzle-orm";
import { filters, listPage, type PageRequest } from "../db/pagination";
import { merchants } from "../db/schema";

export interface MerchantFilters {
  status?: "active" | "suspended";
  email?: string;
  /** The id, whole; or the start of the name or the email, ignoring the case of ASCII letters. */
  q?: string;
  createdGte?: number;
  createdLte?: number;
}

const keys = { createdAt: merchants.createdAt, id: merchants.id };

/** `text` as the start of a LIKE pattern: its own % and _ stand for themselves. */
const startsWith = (text: string) => `${text.replace(/[\\%_]/g, "\\$&")}%`;

/**
 * LIKE folds ASCII case, and with a constant start searches an index collated NOCASE
 * (idx_merchants_name_nocase, idx_merchants_email_nocase) instead of reading every merchant.
 */
function search(q: string) {
  const pattern = startsWith(q);
  return or(
    eq(merchants.id, q),
    sql`${merchants.name} LIKE ${pattern} ESCAPE '\\'`,
    sql`${merchants.email} LIKE ${pattern} ESCAPE '\\'`,
  );
}

/** Every merchant (operators see them all), newest first. */
export function listMerchants(db: D1Database, f: MerchantFilters, page: PageRequest) {
  const conditions = filters(
    keys,
    [[merchants.status, f.status], [merchants.email, f.email]],
    { gte: f.createdGte, lte: f.createdLte },
  );
  return listPage(db, merchants, keys, undefined, [...conditions, f.q === undefined ? undefined : search(f.q)], page);
}
