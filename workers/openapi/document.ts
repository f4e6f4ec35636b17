// The OpenAPI 3.1 document (built from the zod route declarations) and the reference page.
import { mountReferencePage } from "./reference-page";
import type { AppRouter } from "./router";

export const OPENAPI_INFO = {
  title: "Edge Payment Platform API",
  version: "1.0.0",
  description:
    "Payments, refunds, orders and channel webhooks for merchants, on Cloudflare Workers. " +
    "Authenticate with `Authorization: Bearer sk_test_…` (test mode) or `sk_live_…` (live mode). " +
    "Amounts are integers in the currency's minor units.",
};

export function mountOpenApi(app: AppRouter) {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "A merchant API key: sk_test_… or sk_live_….",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
    type: "http",
    scheme: "bearer",
    description: "The operator token (ADMIN_API_TOKEN), for automation.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "__Host-session",
    description:
      "A person signed in to the dashboard (POST /api/v1/session). Works on the merchant routes (a " +
      "merchant's user; mode from X-Livemode) and the admin routes (an operator). Every change also " +
      "needs X-CSRF-Token.",
  });
  app.doc31("/openapi.json", { openapi: "3.1.0", info: OPENAPI_INFO });
  mountReferencePage(app, OPENAPI_INFO.title);
}
