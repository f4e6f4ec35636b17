// Worker entry: HTTP (Hono), queue consumers and the cron trigger, plus the Durable Object classes.
import { handleQueue } from "../queues";
import { meterInvocation, meterOn, meterReading, metered } from "../shared/metering";
import { app } from "./app";
import { runScheduled } from "./scheduled";

export { IdempotencyDO } from "../durable-objects/idempotency";
export { PaymentDO } from "../durable-objects/payment";
export { OrderDO } from "../durable-objects/order";
export { SandboxProcessorDO } from "../durable-objects/sandbox-processor";
export { RoutingHealthDO } from "../durable-objects/routing-health";
export { RiskCounterDO } from "../durable-objects/risk-counter";

/** With the bench's meter on, requests are counted by route and `/__meter` reads the counts. */
function fetchMetered(request: Request, env: Env, ctx: ExecutionContext) {
  const path = new URL(request.url).pathname;
  if (path === "/__meter") return Response.json(meterReading());
  // ids (PY…, OR…) are dropped, so the counts group by route
  meterInvocation(env, `fetch ${request.method} /${path.split("/").slice(1, 5).filter((s) => !/^[A-Z]{2}[0-9A-Z]{8,}$/.test(s)).join("/")}`);
  return app.fetch(request, metered(env), ctx);
}

export default {
  fetch: (request, env, ctx) => (meterOn(env) ? fetchMetered(request, env, ctx) : app.fetch(request, env, ctx)),
  queue: (batch, env, ctx) => {
    meterInvocation(env, `queue ${batch.queue}`);
    return handleQueue(batch, metered(env), ctx);
  },
  scheduled: (controller, env, ctx) => {
    meterInvocation(env, "scheduled");
    ctx.waitUntil(runScheduled(controller, metered(env)));
  },
} satisfies ExportedHandler<Env>;
