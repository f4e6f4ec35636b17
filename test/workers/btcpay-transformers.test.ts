import { describe, expect, it } from "vitest";
import { WebhookPayloadError, type ChannelEventType, type CreatePaymentRequest, type CreateRefundRequest } from "../../shared/channels/adapter";
import type { BTCPayConfig } from "../../shared/channels/btcpay/config";
import {
  InvoiceWire,
  PaymentMethodsWire,
  PayoutListWire,
  PullPaymentWire,
  channelErrorOf,
  createInvoiceBody,
  parseBTCPayWebhook,
  receivedOf,
  refundBody,
  toChannelPayment,
  toChannelRefund,
} from "../../shared/channels/btcpay/transformers";
import type { PaymentStatus } from "../../shared/payments/state-machine";

// Bodies shaped as the Greenfield spec's schemas and examples (InvoiceData, PullPaymentData,
// PayoutData, WebhookInvoice*Event) and BTCPay 2.x's payout webhooks.
const STORE_ID = "9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776";
const INVOICE_ID = "HMprBnL9BTXWuPvpoKBS6e";
const PULL_PAYMENT_ID = "2NmgYgNvhbZWyHwSg8DtwBFJH9hN";
const PAYMENT_NO = "PY0123456789ABCDEFGHJKMNPQ";
const REFUND_NO = "RF0123456789ABCDEFGHJKMNPQ001";
const SERVER = "https://btcpay.example.com";
const CHECKOUT = `${SERVER}/i/${INVOICE_ID}`;

const invoice = (status: string, additionalStatus = "None", extra: object = {}) => ({
  id: INVOICE_ID,
  storeId: STORE_ID,
  amount: "19.99",
  paidAmount: "0.00",
  currency: "USD",
  type: "Standard",
  checkoutLink: CHECKOUT,
  createdTime: 1592312018,
  expirationTime: 1592312918,
  monitoringExpiration: 1592398418,
  status,
  additionalStatus,
  availableStatusesForManualMarking: ["Settled", "Invalid"],
  archived: false,
  metadata: { orderId: PAYMENT_NO, attemptKey: `${PAYMENT_NO}:attempt-1`, itemDesc: "Two tickets" },
  checkout: { speedPolicy: "MediumSpeed", paymentMethods: ["BTC-CHAIN"], expirationMinutes: 15, monitoringMinutes: 1440, redirectURL: null },
  receipt: { enabled: true },
  ...extra,
});

const paymentMethod = (paymentMethodId: string, totalPaid: string, extra: object = {}) => ({
  paymentMethodId,
  currency: "BTC",
  destination: "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
  paymentLink: "bitcoin:bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh?amount=0.0003998",
  rate: "50000.00",
  paymentMethodPaid: totalPaid,
  totalPaid,
  due: "0.00000000",
  amount: "0.00039980",
  paymentMethodFee: "0.00000000",
  payments: [],
  activated: true,
  additionalData: {},
  ...extra,
});

const pullPayment = (extra: object = {}) => ({
  id: PULL_PAYMENT_ID,
  name: REFUND_NO,
  description: "Refund",
  currency: "USD",
  amount: "19.99",
  BOLT11Expiration: "30",
  autoApproveClaims: false,
  archived: false,
  viewLink: `${SERVER}/pull-payments/${PULL_PAYMENT_ID}`,
  ...extra,
});

const payout = (state: string) => ({
  id: `payout-${state}`,
  revision: 0,
  pullPaymentId: PULL_PAYMENT_ID,
  date: "1592312018",
  destination: "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
  originalCurrency: "USD",
  originalAmount: "19.99",
  payoutCurrency: "BTC",
  payoutAmount: "0.00039980",
  payoutMethodId: "BTC-CHAIN",
  state,
  paymentProof: null,
});

const config: BTCPayConfig = { serverUrl: SERVER, storeId: STORE_ID, apiKey: "key", webhookSecret: "secret", speedPolicy: "LowSpeed", expirationMinutes: 30 };

