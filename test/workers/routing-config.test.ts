// Routing configurations through the API: the contract's refusals, each naming its JSON path;
// versions, activation and rollback; another merchant's versions; the dry run; payments created
// without a channel going where the active version says; and the isolate cache of the active
// version (evicted on activate, no D1 read while warm).
import { env } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import { meterReading, metered } from "../../shared/metering";
import { paymentNoFor } from "../../shared/payments/payment-no";
import { CONFIG_CACHE_TTL_MS, cacheConfig, evictConfig, getCachedConfig } from "../../shared/routing/config-cache";
import { legFor } from "../../shared/routing/split";
import { activeConfig, type ActiveConfig } from "../../shared/routing/store";
import { api, createMerchant, createPayment, errorOf, getPayment, uniqueOrderNo, type PaymentJson } from "./helpers";
import type { VersionJson } from "./routing-api";


interface RoutingJson {
  config: { id: string; version: number } | null;
  strategy: string;
  rule: string | null;
  leg: number | null;
  candidates: string[];
  skipped: Array<{ channel: string; reason: string }>;
  chosen: string | null;
}

/** The contract's example, less its dynamic part: EUR of 1000.00 and more to stripe, else a 70/30 split. */
const EU_SPLIT = {
  name: "eu-split",
  rules: [
    {
      name: "big EUR",
      when: { all: [{ field: "currency", op: "eq", value: "EUR" }, { field: "amount", op: "gte", value: 100_000 }] },
      then: { priority: ["stripe", "paypal"] },
    },
  ],
  default: { split: [{ weight: 70, priority: ["sandbox", "stripe"] }, { weight: 30, priority: ["stripe", "sandbox"] }] },
};

const BIG_EUR_TO_STRIPE = {
  name: "big EUR to stripe",
  rules: [EU_SPLIT.rules[0]],
  default: { priority: ["sandbox"] },
};

// The sandbox payments made here report their outcome by webhook within SANDBOX_DELAY_MS (200 ms in
// vitest.config.ts): let those land before the runtime is torn down under them.
afterAll(() => new Promise((resolve) => setTimeout(resolve, 500)));

const postConfig = (key: string, body: unknown) => api("/api/v1/routing/configs", { key, body });
const activate = (key: string, id: string) => api(`/api/v1/routing/configs/${id}/activate`, { key, method: "POST" });
const evaluate = (key: string, body: Record<string, unknown>) => api("/api/v1/routing/evaluate", { key, body });

async function created(key: string, body: unknown): Promise<VersionJson> {
  const res = await postConfig(key, body);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<VersionJson>();
}

async function activeVersion(key: string, body: unknown): Promise<VersionJson> {
  const version = await created(key, body);
  expect((await activate(key, version.id)).status).toBe(200);
  return version;
}

async function evaluated(key: string, body: Record<string, unknown>) {
  const res = await evaluate(key, body);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<RoutingJson & { object: string; payment_no: string | null }>();
}

