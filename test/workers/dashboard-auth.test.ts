// Signing in to the dashboard: the session cookie, what it opens and to whom, CSRF, rotation,
// expiry, sign-out and sign-in rate limiting.
import { env } from "cloudflare:test";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { TEST_ADMIN_TOKEN, TEST_SESSION_KEY } from "../constants";
import { api, createMerchant, errorOf } from "./helpers";
import {
  addMerchantUser,
  addOperator,
  asBrowser,
  PASSWORD,
  sessionCookieOf,
  signIn,
  signInRequest,
  uniqueEmail,
  type Browser,
} from "./dashboard-session";

const payment = (n: number) => ({ order_no: `DASH-${Date.now()}-${n}`, amount: 1500, currency: "USD" });

/** A token signed with the platform's key but with the given times, as an old browser would hold. */
async function forgedCookie(browser: Browser, claims: { iat: number; exp: number }) {
  const token = browser.cookie.slice("__Host-session=".length);
  const payload = JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
  const key = Uint8Array.from(atob(TEST_SESSION_KEY), (ch) => ch.charCodeAt(0));
  const forged = await new SignJWT({ sid: payload.sid, csrf: payload.csrf })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(payload.sub)
    .setIssuer(payload.iss)
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .sign(key);
  return { ...browser, cookie: `__Host-session=${forged}` };
}

describe("signing in", () => {
  it("sets an HttpOnly, Secure, SameSite=Strict host cookie and answers the person and a CSRF token", async () => {
    const merchant = await createMerchant();
    const user = await addMerchantUser(merchant.id, "owner");
    const res = await signInRequest(user.email, PASSWORD);
    expect(res.status).toBe(201);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("__Host-session="))!;
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\//);
    const body = await res.json<{ user: { email: string; role: string; merchant_id: string }; csrf_token: string }>();
    expect(body.user).toMatchObject({ email: user.email, role: "owner", kind: "merchant", merchant_id: merchant.id });
    expect(body.csrf_token).toMatch(/^\w{32}$/);
  });

  it("refuses a wrong password and an unknown email alike, setting no cookie", async () => {
    const merchant = await createMerchant();
    const user = await addMerchantUser(merchant.id, "analyst");
    for (const res of [await signInRequest(user.email, "not the password at all", "192.0.2.10"), await signInRequest(uniqueEmail("nobody"), PASSWORD, "192.0.2.10")]) {
      expect(await errorOf(res)).toMatchObject({ status: 401, code: "sign_in_failed", message: "Wrong email or password." });
      expect(sessionCookieOf(res)).toBeUndefined();
    }
  });

  it("refuses an email after 5 failures in the window, the right password too, with Retry-After", async () => {
    const merchant = await createMerchant();
    const user = await addMerchantUser(merchant.id, "owner");
    for (let i = 0; i < 5; i++) expect((await signInRequest(user.email, `wrong password ${i}`, `198.51.100.${i}`)).status).toBe(401);
    const res = await signInRequest(user.email, PASSWORD, "198.51.100.99");
    expect(await errorOf(res)).toMatchObject({ status: 429, code: "sign_in_rate_limited" });
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(sessionCookieOf(res)).toBeUndefined();
  });

  it("refuses every email from an IP after 20 failures from it", async () => {
    const ip = "203.0.113.77";
    for (let i = 0; i < 20; i++) expect((await signInRequest(uniqueEmail("guess"), "wrong password", ip)).status).toBe(401);
    const merchant = await createMerchant();
    const user = await addMerchantUser(merchant.id, "owner");
    expect(await errorOf(await signInRequest(user.email, PASSWORD, ip))).toMatchObject({ status: 429, code: "sign_in_rate_limited" });
    expect((await signInRequest(user.email, PASSWORD, "203.0.113.78")).status).toBe(201);
  });
});

