import { drizzle } from "drizzle-orm/d1";
import { listAudit, type AuditEntry } from "../../../shared/access/audit-store";
import { checkPasswordStrength } from "../../../shared/access/passwords";
import { createPerson, listMerchantUsers as queryUsers } from "../../../shared/access/people-store";
import { notFound } from "../../../shared/errors";
import { findMerchant } from "../../../shared/merchants/merchant-store";
import { createdRange } from "../../openapi/list";
import type { AppRouteHandler } from "../../openapi/router";
import { toIso } from "../../openapi/schemas";
import { toPersonJson } from "../session/session.schemas";
import type * as routes from "./people.routes";

export const createOperator: AppRouteHandler<typeof routes.createOperator> = async (c) => {
  const body = c.req.valid("json");
  checkPasswordStrength(body.password);
  return c.json(toPersonJson(await createPerson(c.env.DB, { kind: "operator", ...body })), 201);
};

async function merchantOrNotFound(d1: D1Database, merchantId: string) {
  const merchant = await findMerchant(drizzle(d1), merchantId);
  if (!merchant) throw notFound("merchant", merchantId);
  return merchant;
}

export const createMerchantUser: AppRouteHandler<typeof routes.createMerchantUser> = async (c) => {
  const { merchantId } = c.req.valid("param");
  const body = c.req.valid("json");
  await merchantOrNotFound(c.env.DB, merchantId);
  checkPasswordStrength(body.password);
  return c.json(toPersonJson(await createPerson(c.env.DB, { kind: "merchant", merchantId, ...body })), 201);
};

export const listMerchantUsers: AppRouteHandler<typeof routes.listMerchantUsers> = async (c) => {
  const { merchantId } = c.req.valid("param");
  await merchantOrNotFound(c.env.DB, merchantId);
  const users = await queryUsers(c.env.DB, merchantId);
  return c.json({ object: "list" as const, data: users.map(toPersonJson), has_more: false }, 200);
};

export const toAuditJson = (entry: AuditEntry) => ({
  id: entry.id,
  object: "audit_entry" as const,
  created_at: toIso(entry.createdAt),
  actor: { type: entry.actorType, id: entry.actorId, email: entry.actorEmail },
  merchant_id: entry.merchantId,
  livemode: entry.livemode,
  action: entry.action,
  target: entry.target,
  status: entry.status,
  ip: entry.ip,
  request_id: entry.requestId,
});

export const listAuditLog: AppRouteHandler<typeof routes.listAuditLog> = async (c) => {
  const q = c.req.valid("query");
  const page = await listAudit(
    c.env.DB,
    { merchantId: q.merchant_id, actorId: q.actor_id, ...createdRange(q) },
    { limit: q.limit, startingAfter: q.starting_after, endingBefore: q.ending_before },
  );
  return c.json({ object: "list" as const, data: page.data.map(toAuditJson), has_more: page.hasMore }, 200);
};
