import type { Context } from "hono";
import type { ChannelName } from "../../../shared/channels/adapter";
import { ingestWebhook } from "../../../shared/webhooks/ingress";
import type { AppEnv } from "../../app-env";
import { recordCount } from "../../../shared/observability/metrics-store";
import { createRouter, inputError, type ValidationResult } from "../../openapi/router";
import { receiveAccountWebhook, receiveWebhook } from "./webhooks.routes";

// The signature covers the raw bytes, so the routes declare no body schema: nothing may parse
// and re-serialize the body before it is verified.
async function receive(c: Context<AppEnv>, channel: ChannelName, account: string | null) {
  const result = await ingestWebhook(c.env, channel, account, c.req.raw.headers, await c.req.text(), c.get("requestId"));
  return { received: true as const, event_id: result.eventId, duplicate: result.duplicate };
}

/**
 * A webhook to a channel the platform does not have is refused (400) and counted as refused, under
 * channel "unknown": the name in the path is the sender's, never a label.
 */
const refuseUnknownChannel = (result: ValidationResult, c: Context<AppEnv>) =>
  result.success
    ? undefined
    : recordCount(c.env, "edgepay_webhook_ingress_total", { channel: "unknown", result: "refused" }).then((): never => {
        throw inputError(result);
      });

export const webhooksRouter = createRouter()
  .openapi(receiveWebhook, async (c) => c.json(await receive(c, c.req.valid("param").channel, null), 200), refuseUnknownChannel)
  .openapi(
    receiveAccountWebhook,
    async (c) => {
      const { channel, account } = c.req.valid("param");
      return c.json(await receive(c, channel, account), 200);
    },
    refuseUnknownChannel,
  );
