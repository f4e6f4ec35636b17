import { createRoute, z } from "@hono/zod-openapi";
import { bearerSecurity, errorResponses, idempotencyHeaders, jsonBody, jsonContent } from "../../openapi/route-helpers";
import { isoTime } from "../../openapi/schemas";

const tags = ["Risk"];

const builtinRules = z.boolean().openapi({
  description:
    "Whether the built-in rules run (after the platform's rules, before yours, within each action): card_testing_guard " +
    "(block an email or IP with more than 5 failed payments in the last hour) and, in test mode, risk_test_block, " +
    "risk_test_review and risk_test_allow (metadata risk_test = 'block' | 'review' | 'allow').",
});

export const RiskSettingsSchema = z
  .object({
    object: z.literal("risk_settings"),
    livemode: z.boolean(),
    builtin_rules: builtinRules,
    updated_at: isoTime.nullable().openapi({ description: "When you last changed them; null if you never did (the defaults)." }),
  })
  .openapi("RiskSettings");

export const RiskSettingsPatch = z.strictObject({ builtin_rules: builtinRules }).openapi("RiskSettingsPatch");

export const getSettings = createRoute({
  method: "get",
  path: "/api/v1/risk/settings",
  tags,
  summary: "The risk settings (the key's mode): whether the built-in rules run",
  security: bearerSecurity,
  responses: { 200: jsonContent(RiskSettingsSchema, "The settings in force: built-in rules on unless switched off."), 401: errorResponses[401] },
});

export const updateSettings = createRoute({
  method: "patch",
  path: "/api/v1/risk/settings",
  tags,
  summary: "Switch the built-in risk rules on or off (the key's mode)",
  description: "In force for the next payments of this isolate at once, of every other within 10 seconds.",
  security: bearerSecurity,
  request: { headers: idempotencyHeaders, ...jsonBody(RiskSettingsPatch) },
  responses: { 200: jsonContent(RiskSettingsSchema, "The settings now in force."), 400: errorResponses[400], 401: errorResponses[401] },
});
