// The BTCPay emulator behaves as BTCPay does where the platform relies on it: API keys that reach
// their own store only, invoices that are made anew on every POST and found by orderId, amounts in
// the currency's decimals, the checkout's buttons and the status walk and webhooks each starts,
// marking, refunds as pull payments (never more than was paid), claims and their payouts, webhooks
// signed with the store's secret, sent in order, retried as redeliveries, and injected failures.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBTCPayEmulator, type BTCPayRequestRecord, type BTCPayWebhookRecord } from "../emulators/btcpay/server.mjs";

const A = { storeId: "7Hc4StoreAEmuLatorBehaviourTestsXq9ZcLf6GdE5", apiKey: "btcpay-key-a", webhookSecret: "btcpay-secret-a" };
const B = { storeId: "8Jd5StoreBEmuLatorBehaviourTestsYr2AdMg7HeF6", apiKey: "btcpay-key-b", webhookSecret: "btcpay-secret-b" };
const BASE58_ID = (length: number) => new RegExp(`^[1-9A-HJ-NP-Za-km-z]{${length}}$`);

type Json = Record<string, any>;

// `emulator` moves only when a test presses its helpers (its steps wait ten minutes); `timed` takes
// its steps by itself: 50 ms between them, and a minute of expiry is 10 ms.
let emulator: Awaited<ReturnType<typeof startBTCPayEmulator>>;
let timed: Awaited<ReturnType<typeof startBTCPayEmulator>>;
// The stores' webhook endpoint: records the raw bytes posted, answering `refusing.status` to
// `refusing.count` posts whose body contains `refusing.id`.
let endpoint: Server;
let endpointUrl: string;
const received: Array<{ path: string; headers: Record<string, string | string[] | undefined>; body: Buffer }> = [];
const refusing = { id: "", count: 0, status: 500 };

beforeAll(async () => {
  endpoint = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      received.push({ path: req.url ?? "", headers: req.headers, body });
      const refuse = refusing.count > 0 && body.toString("utf8").includes(refusing.id);
      if (refuse) refusing.count -= 1;
      res.statusCode = refuse ? refusing.status : 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
  emulator = await startBTCPayEmulator({ port: 12122, stores: [{ ...A, webhookUrl: `${endpointUrl}/a` }], stepMs: 600_000, webhookRetryDelaysMs: [20, 20] });
  timed = await startBTCPayEmulator({ port: 0, stores: [{ ...A, webhookUrl: `${endpointUrl}/timed` }], stepMs: 50, expiryScale: 1 / 6000 });
  // B is added at run time, as a test of another merchant's store would.
  expect((await helper("/stores", { ...B, webhookUrl: `${endpointUrl}/b` })).status).toBe(200);
});
afterAll(async () => {
  await Promise.all([emulator.close(), timed.close()]);
  await new Promise((done) => endpoint.close(done));
});

async function call(store: { apiKey: string } | null, method: string, path: string, body?: unknown, base = emulator.url) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...(store ? { Authorization: `token ${store.apiKey}` } : {}) },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as any };
}
async function helper(path: string, body?: unknown, method = "POST", base = emulator.url) {
  const res = await fetch(`${base}/_emulator${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as any };
}
const webhooks = async (base = emulator.url) => (await helper("/webhooks", undefined, "GET", base)).json as BTCPayWebhookRecord[];
/** The first deliveries about `id` (an invoice or payout), their bodies parsed, in the order sent. */
const eventsAbout = async (id: string, base = emulator.url) =>
  (await webhooks(base)).filter((w) => !w.isRedelivery && w.body.includes(id)).map((w) => JSON.parse(w.body) as Json);
const typesAbout = async (id: string, base = emulator.url) => (await eventsAbout(id, base)).map((e) => e.type);

/** Polls `probe` until it answers something truthy (webhooks and steps are asynchronous). */
async function until<T>(probe: () => Promise<T> | T, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

let orders = 0;
const invoiceRequest = (overrides: Json = {}) => {
  const orderId = `PY-${++orders}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    amount: "19.99",
    currency: "USD",
    metadata: { orderId, attemptKey: `${orderId}:attempt-1`, itemDesc: "Tasse à café" },
    checkout: { speedPolicy: "MediumSpeed", expirationMinutes: 60, redirectURL: "https://shop.example/return/{OrderId}?invoice={InvoiceId}", redirectAutomatically: true },
    ...overrides,
  };
};
const createInvoice = (overrides?: Json, store: { storeId: string; apiKey: string } = A, base = emulator.url) => call(store, "POST", `/api/v1/stores/${store.storeId}/invoices`, invoiceRequest(overrides), base);
const newInvoice = async (overrides?: Json) => (await createInvoice(overrides)).json as Json;
const getInvoice = async (id: string, base = emulator.url) => (await call(A, "GET", `/api/v1/invoices/${id}`, undefined, base)).json as Json;
const pay = (id: string, kind: string) => helper(`/invoices/${id}/pay`, { kind });
/** An invoice of A's paid with `kind` and confirmed. */
async function paidInvoice(kind = "full", overrides?: Json) {
  const invoice = await newInvoice(overrides);
  await pay(invoice.id, kind);
  await helper(`/invoices/${invoice.id}/confirm`);
  return invoice;
}
const refund = (id: string, body: Json) => call(A, "POST", `/api/v1/invoices/${id}/refund`, { name: "Refund", description: "Refund of a test payment", ...body });
const paths = (json: Json[]) => json.map((e) => e.path);
/** Waits until `count` posts about `id` reached the endpoint (so that `refusing` applies to the later ones only). */
const deliveredAbout = (id: string, count = 1) => until(() => received.filter((r) => r.body.toString("utf8").includes(id)).length >= count);
// On `timed`, a minute is 10 ms: its invoices get a day (14 s) before they expire, unless a test says otherwise.
const timedInvoice = () => createInvoice({ checkout: { expirationMinutes: 1440 } }, A, timed.url);

