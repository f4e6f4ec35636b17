import { createRouter } from "../../openapi/router";
import * as handlers from "./statistics.handlers";
import * as routes from "./statistics.routes";

export const statisticsRouter = createRouter()
  .openapi(routes.orderStatistics, handlers.orderStatistics)
  .openapi(routes.dailySummary, handlers.dailySummary)
  .openapi(routes.paymentStatistics, handlers.paymentStatistics)
  .openapi(routes.statisticsOverview, handlers.statisticsOverview);