describe("POST /api/v1/routing/configs refuses what the contract does not allow, naming the JSON path", () => {
  const leafAt = (condition: unknown) => ({ ...EU_SPLIT, rules: [{ ...EU_SPLIT.rules[0], when: condition }] });
  const secondOf = (condition: unknown) => leafAt({ all: [{ field: "currency", op: "eq", value: "EUR" }, condition] });
  const withDefault = (output: unknown) => ({ ...EU_SPLIT, default: output });

  const REFUSALS: Array<[string, unknown, string, string]> = [
    ["a range on a currency", secondOf({ field: "currency", op: "lt", value: "EUR" }), "rules[0].when.all[1].op", "parameter_invalid"],
    ["a range on a country", leafAt({ field: "customer_country", op: "gte", value: "DE" }), "rules[0].when.op", "parameter_invalid"],
    ["a range on metadata", leafAt({ field: "metadata.tier", op: "lt", value: "gold" }), "rules[0].when.op", "parameter_invalid"],
    ["an op that does not exist", secondOf({ field: "amount", op: "between", value: 1 }), "rules[0].when.all[1].op", "parameter_invalid"],
    ["in with one value, not a list", leafAt({ field: "currency", op: "in", value: "EUR" }), "rules[0].when.value", "parameter_invalid"],
    ["eq with a list", leafAt({ field: "amount", op: "eq", value: [1] }), "rules[0].when.value", "parameter_invalid"],
    ["in with an empty list", leafAt({ field: "currency", op: "not_in", value: [] }), "rules[0].when.value", "parameter_invalid"],
    ["an amount that is not an integer", secondOf({ field: "amount", op: "gte", value: 1000.5 }), "rules[0].when.all[1].value", "parameter_invalid"],
    ["an amount in a list that is a string", leafAt({ field: "amount", op: "in", value: [100, "200"] }), "rules[0].when.value[1]", "parameter_invalid"],
    ["a currency the platform does not support", leafAt({ field: "currency", op: "eq", value: "XYZ" }), "rules[0].when.value", "currency_unsupported"],
    ["a country in lower case", leafAt({ field: "customer_country", op: "in", value: ["DE", "fr"] }), "rules[0].when.value[1]", "parameter_invalid"],
    ["a country that does not exist", leafAt({ field: "customer_country", op: "eq", value: "XX" }), "rules[0].when.value", "parameter_invalid"],
    ["a field that does not exist", leafAt({ field: "email", op: "eq", value: "a" }), "rules[0].when.field", "parameter_invalid"],
    ["a metadata field without a key", leafAt({ field: "metadata.", op: "eq", value: "a" }), "rules[0].when.field", "parameter_invalid"],
    ["a metadata key over 40 characters", leafAt({ field: `metadata.${"k".repeat(41)}`, op: "eq", value: "a" }), "rules[0].when.field", "parameter_invalid"],
    ["a condition without its value", secondOf({ field: "amount", op: "gte" }), "rules[0].when.all[1].value", "parameter_missing"],
    ["a condition without its op", leafAt({ field: "amount", value: 1 }), "rules[0].when.op", "parameter_missing"],
    ["an empty condition", leafAt({}), "rules[0].when", "parameter_invalid"],
    ["two forms in one condition", leafAt({ not: { field: "amount", op: "eq", value: 1 }, field: "amount", op: "eq", value: 1 }), "rules[0].when", "parameter_invalid"],
    ["an empty all", leafAt({ all: [] }), "rules[0].when.all", "parameter_invalid"],
    ["a key a condition does not have", leafAt({ not: { field: "amount", op: "eq", value: 1, values: [1] } }), "rules[0].when.not.values", "parameter_unknown"],
    ["conditions nested too deep", leafAt(Array.from({ length: 10 }).reduce<unknown>((inner) => ({ not: inner }), { field: "amount", op: "eq", value: 1 })), "rules[0].when", "parameter_invalid"],
    ["more than 100 conditions in one rule", leafAt({ any: Array.from({ length: 100 }, (_, i) => ({ field: "amount", op: "eq", value: i })) }), "rules[0].when", "parameter_invalid"],
    ["a channel that is not registered", { ...EU_SPLIT, rules: [{ ...EU_SPLIT.rules[0], then: { priority: ["stripe", "adyen"] } }] }, "rules[0].then.priority[1]", "parameter_invalid"],
    ["a channel listed twice", withDefault({ priority: ["sandbox", "stripe", "sandbox"] }), "default.priority[2]", "parameter_invalid"],
    ["an empty priority list", withDefault({ priority: [] }), "default.priority", "parameter_invalid"],
    ["split weights that sum to 90", withDefault({ split: [{ weight: 60, priority: ["sandbox"] }, { weight: 30, priority: ["stripe"] }] }), "default.split", "parameter_invalid"],
    ["a split weight of 0", withDefault({ split: [{ weight: 0, priority: ["sandbox"] }, { weight: 100, priority: ["stripe"] }] }), "default.split[0].weight", "parameter_invalid"],
    ["an output that is both a priority and a split", withDefault({ priority: ["sandbox"], split: [{ weight: 100, priority: ["stripe"] }] }), "default", "parameter_invalid"],
    ["an output that is neither", { ...EU_SPLIT, rules: [{ ...EU_SPLIT.rules[0], then: {} }] }, "rules[0].then", "parameter_invalid"],
    ["two rules of one name", { ...EU_SPLIT, rules: [EU_SPLIT.rules[0], EU_SPLIT.rules[0]] }, "rules[1].name", "parameter_invalid"],
    ["a rule without then", { ...EU_SPLIT, rules: [{ name: "x", when: { field: "amount", op: "gt", value: 1 } }] }, "rules[0].then", "parameter_missing"],
    ["no rule and no default", { name: "empty" }, "default", "parameter_invalid"],
    ["no name", { rules: EU_SPLIT.rules }, "name", "parameter_missing"],
    ["an exploration share over 100 percent", { ...EU_SPLIT, dynamic: { exploration_percent: 101 } }, "dynamic.exploration_percent", "parameter_invalid"],
    ["a dynamic setting that does not exist", { ...EU_SPLIT, dynamic: { latency: true } }, "dynamic.latency", "parameter_unknown"],
    ["max_attempts of 0", { ...EU_SPLIT, max_attempts: 0 }, "max_attempts", "parameter_invalid"],
    ["max_attempts of 6", { ...EU_SPLIT, max_attempts: 6 }, "max_attempts", "parameter_invalid"],
  ];

  it.each(REFUSALS)("%s", async (_, body, param, code) => {
    const m = await createMerchant();
    expect(await errorOf(await postConfig(m.testKey, body))).toMatchObject({ status: 400, code, param });
  });

  it("says what is wrong in the message", async () => {
    const m = await createMerchant();
    const range = await errorOf(await postConfig(m.testKey, secondOf({ field: "currency", op: "lt", value: "EUR" })));
    expect(range.message).toBe("Invalid rules[0].when.all[1].op: lt does not apply to currency; it takes eq, ne, in, not_in.");
    const sum = await errorOf(await postConfig(m.testKey, withDefault({ split: [{ weight: 60, priority: ["sandbox"] }, { weight: 30, priority: ["stripe"] }] })));
    expect(sum.message).toContain("weights must sum to 100, not 90");
  });

  it("stores nothing when it refuses", async () => {
    const m = await createMerchant();
    await postConfig(m.testKey, { name: "empty" });
    expect(await env.DB.prepare("SELECT count(*) AS n FROM payment_routes WHERE merchant_id = ?").bind(m.id).first("n")).toBe(0);
  });
});

