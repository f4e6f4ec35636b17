import { drizzle } from "drizzle-orm/d1";
import { HEALTH_WINDOW_MS } from "../../../shared/routing/health";
import { notFound } from "../../../shared/errors";
import { findMerchant } from "../../../shared/merchants/merchant-store";
import type { Owner } from "../../../shared/payments/payment";
import { platformChannelHealth } from "../../../shared/routing/platform-health";
import * as store from "../../../shared/routing/store";
import type { AppRouteHandler } from "../../openapi/router";
import { activatedVersion, channelHealth, configPage, configVersion, evaluation } from "../routing/routing.handlers";
import { toConfigVersionJson } from "../routing/routing.schemas";
import type * as routes from "./admin-routing.routes";

/** The merchant named in the path; an unknown merchant is a 404. */
async function merchantOf(env: Env, merchantId: string) {
  const merchant = await findMerchant(drizzle(env.DB), merchantId);
  if (!merchant) throw notFound("merchant", merchantId);
  return merchant;
}

/** The merchant named in the path, in the mode the query names. */
async function merchantOwner(env: Env, merchantId: string, livemode: boolean): Promise<Owner> {
  await merchantOf(env, merchantId);
  return { merchantId, livemode };
}

export const listConfigs: AppRouteHandler<typeof routes.listConfigs> = async (c) => {
  const { livemode, ...page } = c.req.valid("query");
  const owner = await merchantOwner(c.env, c.req.valid("param").merchantId, livemode);
  return c.json(await configPage(c.env, owner, page), 200);
};

export const createConfig: AppRouteHandler<typeof routes.createConfig> = async (c) => {
  const owner = await merchantOwner(c.env, c.req.valid("param").merchantId, c.req.valid("query").livemode);
  return c.json(toConfigVersionJson(await store.createConfigVersion(c.env, owner, c.req.valid("json"))), 201);
};

export const getConfig: AppRouteHandler<typeof routes.getConfig> = async (c) => {
  const { merchantId, id } = c.req.valid("param");
  return c.json(await configVersion(c.env, await merchantOwner(c.env, merchantId, c.req.valid("query").livemode), id), 200);
};

export const activateConfig: AppRouteHandler<typeof routes.activateConfig> = async (c) => {
  const { merchantId, id } = c.req.valid("param");
  return c.json(await activatedVersion(c.env, await merchantOwner(c.env, merchantId, c.req.valid("query").livemode), id), 200);
};

export const evaluate: AppRouteHandler<typeof routes.evaluate> = async (c) => {
  const merchant = await merchantOf(c.env, c.req.valid("param").merchantId);
  // as the merchant's own key in that mode would ask
  const auth = { merchant, keyId: null, livemode: c.req.valid("query").livemode };
  return c.json(await evaluation(c.env, auth, c.req.valid("json")), 200);
};

export const merchantHealth: AppRouteHandler<typeof routes.merchantHealth> = async (c) => {
  const owner = await merchantOwner(c.env, c.req.valid("param").merchantId, c.req.valid("query").livemode);
  return c.json(await channelHealth(c.env, owner), 200);
};

export const platformHealth: AppRouteHandler<typeof routes.platformHealth> = async (c) => {
  const { livemode } = c.req.valid("query");
  const now = Date.now();
  const channels = await platformChannelHealth(c.env.DB, livemode, now - HEALTH_WINDOW_MS, now);
  return c.json(
    {
      object: "platform_routing_health" as const,
      livemode,
      window_seconds: HEALTH_WINDOW_MS / 1000,
      data: channels.map((h) => ({
        channel: h.channel,
        attempts: h.attempts,
        succeeded: h.succeeded,
        failed: h.failed,
        success_rate: h.successRate,
        p50_ms: h.p50Ms,
        p95_ms: h.p95Ms,
        merchants: h.merchants,
      })),
    },
    200,
  );
};
