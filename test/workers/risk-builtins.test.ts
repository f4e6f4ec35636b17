// The built-in risk rules, on for every merchant and mode unless switched off: the card-testing
// guard (more than 5 failed payments of one email or IP within the hour → the next one is
// blocked), the test-mode rules that exercise each action through metadata `risk_test` (absent in
// live mode), where they stand among a merchant's own rules, and the settings that switch them
// off, per merchant and mode.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { builtinRules } from "../../shared/risk/builtin-rules";
import { counterStub, type CounterDimension } from "../../shared/risk/counter-stub";
import { ordered } from "../../shared/risk/decision";
import { api, createMerchant, createPayment, errorOf, eventually, paymentReaches, uniqueOrderNo, type PaymentJson, type TestMerchant } from "./helpers";
import { drainSandboxAfterAll, sandboxIntents } from "./sandbox-state";
import { stripe } from "./stripe-emulator";

interface RiskJson {
  action: string;
  rule: { id: string; name: string; platform: boolean; builtin?: true } | null;
  rules: Array<{ id: string; name: string; action: string; shadow: boolean; platform: boolean; builtin?: true; matched: boolean }>;
}
type Assessed = PaymentJson & { risk: RiskJson | null; review: { status: string } | null };
interface SettingsJson {
  object: string;
  livemode: boolean;
  builtin_rules: boolean;
  updated_at: string | null;
}

drainSandboxAfterAll();

async function pay(key: string, body: Record<string, unknown> = {}) {
  const res = await createPayment(key, { order_no: uniqueOrderNo("BI"), amount: 5000, currency: "USD", ...body });
  return { status: res.status, body: await res.json<Assessed & { error?: { code: string; message: string; payment: Assessed } }>() };
}

/** Failed payments in the last hour, as the card-testing guard reads them. */
const failedHourly = async (m: TestMerchant, dimension: CounterDimension, value: string) =>
  (await (await counterStub(env, m.id, false, dimension, value)).read()).hourly.failed;

/** Payments the sandbox declines, made at once; waits until each failed and the counter heard of all. */
async function declined(m: TestMerchant, bodies: Array<Record<string, unknown>>, counter: { dimension: CounterDimension; value: string; total: number }) {
  const made = await Promise.all(bodies.map((body) => pay(m.testKey, { ...body, payment_method: "pm_sandbox_declined" })));
  for (const { status } of made) expect(status).toBe(201);
  await Promise.all(made.map(({ body }) => paymentReaches(m.testKey, body.payment_no, "failed")));
  await eventually(() => failedHourly(m, counter.dimension, counter.value), (n) => n === counter.total);
}

const settings = (key: string, builtin_rules?: unknown) =>
  api("/api/v1/risk/settings", builtin_rules === undefined ? { key } : { key, method: "PATCH", body: { builtin_rules } });

const GUARD = { id: "builtin_card_testing_guard", name: "card_testing_guard", platform: true, builtin: true };

