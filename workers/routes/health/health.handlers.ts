import { readinessChecks } from "../../../shared/observability/readiness";
import type { AppRouteHandler } from "../../openapi/router";
import type { health, readiness } from "./health.routes";

export const getHealth: AppRouteHandler<typeof health> = (c) => c.json({ status: "ok" as const, time: new Date().toISOString() }, 200);

export const getReadiness: AppRouteHandler<typeof readiness> = async (c) => {
  const checks = await readinessChecks(c.env);
  return checks.every((check) => check.ok) ? c.json({ status: "ready" as const, checks }, 200) : c.json({ status: "not_ready" as const, checks }, 503);
};
