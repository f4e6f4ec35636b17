import { createRouter } from "../../openapi/router";
import * as handlers from "./lists.handlers";
import * as routes from "./lists.routes";

export const riskListsRouter = createRouter()
  .openapi(routes.listLists, handlers.listLists)
  .openapi(routes.listItems, handlers.listItems)
  .openapi(routes.addItems, handlers.addItems)
  .openapi(routes.deleteItem, handlers.deleteItem);