describe("BTCPay invoice -> ChannelPayment", () => {
  const redirect = { type: "redirect_to_url", redirect_to_url: { url: CHECKOUT } };

  it.each([
    // status, additionalStatus, platform status, failure code, exception code
    ["New", "None", "requires_action", null, null],
    // the buyer may still pay the rest: no exception while it is open
    ["New", "PaidPartial", "requires_action", null, null],
    ["Processing", "None", "processing", null, null],
    ["Processing", "PaidOver", "processing", null, null],
    ["Settled", "None", "succeeded", null, null],
    ["Settled", "Marked", "succeeded", null, null],
    ["Settled", "PaidOver", "succeeded", null, "overpaid"],
    ["Expired", "None", "failed", "expired", null],
    ["Expired", "PaidPartial", "failed", "expired_partially_paid", "underpaid"],
    ["Expired", "PaidLate", "failed", "expired", "paid_late"],
    ["Expired", "Marked", "failed", "expired", null],
    ["Invalid", "None", "failed", "invalid", null],
    ["Invalid", "Invalid", "failed", "invalid", null],
    ["Invalid", "Marked", "failed", "invalid", null],
  ] as Array<[string, string, PaymentStatus, string | null, string | null]>)("%s / %s is %s (failure %s, exception %s)", (status, additional, expected, failure, exception) => {
    const view = toChannelPayment(InvoiceWire.parse(invoice(status, additional)));
    expect(view).toMatchObject({ id: INVOICE_ID, status: expected, clientSecret: null, received: null });
    expect(view.nextAction).toEqual(expected === "requires_action" ? redirect : null);
    expect(view.failure?.code ?? null).toBe(failure);
    expect(view.exception?.code ?? null).toBe(exception);
  });

  it("every status × additionalStatus maps, the status alone deciding the platform's", () => {
    const statuses: Record<string, PaymentStatus> = { New: "requires_action", Processing: "processing", Settled: "succeeded", Expired: "failed", Invalid: "failed" };
    for (const [status, expected] of Object.entries(statuses)) {
      for (const additional of ["None", "PaidLate", "PaidPartial", "Marked", "Invalid", "PaidOver"]) {
        const view = toChannelPayment(InvoiceWire.parse(invoice(status, additional)));
        expect(view.status).toBe(expected);
        expect(view.failure === null).toBe(expected !== "failed");
      }
    }
  });

  it("names what the merchant must do about an exception, and why a payment failed", () => {
    expect(toChannelPayment(InvoiceWire.parse(invoice("Expired", "PaidPartial")))).toMatchObject({
      failure: { message: "The invoice expired after the buyer had paid only part of it." },
      exception: { message: "The buyer paid part of the invoice before it expired; return it from BTCPay, or ask them to complete the payment." },
    });
    expect(toChannelPayment(InvoiceWire.parse(invoice("Settled", "PaidOver"))).exception?.message).toMatch(/return the difference from BTCPay/);
    expect(toChannelPayment(InvoiceWire.parse(invoice("Expired", "PaidLate"))).exception?.message).toMatch(/mark the invoice settled there/);
    expect(toChannelPayment(InvoiceWire.parse(invoice("Invalid", "Marked"))).failure?.message).toBe("The invoice was marked invalid in BTCPay.");
    expect(toChannelPayment(InvoiceWire.parse(invoice("Invalid", "Invalid"))).failure?.message).toMatch(/did not confirm in time/);
  });

  it("carries what the buyer paid when it is given", () => {
    const received = { amount: 1000, currency: "USD" };
    expect(toChannelPayment(InvoiceWire.parse(invoice("New", "PaidPartial")), received).received).toEqual(received);
  });

  it("refuses an invoice whose status BTCPay does not have, or without its id", () => {
    expect(InvoiceWire.safeParse(invoice("Paid")).success).toBe(false);
    expect(InvoiceWire.safeParse(invoice("New", "Overpaid")).success).toBe(false);
    expect(InvoiceWire.safeParse(invoice("New", "None", { id: undefined })).success).toBe(false);
  });
});

