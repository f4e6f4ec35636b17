// Customer receipts (issue #17): the merchant's settings, the receipts a drained payment enqueues,
// and the consumer that sends each at most once through the local SMTP server, retrying transient
// SMTP failures. Mails are read back from the server's JSON API, by recipient (one per test).
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { consumeNotifications } from "../../queues/notifications";
import type { EmailMessage } from "../../shared/email/message";
import { receiptMessagesOf } from "../../shared/email/receipt-messages";
import { eventsOf } from "../../shared/events/event";
import type { NotificationsQueueMessage } from "../../shared/notifications/message";
import { labelString } from "../../shared/observability/metrics-store";
import type { PaymentRecord } from "../../shared/payments/payment";
import type { RefundRecord } from "../../shared/refunds/refund";
import { TEST_SMTP } from "../constants";
import { addMerchantUser, asBrowser, signIn } from "./dashboard-session";
import { api, createMerchant, createPayment, errorOf, eventually, paymentReaches, type PaymentJson, type TestMerchant } from "./helpers";

const SMTP_API = `http://127.0.0.1:${TEST_SMTP.webPort}/api`;

interface Mail {
  from: string;
  to: string;
  replyTo: string;
  subject: string;
  messageId: string;
  envelope: { to: string[] };
  text: string;
  html: string;
}

let customers = 0;
const customerEmail = () => `buyer-${Date.now()}-${++customers}@customers.test`;

const mailsTo = async (address: string) =>
  (await (await fetch(`${SMTP_API}/messages`)).json<Mail[]>()).filter((m) => m.envelope.to.includes(address));

const failNext = (count: number, code: number) =>
  fetch(`${SMTP_API}/fail-next`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ count, code }) });

/** edgepay_email_deliveries_total for payment receipts, as /metrics reads it from D1. */
const emailsCounted = async (outcome: string) =>
  (
    await env.DB.prepare("SELECT value FROM metric_counters WHERE name = 'edgepay_email_deliveries_total' AND labels = ?")
      .bind(labelString({ kind: "receipt.payment", outcome }))
      .first<{ value: number }>()
  )?.value ?? 0;

const putReceipts = (key: string, body: Record<string, unknown>) => api("/api/v1/merchant/receipts", { key, method: "PUT", body });

async function optedIn(name = "Acme Books"): Promise<TestMerchant> {
  const m = await createMerchant(name);
  expect((await putReceipts(m.testKey, { enabled: true, support_email: "help@acme.example" })).status).toBe(200);
  return m;
}

const emailRows = (dedupeKey: string) =>
  env.DB.prepare("SELECT * FROM emails WHERE dedupe_key = ?").bind(dedupeKey).all<{ id: string; status: string; attempts: number; last_error: string | null }>().then((r) => r.results);

const attemptRows = (emailId: string) =>
  env.DB.prepare("SELECT attempt, outcome, smtp_code FROM email_attempts WHERE email_id = ? ORDER BY attempt").bind(emailId).all().then((r) => r.results);

/** A payment receipt's message, as the drain makes it, for a key of its own. */
const receiptMessage = (merchantId: string, to = customerEmail()): EmailMessage => ({
  kind: "email",
  type: "receipt.payment",
  dedupeKey: `evt_test_${Date.now()}_${++customers}`,
  to,
  merchantId,
  livemode: false,
  receipt: { paymentNo: "PYTEST", orderNo: "ORD-1", amount: 1000, currency: "JPY", language: null, at: Date.now(), refundNo: null, livemode: false },
});

/** One consumer run over these deliveries (each id a delivery of its own), as the queue would run it. */
async function consume(deliveries: Array<{ id: string; body: EmailMessage; attempts?: number }>, runEnv: Env = env) {
  const batch = createMessageBatch<NotificationsQueueMessage>(
    "notifications",
    deliveries.map(({ id, body, attempts = 1 }) => ({ id, body, attempts, timestamp: new Date() })),
  );
  const ctx = createExecutionContext();
  await consumeNotifications(batch, runEnv);
  return getQueueResult(batch, ctx);
}

