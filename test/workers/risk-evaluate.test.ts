// The risk dry run (POST /api/v1/risk/evaluate): the decision the stored rules, or rules given
// inline, would make for a payment with these facts, each rule's result and the facts they read,
// on the channel named or else routing's choice; nothing stored, no velocity counter moved, and
// every merchant's rules and counters its own.
import { describe, expect, it } from "vitest";
import { api, createMerchant, createPayment, errorOf, eventually, uniqueOrderNo, type TestMerchant } from "./helpers";
import { nonBuiltin, type Assessed } from "./risk-api";
import { activateConfig } from "./routing-api";
import { drainSandboxAfterAll } from "./sandbox-state";

interface EvaluationJson {
  object: string;
  action: string;
  rule: { id: string; name: string; platform: boolean } | null;
  rules: Array<{ id: string; name: string; action: string; shadow: boolean; platform: boolean; builtin?: true; matched: boolean }>;
  evaluated_at: string;
  facts: Record<string, string | number | null>;
}

drainSandboxAfterAll();


const PAYMENT = { amount: 5000, currency: "USD", customer_email: "buyer@example.com" };

const evaluate = (key: string, body: Record<string, unknown>) => api("/api/v1/risk/evaluate", { key, body: { ...PAYMENT, ...body } });

async function evaluation(key: string, body: Record<string, unknown> = {}): Promise<EvaluationJson> {
  const res = await evaluate(key, body);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<EvaluationJson>();
}

async function addRule(key: string, rule: Record<string, unknown>): Promise<{ id: string }> {
  const res = await api("/api/v1/risk/rules", { key, body: rule });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<{ id: string }>();
}

const storedRules = async (m: TestMerchant) => (await (await api("/api/v1/risk/rules", { key: m.testKey })).json<{ data: unknown[] }>()).data;

describe("the risk dry run: validation", () => {
  it.each([
    ["amount missing", { amount: undefined }, "parameter_missing", "amount"],
    ["amount zero", { amount: 0 }, "parameter_invalid", "amount"],
    ["amount a fraction", { amount: 10.5 }, "parameter_invalid", "amount"],
    ["currency unknown", { currency: "XYZ" }, "currency_unsupported", "currency"],
    ["payment_method empty", { payment_method: "" }, "parameter_invalid", "payment_method"],
    ["channel unknown", { channel: "acme" }, "parameter_invalid", "channel"],
    ["customer_email not one", { customer_email: "nobody" }, "parameter_invalid", "customer_email"],
    ["customer_name too long", { customer_name: "n".repeat(201) }, "parameter_invalid", "customer_name"],
    ["customer_ip not one", { customer_ip: "300.1.1.1" }, "parameter_invalid", "customer_ip"],
    ["customer_country lower-case", { customer_country: "de" }, "parameter_invalid", "customer_country"],
    ["metadata value not a string", { metadata: { tier: 5 } }, "parameter_invalid", "metadata.tier"],
    ["order_no with a space", { order_no: "ORD 1" }, "parameter_invalid", "order_no"],
    ["a create's field rules do not read", { notify_url: "https://example.com/hook" }, "parameter_unknown", "notify_url"],
    ["rules not a list", { rules: { name: "x" } }, "parameter_invalid", "rules"],
    ["a rule's action unknown", { rules: [{ name: "x", action: "deny", predicate: ":amount: > 1" }] }, "parameter_invalid", "rules[0].action"],
    ["a rule's predicate missing", { rules: [{ name: "x", action: "block" }] }, "parameter_missing", "rules[0].predicate"],
    ["a rule's name blank", { rules: [{ name: " ", action: "block", predicate: ":amount: > 1" }] }, "parameter_invalid", "rules[0].name"],
    ["a rule's shadow not a boolean", { rules: [{ name: "x", action: "block", predicate: ":amount: > 1", shadow: "yes" }] }, "parameter_invalid", "rules[0].shadow"],
    ["a rule with a position (their order is theirs)", { rules: [{ name: "x", action: "block", predicate: ":amount: > 1", position: 3 }] }, "parameter_unknown", "rules[0].position"],
    ["more than 100 rules", { rules: Array.from({ length: 101 }, (_, i) => ({ name: `r${i}`, action: "block", predicate: ":amount: > 1" })) }, "parameter_invalid", "rules"],
  ])("refuses %s, naming the field", async (_, change, code, param) => {
    const m = await createMerchant();
    expect(await errorOf(await evaluate(m.testKey, change))).toMatchObject({ status: 400, code, param });
  });

  it("refuses an amount above its currency's ceiling", async () => {
    const m = await createMerchant();
    expect(await errorOf(await evaluate(m.testKey, { amount: Number.MAX_SAFE_INTEGER }))).toMatchObject({ status: 400, param: "amount" });
  });

  it("names a bad inline predicate by its place in rules, with its line and column", async () => {
    const m = await createMerchant();
    const rules = [
      { name: "fine", action: "review", predicate: ":amount: > 1" },
      { name: "fine too", action: "allow", predicate: "::tier:: = 'vip'" },
      { name: "typo", action: "block", predicate: ":amount: > 1 and\n:amout: > 100" },
    ];
    const error = await errorOf(await evaluate(m.testKey, { rules }));
    expect(error).toMatchObject({ status: 400, code: "rule_invalid", param: "rules[2].predicate" });
    expect(error.message).toBe("Invalid rules[2].predicate: Unknown attribute :amout: at line 2, column 1; did you mean :amount:?");
  });

  it("needs the merchant's key", async () => {
    expect(await errorOf(await api("/api/v1/risk/evaluate", { body: PAYMENT }))).toMatchObject({ status: 401 });
  });
});

