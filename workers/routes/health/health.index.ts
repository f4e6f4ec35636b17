import { createRouter } from "../../openapi/router";
import { getHealth, getReadiness } from "./health.handlers";
import { health, readiness } from "./health.routes";

export const healthRouter = createRouter().openapi(health, getHealth).openapi(readiness, getReadiness);
