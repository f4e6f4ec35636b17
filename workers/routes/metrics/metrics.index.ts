import { createRouter } from "../../openapi/router";
import { getMetrics } from "./metrics.handlers";
import { metrics } from "./metrics.routes";

export const metricsRouter = createRouter().openapi(metrics, getMetrics);
