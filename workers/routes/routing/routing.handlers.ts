import type { z } from "@hono/zod-openapi";
import { notFound } from "../../../shared/errors";
import type { Owner } from "../../../shared/payments/payment";
import { paymentNoFor } from "../../../shared/payments/payment-no";
import type { Routing } from "../../../shared/routing/choose";
import * as store from "../../../shared/routing/store";
import { HEALTH_WINDOW_MS, healthStub } from "../../../shared/routing/health";
import { ownerOf, type AuthContext } from "../../app-env";
import type { AppRouteHandler } from "../../openapi/router";
import { resolvePaymentRoute } from "../payments/payment-route";
import type * as routes from "./routing.routes";
import { toChannelHealthJson, toConfigVersionJson } from "./routing.schemas";

// The answers for an owner: these routes ask for the key's, the operator's (admin-routing.handlers.ts)
// for any merchant's in the mode named.

export async function configPage(env: Env, owner: Owner, q: { limit: number; starting_after?: string; ending_before?: string }) {
  const page = await store.listConfigVersions(env, owner, { limit: q.limit, startingAfter: q.starting_after, endingBefore: q.ending_before });
  return { object: "list" as const, data: page.data.map(toConfigVersionJson), has_more: page.hasMore };
}

export async function configVersion(env: Env, owner: Owner, id: string) {
  const row = await store.findConfigVersion(env, owner, id);
  if (!row) throw notFound("routing configuration", id);
  return toConfigVersionJson(row);
}

export async function activatedVersion(env: Env, owner: Owner, id: string) {
  const row = await store.activateConfigVersion(env, owner, id);
  if (!row) throw notFound("routing configuration", id);
  return toConfigVersionJson(row);
}

export async function channelHealth(env: Env, owner: Owner) {
  const report = await healthStub(env, owner.merchantId, owner.livemode).report();
  return { object: "routing_health" as const, livemode: owner.livemode, window_seconds: HEALTH_WINDOW_MS / 1000, data: report.map(toChannelHealthJson) };
}

export const listConfigs: AppRouteHandler<typeof routes.listConfigs> = async (c) =>
  c.json(await configPage(c.env, ownerOf(c.get("auth")), c.req.valid("query")), 200);

export const createConfig: AppRouteHandler<typeof routes.createConfig> = async (c) => {
  const row = await store.createConfigVersion(c.env, ownerOf(c.get("auth")), c.req.valid("json"));
  return c.json(toConfigVersionJson(row), 201);
};

export const getConfig: AppRouteHandler<typeof routes.getConfig> = async (c) =>
  c.json(await configVersion(c.env, ownerOf(c.get("auth")), c.req.valid("param").id), 200);

export const activateConfig: AppRouteHandler<typeof routes.activateConfig> = async (c) =>
  c.json(await activatedVersion(c.env, ownerOf(c.get("auth")), c.req.valid("param").id), 200);

/** No config and none active: a create goes to the merchant's default channel, which this says. */
const NO_CONFIGURATION: Omit<Routing, "chosen"> = { config: null, strategy: "none", rule: null, leg: null, candidates: [], skipped: [], dynamic: null };

/** Where a create with `body` would go for the merchant in the mode `auth` names, and why. */
export async function evaluation(env: Env, auth: AuthContext, body: z.infer<typeof routes.EvaluateBody>) {
  const paymentNo = body.order_no === undefined ? null : await paymentNoFor(auth.merchant.id, auth.livemode, body.order_no);
  const route = await resolvePaymentRoute(env, auth, body, paymentNo, body.config && { ref: null, config: body.config });
  const routing = route.routing ?? { ...NO_CONFIGURATION, chosen: route.channel };
  return { object: "routing_evaluation" as const, payment_no: paymentNo, ...routing };
}

export const evaluate: AppRouteHandler<typeof routes.evaluate> = async (c) =>
  c.json(await evaluation(c.env, c.get("auth"), c.req.valid("json")), 200);

export const health: AppRouteHandler<typeof routes.health> = async (c) => c.json(await channelHealth(c.env, ownerOf(c.get("auth"))), 200);