describe("the risk dry run with the stored rules", () => {
  it("answers what a create would decide and each rule's result, storing no payment", async () => {
    const m = await createMerchant();
    const big = await addRule(m.testKey, { name: "big", action: "block", predicate: ":amount_in_usd: > 100" });
    const watch = await addRule(m.testKey, { name: "watch", action: "review", predicate: ":customer_email_domain: = 'example.com'", shadow: true });
    const blocked = await evaluation(m.testKey, { amount: 20_000 });
    expect(blocked).toMatchObject({ object: "risk_evaluation", action: "block", rule: { id: big.id, name: "big", platform: false } });
    expect(nonBuiltin(blocked)).toEqual([
      { id: big.id, name: "big", action: "block", shadow: false, platform: false, matched: true },
      { id: watch.id, name: "watch", action: "review", shadow: true, platform: false, matched: true },
    ]);
    expect(Date.parse(blocked.evaluated_at)).toBeGreaterThan(Date.now() - 60_000);
    const allowed = await evaluation(m.testKey, { amount: 500, customer_email: "buyer@other.test" });
    expect(allowed).toMatchObject({ action: "allow", rule: null });
    expect(nonBuiltin(allowed)).toMatchObject([{ id: big.id, matched: false }, { id: watch.id, matched: false }]);
    // a real create of the same facts decides the same
    expect(await errorOf(await createPayment(m.testKey, { ...PAYMENT, amount: 20_000 }))).toMatchObject({ status: 402, code: "risk_blocked" });
  });

  it("without rules of the merchant's allows", async () => {
    const m = await createMerchant();
    const result = await evaluation(m.testKey);
    expect(result).toMatchObject({ object: "risk_evaluation", action: "allow", rule: null });
    expect(nonBuiltin(result)).toEqual([]);
  });
});

describe("the facts a dry run shows", () => {
  it("are the values the rules read, by attribute, an unstated one null", async () => {
    const m = await createMerchant();
    await addRule(m.testKey, {
      name: "everything",
      action: "review",
      predicate:
        ":amount: > 1 and :amount_in_usd: > 1 and :currency: = 'USD' and :customer_email_domain: = 'example.com' and " +
        ":customer_country: = 'DE' and ::tier:: = 'gold' and ::missing:: = 'x' and :total_payments_per_email_hourly: < 5 and " +
        ":failed_amount_in_usd_per_ip_daily: < 5 and :channel: = 'sandbox'",
    });
    const result = await evaluation(m.testKey, { amount: 1234, customer_country: "DE", metadata: { tier: "gold" } });
    expect(result.facts).toMatchObject({
      amount: 1234,
      amount_in_usd: 12.34,
      currency: "USD",
      customer_email_domain: "example.com",
      customer_country: "DE",
      "::tier::": "gold",
      "::missing::": null,
      total_payments_per_email_hourly: 0,
      // no IP stated: no counter to read
      failed_amount_in_usd_per_ip_daily: null,
      channel: "sandbox",
    });
    // what no rule reads is not shown
    expect(Object.keys(result.facts)).not.toContain("customer_email");
    expect(Object.keys(result.facts)).not.toContain("payment_method");
    expect(result.action).toBe("allow");
  });

  it("name the channel the payment names, else the one routing would choose", async () => {
    const m = await createMerchant();
    const rules = [{ name: "where", action: "review", predicate: ":channel: = 'stripe'" }];
    expect((await evaluation(m.testKey, { rules })).facts).toMatchObject({ channel: "sandbox" });
    expect(await evaluation(m.testKey, { rules, channel: "stripe" })).toMatchObject({ action: "review", facts: { channel: "stripe" } });
    await activateConfig(m.testKey, { name: "stripe first", default: { priority: ["stripe", "sandbox"] } });
    expect(await evaluation(m.testKey, { rules, order_no: uniqueOrderNo("EV") })).toMatchObject({ action: "review", facts: { channel: "stripe" } });
    expect(await evaluation(m.testKey, { rules, channel: "sandbox" })).toMatchObject({ action: "allow", facts: { channel: "sandbox" } });
  });
});

