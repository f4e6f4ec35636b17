export interface BTCPayEmulatorStore {
  /** BTCPay's look: 44 base58 characters; generated when left out. */
  storeId?: string;
  /** Sent as `Authorization: token <apiKey>`; reaches this store only. */
  apiKey: string;
  /** Signs this store's webhooks (`BTCPay-Sig: sha256=<hex HMAC-SHA256(secret, body)>`). */
  webhookSecret: string;
  /** Where its webhooks are posted; without one they are only listed at /_emulator/webhooks. */
  webhookUrl?: string;
  /** The store's name (GET /api/v1/stores/{storeId}, the checkout page); "Emulator store" by default. */
  name?: string;
}

/** One delivery of a webhook (GET /_emulator/webhooks). A retry is a new delivery with the first's originalDeliveryId, as in BTCPay. */
export interface BTCPayWebhookRecord {
  deliveryId: string;
  /** The first delivery's id; its own on a first delivery. */
  originalDeliveryId: string;
  isRedelivery: boolean;
  webhookId: string;
  storeId: string;
  /** InvoiceCreated, InvoiceReceivedPayment, InvoiceProcessing, InvoicePaymentSettled, InvoiceSettled, InvoiceExpired, InvoiceInvalid, PayoutCreated, PayoutApproved, PayoutUpdated. */
  type: string;
  /** The raw body (indented JSON, as BTCPay writes it), byte for byte what was posted and signed. */
  body: string;
  /** Content-Type and BTCPay-Sig. */
  headers: Record<string, string>;
  /** The POST of this delivery, once made (none while queued or without a webhook URL); `status` null when the endpoint could not be reached (then `error`). */
  attempts: Array<{ status: number | null; at: string; error?: string }>;
}

/** A call the emulator received on /api (GET /_emulator/requests). */
export interface BTCPayRequestRecord {
  method: string;
  path: string;
  /** The query string, without `?`. */
  query: string;
  /** As Node gives them: lower-case names (`authorization`). */
  headers: Record<string, string>;
  /** The JSON body parsed; the raw text when it is not JSON; null when empty. */
  body: unknown;
  at: string;
}

export function startBTCPayEmulator(options: {
  port?: number;
  stores: BTCPayEmulatorStore[];
  /** The pause before a payment confirms and before an approved payout completes (default 1000). */
  stepMs?: number;
  /** Multiplies invoices' expirationMinutes and monitoringMinutes: 1 / 60000 makes minutes milliseconds (default 1). */
  expiryScale?: number;
  /** The wait before each redelivery of a webhook its endpoint did not take (5xx, 408, 429, unreachable), one per entry (default [100, 500, 2000]). */
  webhookRetryDelaysMs?: number[];
}): Promise<{
  url: string;
  close(): Promise<void>;
}>;
