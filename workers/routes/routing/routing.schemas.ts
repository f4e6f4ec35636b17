import { z } from "@hono/zod-openapi";
import { CHANNELS } from "../../../shared/channels/registry";
import { RoutingConfigSchema } from "../../../shared/routing/config";
import type { ConfigVersionRow } from "../../../shared/routing/store";
import type { ChannelHealthReport } from "../../../durable-objects/routing-health";
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
    dynamic: z
      .object({
        scores: z.array(
          z.object({
            channel: ChannelSchema,
            score: z.number().openapi({ description: "Success rate 0–1 over the health window, or the default 0.5." }),
            sample: z.number().int().openapi({ description: "Settled attempts the score rests on; 0 for the default." }),
            basis: z.enum(["method_currency", "channel", "default"]).openapi({
              description: "method_currency: this payment_method and currency; channel: the channel overall; default: too few attempts anywhere.",
            }),
          }),
        ),
        explored: ChannelSchema.nullable().openapi({ description: "The channel exploration put first instead of the leader, if it did." }),
      })
      .nullable()
      .optional()
      .openapi({ description: "What success-rate ordering did; null when the configuration does not ask for it." }),
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

const CircuitSchema = z
  .object({
    state: z.enum(["closed", "open", "half_open"]),
    consecutive_outages: z.number().int(),
    opened_at: isoTime.nullable(),
    half_opens_at: isoTime.nullable().openapi({ description: "While open: when it admits probes again." }),
  })
  .openapi("Circuit");

export const ChannelHealthSchema = z
  .object({
    channel: ChannelSchema,
    attempts: z.number().int().openapi({ description: "Creates sent to the channel in the window." }),
    succeeded: z.number().int(),
    declined: z.number().int(),
    outages: z.number().int(),
    success_rate: z.number().nullable().openapi({ description: "succeeded / (succeeded + declined + outages); null before any settled." }),
    p50_ms: z.number().int().nullable().openapi({ description: "Create latency, upper bound of its histogram bucket." }),
    p95_ms: z.number().int().nullable(),
    circuit: CircuitSchema,
  })
  .openapi("ChannelHealth");

export const HealthSchema = z
  .object({
    object: z.literal("routing_health"),
    livemode: z.boolean(),
    window_seconds: z.number().int(),
    data: z.array(ChannelHealthSchema),
  })
  .openapi("RoutingHealth");

export const toChannelHealthJson = (r: ChannelHealthReport): z.infer<typeof ChannelHealthSchema> => ({
  channel: r.channel,
  attempts: r.attempts,
  succeeded: r.succeeded,
  declined: r.declined,
  outages: r.outages,
  success_rate: r.successRate,
  p50_ms: r.p50Ms,
  p95_ms: r.p95Ms,
  circuit: {
    state: r.circuit.status,
    consecutive_outages: r.circuit.consecutiveOutages,
    opened_at: toIsoOrNull(r.circuit.openedAt),
    half_opens_at: toIsoOrNull(r.circuit.halfOpensAt),
  },
});
