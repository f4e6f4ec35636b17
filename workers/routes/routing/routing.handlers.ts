import { notFound } from "../../../shared/errors";
import { paymentNoFor } from "../../../shared/payments/payment-no";
import type { Routing } from "../../../shared/routing/choose";
import * as store from "../../../shared/routing/store";
import { healthStub } from "../../../shared/routing/health-stub";
import { HEALTH_WINDOW_MS } from "../../../durable-objects/routing-health";
import { ownerOf } from "../../app-env";
import type { AppRouteHandler } from "../../openapi/router";
import { resolvePaymentRoute } from "../payments/payment-route";
import type * as routes from "./routing.routes";
import { toChannelHealthJson, toConfigVersionJson } from "./routing.schemas";

export const listConfigs: AppRouteHandler<typeof routes.listConfigs> = async (c) => {
  const q = c.req.valid("query");
  const page = await store.listConfigVersions(c.env, ownerOf(c.get("auth")), {
    limit: q.limit,
    startingAfter: q.starting_after,
    endingBefore: q.ending_before,
  });
  return c.json({ object: "list" as const, data: page.data.map(toConfigVersionJson), has_more: page.hasMore }, 200);
};

export const createConfig: AppRouteHandler<typeof routes.createConfig> = async (c) => {
  const row = await store.createConfigVersion(c.env, ownerOf(c.get("auth")), c.req.valid("json"));
  return c.json(toConfigVersionJson(row), 201);
};

export const getConfig: AppRouteHandler<typeof routes.getConfig> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await store.findConfigVersion(c.env, ownerOf(c.get("auth")), id);
  if (!row) throw notFound("routing configuration", id);
  return c.json(toConfigVersionJson(row), 200);
};

export const activateConfig: AppRouteHandler<typeof routes.activateConfig> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await store.activateConfigVersion(c.env, ownerOf(c.get("auth")), id);
  if (!row) throw notFound("routing configuration", id);
  return c.json(toConfigVersionJson(row), 200);
};

/** No config and none active: a create goes to the merchant's default channel, which this says. */
const NO_CONFIGURATION: Omit<Routing, "chosen"> = { config: null, strategy: "none", rule: null, leg: null, candidates: [], skipped: [], dynamic: null };

export const evaluate: AppRouteHandler<typeof routes.evaluate> = async (c) => {
  const body = c.req.valid("json");
  const auth = c.get("auth");
  const paymentNo = body.order_no === undefined ? null : await paymentNoFor(auth.merchant.id, auth.livemode, body.order_no);
  const route = await resolvePaymentRoute(c.env, auth, body, paymentNo, body.config && { ref: null, config: body.config });
  const routing = route.routing ?? { ...NO_CONFIGURATION, chosen: route.channel };
  return c.json({ object: "routing_evaluation" as const, payment_no: paymentNo, ...routing }, 200);
};

export const health: AppRouteHandler<typeof routes.health> = async (c) => {
  const { merchant, livemode } = c.get("auth");
  const report = await healthStub(c.env, merchant.id, livemode).report();
  return c.json({ object: "routing_health" as const, livemode, window_seconds: HEALTH_WINDOW_MS / 1000, data: report.map(toChannelHealthJson) }, 200);
};