describe("what the buyer paid (payment methods)", () => {
  it("is the invoice's total paid at the method's rate, in the invoice's currency", () => {
    expect(receivedOf(PaymentMethodsWire.parse([paymentMethod("BTC-CHAIN", "0.00019990")]), "USD")).toEqual({ amount: 1000, currency: "USD" });
  });

  it("is counted once when the invoice offers on-chain and Lightning (each method states the invoice's total)", () => {
    const methods = PaymentMethodsWire.parse([paymentMethod("BTC-CHAIN", "0.00043978"), paymentMethod("BTC-LN", "0.00043978", { paymentMethodPaid: "0" })]);
    expect(receivedOf(methods, "usd")).toEqual({ amount: 2199, currency: "USD" });
  });

  it("is unknown when BTCPay lists no method", () => {
    expect(receivedOf([], "USD")).toBeNull();
  });
});

describe("BTCPay pull payment and payouts -> ChannelRefund", () => {
  const claim = { type: "redirect_to_url", redirect_to_url: { url: `${SERVER}/pull-payments/${PULL_PAYMENT_ID}` } };

  it.each([
    // payout states, pull payment archived, refund status
    [[], false, "pending"],
    [["AwaitingApproval"], false, "pending"],
    [["AwaitingPayment"], false, "pending"],
    [["InProgress"], false, "pending"],
    [["Completed"], false, "succeeded"],
    [["Completed"], true, "succeeded"],
    // a cancelled claim leaves the pull payment claimable: the buyer may claim again
    [["Cancelled"], false, "pending"],
    [["Cancelled", "Completed"], false, "succeeded"],
    [["Completed", "AwaitingPayment"], false, "pending"],
    // archived, nothing paid: the buyer can no longer be paid through it
    [[], true, "failed"],
    [["Cancelled"], true, "failed"],
  ] as Array<[string[], boolean, string]>)("payouts %j, archived %s: %s", (states, archived, expected) => {
    const view = toChannelRefund(PullPaymentWire.parse(pullPayment({ archived })), PayoutListWire.parse(states.map(payout)));
    expect(view).toMatchObject({ id: PULL_PAYMENT_ID, status: expected });
    // the buyer's link to claim it, while there is something to claim
    expect(view.nextAction).toEqual(expected === "pending" ? claim : null);
    expect(view.failure?.code ?? null).toBe(expected === "failed" ? "refund_cancelled" : null);
  });

  it("refuses a payout state BTCPay does not have", () => {
    expect(PayoutListWire.safeParse([payout("Paid")]).success).toBe(false);
  });
});

