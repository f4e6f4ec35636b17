import { createRouter } from "../../openapi/router";
import * as handlers from "./orders.handlers";
import * as routes from "./orders.routes";

export const ordersRouter = createRouter()
  .openapi(routes.createOrder, handlers.createOrder)
  .openapi(routes.listOrders, handlers.listOrders)
  .openapi(routes.getOrder, handlers.getOrder)
  .openapi(routes.cancelOrder, handlers.cancelOrder)
  .openapi(routes.payOrder, handlers.payOrder)
  .openapi(routes.refundOrder, handlers.refundOrder)
  .openapi(routes.shipOrder, handlers.shipOrder)
  .openapi(routes.completeOrder, handlers.completeOrder);