describe("the card-testing guard", () => {
  it("lets the 6th payment of an email through after 5 failed within the hour, and blocks the 7th after 6", async () => {
    const m = await createMerchant();
    const email = "tester@example.com";
    await declined(m, Array.from({ length: 5 }, () => ({ customer_email: email })), { dimension: "email", value: email, total: 5 });
    // more than 5: five failures are not enough
    const sixth = await pay(m.testKey, { customer_email: email, payment_method: "pm_sandbox_declined" });
    expect(sixth.status).toBe(201);
    expect(sixth.body.risk!.rules).toContainEqual({ ...GUARD, action: "block", shadow: false, matched: false });
    await paymentReaches(m.testKey, sixth.body.payment_no, "failed");
    await eventually(() => failedHourly(m, "email", email), (n) => n === 6);

    const seventh = await pay(m.testKey, { customer_email: "Tester@Example.com" });
    expect(seventh.status).toBe(402);
    expect(seventh.body.error).toMatchObject({ code: "risk_blocked", message: "Blocked by risk rule 'card_testing_guard'." });
    expect(seventh.body.error!.payment).toMatchObject({ status: "failed", failure: { code: "risk_blocked" }, risk: { action: "block", rule: GUARD } });
    expect(await sandboxIntents(seventh.body.error!.payment.payment_no)).toEqual([]);
    // another email of the same merchant is not held to this one's failures
    expect((await pay(m.testKey, { customer_email: "someone-else@example.com" })).status).toBe(201);
  });

  it("counts by IP too: the 7th payment from one IP is blocked whatever its email", async () => {
    const m = await createMerchant();
    const ip = "203.0.113.66";
    await declined(m, Array.from({ length: 6 }, (_, i) => ({ customer_email: `card${i}@example.com`, customer_ip: ip })), { dimension: "ip", value: ip, total: 6 });
    expect(await failedHourly(m, "email", "card0@example.com")).toBe(1);
    const blocked = await pay(m.testKey, { customer_email: "fresh@example.com", customer_ip: ip });
    expect(blocked.status).toBe(402);
    expect(blocked.body.error!.payment.risk!.rule).toEqual(GUARD);
    expect((await pay(m.testKey, { customer_email: "fresh@example.com", customer_ip: "203.0.113.67" })).status).toBe(201);
  });

  it("does not block a merchant who switched the built-in rules off, and blocks again once they are back on", async () => {
    const m = await createMerchant();
    const email = "again@example.com";
    await declined(m, Array.from({ length: 6 }, () => ({ customer_email: email })), { dimension: "email", value: email, total: 6 });
    expect((await settings(m.testKey, false)).status).toBe(200);
    const off = await pay(m.testKey, { customer_email: email });
    expect(off.status).toBe(201);
    // no rule at all was tried (and the counters are not fed for it)
    expect(off.body.risk).toMatchObject({ action: "allow", rule: null, rules: [] });
    expect((await settings(m.testKey, true)).status).toBe(200);
    const on = await pay(m.testKey, { customer_email: email });
    expect(on.status).toBe(402);
    expect(on.body.error!.payment.risk!.rule).toEqual(GUARD);
  });
});

describe("the test-mode rules", () => {
  it("metadata risk_test block: 402 naming risk_test_block, no channel called", async () => {
    const m = await createMerchant();
    const { status, body } = await pay(m.testKey, { metadata: { risk_test: "block" } });
    expect(status).toBe(402);
    expect(body.error).toMatchObject({ code: "risk_blocked", message: "Blocked by risk rule 'risk_test_block'." });
    expect(body.error!.payment.risk!.rule).toEqual({ id: "builtin_risk_test_block", name: "risk_test_block", platform: true, builtin: true });
    expect(await sandboxIntents(body.error!.payment.payment_no)).toEqual([]);
  });

  it("metadata risk_test review: the payment proceeds and a review opens", async () => {
    const m = await createMerchant();
    const { status, body } = await pay(m.testKey, { metadata: { risk_test: "review" } });
    expect(status).toBe(201);
    expect(body.risk).toMatchObject({ action: "review", rule: { id: "builtin_risk_test_review", name: "risk_test_review", builtin: true } });
    expect(body.review).toMatchObject({ status: "open" });
    await eventually(
      async () => (await api("/api/v1/risk/reviews", { key: m.testKey })).json<{ data: PaymentJson[] }>(),
      (q) => q.data.some((p) => p.payment_no === body.payment_no),
    );
  });

  it("metadata risk_test allow: allowed, the rule named, and no later rule tried, a merchant's block included", async () => {
    const m = await createMerchant();
    const rule = await api("/api/v1/risk/rules", { key: m.testKey, body: { name: "block all", action: "block", predicate: ":amount: > 0" } });
    expect(rule.status).toBe(201);
    const { status, body } = await pay(m.testKey, { metadata: { risk_test: "allow" } });
    expect(status).toBe(201);
    expect(body.risk).toMatchObject({ action: "allow", rule: { id: "builtin_risk_test_allow", name: "risk_test_allow", builtin: true } });
    expect(body.risk!.rules.map((r) => [r.name, r.matched])).toEqual([["risk_test_allow", true]]);
    expect((await pay(m.testKey)).status).toBe(402);
  });

  it("stand after the platform's rules and before the merchant's own within each action, flagged builtin", async () => {
    // the platform's rules (shared by every merchant, so not written here) go first
    const platform = { id: "rsk_p", name: "platform block", action: "block" as const, shadow: false, platform: true, position: 9 };
    const own = { id: "rsk_m", name: "mine block", action: "block" as const, shadow: false, platform: false, position: 0 };
    expect(ordered([own, ...builtinRules(false), platform]).filter((r) => r.action === "block").map((r) => r.name)).toEqual([
      "platform block",
      "card_testing_guard",
      "risk_test_block",
      "mine block",
    ]);
    const m = await createMerchant();
    for (const [name, action] of [["mine allow", "allow"], ["mine block", "block"], ["mine review", "review"]]) {
      expect((await api("/api/v1/risk/rules", { key: m.testKey, body: { name, action, predicate: ":amount: < 0", position: 0 } })).status).toBe(201);
    }
    const { body } = await pay(m.testKey);
    expect(body.risk!.rules.map((r) => [r.name, r.builtin ?? false, r.platform])).toEqual([
      ["risk_test_allow", true, true],
      ["mine allow", false, false],
      ["card_testing_guard", true, true],
      ["risk_test_block", true, true],
      ["mine block", false, false],
      ["risk_test_review", true, true],
      ["mine review", false, false],
    ]);
  });
});