describe("the risk dry run with inline rules", () => {
  it("tries them instead of the stored ones, named by their place", async () => {
    const m = await createMerchant();
    await addRule(m.testKey, { name: "stored: block all", action: "block", predicate: ":amount: > 0" });
    const tried = await evaluation(m.testKey, {
      rules: [
        { name: "vip", action: "allow", predicate: "::tier:: = 'vip'" },
        { name: "would review", action: "review", predicate: ":amount: > 100", shadow: true },
        { name: "look", action: "review", predicate: ":amount: > 100" },
      ],
    });
    expect(tried).toMatchObject({ action: "review", rule: { id: "rules[2]", name: "look", platform: false } });
    expect(nonBuiltin(tried)).toMatchObject([
      { id: "rules[0]", name: "vip", action: "allow", matched: false },
      { id: "rules[1]", name: "would review", shadow: true, matched: true },
      { id: "rules[2]", name: "look", shadow: false, matched: true },
    ]);
    // none at all: what the payment would meet without any rule of the merchant's
    const none = await evaluation(m.testKey, { rules: [] });
    expect(none.action).toBe("allow");
    expect(nonBuiltin(none)).toEqual([]);
    expect(await storedRules(m)).toHaveLength(1);
  });

  it("store nothing and move no counter: five dry runs later, a create still counts zero", async () => {
    const m = await createMerchant();
    const rule = { name: "one per hour", action: "block", predicate: ":total_payments_per_email_hourly: >= 1" };
    const orderNo = uniqueOrderNo("DRY");
    for (let i = 0; i < 5; i++) {
      expect(await evaluation(m.testKey, { rules: [rule], order_no: orderNo })).toMatchObject({
        action: "allow",
        facts: { total_payments_per_email_hourly: 0 },
      });
    }
    expect(await storedRules(m)).toEqual([]);
    const stored = await addRule(m.testKey, rule);
    // 201, not 200: no payment of the order existed
    const created = await createPayment(m.testKey, { ...PAYMENT, order_no: orderNo });
    expect(created.status, await created.clone().text()).toBe(201);
    const { risk } = await created.json<Assessed>();
    expect(risk!.action).toBe("allow");
    expect(nonBuiltin(risk)).toMatchObject([{ id: stored.id, matched: false }]);
    // the create is counted (once the counters hear of it): the dry run reads it
    const after = await eventually(() => evaluation(m.testKey), (e) => e.facts.total_payments_per_email_hourly === 1);
    expect(after).toMatchObject({ action: "block", rule: { id: stored.id } });
  });
});

describe("the risk dry run across merchants", () => {
  it("reads only the key's merchant's rules, lists and counters", async () => {
    const a = await createMerchant();
    const b = await createMerchant();
    const rule = await addRule(a.testKey, { name: "listed", action: "block", predicate: ":customer_email: in @blocked_emails or :total_payments_per_email_hourly: >= 1" });
    expect((await api("/api/v1/risk/lists/blocked_emails/items", { key: a.testKey, body: { value: "buyer@example.com" } })).status).toBe(201);
    expect(await evaluation(a.testKey)).toMatchObject({ action: "block", rule: { id: rule.id } });
    const asBStored = await evaluation(b.testKey);
    expect(asBStored.action).toBe("allow");
    expect(nonBuiltin(asBStored)).toEqual([]);
    expect(Object.keys(asBStored.facts)).not.toContain("customer_email");
    // B's own rules, inline, read B's empty list and B's counters, not A's
    const asB = await evaluation(b.testKey, { rules: [{ name: "same", action: "block", predicate: ":customer_email: in @blocked_emails" }] });
    expect(asB.action).toBe("allow");
    expect(nonBuiltin(asB)).toMatchObject([{ id: "rules[0]", matched: false }]);
    await addRule(a.testKey, { name: "count", action: "review", predicate: ":amount: > 0" });
    expect((await createPayment(a.testKey, { ...PAYMENT, customer_email: "twice@example.com" })).status).toBe(201);
    await eventually(() => evaluation(a.testKey, { customer_email: "twice@example.com" }), (e) => e.facts.total_payments_per_email_hourly === 1);
    const counted = await evaluation(b.testKey, {
      customer_email: "twice@example.com",
      rules: [{ name: "velocity", action: "block", predicate: ":total_payments_per_email_hourly: >= 1" }],
    });
    expect(counted).toMatchObject({ action: "allow", facts: { total_payments_per_email_hourly: 0 } });
  });
});
