import { createRouter } from "../../openapi/router";
import * as handlers from "./refunds.handlers";
import * as routes from "./refunds.routes";

export const refundsRouter = createRouter()
  .openapi(routes.createRefund, handlers.createRefund)
  .openapi(routes.listRefunds, handlers.listRefunds)
  .openapi(routes.getRefund, handlers.getRefund);
