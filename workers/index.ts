// Worker entry: HTTP (Hono), queue consumers and the cron trigger, plus the Durable Object classes.
import { handleQueue } from "../queues";
import { app } from "./app";
import { runScheduled } from "./scheduled";

export { IdempotencyDO } from "../durable-objects/idempotency";
export { PaymentDO } from "../durable-objects/payment";
export { OrderDO } from "../durable-objects/order";
export { SandboxProcessorDO } from "../durable-objects/sandbox-processor";

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(controller, env)),
} satisfies ExportedHandler<Env>;
