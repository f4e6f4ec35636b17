import { SELF } from "cloudflare:test";
import { TEST_ADMIN_TOKEN } from "../constants";

export const BASE = "http://platform.test";

export interface RequestOptions {
  method?: string;
  key?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Calls the Worker through its real fetch handler, as a merchant's HTTP client would. */
export function api(path: string, { method, key, body, headers = {} }: RequestOptions = {}) {
  const init: RequestInit = {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers: {
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...headers,
    },
  };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  return SELF.fetch(`${BASE}${path}`, init);
}

export interface TestMerchant {
  id: string;
  testKey: string;
  liveKey: string;
  testKeyId: string;
}

let counter = 0;

/** A fresh merchant created through the admin API, with its two keys. */
export async function createMerchant(name = `Merchant ${++counter}`): Promise<TestMerchant> {
  const res = await api("/api/v1/admin/merchants", {
    key: TEST_ADMIN_TOKEN,
    body: { name, email: `m${counter}@example.com` },
  });
  if (res.status !== 201) throw new Error(`createMerchant: ${res.status} ${await res.text()}`);
  const json = await res.json<{
    merchant: { id: string };
    api_keys: { test: { id: string; secret: string }; live: { secret: string } };
  }>();
  return {
    id: json.merchant.id,
    testKey: json.api_keys.test.secret,
    liveKey: json.api_keys.live.secret,
    testKeyId: json.api_keys.test.id,
  };
}

export interface ApiErrorJson {
  type: string;
  code: string;
  message: string;
  param?: string;
  request_id: string;
}

/** The status and the `error` object of a failed response, for one toMatchObject. */
export async function errorOf(res: Response): Promise<ApiErrorJson & { status: number }> {
  const body = await res.json<{ error: ApiErrorJson }>();
  return { status: res.status, ...body.error };
}

/** Polls `probe` until it returns a value `done` accepts (or throws after `timeoutMs`). */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 8000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let orderSeq = 0;
export const uniqueOrderNo = (prefix = "ORD") => `${prefix}-${Date.now()}-${++orderSeq}`;

export interface PaymentJson {
  payment_no: string;
  status: string;
  amount: number;
  currency: string;
  order_no: string;
  channel: string;
  client_secret: string | null;
  next_action: {
    type: string;
    redirect_to_url?: { url: string };
    use_client_sdk?: { sdk: string; client_secret: string; publishable_key: string | null };
  } | null;
  failure: { code: string; message: string } | null;
  created_at: string;
  [key: string]: unknown;
}

export function createPayment(key: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return api("/api/v1/payments", {
    key,
    headers,
    body: { order_no: uniqueOrderNo(), amount: 10000, currency: "USD", ...body },
  });
}

export async function getPayment(key: string, paymentNo: string): Promise<PaymentJson> {
  const res = await api(`/api/v1/payments/${paymentNo}`, { key });
  if (res.status !== 200) throw new Error(`getPayment ${paymentNo}: ${res.status}`);
  return res.json<PaymentJson>();
}

/** Waits until the payment (read from its Durable Object) reaches `status`. */
export const paymentReaches = (key: string, paymentNo: string, status: string) =>
  eventually(() => getPayment(key, paymentNo), (p) => p.status === status);
