// Test-side handle on the BTCPay Server emulator (test/emulators/btcpay), which runs in Node
// beside workerd. Each test adds a store of its own, so what it finds there (invoices by orderId,
// pull payments by name, requests, webhooks) is its own whatever ran before.
import type { BTCPayConfig } from "../../shared/channels/btcpay/config";
import { TEST_BTCPAY } from "../constants";
import type { Condition, ConditionMode } from "../emulators/conditions.d.mts";
import type { BTCPayRequestRecord, BTCPayWebhookRecord } from "../emulators/btcpay/server.d.mts";

export const BTCPAY_EMULATOR = `http://127.0.0.1:${TEST_BTCPAY.port}`;

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${BTCPAY_EMULATOR}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }) });
  if (!res.ok) throw new Error(`BTCPay emulator ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json<T>();
}

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/** A random id in BTCPay's alphabet (store ids are 44 characters). */
const base58 = (length: number) => Array.from(crypto.getRandomValues(new Uint8Array(length)), (byte) => BASE58[byte % 58]).join("");

export const btcpay = {
  /** A new store at the emulator; answers the config an adapter on it takes. */
  async addStore(overrides: Partial<BTCPayConfig> = {}): Promise<BTCPayConfig> {
    const store = { storeId: base58(44), apiKey: `key_${base58(32)}`, webhookSecret: `secret_${base58(24)}` };
    await call("POST", "/_emulator/stores", store);
    return { serverUrl: BTCPAY_EMULATOR, ...store, speedPolicy: "MediumSpeed", expirationMinutes: 15, ...overrides };
  },
  /** Every /api/v1 call the emulator received, oldest first. */
  requests: () => call<BTCPayRequestRecord[]>("GET", "/_emulator/requests"),
  webhooks: () => call<BTCPayWebhookRecord[]>("GET", "/_emulator/webhooks"),
  /** What the checkout page's buttons do. */
  pay: (invoiceId: string, kind: "full" | "partial" | "over" | "late") => call<{ redirect: string | null }>("POST", `/_emulator/invoices/${invoiceId}/pay`, { kind }),
  expire: (invoiceId: string) => call("POST", `/_emulator/invoices/${invoiceId}/expire`, {}),
  /** The pending confirmation of a payment, now. */
  confirm: (invoiceId: string) => call("POST", `/_emulator/invoices/${invoiceId}/confirm`, {}),
  claim: (pullPaymentId: string, destination?: string) => call("POST", `/_emulator/pull-payments/${pullPaymentId}/claim`, destination ? { destination } : {}),
  completePayout: (payoutId: string) => call("POST", `/_emulator/payouts/${payoutId}/complete`, {}),
  cancelPayout: (payoutId: string) => call("POST", `/_emulator/payouts/${payoutId}/cancel`, {}),
  failNext: (failure: { path?: string; method?: string; status: number; count?: number }) => call("POST", "/_emulator/fail-next", failure),
  /** How new invoices of the store `storeId` fail (mode `up` clears it). */
  setCondition: (condition: { storeId: string; mode: ConditionMode; share?: number }) =>
    call<Condition & { storeId: string }>("POST", "/_emulator/conditions", condition),
};
