import { z } from "@hono/zod-openapi";
import { CHANNELS } from "../../../shared/channels/registry";
import { RoutingConfigSchema } from "../../../shared/routing/config";
import type { ConfigVersionRow } from "../../../shared/routing/store";
import { isoTime, toIso, toIsoOrNull } from "../../openapi/schemas";

const ChannelSchema = z.enum(CHANNELS);

export const RoutingSchema = z
  .object({
    config: z
      .object({ id: z.string().openapi({ example: "rtc_6Jd0sQ2nV8xK4pL1tR9w" }), version: z.number().int() })
      .nullable()
      .openapi({ description: "The stored version that decided; null for a configuration given inline to a dry run." }),
    strategy: z.enum(["rule", "default", "none"]).openapi({
      description: "rule: a rule matched; default: none did and the default decided; none: no rule matched and there is no default (the merchant's default channel took it).",
    }),
    rule: z.string().nullable().openapi({ description: "The name of the rule that matched." }),
    leg: z.number().int().nullable().openapi({ description: "The volume split's leg taken (0-based), when a split decided." }),
    candidates: z.array(ChannelSchema).openapi({ description: "The channels to try, best first, starting with the one chosen." }),
    skipped: z
      .array(z.object({ channel: ChannelSchema, reason: z.string() }))
      .openapi({ description: "Listed channels that cannot take the payment, and why." }),
    chosen: ChannelSchema.nullable(),
  })
  .openapi("Routing", {
    description:
      "How a routing configuration chose a payment's channel. On a payment: null when the payment named its channel or the " +
      "merchant had no active configuration, and in lists (read the payment).",
  });

export const RoutingConfigVersionSchema = z
  .object({
    id: z.string().openapi({ example: "rtc_6Jd0sQ2nV8xK4pL1tR9w" }),
    object: z.literal("routing_config"),
    livemode: z.boolean(),
    version: z.number().int().openapi({ example: 3, description: "1, 2, … per merchant and mode." }),
    name: z.string(),
    active: z.boolean().openapi({ description: "Whether new payments are routed by this version (one at a time)." }),
    config: RoutingConfigSchema,
    created_at: isoTime,
    activated_at: isoTime.nullable().openapi({ description: "When this version was last made active." }),
  })
  .openapi("RoutingConfigVersion", {
    description: "A stored version of the routing configuration; `config` as stored, defaults filled in and currency codes upper-case.",
  });

export const EvaluationSchema = RoutingSchema.extend({
  object: z.literal("routing_evaluation"),
  payment_no: z.string().nullable().openapi({ description: "The payment_no a create with this order_no would have, which fixes a split's leg." }),
}).openapi("RoutingEvaluation");

export const toConfigVersionJson = (row: ConfigVersionRow): z.infer<typeof RoutingConfigVersionSchema> => ({
  id: row.id,
  object: "routing_config",
  livemode: row.livemode,
  version: row.version,
  name: row.name,
  active: row.active,
  config: JSON.parse(row.config),
  created_at: toIso(row.createdAt),
  activated_at: toIsoOrNull(row.activatedAt),
});
