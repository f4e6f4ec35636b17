import { drizzle } from "drizzle-orm/d1";
import { notFound } from "../../../shared/errors";
import * as store from "../../../shared/merchants/merchant-store";
import type { AppRouteHandler } from "../../openapi/router";
import { toIssuedKeyJson, toMerchantJson } from "../merchant/merchant.schemas";
import type * as routes from "./admin.routes";

export const createMerchant: AppRouteHandler<typeof routes.createMerchant> = async (c) => {
  const created = await store.createMerchant(drizzle(c.env.DB), c.req.valid("json"));
  return c.json(
    {
      merchant: toMerchantJson(created.merchant),
      api_keys: { test: toIssuedKeyJson(created.test), live: toIssuedKeyJson(created.live) },
    },
    201,
  );
};

export const getMerchant: AppRouteHandler<typeof routes.getMerchant> = async (c) => {
  const { merchantId } = c.req.valid("param");
  const merchant = await store.findMerchant(drizzle(c.env.DB), merchantId);
  if (!merchant) throw notFound("merchant", merchantId);
  return c.json(toMerchantJson(merchant), 200);
};
