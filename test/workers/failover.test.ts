// Failover end to end: a payment whose first channel is down, or declines it retriably, is tried on
// the next candidate within the same create, each attempt with its own idempotency key; never after
// a hard decline, the buyer's action, or an attempt whose outcome is unknown until it is asked
// about, so one payment is never charged twice. Channel events of an abandoned attempt never move
// the payment. The sandbox's conditions make it fail on purpose; Stripe is its local emulator.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentDO } from "../../durable-objects/payment";
import { paymentNoFor } from "../../shared/payments/payment-no";
import { api, createMerchant, createPayment, errorOf, eventually, getPayment, paymentReaches, uniqueOrderNo, type PaymentJson } from "./helpers";
import { activateConfig } from "./routing-api";
import { drainSandboxAfterAll, sandboxIntents } from "./sandbox-state";
import { forwardWebhooks, stripe } from "./stripe-emulator";

interface Attempt {
  attempt_no: number;
  channel: string;
  status: string;
  failure: { code: string; message: string } | null;
  latency_ms: number | null;
}
type Paid = PaymentJson & { attempts: Attempt[]; routing: { candidates: string[]; skipped: Array<{ channel: string; reason: string }> } | null };

const SANDBOX_THEN_STRIPE = { name: "failover", default: { priority: ["sandbox", "stripe"] }, max_attempts: 2 };


async function merchantWith(config: unknown, condition?: { mode: string; share?: number }) {
  const m = await createMerchant();
  await activateConfig(m.testKey, config);
  if (condition) expect((await api("/api/v1/sandbox/conditions", { key: m.testKey, body: condition })).status).toBe(200);
  return m;
}

/** Routing Stripe first, on the merchant's own Stripe account: its conditions touch no other test's payments. */
async function stripeFirstOnOwnAccount() {
  const m = await merchantWith({ name: "stripe-first", default: { priority: ["stripe", "sandbox"] }, max_attempts: 2 });
  const secretKey = `sk_test_own_${crypto.randomUUID().replaceAll("-", "")}`;
  await stripe.addAccount({ api_key: secretKey, webhook_secret: "whsec_own" });
  const credentials = { secret_key: secretKey, webhook_secret: "whsec_own", publishable_key: "pk_test_own" };
  expect((await api("/api/v1/merchant/channels/stripe", { key: m.testKey, method: "PUT", body: credentials })).status).toBe(200);
  return { m, secretKey };
}

async function paid(key: string, body: Record<string, unknown>) {
  const res = await createPayment(key, body);
  return { status: res.status, payment: await res.json<Paid>() };
}

const stripeIntentsFor = async (paymentNo: string) =>
  (await stripe.paymentIntents()).filter((pi) => pi.metadata.payment_no === paymentNo);

const stripeKeysFor = async (paymentNo: string) =>
  (await stripe.requests()).filter((r) => r.method === "POST" && r.path === "/v1/payment_intents" && r.params.metadata?.payment_no === paymentNo).map((r) => r.idempotency_key);

/** The sandbox webhooks the platform stored for a payment, with what came of each. */
const callbacksFor = (paymentNo: string) =>
  env.DB.prepare("SELECT event_type, status, detail FROM payment_callbacks WHERE channel = 'sandbox' AND payment_no = ?")
    .bind(paymentNo)
    .all<{ event_type: string; status: string; detail: string | null }>()
    .then((r) => r.results);

drainSandboxAfterAll();

