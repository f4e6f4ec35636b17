import { createRouter } from "../../openapi/router";
import * as handlers from "./sandbox.handlers";
import * as routes from "./sandbox.routes";

export const sandboxRouter = createRouter()
  .openapi(routes.confirmSandboxPayment, handlers.confirmSandboxPayment)
  .openapi(routes.getSandboxConditions, handlers.getSandboxConditions)
  .openapi(routes.setSandboxConditions, handlers.setSandboxConditions);
