// Risk control end to end: rules stored only when they parse (errors with their position), a
// block recorded as a failed payment and answered 402 without any channel call, a review that
// proceeds flagged and that a reviewer approves or rejects (cancel, or a full refund), shadow
// rules recorded and never enforced, lists and velocity counters as rules read them, and every
// merchant and mode apart.
import { describe, expect, it } from "vitest";
import { api, createMerchant, createPayment, errorOf, eventually, getPayment, paymentReaches, uniqueOrderNo, type PaymentJson, type TestMerchant } from "./helpers";
import { nonBuiltin, type Assessed, type RuleJson } from "./risk-api";
import { drainSandboxAfterAll, sandboxIntents } from "./sandbox-state";


drainSandboxAfterAll();


async function addRule(key: string, rule: Record<string, unknown>): Promise<RuleJson> {
  const res = await api("/api/v1/risk/rules", { key, body: rule });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<RuleJson>();
}

async function pay(m: TestMerchant, body: Record<string, unknown> = {}) {
  const res = await createPayment(m.testKey, { order_no: uniqueOrderNo("RK"), amount: 5000, currency: "USD", ...body });
  return { status: res.status, body: await res.json<Assessed & { error?: { code: string; message: string; payment: Assessed } }>() };
}

describe("risk rules", () => {
  it("are stored only when the predicate parses, the error naming where", async () => {
    const m = await createMerchant();
    const bad = await errorOf(await api("/api/v1/risk/rules", { key: m.testKey, body: { name: "typo", action: "block", predicate: ":amout: > 100" } }));
    expect(bad).toMatchObject({ status: 400, code: "rule_invalid", param: "predicate" });
    expect(bad.message).toMatch(/line 1, column 1/);
    expect(await errorOf(await api("/api/v1/risk/rules", { key: m.testKey, body: { name: "x", action: "deny", predicate: ":amount: > 1" } }))).toMatchObject({ status: 400, param: "action" });
    const rule = await addRule(m.testKey, { name: "big", action: "review", predicate: ":amount: > 100000" });
    expect(rule).toMatchObject({ object: "risk_rule", livemode: false, platform: false, name: "big", action: "review", shadow: false, position: 1 });
    const changed = await api(`/api/v1/risk/rules/${rule.id}`, { key: m.testKey, method: "PATCH", body: { predicate: ":amount: > 200000", shadow: true } });
    expect(await changed.json()).toMatchObject({ id: rule.id, predicate: ":amount: > 200000", shadow: true });
    expect(await errorOf(await api(`/api/v1/risk/rules/${rule.id}`, { key: m.testKey, method: "PATCH", body: { predicate: ":amount: >" } }))).toMatchObject({ status: 400, code: "rule_invalid" });
    const list = await (await api("/api/v1/risk/rules", { key: m.testKey })).json<{ data: RuleJson[] }>();
    expect(list.data.map((r) => r.id)).toEqual([rule.id]);
    // another merchant, and the other mode, see none of it
    const other = await createMerchant();
    expect(await errorOf(await api(`/api/v1/risk/rules/${rule.id}`, { key: other.testKey, method: "DELETE" }))).toMatchObject({ status: 404 });
    expect((await (await api("/api/v1/risk/rules", { key: m.liveKey })).json<{ data: unknown[] }>()).data).toEqual([]);
    expect(await (await api(`/api/v1/risk/rules/${rule.id}`, { key: m.testKey, method: "DELETE" })).json()).toEqual({ id: rule.id, object: "risk_rule", deleted: true });
  });
});

