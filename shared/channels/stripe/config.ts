// Stripe credentials. The platform's own come from Worker secrets (STRIPE_API_KEY,
// STRIPE_WEBHOOK_SECRET, STRIPE_PUBLISHABLE_KEY); a merchant's own are the body of
// PUT /api/v1/merchant/channels/stripe. STRIPE_API_BASE points the SDK at another host (the local
// emulator). A key serves the mode its prefix names: sk_test_ or sk_live_.
import { z } from "zod";
import { SECRET_CREDENTIAL } from "../definition";

export const StripeCredentials = z.strictObject({
  secret_key: z.string().regex(/^sk_(test|live)_\w+$/, "must be a Stripe secret key (sk_test_… or sk_live_…)").meta(SECRET_CREDENTIAL),
  webhook_secret: z.string().regex(/^whsec_\w+$/, "must be a Stripe webhook signing secret (whsec_…)").meta(SECRET_CREDENTIAL),
  publishable_key: z.string().regex(/^pk_(test|live)_\w+$/, "must be a Stripe publishable key").optional(),
});
export type StripeCredentials = z.infer<typeof StripeCredentials>;

export interface StripeConfig {
  apiKey: string;
  webhookSecret: string;
  publishableKey: string | null;
  apiBase: string | null;
}

export const stripeConfigOf = (env: Env, credentials: StripeCredentials): StripeConfig => ({
  apiKey: credentials.secret_key,
  webhookSecret: credentials.webhook_secret,
  publishableKey: credentials.publishable_key ?? null,
  apiBase: env.STRIPE_API_BASE || null,
});

/** "test" or "live": the mode a Stripe key's prefix names. */
export const stripeKeyMode = (key: string) => (key.split("_")[1] === "live" ? "live" : "test");

export function platformStripeCredentials(env: Env, livemode: boolean): StripeCredentials | null {
  if (!env.STRIPE_API_KEY || !env.STRIPE_WEBHOOK_SECRET) return null;
  if (stripeKeyMode(env.STRIPE_API_KEY) !== (livemode ? "live" : "test")) return null;
  return {
    secret_key: env.STRIPE_API_KEY,
    webhook_secret: env.STRIPE_WEBHOOK_SECRET,
    ...(env.STRIPE_PUBLISHABLE_KEY ? { publishable_key: env.STRIPE_PUBLISHABLE_KEY } : {}),
  };
}
