import { createRouter } from "../../openapi/router";
import * as handlers from "./admin.handlers";
import * as routes from "./admin.routes";

export const adminRouter = createRouter()
  .openapi(routes.createMerchant, handlers.createMerchant)
  .openapi(routes.listMerchants, handlers.listMerchants)
  .openapi(routes.getMerchant, handlers.getMerchant)
  .openapi(routes.listDeadLetters, handlers.listDeadLetters)
  .openapi(routes.replayDeadLetter, handlers.replayDeadLetter);
