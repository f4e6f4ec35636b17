// The pure parts of dashboard access: password hashing, session tokens and the role table.
import { describe, expect, it } from "vitest";
import { DECOY_HASH, hashPassword, PBKDF2_ITERATIONS, verifyPassword } from "../../shared/access/passwords";
import { roleMay } from "../../shared/access/permissions";
import { signSessionToken, TOKEN_TTL_SECONDS, verifySessionToken } from "../../shared/access/session-token";
import { TEST_SESSION_KEY } from "../constants";

describe("passwords", () => {
  it("are stored as salted PBKDF2-SHA256 at the iterations stated, and verify only the right one", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(new RegExp(`^pbkdf2-sha256\\$${PBKDF2_ITERATIONS}\\$[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}$`));
    expect(stored).not.toContain("horse");
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
    // two hashes of one password differ (a salt each)
    expect(await hashPassword("correct horse battery staple")).not.toBe(stored);
  });

  it("never match the decoy, and refuse a malformed stored hash", async () => {
    expect(await verifyPassword("", DECOY_HASH)).toBe(false);
    expect(await verifyPassword("anything at all", "plain-text-password")).toBe(false);
  });

  it("keep the iterations they were made with, so the cost can be raised later", async () => {
    const cheap = await hashPassword("correct horse battery staple", 1000);
    expect(cheap.split("$")[1]).toBe("1000");
    expect(await verifyPassword("correct horse battery staple", cheap)).toBe(true);
  });
});

describe("session tokens", () => {
  const claims = { sid: "ses_1", sub: "usr_1", csrf: "c".repeat(32) };
  it("verify within their lifetime and expire after it", async () => {
    const now = Date.now();
    const token = await signSessionToken(TEST_SESSION_KEY, claims, now);
    expect(await verifySessionToken(TEST_SESSION_KEY, token, now + 1000)).toMatchObject({ ok: true, claims });
    expect(await verifySessionToken(TEST_SESSION_KEY, token, now + (TOKEN_TTL_SECONDS + 1) * 1000)).toEqual({ ok: false, reason: "expired" });
  });

  it("are refused when signed with another key or altered", async () => {
    const now = Date.now();
    const other = btoa("another-key-entirely-32-bytes!!!");
    expect(await verifySessionToken(TEST_SESSION_KEY, await signSessionToken(other, claims, now), now)).toEqual({ ok: false, reason: "invalid" });
    const [h, , s] = (await signSessionToken(TEST_SESSION_KEY, claims, now)).split(".");
    const forgedPayload = btoa(JSON.stringify({ ...claims, sub: "usr_admin" })).replace(/=+$/, "");
    expect(await verifySessionToken(TEST_SESSION_KEY, `${h}.${forgedPayload}.${s}`, now)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("the role table", () => {
  it.each([
    ["analyst", "GET", "/api/v1/payments", true],
    ["analyst", "POST", "/api/v1/refunds", false],
    ["analyst", "DELETE", "/api/v1/merchant/users/usr_1", false],
    ["analyst", "POST", "/api/v1/routing/evaluate", true],
    ["analyst", "POST", "/api/v1/risk/evaluate", true],
    ["analyst", "POST", "/api/v1/risk/evaluate/extra", false],
    ["support", "POST", "/api/v1/admin/merchants/mch_1/routing/evaluate", true],
    ["support", "POST", "/api/v1/admin/merchants/mch_1/routing/configs", false],
    ["analyst", "GET", "/api/v1/merchant/webhook-endpoint/secret", false],
    ["developer", "GET", "/api/v1/merchant/webhook-endpoint/secret", true],
    ["owner", "GET", "/api/v1/merchant/webhook-endpoint/secret", true],
    ["developer", "POST", "/api/v1/merchant/api-keys", true],
    ["developer", "POST", "/api/v1/merchant/api-keys/key_1/revoke", true],
    ["developer", "PUT", "/api/v1/merchant/webhook-endpoint", true],
    ["developer", "POST", "/api/v1/events/evt_1/resend", true],
    ["developer", "POST", "/api/v1/refunds", false],
    ["developer", "POST", "/api/v1/merchant/api-keys-extra", false],
    ["owner", "POST", "/api/v1/refunds", true],
    ["support", "GET", "/api/v1/admin/merchants", true],
    ["support", "POST", "/api/v1/admin/dead-letters/dl_1/replay", false],
    ["admin", "POST", "/api/v1/admin/dead-letters/dl_1/replay", true],
  ] as const)("%s may %s %s: %s", (role, method, path, allowed) => {
    expect(roleMay(role, method, path)).toBe(allowed);
  });
});
