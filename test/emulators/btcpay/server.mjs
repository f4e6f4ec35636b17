// A local BTCPay Server emulator for tests and local development. It speaks the Greenfield API's
// wire format for the calls the platform makes, as BTCPay's published document describes them
// (test/data/btcpay-openapi, merged from its fragments; request bodies are validated against it)
// and as BTCPay's source at the same commit writes them: `Authorization: token <api key>`, stores,
// invoices (create, list by orderId, show, payment methods, mark, refund), pull payments and their
// payouts, Greenfield's errors (`{code, message}`, and `[{path, message}]` for validation), and
// webhooks signed `BTCPay-Sig: sha256=<hex HMAC-SHA256(secret, body)>`, one at a time per store,
// each retry a redelivery. Payments are made on the buyer's checkout page (/i/{invoiceId}) and
// refunds claimed on the pull payment's page (/pull-payments/{id}); each has a form per button.
// Amounts in BTC come from a fixed rate table. It holds several stores, each with its own API key,
// webhook secret and webhook URL; a key only reaches its own store. Test helpers under /_emulator
// add stores, press the buttons, run the pending steps now, inject failures, set a store's failure
// condition for new invoices, and hand out what it received and sent.
//
//   node test/emulators/btcpay/server.mjs --port 12123 --store-id … --api-key … \
//     --webhook-secret … [--webhook-url http://127.0.0.1:8787/api/v1/webhooks/btcpay] [--step-ms 1000]
import { createHash, createHmac, randomBytes } from "node:crypto";
import { STATUS_CODES, createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { conditionsBy, readCondition } from "../conditions.mjs";
import { DOC, loadBTCPaySpecs } from "./openapi.mjs";

// ---- money: decimal strings computed as BigInt counts of minor units (satoshis for BTC)

// ISO 4217 currencies without minor units, and with three decimals; every other takes two.
const ZERO_DECIMALS = new Set("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(" "));
const THREE_DECIMALS = new Set("BHD IQD JOD KWD LYD OMR TND".split(" "));
const SATS_PER_BTC = 100_000_000n;
/** The decimals of `currency`: its ISO 4217 exponent, 8 for BTC. */
const exponentOf = (currency) => (currency === "BTC" ? 8 : ZERO_DECIMALS.has(currency) ? 0 : THREE_DECIMALS.has(currency) ? 3 : 2);

// Units of each currency per BTC, fixed so that amounts are predictable; another currency gets a
// rate derived from its code (see rateOf).
const RATES = {
  BTC: "1",
  USD: "50000",
  EUR: "46000",
  GBP: "39500",
  CHF: "44500",
  CAD: "68500",
  AUD: "76500",
  JPY: "7500000",
  CNY: "362000",
  INR: "4170000",
  BRL: "250000",
  KRW: "68500000",
  KWD: "15400",
};

/** `text` (a sign, digits, an optional fraction) in minor units of `exponent` decimals; null when it has more decimals. */
function toMinor(text, exponent) {
  if (text.startsWith("-")) {
    const minor = toMinor(text.slice(1), exponent);
    return minor === null ? null : -minor;
  }
  const [whole, fraction = ""] = text.split(".");
  if (fraction.length > exponent) return null;
  return BigInt(whole) * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, "0") || "0");
}

function formatMinor(minor, exponent) {
  const digits = String(minor < 0n ? -minor : minor).padStart(exponent + 1, "0");
  const text = exponent ? `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}` : digits;
  return minor < 0n ? `-${text}` : text;
}

const btc = (sats) => formatMinor(sats, 8);
const divideUp = (a, b) => (a + b - 1n) / b;
const divideRounded = (a, b) => (2n * a + b) / (2n * b);
const digest = (seed) => createHash("sha256").update(seed).digest();

/** Minor units of `currency` per BTC: the table's, else between 5,000 and 5,000,000 units derived from the code. */
function rateOf(currency) {
  const exponent = exponentOf(currency);
  if (Object.hasOwn(RATES, currency)) return toMinor(RATES[currency], exponent);
  return BigInt(5_000 * ((digest(currency).readUInt16BE(0) % 1000) + 1)) * 10n ** BigInt(exponent);
}
/** Satoshis that buy `minor` units at `rate`, rounded up so that they always cover them. */
const satsFor = (minor, rate) => divideUp(minor * SATS_PER_BTC, rate);
/** What `sats` are worth at `rate`, in minor units. */
const valueOf = (sats, rate) => divideRounded(sats * rate, SATS_PER_BTC);

// ---- ids, as BTCPay makes them (base58 of random bytes) and as bitcoin writes them

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const idFrom = (alphabet, length, bytes = randomBytes(length)) => Array.from(bytes.subarray(0, length), (b) => alphabet[b % alphabet.length]).join("");
/** Store ids are 32 random bytes in base58, invoice, webhook and delivery ids 16, pull payment and payout ids 20. */
const newStoreId = () => idFrom(BASE58, 44);
const shortId = () => idFrom(BASE58, 22);
const longId = () => idFrom(BASE58, 28);
const txid = () => randomBytes(32).toString("hex");
/** A regtest P2WPKH address (its checksum is not computed). */
const address = () => `bcrt1q${idFrom(BECH32, 38)}`;

const seconds = (ms) => Math.floor(ms / 1000);
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** As .NET's HttpUtility.UrlEncode, with which BTCPay fills a redirect URL's placeholders: `+` for a space, lower-case hex, `'` and `~` escaped. */
const urlEncode = (text) =>
  encodeURIComponent(text)
    .replace(/['~]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)
    .replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())
    .replaceAll("%20", "+");

// ---- Greenfield's answers

const ok = (body) => ({ status: 200, body });
const apiError = (status, code, message) => ({ status, body: { code, message } });
/** Greenfield's validation error: one `{path, message}` per refused field, `path` as JSON names it (`checkout.expirationMinutes`). */
const validationError = (...problems) => ({ status: 422, body: problems.map(([path, message]) => ({ path, message })) });
const unauthenticated = (message) => apiError(401, "unauthenticated", message);
/** What BTCPay answers a key that lacks the permission for the store it asks about. */
const permissionError = (permission) => ({
  status: 403,
  body: {
    missingPermission: permission,
    code: "missing-permission",
    message: `Insufficient API Permissions. Please use an API key with permission "${permission}". You can create an API key in your account's settings / Api Keys.`,
  },
});
const invoiceNotFound = () => apiError(404, "invoice-not-found", "The invoice was not found");
const pullPaymentNotFound = () => apiError(404, "pullpayment-not-found", "The pull payment was not found");
const payoutNotFound = () => apiError(404, "payout-not-found", "The payout was not found");
/** A test helper asked for what the object's state does not allow (not a BTCPay answer). */
const conflict = (message) => apiError(409, "invalid-state", message);

const NOT_JSON = Symbol("not JSON");
const parseJson = (raw) => {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return NOT_JSON;
  }
};
const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

