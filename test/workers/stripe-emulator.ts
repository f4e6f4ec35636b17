// Test-side handle on the Stripe emulator (test/emulators/stripe), which runs in Node.
import { SELF } from "cloudflare:test";
import { signPayload } from "../../shared/channels/signature";
import { TEST_STRIPE } from "../constants";
import type { Condition, ConditionMode } from "../emulators/conditions.d.mts";
import { BASE } from "./helpers";

const EMULATOR = `http://127.0.0.1:${TEST_STRIPE.port}`;

export interface Delivery {
  event_id: string;
  type: string;
  headers: Record<string, string>;
  body: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  idempotency_key: string | null;
  api_key_last4: string;
  traceparent: string | null;
  params: Record<string, unknown> & { metadata?: Record<string, string> };
}

async function call<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${EMULATOR}${path}`, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${await res.text()}`);
  return res.json<T>();
}

export const stripe = {
  drive: (piId: string, action: "succeed" | "fail" | "require_action" | "process") =>
    call(`/_emulator/payment_intents/${piId}/${action}`, {}),
  settleRefund: (refundId: string, action: "succeed" | "fail") => call(`/_emulator/refunds/${refundId}/${action}`, {}),
  failNext: (status: number, count = 1) => call("/_emulator/fail-next", { status, count }),
  /** Registers another Stripe account (its own key and webhook secret); answers its acct_ id. */
  addAccount: (account: { api_key: string; webhook_secret: string; webhook_url?: string }) =>
    call<{ id: string }>("/_emulator/accounts", account),
  /** How new PaymentIntents of the account whose key is `api_key` fail (mode `up` clears it); answers it with the acct_ id. */
  setCondition: (condition: { api_key: string; mode: ConditionMode; share?: number }) =>
    call<Condition & { account: string }>("/_emulator/conditions", condition),
  requests: () => call<RecordedRequest[]>("/_emulator/requests"),
  paymentIntents: () => call<Array<{ id: string; metadata: Record<string, string> }>>("/_emulator/payment_intents"),
  refunds: () => call<Array<{ id: string; status: string; amount: number; metadata: Record<string, string> }>>("/_emulator/refunds"),
  deliveries: () => call<Delivery[]>("/_emulator/deliveries"),
};

const forwarded = new Set<string>();

/** Posts the emulator's signed webhooks that mention `objectId`, once each, to the platform. */
export async function forwardWebhooks(objectId: string): Promise<Response[]> {
  const due = (await stripe.deliveries()).filter((d) => !forwarded.has(d.event_id) && d.body.includes(objectId));
  const responses: Response[] = [];
  for (const delivery of due) {
    forwarded.add(delivery.event_id);
    responses.push(
      await SELF.fetch(`${BASE}/api/v1/webhooks/stripe`, { method: "POST", headers: delivery.headers, body: delivery.body }),
    );
  }
  return responses;
}

/** Posts an event of our own making, signed as Stripe signs (or not, to test refusals). */
export async function postStripeEvent(
  event: { id: string; type: string; data: { object: Record<string, unknown> } },
  { secret = TEST_STRIPE.webhookSecret, at = Date.now(), tamper = false, path = "/api/v1/webhooks/stripe" } = {},
) {
  const body = JSON.stringify({ object: "event", created: Math.floor(at / 1000), livemode: false, ...event });
  const signature = await signPayload(secret, body, Math.floor(at / 1000));
  return SELF.fetch(`${BASE}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": signature },
    body: tamper ? body.replace(event.id, `${event.id}x`) : body,
  });
}
