import { createRoute, z } from "@hono/zod-openapi";
import { CHANNELS } from "../../../shared/channels/registry";
import { errorResponses, jsonContent } from "../../openapi/route-helpers";

export const receiveWebhook = createRoute({
  method: "post",
  path: "/api/v1/webhooks/{channel}",
  tags: ["Webhooks"],
  summary: "Channel webhook ingress (authenticated by the channel's signature, not an API key)",
  description:
    "Verifies the signature in constant time (a bad or stale one is a 400 and changes nothing), " +
    "stores the event once per channel event id, and acknowledges at once; a queue applies it. " +
    "The body is the channel's own JSON event, read as raw bytes because the signature covers them.",
  request: {
    params: z.object({ channel: z.enum(CHANNELS) }),
  },
  responses: {
    200: jsonContent(
      z.object({ received: z.literal(true), event_id: z.string(), duplicate: z.boolean() }).openapi("WebhookAck"),
      "Accepted (or already accepted) event.",
    ),
    400: errorResponses[400],
  },
});

export const receiveAccountWebhook = createRoute({
  ...receiveWebhook,
  path: "/api/v1/webhooks/{channel}/{account}",
  summary: "Webhook ingress for a merchant's own channel account (verified with that merchant's secret)",
  request: { params: z.object({ channel: z.enum(CHANNELS), account: z.string().min(1) }) },
});
