import { drizzle } from "drizzle-orm/d1";
import { notFound } from "../../../shared/errors";
import * as store from "../../../shared/merchants/merchant-store";
import type { AppRouteHandler } from "../../openapi/router";
import type * as routes from "./merchant.routes";
import { toApiKeyJson, toIssuedKeyJson, toMerchantJson } from "./merchant.schemas";

export const getMerchant: AppRouteHandler<typeof routes.getMerchant> = (c) =>
  c.json(toMerchantJson(c.get("auth").merchant), 200);

export const listApiKeys: AppRouteHandler<typeof routes.listApiKeys> = async (c) => {
  const keys = await store.listApiKeys(drizzle(c.env.DB), c.get("auth").merchant.id);
  return c.json({ object: "list" as const, data: keys.map(toApiKeyJson), has_more: false }, 200);
};

export const createApiKey: AppRouteHandler<typeof routes.createApiKey> = async (c) => {
  const { merchant, livemode } = c.get("auth");
  const issued = await store.issueApiKey(drizzle(c.env.DB), merchant.id, livemode);
  const id = issued.row.id;
  c.set(
    "withheldOnReplay",
    `This Idempotency-Key created API key ${id}; its secret was shown once, in the first answer, and is not kept. ` +
      `If it was lost, revoke ${id} and create another.`,
  );
  return c.json(toIssuedKeyJson(issued), 201);
};

export const revokeApiKey: AppRouteHandler<typeof routes.revokeApiKey> = async (c) => {
  const { keyId } = c.req.valid("param");
  const key = await store.revokeApiKey(drizzle(c.env.DB), c.get("auth").merchant.id, keyId);
  if (!key) throw notFound("api key", keyId);
  return c.json(toApiKeyJson(key), 200);
};
