import { z } from "@hono/zod-openapi";
import { SANDBOX_CONDITION_MODES, type SandboxCondition } from "../../../shared/channels/sandbox/wire";
import { isoTime, toIsoOrNull } from "../../openapi/schemas";

const mode = z.enum(SANDBOX_CONDITION_MODES);

export const SetConditionsBody = z
  .strictObject({
    mode: mode.openapi({
      description:
        "up: as usual (clears the condition); down: refuses new payments, creating nothing (502 sandbox_unavailable); " +
        "decline_retriable: fails them with processing_error; timeout_after_charge: makes them, then answers 502 sandbox_timeout.",
    }),
    share: z
      .number()
      .min(0, "must be from 0 to 1")
      .max(1, "must be from 0 to 1")
      .default(1)
      .openapi({ example: 0.5, description: "The share of new payments that meet the condition, drawn at random for each." }),
  })
  .openapi("SandboxConditionsRequest");

export const SandboxConditionsSchema = z
  .object({
    object: z.literal("sandbox_conditions"),
    mode,
    share: z.number(),
    updated_at: isoTime.nullable().openapi({ description: "When it was set; null if it never was." }),
  })
  .openapi("SandboxConditions");

/** The condition in force; a merchant that never set one has the sandbox up for all its payments. */
export const toConditionsJson = (condition: SandboxCondition | null) => ({
  object: "sandbox_conditions" as const,
  mode: condition?.mode ?? "up",
  share: condition?.share ?? 0,
  updated_at: toIsoOrNull(condition?.updatedAt ?? null),
});
