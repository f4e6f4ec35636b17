// Helpers that keep route declarations short: JSON bodies, JSON answers, and the error answers
// every authenticated route can give.
import { z } from "@hono/zod-openapi";
import { ErrorSchema } from "./schemas";

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

export const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({
  body: { content: { "application/json": { schema } }, required },
});

/** For POST routes that take no parameters: no body, or a JSON object with no fields. */
export const noParameters = jsonBody(z.strictObject({}).openapi("NoParameters"), false);

const errorContent = (description: string) => jsonContent(ErrorSchema, description);

export const errorResponses = {
  400: errorContent("Invalid request: the body, a parameter or a header is wrong."),
  401: errorContent("Missing, malformed, revoked or unknown API key."),
  404: errorContent("No such record for this merchant."),
  413: errorContent("Body larger than 1 MB."),
  415: errorContent("Body is not application/json."),
} as const;

/** A merchant API key, or a merchant user signed in to the dashboard. */
export const bearerSecurity: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { sessionCookie: [] }];

/** The Idempotency-Key header of POST routes (enforced by the idempotency middleware). */
export const idempotencyHeaders = z.object({
  "Idempotency-Key": z.string().min(1).max(255).optional().openapi({
    description:
      "Makes the request safe to retry for 24 hours: the same key and body replay the first answer.",
  }),
});
