import { createRoute, z } from "@hono/zod-openapi";
import { jsonContent } from "../../openapi/route-helpers";

export const health = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["Health"],
  summary: "Liveness check (no authentication)",
  responses: {
    200: jsonContent(
      z.object({ status: z.literal("ok"), time: z.string() }).openapi("Health"),
      "The Worker is up.",
    ),
  },
});

const Readiness = z
  .object({
    status: z.enum(["ready", "not_ready"]),
    checks: z.array(z.object({ name: z.enum(["d1", "migrations", "queues"]), ok: z.boolean(), detail: z.string() })),
  })
  .openapi("Readiness");

export const readiness = createRoute({
  method: "get",
  path: "/readyz",
  tags: ["Health"],
  summary: "Readiness check (no authentication): D1 answers, its migrations are current, the queues are bound",
  responses: {
    200: jsonContent(Readiness, "Ready: every check passed."),
    503: jsonContent(Readiness, "Not ready: the checks with ok false say what failed."),
  },
});
