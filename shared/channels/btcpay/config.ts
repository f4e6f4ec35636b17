// BTCPay credentials. BTCPay Server is self-hosted: there is no platform account, only a
// merchant's own server and store, named by the body of PUT /api/v1/merchant/channels/btcpay (an
// API key of that store, and the secret of the store's webhook pointed at the platform), plus
// how its invoices are made: the confirmations a payment needs and how long an invoice stays open.
import { z } from "zod";
import { SECRET_CREDENTIAL } from "../definition";

export const SPEED_POLICIES = ["HighSpeed", "MediumSpeed", "LowMediumSpeed", "LowSpeed"] as const;
export type SpeedPolicy = (typeof SPEED_POLICIES)[number];

export interface BTCPayConfig {
  /** The server's origin and path, without a trailing slash: API paths are appended to it. */
  serverUrl: string;
  storeId: string;
  apiKey: string;
  webhookSecret: string;
  speedPolicy: SpeedPolicy;
  expirationMinutes: number;
}

/**
 * The server's base URL, kept as `origin + path` without a trailing slash. Credentials, a query
 * or a fragment would be sent (or dropped) with every call, so they are refused, not stripped.
 */
const ServerUrl = z
  .string()
  .max(2048)
  .transform((value, ctx) => {
    const refuse = (message: string) => {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return refuse("must be the URL of your BTCPay Server (https://btcpay.example.com)");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return refuse("must be an http or https URL");
    if (url.username || url.password) return refuse("must not carry a user name or password");
    if (/[?#]/.test(value)) return refuse("must not carry a query or a fragment");
    return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  });

export const BTCPayCredentials = z.strictObject({
  server_url: ServerUrl,
  store_id: z.string().min(1).max(128).regex(/^[A-Za-z0-9]+$/, "must be the store's id (BTCPay: Settings › General › Store Id)"),
  api_key: z.string().min(1).max(256).regex(/^[\w-]+$/, "must be a Greenfield API key of the store (BTCPay: Account › API Keys)").meta(SECRET_CREDENTIAL),
  webhook_secret: z.string().min(1).max(256).meta(SECRET_CREDENTIAL),
  speed_policy: z.enum(SPEED_POLICIES).default("MediumSpeed"),
  expiration_minutes: z.number().int().min(1).max(1440).default(15),
});
export type BTCPayCredentials = z.infer<typeof BTCPayCredentials>;

export const btcpayConfigOf = (credentials: BTCPayCredentials): BTCPayConfig => ({
  serverUrl: credentials.server_url,
  storeId: credentials.store_id,
  apiKey: credentials.api_key,
  webhookSecret: credentials.webhook_secret,
  speedPolicy: credentials.speed_policy,
  expirationMinutes: credentials.expiration_minutes,
});
