import { createRoute, z } from "@hono/zod-openapi";
import { EVENT_TYPES } from "../../../shared/events/event";
import { bearerSecurity, errorResponses, jsonBody, jsonContent } from "../../openapi/route-helpers";
import { isoTime } from "../../openapi/schemas";

const tags = ["Merchant"];

export const WebhookEndpointSchema = z
  .object({
    object: z.literal("webhook_endpoint"),
    livemode: z.boolean(),
    url: z.string().nullable(),
    events: z.array(z.enum(EVENT_TYPES)).openapi({ description: "Empty: every event type." }),
    secret: z.string().optional().openapi({ description: "The signing secret: in this answer only, the first time." }),
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
  security: bearerSecurity,
  request: jsonBody(
    z
      .strictObject({
        overlap_seconds: z.number().int().min(0).max(604_800).default(86_400).openapi({ description: "Default 24 h, at most 7 days." }),
      })
      .openapi("RotateSecretRequest"),
    false,
  ),
  responses: {
    200: jsonContent(WebhookEndpointSchema, "The endpoint, with its new secret (shown once)."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});
