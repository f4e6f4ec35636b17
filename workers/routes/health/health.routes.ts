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