describe("API keys and stores", () => {
  it("refuses a missing or unknown key 401, another store's key 403 naming the permission, and an unknown store or invoice 404", async () => {
    const { json: invoice } = await createInvoice();
    const path = `/api/v1/stores/${A.storeId}/invoices/${invoice.id}`;
    expect(await call(null, "GET", path)).toEqual({ status: 401, json: { code: "unauthenticated", message: "Authentication is required for accessing this endpoint" } });
    expect(await call({ apiKey: "not-a-key" }, "GET", path)).toEqual({ status: 401, json: { code: "unauthenticated", message: "ApiKey authentication failed: Unknown API Key" } });
    const bearer = await fetch(`${emulator.url}${path}`, { headers: { Authorization: `Bearer ${A.apiKey}` } });
    expect(bearer.status).toBe(401);

    // B's key, on A's store and on A's invoice by either path: refused, nothing shown or changed.
    const forbidden = (permission: string) => ({ status: 403, json: { code: "missing-permission", missingPermission: permission, message: expect.stringContaining(`"${permission}"`) } });
    expect(await call(B, "GET", path)).toEqual(forbidden("btcpay.store.canviewinvoices"));
    expect(await call(B, "GET", `/api/v1/invoices/${invoice.id}`)).toEqual(forbidden("btcpay.store.canviewinvoices"));
    expect(await call(B, "POST", `/api/v1/invoices/${invoice.id}/status`, { status: "Invalid" })).toEqual(forbidden("btcpay.store.canmodifyinvoices"));
    expect(await call(B, "POST", `/api/v1/stores/${A.storeId}/invoices`, invoiceRequest())).toEqual(forbidden("btcpay.store.cancreateinvoice"));
    expect(await call(B, "GET", `/api/v1/stores/${A.storeId}`)).toEqual(forbidden("btcpay.store.canviewstoresettings"));
    expect(await call(B, "GET", `/api/v1/stores/${A.storeId}/pull-payments`)).toEqual(forbidden("btcpay.store.canviewpullpayments"));
    expect((await getInvoice(invoice.id)).status).toBe("New");
    // A's invoice under B's own store path does not exist there.
    expect(await call(B, "GET", `/api/v1/stores/${B.storeId}/invoices/${invoice.id}`)).toEqual({ status: 404, json: { code: "invoice-not-found", message: "The invoice was not found" } });

    expect(await call(A, "GET", "/api/v1/stores/9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776")).toEqual({ status: 404, json: { code: "store-not-found", message: "The store was not found" } });
    expect((await call(A, "GET", "/api/v1/invoices/HMprBnL9BTXWuPvpoKBS6e")).status).toBe(404);
    expect((await call(A, "GET", `/api/v1/stores/${A.storeId}`)).json).toMatchObject({ id: A.storeId, defaultCurrency: "USD", speedPolicy: "MediumSpeed" });
  });

  it("adds stores at run time, refusing a bad field by name, and makes their ids as BTCPay does", async () => {
    const cases: Array<[Json, string]> = [
      [{ webhookSecret: "s" }, "apiKey"],
      [{ apiKey: "k-c" }, "webhookSecret"],
      [{ apiKey: "k-c", webhookSecret: "s", storeId: "not an id" }, "storeId"],
      [{ apiKey: "k-c", webhookSecret: "s", webhookUrl: "nope" }, "webhookUrl"],
      [{ apiKey: A.apiKey, webhookSecret: "s" }, "apiKey"],
    ];
    for (const [body, field] of cases) {
      const res = await helper("/stores", body);
      expect({ status: res.status, paths: paths(res.json) }, field).toEqual({ status: 422, paths: [field] });
    }
    const added = await helper("/stores", { apiKey: "k-c", webhookSecret: "s-c", name: "Mug Shop" });
    expect(added.json).toMatchObject({ storeId: expect.stringMatching(BASE58_ID(44)), webhookId: expect.stringMatching(BASE58_ID(22)), name: "Mug Shop" });
    const store = { storeId: added.json.storeId, apiKey: "k-c" };
    const { json: invoice } = await createInvoice({}, store);
    expect(invoice.id).toMatch(BASE58_ID(22));
    expect(invoice.storeId).toBe(store.storeId);
  });
});

