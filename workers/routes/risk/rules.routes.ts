import { createRoute, z } from "@hono/zod-openapi";
import { bearerSecurity, errorResponses, idempotencyHeaders, jsonBody, jsonContent, noParameters } from "../../openapi/route-helpers";
import { RuleBody, RulePatch, RuleSchema } from "./rules.schemas";

const tags = ["Risk"];
const ruleParams = z.object({ id: z.string().openapi({ example: "rsk_5Hc0sQ2nV8xK4pL1tR9w" }) });

export const RuleListSchema = z
  .object({ object: z.literal("list"), data: z.array(RuleSchema), has_more: z.boolean() })
  .openapi("RiskRuleList");

export const listRules = createRoute({
  method: "get",
  path: "/api/v1/risk/rules",
  tags,
  summary: "List the risk rules (the key's mode), in the order each action's are tried",
  security: bearerSecurity,
  request: { ...noParameters },
  responses: { 200: jsonContent(RuleListSchema, "Every rule (at most 100): allow rules are tried first, then block, then review."), 401: errorResponses[401] },
});

export const createRule = createRoute({
  method: "post",
  path: "/api/v1/risk/rules",
  tags,
  summary: "Add a risk rule",
  description: "The predicate is parsed before anything is stored; an error names its line and column.",
  security: bearerSecurity,
  request: { headers: idempotencyHeaders, ...jsonBody(RuleBody) },
  responses: { 201: jsonContent(RuleSchema, "The rule, in force for the next payments."), 400: errorResponses[400], 401: errorResponses[401] },
});

export const updateRule = createRoute({
  method: "patch",
  path: "/api/v1/risk/rules/{id}",
  tags,
  summary: "Change a risk rule (name, action, predicate, shadow, position)",
  security: bearerSecurity,
  request: { params: ruleParams, headers: idempotencyHeaders, ...jsonBody(RulePatch) },
  responses: { 200: jsonContent(RuleSchema, "The rule as it now is."), 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] },
});

export const deleteRule = createRoute({
  method: "delete",
  path: "/api/v1/risk/rules/{id}",
  tags,
  summary: "Remove a risk rule",
  security: bearerSecurity,
  request: { params: ruleParams },
  responses: {
    200: jsonContent(z.object({ id: z.string(), object: z.literal("risk_rule"), deleted: z.literal(true) }), "Removed."),
    401: errorResponses[401],
    404: errorResponses[404],
  },
});
