// The platform's risk rules (admin token, the mode in the query): the merchant's rule routes
// answered alike for no merchant; every merchant's payments meet them before the merchant's own,
// while no merchant lists, changes or removes them, and each mode's are its own.
import { afterEach, describe, expect, it } from "vitest";
import { TEST_ADMIN_TOKEN } from "../constants";
import { api, createMerchant, createPayment, errorOf, type TestMerchant } from "./helpers";
import { nonBuiltin, type Assessed, type RiskJson, type RuleJson } from "./risk-api";
import { drainSandboxAfterAll } from "./sandbox-state";


drainSandboxAfterAll();


const RULES = "/api/v1/admin/risk/rules";
const admin = (path: string, options: { method?: string; body?: unknown } = {}) => api(path, { key: TEST_ADMIN_TOKEN, ...options });

async function ok<T>(res: Response, status = 200): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(status);
  return res.json<T>();
}

const addPlatformRule = async (rule: Record<string, unknown>, livemode = false) => ok<RuleJson>(await admin(`${RULES}?livemode=${livemode}`, { body: rule }), 201);
const platformRules = async (livemode: boolean) => (await ok<{ data: RuleJson[] }>(await admin(`${RULES}?livemode=${livemode}`))).data;

// the tests of this file share its storage: no platform rule outlives its test
afterEach(async () => {
  for (const livemode of [false, true]) {
    for (const rule of await platformRules(livemode)) await ok(await admin(`${RULES}/${rule.id}?livemode=${livemode}`, { method: "DELETE" }));
  }
});

async function pay(m: TestMerchant, amount: number) {
  const res = await createPayment(m.testKey, { amount, currency: "USD" });
  return { status: res.status, body: await res.json<Assessed & { error?: { code: string; payment: Assessed } }>() };
}

describe("the platform risk rules routes: authentication and the mode", () => {
  const calls = (id: string) => [
    { path: RULES, method: "GET" },
    { path: RULES, method: "POST", body: { name: "x", action: "block", predicate: ":amount: > 1" } },
    { path: `${RULES}/${id}`, method: "PATCH", body: { shadow: true } },
    { path: `${RULES}/${id}`, method: "DELETE" },
  ];

  it("need the admin token: none, a wrong one or a merchant's key is 401", async () => {
    const m = await createMerchant();
    const rule = await addPlatformRule({ name: "kept", action: "review", predicate: ":amount: > 100000000" });
    for (const { path, method, body } of calls(rule.id)) {
      const at = `${path}?livemode=false`;
      expect(await errorOf(await api(at, { method, body })), `${method} ${path}`).toMatchObject({ status: 401 });
      expect(await errorOf(await api(at, { method, body, key: `${TEST_ADMIN_TOKEN}x` })), `${method} ${path}`).toMatchObject({ status: 401, code: "admin_token_invalid" });
      expect(await errorOf(await api(at, { method, body, key: m.testKey })), `${method} ${path}`).toMatchObject({ status: 401 });
    }
    expect((await platformRules(false)).map((r) => [r.id, r.shadow])).toEqual([[rule.id, false]]);
  });

  it.each([
    ["missing", "", "parameter_missing", "Missing required parameter: livemode."],
    ["1", "?livemode=1", "parameter_invalid", "Invalid livemode: must be true or false."],
    ["TRUE", "?livemode=TRUE", "parameter_invalid", "Invalid livemode: must be true or false."],
    ["empty", "?livemode=", "parameter_invalid", "Invalid livemode: must be true or false."],
  ])("refuse a livemode that is %s, naming it", async (_, query, code, message) => {
    for (const { path, method, body } of calls("rsk_none")) {
      expect(await errorOf(await admin(`${path}${query}`, { method, body })), `${method} ${path}`).toMatchObject({ status: 400, code, param: "livemode", message });
    }
  });

  it("refuse a query parameter they do not take", async () => {
    expect(await errorOf(await admin(`${RULES}?livemode=false&merchant_id=mch_1`))).toMatchObject({ status: 400, code: "parameter_unknown", param: "merchant_id" });
  });
});

