import { createRouter } from "../../openapi/router";
import * as handlers from "./payments.handlers";
import * as routes from "./payments.routes";

export const paymentsRouter = createRouter()
  .openapi(routes.createPayment, handlers.createPayment)
  .openapi(routes.listPayments, handlers.listPayments)
  .openapi(routes.getPayment, handlers.getPayment)
  .openapi(routes.getPaymentTimeline, handlers.getPaymentTimeline)
  .openapi(routes.cancelPayment, handlers.cancelPayment);