describe("failover to the next candidate", () => {
  it("tries the next channel at once when the first is down, with a key of its own, and says so on the payment", async () => {
    const m = await merchantWith(SANDBOX_THEN_STRIPE, { mode: "down" });
    const { status, payment } = await paid(m.testKey, { order_no: uniqueOrderNo("FO"), amount: 2500, currency: "USD" });
    expect(status).toBe(201);
    expect(payment).toMatchObject({ channel: "stripe", status: "pending" });
    expect(payment.next_action?.type).toBe("use_client_sdk");
    expect(payment.attempts).toEqual([
      expect.objectContaining({ attempt_no: 1, channel: "sandbox", status: "failed", failure: expect.objectContaining({ code: "sandbox_unavailable" }) }),
      expect.objectContaining({ attempt_no: 2, channel: "stripe", status: "pending", failure: null }),
    ]);
    expect(payment.attempts[1]!.latency_ms).toEqual(expect.any(Number));
    expect(payment.routing?.candidates).toEqual(["sandbox", "stripe"]);
    expect(await stripeKeysFor(payment.payment_no)).toEqual([`${payment.payment_no}:attempt-2`]);
    expect(await sandboxIntents(payment.payment_no)).toEqual([]);
    // the attempts' projection in D1 (the seed's transactions)
    const rows = await eventually(
      () => env.DB.prepare("SELECT attempt_no, channel, status, error_code FROM transactions WHERE payment_no = ? ORDER BY attempt_no").bind(payment.payment_no).all().then((r) => r.results),
      (r) => r.length === 2,
    );
    expect(rows).toEqual([
      { attempt_no: 1, channel: "sandbox", status: "failed", error_code: "sandbox_unavailable" },
      { attempt_no: 2, channel: "stripe", status: "pending", error_code: null },
    ]);
  });

  it("from a channel down at its emulator to the sandbox: two attempts, one success (the README's demo)", async () => {
    const { m, secretKey } = await stripeFirstOnOwnAccount();
    await stripe.setCondition({ api_key: secretKey, mode: "down" });
    try {
      const { payment } = await paid(m.testKey, { order_no: uniqueOrderNo("FO"), amount: 2550, currency: "USD" });
      expect(payment.attempts.map((a) => [a.channel, a.status, a.failure?.code ?? null])).toEqual([["stripe", "failed", expect.stringMatching(/^stripe_/)], ["sandbox", "pending", null]]);
      const done = (await paymentReaches(m.testKey, payment.payment_no, "succeeded")) as Paid;
      expect(done.attempts.map((a) => [a.attempt_no, a.channel, a.status])).toEqual([[1, "stripe", "failed"], [2, "sandbox", "succeeded"]]);
      expect(await stripeIntentsFor(payment.payment_no)).toEqual([]);
    } finally {
      await stripe.setCondition({ api_key: secretKey, mode: "up" });
    }
  });

  it("fails over on a retriable decline, and the declined attempt's own webhook later changes nothing", async () => {
    const m = await merchantWith(SANDBOX_THEN_STRIPE, { mode: "decline_retriable" });
    const { payment } = await paid(m.testKey, { order_no: uniqueOrderNo("FO"), amount: 2600, currency: "USD" });
    expect(payment.channel).toBe("stripe");
    expect(payment.attempts.map((a) => [a.channel, a.status, a.failure?.code ?? null])).toEqual([["sandbox", "failed", "processing_error"], ["stripe", "pending", null]]);
    const [pi] = await stripeIntentsFor(payment.payment_no);
    const late = await eventually(() => callbacksFor(payment.payment_no), (c) => c.some((e) => e.event_type === "payment_intent.failed" && e.status !== "received"));
    expect(late.find((e) => e.event_type === "payment_intent.failed")).toMatchObject({ status: "ignored", detail: expect.stringContaining("attempt 1 (sandbox); the payment is on attempt 2 (stripe)") });
    // the current attempt still decides
    await stripe.drive(pi!.id, "succeed");
    await forwardWebhooks(pi!.id);
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");
    expect((await getPayment(m.testKey, payment.payment_no) as Paid).attempts.map((a) => a.status)).toEqual(["failed", "succeeded"]);
  });

  it("never fails over after a hard decline: the one attempt fails the payment", async () => {
    const m = await merchantWith(SANDBOX_THEN_STRIPE);
    const { payment } = await paid(m.testKey, { order_no: uniqueOrderNo("FO"), amount: 2700, currency: "USD", payment_method: "pm_sandbox_declined" });
    const failed = await paymentReaches(m.testKey, payment.payment_no, "failed");
    expect((failed as Paid).attempts).toEqual([expect.objectContaining({ channel: "sandbox", status: "failed", failure: expect.objectContaining({ code: "card_declined" }) })]);
    expect(await stripeIntentsFor(payment.payment_no)).toEqual([]);
  });

  it("never fails over once the buyer was asked to act", async () => {
    const m = await merchantWith(SANDBOX_THEN_STRIPE);
    const { payment } = await paid(m.testKey, { order_no: uniqueOrderNo("FO"), amount: 2800, currency: "USD", payment_method: "pm_sandbox_requires_action" });
    expect(payment.status).toBe("requires_action");
    expect(payment.attempts.map((a) => a.channel)).toEqual(["sandbox"]);
    const cancelled = await api(`/api/v1/payments/${payment.payment_no}/cancel`, { key: m.testKey, method: "POST" });
    expect(cancelled.status).toBe(200);
    expect((await cancelled.json<Paid>()).attempts.map((a) => [a.channel, a.status])).toEqual([["sandbox", "cancelled"]]);
    expect(await stripeIntentsFor(payment.payment_no)).toEqual([]);
  });

  it("stops at max_attempts: with one attempt, an outage answers 502 and the payment waits pending for a retry", async () => {
    const m = await merchantWith({ ...SANDBOX_THEN_STRIPE, max_attempts: 1 }, { mode: "down" });
    const orderNo = uniqueOrderNo("FO");
    const res = await createPayment(m.testKey, { order_no: orderNo, amount: 2900, currency: "USD" });
    expect(await errorOf(res)).toMatchObject({ status: 502, code: "sandbox_unavailable" });
    expect(await stripe.paymentIntents().then((all) => all.filter((pi) => pi.metadata.merchant_id === m.id))).toEqual([]);
    // the channel is back: the same create resumes the one attempt
    expect((await api("/api/v1/sandbox/conditions", { key: m.testKey, body: { mode: "up" } })).status).toBe(200);
    const { status, payment } = await paid(m.testKey, { order_no: orderNo, amount: 2900, currency: "USD" });
    expect(status).toBe(200);
    expect(payment.attempts.map((a) => [a.attempt_no, a.channel, a.status])).toEqual([[1, "sandbox", "pending"]]);
  });
});

