import { createRoute, z } from "@hono/zod-openapi";
import { EVENT_TYPES } from "../../../shared/events/event";
import { bearerSecurity, errorResponses, idempotencyHeaders, jsonBody, jsonContent, noParameters } from "../../openapi/route-helpers";
import { ErrorSchema, isoTime } from "../../openapi/schemas";

const tags = ["Merchant"];

export const WebhookEndpointSchema = z
  .object({
    object: z.literal("webhook_endpoint"),
    livemode: z.boolean(),
    url: z.string().nullable(),
    events: z.array(z.enum(EVENT_TYPES)).openapi({ description: "Empty: every event type." }),
    secret: z.string().optional().openapi({
      description: "The signing secret, when this call made it; GET /api/v1/merchant/webhook-endpoint/secret shows it at any time.",
    }),
    previous_secret_expires_at: isoTime.nullable(),
    updated_at: isoTime,
  })
  .openapi("WebhookEndpoint");

export const putWebhookEndpoint = createRoute({
  method: "put",
  path: "/api/v1/merchant/webhook-endpoint",
  tags,
  summary: "Where notifications go when a payment has no notify_url (per mode)",
  security: bearerSecurity,
  request: jsonBody(
    z
      .strictObject({
        url: z.string().max(2048).openapi({ example: "https://merchant.example/payments/webhook" }),
        events: z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length).default([]),
      })
      .openapi("WebhookEndpointRequest"),
  ),
  responses: {
    200: jsonContent(WebhookEndpointSchema, "The endpoint; `secret` only when it was just made."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const getWebhookEndpoint = createRoute({
  method: "get",
  path: "/api/v1/merchant/webhook-endpoint",
  tags,
  summary: "The merchant's webhook endpoint (never its secret)",
  security: bearerSecurity,
  responses: {
    200: jsonContent(WebhookEndpointSchema, "The endpoint."),
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export const rotateWebhookSecret = createRoute({
  method: "post",
  path: "/api/v1/merchant/webhook-endpoint/rotate-secret",
  tags,
  summary: "A new signing secret; the previous one keeps signing during the overlap window",
  description:
    "The answer is not kept for Idempotency-Key replays, since it carries a secret: a replay is " +
    "409 idempotency_secret_not_replayable. GET /api/v1/merchant/webhook-endpoint/secret shows the secrets at any time.",
  security: bearerSecurity,
  request: {
    headers: idempotencyHeaders,
    ...jsonBody(
      z
        .strictObject({
          overlap_seconds: z.number().int().min(0).max(604_800).default(86_400).openapi({ description: "Default 24 h, at most 7 days." }),
        })
        .openapi("RotateSecretRequest"),
      false,
    ),
  },
  responses: {
    200: jsonContent(WebhookEndpointSchema, "The endpoint, with its new secret."),
    400: errorResponses[400],
    401: errorResponses[401],
    409: jsonContent(ErrorSchema, "A replay of an Idempotency-Key that rotated the secret (idempotency_secret_not_replayable)."),
  },
});

export const WebhookEndpointSecretSchema = z
  .object({
    object: z.literal("webhook_endpoint_secret"),
    livemode: z.boolean(),
    secret: z.string().openapi({ example: "whsec_…", description: "Signs every notification (to the endpoint and to notify_url)." }),
    previous_secret: z.string().nullable().openapi({ description: "The secret before the last rotation, while it still signs beside `secret`." }),
    previous_secret_expires_at: isoTime.nullable().openapi({ description: "When previous_secret stops signing." }),
  })
  .openapi("WebhookEndpointSecret");

export const revealWebhookSecret = createRoute({
  method: "get",
  path: "/api/v1/merchant/webhook-endpoint/secret",
  tags,
  summary: "The secrets that sign notifications now, in this mode (never cached)",
  description:
    "Makes the endpoint's secret now if the merchant has none yet, the same one the first notification " +
    "is signed with. Answered with Cache-Control: no-store.",
  security: bearerSecurity,
  responses: {
    200: jsonContent(WebhookEndpointSecretSchema, "The signing secrets."),
    401: errorResponses[401],
    503: jsonContent(ErrorSchema, "Merchant secrets are not enabled (CHANNEL_CONFIG_KEY unset): secret_store_unavailable."),
  },
});

export const WebhookTestSchema = z
  .object({
    object: z.literal("webhook_test"),
    url: z.string().openapi({ example: "https://merchant.example/payments/webhook" }),
    status_code: z.number().int().nullable().openapi({ example: 200, description: "The endpoint's answer; null when there was none." }),
    latency_ms: z.number().int().openapi({ example: 84 }),
    response_excerpt: z.string().nullable().openapi({ description: "The first 500 characters of the answer." }),
    error: z.string().nullable().openapi({
      example: "no answer within 10000 ms",
      description: "Why there was no answer: the URL is not an allowed target, the connection failed, or the timeout passed.",
    }),
    delivered: z.boolean().openapi({ description: "The endpoint answered 2xx within the timeout, as a notification must." }),
  })
  .openapi("WebhookTest");

export const testWebhookEndpoint = createRoute({
  method: "post",
  path: "/api/v1/merchant/webhook-endpoint/test",
  tags,
  summary: "Send one signed test event (test.webhook) to the webhook endpoint now, and answer how it went",
  description:
    "The event is shaped, signed and sent as every notification (same headers, SSRF rules and timeout) whatever " +
    "the endpoint's event filter, but about nothing, and it is not stored: it is not listed under /api/v1/events " +
    "and never retried. The answer is 200 whatever the endpoint answered; `delivered` says whether it took it.",
  security: bearerSecurity,
  request: { headers: idempotencyHeaders, ...noParameters },
  responses: {
    200: jsonContent(WebhookTestSchema, "What the endpoint answered."),
    401: errorResponses[401],
    409: jsonContent(ErrorSchema, "webhook_endpoint_missing: no endpoint URL is set for this mode."),
    503: jsonContent(ErrorSchema, "Merchant secrets are not enabled (CHANNEL_CONFIG_KEY unset): secret_store_unavailable."),
  },
});
