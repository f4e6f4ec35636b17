import { createRouter } from "../../openapi/router";
import * as handlers from "./session.handlers";
import * as routes from "./session.routes";

export const sessionRouter = createRouter()
  .openapi(routes.signIn, handlers.signIn)
  .openapi(routes.getSession, handlers.getSession)
  .openapi(routes.signOut, handlers.signOut);
