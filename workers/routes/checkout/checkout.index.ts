import { createRouter } from "../../openapi/router";
import * as handlers from "./checkout.handlers";
import * as routes from "./checkout.routes";

export const checkoutRouter = createRouter()
  .openapi(routes.checkoutReturn, handlers.checkoutReturn)
  .openapi(routes.checkoutCancel, handlers.checkoutCancel);
