import { createRouter } from "../../openapi/router";
import * as handlers from "./people.handlers";
import * as routes from "./people.routes";

export const adminPeopleRouter = createRouter()
  .openapi(routes.createOperator, handlers.createOperator)
  .openapi(routes.createMerchantUser, handlers.createMerchantUser)
  .openapi(routes.listMerchantUsers, handlers.listMerchantUsers)
  .openapi(routes.listAuditLog, handlers.listAuditLog);
