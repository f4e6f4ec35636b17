// GET /dashboard and every path under it: the shell page, whose app routes in the browser (so a
// reload or a shared link of /dashboard/payments/PY… works). Not part of the API: plain routes,
// outside the OpenAPI document. /dashboard/app.js and app.css are static assets, served before
// the Worker runs.
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { createRouter } from "../../openapi/router";
import { SHELL_HEADERS, SHELL_HTML } from "./shell";

const shell = (c: Context<AppEnv>) => c.html(SHELL_HTML, 200, SHELL_HEADERS);

export const dashboardRouter = createRouter().get("/dashboard", shell).get("/dashboard/*", shell);
