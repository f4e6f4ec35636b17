// What keeps a dashboard session the person's own, in Chromium: a change without the session's
// CSRF token is refused, another site's page cannot make changes with the cookie, and an expired
// or signed-out session sends the browser back to sign in, saying why.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_SESSION_KEY } from "../constants";
import { type MerchantOwner, type Platform, signIn, startPlatform } from "./harness";

let platform: Platform;
let owner: MerchantOwner;

beforeAll(async () => {
  platform = await startPlatform();
  owner = await platform.createMerchantWithOwner();
});
afterAll(() => platform?.stop());

const keyCount = async () => {
  const res = await platform.api("/api/v1/merchant/api-keys", { key: owner.testKey });
  return ((await res.json()) as { data: unknown[] }).data.length;
};

/** A page served from another site (localhost is not 127.0.0.1's site) that tries a change. */
async function attackerSite(script: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_, res) => {
    res.setHeader("Content-Type", "text/html");
    res.end(`<!doctype html><title>elsewhere</title><script>${script}</script>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://localhost:${(server.address() as AddressInfo).port}/`, server };
}

describe("a signed-in browser", () => {
  it("has a change refused without the session's CSRF token, and made with it", async () => {
    const { page } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    const before = await keyCount();
    const attempt = (headers: Record<string, string>) =>
      page.evaluate(async (h) => {
        const res = await fetch("/api/v1/merchant/api-keys", { method: "POST", headers: h });
        return { status: res.status, body: (await res.json()) as { error: { code: string } } };
      }, headers);

    const refused = await attempt({});
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("csrf_token_invalid");
    expect((await attempt({ "X-CSRF-Token": "a-token-from-somewhere-else-000" })).status).toBe(403);
    expect(await keyCount()).toBe(before);

    const session = await page.evaluate(async () => ((await (await fetch("/api/v1/session")).json()) as { csrf_token: string }).csrf_token);
    expect((await attempt({ "X-CSRF-Token": session })).status).toBe(201);
    expect(await keyCount()).toBe(before + 1);
  });

  it("sends no session cookie with another site's requests, so they change nothing", async () => {
    const { page } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    const before = await keyCount();
    const target = `${platform.origin}/api/v1/merchant/api-keys`;
    const attacker = await attackerSite(`fetch(${JSON.stringify(target)}, { method: "POST", credentials: "include", mode: "no-cors" });`);
    // the browser sees the platform's real answer even where the attacker's script cannot
    const answered = page.waitForResponse((res) => res.url() === target);
    try {
      await page.goto(attacker.url);
      await answered;
    } finally {
      attacker.server.close();
    }
    // 401: no cookie came (SameSite=Strict, asserted on the header in test/workers/
    // dashboard-auth.test.ts; this Chromium withholds third-party cookies besides), not 403 (a
    // cookie without its CSRF token)
    expect((await answered).status()).toBe(401);
    expect(await keyCount()).toBe(before);
    // and the session itself is untouched: the dashboard still works in that browser
    await page.goto("/dashboard/api-keys");
    await page.getByRole("button", { name: "Sign out" }).waitFor();
  });

  it("is sent to sign in, told the session expired, once its token is past its 15 minutes", async () => {
    const { page } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    const [cookie] = await page.context().cookies();
    const payload = JSON.parse(Buffer.from(cookie!.value.split(".")[1]!, "base64url").toString());
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ sid: payload.sid, csrf: payload.csrf })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(payload.sub)
      .setIssuer(payload.iss)
      .setIssuedAt(now - 16 * 60)
      .setExpirationTime(now - 60)
      .sign(Buffer.from(TEST_SESSION_KEY, "base64"));
    await page.context().addCookies([{ ...cookie!, value: expired }]);

    // the page's first 401 sends it to sign in (location.assign), which can come before its "load"
    // and abort a goto waiting for it: the goto waits for the answer only, the status line for the rest
    await page.goto("/dashboard/api-keys", { waitUntil: "commit" });
    await page.getByRole("status").filter({ hasText: "Your session has expired: sign in again." }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/dashboard/sign-in");
    const res = await page.evaluate(async () => (await fetch("/api/v1/merchant/api-keys")).status);
    expect(res).toBe(401);
  });

  it("is sent to sign in, told it was signed out, when its session ends elsewhere", async () => {
    const { page } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    // the same session ended from another tab: its cookie, sent by Node, signs it out
    const [cookie] = await page.context().cookies();
    const csrf = await page.evaluate(async () => ((await (await fetch("/api/v1/session")).json()) as { csrf_token: string }).csrf_token);
    const out = await platform.api("/api/v1/session", {
      method: "DELETE",
      headers: { Cookie: `${cookie!.name}=${cookie!.value}`, "X-CSRF-Token": csrf },
    });
    expect(out.status).toBe(204);

    await page.getByRole("link", { name: "API keys" }).click();
    await page.getByRole("status").filter({ hasText: "You were signed out: sign in again." }).waitFor();
  });
});
