import { ingestWebhook } from "../../../shared/webhooks/ingress";
import { createRouter } from "../../openapi/router";
import { receiveWebhook } from "./webhooks.routes";

// The signature covers the raw bytes, so the route declares no body schema: nothing may parse
// and re-serialize the body before it is verified.
export const webhooksRouter = createRouter().openapi(receiveWebhook, async (c) => {
  const { channel } = c.req.valid("param");
  const result = await ingestWebhook(c.env, channel, c.req.raw.headers, await c.req.text(), c.get("requestId"));
  return c.json({ received: true as const, event_id: result.eventId, duplicate: result.duplicate }, 200);
});