describe("failover past the request's time", () => {
  it("starts the next attempt and runs it from the channel-calls queue, answering the payment pending", async () => {
    const m = await merchantWith(SANDBOX_THEN_STRIPE, { mode: "down" });
    const orderNo = uniqueOrderNo("LATE");
    const paymentNo = await paymentNoFor(m.id, false, orderNo);
    const stub = env.PAYMENT.get(env.PAYMENT.idFromName(paymentNo));
    const plan = [{ channel: "sandbox" as const, channelAccount: null }, { channel: "stripe" as const, channelAccount: null }];
    // the create's clock runs fast (5 s a reading), so failover's budget is spent by the first attempt
    const outcome = await runInDurableObject(stub, async (instance: PaymentDO) => {
      const realNow = Date.now;
      let calls = 0;
      Date.now = () => realNow() + 5_000 * ++calls;
      try {
        return await instance.create(
          { paymentNo, merchantId: m.id, livemode: false, orderNo, amount: 3400, currency: "USD", channel: "sandbox", channelAccount: null, paymentMethod: null,
            customerEmail: null, customerName: null, description: null, notifyUrl: null, returnUrl: null, metadata: {}, routing: null, plan, maxAttempts: 2 },
          { type: "api", id: "req_test" },
        );
      } finally {
        Date.now = realNow;
      }
    });
    expect(outcome).toMatchObject({ kind: "created", payment: { status: "pending", channel: "stripe", channelPaymentId: null } });
    const done = await eventually(() => getPayment(m.testKey, paymentNo) as Promise<Paid>, (p) => p.attempts[1]?.latency_ms != null);
    expect(done.attempts.map((a) => [a.attempt_no, a.channel, a.status])).toEqual([[1, "sandbox", "failed"], [2, "stripe", "pending"]]);
    expect(await stripeKeysFor(paymentNo)).toEqual([`${paymentNo}:attempt-2`]);
  });
});

describe("no double charge after a timeout", () => {
  it("asks the channel about an attempt whose answer was lost (the same key) and keeps it when it was charged", async () => {
    const m = await merchantWith(SANDBOX_THEN_STRIPE, { mode: "timeout_after_charge" });
    const { status, payment } = await paid(m.testKey, { order_no: uniqueOrderNo("TO"), amount: 3100, currency: "USD" });
    expect(status).toBe(201);
    expect(payment.channel).toBe("sandbox");
    expect(payment.attempts.map((a) => [a.attempt_no, a.channel])).toEqual([[1, "sandbox"]]);
    expect(await sandboxIntents(payment.payment_no)).toHaveLength(1);
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");
    expect(await stripeIntentsFor(payment.payment_no)).toEqual([]);
  });

  it("never abandons an attempt whose outcome stays unknown: it answers 502 and the payment waits on it", async () => {
    const { m, secretKey } = await stripeFirstOnOwnAccount();
    // every try is cut off: the platform cannot learn whether Stripe made the payment
    await stripe.setCondition({ api_key: secretKey, mode: "timeout" });
    const body = { order_no: uniqueOrderNo("UK"), amount: 3200, currency: "USD" };
    try {
      expect(await errorOf(await createPayment(m.testKey, body))).toMatchObject({ status: 502 });
    } finally {
      await stripe.setCondition({ api_key: secretKey, mode: "up" });
    }
    const { status, payment } = await paid(m.testKey, body);
    expect(status).toBe(200);
    expect(payment.attempts.map((a) => [a.attempt_no, a.channel, a.status])).toEqual([[1, "stripe", "pending"]]);
    expect(await sandboxIntents(payment.payment_no)).toEqual([]);
    expect(new Set(await stripeKeysFor(payment.payment_no))).toEqual(new Set([`${payment.payment_no}:attempt-1`]));
  });
});

describe("concurrency", () => {
  it("50 concurrent creates on one order, with failover, make one payment: one attempt per channel", async () => {
    const m = await merchantWith(SANDBOX_THEN_STRIPE, { mode: "down" });
    const body = { order_no: uniqueOrderNo("C50"), amount: 3300, currency: "USD" };
    const answers = await Promise.all(Array.from({ length: 50 }, () => paid(m.testKey, body)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(49);
    const paymentNo = answers[0]!.payment.payment_no;
    expect(new Set(answers.map((a) => a.payment.payment_no))).toEqual(new Set([paymentNo]));
    for (const { payment } of answers) expect(payment.attempts.map((a) => [a.attempt_no, a.channel, a.status])).toEqual([[1, "sandbox", "failed"], [2, "stripe", "pending"]]);
    expect(await stripeIntentsFor(paymentNo)).toHaveLength(1);
    expect(new Set(await stripeKeysFor(paymentNo))).toEqual(new Set([`${paymentNo}:attempt-2`]));
  });
});
