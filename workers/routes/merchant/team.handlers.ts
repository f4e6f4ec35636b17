import { checkPasswordStrength } from "../../../shared/access/passwords";
import { createPerson, deleteMerchantUser, listMerchantUsers } from "../../../shared/access/people-store";
import { conflict, notFound } from "../../../shared/errors";
import type { AppRouteHandler } from "../../openapi/router";
import { toPersonJson } from "../session/session.schemas";
import type * as routes from "./team.routes";

export const listUsers: AppRouteHandler<typeof routes.listUsers> = async (c) => {
  const users = await listMerchantUsers(c.env.DB, c.get("auth").merchant.id);
  return c.json({ object: "list" as const, data: users.map(toPersonJson), has_more: false }, 200);
};

export const createUser: AppRouteHandler<typeof routes.createUser> = async (c) => {
  const body = c.req.valid("json");
  checkPasswordStrength(body.password);
  const person = await createPerson(c.env.DB, { kind: "merchant", merchantId: c.get("auth").merchant.id, ...body });
  return c.json(toPersonJson(person), 201);
};

export const deleteUser: AppRouteHandler<typeof routes.deleteUser> = async (c) => {
  const { userId } = c.req.valid("param");
  const merchantId = c.get("auth").merchant.id;
  const users = await listMerchantUsers(c.env.DB, merchantId);
  const user = users.find((u) => u.id === userId);
  if (!user) throw notFound("user", userId);
  if (user.role === "owner" && users.filter((u) => u.role === "owner").length === 1) {
    throw conflict("last_owner", "This is the merchant's only owner: add another owner before removing it.");
  }
  if (!(await deleteMerchantUser(c.env.DB, merchantId, userId))) throw notFound("user", userId);
  return c.body(null, 204);
};
