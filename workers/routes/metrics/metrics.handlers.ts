import { EXPOSITION_CONTENT_TYPE, renderExposition } from "../../../shared/observability/exposition";
import { readGauges } from "../../../shared/observability/gauges";
import { readStoredMetrics } from "../../../shared/observability/metrics-store";
import type { AppRouteHandler } from "../../openapi/router";
import type { metrics } from "./metrics.routes";

export const getMetrics: AppRouteHandler<typeof metrics> = async (c) => {
  const [stored, gauges] = await Promise.all([readStoredMetrics(c.env.DB), readGauges(c.env.DB, Date.now())]);
  return c.text(renderExposition(stored, gauges), 200, { "Content-Type": EXPOSITION_CONTENT_TYPE });
};