describe("a block", () => {
  it("records the payment failed with risk_blocked, answers 402 naming the rule, and never reaches the channel", async () => {
    const m = await createMerchant();
    const rule = await addRule(m.testKey, { name: "no big ones", action: "block", predicate: ":amount: >= 100000" });
    const { status, body } = await pay(m, { amount: 150_000 });
    expect(status).toBe(402);
    expect(body.error).toMatchObject({ code: "risk_blocked", message: "Blocked by risk rule 'no big ones'." });
    const payment = body.error!.payment;
    expect(payment).toMatchObject({ status: "failed", failure: { code: "risk_blocked" }, risk: { action: "block", rule: { id: rule.id, name: "no big ones", platform: false } } });
    expect(await sandboxIntents(payment.payment_no)).toEqual([]);
    // the same create again answers the same
    const again = await createPayment(m.testKey, { order_no: payment.order_no, amount: 150_000, currency: "USD" });
    expect(await errorOf(again)).toMatchObject({ status: 402, code: "risk_blocked" });
    // a payment the rule does not match goes through, its decision recorded
    const { status: ok, body: allowed } = await pay(m, { amount: 500 });
    expect(ok).toBe(201);
    expect(allowed.risk).toMatchObject({ action: "allow", rule: null });
    expect(nonBuiltin(allowed.risk)).toMatchObject([{ id: rule.id, matched: false }]);
  });

  it("tries allow rules first: an allow that matches stops before any block", async () => {
    const m = await createMerchant();
    await addRule(m.testKey, { name: "block all", action: "block", predicate: ":amount: > 0" });
    const vip = await addRule(m.testKey, { name: "vip", action: "allow", predicate: "::tier:: = 'vip'" });
    const { status, body } = await pay(m, { metadata: { tier: "vip" } });
    expect(status).toBe(201);
    expect(body.risk).toMatchObject({ action: "allow", rule: { id: vip.id } });
    expect(nonBuiltin(body.risk)).toMatchObject([{ name: "vip", matched: true }]);
    expect((await pay(m)).status).toBe(402);
  });
});

describe("the score", () => {
  it("weighs every enforced block (2) and review (1) rule the payment matches, whatever decided", async () => {
    const m = await createMerchant();
    await addRule(m.testKey, { name: "big", action: "block", predicate: ":amount: > 100000" });
    await addRule(m.testKey, { name: "foreign", action: "block", predicate: ":customer_country: != 'US'" });
    await addRule(m.testKey, { name: "look", action: "review", predicate: ":amount: > 1000" });
    await addRule(m.testKey, { name: "shadow", action: "block", predicate: ":amount: > 0", shadow: true });
    await api("/api/v1/risk/settings", { key: m.testKey, method: "PATCH", body: { builtin_rules: false } });
    // blocked by "foreign"; "look" matches too: (2 + 1) / (2 + 2 + 1)
    expect((await pay(m, { amount: 5000, customer_country: "DE" })).body.error!.payment.risk).toMatchObject({ action: "block", score: 60 });
    // only "look": 1 / 5
    expect((await pay(m, { amount: 5000, customer_country: "US" })).body.risk).toMatchObject({ action: "review", score: 20 });
    expect((await pay(m, { amount: 500, customer_country: "US" })).body.risk).toMatchObject({ action: "allow", score: 0 });
  });
});

describe("shadow rules", () => {
  it("are evaluated and recorded, never enforced", async () => {
    const m = await createMerchant();
    const shadow = await addRule(m.testKey, { name: "would block", action: "block", predicate: ":amount: > 0", shadow: true });
    const { status, body } = await pay(m);
    expect(status).toBe(201);
    expect(body.risk).toMatchObject({ action: "allow", rule: null });
    expect(nonBuiltin(body.risk)).toMatchObject([{ id: shadow.id, shadow: true, matched: true }]);
  });
});

