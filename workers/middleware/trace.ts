// Every request runs inside its log context (shared/observability/log-context.ts): the caller's
// W3C trace carried on, or a new one, answered in the response's `traceparent`, and one line at
// the end saying what was asked and how it went.
import { createMiddleware } from "hono/factory";
import { runInContext, type LogContext } from "../../shared/observability/log-context";
import { log } from "../../shared/observability/logger";
import { continueOrStart, formatTraceparent } from "../../shared/observability/trace-context";
import type { AppEnv } from "../app-env";

export const traceRequest = createMiddleware<AppEnv>(async (c, next) => {
  const context: LogContext = { trace: continueOrStart(c.req.header("traceparent")), requestId: c.get("requestId") };
  const started = Date.now();
  await runInContext(context, async () => {
    await next();
    c.header("traceparent", formatTraceparent(context.trace));
    // the path's ids are the caller's own (payment_no, order_no); its query string may hold an email
    log.info("request", { method: c.req.method, path: c.req.path, status: c.res.status, duration_ms: Date.now() - started });
  });
});