describe("createInvoiceBody", () => {
  const request: CreatePaymentRequest = {
    paymentNo: PAYMENT_NO,
    merchantId: "mch_1",
    livemode: false,
    amount: 1999,
    currency: "usd",
    paymentMethod: null,
    description: "Two tickets",
    customerEmail: "buyer@example.com",
    returnUrl: `https://payments.test/api/v1/checkout/${PAYMENT_NO}/return`,
    cancelUrl: `https://payments.test/api/v1/checkout/${PAYMENT_NO}/cancel`,
    idempotencyKey: `${PAYMENT_NO}:attempt-1`,
  };

  it("names the payment and its attempt in the metadata, and sends the buyer back with the invoice id as token", () => {
    expect(createInvoiceBody(request, config)).toEqual({
      amount: "19.99",
      currency: "USD",
      metadata: { orderId: PAYMENT_NO, attemptKey: `${PAYMENT_NO}:attempt-1`, buyerEmail: "buyer@example.com", itemDesc: "Two tickets" },
      checkout: {
        speedPolicy: "LowSpeed",
        expirationMinutes: 30,
        // the placeholder goes as is: BTCPay fills it in
        redirectURL: `https://payments.test/api/v1/checkout/${PAYMENT_NO}/return?token={InvoiceId}`,
        redirectAutomatically: true,
      },
    });
  });

  it("adds the token to a return URL that has a query already", () => {
    const body = createInvoiceBody({ ...request, returnUrl: "https://payments.test/return?x=1" }, config);
    expect(body.checkout).toMatchObject({ redirectURL: "https://payments.test/return?x=1&token={InvoiceId}" });
  });

  it("leaves out what the payment does not have", () => {
    const body = createInvoiceBody({ ...request, customerEmail: null, description: null, returnUrl: null, cancelUrl: null }, config);
    expect(body.metadata).toEqual({ orderId: PAYMENT_NO, attemptKey: `${PAYMENT_NO}:attempt-1` });
    expect(body.checkout).toEqual({ speedPolicy: "LowSpeed", expirationMinutes: 30 });
  });

  it("prices the invoice at the currency's ISO exponent", () => {
    expect(createInvoiceBody({ ...request, amount: 1500, currency: "JPY" }, config).amount).toBe("1500");
    expect(createInvoiceBody({ ...request, amount: 1234, currency: "BHD" }, config).amount).toBe("1.234");
  });

  it("refuses a currency the platform does not know before anything is sent", () => {
    expect(() => createInvoiceBody({ ...request, currency: "XYZ" }, config)).toThrow(expect.objectContaining({ code: "currency_unsupported", status: 400 }));
  });
});

describe("refundBody", () => {
  const request: CreateRefundRequest = {
    refundNo: REFUND_NO,
    paymentNo: PAYMENT_NO,
    channelPaymentId: INVOICE_ID,
    amount: 1999,
    currency: "USD",
    reason: "Returned the tickets",
    idempotencyKey: REFUND_NO,
  };
  const paid = InvoiceWire.parse(invoice("Settled"));

  it("refunds the whole invoice as its fiat amount, named by the refund_no", () => {
    expect(refundBody(request, paid)).toEqual({ name: REFUND_NO, description: "Returned the tickets", payoutMethods: ["BTC-CHAIN"], refundVariant: "Fiat" });
  });

  it("refunds a part as a custom amount in the invoice's currency", () => {
    expect(refundBody({ ...request, amount: 500, currency: "usd", reason: null }, paid)).toEqual({
      name: REFUND_NO,
      description: `Refund ${REFUND_NO} of payment ${PAYMENT_NO}`,
      payoutMethods: ["BTC-CHAIN"],
      refundVariant: "Custom",
      customAmount: "5.00",
      customCurrency: "USD",
    });
  });

  it("refunds the price of an overpaid invoice as a custom amount: Fiat would give back the excess too", () => {
    expect(refundBody(request, InvoiceWire.parse(invoice("Settled", "PaidOver")))).toMatchObject({ refundVariant: "Custom", customAmount: "19.99", customCurrency: "USD" });
  });

  it("reads the invoice's amount at its currency's exponent", () => {
    const yen = InvoiceWire.parse(invoice("Settled", "None", { amount: "1500", currency: "JPY" }));
    expect(refundBody({ ...request, amount: 1500, currency: "JPY" }, yen)).toMatchObject({ refundVariant: "Fiat" });
    expect(refundBody({ ...request, amount: 1499, currency: "JPY" }, yen)).toMatchObject({ refundVariant: "Custom", customAmount: "1499" });
  });
});

