// The operator's routing routes: any merchant's configuration versions and channel health (the
// merchant's own routes, answered alike), and channel health over every merchant.
import { createRoute, z } from "@hono/zod-openapi";
import { CHANNELS } from "../../../shared/channels/registry";
import { RoutingConfigSchema } from "../../../shared/routing/config";
import { errorResponses, jsonBody, jsonContent, noParameters } from "../../openapi/route-helpers";
import * as merchantRoutes from "../routing/routing.routes";
import { adminSecurity } from "./admin.routes";

const tags = ["Admin"];

/** An operator has no key and so no mode: each route names it, strictly `true` or `false`. */
export const livemode = z
  .string()
  .pipe(z.enum(["true", "false"], { error: "must be true or false" }))
  .transform((value) => value === "true")
  .openapi({ type: "string", enum: ["true", "false"], description: "The mode: `true` for live, `false` for test.", example: "false" });

const merchantParams = z.object({ merchantId: z.string().min(1).openapi({ example: "mch_4Yb1tWq0cZ8mN2rL7sKd" }) });
const configParams = merchantParams.extend(merchantRoutes.getConfig.request.params.shape);
export const modeQuery = z.strictObject({ livemode });

export const listConfigs = createRoute({
  method: "get",
  path: "/api/v1/admin/merchants/{merchantId}/routing/configs",
  tags,
  summary: "List a merchant's routing configuration versions in a mode, newest first",
  security: adminSecurity,
  request: { params: merchantParams, query: merchantRoutes.listConfigs.request.query.extend({ livemode }) },
  responses: {
    200: merchantRoutes.listConfigs.responses[200],
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export const createConfig = createRoute({
  method: "post",
  path: "/api/v1/admin/merchants/{merchantId}/routing/configs",
  tags,
  summary: "Store a routing configuration as a merchant's next version in a mode (inactive until activated)",
  description: merchantRoutes.createConfig.description,
  security: adminSecurity,
  request: { params: merchantParams, query: modeQuery, ...jsonBody(RoutingConfigSchema) },
  responses: {
    201: merchantRoutes.createConfig.responses[201],
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export const getConfig = createRoute({
  method: "get",
  path: "/api/v1/admin/merchants/{merchantId}/routing/configs/{id}",
  tags,
  summary: "Retrieve a version of a merchant's routing configuration",
  security: adminSecurity,
  request: { params: configParams, query: modeQuery },
  responses: {
    200: merchantRoutes.getConfig.responses[200],
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export const activateConfig = createRoute({
  method: "post",
  path: "/api/v1/admin/merchants/{merchantId}/routing/configs/{id}/activate",
  tags,
  summary: "Route a merchant's new payments in a mode by this version",
  description: merchantRoutes.activateConfig.description,
  security: adminSecurity,
  request: { params: configParams, query: modeQuery, ...noParameters },
  responses: {
    200: merchantRoutes.activateConfig.responses[200],
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export const evaluate = createRoute({
  method: "post",
  path: "/api/v1/admin/merchants/{merchantId}/routing/evaluate",
  tags,
  summary: "Dry run for a merchant in a mode: where a payment with these facts would go, and why",
  description: merchantRoutes.evaluate.description,
  security: adminSecurity,
  request: { params: merchantParams, query: modeQuery, ...jsonBody(merchantRoutes.EvaluateBody) },
  responses: {
    200: merchantRoutes.evaluate.responses[200],
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export const merchantHealth = createRoute({
  method: "get",
  path: "/api/v1/admin/merchants/{merchantId}/routing/health",
  tags,
  summary: "A merchant's channel health in a mode, with its circuits, as the merchant sees it",
  description: merchantRoutes.health.description,
  security: adminSecurity,
  request: { params: merchantParams, query: modeQuery },
  responses: {
    200: merchantRoutes.health.responses[200],
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

const PlatformChannelHealthSchema = z
  .object({
    channel: z.enum(CHANNELS),
    attempts: z.number().int().openapi({ description: "Attempts created in the window, whatever became of them." }),
    succeeded: z.number().int(),
    failed: z.number().int(),
    success_rate: z.number().nullable().openapi({ description: "succeeded / (succeeded + failed), to 4 places; null before any settled." }),
    p50_ms: z.number().int().nullable().openapi({ description: "Create latency in ms, exact (nearest rank over the attempts that have one)." }),
    p95_ms: z.number().int().nullable(),
    merchants: z.number().int().openapi({ description: "Distinct merchants whose payments tried the channel." }),
  })
  .openapi("PlatformChannelHealth");

const PlatformHealthSchema = z
  .object({
    object: z.literal("platform_routing_health"),
    livemode: z.boolean(),
    window_seconds: z.number().int(),
    data: z.array(PlatformChannelHealthSchema).openapi({ description: "Channels with attempts in the window, by name." }),
  })
  .openapi("PlatformRoutingHealth");

export const platformHealth = createRoute({
  method: "get",
  path: "/api/v1/admin/routing/health",
  tags,
  summary: "Per channel over every merchant: attempts, success rate, latency and merchants (one mode)",
  description:
    "Counted from the attempts' projection in D1 over the last 30 minutes of creation, so it trails the payments by a " +
    "moment. No circuit state: circuits are per merchant (each merchant's own accounts), so read a merchant's health for them.",
  security: adminSecurity,
  request: { query: modeQuery },
  responses: {
    200: jsonContent(PlatformHealthSchema, "The channels attempts went to, with their figures."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});
