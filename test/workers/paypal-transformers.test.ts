import { describe, expect, it } from "vitest";
import { WebhookPayloadError, type ChannelEventType } from "../../shared/channels/adapter";
import {
  OrderWire,
  RefundWire,
  channelErrorOf,
  createOrderBody,
  parsePayPalWebhook,
  toChannelPayment,
  toChannelRefund,
} from "../../shared/channels/paypal/transformers";
import type { PaymentStatus } from "../../shared/payments/state-machine";

// Bodies shaped as PayPal's documented examples (Orders v2, Payments v2, webhook events).
const ORDER_ID = "5O190127TN364715T";
const CAPTURE_ID = "3C679366HH908993F";
const PAYMENT_NO = "PY0123456789ABCDEFGHJKMNPQ";
const REFUND_NO = "RF0123456789ABCDEFGHJKMNPQ001";
const API = "https://api.paypal.com";

const link = (rel: string, href: string, method = "GET") => ({ href, rel, method });
const money = (value: string, currency_code = "USD") => ({ currency_code, value });

const capture = (status: string, extra: object = {}) => ({
  id: CAPTURE_ID,
  status,
  amount: money("100.00"),
  final_capture: true,
  seller_protection: { status: "ELIGIBLE", dispute_categories: ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"] },
  custom_id: PAYMENT_NO,
  invoice_id: PAYMENT_NO,
  supplementary_data: { related_ids: { order_id: ORDER_ID } },
  links: [link("self", `${API}/v2/payments/captures/${CAPTURE_ID}`), link("up", `${API}/v2/checkout/orders/${ORDER_ID}`)],
  create_time: "2018-04-01T21:20:49Z",
  update_time: "2018-04-01T21:20:49Z",
  ...extra,
});

const order = (status: string, extra: object = {}) => ({
  id: ORDER_ID,
  intent: "CAPTURE",
  status,
  purchase_units: [{ reference_id: PAYMENT_NO, custom_id: PAYMENT_NO, invoice_id: PAYMENT_NO, amount: money("100.00") }],
  create_time: "2018-04-01T21:18:49Z",
  links: [link("self", `${API}/v2/checkout/orders/${ORDER_ID}`)],
  ...extra,
});

const captured = (captureStatus: string, details?: object) =>
  order("COMPLETED", {
    purchase_units: [{ reference_id: PAYMENT_NO, amount: money("100.00"), payments: { captures: [capture(captureStatus, details ? { status_details: details } : {})] } }],
  });

const refund = (extra: object = {}) => ({
  id: "1JU08902781691411",
  status: "COMPLETED",
  amount: money("10.99"),
  invoice_id: REFUND_NO,
  custom_id: PAYMENT_NO,
  note_to_payer: "Defective product",
  seller_payable_breakdown: { gross_amount: money("10.99"), paypal_fee: money("0"), net_amount: money("10.99"), total_refunded_amount: money("10.99") },
  links: [link("self", `${API}/v2/payments/refunds/1JU08902781691411`), link("up", `${API}/v2/payments/captures/${CAPTURE_ID}`)],
  create_time: "2018-09-11T23:24:19Z",
  update_time: "2018-09-11T23:24:19Z",
  ...extra,
});

const dispute = {
  dispute_id: "PP-D-27803",
  create_time: "2019-04-11T04:18:00.000Z",
  update_time: "2019-04-21T04:19:08.000Z",
  disputed_transactions: [{ seller_transaction_id: CAPTURE_ID, invoice_number: PAYMENT_NO, custom: PAYMENT_NO, seller: { merchant_id: "RD465XN5VS364" } }],
  reason: "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
  status: "OPEN",
  dispute_amount: money("3.00"),
  links: [link("self", `${API}/v1/customer/disputes/PP-D-27803`)],
};

const event = (event_type: string, resource_type: string, resource: object) =>
  JSON.stringify({
    id: `WH-${event_type.replace(/\W/g, "")}-4N3456789T1234567`,
    event_version: "1.0",
    create_time: "2019-02-14T21:50:07.940Z",
    resource_type,
    resource_version: "2.0",
    event_type,
    summary: `${event_type} summary`,
    resource,
    links: [link("self", `${API}/v1/notifications/webhooks-events/WH-1`)],
  });

describe("PayPal order -> ChannelPayment", () => {
  it.each([
    ["CREATED", { links: [link("approve", "https://www.paypal.com/checkoutnow?token=X")] }, "requires_action", "https://www.paypal.com/checkoutnow?token=X"],
    ["PAYER_ACTION_REQUIRED", { links: [link("payer-action", "https://www.paypal.com/checkoutnow?token=Y")] }, "requires_action", "https://www.paypal.com/checkoutnow?token=Y"],
    ["SAVED", {}, "requires_action", null],
    ["APPROVED", {}, "processing", null],
    ["VOIDED", {}, "cancelled", null],
  ] as Array<[string, object, PaymentStatus, string | null]>)("an order %s is %s", (status, extra, expected, url) => {
    const view = toChannelPayment(OrderWire.parse(order(status, extra)));
    expect(view).toMatchObject({ id: ORDER_ID, status: expected, clientSecret: null, failure: null });
    expect(view.nextAction).toEqual(url ? { type: "redirect_to_url", redirect_to_url: { url } } : null);
    // only an approved order waits for the platform to capture it
    expect(view.awaitingCompletion).toBe(status === "APPROVED");
  });

  it.each([
    ["COMPLETED", "succeeded"],
    ["PARTIALLY_REFUNDED", "succeeded"],
    ["REFUNDED", "succeeded"],
    ["PENDING", "processing"],
  ] as Array<[string, PaymentStatus]>)("a captured order whose capture is %s is %s", (captureStatus, expected) => {
    expect(toChannelPayment(OrderWire.parse(captured(captureStatus)))).toMatchObject({ status: expected, failure: null, nextAction: null, awaitingCompletion: false });
  });

  it("a declined or failed capture fails the payment with the reason PayPal gives", () => {
    expect(toChannelPayment(OrderWire.parse(captured("DECLINED", { reason: "OTHER" })))).toMatchObject({
      status: "failed",
      failure: { code: "capture_declined", message: "PayPal declined the capture (OTHER)." },
    });
    expect(toChannelPayment(OrderWire.parse(captured("FAILED")))).toMatchObject({ status: "failed", failure: { code: "capture_failed" } });
  });
});

describe("PayPal refund -> ChannelRefund", () => {
  it.each([
    ["COMPLETED", "succeeded", null],
    ["PENDING", "pending", null],
    ["FAILED", "failed", "refund_failed"],
    ["CANCELLED", "failed", "refund_cancelled"],
  ])("a refund %s is %s", (status, expected, failureCode) => {
    const view = toChannelRefund(RefundWire.parse(refund({ status })));
    expect(view).toMatchObject({ id: "1JU08902781691411", status: expected });
    expect(view.failure?.code ?? null).toBe(failureCode);
  });
});

describe("createOrderBody", () => {
  const request = {
    paymentNo: PAYMENT_NO,
    merchantId: "mch_1",
    livemode: false,
    amount: 1999,
    currency: "USD",
    paymentMethod: "paypal",
    description: "x".repeat(200),
    customerEmail: null,
    returnUrl: "https://payments.test/return/PY1",
    cancelUrl: "https://payments.test/cancel/PY1",
    idempotencyKey: `${PAYMENT_NO}:attempt-1`,
  };

  it("names the payment in the unit and sends the buyer back to the platform's URLs", () => {
    const body = createOrderBody(request);
    expect(body).toEqual({
      intent: "CAPTURE",
      purchase_units: [
        { reference_id: PAYMENT_NO, custom_id: PAYMENT_NO, invoice_id: PAYMENT_NO, description: "x".repeat(127), amount: { currency_code: "USD", value: "19.99" } },
      ],
      payment_source: {
        paypal: {
          experience_context: {
            return_url: request.returnUrl,
            cancel_url: request.cancelUrl,
            user_action: "PAY_NOW",
            shipping_preference: "NO_SHIPPING",
          },
        },
      },
    });
  });

  it("without a return URL has no experience context (PayPal then answers an approve link)", () => {
    const body = createOrderBody({ ...request, returnUrl: null, cancelUrl: null, description: null });
    expect(body).not.toHaveProperty("payment_source");
    expect(body.purchase_units[0]).not.toHaveProperty("description");
  });

  it("refuses an amount PayPal cannot take before anything is sent", () => {
    expect(() => createOrderBody({ ...request, currency: "HUF", amount: 1050 })).toThrow(expect.objectContaining({ code: "amount_precision_unsupported" }));
  });
});

describe("parsePayPalWebhook", () => {
  it("CHECKOUT.ORDER.APPROVED: the buyer approved, the platform captures", () => {
    const parsed = parsePayPalWebhook(event("CHECKOUT.ORDER.APPROVED", "checkout-order", order("APPROVED")));
    expect(parsed).toEqual({
      eventId: "WH-CHECKOUTORDERAPPROVED-4N3456789T1234567",
      channelType: "CHECKOUT.ORDER.APPROVED",
      type: "payment.approved",
      paymentNo: PAYMENT_NO,
      refundNo: null,
      channelPaymentId: ORDER_ID,
      channelObjectId: ORDER_ID,
      occurredAt: Date.parse("2019-02-14T21:50:07.940Z"),
      failure: null,
      money: { amount: 10000, currency: "USD" },
    });
    expect(parsed).not.toHaveProperty("channel");
  });

  it.each([
    ["PAYMENT.CAPTURE.COMPLETED", "COMPLETED", "payment.succeeded"],
    ["PAYMENT.CAPTURE.PENDING", "PENDING", "payment.processing"],
    ["PAYMENT.CAPTURE.DENIED", "DECLINED", "payment.failed"],
    ["PAYMENT.CAPTURE.DECLINED", "DECLINED", "payment.failed"],
  ] as Array<[string, string, ChannelEventType]>)("%s -> %s, about the capture's order", (type, status, expected) => {
    const parsed = parsePayPalWebhook(event(type, "capture", capture(status)));
    expect(parsed).toMatchObject({
      type: expected,
      paymentNo: PAYMENT_NO,
      channelPaymentId: ORDER_ID,
      channelObjectId: CAPTURE_ID,
      money: { amount: 10000, currency: "USD" },
    });
    expect(parsed.failure).toEqual(expected === "payment.failed" ? { code: "capture_declined", message: "PayPal declined the capture." } : null);
  });

  it.each([
    ["PAYMENT.CAPTURE.REFUNDED", "COMPLETED", "refund.succeeded"],
    ["PAYMENT.REFUND.PENDING", "PENDING", "refund.pending"],
    ["PAYMENT.REFUND.FAILED", "FAILED", "refund.failed"],
  ] as Array<[string, string, ChannelEventType]>)("%s of a refund the platform made -> %s", (type, status, expected) => {
    const parsed = parsePayPalWebhook(event(type, "refund", refund({ status })));
    expect(parsed).toMatchObject({
      type: expected,
      paymentNo: PAYMENT_NO,
      refundNo: REFUND_NO,
      // a refund links up to its capture, not to the order
      channelPaymentId: null,
      channelObjectId: "1JU08902781691411",
      money: { amount: 1099, currency: "USD" },
    });
    expect(parsed.failure?.code ?? null).toBe(expected === "refund.failed" ? "refund_failed" : null);
  });

  it("a refund without the platform's refund_no was made in PayPal's dashboard", () => {
    for (const invoice of [{ invoice_id: undefined }, { invoice_id: "INV-2019-001" }]) {
      const parsed = parsePayPalWebhook(event("PAYMENT.CAPTURE.REFUNDED", "refund", refund(invoice)));
      expect(parsed).toMatchObject({ type: "payment.refunded_at_channel", paymentNo: PAYMENT_NO, refundNo: null, channelObjectId: "1JU08902781691411", money: null });
    }
    // a dashboard refund still pending changes nothing yet
    expect(parsePayPalWebhook(event("PAYMENT.REFUND.PENDING", "refund", refund({ invoice_id: undefined, status: "PENDING" }))).type).toBe("unhandled");
  });

  it("a refund event without custom_id finds its payment through the refund_no", () => {
    const parsed = parsePayPalWebhook(event("PAYMENT.CAPTURE.REFUNDED", "refund", refund({ custom_id: undefined })));
    expect(parsed).toMatchObject({ type: "refund.succeeded", paymentNo: PAYMENT_NO, refundNo: REFUND_NO });
  });

  it("PAYMENT.CAPTURE.REVERSED: PayPal took the money back", () => {
    const reversal = { id: "8MC585209K746392H", amount: money("100.00"), note_to_payer: "Payment reversed", custom_id: PAYMENT_NO, status: "COMPLETED", links: [link("up", `${API}/v2/payments/captures/${CAPTURE_ID}`)] };
    expect(parsePayPalWebhook(event("PAYMENT.CAPTURE.REVERSED", "refund", reversal))).toMatchObject({
      type: "payment.refunded_at_channel",
      paymentNo: PAYMENT_NO,
      channelObjectId: "8MC585209K746392H",
      money: null,
    });
  });

  it("CUSTOMER.DISPUTE.CREATED names the payment through the disputed capture's custom_id, else its invoice", () => {
    expect(parsePayPalWebhook(event("CUSTOMER.DISPUTE.CREATED", "dispute", dispute))).toMatchObject({
      type: "payment.disputed",
      paymentNo: PAYMENT_NO,
      channelPaymentId: null,
      channelObjectId: "PP-D-27803",
      money: null,
    });
    const invoiceOnly = { ...dispute, disputed_transactions: [{ seller_transaction_id: CAPTURE_ID, invoice_number: PAYMENT_NO }] };
    expect(parsePayPalWebhook(event("CUSTOMER.DISPUTE.CREATED", "dispute", invoiceOnly)).paymentNo).toBe(PAYMENT_NO);
  });

  it("any other event is stored as unhandled", () => {
    expect(parsePayPalWebhook(event("PAYMENT.AUTHORIZATION.CREATED", "authorization", { id: "0VF52814937998046", status: "CREATED" }))).toMatchObject({
      type: "unhandled",
      channelType: "PAYMENT.AUTHORIZATION.CREATED",
      paymentNo: null,
      channelObjectId: "0VF52814937998046",
    });
  });

  it.each([
    ["not JSON", "{", "not JSON"],
    ["an event id that is not a string", JSON.stringify({ ...JSON.parse(event("CHECKOUT.ORDER.APPROVED", "checkout-order", order("APPROVED"))), id: 123 }), "id:"],
    ["a create_time that is not a time", JSON.stringify({ ...JSON.parse(event("CHECKOUT.ORDER.APPROVED", "checkout-order", order("APPROVED"))), create_time: "yesterday" }), "create_time:"],
    ["a capture without its id", event("PAYMENT.CAPTURE.COMPLETED", "capture", capture("COMPLETED", { id: undefined })), "resource.id:"],
    ["an amount that is not a decimal string", event("PAYMENT.CAPTURE.COMPLETED", "capture", capture("COMPLETED", { amount: money("12,00") })), "resource.amount.value:"],
    ["an amount finer than the currency's minor unit", event("PAYMENT.CAPTURE.COMPLETED", "capture", capture("COMPLETED", { amount: money("1.005") })), "resource.amount.value:"],
    ["an order status PayPal does not have", event("CHECKOUT.ORDER.APPROVED", "checkout-order", order("PAID")), "resource.status:"],
    ["a refund status PayPal does not have", event("PAYMENT.CAPTURE.REFUNDED", "refund", refund({ status: "DONE" })), "resource.status:"],
    ["a dispute without its id", event("CUSTOMER.DISPUTE.CREATED", "dispute", { ...dispute, dispute_id: undefined }), "resource.dispute_id:"],
    ["no resource", JSON.stringify({ id: "WH-1", event_type: "CHECKOUT.ORDER.APPROVED", create_time: "2019-02-14T21:50:07Z" }), "resource:"],
  ])("refuses %s, naming the field", (_, body, field) => {
    expect(() => parsePayPalWebhook(body)).toThrow(WebhookPayloadError);
    expect(() => parsePayPalWebhook(body)).toThrow(field);
  });
});

describe("PayPal error body -> ChannelError", () => {
  const unprocessable = (issue: string) => ({
    name: "UNPROCESSABLE_ENTITY",
    message: "The requested action could not be performed, semantically incorrect, or failed business validation.",
    debug_id: "f6ba8fb0b3c8a",
    details: [{ issue, description: `${issue} description` }],
    links: [{ href: `https://developer.paypal.com/docs/api/orders/v2/#error-${issue}`, rel: "information_link", method: "GET" }],
  });
  const request = `POST /v2/checkout/orders/${ORDER_ID}/capture`;

  it.each([
    ["INSTRUMENT_DECLINED", "instrument_declined", 402],
    ["PAYER_ACTION_REQUIRED", "payer_action_required", 402],
    ["ORDER_NOT_APPROVED", "order_not_approved", 409],
    ["ORDER_ALREADY_CAPTURED", "order_already_captured", 409],
    ["ORDER_COMPLETION_IN_PROGRESS", "order_completion_in_progress", 502],
    ["REFUND_AMOUNT_EXCEEDED", "refund_amount_exceeded", 409],
    ["CAPTURE_FULLY_REFUNDED", "capture_fully_refunded", 409],
    ["DECIMAL_PRECISION", "amount_precision_unsupported", 400],
    ["CURRENCY_NOT_SUPPORTED", "currency_unsupported", 400],
    ["PAYEE_ACCOUNT_RESTRICTED", "payee_account_restricted", 400],
    ["TRANSACTION_LIMIT_EXCEEDED", "transaction_limit_exceeded", 402],
  ])("422 %s -> %s (%i)", (issue, code, status) => {
    expect(channelErrorOf(422, unprocessable(issue), request)).toMatchObject({ code, status });
  });

  it("names the buyer's declined funding source in words a merchant can act on", () => {
    expect(channelErrorOf(422, unprocessable("INSTRUMENT_DECLINED"), request).message).toMatch(/^The buyer's funding source was declined/);
  });

  it("400 INVALID_REQUEST is the request's fault, naming PayPal's field", () => {
    const body = {
      name: "INVALID_REQUEST",
      message: "Request is not well-formed, syntactically incorrect, or violates schema.",
      debug_id: "b0e8d0d1a2e4f",
      details: [{ field: "/purchase_units/0/amount/value", location: "body", issue: "MISSING_REQUIRED_PARAMETER", description: "A required field / parameter is missing." }],
    };
    const error = channelErrorOf(400, body, "POST /v2/checkout/orders");
    expect(error).toMatchObject({ code: "paypal_invalid_request", status: 400 });
    expect(error.message).toContain("/purchase_units/0/amount/value");
  });

  it("401 and 403 are the platform's credentials, not the merchant's request: 502", () => {
    const body = { name: "AUTHENTICATION_FAILURE", message: "Authentication failed due to invalid authentication credentials or a missing Authorization header." };
    expect(channelErrorOf(401, body, request)).toMatchObject({ code: "paypal_authentication", status: 502 });
    expect(channelErrorOf(403, { name: "NOT_AUTHORIZED" }, request)).toMatchObject({ code: "paypal_authentication", status: 502 });
  });

  it("404 is a missing resource; 5xx, 429 and bodies that are not PayPal's are outages", () => {
    const missing = { name: "RESOURCE_NOT_FOUND", details: [{ issue: "INVALID_RESOURCE_ID", description: "Specified resource ID does not exist." }] };
    expect(channelErrorOf(404, missing, `GET /v2/checkout/orders/NOPE`)).toMatchObject({ code: "resource_missing", status: 400 });
    expect(channelErrorOf(500, { name: "INTERNAL_SERVER_ERROR" }, request)).toMatchObject({ code: "paypal_unavailable", status: 502 });
    expect(channelErrorOf(503, null, request)).toMatchObject({ code: "paypal_unavailable", status: 502 });
    expect(channelErrorOf(429, null, request)).toMatchObject({ code: "paypal_unavailable", status: 502 });
  });
});
