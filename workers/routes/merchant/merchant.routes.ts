import { createRoute, z } from "@hono/zod-openapi";
import {
  bearerSecurity,
  errorResponses,
  idempotencyHeaders,
  noParameters,
  jsonContent,
} from "../../openapi/route-helpers";
import { ErrorSchema } from "../../openapi/schemas";
import { ApiKeySchema, IssuedApiKeySchema, MerchantSchema } from "./merchant.schemas";

const tags = ["Merchant"];

export const getMerchant = createRoute({
  method: "get",
  path: "/api/v1/merchant",
  tags,
  summary: "The merchant that owns the API key",
  security: bearerSecurity,
  responses: { 200: jsonContent(MerchantSchema, "The merchant."), 401: errorResponses[401] },
});

export const listApiKeys = createRoute({
  method: "get",
  path: "/api/v1/merchant/api-keys",
  tags,
  summary: "List the merchant's API keys (never their secrets)",
  security: bearerSecurity,
  responses: {
    200: jsonContent(
      z.object({ object: z.literal("list"), data: z.array(ApiKeySchema), has_more: z.boolean() }),
      "The keys, newest first.",
    ),
    401: errorResponses[401],
  },
});

export const createApiKey = createRoute({
  method: "post",
  path: "/api/v1/merchant/api-keys",
  tags,
  summary: "Issue a new API key in the calling key's mode; its secret is shown once",
  description:
    "The answer is not kept for Idempotency-Key replays, since it carries the secret: a replay is " +
    "409 idempotency_secret_not_replayable, naming the key that was made.",
  security: bearerSecurity,
  request: { headers: idempotencyHeaders, ...noParameters },
  responses: {
    201: jsonContent(IssuedApiKeySchema, "The new key, with its secret."),
    401: errorResponses[401],
    409: jsonContent(ErrorSchema, "A replay of an Idempotency-Key that issued a key (idempotency_secret_not_replayable)."),
  },
});

export const revokeApiKey = createRoute({
  method: "post",
  path: "/api/v1/merchant/api-keys/{keyId}/revoke",
  tags,
  summary: "Revoke one of the merchant's API keys; it stops working at once",
  security: bearerSecurity,
  request: { params: z.object({ keyId: z.string().min(1) }), headers: idempotencyHeaders, ...noParameters },
  responses: {
    200: jsonContent(ApiKeySchema, "The revoked key."),
    401: errorResponses[401],
    404: errorResponses[404],
  },
});