describe("the platform risk rules: CRUD", () => {
  it("are stored only when the predicate parses, changed, listed per mode and removed", async () => {
    const bad = await errorOf(await admin(`${RULES}?livemode=false`, { body: { name: "typo", action: "block", predicate: ":amount: > 1 and :amout: > 2" } }));
    expect(bad).toMatchObject({ status: 400, code: "rule_invalid", param: "predicate" });
    expect(bad.message).toMatch(/line 1, column 18/);
    expect(await errorOf(await admin(`${RULES}?livemode=false`, { body: { name: "x", action: "deny", predicate: ":amount: > 1" } }))).toMatchObject({ status: 400, param: "action" });
    expect(await errorOf(await admin(`${RULES}?livemode=false`, { body: { name: "x", action: "block", predicate: ":amount: > 1", merchant_id: "mch_1" } }))).toMatchObject({
      status: 400,
      code: "parameter_unknown",
      param: "merchant_id",
    });

    const first = await addPlatformRule({ name: "huge", action: "block", predicate: ":amount_in_usd: > 50000" });
    expect(first).toMatchObject({ object: "risk_rule", livemode: false, platform: true, name: "huge", action: "block", shadow: false, position: 1 });
    const second = await addPlatformRule({ name: "watch", action: "review", predicate: ":amount: > 1", shadow: true });
    expect(second.position).toBe(2);
    const live = await addPlatformRule({ name: "live only", action: "review", predicate: ":amount: > 1" }, true);
    expect(live).toMatchObject({ livemode: true, platform: true, position: 1 });

    expect((await platformRules(false)).map((r) => r.id)).toEqual([first.id, second.id]);
    expect((await platformRules(true)).map((r) => r.id)).toEqual([live.id]);

    const changed = await ok<RuleJson>(await admin(`${RULES}/${first.id}?livemode=false`, { method: "PATCH", body: { predicate: ":amount_in_usd: > 90000", position: 5 } }));
    expect(changed).toMatchObject({ id: first.id, predicate: ":amount_in_usd: > 90000", position: 5, platform: true });
    expect(await errorOf(await admin(`${RULES}/${first.id}?livemode=false`, { method: "PATCH", body: { predicate: ":amount: >" } }))).toMatchObject({ status: 400, code: "rule_invalid", param: "predicate" });
    expect(await errorOf(await admin(`${RULES}/${first.id}?livemode=false`, { method: "PATCH", body: { color: "red" } }))).toMatchObject({ status: 400, param: "color" });
    // a rule of one mode is no rule in the other
    expect(await errorOf(await admin(`${RULES}/${first.id}?livemode=true`, { method: "PATCH", body: { shadow: true } }))).toMatchObject({ status: 404, code: "resource_missing" });
    expect(await errorOf(await admin(`${RULES}/${live.id}?livemode=false`, { method: "DELETE" }))).toMatchObject({ status: 404 });

    expect(await ok(await admin(`${RULES}/${first.id}?livemode=false`, { method: "DELETE" }))).toEqual({ id: first.id, object: "risk_rule", deleted: true });
    expect(await errorOf(await admin(`${RULES}/${first.id}?livemode=false`, { method: "DELETE" }))).toMatchObject({ status: 404 });
    expect((await platformRules(false)).map((r) => r.id)).toEqual([second.id]);
  });
});