describe("a merchant user's session on the merchant API", () => {
  it("reads and changes the user's merchant's records through the same routes as its key", async () => {
    const merchant = await createMerchant();
    const browser = await signIn((await addMerchantUser(merchant.id, "owner")).email);
    const created = await asBrowser(browser, "/api/v1/payments", { body: payment(1) });
    expect(created.status).toBe(201);
    const { payment_no } = await created.json<{ payment_no: string }>();
    // the merchant's key sees what the browser made, and the browser sees it in its list
    expect((await api(`/api/v1/payments/${payment_no}`, { key: merchant.testKey })).status).toBe(200);
    const list = await (await asBrowser(browser, "/api/v1/payments")).json<{ data: Array<{ payment_no: string }> }>();
    expect(list.data.map((p) => p.payment_no)).toEqual([payment_no]);
  });

  it("shows live data only with X-Livemode: true, and refuses another value naming the header", async () => {
    const merchant = await createMerchant();
    const browser = await signIn((await addMerchantUser(merchant.id, "owner")).email);
    await asBrowser(browser, "/api/v1/payments", { body: payment(2) });
    const live = await (await asBrowser(browser, "/api/v1/payments", { live: true })).json<{ data: unknown[] }>();
    expect(live.data).toEqual([]);
    const test = await (await asBrowser(browser, "/api/v1/payments", { live: false })).json<{ data: unknown[] }>();
    expect(test.data).toHaveLength(1);
    expect(await errorOf(await asBrowser(browser, "/api/v1/payments", { headers: { "X-Livemode": "yes" } }))).toMatchObject({
      status: 400,
      code: "parameter_invalid",
      param: "X-Livemode",
    });
  });

  it("refuses a change without the session's CSRF token, or with another session's", async () => {
    const merchant = await createMerchant();
    const email = (await addMerchantUser(merchant.id, "owner")).email;
    const browser = await signIn(email);
    const other = await signIn(email);
    for (const csrf of [null, other.csrf, "x".repeat(32)]) {
      expect(await errorOf(await asBrowser(browser, "/api/v1/payments", { body: payment(3), csrf }))).toMatchObject({
        status: 403,
        code: "csrf_token_invalid",
      });
    }
    const list = await (await api("/api/v1/payments", { key: merchant.testKey })).json<{ data: unknown[] }>();
    expect(list.data).toEqual([]);
  });

  it("holds each role to its changes: analysts read, developers manage keys and webhooks, owners all", async () => {
    const merchant = await createMerchant();
    const analyst = await signIn((await addMerchantUser(merchant.id, "analyst")).email);
    const developer = await signIn((await addMerchantUser(merchant.id, "developer")).email);
    expect((await asBrowser(analyst, "/api/v1/payments")).status).toBe(200);
    // the signing secret is shown to those who may change it only
    expect(await errorOf(await asBrowser(analyst, "/api/v1/merchant/webhook-endpoint/secret"))).toMatchObject({ status: 403, code: "role_forbidden" });
    expect((await asBrowser(developer, "/api/v1/merchant/webhook-endpoint/secret")).status).toBe(200);
    expect(await errorOf(await asBrowser(analyst, "/api/v1/merchant/api-keys", { body: {} }))).toMatchObject({ status: 403, code: "role_forbidden" });
    expect((await asBrowser(developer, "/api/v1/merchant/api-keys", { body: {} })).status).toBe(201);
    expect(await errorOf(await asBrowser(developer, "/api/v1/payments", { body: payment(4) }))).toMatchObject({ status: 403, code: "role_forbidden" });
  });

  it("answers 403 merchant_suspended to the users of a suspended merchant", async () => {
    const merchant = await createMerchant();
    const browser = await signIn((await addMerchantUser(merchant.id, "owner")).email);
    await env.DB.prepare("UPDATE merchants SET status = 'suspended' WHERE id = ?").bind(merchant.id).run();
    expect(await errorOf(await asBrowser(browser, "/api/v1/payments"))).toMatchObject({ status: 403, code: "merchant_suspended" });
  });

  it("keeps a merchant user out of the admin API, and an operator out of the merchant API", async () => {
    const merchant = await createMerchant();
    const user = await signIn((await addMerchantUser(merchant.id, "owner")).email);
    const operator = await signIn((await addOperator("admin")).email);
    expect(await errorOf(await asBrowser(user, "/api/v1/admin/merchants"))).toMatchObject({ status: 403, code: "operator_only" });
    expect(await errorOf(await asBrowser(operator, "/api/v1/payments"))).toMatchObject({ status: 403, code: "operator_session" });
  });
});

describe("an operator's session on the admin API", () => {
  it("lets admins change and support staff only read", async () => {
    const admin = await signIn((await addOperator("admin")).email);
    const support = await signIn((await addOperator("support")).email);
    const body = { name: "Made by an operator", email: "op-made@example.com" };
    expect((await asBrowser(admin, "/api/v1/admin/merchants", { body })).status).toBe(201);
    expect((await asBrowser(support, "/api/v1/admin/merchants")).status).toBe(200);
    expect(await errorOf(await asBrowser(support, "/api/v1/admin/merchants", { body }))).toMatchObject({ status: 403, code: "role_forbidden" });
  });

  it("keeps the admin token working for automation beside sessions", async () => {
    expect((await api("/api/v1/admin/merchants", { key: TEST_ADMIN_TOKEN })).status).toBe(200);
    expect(await errorOf(await api("/api/v1/admin/merchants"))).toMatchObject({ status: 401, code: "api_key_missing" });
  });
});

