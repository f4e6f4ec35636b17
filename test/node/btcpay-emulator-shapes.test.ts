// The BTCPay emulator must answer in BTCPay's shapes: every answer the platform reads, and every
// webhook body, is valid against the schema the Greenfield document (test/data/btcpay-openapi, its
// fragments merged) gives it, and carries no field that schema does not name, except where
// BTCPay's own source at the fragments' commit writes otherwise (SOURCE_OVER_SPEC: the emulator
// follows the source). The store and the payout events' envelope, which the fragments leave out,
// are checked field by field. A wrong field fails with its JSON path.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOC, loadBTCPaySpecs } from "../emulators/btcpay/openapi.mjs";
import { startBTCPayEmulator, type BTCPayWebhookRecord } from "../emulators/btcpay/server.mjs";

const STORE = { storeId: "9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776", apiKey: "shapes-api-key", webhookSecret: "shapes-webhook-secret" };
const OTHER = { storeId: "4Xq7hJ2sVbN8mKp3RtYw9ZcLf6GdE5aUoT1iBnHjMkPs", apiKey: "shapes-other-key", webhookSecret: "shapes-other-secret" };

const specs = loadBTCPaySpecs();
let emulator: Awaited<ReturnType<typeof startBTCPayEmulator>>;

type Json = Record<string, any>;

// The steps wait for the helpers: nothing moves by itself during these tests.
beforeAll(async () => {
  emulator = await startBTCPayEmulator({ port: 12121, stores: [STORE, OTHER], stepMs: 600_000 });
});
afterAll(() => emulator.close());

