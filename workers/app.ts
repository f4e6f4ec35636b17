// The HTTP surface: middleware in the order every request meets it, then the feature routers.
import { except } from "hono/combine";
import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import { randomBase62 } from "../shared/crypto";
import { onError, onMethodNotAllowed, onNotFound } from "./error-handlers";
import { adminAuth } from "./middleware/admin-auth";
import { auditChanges } from "./middleware/audit";
import { apiCors, originAllowed, publicCors } from "./middleware/cors";
import { idempotency } from "./middleware/idempotency";
import { merchantAuth } from "./middleware/merchant-auth";
import { traceRequest } from "./middleware/trace";
import { limitBody, parseJsonBody, requireJsonBody } from "./middleware/json-body";
import { mountOpenApi } from "./openapi/document";
import { createRouter } from "./openapi/router";
import { adminRouter } from "./routes/admin/admin.index";
import { adminPeopleRouter } from "./routes/admin/people.index";
import { channelsRouter } from "./routes/channels/channels.index";
import { checkoutRouter } from "./routes/checkout/checkout.index";
import { dashboardRouter } from "./routes/dashboard/dashboard.index";
import { eventsRouter } from "./routes/events/events.index";
import { healthRouter } from "./routes/health/health.index";
import { merchantRouter } from "./routes/merchant/merchant.index";
import { metricsRouter } from "./routes/metrics/metrics.index";
import { teamRouter } from "./routes/merchant/team.index";
import { ordersRouter } from "./routes/orders/orders.index";
import { paymentsRouter } from "./routes/payments/payments.index";
import { refundsRouter } from "./routes/refunds/refunds.index";
import { riskListsRouter } from "./routes/risk/lists.index";
import { riskRouter } from "./routes/risk/risk.index";
import { routingRouter } from "./routes/routing/routing.index";
import { sandboxRouter } from "./routes/sandbox/sandbox.index";
import { sessionRouter } from "./routes/session/session.index";
import { statisticsRouter } from "./routes/statistics/statistics.index";
import { webhooksRouter } from "./routes/webhooks/webhooks.index";

export function createApp() {
  const app = createRouter();
  app.use(requestId({ generator: () => `req_${randomBase62(20)}` }));
  app.use(traceRequest);
  app.use(methodNotAllowed({ app, onMethodNotAllowed }));
  // Browsers may call the merchant API (first, so every answer, errors too, is readable) and load
  // the OpenAPI document; channel webhooks, the admin API and dashboard sign-in are not for
  // other origins' pages.
  app.use("/api/v1/*", except(["/api/v1/webhooks/*", "/api/v1/admin/*", "/api/v1/checkout/*", "/api/v1/session"], apiCors));
  app.use("/openapi.json", publicCors);
  app.use("/api/*", limitBody, requireJsonBody);
  // Outermost of the rest, so it sees each change's final answer, refusals included.
  app.use("/api/v1/*", auditChanges);
  // JSON bodies are parsed once the caller is known. Channel webhooks never are: they reach their
  // handler byte for byte, as their signature covers the raw body.
  app.use("/api/v1/admin/*", adminAuth, parseJsonBody);
  // Prometheus scrapes with the operator token; an operator may look with their session.
  app.use("/metrics", adminAuth);
  app.use("/api/v1/session", parseJsonBody);
  // Every other /api/v1 route needs a merchant key or a merchant user's session; channel webhooks
  // are verified by signature, and the checkout pages are the buyer's browser coming back from a
  // channel.
  app.use(
    "/api/v1/*",
    except(
      ["/api/v1/webhooks/*", "/api/v1/admin/*", "/api/v1/checkout/*", "/api/v1/session"],
      merchantAuth,
      originAllowed,
      parseJsonBody,
      idempotency,
    ),
  );

  app.route("/", healthRouter);
  app.route("/", metricsRouter);
  app.route("/", sessionRouter);
  app.route("/", merchantRouter);
  app.route("/", teamRouter);
  app.route("/", adminRouter);
  app.route("/", adminPeopleRouter);
  app.route("/", paymentsRouter);
  app.route("/", refundsRouter);
  app.route("/", ordersRouter);
  app.route("/", routingRouter);
  app.route("/", riskRouter);
  app.route("/", riskListsRouter);
  app.route("/", sandboxRouter);
  app.route("/", channelsRouter);
  app.route("/", eventsRouter);
  app.route("/", statisticsRouter);
  app.route("/", webhooksRouter);
  app.route("/", checkoutRouter);
  app.route("/", dashboardRouter);

  mountOpenApi(app);
  app.onError(onError);
  app.notFound(onNotFound);
  return app;
}

export const app = createApp();
