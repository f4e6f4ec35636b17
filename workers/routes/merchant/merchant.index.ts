import { createRouter } from "../../openapi/router";
import * as channelHandlers from "./channel-config.handlers";
import * as channelRoutes from "./channel-config.routes";
import * as handlers from "./merchant.handlers";
import * as endpointHandlers from "./webhook-endpoint.handlers";
import * as endpointRoutes from "./webhook-endpoint.routes";
import * as routes from "./merchant.routes";

export const merchantRouter = createRouter()
  .openapi(routes.getMerchant, handlers.getMerchant)
  .openapi(routes.listApiKeys, handlers.listApiKeys)
  .openapi(routes.createApiKey, handlers.createApiKey)
  .openapi(routes.revokeApiKey, handlers.revokeApiKey)
  .openapi(channelRoutes.putStripeConfig, channelHandlers.putStripeConfig)
  .openapi(channelRoutes.deleteStripeConfig, channelHandlers.deleteStripeConfig)
  .openapi(endpointRoutes.putWebhookEndpoint, endpointHandlers.putWebhookEndpoint)
  .openapi(endpointRoutes.getWebhookEndpoint, endpointHandlers.getWebhookEndpoint)
  .openapi(endpointRoutes.rotateWebhookSecret, endpointHandlers.rotateWebhookSecret)
  .openapi(endpointRoutes.revealWebhookSecret, endpointHandlers.revealWebhookSecret);
