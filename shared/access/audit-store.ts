// The audit log: sign-ins and every change made by a person (dashboard user, operator) or by the
// admin token, with who, what, on which merchant, the answer's status, from where.
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { filters, listPage, type PageRequest } from "../db/pagination";
import { auditLog } from "../db/schema";
import { newId } from "../ids";

export type AuditEntry = typeof auditLog.$inferSelect;
export type AuditInput = Omit<AuditEntry, "id" | "createdAt">;

export async function recordAudit(d1: D1Database, entry: AuditInput, now = Date.now()): Promise<void> {
  await drizzle(d1).insert(auditLog).values({ id: newId("aud"), createdAt: now, ...entry }).run();
}

const keys = { createdAt: auditLog.createdAt, id: auditLog.id };

export interface AuditFilters {
  merchantId?: string;
  actorId?: string;
  createdGte?: number;
  createdLte?: number;
}

/** Newest first; a merchant's own view passes its id as the scope. */
export function listAudit(d1: D1Database, f: AuditFilters, page: PageRequest, scopeMerchantId?: string) {
  const conditions = filters(
    keys,
    [[auditLog.merchantId, f.merchantId], [auditLog.actorId, f.actorId]],
    { gte: f.createdGte, lte: f.createdLte },
  );
  const scope = scopeMerchantId === undefined ? undefined : eq(auditLog.merchantId, scopeMerchantId);
  return listPage(d1, auditLog, keys, scope, conditions, page);
}