describe("parseBTCPayWebhook", () => {
  const delivery = (type: string, extra: object = {}) => ({
    deliveryId: "Lx8PcqWQzTKz6wBZJuB3Fq",
    webhookId: "Bk1cNYFJ5rUV9ZwkHiDz8M",
    originalDeliveryId: "Lx8PcqWQzTKz6wBZJuB3Fq",
    isRedelivery: false,
    type,
    timestamp: 1592312018,
    storeId: STORE_ID,
    ...extra,
  });
  const invoiceEvent = (type: string, extra: object = {}) =>
    JSON.stringify(delivery(type, { invoiceId: INVOICE_ID, metadata: { orderId: PAYMENT_NO, attemptKey: `${PAYMENT_NO}:attempt-1` }, ...extra }));
  const payment = { id: "f0d2e1…-0", receivedDate: 1592312100, value: "0.00039980", fee: "0.00000100", status: "Processing", destination: "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh" };
  const payoutEvent = (type: string, payoutState: string) => JSON.stringify(delivery(type, { payoutId: "payout-1", pullPaymentId: PULL_PAYMENT_ID, payoutState }));

  it("InvoiceSettled: the payment succeeded; the invoice is the channel payment, its orderId the payment_no", () => {
    expect(parseBTCPayWebhook(invoiceEvent("InvoiceSettled", { manuallyMarked: false, overPaid: false }))).toEqual({
      eventId: "Lx8PcqWQzTKz6wBZJuB3Fq",
      channelType: "InvoiceSettled",
      type: "payment.succeeded",
      paymentNo: PAYMENT_NO,
      refundNo: null,
      channelPaymentId: INVOICE_ID,
      channelObjectId: INVOICE_ID,
      occurredAt: 1592312018_000,
      failure: null,
      // webhooks carry no fiat amount
      money: null,
      exception: null,
    });
  });

  it.each([
    ["InvoiceCreated", {}, "unhandled", null, null],
    ["InvoiceReceivedPayment", { afterExpiration: false, paymentMethodId: "BTC-CHAIN", payment }, "unhandled", null, null],
    ["InvoiceReceivedPayment", { afterExpiration: true, paymentMethodId: "BTC-CHAIN", payment }, "payment.exception", null, "paid_late"],
    ["InvoiceProcessing", { overPaid: false }, "payment.processing", null, null],
    ["InvoiceProcessing", { overPaid: true }, "payment.processing", null, null],
    ["InvoiceSettled", { manuallyMarked: false, overPaid: true }, "payment.succeeded", null, "overpaid"],
    ["InvoiceSettled", { manuallyMarked: true, overPaid: false }, "payment.succeeded", null, null],
    ["InvoiceExpired", { partiallyPaid: false }, "payment.failed", "expired", null],
    ["InvoiceExpired", { partiallyPaid: true }, "payment.failed", "expired_partially_paid", "underpaid"],
    ["InvoiceInvalid", { manuallyMarked: false }, "payment.failed", "invalid", null],
    ["InvoiceInvalid", { manuallyMarked: true }, "payment.failed", "invalid", null],
    ["InvoicePaymentSettled", { afterExpiration: false, paymentMethodId: "BTC-CHAIN", payment: { ...payment, status: "Settled" } }, "unhandled", null, null],
    ["InvoicePaymentSettled", { afterExpiration: true, paymentMethodId: "BTC-CHAIN", payment: { ...payment, status: "Settled" } }, "unhandled", null, null],
  ] as Array<[string, object, ChannelEventType, string | null, string | null]>)("%s %j -> %s", (type, extra, expected, failure, exception) => {
    const parsed = parseBTCPayWebhook(invoiceEvent(type, extra));
    expect(parsed).toMatchObject({ type: expected, channelType: type, paymentNo: PAYMENT_NO, channelPaymentId: INVOICE_ID, channelObjectId: INVOICE_ID, money: null });
    expect(parsed.failure?.code ?? null).toBe(failure);
    expect(parsed.exception?.code ?? null).toBe(exception);
  });

  it("an invoice made elsewhere (no orderId) is looked up by its id", () => {
    expect(parseBTCPayWebhook(invoiceEvent("InvoiceSettled", { metadata: {} }))).toMatchObject({ paymentNo: null, channelPaymentId: INVOICE_ID });
    expect(parseBTCPayWebhook(invoiceEvent("InvoiceSettled", { metadata: undefined }))).toMatchObject({ paymentNo: null, channelPaymentId: INVOICE_ID });
  });

  it.each([
    ["PayoutCreated", "AwaitingApproval", "refund.pending"],
    ["PayoutApproved", "AwaitingPayment", "refund.pending"],
    ["PayoutUpdated", "InProgress", "refund.pending"],
    ["PayoutUpdated", "Completed", "refund.succeeded"],
    // the pull payment stays claimable
    ["PayoutUpdated", "Cancelled", "unhandled"],
  ] as Array<[string, string, ChannelEventType]>)("%s (%s) -> %s, about the pull payment (the platform's channel refund id)", (type, state, expected) => {
    expect(parseBTCPayWebhook(payoutEvent(type, state))).toEqual({
      eventId: "Lx8PcqWQzTKz6wBZJuB3Fq",
      channelType: type,
      type: expected,
      paymentNo: null,
      refundNo: null,
      channelPaymentId: null,
      channelObjectId: PULL_PAYMENT_ID,
      occurredAt: 1592312018_000,
      failure: null,
      money: null,
      exception: null,
    });
  });

  it("a redelivery is the same event: its id is the original delivery's", () => {
    const redelivered = invoiceEvent("InvoiceSettled", { deliveryId: "9WqzGmUeyYC3jyK3F2kSGn", isRedelivery: true });
    expect(parseBTCPayWebhook(redelivered).eventId).toBe("Lx8PcqWQzTKz6wBZJuB3Fq");
    // without originalDeliveryId the delivery is its own original
    expect(parseBTCPayWebhook(invoiceEvent("InvoiceSettled", { originalDeliveryId: undefined })).eventId).toBe("Lx8PcqWQzTKz6wBZJuB3Fq");
  });

  it("any other event is stored as unhandled", () => {
    expect(parseBTCPayWebhook(JSON.stringify(delivery("PaymentRequestCreated", { paymentRequestId: "pr_1" })))).toMatchObject({
      type: "unhandled",
      channelType: "PaymentRequestCreated",
      paymentNo: null,
      channelObjectId: null,
    });
  });

  it.each([
    ["not JSON", "{", "not JSON"],
    ["a deliveryId that is not a string", JSON.stringify({ ...JSON.parse(invoiceEvent("InvoiceSettled")), deliveryId: 123 }), "deliveryId:"],
    ["no type", JSON.stringify({ ...JSON.parse(invoiceEvent("InvoiceSettled")), type: undefined }), "type:"],
    ["a timestamp that is not unix seconds", invoiceEvent("InvoiceSettled", { timestamp: "2020-06-16T12:53:38Z" }), "timestamp:"],
    ["an invoice event without its invoice", invoiceEvent("InvoiceSettled", { invoiceId: undefined }), "invoiceId:"],
    ["an orderId that is not a string", invoiceEvent("InvoiceSettled", { metadata: { orderId: 42 } }), "metadata.orderId:"],
    ["an overPaid that is not a boolean", invoiceEvent("InvoiceSettled", { overPaid: "yes" }), "overPaid:"],
    ["a partiallyPaid that is not a boolean", invoiceEvent("InvoiceExpired", { partiallyPaid: 1 }), "partiallyPaid:"],
    ["a payout event without its pull payment", payoutEvent("PayoutCreated", "AwaitingApproval").replace(`"pullPaymentId":"${PULL_PAYMENT_ID}",`, ""), "pullPaymentId:"],
    ["a payout state BTCPay does not have", payoutEvent("PayoutUpdated", "Paid"), "payoutState:"],
  ])("refuses %s, naming the field", (_, body, field) => {
    expect(() => parseBTCPayWebhook(body)).toThrow(WebhookPayloadError);
    expect(() => parseBTCPayWebhook(body)).toThrow(field);
  });
});