/** An ajv error's field as Greenfield names it: `checkout.paymentMethods[0]`. */
function fieldOf({ instancePath, keyword, params }) {
  const segments = [...instancePath.split("/").slice(1), ...(keyword === "required" ? [params.missingProperty] : [])];
  return segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i ? `.${s}` : s)).join("");
}

// The permission each call needs (what a key of another store is told it lacks).
const VIEW_STORE = "btcpay.store.canviewstoresettings";
const VIEW_INVOICES = "btcpay.store.canviewinvoices";
const CREATE_INVOICE = "btcpay.store.cancreateinvoice";
const MODIFY_INVOICES = "btcpay.store.canmodifyinvoices";
const CREATE_REFUNDS = "btcpay.store.cancreatenonapprovedpullpayments";
const VIEW_PULL_PAYMENTS = "btcpay.store.canviewpullpayments";

// A new store's settings, as BTCPay's defaults.
const STORE_DEFAULTS = { defaultCurrency: "USD", speedPolicy: "MediumSpeed", expirationMinutes: 15, monitoringMinutes: 1440 };
const PAYMENT_METHOD = "BTC-CHAIN";
const PAY_KINDS = ["full", "partial", "over", "late"];
// BTCPay retries a delivery on these answers (and on no answer), not on other 4xx.
const retryable = (status) => status === null || status === 408 || status === 429 || status >= 500;
// setTimeout cannot wait longer; an invoice expiring later expires only through the helper.
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * `stores`: `{ storeId?, apiKey, webhookSecret, webhookUrl?, name? }` each; more can be added at
 * run time (POST /_emulator/stores). `stepMs`: the pause before a payment confirms and before an
 * approved payout completes. `expiryScale`: multiplies invoices' expirationMinutes and
 * monitoringMinutes (1 / 60000 makes minutes milliseconds). `webhookRetryDelaysMs`: the wait
 * before each redelivery of a webhook its endpoint did not take (BTCPay's are 10 s, 1 min, then
 * 10 min six times).
 */
