// The operator's risk routes: the platform's rules, which every merchant's payments meet before the
// merchant's own (first within each action), in the mode the query names; answered as the
// merchant's rule routes answer.
import { createRoute } from "@hono/zod-openapi";
import { errorResponses, jsonBody } from "../../openapi/route-helpers";
import * as merchantRoutes from "../risk/rules.routes";
import { RuleBody, RulePatch } from "../risk/rules.schemas";
import { modeQuery } from "./admin-routing.routes";
import { adminSecurity } from "./admin.routes";

const tags = ["Admin"];
const ruleParams = merchantRoutes.updateRule.request.params;

export const listRules = createRoute({
  method: "get",
  path: "/api/v1/admin/risk/rules",
  tags,
  summary: "List the platform's risk rules in a mode, in the order each action's are tried",
  security: adminSecurity,
  request: { query: modeQuery },
  responses: { 200: merchantRoutes.listRules.responses[200], 400: errorResponses[400], 401: errorResponses[401] },
});

export const createRule = createRoute({
  method: "post",
  path: "/api/v1/admin/risk/rules",
  tags,
  summary: "Add a platform risk rule: every merchant's payments in the mode meet it before their own rules",
  description: merchantRoutes.createRule.description,
  security: adminSecurity,
  request: { query: modeQuery, ...jsonBody(RuleBody) },
  responses: { 201: merchantRoutes.createRule.responses[201], 400: errorResponses[400], 401: errorResponses[401] },
});

export const updateRule = createRoute({
  method: "patch",
  path: "/api/v1/admin/risk/rules/{id}",
  tags,
  summary: "Change a platform risk rule (name, action, predicate, shadow, position)",
  security: adminSecurity,
  request: { params: ruleParams, query: modeQuery, ...jsonBody(RulePatch) },
  responses: { 200: merchantRoutes.updateRule.responses[200], 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] },
});

export const deleteRule = createRoute({
  method: "delete",
  path: "/api/v1/admin/risk/rules/{id}",
  tags,
  summary: "Remove a platform risk rule",
  security: adminSecurity,
  request: { params: ruleParams, query: modeQuery },
  responses: { 200: merchantRoutes.deleteRule.responses[200], 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] },
});