describe("Greenfield error body -> ChannelError", () => {
  const request = `POST /api/v1/stores/${STORE_ID}/invoices`;

  it("401 and 403: BTCPay refused the key; an outage of the channel for payments (502)", () => {
    expect(channelErrorOf(401, { code: "unauthenticated", message: "Authentication is required for accessing this endpoint" }, request)).toMatchObject({
      code: "btcpay_authentication",
      status: 502,
      message: expect.stringContaining("unauthenticated"),
    });
    expect(channelErrorOf(403, { code: "insufficient-api-permissions", message: "Insufficient API Permissions." }, request)).toMatchObject({
      code: "btcpay_authentication",
      status: 502,
    });
  });

  it("404 is a missing resource, naming BTCPay's code", () => {
    const error = channelErrorOf(404, { code: "invoice-not-found", message: "The invoice was not found" }, `GET /api/v1/stores/${STORE_ID}/invoices/NOPE`);
    expect(error).toMatchObject({ code: "resource_missing", status: 400 });
    expect(error.message).toContain("invoice-not-found");
  });

  it("a validation error (422, or 400 as the spec has it) is the request's fault, naming the platform's field", () => {
    expect(channelErrorOf(422, [{ path: "amount", message: "Amount should be greater than 0" }], request)).toMatchObject({
      code: "btcpay_invalid_request",
      status: 400,
      param: "amount",
      message: expect.stringContaining("Amount should be greater than 0"),
    });
    expect(channelErrorOf(400, [{ path: "Currency", message: "Invalid currency" }], request)).toMatchObject({ status: 400, param: "currency" });
    expect(channelErrorOf(422, [{ path: "checkout.redirectURL", message: "Invalid URL" }], request)).toMatchObject({ param: "return_url" });
    expect(channelErrorOf(422, [{ path: "metadata.buyerEmail", message: "Invalid email" }], request)).toMatchObject({ param: "customer_email" });
    // a field of BTCPay's own is named in the message only
    const other = channelErrorOf(422, [{ path: "checkout.paymentTolerance", message: "Out of range" }], request);
    expect(other).toMatchObject({ code: "btcpay_invalid_request", param: undefined });
    expect(other.message).toContain("checkout.paymentTolerance");
  });

  it("a refund over what the buyer paid is a conflict (409), as is an invoice BTCPay cannot refund", () => {
    const refund = `POST /api/v1/stores/${STORE_ID}/invoices/${INVOICE_ID}/refund`;
    expect(channelErrorOf(422, [{ path: "customAmount", message: "Cannot refund more than paid" }], refund)).toMatchObject({ code: "refund_amount_exceeded", status: 409 });
    expect(channelErrorOf(400, [{ path: "CustomAmount", message: "Cannot refund more than paid" }], refund)).toMatchObject({ code: "refund_amount_exceeded", status: 409 });
    // a Fiat refund names its variant
    expect(channelErrorOf(422, [{ path: "refundVariant", message: "The refund (19.99 USD) is more than the 0.00 USD left" }], refund)).toMatchObject({
      code: "refund_amount_exceeded",
      status: 409,
      message: expect.stringContaining("0.00 USD left"),
    });
    expect(channelErrorOf(400, { code: "non-refundable", message: "Cannot refund this invoice" }, refund)).toMatchObject({ code: "refund_not_allowed", status: 409 });
  });

  it("another refusal keeps BTCPay's code and message", () => {
    const error = channelErrorOf(400, { code: "invoice-unmarkable", message: "Cannot mark this invoice" }, request);
    expect(error).toMatchObject({ code: "btcpay_invalid_request", status: 400 });
    expect(error.message).toContain("invoice-unmarkable");
  });

  it("5xx, 429 and bodies that are not BTCPay's are outages", () => {
    expect(channelErrorOf(500, { code: "internal", message: "Oops" }, request)).toMatchObject({ code: "btcpay_unavailable", status: 502 });
    expect(channelErrorOf(503, null, request)).toMatchObject({ code: "btcpay_unavailable", status: 502 });
    expect(channelErrorOf(429, null, request)).toMatchObject({ code: "btcpay_unavailable", status: 502 });
  });
});
