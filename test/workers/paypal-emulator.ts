// Test-side handle on the PayPal emulator (test/emulators/paypal), which runs in Node beside
// workerd. Each test registers an account of its own, so its token cache and request counts
// start empty whatever ran before.
import { SELF } from "cloudflare:test";
import type { PayPalConfig } from "../../shared/channels/paypal/config";
import { TEST_PAYPAL } from "../constants";
import type { Condition, ConditionMode } from "../emulators/conditions.d.mts";
import type { PayPalRequestRecord, PayPalWebhookRecord } from "../emulators/paypal/server.d.mts";
import { BASE } from "./helpers";

const HOST = `127.0.0.1:${TEST_PAYPAL.port}`;
export const PAYPAL_EMULATOR = `http://${HOST}`;

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${PAYPAL_EMULATOR}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (!res.ok) throw new Error(`PayPal emulator ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json<T>();
}

let accounts = 0;

export const paypal = {
  /** A new REST app at the emulator; answers the config an adapter on it takes. */
  async addAccount(): Promise<PayPalConfig> {
    const n = `${Date.now().toString(36)}${(accounts += 1)}`;
    const account = { clientId: `client_${n}`, clientSecret: `secret_${n}`, webhookId: `WH${n.toUpperCase()}` };
    await call("POST", "/_emulator/accounts", account);
    return { ...account, apiBase: PAYPAL_EMULATOR, certHosts: [HOST] };
  },
  /** The token requests made with this account's client id and secret. */
  async tokenRequests(config: PayPalConfig): Promise<PayPalRequestRecord[]> {
    const basic = `Basic ${btoa(`${config.clientId}:${config.clientSecret}`)}`;
    return (await paypal.requests()).filter((r) => r.path === "/v1/oauth2/token" && r.headers.authorization === basic);
  },
  /** Every /v1 and /v2 call the emulator received, oldest first. */
  requests: () => call<PayPalRequestRecord[]>("GET", "/_emulator/requests"),
  webhooks: () => call<PayPalWebhookRecord[]>("GET", "/_emulator/webhooks"),
  /** Every order of every app, as PayPal shows it. */
  orders: () => call<Array<{ id: string; purchase_units: Array<{ reference_id: string }> }>>("GET", "/_emulator/orders"),
  approve: (orderId: string) => call<{ return_url: string | null }>("POST", `/_emulator/orders/${orderId}/approve`, {}),
  outcome: (orderId: string, outcome: { capture: "COMPLETED" | "PENDING" | "DECLINED" } | { error: "INSTRUMENT_DECLINED" | "PAYER_ACTION_REQUIRED" }) =>
    call("POST", `/_emulator/orders/${orderId}/outcome`, outcome),
  failNext: (failure: { path?: string; method?: string; status: number; count?: number }) => call("POST", "/_emulator/fail-next", failure),
  /** How new orders of the app `clientId` fail (mode `up` clears it). */
  setCondition: (condition: { clientId: string; mode: ConditionMode; share?: number }) =>
    call<Condition & { clientId: string }>("POST", "/_emulator/conditions", condition),
  expireTokens: () => call("POST", "/_emulator/tokens/expire", {}),
  nextRefund: (status: "PENDING" | "COMPLETED") => call("POST", "/_emulator/refunds/next", { status }),
  captureAction: (captureId: string, action: "complete" | "deny" | "reverse" | "dispute") =>
    call("POST", `/_emulator/captures/${captureId}/${action}`, {}),
  /** The headers PayPal would send with `body`, signed for `webhookId`. */
  sign: (options: { body: string; webhookId: string; transmissionTime?: string; certUrl?: string; expired?: true }) =>
    call<Record<string, string>>("POST", "/_emulator/sign", options),
};

const forwarded = new Set<string>();

/**
 * Posts the emulator's signed webhooks whose body mentions `objectId` (an order, capture or refund
 * id; any of `types` only, when given), once each, to the platform: the emulator runs beside the
 * tests' Worker and cannot reach it itself.
 */
export async function forwardPayPalWebhooks(objectId: string, { types, path = "/api/v1/webhooks/paypal" }: { types?: string[]; path?: string } = {}) {
  const due = (await paypal.webhooks()).filter(
    (w) => !forwarded.has(w.event.id) && w.body.includes(objectId) && (!types || types.includes(w.event.event_type)),
  );
  const responses: Response[] = [];
  for (const webhook of due) {
    forwarded.add(webhook.event.id);
    responses.push(await SELF.fetch(`${BASE}${path}`, { method: "POST", headers: webhook.headers, body: webhook.body }));
  }
  return responses;
}