describe("invoices", () => {
  it("makes a new invoice on every POST, even for one orderId, and finds them newest first by orderId, status, skip and take", async () => {
    const request = invoiceRequest();
    const first = await call(A, "POST", `/api/v1/stores/${A.storeId}/invoices`, request);
    const second = await call(A, "POST", `/api/v1/stores/${A.storeId}/invoices`, request);
    expect(first.status).toBe(200);
    expect(second.json.id).not.toBe(first.json.id);
    const other = await newInvoice();
    await call(B, "POST", `/api/v1/stores/${B.storeId}/invoices`, request);

    const list = async (query: string) => ((await call(A, "GET", `/api/v1/stores/${A.storeId}/invoices?${query}`)).json as Json[]).map((i) => i.id);
    const orderId = request.metadata.orderId;
    expect(await list(`orderId=${orderId}`)).toEqual([second.json.id, first.json.id]);
    expect(await list(`orderId=${orderId}&orderId=${other.metadata.orderId}`)).toEqual([other.id, second.json.id, first.json.id]);
    expect(await list(`orderId=${orderId}&skip=1&take=1`)).toEqual([first.json.id]);
    await pay(first.json.id, "full");
    expect(await list(`orderId=${orderId}&status=Processing`)).toEqual([first.json.id]);
    expect(await list(`orderId=${orderId}&status=New&status=Processing`)).toEqual([second.json.id, first.json.id]);
    expect(await list("orderId=PY-nobody")).toEqual([]);
    const bad = await call(A, "GET", `/api/v1/stores/${A.storeId}/invoices?take=ten`);
    expect({ status: bad.status, paths: paths(bad.json) }).toEqual({ status: 422, paths: ["take"] });

    // Each POST starts its own walk: InvoiceCreated for both.
    expect(await typesAbout(second.json.id)).toEqual(["InvoiceCreated"]);
  });

  it("shows an invoice under its store and on its own, with the store's defaults and its times", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { json: invoice } = await call(A, "POST", `/api/v1/stores/${A.storeId}/invoices`, { amount: "5.00", metadata: { orderId: "PY-defaults" } });
    expect(invoice).toMatchObject({
      storeId: A.storeId,
      currency: "USD",
      checkoutLink: `${emulator.url}/i/${invoice.id}`,
      checkout: { speedPolicy: "MediumSpeed", expirationMinutes: 15, monitoringMinutes: 1440, redirectURL: null, redirectAutomatically: false, paymentMethods: ["BTC-CHAIN"] },
      availableStatusesForManualMarking: ["Settled", "Invalid"],
    });
    expect(invoice.createdTime).toBeGreaterThanOrEqual(before);
    expect(invoice.expirationTime).toBe(invoice.createdTime + 15 * 60);
    expect(invoice.monitoringExpiration).toBe(invoice.expirationTime + 1440 * 60);
    expect((await call(A, "GET", `/api/v1/stores/${A.storeId}/invoices/${invoice.id}`)).json).toEqual(invoice);
    expect(await getInvoice(invoice.id)).toEqual(invoice);
  });

  it("takes amounts as decimal strings with no more decimals than the currency's ISO exponent, above zero, refusing others by field", async () => {
    const cases: Array<[unknown, unknown, string | null, string?]> = [
      // amount, currency, refused field (null: taken), the amount shown
      ["19.99", "USD", null, "19.99"],
      ["20", "USD", null, "20.00"],
      ["1000", "JPY", null, "1000"],
      ["1.234", "KWD", null, "1.234"],
      ["250000", "VND", null, "250000"],
      ["10.00", "eur", null, "10.00"],
      ["19.999", "USD", "amount"],
      ["1000.5", "JPY", "amount"],
      ["1.2345", "BHD", "amount"],
      ["0.00", "USD", "amount"],
      ["-1.00", "USD", "amount"],
      ["-0.50", "USD", "amount"],
      [19.99, "USD", "amount"],
      ["1e3", "USD", "amount"],
      ["1,00", "USD", "amount"],
      [null, "USD", "amount"],
      ["10.00", "US", "currency"],
      ["10.00", 840, "currency"],
    ];
    for (const [amount, currency, field, shown] of cases) {
      const res = await call(A, "POST", `/api/v1/stores/${A.storeId}/invoices`, { amount, currency, metadata: { orderId: "PY-amounts" } });
      if (field === null) expect({ status: res.status, amount: res.json.amount }, `${amount} ${currency}`).toEqual({ status: 200, amount: shown });
      else expect({ status: res.status, paths: paths(res.json) }, `${amount} ${currency}`).toEqual({ status: 422, paths: [field] });
    }
    const checkout = await call(A, "POST", `/api/v1/stores/${A.storeId}/invoices`, {
      amount: "1.00",
      checkout: { expirationMinutes: 0, monitoringMinutes: 1.5, speedPolicy: "Fast", paymentMethods: ["BTC-CHAIN", "LTC-CHAIN"] },
    });
    expect(checkout.status).toBe(422);
    expect(paths(checkout.json).sort()).toEqual(["checkout.monitoringMinutes", "checkout.speedPolicy"]);
    const methods = await call(A, "POST", `/api/v1/stores/${A.storeId}/invoices`, { amount: "1.00", checkout: { expirationMinutes: 0, paymentMethods: ["BTC-CHAIN", "LTC-CHAIN"] } });
    expect(paths(methods.json)).toEqual(["checkout.expirationMinutes", "checkout.paymentMethods[1]"]);
    const notJson = await call(A, "POST", `/api/v1/stores/${A.storeId}/invoices`, "{amount");
    expect({ status: notJson.status, paths: paths(notJson.json) }).toEqual({ status: 422, paths: [""] });
  });

  it("prices in BTC at the fixed rates, and at a rate derived from the code for any other currency", async () => {
    const btcOf = async (amount: string, currency: string) => {
      const { json } = await call(A, "POST", `/api/v1/stores/${A.storeId}/invoices`, { amount, currency });
      return (await call(A, "GET", `/api/v1/invoices/${json.id}/payment-methods`)).json[0] as Json;
    };
    expect(await btcOf("19.99", "USD")).toMatchObject({ paymentMethodId: "BTC-CHAIN", currency: "BTC", rate: "50000.00", amount: "0.00039980", due: "0.00039980" });
    expect(await btcOf("7500", "JPY")).toMatchObject({ rate: "7500000", amount: "0.00100000" });
    expect(await btcOf("1.540", "KWD")).toMatchObject({ rate: "15400.000", amount: "0.00010000" });
    // Rounded up to a whole satoshi, so that paying it covers the price.
    expect(await btcOf("0.01", "EUR")).toMatchObject({ amount: "0.00000022" });
    const derived = await btcOf("100.00", "SEK");
    expect(derived.rate).toMatch(/^\d+\.00$/);
    expect((await btcOf("100.00", "SEK")).rate).toBe(derived.rate);
    expect(Number(derived.amount)).toBeCloseTo(100 / Number(derived.rate), 7);
  });
});

