import { z } from "@hono/zod-openapi";
import type { RiskRuleRow } from "../../../shared/risk/rules-store";
import { toIso } from "../../../shared/time";
import { isoTime } from "../../openapi/schemas";

const ACTIONS = ["allow", "block", "review"] as const;

/** Only what a rule is; whether its predicate parses is checked by the handler, with the error's position. */
export const RuleBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).openapi({ example: "big foreign cards" }),
    action: z.enum(ACTIONS).openapi({ description: "What a match does: allow (stop, no more rules), block (no channel is called; 402), review (proceed, flagged)." }),
    predicate: z.string().min(1).max(2000).openapi({ example: ":amount_in_usd: > 1000 and :customer_country: not_in ('US', 'CA')", description: "Radar's syntax." }),
    shadow: z.boolean().default(false).openapi({ description: "Evaluated and recorded on the payment, never enforced." }),
    position: z.number().int().min(0).max(1_000_000).optional().openapi({ description: "Order among rules of the same action (lower first); default after the last." }),
  })
  .openapi("RiskRuleInput");

export const RulePatch = z
  .strictObject({
    name: RuleBody.shape.name.optional(),
    action: RuleBody.shape.action.optional(),
    predicate: RuleBody.shape.predicate.optional(),
    shadow: z.boolean().optional(),
    position: RuleBody.shape.position,
  })
  .openapi("RiskRulePatch");

export const RuleSchema = z
  .object({
    id: z.string().openapi({ example: "rsk_5Hc0sQ2nV8xK4pL1tR9w" }),
    object: z.literal("risk_rule"),
    livemode: z.boolean(),
    platform: z.boolean().openapi({ description: "A platform rule (operators'): every merchant's payments meet it first." }),
    name: z.string(),
    action: z.enum(ACTIONS),
    predicate: z.string(),
    shadow: z.boolean(),
    position: z.number().int(),
    created_at: isoTime,
    updated_at: isoTime,
  })
  .openapi("RiskRule");

export const toRuleJson = (r: RiskRuleRow): z.infer<typeof RuleSchema> => ({
  id: r.id,
  object: "risk_rule",
  livemode: r.livemode,
  platform: r.merchantId === null,
  name: r.name,
  action: r.action,
  predicate: r.predicate,
  shadow: r.shadow,
  position: r.position,
  created_at: toIso(r.createdAt),
  updated_at: toIso(r.updatedAt),
});

const builtinFlag = z.literal(true).optional().openapi({ description: "Only on a built-in rule (platform: true): switch them off with PATCH /api/v1/risk/settings." });

const RuleResultSchema = z.object({
  id: z.string(),
  name: z.string(),
  action: z.enum(ACTIONS),
  shadow: z.boolean(),
  platform: z.boolean(),
  builtin: builtinFlag,
  matched: z.boolean(),
});

export const RiskSchema = z
  .object({
    action: z.enum(ACTIONS),
    score: z.number().int().min(0).max(100).nullable().openapi({
      description: "0–100: the weight of the enforced block (2) and review (1) rules the payment matches over the weight of them all, every one evaluated; 0 with none.",
    }),
    rule: z.object({ id: z.string(), name: z.string(), platform: z.boolean(), builtin: builtinFlag }).nullable().openapi({ description: "The rule that decided; null: none matched (allowed)." }),
    rules: z.array(RuleResultSchema).openapi({ description: "Every rule tried, in order, shadow rules included, with whether it matched." }),
    evaluated_at: isoTime,
  })
  .openapi("RiskDecision", { description: "What the risk rules decided before any channel was called." });

