// Test helpers for people signed in to the dashboard: make users and operators through the admin
// API, sign in, and call the API as that browser would (cookie, CSRF token, mode header).
import { TEST_ADMIN_TOKEN } from "../constants";
import { api, type RequestOptions } from "./helpers";

export const PASSWORD = "correct horse battery staple";

export interface Browser {
  cookie: string;
  csrf: string;
  user: { id: string; email: string; role: string; kind: string; merchant_id: string | null };
}

let counter = 0;
export const uniqueEmail = (label: string) => `${label}-${Date.now()}-${++counter}@people.test`;

export async function addMerchantUser(merchantId: string, role: string, email = uniqueEmail(role)) {
  const res = await api(`/api/v1/admin/merchants/${merchantId}/users`, { key: TEST_ADMIN_TOKEN, body: { email, password: PASSWORD, role } });
  if (res.status !== 201) throw new Error(`addMerchantUser: ${res.status} ${await res.text()}`);
  return res.json<{ id: string; email: string }>();
}

export async function addOperator(role: "admin" | "support", email = uniqueEmail(role)) {
  const res = await api("/api/v1/admin/operators", { key: TEST_ADMIN_TOKEN, body: { email, password: PASSWORD, role } });
  if (res.status !== 201) throw new Error(`addOperator: ${res.status} ${await res.text()}`);
  return res.json<{ id: string; email: string }>();
}

/** The `__Host-session=…` pair of a Set-Cookie answer, as a browser would send it back. */
export function sessionCookieOf(res: Response): string | undefined {
  const header = res.headers.getSetCookie().find((c) => c.startsWith("__Host-session="));
  return header?.split(";")[0];
}

export function signInRequest(email: string, password: string, ip = "192.0.2.1") {
  return api("/api/v1/session", { body: { email, password }, headers: { "CF-Connecting-IP": ip } });
}

export async function signIn(email: string, password = PASSWORD): Promise<Browser> {
  const res = await signInRequest(email, password);
  if (res.status !== 201) throw new Error(`signIn: ${res.status} ${await res.text()}`);
  const body = await res.json<{ csrf_token: string; user: Browser["user"] }>();
  return { cookie: sessionCookieOf(res)!, csrf: body.csrf_token, user: body.user };
}

/** A call from the signed-in browser: its cookie, its CSRF token on changes, the mode it shows. */
export function asBrowser(browser: Browser, path: string, options: RequestOptions & { live?: boolean; csrf?: string | null } = {}) {
  const { live, csrf, headers, ...rest } = options;
  const method = rest.method ?? (rest.body === undefined ? "GET" : "POST");
  const token = csrf === undefined ? browser.csrf : csrf;
  return api(path, {
    ...rest,
    method,
    headers: {
      Cookie: browser.cookie,
      ...(method === "GET" || token === null ? {} : { "X-CSRF-Token": token }),
      ...(live === undefined ? {} : { "X-Livemode": String(live) }),
      ...headers,
    },
  });
}