describe("reviews", () => {
  it("a flagged payment proceeds, is queued, and approving it changes nothing else", async () => {
    const m = await createMerchant();
    await addRule(m.testKey, { name: "look at big", action: "review", predicate: ":amount: > 1000" });
    const { status, body } = await pay(m, { amount: 2000 });
    expect(status).toBe(201);
    expect(body.risk).toMatchObject({ action: "review" });
    const queue = await eventually(
      async () => (await api("/api/v1/risk/reviews", { key: m.testKey })).json<{ data: PaymentJson[] }>(),
      (q) => q.data.length === 1,
    );
    expect(queue.data[0]!.payment_no).toBe(body.payment_no);
    const approved = await api(`/api/v1/risk/reviews/${body.payment_no}/approve`, { key: m.testKey, method: "POST" });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ payment_no: body.payment_no, review: { status: "approved" } });
    await paymentReaches(m.testKey, body.payment_no, "succeeded");
    expect(await errorOf(await api(`/api/v1/risk/reviews/${body.payment_no}/reject`, { key: m.testKey, method: "POST" }))).toMatchObject({ status: 409 });
    await eventually(async () => (await api("/api/v1/risk/reviews", { key: m.testKey })).json<{ data: unknown[] }>(), (q) => q.data.length === 0);
    // the merchant was told: the review opened before the payment's first status event, and closed
    const events = await eventually(
      async () => (await api(`/api/v1/events?payment_no=${body.payment_no}&limit=100`, { key: m.testKey })).json<{ data: Array<{ type: string }> }>(),
      (e) => e.data.some((x) => x.type === "payment.succeeded"),
    );
    const types = events.data.map((e) => e.type).reverse();
    expect(types.filter((t) => t.startsWith("payment.review"))).toEqual(["payment.review_opened", "payment.review_closed"]);
    expect(types.indexOf("payment.review_opened")).toBe(0);
  });

  it("rejecting cancels a payment that can still be cancelled", async () => {
    const m = await createMerchant();
    await addRule(m.testKey, { name: "look", action: "review", predicate: ":amount: > 0" });
    const { body } = await pay(m, { payment_method: "pm_sandbox_requires_action" });
    expect(body.status).toBe("requires_action");
    const rejected = await api(`/api/v1/risk/reviews/${body.payment_no}/reject`, { key: m.testKey, method: "POST" });
    expect(await rejected.json()).toMatchObject({ status: "cancelled", review: { status: "rejected" } });
  });

  it("rejecting refunds in full a payment already captured", async () => {
    const m = await createMerchant();
    await addRule(m.testKey, { name: "look", action: "review", predicate: ":amount: > 0" });
    const { body } = await pay(m, { amount: 3300 });
    await paymentReaches(m.testKey, body.payment_no, "succeeded");
    const rejected = await api(`/api/v1/risk/reviews/${body.payment_no}/reject`, { key: m.testKey, method: "POST" });
    expect(await rejected.json()).toMatchObject({ review: { status: "rejected" } });
    const refunded = await paymentReaches(m.testKey, body.payment_no, "refunded");
    expect(refunded.refunded_amount).toBe(3300);
  });

  it("another merchant cannot close a merchant's review", async () => {
    const m = await createMerchant();
    await addRule(m.testKey, { name: "look", action: "review", predicate: ":amount: > 0" });
    const { body } = await pay(m);
    const other = await createMerchant();
    expect(await errorOf(await api(`/api/v1/risk/reviews/${body.payment_no}/approve`, { key: other.testKey, method: "POST" }))).toMatchObject({ status: 404 });
    expect((await getPayment(m.testKey, body.payment_no) as Assessed & { review: { status: string } }).review.status).toBe("open");
  });
});

describe("what rules read", () => {
  it("lists: a blocked email domain", async () => {
    const m = await createMerchant();
    expect((await api("/api/v1/risk/lists/disposable_domains/items", { key: m.testKey, body: { values: ["mailinator.com"] } })).status).toBe(200);
    await addRule(m.testKey, { name: "disposable", action: "block", predicate: ":customer_email_domain: in @disposable_domains" });
    expect((await pay(m, { customer_email: "someone@MAILINATOR.com" })).status).toBe(402);
    expect((await pay(m, { customer_email: "someone@example.com" })).status).toBe(201);
  });

  it("velocity: the fourth payment from one email within the hour is blocked, another email's is not", async () => {
    const m = await createMerchant();
    await addRule(m.testKey, { name: "too many", action: "block", predicate: ":total_payments_per_email_hourly: >= 3" });
    for (let i = 0; i < 3; i++) expect((await pay(m, { customer_email: "fast@example.com" })).status).toBe(201);
    // the counters hear of payments after each is committed: wait for the third
    const fourth = await eventually(() => pay(m, { customer_email: "fast@example.com" }), (r) => r.status === 402);
    expect(fourth.body.error!.payment.risk!.rule!.name).toBe("too many");
    expect((await pay(m, { customer_email: "slow@example.com" })).status).toBe(201);
  });

  it("velocity per customer: by email when the payment names one (the email's own counter), else by name", async () => {
    const m = await createMerchant();
    await addRule(m.testKey, { name: "regular", action: "review", predicate: ":total_payments_per_customer_hourly: >= 2" });
    for (let i = 0; i < 2; i++) expect((await pay(m, { customer_email: "cust@example.com", customer_name: "Ann" })).body.risk!.action).toBe("allow");
    await eventually(() => pay(m, { customer_email: "CUST@example.com" }), (r) => r.body.risk?.action === "review");
    // by name, apart from the email's count
    expect((await pay(m, { customer_name: "Ann" })).body.risk!.action).toBe("allow");
  });

  it("keeps the buyer's IP address in one spelling, and refuses what is not one", async () => {
    const m = await createMerchant();
    const { body } = await pay(m, { customer_ip: "::ffff:203.0.113.7" });
    expect(body.customer_ip).toBe("203.0.113.7");
    expect(await errorOf(await createPayment(m.testKey, { order_no: uniqueOrderNo("IP"), amount: 100, currency: "USD", customer_ip: "300.1.1.1" }))).toMatchObject({ status: 400, param: "customer_ip" });
  });
});
