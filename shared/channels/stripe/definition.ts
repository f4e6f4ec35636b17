// The Stripe channel: cards and every method Stripe's automatic payment methods offer, on the
// platform's account or the merchant's own.
import { defineChannel } from "../definition";
import { StripeAdapter } from "./adapter";
import { StripeCredentials, platformStripeCredentials, stripeConfigOf, stripeKeyMode } from "./config";
import { parseStripeWebhook } from "./webhook";

export const stripeChannel = defineChannel({
  name: "stripe",
  livemodes: [false, true],
  // Stripe charges every currency the platform knows (./amounts.ts converts each)
  currencies: null,
  paymentMethods: null,
  confirmsOnServer: false,
  // Stripe's error codes and decline codes that its docs say to retry
  retriableFailures: new Set(["processing_error", "rate_limit", "issuer_not_available", "try_again_later", "reenter_transaction"]),
  byDefault: true,
  platformCredentials: platformStripeCredentials,
  merchantCredentials: {
    schema: StripeCredentials,
    modeProblem(credentials, livemode) {
      const mode = livemode ? "live" : "test";
      for (const [param, key] of [["secret_key", credentials.secret_key], ["publishable_key", credentials.publishable_key]] as const) {
        if (key !== undefined && stripeKeyMode(key) !== mode) {
          return { param, message: `${param} is a ${stripeKeyMode(key)} key; this API key configures ${mode} mode.` };
        }
      }
      return null;
    },
    describe: (credentials) => ({
      secret_key_hint: `${credentials.secret_key.slice(0, 8)}…${credentials.secret_key.slice(-4)}`,
      publishable_key: credentials.publishable_key ?? null,
    }),
    refusedParam: "secret_key",
  },
  adapter: (env, credentials) => new StripeAdapter(stripeConfigOf(env, credentials)),
  parseWebhook: parseStripeWebhook,
});
