import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent } from "../../openapi/route-helpers";
import { ErrorSchema } from "../../openapi/schemas";
import { adminSecurity } from "../admin/admin.routes";

export const metrics = createRoute({
  method: "get",
  path: "/metrics",
  tags: ["Health"],
  summary: "Prometheus metrics (operators: the admin token or an operator's session)",
  description:
    "The platform's counters, histograms and gauges in Prometheus' text exposition format (0.0.4), " +
    "read from durable aggregates in D1: every isolate's scrape sees the same figures.",
  security: adminSecurity,
  responses: {
    200: {
      content: { "text/plain": { schema: z.string().openapi({ example: "# HELP edgepay_payment_transitions_total …" }) } },
      description: "The exposition.",
    },
    401: errorResponses[401],
    403: jsonContent(ErrorSchema, "Signed in, but not as an operator."),
  },
});