export async function startBTCPayEmulator({ port = 12120, stores: initialStores = [], stepMs = 1000, expiryScale = 1, webhookRetryDelaysMs = [100, 500, 2000] } = {}) {
  const specs = loadBTCPaySpecs();
  const REQUEST_SCHEMAS = {
    createInvoice: specs.requestRef(DOC, "post", "/api/v1/stores/{storeId}/invoices"),
    markInvoice: specs.requestRef(DOC, "post", "/api/v1/invoices/{invoiceId}/status"),
    refundInvoice: specs.requestRef(DOC, "post", "/api/v1/invoices/{invoiceId}/refund"),
  };
  let base = ""; // the emulator's own origin, once it listens

  // ---- state

  /** store id -> { storeId, apiKey, webhookSecret, webhookUrl, webhookId, name, settings…, deliveries (the webhook queue) } */
  const stores = new Map();
  const byApiKey = new Map();
  /** invoice id -> { store, id, currency, price, rate, sats, status, additionalStatus, payments, refunds, pending, expiry, … } */
  const invoices = new Map();
  /** pull payment id -> { store, id, invoice, name, description, currency, amount, value (in the invoice's currency), payouts, … } */
  const pullPayments = new Map();
  /** payout id -> { id, pullPayment, state, amount, sats, destination, proof, pending, … } */
  const payouts = new Map();
  const requests = [];
  const webhooks = [];
  let failNext = [];
  const conditions = conditionsBy("storeId");
  const timers = new Set();
  const closing = new AbortController();

  function addStore({ storeId: id = newStoreId(), apiKey, webhookSecret, webhookUrl, name }) {
    const known = stores.get(id);
    if (known) byApiKey.delete(known.apiKey);
    const store = Object.assign(known ?? { storeId: id, webhookId: idFrom(BASE58, 22, digest(`webhook ${id}`)), deliveries: Promise.resolve(), ...STORE_DEFAULTS }, {
      apiKey,
      webhookSecret,
      webhookUrl: webhookUrl ?? null,
      name: name ?? known?.name ?? "Emulator store",
    });
    stores.set(id, store);
    byApiKey.set(apiKey, store);
    return store;
  }
  initialStores.forEach(addStore);

  /** Runs `fn` after `ms`, unless the emulator closes first; null (never) beyond setTimeout's reach. */
  function later(ms, fn) {
    if (ms > MAX_DELAY_MS) return null;
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  }
  const cancel = (timer) => {
    clearTimeout(timer);
    timers.delete(timer);
  };
  const scaledMinutes = (minutes) => minutes * 60_000 * expiryScale;

  // ---- webhooks: signed, posted one at a time per store, each retry a redelivery

  const signature = (secret, body) => `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;

  /** The delivery of `event`, as listed at /_emulator/webhooks: the body (indented, as BTCPay writes it) and its headers. */
  function signed(store, event) {
    const body = JSON.stringify(event, null, 2);
    const record = {
      deliveryId: event.deliveryId,
      originalDeliveryId: event.originalDeliveryId,
      isRedelivery: event.isRedelivery,
      webhookId: event.webhookId,
      storeId: store.storeId,
      type: event.type,
      body,
      headers: { "Content-Type": "application/json", "BTCPay-Sig": signature(store.webhookSecret, body) },
      attempts: [],
    };
    webhooks.push(record);
    return record;
  }

  /** Queues `event` behind the store's earlier ones: BTCPay sends a webhook's deliveries in order, retries included. */
  function send(store, event) {
    const record = signed(store, event);
    if (store.webhookUrl) store.deliveries = store.deliveries.then(() => deliver(store, record));
    return record;
  }

  /** Posts the delivery; one its endpoint did not take is redelivered after each of webhookRetryDelaysMs. */
  async function deliver(store, record) {
    for (let retry = 0, current = record; ; retry++) {
      const status = await post(store.webhookUrl, current);
      if (status === undefined || !retryable(status) || retry >= webhookRetryDelaysMs.length) return;
      await new Promise((resolve) => later(webhookRetryDelaysMs[retry], resolve));
      current = signed(store, redeliveryOf(current));
    }
  }

  /** The answer's status, null when the endpoint could not be reached; undefined once closing. */
  async function post(url, record) {
    let status = null;
    let error;
    try {
      const res = await fetch(url, { method: "POST", headers: record.headers, body: record.body, signal: AbortSignal.any([closing.signal, AbortSignal.timeout(10_000)]) });
      status = res.status;
      await res.arrayBuffer();
    } catch (e) {
      error = e.message;
    }
    if (closing.signal.aborted) return undefined;
    record.attempts.push({ status, at: new Date().toISOString(), ...(error ? { error } : {}) });
    return status;
  }

  /**
   * A redelivery as BTCPay makes one (its UI's button, or an automatic retry): the event read back
   * from the delivery's body with a new delivery id, the first delivery's id as originalDeliveryId,
   * and isRedelivery; fields it does not model follow the ones it does.
   */
  function redeliveryOf(record) {
    const { deliveryId, webhookId, originalDeliveryId, type, timestamp, ...rest } = JSON.parse(record.body);
    delete rest.isRedelivery;
    return { deliveryId: shortId(), webhookId, originalDeliveryId: originalDeliveryId ?? deliveryId, isRedelivery: true, type, timestamp, ...rest };
  }

  /**
   * A first delivery of `type` to the store's webhook. `specific` comes first, as .NET serializes
   * an event class's own properties before its base class's; `subject` (invoice or payout) last.
   */
  function emit(store, type, subject, specific = {}) {
    const deliveryId = shortId();
    const event = { ...specific, deliveryId, webhookId: store.webhookId, originalDeliveryId: deliveryId, isRedelivery: false, type, timestamp: seconds(Date.now()), storeId: store.storeId, ...subject };
    send(store, event);
  }
  const emitInvoice = (invoice, type, specific) => emit(invoice.store, type, { invoiceId: invoice.id, metadata: invoice.metadata }, specific);
  const emitPayout = (payout, type) =>
    emit(payout.pullPayment.store, type, { payoutId: payout.id, pullPaymentId: payout.pullPayment.id, payoutState: payout.state });

  // ---- invoices

  const paidSats = (invoice) => invoice.payments.reduce((sum, p) => sum + p.sats, 0n);
  const isLate = (invoice) => invoice.status === "Expired" || invoice.status === "Invalid";

  // Which statuses BTCPay lets a merchant mark an invoice with, and which invoices it refunds (InvoiceEntity's rules).
  const canMarkSettled = ({ status, additionalStatus }) => ["New", "Processing", "Expired", "Invalid"].includes(status) || (status !== "Settled" && additionalStatus === "Marked");
  const canMarkInvalid = ({ status, additionalStatus }) => ["New", "Processing", "Expired"].includes(status) || (status !== "Invalid" && additionalStatus === "Marked");
  const canRefund = ({ status, additionalStatus }) =>
    ["Settled", "Invalid"].includes(status) || (status === "Expired" && ["PaidLate", "PaidOver", "PaidPartial"].includes(additionalStatus));

  const paymentView = (payment) => ({
    id: payment.id,
    receivedDate: seconds(payment.receivedAt),
    value: btc(payment.sats),
    fee: btc(0n),
    status: payment.status,
    destination: payment.destination,
  });

  /** The redirect URL with {InvoiceId}, {OrderId} and {Status} filled in, as BTCPay does; null unless http(s). */
  function redirectOf(invoice) {
    const { redirectURL } = invoice.checkout;
    if (!redirectURL) return null;
    const filled = redirectURL
      .replace(/\{OrderId\}/gi, urlEncode(invoice.metadata.orderId ?? ""))
      .replace(/\{InvoiceId\}/gi, urlEncode(invoice.id))
      .replace(/\{Status\}/gi, urlEncode(invoice.status));
    return URL.canParse(filled) && ["http:", "https:"].includes(new URL(filled).protocol) ? filled : null;
  }

  function invoiceView(invoice) {
    const exponent = exponentOf(invoice.currency);
    return {
      id: invoice.id,
      storeId: invoice.store.storeId,
      amount: formatMinor(invoice.price, exponent),
      paidAmount: formatMinor(valueOf(paidSats(invoice), invoice.rate), exponent),
      checkoutLink: `${base}/i/${invoice.id}`,
      status: invoice.status,
      additionalStatus: invoice.additionalStatus,
      monitoringExpiration: seconds(invoice.monitoringUntil),
      expirationTime: seconds(invoice.expiresAt),
      createdTime: seconds(invoice.createdAt),
      availableStatusesForManualMarking: [...(canMarkSettled(invoice) ? ["Settled"] : []), ...(canMarkInvalid(invoice) ? ["Invalid"] : [])],
      archived: false,
      type: "Standard",
      currency: invoice.currency,
      metadata: invoice.metadata,
      checkout: invoice.checkout,
      receipt: invoice.receipt,
    };
  }

  function paymentMethodsView(invoice) {
    const paid = paidSats(invoice);
    return [
      {
        activated: true,
        destination: invoice.destination,
        paymentLink: `bitcoin:${invoice.destination}?amount=${btc(invoice.sats).replace(/\.?0+$/, "")}`,
        rate: formatMinor(invoice.rate, exponentOf(invoice.currency)),
        paymentMethodPaid: btc(paid),
        totalPaid: btc(paid),
        due: btc(invoice.sats - paid),
        amount: btc(invoice.sats),
        paymentMethodFee: btc(0n),
        payments: invoice.payments.map(paymentView),
        paymentMethodId: PAYMENT_METHOD,
        additionalData: { keyPath: invoice.keyPath, payjoinEnabled: false },
        currency: "BTC",
      },
    ];
  }

  /** Null when the spec's schema at `ref` takes `body`, else Greenfield's 422 naming the field it refuses. */
  function invalidBody(ref, body) {
    if (!isObject(body)) return validationError(["", "The body must be a JSON object."]);
    const validate = specs.validator(ref);
    if (validate(body)) return null;
    return validationError(...validate.errors.map((e) => [fieldOf(e), e.keyword === "required" ? `${fieldOf(e)} is required` : `${fieldOf(e) || "The body"} ${e.message}`]));
  }

  /** Problems with an amount of `currency`: a decimal string, no more decimals than the currency has, more than zero. */
  function amountProblem(text, currency) {
    const minor = toMinor(text, exponentOf(currency));
    if (minor === null) return `${text} has more decimals than ${currency} has (${exponentOf(currency)})`;
    return minor > 0n ? null : "The amount should be more than 0.";
  }
  const currencyOf = (code) => (typeof code === "string" && /^[a-z]{3}$/i.test(code.trim()) ? code.trim().toUpperCase() : null);

  function createInvoice(store, body) {
    const refused = invalidBody(REQUEST_SCHEMAS.createInvoice, body);
    if (refused) return refused;
    const checkout = body.checkout ?? {};
    const currency = currencyOf(body.currency ?? store.defaultCurrency);
    const problems = [];
    if (!currency) problems.push(["currency", `Invalid currency: ${body.currency}`]);
    // BTCPay makes a top-up invoice without an amount; the platform always names one.
    const amountIssue = body.amount == null ? "amount is required: the emulator makes no top-up invoices" : currency && amountProblem(body.amount, currency);
    if (amountIssue) problems.push(["amount", amountIssue]);
    // BTCPay reads these as whole minutes.
    for (const [field, least] of [["expirationMinutes", 1], ["monitoringMinutes", 0]]) {
      const value = checkout[field];
      if (value != null && !(Number.isInteger(value) && value >= least)) problems.push([`checkout.${field}`, `${field} must be a whole number of minutes, at least ${least}`]);
    }
    (checkout.paymentMethods ?? []).forEach((method, i) => {
      if (method !== PAYMENT_METHOD) problems.push([`checkout.paymentMethods[${i}]`, "Invalid PaymentMethodId"]);
    });
    if (problems.length) return validationError(...problems);

    const createdAt = Date.now();
    const expirationMinutes = checkout.expirationMinutes ?? store.expirationMinutes;
    const monitoringMinutes = checkout.monitoringMinutes ?? store.monitoringMinutes;
    const expiresAt = createdAt + scaledMinutes(expirationMinutes);
    const price = toMinor(body.amount, exponentOf(currency));
    const rate = rateOf(currency);
    const invoice = {
      store,
      id: shortId(),
      currency,
      price,
      rate,
      sats: satsFor(price, rate),
      metadata: body.metadata ?? {},
      checkout: {
        speedPolicy: checkout.speedPolicy ?? store.speedPolicy,
        paymentMethods: [PAYMENT_METHOD],
        defaultPaymentMethod: checkout.defaultPaymentMethod ?? null,
        expirationMinutes,
        monitoringMinutes,
        paymentTolerance: checkout.paymentTolerance ?? 0,
        redirectURL: checkout.redirectURL ?? null,
        redirectAutomatically: checkout.redirectAutomatically ?? false,
        defaultLanguage: checkout.defaultLanguage ?? null,
        lazyPaymentMethods: null,
      },
      receipt: { enabled: body.receipt?.enabled ?? true, showQR: body.receipt?.showQR ?? true, showPayments: body.receipt?.showPayments ?? true },
      status: "New",
      additionalStatus: "None",
      createdAt,
      expiresAt,
      monitoringUntil: expiresAt + scaledMinutes(monitoringMinutes),
      destination: address(),
      keyPath: `0/${invoices.size}`,
      payments: [],
      refunds: [],
      pending: null, // the confirmation waiting for stepMs
      expiry: null,
    };
    invoices.set(invoice.id, invoice);
    invoice.expiry = later(expiresAt - createdAt, () => expire(invoice));
    emitInvoice(invoice, "InvoiceCreated");
    return ok(invoiceView(invoice));
  }

  /**
   * A new invoice under its store's condition: refused while BTCPay is down (503, nothing made), cut
   * off before anything is made (`timeout`), or made and its answer cut off (`cut`). BTCPay declines nothing at create (the buyer pays on chain
   * later), and dedupes nothing either: the platform finds an invoice whose answer it lost by
   * listing the store's invoices, which no condition touches.
   */
  function createInvoiceUnder(store, body) {
    const mode = conditions.draw(store.storeId);
    if (mode === "down") return apiError(503, "service-unavailable", "Service Unavailable: BTCPay Server is down; nothing was done.");
    if (mode === "timeout") return { cut: true };
    const response = createInvoice(store, body);
    return mode === "timeout_after_charge" && response.status === 200 ? { ...response, cut: true } : response;
  }

  /** The store's invoices, newest first, with any of `orderId` and `status` (each repeatable), after `skip`, at most `take`. */
  function listInvoices(store, query) {
    const [skip, take] = ["skip", "take"].map((name) => query.get(name));
    for (const [name, value] of [["skip", skip], ["take", take]]) {
      if (value !== null && !/^\d+$/.test(value)) return validationError([name, `The value '${value}' is not valid.`]);
    }
    const orderIds = query.getAll("orderId");
    const statuses = query.getAll("status");
    const found = [...invoices.values()]
      .filter((i) => i.store === store && (!orderIds.length || orderIds.includes(i.metadata.orderId)) && (!statuses.length || statuses.includes(i.status)))
      .reverse();
    const from = Number(skip ?? 0);
    return ok(found.slice(from, take === null ? undefined : from + Number(take)).map(invoiceView));
  }

  function expire(invoice) {
    cancel(invoice.expiry);
    invoice.status = "Expired";
    emitInvoice(invoice, "InvoiceExpired", { partiallyPaid: invoice.additionalStatus === "PaidPartial" });
  }

  /** A payment of `sats` seen on chain, unconfirmed: confirmed after stepMs (or /_emulator/invoices/{id}/confirm). */
  function receivePayment(invoice, sats) {
    const afterExpiration = isLate(invoice);
    const payment = { id: `${txid()}-0`, receivedAt: Date.now(), sats, status: "Processing", destination: invoice.destination };
    invoice.payments.push(payment);
    const paid = paidSats(invoice);
    invoice.additionalStatus = afterExpiration ? "PaidLate" : paid < invoice.sats ? "PaidPartial" : paid > invoice.sats ? "PaidOver" : "None";
    emitInvoice(invoice, "InvoiceReceivedPayment", { afterExpiration, paymentMethodId: PAYMENT_METHOD, payment: paymentView(payment) });
    if (invoice.status === "New" && paid >= invoice.sats) {
      cancel(invoice.expiry);
      invoice.status = "Processing";
      emitInvoice(invoice, "InvoiceProcessing", { overPaid: invoice.additionalStatus === "PaidOver" });
    }
    cancel(invoice.pending);
    invoice.pending = later(stepMs, () => confirm(invoice));
  }

  /** The block that confirms the invoice's payments: each settles, and a paid invoice with them. */
  function confirm(invoice) {
    cancel(invoice.pending);
    invoice.pending = null;
    for (const payment of invoice.payments.filter((p) => p.status === "Processing")) {
      payment.status = "Settled";
      emitInvoice(invoice, "InvoicePaymentSettled", { afterExpiration: isLate(invoice), paymentMethodId: PAYMENT_METHOD, payment: paymentView(payment) });
    }
    if (invoice.status === "Processing") {
      invoice.status = "Settled";
      emitInvoice(invoice, "InvoiceSettled", { manuallyMarked: false, overPaid: invoice.additionalStatus === "PaidOver" });
    }
  }

  /** Why the buyer cannot pay `kind` now, or null. */
  function payRefusal(invoice, kind) {
    if (kind !== "late") return invoice.status === "New" ? null : `The invoice is ${invoice.status}, not New: it is not awaiting payment.`;
    if (!["New", "Expired"].includes(invoice.status)) return `The invoice is ${invoice.status}: it takes no more payments.`;
    return paidSats(invoice) < invoice.sats ? null : "Nothing is due on the invoice.";
  }
  const expireRefusal = (invoice) => (invoice.status === "New" ? null : `The invoice is ${invoice.status}, not New: it cannot expire.`);

  /**
   * The buyer pays what is due (full), half of it (partial), 10 % more (over), or what is due after
   * the invoice expired (late, expiring it first). Answers where the checkout sends the buyer back
   * to (automatically, or by its Return to store link), or null.
   */
  function pay(invoice, kind) {
    if (kind === "late" && invoice.status === "New") expire(invoice);
    const due = invoice.sats - paidSats(invoice);
    const sats = { full: due, partial: divideUp(due, 2n), over: due + divideUp(due, 10n), late: due }[kind];
    receivePayment(invoice, sats);
    return ["full", "over"].includes(kind) ? redirectOf(invoice) : null;
  }

  function markInvoice(invoice, body) {
    const refused = invalidBody(REQUEST_SCHEMAS.markInvoice, body);
    if (refused) return refused;
    const allowed = body.status === "Settled" ? canMarkSettled(invoice) : body.status === "Invalid" && canMarkInvalid(invoice);
    if (!allowed) return validationError(["status", "Status can only be marked to invalid or settled within certain conditions."]);
    cancel(invoice.expiry);
    Object.assign(invoice, { status: body.status, additionalStatus: "Marked" });
    if (body.status === "Settled") emitInvoice(invoice, "InvoiceSettled", { manuallyMarked: true, overPaid: false });
    else emitInvoice(invoice, "InvoiceInvalid", { manuallyMarked: true });
    return ok(invoiceView(invoice));
  }

  // ---- refunds: a pull payment the buyer claims, its payouts

  /** What the buyer paid, in satoshis; BTCPay takes an invoice marked settled without payments as paid in full. */
  const refundableSats = (invoice) => paidSats(invoice) || (invoice.status === "Settled" && invoice.additionalStatus === "Marked" ? invoice.sats : 0n);

  function pullPaymentView(pp) {
    return {
      startsAt: seconds(pp.startsAt),
      expiresAt: null,
      id: pp.id,
      name: pp.name,
      description: pp.description,
      currency: pp.currency,
      amount: formatMinor(pp.amount, exponentOf(pp.currency)),
      BOLT11Expiration: 30,
      archived: false,
      viewLink: `${base}/pull-payments/${pp.id}`,
      autoApproveClaims: pp.autoApproveClaims,
    };
  }

  /**
   * What the refund variant gives back: `[currency, amount in its minor units, autoApproveClaims]`,
   * or the Greenfield error. As BTCPay: RateThen and CurrentRate give the BTC paid (one rate here),
   * OverpaidAmount the BTC paid over, Fiat the invoice currency's worth of what was paid, Custom
   * what it names.
   */
  function refundAmount(invoice, body, paid) {
    const { refundVariant: variant, customAmount, customCurrency } = body;
    if (variant !== "Custom") {
      const stray = [["customAmount", customAmount], ["customCurrency", customCurrency]].filter(([, value]) => value != null);
      if (stray.length) return validationError(...stray.map(([field]) => [field, `${field} should only be set if the refundVariant is Custom`]));
    }
    if (variant === "RateThen" || variant === "CurrentRate") return ["BTC", paid, true];
    if (variant === "Fiat") return [invoice.currency, valueOf(paid, invoice.rate), false];
    if (variant === "OverpaidAmount") {
      return invoice.additionalStatus === "PaidOver" ? ["BTC", paid - invoice.sats, true] : validationError(["refundVariant", "Invoice is not overpaid"]);
    }
    const currency = currencyOf(customCurrency);
    const problems = [];
    const amountIssue = customAmount == null ? "Amount must be greater than 0" : currency && amountProblem(customAmount, currency);
    if (amountIssue) problems.push(["customAmount", amountIssue]);
    if (!currency) problems.push(["customCurrency", "Invalid currency"]);
    return problems.length ? validationError(...problems) : [currency, toMinor(customAmount, exponentOf(currency)), currency === "BTC"];
  }

  function refundInvoice(invoice, body) {
    const refused = invalidBody(REQUEST_SCHEMAS.refundInvoice, body);
    if (refused) return refused;
    if (!canRefund(invoice)) return apiError(400, "non-refundable", "Cannot refund this invoice");
    // payoutMethods supersedes the deprecated payoutMethodId; with neither, the invoice's own method.
    const methodsField = body.payoutMethods ? "payoutMethods" : "payoutMethodId";
    const methods = body.payoutMethods ?? [body.payoutMethodId ?? PAYMENT_METHOD];
    const problems = body.payoutMethods ? methods.filter((m) => m !== PAYMENT_METHOD).map((m) => [methodsField, `Invalid or unsupported payout method: ${m}`]) : [];
    if (!methods.includes(PAYMENT_METHOD)) problems.push([methodsField, "Please select one of the payment methods which were available for the original invoice"]);
    // BTCPay reduces the refund by it; the emulator does not model it, so it refuses rather than ignores it.
    if (body.subtractPercentage != null && Number(body.subtractPercentage) !== 0) problems.push(["subtractPercentage", "The emulator does not support subtractPercentage"]);
    if (problems.length) return validationError(...problems);

    const paid = refundableSats(invoice);
    const amount = refundAmount(invoice, body, paid);
    if (!Array.isArray(amount)) return amount;
    const [currency, minor, autoApproveClaims] = amount;
    // BTCPay itself sets no such limit (it would make a second full refund): the emulator refuses
    // any refund that, with the invoice's earlier ones, gives back more than was paid.
    const field = body.refundVariant === "Custom" ? "customAmount" : "refundVariant";
    const value = currency === invoice.currency ? minor : valueOf(currency === "BTC" ? minor : satsFor(minor, rateOf(currency)), invoice.rate);
    const paidValue = valueOf(paid, invoice.rate);
    const left = paidValue - invoice.refunds.reduce((sum, pp) => sum + pp.value, 0n);
    const show = (units) => `${formatMinor(units, exponentOf(invoice.currency))} ${invoice.currency}`;
    if (minor <= 0n) return validationError([field, "Nothing was paid to refund."]);
    if (value > left) return validationError([field, `The refund (${show(value)}) is more than the ${show(left)} left to refund of the ${show(paidValue)} paid.`]);

    const pp = {
      store: invoice.store,
      id: longId(),
      invoice,
      name: body.name ?? `Refund ${invoice.id}`,
      description: body.description ?? null,
      currency,
      amount: minor,
      value,
      autoApproveClaims,
      startsAt: Date.now(),
      payouts: [],
    };
    pullPayments.set(pp.id, pp);
    invoice.refunds.push(pp);
    return ok(pullPaymentView(pp));
  }

  function payoutView(payout) {
    const { pullPayment: pp } = payout;
    return {
      date: seconds(payout.date),
      id: payout.id,
      pullPaymentId: pp.id,
      destination: payout.destination,
      payoutMethodId: PAYMENT_METHOD,
      originalAmount: formatMinor(payout.amount, exponentOf(pp.currency)),
      originalCurrency: pp.currency,
      payoutCurrency: "BTC",
      payoutAmount: payout.sats === null ? null : btc(payout.sats),
      state: payout.state,
      revision: 0,
      paymentProof: payout.proof,
      metadata: {},
    };
  }

  const claimedOf = (pp) => pp.payouts.filter((p) => p.state !== "Cancelled").reduce((sum, p) => sum + p.amount, 0n);
  const claimRefusal = (pp) => (claimedOf(pp) >= pp.amount ? "Nothing is left to claim in this pull payment." : null);

  /**
   * The buyer claims what is left of the pull payment to `destination`: the payout is created, then
   * approved (the merchant's step in BTCPay, taken at once here), then sent and completed after stepMs.
   */
  function claim(pp, destination) {
    const payout = { id: longId(), pullPayment: pp, date: Date.now(), destination: destination || address(), amount: pp.amount - claimedOf(pp), sats: null, state: "AwaitingApproval", proof: null, pending: null };
    payouts.set(payout.id, payout);
    pp.payouts.push(payout);
    emitPayout(payout, "PayoutCreated");
    Object.assign(payout, { state: "AwaitingPayment", sats: pp.currency === "BTC" ? payout.amount : satsFor(payout.amount, rateOf(pp.currency)) });
    emitPayout(payout, "PayoutApproved");
    payout.pending = later(stepMs, () => completePayout(payout));
    return payout;
  }

  function completePayout(payout) {
    cancel(payout.pending);
    const id = txid();
    Object.assign(payout, { state: "Completed", pending: null, proof: { transactionId: id, candidates: [id], proofType: "PayoutTransactionOnChainBlob", accounted: true } });
    emitPayout(payout, "PayoutUpdated");
  }

  function cancelPayout(payout) {
    cancel(payout.pending);
    Object.assign(payout, { state: "Cancelled", pending: null });
    emitPayout(payout, "PayoutUpdated");
  }

  // ---- the Greenfield API (/api/v1)

  const storeView = (store) => ({
    id: store.storeId,
    name: store.name,
    website: null,
    invoiceExpiration: store.expirationMinutes * 60,
    monitoringExpiration: store.monitoringMinutes * 60,
    speedPolicy: store.speedPolicy,
    paymentTolerance: 0,
    anyoneCanCreateInvoice: false,
    defaultCurrency: store.defaultCurrency,
    lazyPaymentMethods: false,
    redirectAutomatically: false,
    defaultPaymentMethod: PAYMENT_METHOD,
    receipt: { enabled: true, showQR: true, showPayments: true },
  });

  /** The public pull payment calls (no key): the pull payment, its payouts, one payout. */
  function publicPullPayment(ppId, payoutsPath, payoutId, query) {
    const pp = pullPayments.get(ppId);
    if (!payoutsPath) return pp ? ok(pullPaymentView(pp)) : pullPaymentNotFound();
    if (payoutId) {
      const payout = pp?.payouts.find((p) => p.id === payoutId);
      return payout ? ok(payoutView(payout)) : payoutNotFound();
    }
    if (!pp) return pullPaymentNotFound();
    const includeCancelled = query.get("includeCancelled") === "true";
    return ok(pp.payouts.filter((p) => includeCancelled || p.state !== "Cancelled").map(payoutView));
  }

  // Store calls: [method, path after /api/v1/stores/{storeId}, permission, handler(store, request)].
  const STORE_ROUTES = [
    ["GET", "", VIEW_STORE, (store) => ok(storeView(store))],
    ["GET", "/invoices", VIEW_INVOICES, (store, { query }) => listInvoices(store, query)],
    ["POST", "/invoices", CREATE_INVOICE, (store, { body }) => createInvoiceUnder(store, body)],
    // Newest first; none is ever archived here, so includeArchived changes nothing.
    ["GET", "/pull-payments", VIEW_PULL_PAYMENTS, (store) => ok([...pullPayments.values()].filter((pp) => pp.store === store).reverse().map(pullPaymentView))],
  ];
  // Invoice calls, under /api/v1/stores/{storeId}/invoices/{invoiceId} and /api/v1/invoices/{invoiceId}
  // (BTCPay serves both): [method, path after the invoice, permission, handler(invoice, request)].
  const INVOICE_ROUTES = [
    ["GET", "", VIEW_INVOICES, (invoice) => ok(invoiceView(invoice))],
    ["GET", "/payment-methods", VIEW_INVOICES, (invoice) => ok(paymentMethodsView(invoice))],
    ["POST", "/status", MODIFY_INVOICES, (invoice, { body }) => markInvoice(invoice, body)],
    ["POST", "/refund", CREATE_REFUNDS, (invoice, { body }) => refundInvoice(invoice, body)],
  ];
  const findRoute = (routes, method, rest) => routes.find(([m, p]) => m === method && p === rest);

  /** A call with `caller`'s key: unknown store or invoice 404, another store's 403 (the permission it lacks). */
  function greenfield(caller, request) {
    const { method, path } = request;
    const scoped = /^\/api\/v1\/stores\/([^/]+)(?:\/invoices\/([^/]+)(\/[^/]+)?|(\/.*)?)$/.exec(path);
    const unscoped = /^\/api\/v1\/invoices\/([^/]+)(\/[^/]+)?$/.exec(path);
    if (scoped) {
      const [, id, invoiceId, invoiceRest = "", storeRest = ""] = scoped;
      const route = invoiceId ? findRoute(INVOICE_ROUTES, method, invoiceRest) : findRoute(STORE_ROUTES, method, storeRest);
      const store = stores.get(id);
      if (!route) return apiError(404, "not-found", `The emulator has no ${method} ${path}`);
      if (!store) return apiError(404, "store-not-found", "The store was not found");
      if (store !== caller) return permissionError(route[2]);
      if (!invoiceId) return route[3](store, request);
      const invoice = invoices.get(invoiceId);
      return invoice?.store === store ? route[3](invoice, request) : invoiceNotFound();
    }
    const route = unscoped && findRoute(INVOICE_ROUTES, method, unscoped[2] ?? "");
    if (!route) return apiError(404, "not-found", `The emulator has no ${method} ${path}`);
    const invoice = invoices.get(unscoped[1]);
    if (!invoice) return invoiceNotFound();
    return invoice.store === caller ? route[3](invoice, request) : permissionError(route[2]);
  }

  /** The failure POST /_emulator/fail-next asked for this call, if any (used up by it). */
  function takeFailure(method, path) {
    const failing = failNext.find((f) => (!f.path || path.startsWith(f.path)) && (!f.method || f.method === method));
    if (!failing) return null;
    failing.count -= 1;
    failNext = failNext.filter((f) => f.count > 0);
    return failing;
  }

  /** An injected failure, in Greenfield's shape for its status. */
  function injected(status) {
    if (status === 401) return unauthenticated("Authentication is required for accessing this endpoint");
    if (status === 422) return validationError(["", "Injected by /_emulator/fail-next"]);
    const text = STATUS_CODES[status] ?? "Error";
    return apiError(status, text.toLowerCase().replaceAll(/[^a-z]+/g, "-"), `${text} (injected by /_emulator/fail-next)`);
  }

  /** Every /api call: recorded, then failed if told to, then answered (after its key, unless public). */
  function api(req, url, raw) {
    const path = url.pathname;
    const body = parseJson(raw);
    requests.push({ method: req.method, path, query: url.search.slice(1), headers: { ...req.headers }, body: body === NOT_JSON ? raw : (body ?? null), at: new Date().toISOString() });
    const failing = takeFailure(req.method, path);
    if (failing) return injected(failing.status);
    const pub = /^\/api\/v1\/pull-payments\/([^/]+)(?:(\/payouts)(?:\/([^/]+))?)?$/.exec(path);
    if (req.method === "GET" && pub) return publicPullPayment(pub[1], pub[2], pub[3], url.searchParams);
    const key = /^token\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    if (!key) return unauthenticated("Authentication is required for accessing this endpoint");
    const caller = byApiKey.get(key);
    if (!caller) return unauthenticated("ApiKey authentication failed: Unknown API Key");
    return greenfield(caller, { method: req.method, path, query: url.searchParams, body });
  }

  // ---- the buyer's pages: checkout (/i/{invoiceId}) and claim (/pull-payments/{id})

  const page = (status, title, content) => ({
    status,
    headers: { "Content-Type": "text/html; charset=utf-8" },
    text: `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n${content}\n</body>\n</html>\n`,
  });
  const seeOther = (location) => ({ status: 303, headers: { Location: location }, text: "" });
  const button = (action, label) => `<form method="post" action="${escapeHtml(action)}"><button type="submit">${label}</button></form>`;

  // The checkout's buttons: the path each posts to, under /i/{invoiceId}/.
  const CHECKOUT_BUTTONS = [
    ["full", "Pay in full"],
    ["partial", "Pay partially"],
    ["over", "Overpay"],
    ["expire", "Let it expire"],
    ["late", "Pay after expiry"],
  ];

  function checkoutContent(invoice) {
    const { currency, status, additionalStatus } = invoice;
    const paid = paidSats(invoice);
    const redirect = ["Processing", "Settled"].includes(status) ? redirectOf(invoice) : null;
    const buttons = CHECKOUT_BUTTONS.filter(([action]) => !(action === "expire" ? expireRefusal(invoice) : payRefusal(invoice, action)));
    return [
      `<p>Pay <strong>${escapeHtml(invoice.store.name)}</strong></p>`,
      invoice.metadata.itemDesc ? `<p>${escapeHtml(invoice.metadata.itemDesc)}</p>` : "",
      `<p>Amount: <strong>${escapeHtml(`${formatMinor(invoice.price, exponentOf(currency))} ${currency}`)}</strong> = <strong>${btc(invoice.sats)} BTC</strong> at ${formatMinor(invoice.rate, exponentOf(currency))} ${currency} per BTC</p>`,
      `<p>Status: <strong>${status}</strong>${additionalStatus === "None" ? "" : ` (${additionalStatus})`}</p>`,
      paid > 0n ? `<p>Paid ${btc(paid)} BTC; due ${btc(invoice.sats - paid)} BTC</p>` : "",
      `<p>Send to <code>${invoice.destination}</code></p>`,
      ...buttons.map(([action, label]) => button(`/i/${invoice.id}/${action}`, label)),
      redirect ? `<p><a href="${escapeHtml(redirect)}">Return to store</a></p>` : "",
    ]
      .filter(Boolean)
      .join("\n");
  }

  function checkoutPage(method, id, action) {
    const invoice = invoices.get(id);
    if (!invoice) return page(404, "Invoice not found", `<p>There is no invoice ${escapeHtml(id)}.</p>`);
    if (method === "GET" && !action) return page(200, "Pay invoice", checkoutContent(invoice));
    if (method !== "POST" || !CHECKOUT_BUTTONS.some(([a]) => a === action)) return page(404, "Page not found", "<p>Nothing here.</p>");
    const refusal = action === "expire" ? expireRefusal(invoice) : payRefusal(invoice, action);
    if (refusal) return page(409, "Nothing to do", `<p>${escapeHtml(refusal)}</p>`);
    if (action === "expire") {
      expire(invoice);
      return seeOther(`${base}/i/${id}`);
    }
    const redirect = pay(invoice, action);
    return seeOther(redirect && invoice.checkout.redirectAutomatically ? redirect : `${base}/i/${id}`);
  }

  function claimContent(pp) {
    const exponent = exponentOf(pp.currency);
    const show = (minor) => escapeHtml(`${formatMinor(minor, exponent)} ${pp.currency}`);
    const refusal = claimRefusal(pp);
    const form = `<form method="post" action="/pull-payments/${pp.id}/claim"><label>Destination <input name="destination" placeholder="bcrt1q…"></label> <button type="submit">Claim</button></form>`;
    return [
      pp.description ? `<p>${escapeHtml(pp.description)}</p>` : "",
      `<p>Amount: <strong>${show(pp.amount)}</strong>; left to claim: <strong>${show(pp.amount - claimedOf(pp))}</strong></p>`,
      refusal ? `<p>${escapeHtml(refusal)}</p>` : form,
      pp.payouts.length ? `<ul>\n${pp.payouts.map((p) => `<li>${p.id}: ${show(p.amount)} to <code>${escapeHtml(p.destination)}</code>, ${p.state}</li>`).join("\n")}\n</ul>` : "",
    ]
      .filter(Boolean)
      .join("\n");
  }

  function claimPage(method, id, action, raw) {
    const pp = pullPayments.get(id);
    if (!pp) return page(404, "Pull payment not found", `<p>There is no pull payment ${escapeHtml(id)}.</p>`);
    if (method === "GET" && !action) return page(200, pp.name, claimContent(pp));
    if (method !== "POST" || !action) return page(404, "Page not found", "<p>Nothing here.</p>");
    const refusal = claimRefusal(pp);
    if (refusal) return page(409, "Nothing to claim", `<p>${escapeHtml(refusal)}</p>`);
    claim(pp, new URLSearchParams(raw).get("destination")?.trim());
    return seeOther(`${base}/pull-payments/${id}`);
  }

  // ---- test helpers (/_emulator): not part of BTCPay

  function registerStore(body) {
    for (const field of ["apiKey", "webhookSecret"]) {
      if (typeof body[field] !== "string" || body[field] === "") return validationError([field, `${field} is required.`]);
    }
    if (body.storeId !== undefined && (typeof body.storeId !== "string" || !/^[A-Za-z0-9]{1,64}$/.test(body.storeId))) {
      return validationError(["storeId", "storeId must be 1 to 64 letters and digits."]);
    }
    const holder = byApiKey.get(body.apiKey);
    if (holder && holder.storeId !== body.storeId) return validationError(["apiKey", `apiKey is store ${holder.storeId}'s.`]);
    if (body.webhookUrl !== undefined && (typeof body.webhookUrl !== "string" || !URL.canParse(body.webhookUrl))) {
      return validationError(["webhookUrl", "webhookUrl must be a URL."]);
    }
    if (body.name !== undefined && typeof body.name !== "string") return validationError(["name", "name must be a string."]);
    const { storeId: id, webhookId, webhookUrl, name } = addStore(body);
    return ok({ storeId: id, webhookId, webhookUrl, name });
  }

  function setFailNext({ path, method, status, count = 1 }) {
    if (!Number.isInteger(status) || status < 400 || status > 599) return validationError(["status", "status must be an HTTP error status (400-599)."]);
    if (!Number.isInteger(count) || count < 1) return validationError(["count", "count must be a positive integer."]);
    if (path !== undefined && (typeof path !== "string" || !path.startsWith("/"))) return validationError(["path", "path must be a path prefix, starting with /."]);
    if (method !== undefined && typeof method !== "string") return validationError(["method", "method must be an HTTP method."]);
    failNext.push({ path, method: method?.toUpperCase(), status, count });
    return ok({ failing: failNext.reduce((sum, f) => sum + f.count, 0) });
  }

  /** POST /_emulator/conditions: `storeId` names the store; see readCondition for the rest. */
  function setCondition(body) {
    if (!stores.has(body.storeId)) return validationError(["storeId", "storeId must be the id of a store the emulator holds."]);
    const condition = readCondition(body);
    if (condition.field) return validationError([condition.field, condition.message]);
    if (condition.mode === "decline_retriable") {
      return apiError(400, "mode-not-supported", "BTCPay declines nothing when an invoice is created (the buyer pays on chain later): decline_retriable is a Stripe condition.");
    }
    return ok(conditions.set(body.storeId, condition));
  }

  function invoiceHelper(invoice, action, body) {
    if (action === "pay") {
      if (!PAY_KINDS.includes(body.kind)) return validationError(["kind", `kind must be one of ${PAY_KINDS.join(", ")}.`]);
      const refusal = payRefusal(invoice, body.kind);
      return refusal ? conflict(refusal) : ok({ redirect: pay(invoice, body.kind) });
    }
    if (action === "expire") {
      if (expireRefusal(invoice)) return conflict(expireRefusal(invoice));
      expire(invoice);
    } else {
      if (!invoice.pending) return conflict("No payment of this invoice is waiting for its confirmation.");
      confirm(invoice);
    }
    return ok(invoiceView(invoice));
  }

  function payoutHelper(payout, action) {
    const allowed = action === "complete" ? ["AwaitingPayment"] : ["AwaitingApproval", "AwaitingPayment"];
    if (!allowed.includes(payout.state)) return conflict(`The payout is ${payout.state}: it cannot be ${action === "complete" ? "completed" : "cancelled"}.`);
    (action === "complete" ? completePayout : cancelPayout)(payout);
    return ok(payoutView(payout));
  }

  function helper(method, path, body) {
    if (body === NOT_JSON || (body !== undefined && !isObject(body))) return validationError(["", "The body must be a JSON object."]);
    body ??= {};
    let match;
    if (method === "POST" && path === "/_emulator/stores") return registerStore(body);
    if (method === "GET" && path === "/_emulator/requests") return ok(requests);
    if (method === "DELETE" && path === "/_emulator/requests") return ok({ cleared: requests.splice(0).length });
    if (method === "GET" && path === "/_emulator/webhooks") return ok(webhooks);
    if (method === "POST" && path === "/_emulator/fail-next") return setFailNext(body);
    if (method === "POST" && path === "/_emulator/conditions") return setCondition(body);
    if (method === "GET" && path === "/_emulator/conditions") return ok(conditions.list());
    if (method === "POST" && path === "/_emulator/sign") {
      if (typeof body.body !== "string") return validationError(["body", "body must be the raw webhook body, a string."]);
      if (typeof body.secret !== "string" || body.secret === "") return validationError(["secret", "secret is required."]);
      return ok({ "BTCPay-Sig": signature(body.secret, body.body) });
    }
    if (method === "POST" && (match = /^\/_emulator\/webhooks\/([^/]+)\/redeliver$/.exec(path))) {
      const record = webhooks.find((w) => w.deliveryId === match[1]);
      return record ? ok(send(stores.get(record.storeId), redeliveryOf(record))) : apiError(404, "webhookdelivery-not-found", `No delivery ${match[1]}.`);
    }
    if (method === "POST" && (match = /^\/_emulator\/invoices\/([^/]+)\/(pay|expire|confirm)$/.exec(path))) {
      const invoice = invoices.get(match[1]);
      return invoice ? invoiceHelper(invoice, match[2], body) : invoiceNotFound();
    }
    if (method === "POST" && (match = /^\/_emulator\/pull-payments\/([^/]+)\/claim$/.exec(path))) {
      const pp = pullPayments.get(match[1]);
      if (!pp) return pullPaymentNotFound();
      if (body.destination !== undefined && (typeof body.destination !== "string" || body.destination.trim() === "")) {
        return validationError(["destination", "destination must be an address."]);
      }
      const refusal = claimRefusal(pp);
      return refusal ? conflict(refusal) : ok(payoutView(claim(pp, body.destination?.trim())));
    }
    if (method === "POST" && (match = /^\/_emulator\/payouts\/([^/]+)\/(complete|cancel)$/.exec(path))) {
      const payout = payouts.get(match[1]);
      return payout ? payoutHelper(payout, match[2]) : payoutNotFound();
    }
    return apiError(404, "not-found", `No emulator helper ${method} ${path}.`);
  }

  // ---- HTTP

  function route(req, url, raw) {
    const path = url.pathname;
    let match;
    if (path.startsWith("/_emulator/")) return helper(req.method, path, parseJson(raw));
    if (path.startsWith("/api/")) return api(req, url, raw);
    if ((match = /^\/i\/([^/]+)(?:\/([a-z]+))?$/.exec(path))) return checkoutPage(req.method, match[1], match[2]);
    if ((match = /^\/pull-payments\/([^/]+)(\/claim)?$/.exec(path))) return claimPage(req.method, match[1], match[2], raw);
    return page(404, "Page not found", "<p>Nothing here.</p>");
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const { status, body, text, headers = {}, cut } = route(req, new URL(req.url, base), Buffer.concat(chunks).toString("utf8"));
      if (cut) return req.socket.destroy();
      res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
      res.end(text ?? JSON.stringify(body));
    });
  });

  return new Promise((resolve) => {
    // port 0: any free port; the url names the one it got.
    server.listen(port, "127.0.0.1", () => {
      base = `http://127.0.0.1:${server.address().port}`;
      resolve({
        url: base,
        close: () =>
          new Promise((done) => {
            closing.abort();
            timers.forEach(clearTimeout);
            server.close(done);
            server.closeIdleConnections();
          }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const emulator = await startBTCPayEmulator({
    port: Number(arg("port", 12123)),
    stepMs: Number(arg("step-ms", 1000)),
    stores: [
      {
        storeId: arg("store-id"),
        apiKey: arg("api-key", "emulator-api-key"),
        webhookSecret: arg("webhook-secret", "emulator-webhook-secret"),
        webhookUrl: arg("webhook-url"),
      },
    ],
  });
  console.log(`BTCPay Server emulator on ${emulator.url}`);
}
