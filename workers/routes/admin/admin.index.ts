import { createRouter } from "../../openapi/router";
import * as paymentsHandlers from "./admin-payments.handlers";
import * as paymentsRoutes from "./admin-payments.routes";
import * as riskHandlers from "./admin-risk.handlers";
import * as riskRoutes from "./admin-risk.routes";
import * as routingHandlers from "./admin-routing.handlers";
import * as routingRoutes from "./admin-routing.routes";
import * as handlers from "./admin.handlers";
import * as routes from "./admin.routes";
import * as ratesHandlers from "./currency-rates.handlers";
import * as ratesRoutes from "./currency-rates.routes";

export const adminRouter = createRouter()
  .openapi(routes.createMerchant, handlers.createMerchant)
  .openapi(routes.listMerchants, handlers.listMerchants)
  .openapi(routes.getMerchant, handlers.getMerchant)
  .openapi(routes.suspendMerchant, handlers.suspendMerchant)
  .openapi(routes.reactivateMerchant, handlers.reactivateMerchant)
  .openapi(paymentsRoutes.listPayments, paymentsHandlers.listPayments)
  .openapi(routes.listDeadLetters, handlers.listDeadLetters)
  .openapi(routes.replayDeadLetter, handlers.replayDeadLetter)
  .openapi(routingRoutes.listConfigs, routingHandlers.listConfigs)
  .openapi(routingRoutes.createConfig, routingHandlers.createConfig)
  .openapi(routingRoutes.getConfig, routingHandlers.getConfig)
  .openapi(routingRoutes.activateConfig, routingHandlers.activateConfig)
  .openapi(routingRoutes.evaluate, routingHandlers.evaluate)
  .openapi(routingRoutes.merchantHealth, routingHandlers.merchantHealth)
  .openapi(routingRoutes.platformHealth, routingHandlers.platformHealth)
  .openapi(riskRoutes.listRules, riskHandlers.listRules)
  .openapi(riskRoutes.createRule, riskHandlers.createRule)
  .openapi(riskRoutes.updateRule, riskHandlers.updateRule)
  .openapi(riskRoutes.deleteRule, riskHandlers.deleteRule)
  .openapi(ratesRoutes.getRates, ratesHandlers.getRates)
  .openapi(ratesRoutes.putRates, ratesHandlers.putRates);