describe("in live mode", () => {
  it("only the card-testing guard runs: the test-mode rules do not exist there", async () => {
    expect(builtinRules(true).map((r) => r.id)).toEqual(["builtin_card_testing_guard"]);
    // a live channel: the merchant's own Stripe account (the emulator's), with a live key
    const m = await createMerchant();
    const secretKey = `sk_live_builtins_${crypto.randomUUID().replaceAll("-", "")}`;
    await stripe.addAccount({ api_key: secretKey, webhook_secret: "whsec_builtins" });
    const configured = await api("/api/v1/merchant/channels/stripe", { key: m.liveKey, method: "PUT", body: { secret_key: secretKey, webhook_secret: "whsec_builtins" } });
    expect(configured.status, await configured.clone().text()).toBe(200);
    const { status, body } = await pay(m.liveKey, { channel: "stripe", metadata: { risk_test: "block" } });
    expect(status).toBe(201);
    expect(body.risk).toMatchObject({ action: "allow", rule: null });
    expect(body.risk!.rules.map((r) => r.id)).toEqual(["builtin_card_testing_guard"]);
  });
});

describe("risk settings", () => {
  it("have the built-in rules on by default, switch per merchant and mode, and refuse what is not a boolean", async () => {
    const m = await createMerchant();
    expect(await (await settings(m.testKey)).json()).toEqual({ object: "risk_settings", livemode: false, builtin_rules: true, updated_at: null });
    const off = await (await settings(m.testKey, false)).json<SettingsJson>();
    expect(off).toMatchObject({ object: "risk_settings", livemode: false, builtin_rules: false });
    expect(Date.parse(off.updated_at!)).toBeGreaterThan(Date.now() - 60_000);
    expect(await (await settings(m.testKey)).json()).toEqual(off);
    // the other mode, and another merchant, keep theirs
    expect(await (await settings(m.liveKey)).json()).toMatchObject({ livemode: true, builtin_rules: true });
    const other = await createMerchant();
    expect(await (await settings(other.testKey)).json()).toMatchObject({ builtin_rules: true });
    expect((await pay(other.testKey, { metadata: { risk_test: "block" } })).status).toBe(402);
    expect((await pay(m.testKey, { metadata: { risk_test: "block" } })).status).toBe(201);

    expect(await errorOf(await api("/api/v1/risk/settings", { key: m.testKey, method: "PATCH", body: {} }))).toMatchObject({ status: 400, code: "parameter_missing", param: "builtin_rules" });
    expect(await errorOf(await settings(m.testKey, "no"))).toMatchObject({ status: 400, code: "parameter_invalid", param: "builtin_rules" });
    expect(await errorOf(await api("/api/v1/risk/settings", { key: m.testKey, method: "PATCH", body: { builtin_rules: true, card_testing: 3 } }))).toMatchObject({
      status: 400,
      code: "parameter_unknown",
      param: "card_testing",
    });
    expect(await (await settings(m.testKey)).json()).toMatchObject({ builtin_rules: false });
    expect((await api("/api/v1/risk/settings", { method: "PATCH", body: { builtin_rules: true } })).status).toBe(401);
  });
});
