// PUT/GET/DELETE /api/v1/merchant/channels/<channel>, one set per channel that takes a merchant's
// own credentials, each with its channel's credential schema as the body.
import { createRoute, z } from "@hono/zod-openapi";
import { CHANNELS, type AnyChannelDefinition } from "../../../shared/channels/registry";
import { bearerSecurity, errorResponses, jsonBody, jsonContent } from "../../openapi/route-helpers";
import { ErrorSchema, isoTime } from "../../openapi/schemas";

const tags = ["Merchant"];

export const ChannelConfigSchema = z
  .object({
    object: z.literal("channel_config"),
    channel: z.enum(CHANNELS),
    livemode: z.boolean(),
    account_id: z.string().nullable().openapi({
      example: "acct_1PgafTB7WZ01zgkW",
      description: "The account at the channel the credentials opened, as the channel answered when they were checked.",
    }),
    credentials: z.record(z.string(), z.string().nullable()).openapi({
      example: { secret_key_hint: "sk_test_…4242", publishable_key: "pk_test_…" },
      description: "Public values and hints of the stored credentials; never a secret.",
    }),
    webhook_path: z.string().openapi({ description: "Point the account's webhooks at this path." }),
    updated_at: isoTime,
  })
  .openapi("ChannelConfig");

const path = (definition: AnyChannelDefinition) => `/api/v1/merchant/channels/${definition.name}`;

export const putChannelConfig = (definition: AnyChannelDefinition) =>
  createRoute({
    method: "put",
    path: path(definition),
    tags,
    summary: `Use the merchant's own ${definition.name} account in this mode (credentials are stored sealed)`,
    description:
      "Before storing anything, checks the credentials with one read call at the channel: credentials it " +
      "refuses are 400 channel_credentials_invalid naming the field, and the channel unreachable is 502 " +
      "(retrying is safe). Nothing is stored unless the check passes; secrets are never shown again.",
    security: bearerSecurity,
    request: jsonBody(definition.merchantCredentials!.schema as z.ZodType<Record<string, unknown>>),
    responses: {
      200: jsonContent(ChannelConfigSchema, "The configuration, without its secrets."),
      400: errorResponses[400],
      401: errorResponses[401],
      502: jsonContent(ErrorSchema, "The channel could not be reached to check the credentials; nothing was stored."),
      503: jsonContent(ErrorSchema, "Merchant channel credentials are not enabled on this platform (CHANNEL_CONFIG_KEY)."),
    },
  });

export const getChannelConfig = (definition: AnyChannelDefinition) =>
  createRoute({
    method: "get",
    path: path(definition),
    tags,
    summary: `The merchant's own ${definition.name} account in this mode, if configured`,
    security: bearerSecurity,
    responses: {
      200: jsonContent(ChannelConfigSchema, "The configuration, without its secrets."),
      401: errorResponses[401],
      404: errorResponses[404],
    },
  });

export const deleteChannelConfig = (definition: AnyChannelDefinition) =>
  createRoute({
    method: "delete",
    path: path(definition),
    tags,
    summary: `Stop using the merchant's own ${definition.name} account in this mode`,
    security: bearerSecurity,
    responses: {
      200: jsonContent(z.object({ deleted: z.boolean() }), "Whether there was one."),
      401: errorResponses[401],
    },
  });
