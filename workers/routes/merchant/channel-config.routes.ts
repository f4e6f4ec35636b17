import { createRoute, z } from "@hono/zod-openapi";
import { bearerSecurity, errorResponses, jsonBody, jsonContent } from "../../openapi/route-helpers";
import { ErrorSchema, isoTime } from "../../openapi/schemas";

const tags = ["Merchant"];

export const StripeConfigBody = z
  .strictObject({
    secret_key: z.string().regex(/^sk_(test|live)_\w+$/, "must be a Stripe secret key (sk_test_… or sk_live_…)"),
    webhook_secret: z.string().regex(/^whsec_\w+$/, "must be a Stripe webhook signing secret (whsec_…)"),
    publishable_key: z.string().regex(/^pk_(test|live)_\w+$/, "must be a Stripe publishable key").optional(),
  })
  .openapi("StripeChannelConfigRequest");

export const ChannelConfigSchema = z
  .object({
    object: z.literal("channel_config"),
    channel: z.literal("stripe"),
    livemode: z.boolean(),
    account_id: z.string().openapi({
      example: "acct_1PgafTB7WZ01zgkW",
      description: "The Stripe account the secret key opens, as Stripe answered when the key was checked.",
    }),
    publishable_key: z.string().nullable(),
    secret_key_hint: z.string().openapi({ example: "sk_test_…4242", description: "Never the key itself." }),
    webhook_path: z.string().openapi({ description: "Point the Stripe account's webhook endpoint here." }),
    updated_at: isoTime,
  })
  .openapi("ChannelConfig");

export const putStripeConfig = createRoute({
  method: "put",
  path: "/api/v1/merchant/channels/stripe",
  tags,
  summary: "Use the merchant's own Stripe account in this mode (secrets are stored encrypted)",
  description:
    "Before storing anything, checks secret_key with one read at Stripe (GET /v1/account): a key " +
    "Stripe refuses is 400 channel_credentials_invalid (param secret_key), and Stripe unreachable " +
    "is 502 (retrying is safe). webhook_secret and publishable_key cannot be checked by a read call: " +
    "a wrong webhook_secret shows as the account's webhooks being refused (webhook_signature_invalid).",
  security: bearerSecurity,
  request: jsonBody(StripeConfigBody),
  responses: {
    200: jsonContent(ChannelConfigSchema, "The configuration, without its secrets."),
    400: errorResponses[400],
    401: errorResponses[401],
    502: jsonContent(ErrorSchema, "Stripe could not be reached to check the key; nothing was stored."),
  },
});

export const deleteStripeConfig = createRoute({
  method: "delete",
  path: "/api/v1/merchant/channels/stripe",
  tags,
  summary: "Stop using the merchant's own Stripe account in this mode",
  security: bearerSecurity,
  responses: {
    200: jsonContent(z.object({ deleted: z.boolean() }), "Whether there was one."),
    401: errorResponses[401],
  },
});
