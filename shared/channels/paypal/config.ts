// PayPal credentials: a REST app's client id and secret, and the id of the webhook registered on
// that app (PayPal signs every webhook over it, so it is part of what is verified). Which account
// and which base serve a payment is decided where the channel is registered.
export interface PayPalConfig {
  clientId: string;
  clientSecret: string;
  webhookId: string;
  apiBase: string;
  /**
   * Hosts ("host" or "host:port"), besides paypal.com and its subdomains over https, that may
   * serve webhook signing certificates: the local emulator's, in tests and `npm run dev`.
   */
  certHosts: string[];
}

export const PAYPAL_API_BASE = {
  live: "https://api-m.paypal.com",
  sandbox: "https://api-m.sandbox.paypal.com",
} as const;
