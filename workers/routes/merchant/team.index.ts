import { createRouter } from "../../openapi/router";
import * as handlers from "./team.handlers";
import * as routes from "./team.routes";

export const teamRouter = createRouter()
  .openapi(routes.listUsers, handlers.listUsers)
  .openapi(routes.createUser, handlers.createUser)
  .openapi(routes.deleteUser, handlers.deleteUser);
