// The audit log: sign-ins (refused ones too) and every change made by a person or the admin
// token, never reads and never a merchant's own API-key calls.
import { describe, expect, it } from "vitest";
import { TEST_ADMIN_TOKEN } from "../constants";
import { api, createMerchant, errorOf } from "./helpers";
import { addMerchantUser, addOperator, asBrowser, signIn, signInRequest } from "./dashboard-session";

interface Entry {
  actor: { type: string; id: string | null; email: string | null };
  merchant_id: string | null;
  livemode: boolean | null;
  action: string;
  target: string;
  status: number;
  ip: string | null;
  request_id: string | null;
}

async function auditOf(query: string): Promise<Entry[]> {
  const res = await api(`/api/v1/admin/audit-log?limit=100&${query}`, { key: TEST_ADMIN_TOKEN });
  expect(res.status).toBe(200);
  return (await res.json<{ data: Entry[] }>()).data;
}

describe("the audit log", () => {
  it("records a user's sign-in, changes (refused ones too) and sign-out, but not reads or key calls", async () => {
    const merchant = await createMerchant();
    const user = await addMerchantUser(merchant.id, "developer");
    const browser = await signIn(user.email);
    await asBrowser(browser, "/api/v1/payments");
    const issued = await asBrowser(browser, "/api/v1/merchant/api-keys", { body: {}, live: true });
    expect(issued.status).toBe(201);
    expect((await asBrowser(browser, "/api/v1/payments", { body: { order_no: "A-1", amount: 100, currency: "USD" } })).status).toBe(403);
    await api("/api/v1/payments", { key: merchant.testKey, body: { order_no: "A-2", amount: 100, currency: "USD" } });
    await asBrowser(browser, "/api/v1/session", { method: "DELETE" });

    const entries = (await auditOf(`actor_id=${user.id}`)).reverse();
    expect(entries.map((e) => [e.action, e.status])).toEqual([
      ["POST /api/v1/session", 201],
      ["POST /api/v1/merchant/api-keys", 201],
      ["POST /api/v1/payments", 403],
      ["DELETE /api/v1/session", 204],
    ]);
    // a merchant user's sign-in and sign-out are their merchant's too
    expect([entries[0]!.merchant_id, entries[3]!.merchant_id]).toEqual([merchant.id, merchant.id]);
    expect(entries[1]).toMatchObject({
      actor: { type: "user", id: user.id, email: user.email },
      merchant_id: merchant.id,
      livemode: true,
      target: "/api/v1/merchant/api-keys",
    });
    expect(entries[1]!.request_id).toMatch(/^req_/);
    // the merchant's key made a payment: nothing recorded for it
    const forMerchant = await auditOf(`merchant_id=${merchant.id}`);
    expect(forMerchant.filter((e) => e.actor.id !== user.id).map((e) => [e.actor.type, e.action])).toEqual([
      ["admin_token", "POST /api/v1/admin/merchants/:merchantId/users"],
    ]);
  });

  it("records a refused sign-in with the email tried and the client's IP", async () => {
    const merchant = await createMerchant();
    const user = await addMerchantUser(merchant.id, "owner");
    await signInRequest(user.email, "not the right password", "192.0.2.55");
    const [entry] = (await auditOf("")).filter((e) => e.actor.email === user.email && e.status === 401);
    expect(entry).toMatchObject({ actor: { type: "anonymous", id: null }, action: "POST /api/v1/session", ip: "192.0.2.55" });
  });

  it("records operators' and the admin token's changes against the merchant they touch", async () => {
    const operator = await addOperator("admin");
    const browser = await signIn(operator.email);
    const merchant = await createMerchant();
    const added = await asBrowser(browser, `/api/v1/admin/merchants/${merchant.id}/users`, {
      body: { email: `audited-${Date.now()}@people.test`, password: "a long enough password", role: "analyst" },
    });
    expect(added.status).toBe(201);
    const entries = await auditOf(`merchant_id=${merchant.id}`);
    expect(entries.map((e) => [e.actor.type, e.action])).toEqual([
      ["operator", "POST /api/v1/admin/merchants/:merchantId/users"],
    ]);
    const made = (await auditOf("")).find((e) => e.actor.type === "admin_token" && e.action === "POST /api/v1/admin/merchants");
    expect(made).toMatchObject({ status: 201, actor: { id: null } });
  });

  it("is for operators only, and refuses a bad filter naming it", async () => {
    const merchant = await createMerchant();
    expect((await api("/api/v1/admin/audit-log", { key: merchant.testKey })).status).toBe(401);
    expect(await errorOf(await api("/api/v1/admin/audit-log?limit=0", { key: TEST_ADMIN_TOKEN }))).toMatchObject({ status: 400, param: "limit" });
  });
});
