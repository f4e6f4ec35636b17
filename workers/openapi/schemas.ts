// zod schemas shared by many routes; each becomes a named component of the OpenAPI document.
import { z } from "@hono/zod-openapi";

export const ErrorSchema = z
  .object({
    error: z.object({
      type: z.enum([
        "invalid_request_error",
        "authentication_error",
        "permission_error",
        "idempotency_error",
        "channel_error",
        "api_error",
      ]),
      code: z.string().openapi({ example: "parameter_invalid" }),
      message: z.string(),
      param: z.string().optional().openapi({ example: "amount" }),
      payment: z
        .record(z.string(), z.unknown())
        .optional()
        .openapi({ description: "With payment_unexpected_state: the payment as it now is (a Payment)." }),
      request_id: z.string(),
    }),
  })
  .openapi("Error");

export const isoTime = z.iso.datetime().openapi({ example: "2026-01-15T08:30:00.000Z" });

export { toIso, toIsoOrNull } from "../../shared/time";