describe("the checkout page and its buttons", () => {
  it("shows the amount in fiat and BTC and five buttons, each a form that posts", async () => {
    const invoice = await newInvoice();
    const res = await fetch(invoice.checkoutLink);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("19.99 USD");
    expect(html).toContain("0.00039980 BTC");
    expect(html).toContain("Tasse à café");
    for (const [action, label] of [["full", "Pay in full"], ["partial", "Pay partially"], ["over", "Overpay"], ["expire", "Let it expire"], ["late", "Pay after expiry"]]) {
      expect(html).toContain(`<form method="post" action="/i/${invoice.id}/${action}"><button type="submit">${label}</button></form>`);
    }
    expect((await fetch(`${emulator.url}/i/HMprBnL9BTXWuPvpoKBS6e`)).status).toBe(404);
  });

  it("Pay in full: InvoiceReceivedPayment, Processing, then on confirmation InvoicePaymentSettled and Settled; the buyer goes to the redirect URL, placeholders filled", async () => {
    const invoice = await newInvoice({ metadata: { orderId: "PY 7/ü", attemptKey: "k" } });
    const res = await fetch(`${emulator.url}/i/${invoice.id}/full`, { method: "POST", redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`https://shop.example/return/PY+7%2f%c3%bc?invoice=${invoice.id}`);
    expect(await getInvoice(invoice.id)).toMatchObject({ status: "Processing", additionalStatus: "None", paidAmount: "19.99" });
    const [received, processing] = (await eventsAbout(invoice.id)).slice(1);
    expect(received).toMatchObject({ type: "InvoiceReceivedPayment", afterExpiration: false, paymentMethodId: "BTC-CHAIN", payment: { value: "0.00039980", status: "Processing" } });
    expect(processing).toMatchObject({ type: "InvoiceProcessing", overPaid: false });
    expect((await fetch(invoice.checkoutLink).then((r) => r.text())).includes("<form")).toBe(false);

    const confirmed = await helper(`/invoices/${invoice.id}/confirm`);
    expect(confirmed.json).toMatchObject({ status: "Settled", additionalStatus: "None", availableStatusesForManualMarking: [] });
    const events = await eventsAbout(invoice.id);
    expect(events.map((e) => e.type)).toEqual(["InvoiceCreated", "InvoiceReceivedPayment", "InvoiceProcessing", "InvoicePaymentSettled", "InvoiceSettled"]);
    expect(events[3]).toMatchObject({ afterExpiration: false, payment: { id: received!.payment.id, status: "Settled" } });
    expect(events[4]).toMatchObject({ manuallyMarked: false, overPaid: false });
    expect(events.every((e) => e.invoiceId === invoice.id && e.storeId === A.storeId && e.metadata.orderId === "PY 7/ü")).toBe(true);
    const [method] = (await call(A, "GET", `/api/v1/invoices/${invoice.id}/payment-methods`)).json;
    expect(method).toMatchObject({ totalPaid: "0.00039980", due: "0.00000000", payments: [{ status: "Settled" }] });
    // Nothing is pending any more, nor payable.
    expect((await helper(`/invoices/${invoice.id}/confirm`)).status).toBe(409);
    expect(await pay(invoice.id, "full")).toMatchObject({ status: 409, json: { code: "invalid-state" } });
  });

  it("Pay partially: InvoiceReceivedPayment, PaidPartial and still New; on expiry InvoiceExpired with partiallyPaid, then only Pay after expiry", async () => {
    const invoice = await newInvoice();
    expect((await pay(invoice.id, "partial")).json).toEqual({ redirect: null });
    expect(await getInvoice(invoice.id)).toMatchObject({ status: "New", additionalStatus: "PaidPartial", paidAmount: "10.00" });
    const expired = await fetch(`${emulator.url}/i/${invoice.id}/expire`, { method: "POST", redirect: "manual" });
    expect(expired.headers.get("location")).toBe(invoice.checkoutLink);
    expect(await getInvoice(invoice.id)).toMatchObject({ status: "Expired", additionalStatus: "PaidPartial" });
    await helper(`/invoices/${invoice.id}/confirm`);
    const events = await eventsAbout(invoice.id);
    expect(events.map((e) => e.type)).toEqual(["InvoiceCreated", "InvoiceReceivedPayment", "InvoiceExpired", "InvoicePaymentSettled"]);
    expect(events[1]).toMatchObject({ afterExpiration: false, payment: { value: "0.00019990" } });
    expect(events[2]).toMatchObject({ partiallyPaid: true });
    // The confirmation came after expiry.
    expect(events[3]).toMatchObject({ afterExpiration: true });
    const html = await fetch(invoice.checkoutLink).then((r) => r.text());
    expect(html).toContain(`action="/i/${invoice.id}/late"`);
    expect(html).not.toContain(`action="/i/${invoice.id}/full"`);
  });

  it("Overpay: as in full, with overPaid and PaidOver", async () => {
    const invoice = await newInvoice();
    expect((await pay(invoice.id, "over")).json.redirect).toBe(`https://shop.example/return/${invoice.metadata.orderId}?invoice=${invoice.id}`);
    expect(await getInvoice(invoice.id)).toMatchObject({ status: "Processing", additionalStatus: "PaidOver", paidAmount: "21.99" });
    await helper(`/invoices/${invoice.id}/confirm`);
    const events = await eventsAbout(invoice.id);
    expect(events.map((e) => e.type)).toEqual(["InvoiceCreated", "InvoiceReceivedPayment", "InvoiceProcessing", "InvoicePaymentSettled", "InvoiceSettled"]);
    expect(events[1]!.payment.value).toBe("0.00043978");
    expect(events[2]).toMatchObject({ overPaid: true });
    expect(events[4]).toMatchObject({ overPaid: true, manuallyMarked: false });
    expect(await getInvoice(invoice.id)).toMatchObject({ status: "Settled", additionalStatus: "PaidOver" });
  });

  it("Let it expire: Expired and InvoiceExpired without partiallyPaid; nothing else to do", async () => {
    const invoice = await newInvoice();
    expect((await helper(`/invoices/${invoice.id}/expire`)).json).toMatchObject({ status: "Expired", additionalStatus: "None" });
    expect((await eventsAbout(invoice.id)).slice(1)).toEqual([expect.objectContaining({ type: "InvoiceExpired", partiallyPaid: false })]);
    expect((await helper(`/invoices/${invoice.id}/expire`)).status).toBe(409);
    expect((await fetch(`${emulator.url}/i/${invoice.id}/expire`, { method: "POST" })).status).toBe(409);
  });

  it("Pay after expiry: the invoice expires first, then InvoiceReceivedPayment with afterExpiration, PaidLate, and it stays Expired", async () => {
    const invoice = await newInvoice();
    const res = await fetch(`${emulator.url}/i/${invoice.id}/late`, { method: "POST", redirect: "manual" });
    expect(res.headers.get("location")).toBe(invoice.checkoutLink);
    expect(await getInvoice(invoice.id)).toMatchObject({ status: "Expired", additionalStatus: "PaidLate", paidAmount: "19.99" });
    await helper(`/invoices/${invoice.id}/confirm`);
    const events = await eventsAbout(invoice.id);
    expect(events.map((e) => e.type)).toEqual(["InvoiceCreated", "InvoiceExpired", "InvoiceReceivedPayment", "InvoicePaymentSettled"]);
    expect(events[1]).toMatchObject({ partiallyPaid: false });
    expect(events[2]).toMatchObject({ afterExpiration: true });
    expect(events[3]).toMatchObject({ afterExpiration: true });
    expect(await getInvoice(invoice.id)).toMatchObject({ status: "Expired", additionalStatus: "PaidLate" });
    // Nothing is due any more.
    expect((await pay(invoice.id, "late")).status).toBe(409);
  });

  it("returns to the checkout when not redirecting automatically (with a Return to store link), and has no redirect for a URL that is not http(s)", async () => {
    const invoice = await newInvoice({ checkout: { expirationMinutes: 60, redirectURL: "https://shop.example/thanks?i={invoiceid}&s={Status}", redirectAutomatically: false } });
    const res = await fetch(`${emulator.url}/i/${invoice.id}/full`, { method: "POST", redirect: "manual" });
    expect(res.headers.get("location")).toBe(invoice.checkoutLink);
    const html = await fetch(invoice.checkoutLink).then((r) => r.text());
    expect(html).toContain(`<a href="https://shop.example/thanks?i=${invoice.id}&#38;s=Processing">Return to store</a>`);

    const local = await newInvoice({ checkout: { redirectURL: "shop.example/{OrderId}", redirectAutomatically: true } });
    expect((await pay(local.id, "full")).json).toEqual({ redirect: null });
    const none = await newInvoice({ checkout: {} });
    expect((await pay(none.id, "full")).json).toEqual({ redirect: null });
    const bad = await helper(`/invoices/${none.id}/pay`, { kind: "twice" });
    expect({ status: bad.status, paths: paths(bad.json) }).toEqual({ status: 422, paths: ["kind"] });
    expect((await helper("/invoices/HMprBnL9BTXWuPvpoKBS6e/pay", { kind: "full" })).status).toBe(404);
  });

  it("takes its steps by itself: a payment confirms after stepMs, an invoice expires after expirationMinutes × expiryScale", async () => {
    const { json: paid } = await timedInvoice();
    await helper(`/invoices/${paid.id}/pay`, { kind: "full" }, "POST", timed.url);
    expect(await until(async () => (await getInvoice(paid.id, timed.url)).status === "Settled")).toBe(true);
    expect(await typesAbout(paid.id, timed.url)).toEqual(["InvoiceCreated", "InvoiceReceivedPayment", "InvoiceProcessing", "InvoicePaymentSettled", "InvoiceSettled"]);

    // One minute is 10 ms here; the invoice's expirationTime says when it expires.
    const { json: idle } = await createInvoice({ checkout: { expirationMinutes: 3 } }, A, timed.url);
    expect(idle.expirationTime - idle.createdTime).toBeLessThanOrEqual(1);
    expect(await until(async () => (await getInvoice(idle.id, timed.url)).status === "Expired")).toBe(true);
    expect(await typesAbout(idle.id, timed.url)).toEqual(["InvoiceCreated", "InvoiceExpired"]);
    // A paid invoice does not expire.
    expect((await getInvoice(paid.id, timed.url)).status).toBe("Settled");
  });

  it("confirm runs the pending step now, once", async () => {
    const invoice = await newInvoice();
    await pay(invoice.id, "full");
    expect((await helper(`/invoices/${invoice.id}/confirm`)).json.status).toBe("Settled");
    expect((await helper(`/invoices/${invoice.id}/confirm`)).status).toBe(409);
    expect((await typesAbout(invoice.id)).filter((t) => t === "InvoiceSettled")).toHaveLength(1);
  });
});

describe("marking", () => {
  it("marks as BTCPay allows: Settled or Invalid from New, Processing or Expired, then the other; never a Settled invoice Settled", async () => {
    const settled = await newInvoice();
    const marked = await call(A, "POST", `/api/v1/stores/${A.storeId}/invoices/${settled.id}/status`, { status: "Settled" });
    expect(marked.json).toMatchObject({ status: "Settled", additionalStatus: "Marked", availableStatusesForManualMarking: ["Invalid"] });
    expect((await eventsAbout(settled.id)).slice(1)).toEqual([expect.objectContaining({ type: "InvoiceSettled", manuallyMarked: true, overPaid: false })]);
    // A marked invoice can be marked the other way.
    const invalid = await call(A, "POST", `/api/v1/invoices/${settled.id}/status`, { status: "Invalid" });
    expect(invalid.json).toMatchObject({ status: "Invalid", additionalStatus: "Marked", availableStatusesForManualMarking: ["Settled"] });
    expect((await eventsAbout(settled.id)).at(-1)).toMatchObject({ type: "InvoiceInvalid", manuallyMarked: true });

    const paid = await paidInvoice();
    const refused = await call(A, "POST", `/api/v1/invoices/${paid.id}/status`, { status: "Settled" });
    expect(refused).toEqual({ status: 422, json: [{ path: "status", message: "Status can only be marked to invalid or settled within certain conditions." }] });
    const wrong = await call(A, "POST", `/api/v1/invoices/${paid.id}/status`, { status: "New" });
    expect({ status: wrong.status, paths: paths(wrong.json) }).toEqual({ status: 422, paths: ["status"] });

    // Marked Settled while Processing: the confirmation settles the payment, not the invoice again.
    const processing = await newInvoice();
    await pay(processing.id, "full");
    await call(A, "POST", `/api/v1/invoices/${processing.id}/status`, { status: "Settled" });
    await helper(`/invoices/${processing.id}/confirm`);
    expect(await typesAbout(processing.id)).toEqual(["InvoiceCreated", "InvoiceReceivedPayment", "InvoiceProcessing", "InvoiceSettled", "InvoicePaymentSettled"]);
    expect(await getInvoice(processing.id)).toMatchObject({ status: "Settled", additionalStatus: "Marked" });
  });
});

describe("refunds", () => {
  it("refunds only a Settled or Invalid invoice, or an Expired one that was paid", async () => {
    const fresh = await newInvoice();
    expect(await refund(fresh.id, { refundVariant: "Fiat" })).toEqual({ status: 400, json: { code: "non-refundable", message: "Cannot refund this invoice" } });
    await pay(fresh.id, "full");
    expect((await refund(fresh.id, { refundVariant: "Fiat" })).status).toBe(400);
    const expired = await newInvoice();
    await helper(`/invoices/${expired.id}/expire`);
    expect((await refund(expired.id, { refundVariant: "Fiat" })).status).toBe(400);

    const partial = await newInvoice();
    await pay(partial.id, "partial");
    await helper(`/invoices/${partial.id}/expire`);
    expect((await refund(partial.id, { refundVariant: "Fiat" })).json).toMatchObject({ currency: "USD", amount: "10.00" });
    // Marked settled without a payment: BTCPay takes it as paid in full.
    const marked = await newInvoice();
    await call(A, "POST", `/api/v1/invoices/${marked.id}/status`, { status: "Settled" });
    expect((await refund(marked.id, { refundVariant: "Fiat" })).json).toMatchObject({ amount: "19.99" });
    // Marked invalid without a payment: nothing to give back.
    const nothing = await newInvoice();
    await call(A, "POST", `/api/v1/invoices/${nothing.id}/status`, { status: "Invalid" });
    expect(paths((await refund(nothing.id, { refundVariant: "Fiat" })).json)).toEqual(["refundVariant"]);
  });

  it("Fiat refunds the whole paid amount in the invoice currency, not auto-approved; after it nothing more", async () => {
    const invoice = await paidInvoice();
    const res = await refund(invoice.id, { refundVariant: "Fiat", name: "Refund PY-1", description: "Broken mug" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: expect.stringMatching(BASE58_ID(28)), name: "Refund PY-1", description: "Broken mug", currency: "USD", amount: "19.99", autoApproveClaims: false, archived: false });
    expect(res.json.viewLink).toBe(`${emulator.url}/pull-payments/${res.json.id}`);
    for (const body of [{ refundVariant: "Fiat" }, { refundVariant: "Custom", customAmount: "0.01", customCurrency: "USD" }, { refundVariant: "RateThen" }]) {
      const again = await refund(invoice.id, body);
      expect({ status: again.status, message: again.json[0]?.message }, body.refundVariant).toEqual({ status: 422, message: "The refund (" + (body.refundVariant === "Custom" ? "0.01" : "19.99") + " USD) is more than the 0.00 USD left to refund of the 19.99 USD paid." });
    }
  });

  it("Custom refunds part, in the invoice currency or in BTC, never more than is left; each refund is a new pull payment", async () => {
    const invoice = await paidInvoice("over");
    const first = await refund(invoice.id, { refundVariant: "Custom", customAmount: "5.00", customCurrency: "usd" });
    expect(first.json).toMatchObject({ currency: "USD", amount: "5.00", autoApproveClaims: false });
    const same = await refund(invoice.id, { refundVariant: "Custom", customAmount: "5.00", customCurrency: "USD" });
    expect(same.status).toBe(200);
    expect(same.json.id).not.toBe(first.json.id);
    const inBtc = await refund(invoice.id, { refundVariant: "Custom", customAmount: "0.0001", customCurrency: "BTC" });
    expect(inBtc.json).toMatchObject({ currency: "BTC", amount: "0.00010000", autoApproveClaims: true });
    // Paid 21.99 (overpaid); refunded 5 + 5 + 5 (0.0001 BTC): 6.99 left.
    const tooMuch = await refund(invoice.id, { refundVariant: "Custom", customAmount: "7.00", customCurrency: "USD" });
    expect(tooMuch).toEqual({ status: 422, json: [{ path: "customAmount", message: "The refund (7.00 USD) is more than the 6.99 USD left to refund of the 21.99 USD paid." }] });
    expect((await refund(invoice.id, { refundVariant: "Custom", customAmount: "6.99", customCurrency: "USD" })).status).toBe(200);

    const listed = (await call(A, "GET", `/api/v1/stores/${A.storeId}/pull-payments`)).json as Json[];
    expect(listed.slice(0, 4).map((pp) => pp.amount)).toEqual(["6.99", "0.00010000", "5.00", "5.00"]);
    // Shown to anyone who has the link.
    expect(await call(null, "GET", `/api/v1/pull-payments/${first.json.id}`)).toEqual({ status: 200, json: first.json });
    expect(await call(null, "GET", "/api/v1/pull-payments/nope")).toEqual({ status: 404, json: { code: "pullpayment-not-found", message: "The pull payment was not found" } });
    expect((await call(B, "GET", `/api/v1/stores/${B.storeId}/pull-payments`)).json).toEqual([]);
  });

  it("OverpaidAmount and RateThen refund BTC, auto-approved", async () => {
    const over = await paidInvoice("over");
    expect((await refund(over.id, { refundVariant: "OverpaidAmount" })).json).toMatchObject({ currency: "BTC", amount: "0.00003998", autoApproveClaims: true });
    expect((await refund(over.id, { refundVariant: "RateThen" })).status).toBe(422);
    const exact = await paidInvoice();
    expect(paths((await refund(exact.id, { refundVariant: "OverpaidAmount" })).json)).toEqual(["refundVariant"]);
    expect((await refund(exact.id, { refundVariant: "RateThen" })).json).toMatchObject({ currency: "BTC", amount: "0.00039980" });
  });

  it("refuses a malformed refund by field; the contract's paymentMethod is ignored, as BTCPay ignores it", async () => {
    const invoice = await paidInvoice();
    const cases: Array<[Json, string[]]> = [
      [{}, ["refundVariant"]],
      [{ refundVariant: "Everything" }, ["refundVariant"]],
      [{ refundVariant: "Fiat", customAmount: "1.00" }, ["customAmount"]],
      [{ refundVariant: "Custom", customCurrency: "USD" }, ["customAmount"]],
      [{ refundVariant: "Custom", customAmount: "1.001", customCurrency: "USD" }, ["customAmount"]],
      [{ refundVariant: "Custom", customAmount: "0", customCurrency: "USD" }, ["customAmount"]],
      [{ refundVariant: "Custom", customAmount: "1.00", customCurrency: "dollars" }, ["customCurrency"]],
      [{ refundVariant: "Fiat", payoutMethods: ["BTC-LN"] }, ["payoutMethods", "payoutMethods"]],
      [{ refundVariant: "Fiat", payoutMethodId: "LTC-CHAIN" }, ["payoutMethodId"]],
      [{ refundVariant: "Fiat", subtractPercentage: "2.1" }, ["subtractPercentage"]],
    ];
    for (const [body, fields] of cases) {
      const res = await call(A, "POST", `/api/v1/invoices/${invoice.id}/refund`, body);
      expect({ status: res.status, paths: paths(res.json) }, JSON.stringify(body)).toEqual({ status: 422, paths: fields });
    }
    const contract = await call(A, "POST", `/api/v1/invoices/${invoice.id}/refund`, { refundVariant: "Custom", paymentMethod: "BTC-CHAIN", customAmount: "1.00", customCurrency: "USD" });
    expect(contract.json).toMatchObject({ amount: "1.00", name: `Refund ${invoice.id}`, description: null });
    expect((await call(A, "POST", `/api/v1/invoices/${invoice.id}/refund`, { refundVariant: "Custom", payoutMethods: ["BTC-CHAIN"], customAmount: "1.00", customCurrency: "USD" })).status).toBe(200);
  });
});

describe("claims and payouts", () => {
  it("the claim page takes a destination; a claim is PayoutCreated, PayoutApproved, then on completion PayoutUpdated Completed", async () => {
    const invoice = await paidInvoice();
    const { json: pp } = await refund(invoice.id, { refundVariant: "Fiat" });
    const page = await fetch(pp.viewLink).then((r) => r.text());
    expect(page).toContain("19.99 USD");
    expect(page).toContain(`<form method="post" action="/pull-payments/${pp.id}/claim"><label>Destination <input name="destination"`);
    expect(page).toContain(`<button type="submit">Claim</button>`);

    const destination = "bcrt1qclaimdestination0000000000000000000000";
    const res = await fetch(`${emulator.url}/pull-payments/${pp.id}/claim`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ destination }).toString(),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(pp.viewLink);
    const [payout] = (await call(null, "GET", `/api/v1/pull-payments/${pp.id}/payouts`)).json as Json[];
    expect(payout).toMatchObject({
      id: expect.stringMatching(BASE58_ID(28)),
      pullPaymentId: pp.id,
      destination,
      payoutMethodId: "BTC-CHAIN",
      originalAmount: "19.99",
      originalCurrency: "USD",
      payoutCurrency: "BTC",
      payoutAmount: "0.00039980",
      state: "AwaitingPayment",
      paymentProof: null,
    });
    expect((await fetch(pp.viewLink).then((r) => r.text())).includes("<form")).toBe(false);
    expect((await helper(`/pull-payments/${pp.id}/claim`)).status).toBe(409);

    const completed = await helper(`/payouts/${payout!.id}/complete`);
    expect(completed.json).toMatchObject({ state: "Completed", paymentProof: { proofType: "PayoutTransactionOnChainBlob", transactionId: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const events = await eventsAbout(payout!.id);
    expect(events.map((e) => [e.type, e.payoutState])).toEqual([
      ["PayoutCreated", "AwaitingApproval"],
      ["PayoutApproved", "AwaitingPayment"],
      ["PayoutUpdated", "Completed"],
    ]);
    expect(events.every((e) => e.pullPaymentId === pp.id && e.storeId === A.storeId)).toBe(true);
    expect((await helper(`/payouts/${payout!.id}/complete`)).status).toBe(409);
    expect((await helper(`/payouts/${payout!.id}/cancel`)).status).toBe(409);
    expect((await call(null, "GET", `/api/v1/pull-payments/${pp.id}/payouts/${payout!.id}`)).json).toEqual(completed.json);
  });

  it("a cancelled payout leaves the list (unless asked for) and its amount can be claimed again", async () => {
    const invoice = await paidInvoice();
    const { json: pp } = await refund(invoice.id, { refundVariant: "Custom", customAmount: "0.0002", customCurrency: "BTC" });
    const claimed = await helper(`/pull-payments/${pp.id}/claim`);
    expect(claimed.json).toMatchObject({ destination: expect.stringMatching(/^bcrt1q/), payoutAmount: "0.00020000", state: "AwaitingPayment" });
    expect((await helper(`/payouts/${claimed.json.id}/cancel`)).json.state).toBe("Cancelled");
    expect((await eventsAbout(claimed.json.id)).at(-1)).toMatchObject({ type: "PayoutUpdated", payoutState: "Cancelled" });
    expect((await call(null, "GET", `/api/v1/pull-payments/${pp.id}/payouts`)).json).toEqual([]);
    expect((await call(null, "GET", `/api/v1/pull-payments/${pp.id}/payouts?includeCancelled=true`)).json).toHaveLength(1);
    const again = await helper(`/pull-payments/${pp.id}/claim`, { destination: "bcrt1qagain" });
    expect(again.json).toMatchObject({ destination: "bcrt1qagain", originalAmount: "0.00020000" });
    expect((await helper(`/pull-payments/${pp.id}/claim`, { destination: " " })).status).toBe(422);
    expect((await helper("/payouts/nope/complete")).status).toBe(404);
  });

  it("an approved payout completes by itself after stepMs", async () => {
    const { json: invoice } = await timedInvoice();
    await helper(`/invoices/${invoice.id}/pay`, { kind: "full" }, "POST", timed.url);
    await until(async () => (await getInvoice(invoice.id, timed.url)).status === "Settled");
    const { json: pp } = await call(A, "POST", `/api/v1/invoices/${invoice.id}/refund`, { refundVariant: "Fiat" }, timed.url);
    const { json: payout } = await helper(`/pull-payments/${pp.id}/claim`, {}, "POST", timed.url);
    expect(await until(async () => (await typesAbout(payout.id, timed.url)).includes("PayoutUpdated"))).toBe(true);
    expect((await call(null, "GET", `/api/v1/pull-payments/${pp.id}/payouts/${payout.id}`, undefined, timed.url)).json.state).toBe("Completed");
  });
});

describe("webhooks", () => {
  it("posts each event to its store's URL in order, signed BTCPay-Sig sha256=HMAC(secret, raw body), the body indented as BTCPay writes it", async () => {
    const invoice = await paidInvoice();
    const delivered = await until(() => {
      const about = received.filter((r) => r.body.toString("utf8").includes(invoice.id));
      return about.length === 5 && about;
    });
    expect(delivered).not.toBe(false);
    const events = (delivered as typeof received).map((r) => JSON.parse(r.body.toString("utf8")) as Json);
    expect(events.map((e) => e.type)).toEqual(["InvoiceCreated", "InvoiceReceivedPayment", "InvoiceProcessing", "InvoicePaymentSettled", "InvoiceSettled"]);
    for (const { path, headers, body } of delivered as typeof received) {
      expect(path).toBe("/a");
      expect(headers["content-type"]).toBe("application/json");
      const expected = Buffer.from(`sha256=${createHmac("sha256", A.webhookSecret).update(body).digest("hex")}`);
      expect(timingSafeEqual(Buffer.from(String(headers["btcpay-sig"])), expected)).toBe(true);
      // Signed over the UTF-8 bytes (the metadata holds "à"), and not with another store's secret.
      expect(body.toString("utf8")).toContain("Tasse à café");
      expect(headers["btcpay-sig"]).not.toBe(`sha256=${createHmac("sha256", B.webhookSecret).update(body).digest("hex")}`);
      expect(body.toString("utf8")).toBe(JSON.stringify(JSON.parse(body.toString("utf8")), null, 2));
    }
    const first = events[0]!;
    expect(first).toEqual({
      deliveryId: expect.stringMatching(BASE58_ID(22)),
      webhookId: expect.stringMatching(BASE58_ID(22)),
      originalDeliveryId: first.deliveryId,
      isRedelivery: false,
      type: "InvoiceCreated",
      timestamp: expect.any(Number),
      storeId: A.storeId,
      invoiceId: invoice.id,
      metadata: invoice.metadata,
    });
    expect(new Set(events.map((e) => e.webhookId)).size).toBe(1);

    // B's go to B's URL, signed with B's secret.
    const { json: other } = await createInvoice({}, B);
    const toB = await until(() => received.find((r) => r.body.toString("utf8").includes(other.id)));
    expect(toB!.path).toBe("/b");
    expect(toB!.headers["btcpay-sig"]).toBe(`sha256=${createHmac("sha256", B.webhookSecret).update(toB!.body).digest("hex")}`);
  });

  it("redelivers an event its endpoint answers 5xx, each retry a new delivery of the first, every attempt recorded; later events wait their turn", async () => {
    const invoice = await newInvoice();
    await deliveredAbout(invoice.id);
    Object.assign(refusing, { id: invoice.id, count: 2, status: 503 });
    await pay(invoice.id, "full");
    const chain = await until(async () => {
      const records = (await webhooks()).filter((w) => w.type === "InvoiceReceivedPayment" && w.body.includes(invoice.id));
      return records.length === 3 && records.every((r) => r.attempts.length === 1) && records;
    });
    expect(chain).not.toBe(false);
    const [first, ...retries] = chain as BTCPayWebhookRecord[];
    expect(first!.attempts.map((a) => a.status)).toEqual([503]);
    expect(retries.map((r) => r.attempts[0]!.status)).toEqual([503, 200]);
    for (const retry of retries) {
      expect(retry).toMatchObject({ originalDeliveryId: first!.deliveryId, isRedelivery: true });
      expect(retry.deliveryId).not.toBe(first!.deliveryId);
      const { deliveryId, isRedelivery, ...rest } = JSON.parse(retry.body);
      const { deliveryId: _, isRedelivery: __, ...firstRest } = JSON.parse(first!.body);
      expect({ deliveryId, isRedelivery, rest }).toEqual({ deliveryId: retry.deliveryId, isRedelivery: true, rest: firstRest });
      expect(retry.headers["BTCPay-Sig"]).toBe(`sha256=${createHmac("sha256", A.webhookSecret).update(retry.body).digest("hex")}`);
    }
    // The store's next event (InvoiceProcessing) was sent after the retries, not between them.
    const order = received.filter((r) => r.body.toString("utf8").includes(invoice.id)).map((r) => JSON.parse(r.body.toString("utf8")).type);
    expect(order.slice(1, 5)).toEqual(["InvoiceReceivedPayment", "InvoiceReceivedPayment", "InvoiceReceivedPayment", "InvoiceProcessing"]);
  });

  it("does not retry a 4xx answer (other than 408 and 429), as BTCPay", async () => {
    const invoice = await newInvoice();
    await deliveredAbout(invoice.id);
    Object.assign(refusing, { id: invoice.id, count: 1, status: 400 });
    await helper(`/invoices/${invoice.id}/expire`);
    const expired = await until(async () => (await webhooks()).find((w) => w.type === "InvoiceExpired" && w.body.includes(invoice.id) && w.attempts.length === 1));
    expect(expired!.attempts[0]!.status).toBe(400);
    await new Promise((r) => setTimeout(r, 100));
    expect((await webhooks()).filter((w) => w.body.includes(invoice.id) && w.type === "InvoiceExpired")).toHaveLength(1);
  });

  it("redelivers on request as BTCPay's UI does: a new deliveryId, the first's originalDeliveryId, isRedelivery, the same event", async () => {
    const invoice = await newInvoice();
    const [created] = (await webhooks()).filter((w) => w.body.includes(invoice.id));
    const redelivered = await helper(`/webhooks/${created!.deliveryId}/redeliver`);
    expect(redelivered.json).toMatchObject({ originalDeliveryId: created!.deliveryId, isRedelivery: true, type: "InvoiceCreated", storeId: A.storeId });
    const again = await helper(`/webhooks/${redelivered.json.deliveryId}/redeliver`);
    expect(again.json.originalDeliveryId).toBe(created!.deliveryId);
    const bodies = await until(() => {
      const about = received.filter((r) => r.body.toString("utf8").includes(invoice.id)).map((r) => JSON.parse(r.body.toString("utf8")) as Json);
      return about.length === 3 && about;
    });
    const [original, first, second] = bodies as Json[];
    expect(new Set([original!.deliveryId, first!.deliveryId, second!.deliveryId]).size).toBe(3);
    for (const copy of [first!, second!]) {
      expect(copy).toEqual({ ...original, deliveryId: copy.deliveryId, isRedelivery: true });
    }
    expect((await helper("/webhooks/nope/redeliver")).status).toBe(404);
  });

  it("lists the webhooks of a store without a URL, and records an unreachable URL's attempts as failures", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`;
    await new Promise((done) => closed.close(done));
    const silent = (await helper("/stores", { apiKey: "k-silent", webhookSecret: "s-silent" })).json;
    const unreachable = (await helper("/stores", { apiKey: "k-dead", webhookSecret: "s-dead", webhookUrl: deadUrl })).json;
    for (const [store, attempts] of [[{ ...silent, apiKey: "k-silent" }, 0], [{ ...unreachable, apiKey: "k-dead" }, 3]] as const) {
      const { json } = await createInvoice({}, store);
      const records = await until(async () => {
        const about = (await webhooks()).filter((w) => w.body.includes(json.id));
        return about.length === Math.max(attempts, 1) && about.every((w) => w.attempts.length === (attempts ? 1 : 0)) && about;
      });
      expect(records, `${attempts} attempts`).not.toBe(false);
      expect((records as BTCPayWebhookRecord[]).flatMap((w) => w.attempts).every((a) => a.status === null && typeof a.error === "string")).toBe(true);
    }
  });

  it("/_emulator/sign gives the header for a body a test makes", async () => {
    const body = JSON.stringify({ type: "InvoiceSettled", invoiceId: "x" });
    const signed = await helper("/sign", { body, secret: A.webhookSecret });
    expect(signed.json).toEqual({ "BTCPay-Sig": `sha256=${createHmac("sha256", A.webhookSecret).update(body, "utf8").digest("hex")}` });
    expect(paths((await helper("/sign", { secret: "s" })).json)).toEqual(["body"]);
    expect(paths((await helper("/sign", { body })).json)).toEqual(["secret"]);
  });
});

describe("test helpers", () => {
  it("fail-next answers the next matching calls with Greenfield's error for the status, doing nothing", async () => {
    expect((await helper("/fail-next", { path: `/api/v1/stores/${A.storeId}/invoices`, method: "post", status: 503, count: 2 })).json).toEqual({ failing: 2 });
    const request = invoiceRequest();
    // Another method on the path is not matched.
    expect((await call(A, "GET", `/api/v1/stores/${A.storeId}/invoices?orderId=${request.metadata.orderId}`)).json).toEqual([]);
    for (let i = 0; i < 2; i++) {
      expect(await call(A, "POST", `/api/v1/stores/${A.storeId}/invoices`, request)).toEqual({
        status: 503,
        json: { code: "service-unavailable", message: "Service Unavailable (injected by /_emulator/fail-next)" },
      });
    }
    expect((await call(A, "GET", `/api/v1/stores/${A.storeId}/invoices?orderId=${request.metadata.orderId}`)).json).toEqual([]);
    expect((await call(A, "POST", `/api/v1/stores/${A.storeId}/invoices`, request)).status).toBe(200);

    await helper("/fail-next", { path: "/api/v1/pull-payments", status: 500 });
    expect(await call(null, "GET", "/api/v1/pull-payments/nope")).toMatchObject({ status: 500, json: { code: "internal-server-error" } });
    await helper("/fail-next", { status: 401 });
    expect((await call(A, "GET", `/api/v1/stores/${A.storeId}`)).json.code).toBe("unauthenticated");
    await helper("/fail-next", { status: 422 });
    expect((await call(A, "GET", `/api/v1/stores/${A.storeId}`)).status).toBe(422);
    expect((await call(A, "GET", `/api/v1/stores/${A.storeId}`)).status).toBe(200);
    for (const [body, field] of [[{ status: 200 }, "status"], [{ status: 500, count: 0 }, "count"], [{ status: 500, path: "api" }, "path"]] as const) {
      expect(paths((await helper("/fail-next", body)).json)).toEqual([field]);
    }
  });

  it("lists the calls received, with their key, query and body, and clears them", async () => {
    expect((await helper("/requests", undefined, "DELETE")).status).toBe(200);
    const request = invoiceRequest();
    await call(A, "POST", `/api/v1/stores/${A.storeId}/invoices`, request);
    await call(A, "GET", `/api/v1/stores/${A.storeId}/invoices?orderId=${request.metadata.orderId}`);
    const requests = (await helper("/requests", undefined, "GET")).json as BTCPayRequestRecord[];
    expect(requests).toEqual([
      expect.objectContaining({ method: "POST", path: `/api/v1/stores/${A.storeId}/invoices`, query: "", headers: expect.objectContaining({ authorization: `token ${A.apiKey}` }), body: request }),
      expect.objectContaining({ method: "GET", query: `orderId=${request.metadata.orderId}`, body: null }),
    ]);
    expect((await helper("/requests", undefined, "DELETE")).json).toEqual({ cleared: 2 });
  });
});
