import { CHANNEL_DEFINITIONS } from "../../../shared/channels/registry";
import { createRouter } from "../../openapi/router";
import * as channelHandlers from "./channel-config.handlers";
import * as channelRoutes from "./channel-config.routes";
import * as handlers from "./merchant.handlers";
import * as endpointHandlers from "./webhook-endpoint.handlers";
import * as endpointRoutes from "./webhook-endpoint.routes";
import * as routes from "./merchant.routes";
import * as receiptHandlers from "./receipts.handlers";
import * as receiptRoutes from "./receipts.routes";

const router = createRouter()
  .openapi(routes.getMerchant, handlers.getMerchant)
  .openapi(routes.listApiKeys, handlers.listApiKeys)
  .openapi(routes.createApiKey, handlers.createApiKey)
  .openapi(routes.revokeApiKey, handlers.revokeApiKey)
  .openapi(endpointRoutes.putWebhookEndpoint, endpointHandlers.putWebhookEndpoint)
  .openapi(endpointRoutes.getWebhookEndpoint, endpointHandlers.getWebhookEndpoint)
  .openapi(endpointRoutes.rotateWebhookSecret, endpointHandlers.rotateWebhookSecret)
  .openapi(endpointRoutes.revealWebhookSecret, endpointHandlers.revealWebhookSecret)
  .openapi(endpointRoutes.testWebhookEndpoint, endpointHandlers.testWebhookEndpoint)
  .openapi(receiptRoutes.getReceiptSettings, receiptHandlers.getReceiptSettings)
  .openapi(receiptRoutes.putReceiptSettings, receiptHandlers.putReceiptSettings);

// one set of credential routes per channel that takes a merchant's own account
for (const definition of CHANNEL_DEFINITIONS.filter((d) => d.merchantCredentials)) {
  router
    .openapi(channelRoutes.putChannelConfig(definition), channelHandlers.putChannelConfig(definition))
    .openapi(channelRoutes.getChannelConfig(definition), channelHandlers.getChannelConfig(definition))
    .openapi(channelRoutes.deleteChannelConfig(definition), channelHandlers.deleteChannelConfig(definition));
}

export const merchantRouter = router;
