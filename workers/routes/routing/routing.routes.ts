import { createRoute, z } from "@hono/zod-openapi";
import { checkAmountCeiling, currencySchema, minorUnitsSchema } from "../../../shared/money/amount";
import { RoutingConfigSchema } from "../../../shared/routing/config";
import { listOf, listQuery } from "../../openapi/list";
import { bearerSecurity, errorResponses, idempotencyHeaders, jsonBody, jsonContent, noParameters } from "../../openapi/route-helpers";
import { customerCountry, metadataSchema, orderNoSchema, paymentMethodSchema } from "../payments/payments.schemas";
import { EvaluationSchema, HealthSchema, RoutingConfigVersionSchema } from "./routing.schemas";

const tags = ["Routing"];
const configParams = z.object({ id: z.string().openapi({ example: "rtc_6Jd0sQ2nV8xK4pL1tR9w" }) });

export const listConfigs = createRoute({
  method: "get",
  path: "/api/v1/routing/configs",
  tags,
  summary: "List the versions of the routing configuration (the key's mode), newest first",
  security: bearerSecurity,
  request: {
    query: z.strictObject({ limit: listQuery.limit, starting_after: listQuery.starting_after, ending_before: listQuery.ending_before }),
  },
  responses: {
    200: jsonContent(listOf(RoutingConfigVersionSchema, "RoutingConfigVersionList"), "A page of versions; `active` marks the one in use."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const createConfig = createRoute({
  method: "post",
  path: "/api/v1/routing/configs",
  tags,
  summary: "Store a routing configuration as the next version (inactive until activated)",
  description:
    "Rules are tried in order and the first whose `when` matches decides; `then` and `default` are a priority " +
    "list of channels or a volume split of such lists. Every refusal names the JSON path at fault (rules[0].when.all[1].op).",
  security: bearerSecurity,
  request: { headers: idempotencyHeaders, ...jsonBody(RoutingConfigSchema) },
  responses: {
    201: jsonContent(RoutingConfigVersionSchema, "The new version."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const getConfig = createRoute({
  method: "get",
  path: "/api/v1/routing/configs/{id}",
  tags,
  summary: "Retrieve a version of the routing configuration",
  security: bearerSecurity,
  request: { params: configParams },
  responses: {
    200: jsonContent(RoutingConfigVersionSchema, "The version."),
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export const activateConfig = createRoute({
  method: "post",
  path: "/api/v1/routing/configs/{id}/activate",
  tags,
  summary: "Route new payments by this version (rolling back is activating an older one)",
  description:
    "The version that was active stops being so. This isolate uses the new version at once; the Worker's other " +
    "isolates within 30 seconds (their cache's lifetime).",
  security: bearerSecurity,
  request: { params: configParams, headers: idempotencyHeaders, ...noParameters },
  responses: {
    200: jsonContent(RoutingConfigVersionSchema, "The version, now active."),
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export const EvaluateBody = z
  .strictObject({
    order_no: orderNoSchema.optional().openapi({ description: "Fixes a volume split's leg, as the payment_no a create derives from it would." }),
    amount: minorUnitsSchema,
    currency: currencySchema,
    payment_method: paymentMethodSchema.optional(),
    customer_country: customerCountry,
    metadata: metadataSchema.optional(),
    config: RoutingConfigSchema.optional(),
  })
  .superRefine(checkAmountCeiling)
  .openapi("RoutingEvaluateRequest", {
    description: "The facts of a payment, as POST /api/v1/payments takes them; `config` evaluates that configuration instead of the active one.",
  });

export const evaluate = createRoute({
  method: "post",
  path: "/api/v1/routing/evaluate",
  tags,
  summary: "Dry run: where a payment with these facts would go, and why",
  description:
    "Answers what a create without `channel` would record as the payment's `routing`, or the 400 it would get. Nothing is stored.",
  security: bearerSecurity,
  request: { headers: idempotencyHeaders, ...jsonBody(EvaluateBody) },
  responses: {
    200: jsonContent(EvaluationSchema, "The evaluation."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const health = createRoute({
  method: "get",
  path: "/api/v1/routing/health",
  tags,
  summary: "Per channel: attempts, success rate, latency and circuit state (the key's mode)",
  description:
    "Figures over the last 30 minutes of this merchant's attempts, fed from their outcomes after each change (not on the " +
    "request's path), so they trail the payments by a moment. The circuit is the one elimination reads.",
  security: bearerSecurity,
  request: { ...noParameters },
  responses: {
    200: jsonContent(HealthSchema, "The channels this merchant's attempts went to."),
    401: errorResponses[401],
  },
});