describe("receipt settings API", () => {
  it("is off until an owner enables it; GET shows what PUT stored", async () => {
    const m = await createMerchant();
    expect(await (await api("/api/v1/merchant/receipts", { key: m.testKey })).json()).toEqual({
      object: "receipt_settings",
      enabled: false,
      business_name: null,
      support_email: null,
      updated_at: null,
    });
    const put = await putReceipts(m.testKey, { enabled: true, business_name: "Acme Books", support_email: "help@acme.example" });
    expect(put.status).toBe(200);
    const shown = await (await api("/api/v1/merchant/receipts", { key: m.liveKey })).json();
    expect(shown).toEqual(await put.json());
    expect(shown).toMatchObject({ enabled: true, business_name: "Acme Books", support_email: "help@acme.example", updated_at: expect.any(String) });
  });

  it.each([
    [{ enabled: true }, "parameter_missing", "support_email"],
    [{ enabled: true, support_email: null }, "parameter_missing", "support_email"],
    [{ enabled: true, support_email: "not an address" }, "parameter_invalid", "support_email"],
    [{ enabled: "yes", support_email: "help@acme.example" }, "parameter_invalid", "enabled"],
    [{ support_email: "help@acme.example" }, "parameter_missing", "enabled"],
    [{ enabled: false, business_name: "" }, "parameter_invalid", "business_name"],
    [{ enabled: false, business_name: "x".repeat(101) }, "parameter_invalid", "business_name"],
    [{ enabled: false, reply_to: "help@acme.example" }, "parameter_unknown", "reply_to"],
  ])("refuses %j: 400 %s naming %s", async (body, code, param) => {
    const m = await createMerchant();
    expect(await errorOf(await putReceipts(m.testKey, body))).toMatchObject({ status: 400, code, param });
  });

  it("owners change the settings, developers and analysts only read them", async () => {
    const m = await createMerchant();
    const body = { enabled: true, support_email: "help@acme.example" };
    for (const role of ["developer", "analyst"]) {
      const browser = await signIn((await addMerchantUser(m.id, role)).email);
      expect((await asBrowser(browser, "/api/v1/merchant/receipts", { method: "PUT", body })).status).toBe(403);
      expect((await asBrowser(browser, "/api/v1/merchant/receipts")).status).toBe(200);
    }
    const owner = await signIn((await addMerchantUser(m.id, "owner")).email);
    expect((await asBrowser(owner, "/api/v1/merchant/receipts", { method: "PUT", body })).status).toBe(200);
    expect(await (await api("/api/v1/merchant/receipts", { key: m.testKey })).json()).toMatchObject({ enabled: true });
  });
});

describe("the payment's language", () => {
  it("is stored and shown (null when not given), and must be a BCP 47 tag", async () => {
    const m = await createMerchant();
    const zh = await (await createPayment(m.testKey, { language: "zh-Hans" })).json<PaymentJson>();
    expect(zh.language).toBe("zh-Hans");
    const none = await (await createPayment(m.testKey)).json<PaymentJson>();
    expect(none.language).toBeNull();
    // and in the list, read from D1
    const listed = await eventually(
      async () => (await api(`/api/v1/payments?order_no=${zh.order_no}`, { key: m.testKey })).json<{ data: PaymentJson[] }>(),
      (page) => page.data.length === 1,
    );
    expect(listed.data[0]!.language).toBe("zh-Hans");
    expect(await errorOf(await createPayment(m.testKey, { language: "chinese please" }))).toMatchObject({ status: 400, code: "parameter_invalid", param: "language" });
  });

  it("is taken by an order's pay request too", async () => {
    const m = await createMerchant();
    const items = [{ product_id: "prod_1", product_name: "书", unit_price: 5000, quantity: 1 }];
    const order = await (await api("/api/v1/orders", { key: m.testKey, body: { customer_email: customerEmail(), currency: "CNY", items } })).json<{ order_no: string }>();
    const paid = await api(`/api/v1/orders/${order.order_no}/pay`, { key: m.testKey, body: { language: "zh" } });
    expect(paid.status).toBe(201);
    expect((await paid.json<PaymentJson>()).language).toBe("zh");
  });
});

describe("which drained events become receipts", () => {
  const payment = { paymentNo: "PY1", merchantId: "mch_1", livemode: false, orderNo: "ORD-1", amount: 5000, currency: "USD", customerEmail: "a@b.test", language: "zh", paidAt: 1_000, disputedAt: null, notifyUrl: null, createdAt: 500, updatedAt: 1_000, metadata: {} } as unknown as PaymentRecord;
  const refund = { refundNo: "PY1001", paymentNo: "PY1", amount: 1200, currency: "USD", status: "succeeded", metadata: {}, createdAt: 2_000, updatedAt: 2_000 } as unknown as RefundRecord;

  it("payment.succeeded and refund.succeeded of a payment with a customer email, one message each", () => {
    const events = [...eventsOf(payment, "succeeded", [], 1), ...eventsOf(payment, undefined, [refund], 2)];
    const messages = receiptMessagesOf(payment, events);
    expect(messages).toEqual([
      expect.objectContaining({ kind: "email", type: "receipt.payment", dedupeKey: events[0]!.id, to: "a@b.test", receipt: expect.objectContaining({ amount: 5000, language: "zh", refundNo: null }) }),
      expect.objectContaining({ kind: "email", type: "receipt.refund", dedupeKey: events[1]!.id, receipt: expect.objectContaining({ amount: 1200, refundNo: "PY1001" }) }),
    ]);
  });

  it("none without a customer email, and none for other events", () => {
    expect(receiptMessagesOf({ ...payment, customerEmail: null }, eventsOf(payment, "succeeded", [], 1))).toEqual([]);
    expect(receiptMessagesOf(payment, eventsOf(payment, "failed", [{ ...refund, status: "failed" }], 1))).toEqual([]);
  });
});

