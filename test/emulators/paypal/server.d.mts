export interface PayPalEmulatorAccount {
  clientId: string;
  clientSecret: string;
  /** Signs this account's webhooks (1 to 50 letters and digits, as PayPal's webhook ids). */
  webhookId: string;
  /** Where its webhooks are posted; without one they are only listed at /_emulator/webhooks. */
  webhookUrl?: string;
}

/** A webhook the emulator sent (GET /_emulator/webhooks). */
export interface PayPalWebhookRecord {
  clientId: string;
  /** The event, parsed from `body`. */
  event: {
    id: string;
    event_version: string;
    create_time: string;
    resource_type: string;
    resource_version: string;
    event_type: string;
    summary: string;
    resource: Record<string, unknown>;
    links: Array<{ href: string; rel: string; method: string }>;
  };
  /** The raw body, byte for byte what was posted and signed. */
  body: string;
  /** PAYPAL-TRANSMISSION-ID, -TIME, -SIG, PAYPAL-CERT-URL, PAYPAL-AUTH-ALGO, PAYPAL-AUTH-VERSION, Content-Type. */
  headers: Record<string, string>;
  /** One per attempt; `status` null when the endpoint could not be reached (then `error`). */
  deliveries: Array<{ status: number | null; at: string; error?: string }>;
}

/** A call the emulator received on /v1 or /v2 (GET /_emulator/requests). */
export interface PayPalRequestRecord {
  method: string;
  path: string;
  /** As Node gives them: lower-case names (`paypal-request-id`, `authorization`, `prefer`). */
  headers: Record<string, string>;
  /** The JSON body parsed; the raw text when it is not JSON (the token call's form); null when empty. */
  body: unknown;
  at: string;
}

export function startPayPalEmulator(options: {
  port?: number;
  accounts: PayPalEmulatorAccount[];
  /** expires_in of the access tokens it issues (default 32400, PayPal's nine hours). */
  tokenTtlSeconds?: number;
  /** The wait before each retry of a webhook its endpoint did not take, one retry per entry (default [100, 500, 2000]). */
  webhookRetryDelaysMs?: number[];
}): Promise<{
  url: string;
  /** Where webhooks' PAYPAL-CERT-URL points. */
  certUrl: string;
  /** The PEM certificate served there, whose key signs the webhooks. */
  certificatePem: string;
  close(): Promise<void>;
}>;