async function call(method: string, path: string, body?: unknown, apiKey = STORE.apiKey) {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { Authorization: `token ${apiKey}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as any };
}
const helper = async (path: string, body: unknown = {}) =>
  (await (await fetch(`${emulator.url}/_emulator${path}`, { method: "POST", body: JSON.stringify(body) })).json()) as Json;

const response = (method: string, path: string, status: number | string = 200) => specs.responseRef(DOC, method, path, status);
const request = (method: string, path: string) => specs.requestRef(DOC, method, path);
const component = (name: string) => `${DOC}#/components/schemas/${name}`;
const webhook = (type: string) => `${DOC}#/x-webhooks/${type}/post/requestBody/content/application~1json/schema`;

/**
 * Where BTCPay's source (BTCPayServer.Client/Models at the fragments' commit 03345c2) writes what
 * the document does not say, as `shapeProblems` reports it: the emulator writes what BTCPay writes.
 */
const SOURCE_OVER_SPEC = {
  // InvoiceData.cs: the checkout's DefaultPaymentMethod is null unless the request names one; the
  // document makes it nullable but also a PaymentMethodId, which is a string.
  invoice: ["/checkout/defaultPaymentMethod type: must be string"],
  // PullPaymentData.cs: StartsAt and ExpiresAt (unix seconds, or null) are written but not documented;
  // BOLT11Expiration goes through TimeSpanJsonConverter.Days, a whole number of days, not a string.
  pullPayment: ["/BOLT11Expiration type: must be string", "/startsAt is not in the spec", "/expiresAt is not in the spec"],
  // PayoutData.cs: Date goes through DateTimeToUnixTimeConverter, a number; PaymentProof is null until there is one.
  payout: ["/date type: must be string"],
  unpaidPayout: ["/date type: must be string", "/paymentProof type: must be object"],
  // GreenfieldPermissionAPIError.cs adds the permission the key lacks.
  permission: ["/missingPermission is not in the spec"],
};

const expectShape = (value: unknown, ref: string, expected: string[] = []) => expect(specs.shapeProblems(value, ref), ref).toEqual(expected);

// What the platform's channel sends (the contract in /tmp/helpers/btcpay-contract.md).
const INVOICE_REQUEST = {
  amount: "19.99",
  currency: "USD",
  metadata: { orderId: "PY-shapes-1", attemptKey: "PY-shapes-1:attempt-1", buyerEmail: "buyer@example.com", itemDesc: "Two mugs" },
  checkout: { speedPolicy: "MediumSpeed", expirationMinutes: 30, redirectURL: "https://shop.example/return/{OrderId}?invoice={InvoiceId}", redirectAutomatically: true },
};
const REFUND_REQUEST = { name: "Refund PY-shapes-1", description: "Two mugs, broken", payoutMethods: ["BTC-CHAIN"], refundVariant: "Custom", customAmount: "5.00", customCurrency: "USD" };

const createInvoice = async (body: Json = INVOICE_REQUEST) => (await call("POST", `/api/v1/stores/${STORE.storeId}/invoices`, body)).json;
/** An invoice paid in full and confirmed. */
async function settledInvoice() {
  const invoice = await createInvoice();
  await helper(`/invoices/${invoice.id}/pay`, { kind: "full" });
  await helper(`/invoices/${invoice.id}/confirm`);
  return invoice;
}

describe("BTCPay emulator wire format", () => {
  it("takes the requests the platform sends as the spec's request schemas; the contract's refund paymentMethod is not one of its fields", () => {
    expectShape(INVOICE_REQUEST, request("post", "/api/v1/stores/{storeId}/invoices"));
    expectShape(REFUND_REQUEST, request("post", "/api/v1/invoices/{invoiceId}/refund"));
    expectShape({ status: "Settled" }, request("post", "/api/v1/invoices/{invoiceId}/status"));
    // BTCPay's RefundInvoiceRequest has payoutMethods (and the deprecated payoutMethodId); it ignores paymentMethod.
    expectShape({ ...REFUND_REQUEST, payoutMethods: undefined, paymentMethod: "BTC-CHAIN" }, request("post", "/api/v1/invoices/{invoiceId}/refund"), ["/paymentMethod is not in the spec"]);
  });

  it("answers the store as BTCPay's StoreData (the fragments have no store schema)", async () => {
    const { status, json } = await call("GET", `/api/v1/stores/${STORE.storeId}`);
    expect(status).toBe(200);
    expect(json).toEqual({
      id: STORE.storeId,
      name: "Emulator store",
      website: null,
      invoiceExpiration: 900,
      monitoringExpiration: 86400,
      speedPolicy: "MediumSpeed",
      paymentTolerance: 0,
      anyoneCanCreateInvoice: false,
      defaultCurrency: "USD",
      lazyPaymentMethods: false,
      redirectAutomatically: false,
      defaultPaymentMethod: "BTC-CHAIN",
      receipt: { enabled: true, showQR: true, showPayments: true },
    });
  });

  it("answers invoice creation, show (both forms), list and mark as InvoiceData, in every status", async () => {
    const created = await call("POST", `/api/v1/stores/${STORE.storeId}/invoices`, INVOICE_REQUEST);
    expect(created.status).toBe(200);
    expectShape(created.json, response("post", "/api/v1/stores/{storeId}/invoices"), SOURCE_OVER_SPEC.invoice);
    expect(created.json).toMatchObject({ type: "Standard", amount: "19.99", currency: "USD", status: "New", additionalStatus: "None", metadata: INVOICE_REQUEST.metadata });

    const show = response("get", "/api/v1/invoices/{invoiceId}");
    const walk: Array<[string, Json]> = [
      ["pay", { kind: "partial" }],
      ["pay", { kind: "full" }],
      ["confirm", {}],
    ];
    for (const [action, body] of walk) {
      await helper(`/invoices/${created.json.id}/${action}`, body);
      expectShape((await call("GET", `/api/v1/invoices/${created.json.id}`)).json, show, SOURCE_OVER_SPEC.invoice);
      expectShape((await call("GET", `/api/v1/stores/${STORE.storeId}/invoices/${created.json.id}`)).json, show, SOURCE_OVER_SPEC.invoice);
    }
    const expired = await createInvoice();
    await helper(`/invoices/${expired.id}/pay`, { kind: "late" });
    const late = (await call("GET", `/api/v1/invoices/${expired.id}`)).json;
    expect(late).toMatchObject({ status: "Expired", additionalStatus: "PaidLate" });
    expectShape(late, show, SOURCE_OVER_SPEC.invoice);

    const list = await call("GET", `/api/v1/stores/${STORE.storeId}/invoices?orderId=${INVOICE_REQUEST.metadata.orderId}`);
    expect(list.json).toHaveLength(2);
    expectShape(list.json, response("get", "/api/v1/stores/{storeId}/invoices"), ["/0", "/1"].map((item) => `${item}${SOURCE_OVER_SPEC.invoice[0]}`));

    const marked = await call("POST", `/api/v1/invoices/${(await createInvoice()).id}/status`, { status: "Invalid" });
    expect(marked.json).toMatchObject({ status: "Invalid", additionalStatus: "Marked" });
    expectShape(marked.json, response("post", "/api/v1/invoices/{invoiceId}/status"), SOURCE_OVER_SPEC.invoice);
  });

  it("answers an invoice's payment methods as InvoicePaymentMethodDataModel, with its payments", async () => {
    const invoice = await createInvoice();
    const ref = response("get", "/api/v1/invoices/{invoiceId}/payment-methods");
    const unpaid = await call("GET", `/api/v1/stores/${STORE.storeId}/invoices/${invoice.id}/payment-methods`);
    expectShape(unpaid.json, ref);
    expect(unpaid.json).toMatchObject([{ paymentMethodId: "BTC-CHAIN", currency: "BTC", amount: "0.00039980", rate: "50000.00", totalPaid: "0.00000000", due: "0.00039980", payments: [] }]);
    await helper(`/invoices/${invoice.id}/pay`, { kind: "over" });
    const paid = (await call("GET", `/api/v1/invoices/${invoice.id}/payment-methods`)).json;
    expectShape(paid, ref);
    expect(paid[0]).toMatchObject({ totalPaid: "0.00043978", due: "-0.00003998", payments: [{ value: "0.00043978", status: "Processing" }] });
  });

  it("answers a refund and the pull payments as PullPaymentData, and the payouts as PayoutData, where the source agrees", async () => {
    const invoice = await settledInvoice();
    const refund = await call("POST", `/api/v1/invoices/${invoice.id}/refund`, REFUND_REQUEST);
    expect(refund.status).toBe(200);
    expectShape(refund.json, response("post", "/api/v1/invoices/{invoiceId}/refund"), SOURCE_OVER_SPEC.pullPayment);
    const shown = await fetch(`${emulator.url}/api/v1/pull-payments/${refund.json.id}`);
    expectShape(await shown.json(), response("get", "/api/v1/pull-payments/{pullPaymentId}"), SOURCE_OVER_SPEC.pullPayment);
    const listed = await call("GET", `/api/v1/stores/${STORE.storeId}/pull-payments`);
    expect(listed.json.length).toBeGreaterThan(0);
    for (const pp of listed.json) expectShape(pp, component("PullPaymentData"), SOURCE_OVER_SPEC.pullPayment);

    const payouts = async () => (await (await fetch(`${emulator.url}/api/v1/pull-payments/${refund.json.id}/payouts`)).json()) as Json[];
    const claimed = await helper(`/pull-payments/${refund.json.id}/claim`, { destination: "bcrt1qshapesdestination0000000000000000000000" });
    expect(claimed.state).toBe("AwaitingPayment");
    for (const payout of await payouts()) expectShape(payout, component("PayoutData"), SOURCE_OVER_SPEC.unpaidPayout);
    await helper(`/payouts/${claimed.id}/complete`);
    const [completed] = await payouts();
    expect(completed).toMatchObject({ state: "Completed", paymentProof: { proofType: "PayoutTransactionOnChainBlob" } });
    expectShape(completed, component("PayoutData"), SOURCE_OVER_SPEC.payout);
    const one = await fetch(`${emulator.url}/api/v1/pull-payments/${refund.json.id}/payouts/${claimed.id}`);
    expectShape(await one.json(), response("get", "/api/v1/pull-payments/{pullPaymentId}/payouts/{payoutId}"), SOURCE_OVER_SPEC.payout);
  });

  it("sends every invoice webhook as its x-webhooks body, and the payout ones as WebhookEvent, the store and the documented payout fields", async () => {
    const invoice = await settledInvoice();
    await call("POST", `/api/v1/invoices/${(await createInvoice()).id}/status`, { status: "Settled" });
    await call("POST", `/api/v1/invoices/${(await createInvoice()).id}/status`, { status: "Invalid" });
    const partial = await createInvoice();
    await helper(`/invoices/${partial.id}/pay`, { kind: "partial" });
    await helper(`/invoices/${partial.id}/expire`);
    const over = await createInvoice();
    await helper(`/invoices/${over.id}/pay`, { kind: "over" });
    await helper(`/invoices/${over.id}/confirm`);
    const refund = await call("POST", `/api/v1/invoices/${invoice.id}/refund`, REFUND_REQUEST);
    const payout = await helper(`/pull-payments/${refund.json.id}/claim`);
    await helper(`/payouts/${payout.id}/complete`);
    const records = (await (await fetch(`${emulator.url}/_emulator/webhooks`)).json()) as BTCPayWebhookRecord[];
    await helper(`/webhooks/${records[0]!.deliveryId}/redeliver`);

    const seen = new Set<string>();
    const payoutEvents: Json[] = [];
    for (const record of (await (await fetch(`${emulator.url}/_emulator/webhooks`)).json()) as BTCPayWebhookRecord[]) {
      const event = JSON.parse(record.body) as Json;
      seen.add(event.type);
      if (!event.type.startsWith("Payout")) {
        expectShape(event, webhook(event.type));
        continue;
      }
      const { deliveryId, webhookId, originalDeliveryId, isRedelivery, type, timestamp, storeId, ...payoutFields } = event;
      expectShape({ deliveryId, webhookId, originalDeliveryId, isRedelivery, type, timestamp }, component("WebhookEvent"));
      expect(storeId).toBe(STORE.storeId);
      expectShape(payoutFields, webhook(event.type));
      expect(Object.keys(payoutFields)).toEqual(["payoutId", "pullPaymentId", "payoutState"]);
      payoutEvents.push(payoutFields);
    }
    expect(payoutEvents).toContainEqual({ payoutId: payout.id, pullPaymentId: refund.json.id, payoutState: "Completed" });
    expect([...seen].sort()).toEqual([
      "InvoiceCreated",
      "InvoiceExpired",
      "InvoiceInvalid",
      "InvoicePaymentSettled",
      "InvoiceProcessing",
      "InvoiceReceivedPayment",
      "InvoiceSettled",
      "PayoutApproved",
      "PayoutCreated",
      "PayoutUpdated",
    ]);
  });

  it("answers errors as Greenfield's: ProblemDetails, and ValidationProblemDetails with 422", async () => {
    const problem = component("ProblemDetails");
    const missing = await fetch(`${emulator.url}/api/v1/stores/${STORE.storeId}/invoices`);
    expect(missing.status).toBe(401);
    expectShape(await missing.json(), response("get", "/api/v1/stores/{storeId}/invoices", 401));

    const forbidden = await call("GET", `/api/v1/stores/${STORE.storeId}/invoices`, undefined, OTHER.apiKey);
    expect(forbidden.status).toBe(403);
    expectShape(forbidden.json, problem, SOURCE_OVER_SPEC.permission);

    const unknown = await call("GET", "/api/v1/invoices/HMprBnL9BTXWuPvpoKBS6e");
    expect(unknown).toEqual({ status: 404, json: { code: "invoice-not-found", message: "The invoice was not found" } });
    expectShape(unknown.json, problem);

    // The document says 400 for a refused invoice; BTCPay's CreateValidationError answers 422.
    const invalid = await call("POST", `/api/v1/stores/${STORE.storeId}/invoices`, { ...INVOICE_REQUEST, amount: "19.999" });
    expect(invalid.status).toBe(422);
    expectShape(invalid.json, response("post", "/api/v1/stores/{storeId}/invoices", 400));

    const nonRefundable = await call("POST", `/api/v1/invoices/${(await createInvoice()).id}/refund`, REFUND_REQUEST);
    expect(nonRefundable).toEqual({ status: 400, json: { code: "non-refundable", message: "Cannot refund this invoice" } });
    expectShape(nonRefundable.json, problem);
  });
});
