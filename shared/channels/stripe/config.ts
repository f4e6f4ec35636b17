// Stripe credentials. The platform's own come from Worker secrets (STRIPE_API_KEY,
// STRIPE_WEBHOOK_SECRET, STRIPE_PUBLISHABLE_KEY); STRIPE_API_BASE points the SDK at another
// host (the local emulator). A key serves the mode its prefix names: sk_test_ or sk_live_.
export interface StripeConfig {
  apiKey: string;
  webhookSecret: string;
  publishableKey: string | null;
  apiBase: string | null;
}

export function stripeConfig(env: Env): StripeConfig | null {
  if (!env.STRIPE_API_KEY || !env.STRIPE_WEBHOOK_SECRET) return null;
  return {
    apiKey: env.STRIPE_API_KEY,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET,
    publishableKey: env.STRIPE_PUBLISHABLE_KEY || null,
    apiBase: env.STRIPE_API_BASE || null,
  };
}

export const stripeServes = (config: StripeConfig, livemode: boolean) =>
  config.apiKey.startsWith(livemode ? "sk_live_" : "sk_test_");
