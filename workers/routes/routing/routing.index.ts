import { createRouter } from "../../openapi/router";
import * as handlers from "./routing.handlers";
import * as routes from "./routing.routes";

export const routingRouter = createRouter()
  .openapi(routes.listConfigs, handlers.listConfigs)
  .openapi(routes.createConfig, handlers.createConfig)
  .openapi(routes.getConfig, handlers.getConfig)
  .openapi(routes.activateConfig, handlers.activateConfig)
  .openapi(routes.evaluate, handlers.evaluate)
  .openapi(routes.health, handlers.health);