describe("the life of a session", () => {
  it("ends for good at sign-out: the same cookie is then refused", async () => {
    const merchant = await createMerchant();
    const browser = await signIn((await addMerchantUser(merchant.id, "analyst")).email);
    const out = await asBrowser(browser, "/api/v1/session", { method: "DELETE" });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().find((c) => c.startsWith("__Host-session="))).toMatch(/Max-Age=0/);
    expect(await errorOf(await asBrowser(browser, "/api/v1/payments"))).toMatchObject({ status: 401, code: "session_revoked" });
    expect(await errorOf(await asBrowser(browser, "/api/v1/session"))).toMatchObject({ status: 401, code: "session_revoked" });
  });

  it("refuses a token past its 15 minutes", async () => {
    const merchant = await createMerchant();
    const browser = await signIn((await addMerchantUser(merchant.id, "owner")).email);
    const now = Math.floor(Date.now() / 1000);
    const stale = await forgedCookie(browser, { iat: now - 16 * 60, exp: now - 60 });
    expect(await errorOf(await asBrowser(stale, "/api/v1/payments"))).toMatchObject({ status: 401, code: "session_expired" });
  });

  it("refuses a session past its 12 hours however fresh its token", async () => {
    const merchant = await createMerchant();
    const browser = await signIn((await addMerchantUser(merchant.id, "owner")).email);
    await env.DB.prepare("UPDATE dashboard_sessions SET expires_at = ? WHERE user_id = ?").bind(Date.now() - 1, browser.user.id).run();
    expect(await errorOf(await asBrowser(browser, "/api/v1/payments"))).toMatchObject({ status: 401, code: "session_expired" });
  });

  it("refuses a token signed with another key", async () => {
    const merchant = await createMerchant();
    const browser = await signIn((await addMerchantUser(merchant.id, "owner")).email);
    const [header, payload] = browser.cookie.split(".");
    const tampered = { ...browser, cookie: `${header}.${payload}.${"A".repeat(43)}` };
    expect(await errorOf(await asBrowser(tampered, "/api/v1/payments"))).toMatchObject({ status: 401, code: "session_invalid" });
  });

  it("re-signs a token older than 5 minutes (rotation), and the new one works", async () => {
    const merchant = await createMerchant();
    const browser = await signIn((await addMerchantUser(merchant.id, "owner")).email);
    const now = Math.floor(Date.now() / 1000);
    const older = await forgedCookie(browser, { iat: now - 6 * 60, exp: now + 9 * 60 });
    const res = await asBrowser(older, "/api/v1/session");
    expect(res.status).toBe(200);
    const rotated = sessionCookieOf(res);
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(older.cookie);
    expect((await asBrowser({ ...browser, cookie: rotated! }, "/api/v1/payments")).status).toBe(200);
    // a fresh token is not re-signed
    expect(sessionCookieOf(await asBrowser(browser, "/api/v1/session"))).toBeUndefined();
  });
});

describe("people", () => {
  it("refuses a short password and a taken email, naming the field", async () => {
    const merchant = await createMerchant();
    const email = uniqueEmail("owner");
    const short = await api(`/api/v1/admin/merchants/${merchant.id}/users`, { key: TEST_ADMIN_TOKEN, body: { email, password: "short", role: "owner" } });
    expect(await errorOf(short)).toMatchObject({ status: 400, code: "password_invalid", param: "password" });
    await addMerchantUser(merchant.id, "owner", email);
    const again = await api("/api/v1/admin/operators", { key: TEST_ADMIN_TOKEN, body: { email: email.toUpperCase(), password: PASSWORD, role: "admin" } });
    expect(await errorOf(again)).toMatchObject({ status: 409, code: "email_taken", param: "email" });
  });

  it("lets owners add and remove users (whose sessions end), but never the last owner", async () => {
    const merchant = await createMerchant();
    const owner = await signIn((await addMerchantUser(merchant.id, "owner")).email);
    const added = await asBrowser(owner, "/api/v1/merchant/users", { body: { email: uniqueEmail("dev"), password: PASSWORD, role: "developer" } });
    expect(added.status).toBe(201);
    const developer = await added.json<{ id: string; email: string }>();
    const devBrowser = await signIn(developer.email);
    expect(await errorOf(await asBrowser(devBrowser, "/api/v1/merchant/users", { body: { email: uniqueEmail("x"), password: PASSWORD, role: "owner" } }))).toMatchObject({
      status: 403,
      code: "role_forbidden",
    });
    expect((await asBrowser(owner, `/api/v1/merchant/users/${developer.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await errorOf(await asBrowser(devBrowser, "/api/v1/merchant/api-keys"))).toMatchObject({ status: 401, code: "session_invalid" });
    expect(await errorOf(await asBrowser(owner, `/api/v1/merchant/users/${owner.user.id}`, { method: "DELETE" }))).toMatchObject({ status: 409, code: "last_owner" });
    const users = await (await asBrowser(owner, "/api/v1/merchant/users")).json<{ data: Array<{ id: string }> }>();
    expect(users.data.map((u) => u.id)).toEqual([owner.user.id]);
  });
});