describe("sending receipts (consumer)", () => {
  it("sends nothing and stores nothing for a merchant that has not opted in", async () => {
    const m = await createMerchant();
    const message = receiptMessage(m.id);
    const result = await consume([{ id: "not-opted-in", body: message }]);
    expect(result.explicitAcks).toEqual(["not-opted-in"]);
    expect(await emailRows(message.dedupeKey)).toEqual([]);
    expect(await mailsTo(message.to)).toEqual([]);
  });

  it("redelivery: the same message twice sends one mail, and one sent row", async () => {
    const m = await optedIn();
    const message = receiptMessage(m.id);
    const first = await consume([{ id: "dup-1", body: message }, { id: "dup-2", body: message }]);
    const again = await consume([{ id: "dup-3", body: message, attempts: 2 }]);
    expect([...first.explicitAcks, ...again.explicitAcks]).toEqual(["dup-1", "dup-2", "dup-3"]);
    expect(await mailsTo(message.to)).toHaveLength(1);
    const rows = await emailRows(message.dedupeKey);
    expect(rows).toMatchObject([{ status: "sent", attempts: 1 }]);
    expect(await attemptRows(rows[0]!.id)).toEqual([{ attempt: 1, outcome: "sent", smtp_code: null }]);
  });

  it("retries a transient SMTP failure (451), then sends once: two attempts recorded, and counted", async () => {
    const m = await optedIn();
    const message = receiptMessage(m.id);
    const counted = async () => ({ retry: await emailsCounted("retry"), sent: await emailsCounted("sent") });
    const before = await counted();
    await failNext(1, 451);
    const first = await consume([{ id: "transient-1", body: message }]);
    expect(first.retryMessages).toEqual([{ msgId: "transient-1" }]);
    expect(await emailRows(message.dedupeKey)).toMatchObject([{ status: "pending", attempts: 1 }]);
    const second = await consume([{ id: "transient-1", body: message, attempts: 2 }]);
    expect(second.explicitAcks).toEqual(["transient-1"]);
    const [row] = await emailRows(message.dedupeKey);
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
    expect(await attemptRows(row!.id)).toEqual([
      { attempt: 1, outcome: "retry", smtp_code: 451 },
      { attempt: 2, outcome: "sent", smtp_code: null },
    ]);
    expect(await mailsTo(message.to)).toHaveLength(1);
    // edgepay_email_deliveries_total moved once per attempt
    expect(await counted()).toEqual({ retry: before.retry + 1, sent: before.sent + 1 });
  });

  it("fails and parks an email whose every attempt meets a transient failure (schedule 1,1: three attempts)", async () => {
    const m = await optedIn();
    const message = receiptMessage(m.id);
    await failNext(3, 451);
    for (let attempt = 1; attempt <= 2; attempt++) {
      expect((await consume([{ id: "exhausted", body: message, attempts: attempt }])).retryMessages).toEqual([{ msgId: "exhausted" }]);
    }
    expect((await consume([{ id: "exhausted", body: message, attempts: 3 }])).explicitAcks).toEqual(["exhausted"]);
    const [row] = await emailRows(message.dedupeKey);
    expect(row).toMatchObject({ status: "failed", attempts: 3 });
    const parked = await env.DB.prepare("SELECT attempts FROM dead_letters WHERE queue = 'notifications' AND body LIKE ?").bind(`%${message.dedupeKey}%`).first();
    expect(parked).toEqual({ attempts: 3 });
    expect(await mailsTo(message.to)).toEqual([]);
  });

  it("fails a permanent SMTP refusal (550) at once: no retry, no mail", async () => {
    const m = await optedIn();
    const message = receiptMessage(m.id);
    await failNext(1, 550);
    const result = await consume([{ id: "permanent", body: message }]);
    expect(result.explicitAcks).toEqual(["permanent"]);
    expect(result.retryMessages).toEqual([]);
    const [row] = await emailRows(message.dedupeKey);
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(await attemptRows(row!.id)).toEqual([{ attempt: 1, outcome: "failed", smtp_code: 550 }]);
    // a later delivery of the same message sends nothing either
    await consume([{ id: "permanent-again", body: message, attempts: 2 }]);
    expect(await mailsTo(message.to)).toEqual([]);
  });

  it("marks a row left sending by an attempt that died mid-send unknown, and does not send it", async () => {
    const m = await optedIn();
    const message = receiptMessage(m.id);
    await env.DB.prepare("INSERT INTO emails (id, kind, dedupe_key, recipient, merchant_id, livemode, status, attempts, created_at) VALUES (?, 'receipt.payment', ?, ?, ?, 0, 'sending', 1, ?)")
      .bind(`em_left_${customers}`, message.dedupeKey, message.to, m.id, Date.now())
      .run();
    const result = await consume([{ id: "left-sending", body: message, attempts: 2 }]);
    expect(result.explicitAcks).toEqual(["left-sending"]);
    expect(await emailRows(message.dedupeKey)).toMatchObject([{ status: "unknown", attempts: 1 }]);
    expect(await mailsTo(message.to)).toEqual([]);
  });

  it("acks without sending or storing when SMTP is not configured", async () => {
    const m = await optedIn();
    const message = receiptMessage(m.id);
    const result = await consume([{ id: "no-smtp", body: message }], { ...env, SMTP_HOST: "" } as Env);
    expect(result.explicitAcks).toEqual(["no-smtp"]);
    expect(await emailRows(message.dedupeKey)).toEqual([]);
  });
});

