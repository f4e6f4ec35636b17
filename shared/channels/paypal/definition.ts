// The PayPal channel (Orders v2 with intent CAPTURE): the buyer approves at PayPal, the platform
// captures. The platform's own REST app comes from Worker secrets and serves the mode
// PAYPAL_ENVIRONMENT names; a merchant can bring its own app per mode.
import { z } from "zod";
import { SECRET_CREDENTIAL, defineChannel } from "../definition";
import { PayPalAdapter } from "./adapter";
import { PAYPAL_CURRENCIES } from "./amounts";
import { PAYPAL_API_BASE, type PayPalConfig } from "./config";
import { parsePayPalWebhook } from "./transformers";

export const PayPalCredentials = z.strictObject({
  client_id: z.string().min(1).max(256).regex(/^[\w-]+$/, "must be a PayPal REST app's client id"),
  client_secret: z.string().min(1).max(256).meta(SECRET_CREDENTIAL),
  webhook_id: z.string().max(50).regex(/^[A-Za-z0-9]+$/, "must be the id PayPal gave the app's webhook (letters and digits)"),
});
export type PayPalCredentials = z.infer<typeof PayPalCredentials>;

/** PayPal's host for a mode; PAYPAL_API_BASE (the local emulator) stands in for both. */
export function paypalConfigOf(env: Env, credentials: PayPalCredentials, livemode: boolean): PayPalConfig {
  const override = env.PAYPAL_API_BASE || null;
  return {
    clientId: credentials.client_id,
    clientSecret: credentials.client_secret,
    webhookId: credentials.webhook_id,
    apiBase: override ?? PAYPAL_API_BASE[livemode ? "live" : "sandbox"],
    // certificates come from paypal.com hosts only, and from the emulator where it stands in
    certHosts: override ? [new URL(override).host] : [],
  };
}

function platformCredentials(env: Env, livemode: boolean): PayPalCredentials | null {
  if (!env.PAYPAL_CLIENT_ID || !env.PAYPAL_CLIENT_SECRET || !env.PAYPAL_WEBHOOK_ID) return null;
  // wrangler types a var as the literal in wrangler.toml; production sets "live"
  if (((env.PAYPAL_ENVIRONMENT as string) === "live") !== livemode) return null;
  return { client_id: env.PAYPAL_CLIENT_ID, client_secret: env.PAYPAL_CLIENT_SECRET, webhook_id: env.PAYPAL_WEBHOOK_ID };
}

export const paypalChannel = defineChannel({
  name: "paypal",
  livemodes: [false, true],
  currencies: PAYPAL_CURRENCIES,
  paymentMethods: ["paypal"],
  // the buyer must be sent to PayPal: only a merchant that asks for it gets it
  confirmsOnServer: false,
  // declines come after the buyer approved: never tried elsewhere
  retriableFailures: new Set<string>(),
  byDefault: false,
  platformCredentials,
  merchantCredentials: {
    schema: PayPalCredentials,
    // PayPal's sandbox and live apps look alike: the mode is the API key's
    modeProblem: () => null,
    describe: (credentials) => ({
      client_id: credentials.client_id,
      client_secret_hint: `…${credentials.client_secret.slice(-4)}`,
      webhook_id: credentials.webhook_id,
    }),
    refusedParam: "client_id",
  },
  adapter: (env, credentials, livemode) => new PayPalAdapter(paypalConfigOf(env, credentials, livemode)),
  parseWebhook: parsePayPalWebhook,
});
