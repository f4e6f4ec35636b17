import { createRouter } from "../../openapi/router";
import { health } from "./health.routes";

export const healthRouter = createRouter().openapi(health, (c) =>
  c.json({ status: "ok" as const, time: new Date().toISOString() }, 200),
);