describe("receipts end to end (sandbox payment → drain → queue → SMTP)", () => {
  it("a zh-CN payment and its refund: one Chinese receipt each, in the merchant's name, replying to its support address", async () => {
    const m = await createMerchant("Acme Books");
    await putReceipts(m.testKey, { enabled: true, business_name: "极客书店 <Geek>", support_email: "help@acme.example" });
    const to = customerEmail();
    const created = await (await createPayment(m.testKey, { customer_email: to, language: "zh-CN", amount: 12345, currency: "USD" })).json<PaymentJson>();
    await paymentReaches(m.testKey, created.payment_no, "succeeded");
    const [receipt] = await eventually(() => mailsTo(to), (mails) => mails.length > 0, 10_000);
    expect(receipt!.subject).toBe("[测试] 极客书店 <Geek> 的付款收据");
    expect(receipt!.from).toContain("极客书店 <Geek>");
    expect(receipt!.replyTo).toContain("help@acme.example");
    expect(receipt!.messageId).toMatch(/^<em_[0-9A-Za-z]+@/);
    expect(receipt!.text).toContain("感谢您向 极客书店 <Geek> 付款 USD 123.45。");
    expect(receipt!.text).toContain(`支付单号: ${created.payment_no}`);
    expect(receipt!.text).toContain(`订单号: ${created.order_no}`);
    expect(receipt!.html).toContain("极客书店 &lt;Geek&gt;");
    expect(receipt!.html).toContain('lang="zh-CN"');

    const refund = await (await api("/api/v1/refunds", { key: m.testKey, body: { payment_no: created.payment_no, amount: 2345, reason: "damaged" } })).json<{ refund_no: string }>();
    const mails = await eventually(() => mailsTo(to), (all) => all.length > 1, 10_000);
    expect(mails[0]!.subject).toBe("[测试] 极客书店 <Geek> 的退款通知");
    expect(mails[0]!.text).toContain(`退款单号: ${refund.refund_no}`);
    expect(mails[0]!.text).toContain("退款金额: USD 23.45");
    const rows = await env.DB.prepare("SELECT kind, status FROM emails WHERE recipient = ? ORDER BY created_at").bind(to).all();
    expect(rows.results).toEqual([
      { kind: "receipt.payment", status: "sent" },
      { kind: "receipt.refund", status: "sent" },
    ]);
    expect(await mailsTo(to)).toHaveLength(2);
  }, 30_000);
});

describe("emails' query plans", () => {
  it.each([
    ["the row of a (dedupe key, recipient)", "SELECT * FROM emails WHERE dedupe_key = ? AND recipient = ?", /USING INDEX sqlite_autoindex_emails_2/],
    ["the last alert of a kind", "SELECT dedupe_key FROM emails WHERE kind = ? ORDER BY created_at DESC LIMIT 1", /USING INDEX idx_emails_kind_created/],
    ["an email's attempts", "SELECT * FROM email_attempts WHERE email_id = ? ORDER BY attempt", /USING PRIMARY KEY/],
  ])("%s is searched through an index", async (_, sql, index) => {
    const plan = (await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...sql.split("?").slice(1).map(() => "x")).all<{ detail: string }>()).results;
    const details = plan.map((r) => r.detail).join("\n");
    expect(details).toMatch(index);
    expect(details).not.toMatch(/SCAN|TEMP B-TREE/);
  });
});