describe("a platform rule", () => {
  it("blocks every merchant's payment before the merchant's own rules, which alone the merchant lists", async () => {
    const a = await createMerchant();
    const b = await createMerchant();
    const platform = await addPlatformRule({ name: "platform ceiling", action: "block", predicate: ":amount: >= 100000" });
    const own = await ok<RuleJson>(await api("/api/v1/risk/rules", { key: a.testKey, body: { name: "a's ceiling", action: "block", predicate: ":amount: > 0" } }), 201);

    for (const m of [a, b]) {
      const { status, body } = await pay(m, 150_000);
      expect(status).toBe(402);
      expect(body.error).toMatchObject({ code: "risk_blocked", message: "Blocked by risk rule 'platform ceiling'." });
      // tried first within block, it decided: the merchant's own block rule was not reached
      const { risk } = body.error!.payment;
      expect(risk).toMatchObject({ action: "block", rule: { id: platform.id, name: "platform ceiling", platform: true } });
      expect(nonBuiltin(risk)).toMatchObject([{ id: platform.id, platform: true, matched: true }]);
    }
    // below it, each merchant's own rules decide
    const fromA = (await pay(a, 500)).body.error!.payment.risk;
    expect(fromA).toMatchObject({ rule: { id: own.id, platform: false } });
    expect(nonBuiltin(fromA)).toMatchObject([
      { id: platform.id, platform: true, matched: false },
      { id: own.id, platform: false, matched: true },
    ]);
    const fromB = await pay(b, 500);
    expect(fromB.status).toBe(201);
    expect(fromB.body.risk!.action).toBe("allow");
    expect(nonBuiltin(fromB.body.risk)).toMatchObject([{ id: platform.id, matched: false }]);

    // the merchant lists its own rules only, and cannot change or remove the platform's
    const listed = await ok<{ data: RuleJson[] }>(await api("/api/v1/risk/rules", { key: a.testKey }));
    expect(listed.data.map((r) => r.id)).toEqual([own.id]);
    expect(await errorOf(await api(`/api/v1/risk/rules/${platform.id}`, { key: a.testKey, method: "PATCH", body: { shadow: true } }))).toMatchObject({ status: 404 });
    expect(await errorOf(await api(`/api/v1/risk/rules/${platform.id}`, { key: b.testKey, method: "DELETE" }))).toMatchObject({ status: 404 });
    expect((await platformRules(false)).map((r) => [r.id, r.shadow])).toEqual([[platform.id, false]]);
  });

  it("cannot be bypassed by a merchant's allow rule: the operators' rules are a tier before the merchant's", async () => {
    const m = await createMerchant();
    const platform = await addPlatformRule({ name: "platform ceiling", action: "block", predicate: ":amount: >= 100000" });
    await ok(await api("/api/v1/risk/rules", { key: m.testKey, body: { name: "trust everyone", action: "allow", predicate: ":amount: > 0" } }), 201);
    const { status, body } = await pay(m, 150_000);
    expect(status).toBe(402);
    expect(body.error!.payment.risk).toMatchObject({ action: "block", rule: { id: platform.id, platform: true } });
    // below the platform's reach the merchant's allow decides
    expect((await pay(m, 500)).body.risk).toMatchObject({ action: "allow", rule: { name: "trust everyone", platform: false } });
  });

  it("is shown by the merchant's dry run, which inline rules do not take it out of", async () => {
    const m = await createMerchant();
    const platform = await addPlatformRule({ name: "platform ceiling", action: "block", predicate: ":amount: >= 100000" });
    const res = await api("/api/v1/risk/evaluate", { key: m.testKey, body: { amount: 150_000, currency: "USD", rules: [{ name: "mine", action: "review", predicate: ":amount: > 0" }] } });
    const result = await ok<RiskJson & { facts: Record<string, unknown> }>(res);
    expect(result).toMatchObject({ action: "block", rule: { id: platform.id, platform: true }, facts: { amount: 150_000 } });
    expect(nonBuiltin(result)).toMatchObject([{ id: platform.id, platform: true, matched: true }]);
  });

  it("of one mode is not applied in the other", async () => {
    const m = await createMerchant();
    const live = await addPlatformRule({ name: "live: block all", action: "block", predicate: ":amount: > 0" }, true);
    const { status, body } = await pay(m, 500);
    expect(status).toBe(201);
    expect(body.risk!.action).toBe("allow");
    expect(nonBuiltin(body.risk)).toEqual([]);
    expect((await platformRules(false)).map((r) => r.id)).toEqual([]);
    expect((await platformRules(true)).map((r) => r.id)).toEqual([live.id]);
  });
});
