import { createRouter } from "../../openapi/router";
import * as handlers from "./merchant.handlers";
import * as routes from "./merchant.routes";

export const merchantRouter = createRouter()
  .openapi(routes.getMerchant, handlers.getMerchant)
  .openapi(routes.listApiKeys, handlers.listApiKeys)
  .openapi(routes.createApiKey, handlers.createApiKey)
  .openapi(routes.revokeApiKey, handlers.revokeApiKey);