describe("versions", () => {
  it("are numbered 1, 2, … per merchant and mode, stored inactive with the defaults filled in", async () => {
    const m = await createMerchant();
    const first = await created(m.testKey, { ...EU_SPLIT, rules: [{ ...EU_SPLIT.rules[0], when: { field: "currency", op: "in", value: ["eur", "Usd"] } }] });
    expect(first).toMatchObject({ object: "routing_config", livemode: false, version: 1, name: "eu-split", active: false, activated_at: null });
    expect(first.id).toMatch(/^rtc_[A-Za-z0-9]{20}$/);
    // the contract as given, currency codes upper-case, and the next part's settings at their defaults
    expect(first.config).toEqual({
      ...EU_SPLIT,
      rules: [{ ...EU_SPLIT.rules[0], when: { field: "currency", op: "in", value: ["EUR", "USD"] } }],
      dynamic: { success_rate: false, exploration_percent: 5, elimination: false },
      max_attempts: 2,
    });
    const second = await created(m.testKey, { ...EU_SPLIT, name: "v2", dynamic: { success_rate: true }, max_attempts: 3 });
    expect(second).toMatchObject({ version: 2, config: { dynamic: { success_rate: true, exploration_percent: 5, elimination: false }, max_attempts: 3 } });
    // the live mode counts its own versions
    expect(await created(m.liveKey, EU_SPLIT)).toMatchObject({ version: 1, livemode: true });

    const list = await (await api("/api/v1/routing/configs", { key: m.testKey })).json<{ object: string; data: VersionJson[]; has_more: boolean }>();
    expect(list).toMatchObject({ object: "list", has_more: false });
    expect(list.data.map((v) => v.version)).toEqual([2, 1]);
    const page = await (await api(`/api/v1/routing/configs?limit=1&starting_after=${second.id}`, { key: m.testKey })).json<{ data: VersionJson[]; has_more: boolean }>();
    expect(page.data.map((v) => v.id)).toEqual([first.id]);
    expect(await (await api(`/api/v1/routing/configs/${first.id}`, { key: m.testKey })).json()).toEqual(first);
  });

  it("take numbers that never collide, however concurrent the creates", async () => {
    const m = await createMerchant();
    const versions = await Promise.all(Array.from({ length: 8 }, () => created(m.testKey, EU_SPLIT)));
    expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("are active one at a time; rolling back is activating an older one", async () => {
    const m = await createMerchant();
    const v1 = await created(m.testKey, EU_SPLIT);
    const v2 = await created(m.testKey, BIG_EUR_TO_STRIPE);
    const activated = await (await activate(m.testKey, v2.id)).json<VersionJson>();
    expect(activated).toMatchObject({ id: v2.id, active: true });
    expect(Date.parse(activated.activated_at!)).not.toBeNaN();
    // activating the active version again changes nothing
    expect(await (await activate(m.testKey, v2.id)).json()).toEqual(activated);

    expect(await (await activate(m.testKey, v1.id)).json()).toMatchObject({ id: v1.id, active: true });
    const list = await (await api("/api/v1/routing/configs", { key: m.testKey })).json<{ data: VersionJson[] }>();
    expect(list.data.map((v) => [v.version, v.active])).toEqual([[2, false], [1, true]]);
    // the rolled-back version keeps when it was last active
    expect(list.data[0]!.activated_at).toBe(activated.activated_at);
  });

  it("allow one active version per merchant and mode in the database itself", async () => {
    const m = await createMerchant();
    const v1 = await activeVersion(m.testKey, EU_SPLIT);
    const v2 = await created(m.testKey, EU_SPLIT);
    await expect(env.DB.prepare("UPDATE payment_routes SET active = 1 WHERE id = ?").bind(v2.id).run()).rejects.toThrow(/UNIQUE/);
    expect((await activeVersion(m.liveKey, EU_SPLIT)).livemode).toBe(true);
    expect(await (await api(`/api/v1/routing/configs/${v1.id}`, { key: m.testKey })).json()).toMatchObject({ active: true });
  });

  it("of another merchant, or of the other mode, are 404 as if they did not exist", async () => {
    const owner = await createMerchant();
    const other = await createMerchant();
    const version = await created(owner.testKey, EU_SPLIT);
    for (const key of [other.testKey, owner.liveKey]) {
      expect(await errorOf(await api(`/api/v1/routing/configs/${version.id}`, { key }))).toMatchObject({ status: 404, code: "resource_missing" });
      expect(await errorOf(await activate(key, version.id))).toMatchObject({ status: 404, code: "resource_missing" });
      expect(await errorOf(await api(`/api/v1/routing/configs?starting_after=${version.id}`, { key }))).toMatchObject({ status: 400, code: "resource_missing", param: "starting_after" });
    }
    expect(await (await api("/api/v1/routing/configs", { key: other.testKey })).json()).toEqual({ object: "list", data: [], has_more: false });
    expect(await (await api(`/api/v1/routing/configs/${version.id}`, { key: owner.testKey })).json()).toMatchObject({ active: false });
  });
});

describe("POST /api/v1/routing/evaluate", () => {
  it("answers the rule that matched, its candidates, and the version that decided", async () => {
    const m = await createMerchant();
    const version = await activeVersion(m.testKey, EU_SPLIT);
    const evaluation = await evaluated(m.testKey, { amount: 150_000, currency: "EUR" });
    expect(evaluation).toEqual({
      object: "routing_evaluation",
      payment_no: null,
      config: { id: version.id, version: 1 },
      strategy: "rule",
      rule: "big EUR",
      leg: null,
      candidates: ["stripe", "paypal"],
      skipped: [],
      chosen: "stripe",
      dynamic: null,
    });
  });

  it("takes the default's split leg that the payment_no of order_no fixes", async () => {
    const m = await createMerchant();
    await activeVersion(m.testKey, EU_SPLIT);
    const legs = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const orderNo = `ORD-LEG-${i}`;
      const paymentNo = await paymentNoFor(m.id, false, orderNo);
      const leg = await legFor(paymentNo, [70, 30]);
      const evaluation = await evaluated(m.testKey, { order_no: orderNo, amount: 5_000, currency: "EUR" });
      expect(evaluation).toMatchObject({ payment_no: paymentNo, strategy: "default", rule: null, leg, chosen: leg === 0 ? "sandbox" : "stripe" });
      expect(evaluation.candidates).toEqual(leg === 0 ? ["sandbox", "stripe"] : ["stripe", "sandbox"]);
      legs.add(leg);
    }
    expect(legs).toEqual(new Set([0, 1]));
    // a split needs the payment_no to pick a leg
    expect(await errorOf(await evaluate(m.testKey, { amount: 5_000, currency: "EUR" }))).toMatchObject({ status: 400, code: "parameter_missing", param: "order_no" });
  });

  it("skips the channels that cannot take the payment, each with why", async () => {
    const m = await createMerchant();
    const config = {
      name: "everything",
      rules: [],
      default: { priority: ["paypal", "btcpay", "sandbox", "stripe"] },
    };
    // paypal takes no KRW; btcpay has no store connected (found when it is tried, before the sandbox)
    const krw = await evaluated(m.testKey, { amount: 50_000, currency: "KRW", config });
    expect(krw).toMatchObject({ config: null, strategy: "default", candidates: ["sandbox", "stripe"], chosen: "sandbox" });
    expect(krw.skipped).toEqual([
      { channel: "paypal", reason: "does not take KRW" },
      { channel: "btcpay", reason: "runs on the merchant's own account, and none is connected for test mode: connect one with PUT /api/v1/merchant/channels/btcpay" },
    ]);
    // btcpay and the sandbox do not accept paypal's method; the candidates after the chosen one are tried later
    const byPaypal = await evaluated(m.testKey, { amount: 5_000, currency: "EUR", payment_method: "paypal", config });
    expect(byPaypal).toMatchObject({ candidates: ["paypal", "stripe"], chosen: "paypal" });
    expect(byPaypal.skipped).toEqual([
      { channel: "btcpay", reason: "does not accept payment_method paypal" },
      { channel: "sandbox", reason: "does not accept payment_method paypal" },
    ]);
    // the sandbox moves no money, and the tests' platform Stripe key is a test key
    const live = await errorOf(await evaluate(m.liveKey, { amount: 5_000, currency: "EUR", config: { ...config, default: { priority: ["sandbox", "stripe"] } } }));
    expect(live).toMatchObject({ status: 400, code: "channel_unavailable" });
    expect(live.message).toContain("sandbox does not serve live mode; stripe runs on the merchant's own account, and none is connected for live mode");
  });

  it("refuses, as a create would, when no listed channel can take the payment, saying why of each", async () => {
    const m = await createMerchant();
    const config = { name: "crypto only", default: { priority: ["btcpay", "paypal"] } };
    const refused = await errorOf(await evaluate(m.testKey, { amount: 50_000, currency: "KRW", config }));
    expect(refused).toMatchObject({ status: 400, code: "channel_unavailable", param: "channel" });
    expect(refused.message).toBe(
      "No channel the default of the routing configuration lists can take this payment: paypal does not take KRW; " +
        "btcpay runs on the merchant's own account, and none is connected for test mode: connect one with PUT /api/v1/merchant/channels/btcpay.",
    );
  });

  it("evaluates an inline configuration instead of the active one, and refuses one that breaks the contract", async () => {
    const m = await createMerchant();
    await activeVersion(m.testKey, BIG_EUR_TO_STRIPE);
    const inline = { name: "de", rules: [{ name: "DE buyers", when: { field: "customer_country", op: "eq", value: "DE" }, then: { priority: ["stripe"] } }] };
    expect(await evaluated(m.testKey, { amount: 100, currency: "USD", customer_country: "DE", config: inline })).toMatchObject({
      config: null,
      strategy: "rule",
      rule: "DE buyers",
      chosen: "stripe",
    });
    // no rule matched and there is no default: the merchant's default channel, as without a configuration
    expect(await evaluated(m.testKey, { amount: 100, currency: "USD", customer_country: "FR", config: inline })).toMatchObject({
      strategy: "none",
      candidates: [],
      chosen: "sandbox",
    });
    const broken = { ...inline, rules: [{ ...inline.rules[0], when: { field: "customer_country", op: "gt", value: "DE" } }] };
    expect(await errorOf(await evaluate(m.testKey, { amount: 100, currency: "USD", config: broken }))).toMatchObject({
      status: 400,
      param: "config.rules[0].when.op",
    });
  });

  it("without any configuration answers the merchant's default channel", async () => {
    const m = await createMerchant();
    expect(await evaluated(m.testKey, { amount: 100, currency: "USD", metadata: { tier: "gold" } })).toEqual({
      object: "routing_evaluation",
      payment_no: null,
      config: null,
      strategy: "none",
      rule: null,
      leg: null,
      candidates: [],
      skipped: [],
      chosen: "sandbox",
      dynamic: null,
    });
    expect(await errorOf(await evaluate(m.testKey, { amount: 100, currency: "USD", channel: "stripe" }))).toMatchObject({ status: 400, code: "parameter_unknown", param: "channel" });
  });
});

describe("a payment created without a channel", () => {
  it("goes where the active configuration says, and records how on the payment", async () => {
    const m = await createMerchant();
    const version = await activeVersion(m.testKey, BIG_EUR_TO_STRIPE);

    const big = await (await createPayment(m.testKey, { amount: 150_000, currency: "eur" })).json<PaymentJson>();
    expect(big.channel).toBe("stripe");
    const routing = { config: { id: version.id, version: 1 }, strategy: "rule", rule: "big EUR", leg: null, candidates: ["stripe", "paypal"], skipped: [], chosen: "stripe", dynamic: null };
    expect(big.routing).toEqual(routing);
    expect((await getPayment(m.testKey, big.payment_no)).routing).toEqual(routing);

    const small = await (await createPayment(m.testKey, { amount: 99_999, currency: "EUR" })).json<PaymentJson>();
    expect(small).toMatchObject({ channel: "sandbox", routing: { strategy: "default", rule: null, candidates: ["sandbox"], chosen: "sandbox" } });
    const dollars = await (await createPayment(m.testKey, { amount: 150_000, currency: "USD" })).json<PaymentJson>();
    expect(dollars).toMatchObject({ channel: "sandbox", routing: { strategy: "default" } });

    // lists read D1, which does not keep the routing
    const listed = await (await api(`/api/v1/payments?order_no=${big.order_no}`, { key: m.testKey })).json<{ data: PaymentJson[] }>();
    expect(listed.data).toEqual([expect.objectContaining({ payment_no: big.payment_no, channel: "stripe", routing: null })]);
  });

  it("still goes to the channel the merchant names, which the configuration does not override", async () => {
    const m = await createMerchant();
    await activeVersion(m.testKey, BIG_EUR_TO_STRIPE);
    const named = await (await createPayment(m.testKey, { amount: 150_000, currency: "EUR", channel: "sandbox" })).json<PaymentJson>();
    expect(named).toMatchObject({ channel: "sandbox", routing: null });
  });

  it("goes to the default channel with no routing recorded when the merchant has no active configuration", async () => {
    const m = await createMerchant();
    await created(m.testKey, BIG_EUR_TO_STRIPE);
    expect(await (await createPayment(m.testKey, { amount: 150_000, currency: "EUR" })).json()).toMatchObject({ channel: "sandbox", routing: null });
  });

  it("is refused when no channel of the configuration can take it, naming why", async () => {
    const m = await createMerchant();
    await activeVersion(m.testKey, { name: "paypal only", default: { priority: ["paypal"] } });
    const refused = await errorOf(await createPayment(m.testKey, { amount: 5_000, currency: "KRW" }));
    expect(refused).toMatchObject({ status: 400, code: "channel_unavailable", param: "channel" });
    expect(refused.message).toContain("version 1 lists can take this payment: paypal does not take KRW.");
  });

  it("is routed on its customer_country, and refused one that is not an upper-case ISO 3166-1 code", async () => {
    const m = await createMerchant();
    await activeVersion(m.testKey, {
      name: "DACH",
      rules: [{ name: "DACH buyers", when: { field: "customer_country", op: "in", value: ["DE", "AT", "CH"] }, then: { priority: ["stripe"] } }],
      default: { priority: ["sandbox"] },
    });
    expect(await (await createPayment(m.testKey, { customer_country: "AT" })).json()).toMatchObject({ channel: "stripe", routing: { rule: "DACH buyers" } });
    expect(await (await createPayment(m.testKey, { customer_country: "US" })).json()).toMatchObject({ channel: "sandbox", routing: { strategy: "default" } });
    for (const country of ["at", "XX", "AUT"]) {
      expect(await errorOf(await createPayment(m.testKey, { customer_country: country }))).toMatchObject({ status: 400, code: "parameter_invalid", param: "customer_country" });
    }
  });

  it("of an order (POST /orders/:no/pay) is routed on the order's amount, metadata and the customer_country given", async () => {
    const m = await createMerchant();
    await activeVersion(m.testKey, {
      name: "VIP orders",
      rules: [{
        name: "VIP from DE",
        when: { all: [{ field: "metadata.segment", op: "eq", value: "vip" }, { field: "customer_country", op: "eq", value: "DE" }, { field: "amount", op: "gte", value: 20_000 }] },
        then: { priority: ["stripe"] },
      }],
      default: { priority: ["sandbox"] },
    });
    const order = async (segment: string) => {
      const res = await api("/api/v1/orders", {
        key: m.testKey,
        body: { customer_email: "b@example.com", currency: "EUR", items: [{ product_id: "p", product_name: "P", unit_price: 10_000, quantity: 2 }], metadata: { segment }, merchant_reference: uniqueOrderNo() },
      });
      expect(res.status).toBe(201);
      return (await res.json<{ order_no: string }>()).order_no;
    };
    const vip = await order("vip");
    const paid = await (await api(`/api/v1/orders/${vip}/pay`, { key: m.testKey, body: { customer_country: "DE" } })).json<PaymentJson>();
    expect(paid).toMatchObject({ channel: "stripe", routing: { strategy: "rule", rule: "VIP from DE", chosen: "stripe" } });
    const other = await order("regular");
    expect(await (await api(`/api/v1/orders/${other}/pay`, { key: m.testKey, body: { customer_country: "DE" } })).json()).toMatchObject({ channel: "sandbox", routing: { strategy: "default" } });
    expect(await errorOf(await api(`/api/v1/orders/${other}/pay`, { key: m.testKey, body: { customer_country: "de" } }))).toMatchObject({ status: 400, param: "customer_country" });
  });
});

describe("the active configuration's isolate cache", () => {
  it("keeps serving a version until the TTL passes, and forgets it when evicted", () => {
    const value: ActiveConfig = { ref: { id: "rtc_cache", version: 1 }, config: { ...BIG_EUR_TO_STRIPE } as unknown as ActiveConfig["config"] };
    cacheConfig("mch_cache", false, value, 1_000);
    expect(getCachedConfig("mch_cache", false, 1_000 + CONFIG_CACHE_TTL_MS - 1)).toBe(value);
    expect(getCachedConfig("mch_cache", true, 1_001)).toBeUndefined();
    expect(getCachedConfig("mch_cache", false, 1_000 + CONFIG_CACHE_TTL_MS)).toBeUndefined();
    cacheConfig("mch_cache", false, null, 2_000);
    expect(getCachedConfig("mch_cache", false, 2_001)).toBeNull();
    evictConfig("mch_cache", false);
    expect(getCachedConfig("mch_cache", false, 2_002)).toBeUndefined();
  });

  it("is read from D1 once, then not while it is warm; none active is cached too", async () => {
    const m = await createMerchant();
    const owner = { merchantId: m.id, livemode: false };
    const db = metered({ ...env, BENCH_METER: "on" } as Env);
    const reads = () => meterReading().d1Statements["select payment_routes"] ?? 0;

    const before = reads();
    expect(await activeConfig(db, owner)).toBeNull();
    expect(await activeConfig(db, owner)).toBeNull();
    expect(reads() - before).toBe(1);

    // activated from another isolate (straight in D1): this one keeps its entry until the TTL passes
    const version = await created(m.testKey, BIG_EUR_TO_STRIPE);
    await env.DB.prepare("UPDATE payment_routes SET active = 1 WHERE id = ?").bind(version.id).run();
    expect(await activeConfig(db, owner)).toBeNull();
    expect(await activeConfig(db, owner, Date.now() + CONFIG_CACHE_TTL_MS + 1)).toMatchObject({ ref: { id: version.id, version: 1 } });
    expect(reads() - before).toBe(2);
  });

  it("is evicted when a version is activated, so new payments follow it at once", async () => {
    const m = await createMerchant();
    await activeVersion(m.testKey, { name: "all to sandbox", default: { priority: ["sandbox"] } });
    expect(await (await createPayment(m.testKey)).json()).toMatchObject({ channel: "sandbox", routing: { config: { version: 1 } } });
    // a change that bypasses activation is not seen while the entry is warm: the cache is in use
    await env.DB.prepare("UPDATE payment_routes SET config = ? WHERE merchant_id = ? AND version = 1")
      .bind(JSON.stringify({ ...BIG_EUR_TO_STRIPE, rules: [], default: { priority: ["stripe"] }, dynamic: {}, max_attempts: 2 }), m.id)
      .run();
    expect(await (await createPayment(m.testKey)).json()).toMatchObject({ channel: "sandbox", routing: { config: { version: 1 } } });

    const v2 = await activeVersion(m.testKey, { name: "all to stripe", default: { priority: ["stripe"] } });
    expect(await (await createPayment(m.testKey)).json()).toMatchObject({ channel: "stripe", routing: { config: { id: v2.id, version: 2 } } });
  });
});
