// The sandbox channel's wire format: its objects, its webhook events and their signature header.
// It is deliberately shaped like a real processor (Stripe-like names, signed JSON webhooks).
// Events are read through these schemas: a signed body of the wrong shape is refused, not stored.
import { z } from "zod";

export const SANDBOX_SIGNATURE_HEADER = "Sandbox-Signature";

export const SANDBOX_PAYMENT_METHODS = [
  "pm_sandbox_success",
  "pm_sandbox_declined",
  "pm_sandbox_requires_action",
  "pm_sandbox_processing",
  "pm_sandbox_refund_fails",
] as const;
export type SandboxPaymentMethod = (typeof SANDBOX_PAYMENT_METHODS)[number];

const INTENT_STATUSES = ["pending", "requires_action", "processing", "succeeded", "failed", "cancelled"] as const;
export type SandboxIntentStatus = (typeof INTENT_STATUSES)[number];

const Failure = z.object({ code: z.string(), message: z.string() });
export type SandboxFailure = z.infer<typeof Failure>;

const minorUnits = z.number().int().positive();

const Intent = z.object({
  id: z.string().min(1),
  object: z.literal("sandbox.payment_intent"),
  payment_no: z.string().min(1),
  amount: minorUnits,
  currency: z.string().length(3),
  status: z.enum(INTENT_STATUSES),
  payment_method: z.enum(SANDBOX_PAYMENT_METHODS),
  client_secret: z.string(),
  failure: Failure.nullable(),
  created: z.number().int(),
});
export type SandboxIntent = z.infer<typeof Intent>;

const Refund = z.object({
  id: z.string().min(1),
  object: z.literal("sandbox.refund"),
  refund_no: z.string().min(1),
  payment_no: z.string().min(1),
  payment_intent: z.string().min(1),
  amount: minorUnits,
  currency: z.string().length(3),
  status: z.enum(["pending", "succeeded", "failed"]),
  failure: Failure.nullable(),
  created: z.number().int(),
});
export type SandboxRefund = z.infer<typeof Refund>;

const EVENT_TYPES = [...INTENT_STATUSES.map((s) => `payment_intent.${s}` as const), "refund.succeeded", "refund.failed"] as const;

export const SandboxEventSchema = z.object({
  id: z.string().min(1),
  object: z.literal("event"),
  type: z.enum(EVENT_TYPES),
  created: z.number().int(),
  data: z.object({ object: z.discriminatedUnion("object", [Intent, Refund]) }),
});
export type SandboxEvent = z.infer<typeof SandboxEventSchema>;

/** What a merchant can make the sandbox do to its new payments, to watch failover on purpose. */
export const SANDBOX_CONDITION_MODES = ["up", "down", "decline_retriable", "timeout_after_charge"] as const;
export type SandboxConditionMode = (typeof SANDBOX_CONDITION_MODES)[number];

/** A merchant's condition: each new payment meets `mode` with probability `share` (0–1); "up" is none. */
export interface SandboxCondition {
  mode: SandboxConditionMode;
  share: number;
  /** When it was set (ms): the newest setting wins in every shard, whatever order they get it in. */
  updatedAt: number;
}

export type SandboxResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };
