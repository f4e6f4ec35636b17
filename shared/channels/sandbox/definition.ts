// The sandbox channel: the built-in processor, test mode only, no credentials but the platform's
// webhook signing secret.
import { defineChannel } from "../definition";
import { SHARDS, SandboxAdapter, parseSandboxWebhook, sandboxShard } from "./adapter";
import { SANDBOX_PAYMENT_METHODS } from "./wire";

export const sandboxChannel = defineChannel({
  name: "sandbox",
  livemodes: [false],
  currencies: null,
  paymentMethods: SANDBOX_PAYMENT_METHODS,
  confirmsOnServer: true,
  // a decline the sandbox makes on purpose (its decline_retriable condition) is a processor fault
  retriableFailures: new Set(["processing_error", "issuer_not_available"]),
  byDefault: true,
  platformCredentials: (env, livemode) => (!livemode && env.SANDBOX_WEBHOOK_SECRET ? {} : null),
  merchantCredentials: null,
  adapter: (env) => new SandboxAdapter(env),
  parseWebhook: parseSandboxWebhook,
  // test mode's channel must not strand payments behind an alarm the runtime dropped
  maintain: async (env) => {
    await Promise.all(Array.from({ length: SHARDS }, (_, i) => sandboxShard(env, String(i)).ensureAlarm()));
  },
});
