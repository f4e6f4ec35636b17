import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ChannelError, type ChannelEventType } from "../../shared/channels/adapter";
import { StripeAdapter } from "../../shared/channels/stripe/adapter";
import { platformStripeCredentials, stripeConfigOf } from "../../shared/channels/stripe/config";
import fixtures from "../data/stripe-fixtures.json";
import { api, createMerchant, createPayment, eventually, getPayment, paymentReaches, type PaymentJson } from "./helpers";
import { forwardWebhooks, stripe } from "./stripe-emulator";

const adapter = () => new StripeAdapter(stripeConfigOf(env, platformStripeCredentials(env, false)!));

const request = (paymentNo: string) => ({
  paymentNo,
  merchantId: "mch_adapter",
  livemode: false,
  amount: 4200,
  currency: "EUR",
  paymentMethod: null,
  description: null,
  customerEmail: null,
  returnUrl: null,
  cancelUrl: null,
  idempotencyKey: `${paymentNo}:attempt-1`,
});

describe("StripeAdapter calls", () => {
  it("creates, retrieves and cancels a PaymentIntent", async () => {
    const created = await adapter().createPayment(request(`PYADAPTER${Date.now()}`));
    expect(created).toMatchObject({ status: "pending", clientSecret: expect.stringMatching(/^pi_/) });
    expect(await adapter().getPayment(created.id)).toMatchObject({ id: created.id, status: "pending" });
    expect(await adapter().cancelPayment(created.id)).toMatchObject({ id: created.id, status: "cancelled" });
    // a cancelled PaymentIntent cannot be cancelled again: a state error (409), not a bad request
    await expect(adapter().cancelPayment(created.id)).rejects.toMatchObject({ code: "payment_intent_unexpected_state", status: 409 });
  });

  it("creates and retrieves a refund, and maps a refusal", async () => {
    const created = await adapter().createPayment(request(`PYADAPTERRF${Date.now()}`));
    await expect(
      adapter().createRefund({ refundNo: "RFx1", paymentNo: "PYx", channelPaymentId: created.id, amount: 100, currency: "EUR", reason: null, idempotencyKey: `RF${created.id}` }),
    ).rejects.toMatchObject({ code: "charge_not_refundable", status: 409 });
    await stripe.drive(created.id, "succeed");
    const refund = await adapter().createRefund({ refundNo: "RFx2", paymentNo: "PYx", channelPaymentId: created.id, amount: 100, currency: "EUR", reason: "duplicate", idempotencyKey: `RF2${created.id}` });
    expect(refund).toMatchObject({ status: "pending", failure: null });
    await stripe.settleRefund(refund.id, "succeed");
    expect(await adapter().getRefund(refund.id)).toMatchObject({ id: refund.id, status: "succeeded" });
    await expect(adapter().getRefund("re_missing")).rejects.toBeInstanceOf(ChannelError);
  });
});

describe("StripeAdapter.parseWebhook maps Stripe events", () => {
  const pi = { ...fixtures.payment_intent, id: "pi_map", metadata: { payment_no: "PYMAP" }, last_payment_error: null };
  const refund = { ...fixtures.refund, id: "re_map", payment_intent: "pi_map", metadata: { payment_no: "PYMAP", refund_no: "RFMAP001" } };
  const event = (type: string, object: object) => JSON.stringify({ ...fixtures.event, id: `evt_${type}`, type, data: { object } });

  it.each([
    ["payment_intent.succeeded", pi, "payment.succeeded"],
    ["payment_intent.processing", pi, "payment.processing"],
    ["payment_intent.requires_action", pi, "payment.requires_action"],
    ["payment_intent.payment_failed", { ...pi, last_payment_error: { code: "card_declined", message: "Declined" } }, "payment.failed"],
    ["payment_intent.canceled", pi, "payment.cancelled"],
    ["refund.created", { ...refund, status: "pending" }, "refund.pending"],
    ["refund.updated", { ...refund, status: "succeeded" }, "refund.succeeded"],
    ["refund.updated", { ...refund, status: "canceled" }, "refund.failed"],
    ["refund.failed", { ...refund, status: "failed", failure_reason: "expired_or_canceled_card" }, "refund.failed"],
    ["charge.refunded", { ...fixtures.charge, payment_intent: "pi_map" }, "payment.refunded_at_channel"],
    ["charge.dispute.created", { ...fixtures.dispute, payment_intent: "pi_map" }, "payment.disputed"],
    ["customer.created", { id: "cus_1", object: "customer" }, "unhandled"],
  ] as Array<[string, object, ChannelEventType]>)("%s -> %s", (type, object, expected) => {
    const parsed = adapter().parseWebhook(event(type, object));
    expect(parsed.type).toBe(expected);
    if (expected !== "unhandled") expect(parsed.channelPaymentId).toBe("pi_map");
    if (expected.startsWith("refund.")) expect(parsed).toMatchObject({ refundNo: "RFMAP001", channelObjectId: "re_map" });
    if (type === "payment_intent.payment_failed") expect(parsed.failure).toMatchObject({ code: "card_declined" });
  });
});

describe("refund channel calls", () => {
  it("retry through the channel-calls queue while Stripe is down, and refund once", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { channel: "stripe", amount: 3000 })).json<PaymentJson>();
    const piId = payment.client_secret!.split("_secret_")[0]!;
    await stripe.drive(piId, "succeed");
    await forwardWebhooks(piId);
    await paymentReaches(m.testKey, payment.payment_no, "succeeded");

    await stripe.failNext(500, 3); // more than the SDK's own two retries: the queue must retry
    const created = await (await api("/api/v1/refunds", { key: m.testKey, body: { payment_no: payment.payment_no, amount: 1000 } })).json<{ refund_no: string }>();
    const refunds = await eventually(
      async () => (await stripe.refunds()).filter((r) => r.metadata.refund_no === created.refund_no),
      (found) => found.length > 0,
      15_000,
    );
    expect(refunds).toHaveLength(1);
    const attempts = (await stripe.requests()).filter((r) => r.path === "/v1/refunds" && r.idempotency_key === created.refund_no);
    expect(attempts.length).toBeGreaterThanOrEqual(4);
    expect((await getPayment(m.testKey, payment.payment_no)).status).toBe("succeeded");
  }, 30_000);
});
