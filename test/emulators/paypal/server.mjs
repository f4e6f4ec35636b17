// A local PayPal emulator for tests and local development. It speaks PayPal's REST wire format for
// the calls the platform makes, as PayPal's published OpenAPI documents describe them
// (test/data/paypal-openapi; request bodies are validated against them): OAuth2 client
// credentials, Orders v2 (create, show, capture), Payments v2 (show capture, refund, show refund),
// `PayPal-Request-Id` idempotency, PayPal's error objects, the buyer's approval page, and webhooks
// signed as PayPal signs them (RSA-SHA256 over `transmission id|time|webhook id|crc32(body)`, the
// certificate served at PAYPAL-CERT-URL), checked by /v1/notifications/verify-webhook-signature,
// with the app's webhook and its events shown at /v1/notifications/webhooks(-events)/{id}.
// It holds several accounts (REST apps), each with its own client credentials, webhook id and
// webhook URL: an object belongs to the account whose token created it, and another account's
// token is told it does not exist, as PayPal does. Test helpers under /_emulator register
// accounts, choose and drive outcomes, inject failures, set an account's failure condition for new
// orders, and hand out what it received and sent.
//
//   node test/emulators/paypal/server.mjs --port 12115 --client-id … --client-secret … \
//     --webhook-id … [--webhook-url http://127.0.0.1:8787/api/v1/webhooks/paypal]
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { X509Certificate, createHash, createSign, createVerify, KeyObject, randomBytes, randomInt, randomUUID, webcrypto } from "node:crypto";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { crc32 } from "node:zlib";
import { conditionsBy, readCondition } from "../conditions.mjs";
import { loadPayPalSpecs } from "./openapi.mjs";

x509.cryptoProvider.set(webcrypto);

// Currencies PayPal takes payments in; HUF, JPY and TWD take no decimals.
const CURRENCIES = new Set("AUD BRL CAD CNY CZK DKK EUR HKD HUF ILS JPY MYR MXN TWD NZD NOK PHP PLN GBP SGD SEK CHF THB USD".split(" "));
const NO_DECIMALS = new Set(["HUF", "JPY", "TWD"]);

// PayPal's name and message for each error status (the specs' error_<status> schemas).
const ERRORS = {
  400: ["INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or violates schema."],
  403: ["NOT_AUTHORIZED", "Authorization failed due to insufficient permissions."],
  404: ["RESOURCE_NOT_FOUND", "The specified resource does not exist."],
  409: ["RESOURCE_CONFLICT", "The server has detected a conflict while processing this request."],
  422: ["UNPROCESSABLE_ENTITY", "The requested action could not be performed, semantically incorrect, or failed business validation."],
  429: ["RATE_LIMIT_REACHED", "Too many requests. Blocked due to rate limiting."],
  500: ["INTERNAL_SERVER_ERROR", "An internal server error occurred."],
  503: ["SERVICE_UNAVAILABLE", "Service Unavailable."],
};
// What PayPal's live API answers a missing, unknown or expired token. The specs' error_401 words the
// message differently; clients must not depend on either.
const AUTHENTICATION_FAILURE = {
  name: "AUTHENTICATION_FAILURE",
  message: "Authentication failed due to invalid authentication credentials or a missing Authorization header.",
  links: [{ href: "https://developer.paypal.com/docs/api/overview/#error", rel: "information_link" }],
};
// Which PayPal issue a request-schema violation is (the specs' 400 issue lists).
const SCHEMA_ISSUES = {
  required: "MISSING_REQUIRED_PARAMETER",
  minLength: "INVALID_STRING_LENGTH",
  maxLength: "INVALID_STRING_LENGTH",
  pattern: "INVALID_PARAMETER_SYNTAX",
  format: "INVALID_PARAMETER_SYNTAX",
  type: "INVALID_PARAMETER_SYNTAX",
  minItems: "INVALID_ARRAY_MIN_ITEMS",
  maxItems: "INVALID_ARRAY_MAX_ITEMS",
};
const SCOPES = [
  "https://uri.paypal.com/services/payments/realtimepayment",
  "https://uri.paypal.com/services/payments/payment/authcapture",
  "https://uri.paypal.com/services/payments/refund",
  "https://uri.paypal.com/services/applications/webhooks",
  "openid",
].join(" ");
const DISPUTE_REASONS = [
  "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
  "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED",
  "UNAUTHORISED",
  "CREDIT_NOT_PROCESSED",
  "DUPLICATE_TRANSACTION",
  "INCORRECT_AMOUNT",
  "PAYMENT_BY_OTHER_MEANS",
  "CANCELED_RECURRING_BILLING",
  "PROBLEM_WITH_REMITTANCE",
  "OTHER",
];
const DAY_MS = 86_400_000;

const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
// PayPal account ids (payer_id, merchant_id) leave out 0, 1, I and O.
const ACCOUNT_ID_CHARS = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const idFrom = (bytes, length, alphabet) => Array.from(bytes.subarray(0, length), (b) => alphabet[b % alphabet.length]).join("");
const digest = (seed) => createHash("sha256").update(seed).digest();
/** Like PayPal's order, capture and refund ids: 17 uppercase alphanumerics. */
const paypalId = () => idFrom(randomBytes(17), 17, ALPHANUMERIC);
/** A 13-character PayPal account id; derived from `seed` when given, so it is the same on every start. */
const accountId = (seed) => idFrom(seed ? digest(seed) : randomBytes(13), 13, ACCOUNT_ID_CHARS);
const debugId = () => randomBytes(7).toString("hex").slice(0, 13);
/** PayPal's timestamps: ISO 8601, UTC, whole seconds. */
const timestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
const pick = (object, keys) => Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]]));
const link = (href, rel, method = "GET") => ({ href, rel, method });
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// ---- money: PayPal's decimal strings, computed as BigInt counts of the currency's minor unit

const decimalsOf = (currency) => (NO_DECIMALS.has(currency) ? 0 : 2);

function toMinor(value, currency) {
  const decimals = decimalsOf(currency);
  const [whole, fraction = ""] = value.split(".");
  return BigInt(whole || "0") * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0").slice(0, decimals) || "0");
}

function money(minor, currency) {
  const decimals = decimalsOf(currency);
  const digits = String(minor).padStart(decimals + 1, "0");
  return { currency_code: currency, value: decimals ? `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}` : digits };
}

/** PayPal's fee on a payment: 3.49% plus 0.49 (illustrative), never more than the payment. */
function feeOf(gross) {
  const fee = (gross * 349n + 5000n) / 10000n + 49n;
  return fee < gross ? fee : gross;
}

/** How PayPal writes an amount in event summaries ("$" whatever the currency). */
const amountText = ({ currency_code, value }) => `$ ${value} ${currency_code}`;

/**
 * The issue PayPal raises for an amount it cannot take, or null. `noDecimals` is the issue for a
 * decimal point in a currency without decimals: Orders says DECIMAL_PRECISION, Payments says
 * DECIMALS_NOT_SUPPORTED. The value's syntax was already checked against the spec's pattern.
 */
function amountIssue({ currency_code: currency, value }, noDecimals) {
  if (!CURRENCIES.has(currency)) {
    // Documented in PayPal's Orders v2 error reference, though not in the spec's issue lists.
    const description = "Currency code is not currently supported. Please refer https://developer.paypal.com/api/rest/reference/currency-codes/ for list of supported currency codes.";
    return { at: "currency_code", value: currency, issue: "CURRENCY_NOT_SUPPORTED", description };
  }
  const fraction = value.split(".")[1];
  if (fraction !== undefined && decimalsOf(currency) === 0) return { at: "value", value, issue: noDecimals };
  if (fraction !== undefined && fraction.length > 2) return { at: "value", value, issue: "DECIMAL_PRECISION" };
  if (value.startsWith("-") || toMinor(value, currency) === 0n) return { at: "value", value, issue: "CANNOT_BE_ZERO_OR_NEGATIVE" };
  return null;
}

/** An RSA-2048 key and a self-signed certificate for it, named as PayPal names its signing certificates. */
async function makeSigner(notBefore, notAfter) {
  const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(8).toString("hex")}`,
    name: "CN=messageverificationcerts.paypal.com, O=PayPal Emulator, C=US",
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: algorithm,
  });
  const pem = certificate.toString("pem");
  return {
    name: `CERT-360caa42-fca2a594-${randomBytes(4).toString("hex")}`,
    pem,
    key: KeyObject.from(keys.privateKey),
    publicKey: new X509Certificate(pem).publicKey,
    notAfter,
  };
}

/**
 * `accounts`: `{ clientId, clientSecret, webhookId, webhookUrl? }` each; more can be added at run
 * time (POST /_emulator/accounts). `webhookRetryDelaysMs`: the wait before each retry of a webhook
 * its endpoint did not take (one retry per entry).
 */
export async function startPayPalEmulator({ port = 12115, accounts = [], tokenTtlSeconds = 32400, webhookRetryDelaysMs = [100, 500, 2000] } = {}) {
  const specs = loadPayPalSpecs();
  const now = Date.now();
  // The key webhooks are signed with, and a second one whose certificate has expired (for
  // POST /_emulator/sign with `expired: true`).
  const [signer, expiredSigner] = await Promise.all([
    makeSigner(new Date(now - DAY_MS), new Date(now + 365 * DAY_MS)),
    makeSigner(new Date(now - 730 * DAY_MS), new Date(now - DAY_MS)),
  ]);
  let base = ""; // the emulator's own origin, once it listens

  // ---- state

  /** client id -> { clientId, clientSecret, webhookId, webhookUrl, merchantId, email, appId } */
  const byClientId = new Map();
  /** access token -> { account, expiresAt } */
  const tokens = new Map();
  /** order id -> { account, order (as PayPal shows it), returnUrl, cancelUrl, brandName, outcome } */
  const orders = new Map();
  /** capture id -> { account, capture, order (its record), refunds (records) } */
  const captures = new Map();
  /** refund id -> { account, refund, capture (its record) } */
  const refunds = new Map();
  /** `${client id} ${path} ${PayPal-Request-Id}` -> the first answer, { status, text } */
  const idempotent = new Map();
  const requests = [];
  const webhooks = [];
  let failNext = [];
  const conditions = conditionsBy("clientId");
  let nextRefundStatus = "COMPLETED";
  const retries = new Set();
  const closing = new AbortController();

  function addAccount({ clientId, clientSecret, webhookId, webhookUrl }) {
    const settings = { clientSecret, webhookId, webhookUrl: webhookUrl ?? null };
    const known = byClientId.get(clientId);
    if (known) return Object.assign(known, settings);
    const merchantId = accountId(clientId);
    const account = {
      clientId,
      ...settings,
      merchantId,
      email: `sb-${merchantId.toLowerCase()}@business.example.com`,
      appId: `APP-${idFrom(digest(`app ${clientId}`), 17, ALPHANUMERIC)}`,
    };
    byClientId.set(clientId, account);
    return account;
  }
  accounts.forEach(addAccount);

  /** The record if `account` owns it: another account's objects do not exist for it. */
  const owned = (records, id, account) => (records.get(id)?.account === account ? records.get(id) : undefined);

  // ---- errors, in PayPal's shape

  const operation = (file, method, path, docs) => ({ file, method, path, docs: `https://developer.paypal.com/docs/api/${docs}/` });
  const OPS = {
    createOrder: operation("checkout_orders_v2.json", "post", "/v2/checkout/orders", "orders/v2"),
    showOrder: operation("checkout_orders_v2.json", "get", "/v2/checkout/orders/{id}", "orders/v2"),
    captureOrder: operation("checkout_orders_v2.json", "post", "/v2/checkout/orders/{id}/capture", "orders/v2"),
    showCapture: operation("payments_payment_v2.json", "get", "/v2/payments/captures/{capture_id}", "payments/v2"),
    refundCapture: operation("payments_payment_v2.json", "post", "/v2/payments/captures/{capture_id}/refund", "payments/v2"),
    showRefund: operation("payments_payment_v2.json", "get", "/v2/payments/refunds/{refund_id}", "payments/v2"),
    verifySignature: operation("notifications_webhooks_v1.json", "post", "/v1/notifications/verify-webhook-signature", "webhooks/v1"),
    showEvent: operation("notifications_webhooks_v1.json", "get", "/v1/notifications/webhooks-events/{event_id}", "webhooks/v1"),
    showWebhook: operation("notifications_webhooks_v1.json", "get", "/v1/notifications/webhooks/{webhook_id}", "webhooks/v1"),
    // The test helpers are not PayPal's; their errors take the Orders shape.
    helper: operation("checkout_orders_v2.json", "post", "/_emulator", "orders/v2"),
  };
  const opOfPath = (path) => (path.startsWith("/v2/payments") ? OPS.showCapture : path.startsWith("/v1/notifications") ? OPS.showEvent : OPS.showOrder);

  /**
   * PayPal's error object for `status`. Each detail is `{ field?, value?, location?, issue,
   * description? }`; without a description it gets the one the spec gives the issue for `op`.
   */
  function paypalError(op, status, ...details) {
    const [name, message] = ERRORS[status] ?? ERRORS[500]; // another status answers as a server error
    const described = details.map(({ field, value, location, issue, description }) => ({
      ...(field !== undefined ? { field } : {}),
      ...(value !== undefined ? { value: typeof value === "string" ? value : JSON.stringify(value) } : {}),
      ...(field !== undefined ? { location: location ?? "body" } : {}),
      issue,
      description: description ?? specs.issueDescription(op.file, op.method, op.path, status, issue) ?? issue,
    }));
    return {
      status,
      body: {
        name,
        message,
        debug_id: debugId(),
        ...(described.length ? { details: described } : {}),
        links: [link(`${op.docs}#error-${details[0]?.issue ?? name}`, "information_link")],
      },
    };
  }

  const notFound = (op, field, id) => paypalError(op, 404, { field, value: id, location: "path", issue: "INVALID_RESOURCE_ID" });
  const NOT_JSON = Symbol("not JSON");
  const parseJson = (raw) => {
    if (raw.trim() === "") return undefined;
    try {
      return JSON.parse(raw);
    } catch {
      return NOT_JSON;
    }
  };

  /** Null when the spec's request schema for `op` takes `body`, else PayPal's 400 naming the first field it refuses. */
  function invalidBody(op, body) {
    if (body === NOT_JSON) return paypalError(op, 400, { field: "/", location: "body", issue: "MALFORMED_REQUEST_JSON" });
    const validate = specs.validator(specs.requestRef(op.file, op.method, op.path));
    if (validate(body)) return null;
    const [error] = validate.errors;
    const missing = error.keyword === "required";
    const field = missing ? `${error.instancePath}/${error.params.missingProperty}` : error.instancePath || "/";
    const value = missing ? undefined : error.instancePath.split("/").slice(1).reduce((node, key) => node?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], body);
    if (op.file === "notifications_webhooks_v1.json") {
      // The v1 APIs answer in their own, older error shape.
      return {
        status: 400,
        body: {
          name: "VALIDATION_ERROR",
          message: "Invalid request - see details",
          debug_id: debugId(),
          information_link: `${op.docs}#errors`,
          details: [{ field, location: "body", issue: missing ? "Required field cannot be blank" : error.message }],
        },
      };
    }
    return paypalError(op, 400, { field, value, issue: SCHEMA_ISSUES[error.keyword] ?? "INVALID_PARAMETER_VALUE" });
  }

  // ---- auth: OAuth2 client credentials, then a bearer token on every other call

  function issueToken(req, raw) {
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    const credentials = basic ? Buffer.from(basic[1], "base64").toString("utf8") : "";
    const colon = credentials.indexOf(":");
    const account = colon > 0 ? byClientId.get(credentials.slice(0, colon)) : undefined;
    if (!account || account.clientSecret !== credentials.slice(colon + 1)) {
      return { status: 401, body: { error: "invalid_client", error_description: "Client Authentication failed" } };
    }
    const grantType = new URLSearchParams(raw).get("grant_type");
    if (grantType !== "client_credentials") {
      return { status: 400, body: { error: "unsupported_grant_type", error_description: grantType ? "unsupported grant_type" : "Grant Type is NULL" } };
    }
    const token = `A21AA${randomBytes(64).toString("base64url")}`;
    tokens.set(token, { account, expiresAt: Date.now() + tokenTtlSeconds * 1000 });
    return {
      status: 200,
      body: {
        scope: SCOPES,
        access_token: token,
        token_type: "Bearer",
        app_id: account.appId,
        expires_in: tokenTtlSeconds,
        nonce: `${timestamp()}${randomBytes(32).toString("base64url")}`,
      },
    };
  }

  /** The account whose unexpired token the request bears, or undefined. */
  function bearer(req) {
    const grant = tokens.get(/^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1]);
    return grant && grant.expiresAt > Date.now() ? grant.account : undefined;
  }

  // ---- orders (Orders v2)

  const AWAITING_APPROVAL = ["CREATED", "PAYER_ACTION_REQUIRED"];
  const checkoutUrl = (id) => `${base}/checkoutnow?token=${id}`;

  /** The links PayPal gives an order in each status. */
  function orderLinks(id, status) {
    const self = link(`${base}/v2/checkout/orders/${id}`, "self");
    const update = link(self.href, "update", "PATCH");
    const capture = link(`${self.href}/capture`, "capture", "POST");
    if (status === "PAYER_ACTION_REQUIRED") return [self, link(checkoutUrl(id), "payer-action")];
    if (status === "CREATED") return [self, link(checkoutUrl(id), "approve"), update, capture];
    if (status === "APPROVED") return [self, update, capture];
    return [self];
  }

  function moveOrder(order, status) {
    Object.assign(order, { status, update_time: timestamp(), links: orderLinks(order.id, status) });
  }

  function createOrder(account, body, representation) {
    const op = OPS.createOrder;
    const refused = invalidBody(op, body);
    if (refused) return refused;
    // The platform only captures at once; PayPal refuses AUTHORIZE to merchants without it enabled.
    if (body.intent !== "CAPTURE") return paypalError(op, 422, { field: "/intent", value: body.intent, issue: "AUTH_CAPTURE_NOT_ENABLED" });
    // One purchase unit is all the platform sends; the emulator does not split a payment.
    if (body.purchase_units.length > 1) return paypalError(op, 400, { field: "/purchase_units", issue: "INVALID_ARRAY_MAX_ITEMS" });
    const source = Object.keys(body.payment_source ?? {}).find((name) => name !== "paypal");
    if (source) return paypalError(op, 400, { field: `/payment_source/${source}`, issue: "NOT_SUPPORTED" });
    const [unit] = body.purchase_units;
    const problem = amountIssue(unit.amount, "DECIMAL_PRECISION");
    if (problem) return paypalError(op, 422, { ...problem, field: `/purchase_units/0/amount/${problem.at}` });

    const currency = unit.amount.currency_code;
    const wallet = body.payment_source?.paypal;
    // With a PayPal payment source the buyer is sent to PayPal at once (payer-action); without
    // one the order waits for the buyer's approval (approve).
    const status = wallet ? "PAYER_ACTION_REQUIRED" : "CREATED";
    const id = paypalId();
    const order = {
      id,
      intent: "CAPTURE",
      status,
      ...(wallet ? { payment_source: { paypal: {} } } : {}),
      purchase_units: [
        {
          reference_id: unit.reference_id ?? "default",
          amount: money(toMinor(unit.amount.value, currency), currency),
          payee: { email_address: account.email, merchant_id: account.merchantId },
          ...pick(unit, ["description", "custom_id", "invoice_id", "soft_descriptor"]),
        },
      ],
      create_time: timestamp(),
      links: orderLinks(id, status),
    };
    const context = wallet?.experience_context ?? {};
    orders.set(id, {
      account,
      order,
      returnUrl: context.return_url ?? null,
      cancelUrl: context.cancel_url ?? null,
      brandName: context.brand_name ?? null,
      outcome: { capture: "COMPLETED" },
    });
    return { status: 201, body: representation ? order : pick(order, ["id", "status", "payment_source", "links"]) };
  }

  /**
   * A new order under its account's condition: refused while PayPal is down (503, nothing made),
   * cut off before anything is made (`timeout`), or made and its answer cut off (`cut`). PayPal declines nothing at create: the buyer has not
   * paid yet, so there is no retriable decline.
   */
  function createOrderUnder(account, body, representation) {
    const mode = conditions.draw(account.clientId);
    if (mode === "down") return paypalError(OPS.createOrder, 503);
    if (mode === "timeout") return { cut: true };
    const response = createOrder(account, body, representation);
    return mode === "timeout_after_charge" && response.status === 201 ? { ...response, cut: true } : response;
  }

  function captureOrder(record, body, representation) {
    const op = OPS.captureOrder;
    const refused = invalidBody(op, body ?? {});
    if (refused) return refused;
    const { order, account } = record;
    if (order.status === "COMPLETED") return paypalError(op, 422, { issue: "ORDER_ALREADY_CAPTURED" });
    if (order.status !== "APPROVED") return paypalError(op, 422, { issue: "ORDER_NOT_APPROVED" });
    if (record.outcome.error) {
      // The buyer's funding failed this once: the order stays approved, a later capture is tried afresh.
      const issue = record.outcome.error;
      record.outcome = { capture: "COMPLETED" };
      return paypalError(op, 422, { issue });
    }

    const unit = order.purchase_units[0];
    const { capture: status, reason = "PENDING_REVIEW" } = record.outcome;
    const id = paypalId();
    const time = timestamp();
    const capture = {
      id,
      status,
      ...(status === "PENDING" ? { status_details: { reason } } : {}),
      amount: unit.amount,
      final_capture: true,
      seller_protection: { status: "ELIGIBLE", dispute_categories: ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"] },
      // PayPal gives no breakdown while a capture is pending.
      ...(status === "COMPLETED" ? { seller_receivable_breakdown: receivable(unit.amount) } : {}),
      ...pick(unit, ["custom_id", "invoice_id"]),
      links: [
        link(`${base}/v2/payments/captures/${id}`, "self"),
        link(`${base}/v2/payments/captures/${id}/refund`, "refund", "POST"),
        link(`${base}/v2/checkout/orders/${order.id}`, "up"),
      ],
      create_time: time,
      update_time: time,
    };
    const captured = { account, capture, order: record, refunds: [] };
    captures.set(id, captured);
    unit.payments = { captures: [capture] };
    // PayPal completes the order whatever the capture's outcome: a pending or declined capture is
    // told by the capture's status, not the order's.
    moveOrder(order, "COMPLETED");
    emitCapture(captured, status);

    const minimal = { ...pick(order, ["id", "status", "payment_source"]), purchase_units: [pick(unit, ["reference_id", "payments"])], ...pick(order, ["payer", "links"]) };
    return { status: 201, body: representation ? order : minimal };
  }

  // ---- payments (Payments v2: captures, refunds, reversals, disputes)

  function receivable({ currency_code: currency, value }) {
    const gross = toMinor(value, currency);
    const fee = feeOf(gross);
    return { gross_amount: money(gross, currency), paypal_fee: money(fee, currency), net_amount: money(gross - fee, currency) };
  }

  /** A capture as GET /v2/payments/captures/{id} and its webhooks show it. */
  const captureView = ({ capture, order, account }) => ({
    ...capture,
    supplementary_data: { related_ids: { order_id: order.order.id } },
    payee: { email_address: account.email, merchant_id: account.merchantId },
  });

  const minorOf = ({ amount }) => toMinor(amount.value, amount.currency_code);
  /** What `statuses` of the capture's refunds (and reversals) add up to, in minor units. */
  const refundedOf = (captured, statuses) => captured.refunds.filter((r) => statuses.includes(r.refund.status)).reduce((sum, r) => sum + minorOf(r.refund), 0n);
  // A pending refund holds its amount: only what is neither refunded nor pending can be refunded.
  const refundableOf = (captured) => minorOf(captured.capture) - refundedOf(captured, ["COMPLETED", "PENDING"]);

  /** The refund's share of the capture's fee comes back to the merchant with it. */
  function payable(captured, amount) {
    const currency = captured.capture.amount.currency_code;
    const fee = (feeOf(minorOf(captured.capture)) * amount) / minorOf(captured.capture);
    return {
      gross_amount: money(amount, currency),
      paypal_fee: money(fee, currency),
      net_amount: money(amount - fee, currency),
      total_refunded_amount: money(refundedOf(captured, ["COMPLETED"]), currency),
    };
  }

  /** A completed refund moves the capture to PARTIALLY_REFUNDED or REFUNDED. */
  function settleRefund(record, status) {
    const { refund, capture: captured } = record;
    delete refund.status_details;
    Object.assign(refund, { status, update_time: timestamp() });
    if (status !== "COMPLETED") return;
    const { capture } = captured;
    const fullyRefunded = refundedOf(captured, ["COMPLETED"]) === minorOf(capture);
    Object.assign(capture, { status: fullyRefunded ? "REFUNDED" : "PARTIALLY_REFUNDED", update_time: timestamp() });
    refund.seller_payable_breakdown = payable(captured, minorOf(refund));
  }

  function addRefund(captured, amount, status, fields) {
    const { capture, account } = captured;
    const id = paypalId();
    const time = timestamp();
    const refund = {
      id,
      status: "PENDING",
      status_details: { reason: "ECHECK" },
      amount: money(amount, capture.amount.currency_code),
      ...fields,
      seller_payable_breakdown: payable(captured, amount),
      links: [link(`${base}/v2/payments/refunds/${id}`, "self"), link(`${base}/v2/payments/captures/${capture.id}`, "up")],
      create_time: time,
      update_time: time,
    };
    const record = { account, refund, capture: captured };
    refunds.set(id, record);
    captured.refunds.push(record);
    const payments = captured.order.order.purchase_units[0].payments;
    (payments.refunds ??= []).push(refund);
    if (status !== "PENDING") settleRefund(record, status);
    return record;
  }

  function refundCapture(captured, body, representation) {
    const op = OPS.refundCapture;
    const refused = invalidBody(op, body ?? {});
    if (refused) return refused;
    const { capture } = captured;
    const currency = capture.amount.currency_code;
    const left = refundableOf(captured);
    if (capture.status === "REFUNDED" || left === 0n) return paypalError(op, 422, { issue: "CAPTURE_FULLY_REFUNDED" });
    if (!["COMPLETED", "PARTIALLY_REFUNDED"].includes(capture.status)) return paypalError(op, 422, { issue: "REFUND_NOT_ALLOWED" });
    let amount = left;
    if (body?.amount) {
      const asked = body.amount;
      if (asked.currency_code !== currency) {
        return paypalError(op, 422, { field: "/amount/currency_code", value: asked.currency_code, issue: "REFUND_CAPTURE_CURRENCY_MISMATCH" });
      }
      const problem = amountIssue(asked, "DECIMALS_NOT_SUPPORTED");
      if (problem) return paypalError(op, 422, { ...problem, field: `/amount/${problem.at}` });
      amount = toMinor(asked.value, currency);
      if (amount > left) return paypalError(op, 422, { field: "/amount/value", value: asked.value, issue: "REFUND_AMOUNT_EXCEEDED" });
    }
    const record = addRefund(captured, amount, nextRefundStatus, pick(body ?? {}, ["custom_id", "invoice_id", "note_to_payer"]));
    nextRefundStatus = "COMPLETED";
    emitRefund(record);
    const { refund } = record;
    // PayPal's default answer (Prefer: return=minimal) is the refund's id, status and links only.
    return { status: 201, body: representation ? refund : pick(refund, ["id", "status", "links"]) };
  }

  // ---- webhooks: signed as PayPal signs them, posted to the account's URL, retried on failure

  const certUrlOf = (s) => `${base}/v1/notifications/certs/${s.name}`;

  /** The headers PayPal sends with `body`; the signature is over `id|time|webhook id|crc32 of the body's UTF-8 bytes`. */
  function signatureHeaders(body, webhookId, { key = signer, transmissionTime = timestamp(), certUrl = certUrlOf(key) } = {}) {
    const transmissionId = randomUUID();
    const signed = `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(Buffer.from(body, "utf8"))}`;
    return {
      "Content-Type": "application/json",
      "PAYPAL-AUTH-ALGO": "SHA256withRSA",
      "PAYPAL-AUTH-VERSION": "v2",
      "PAYPAL-CERT-URL": certUrl,
      "PAYPAL-TRANSMISSION-ID": transmissionId,
      "PAYPAL-TRANSMISSION-SIG": createSign("RSA-SHA256").update(signed).sign(key.key, "base64"),
      "PAYPAL-TRANSMISSION-TIME": transmissionTime,
    };
  }

  function emit(account, eventType, resourceType, resource, summary, resourceVersion = "2.0") {
    const id = `WH-${paypalId()}-${paypalId()}`;
    const event = {
      id,
      event_version: "1.0",
      create_time: new Date().toISOString(),
      resource_type: resourceType,
      resource_version: resourceVersion,
      event_type: eventType,
      summary,
      resource: structuredClone(resource),
      links: [link(`${base}/v1/notifications/webhooks-events/${id}`, "self"), link(`${base}/v1/notifications/webhooks-events/${id}/resend`, "resend", "POST")],
    };
    const body = JSON.stringify(event);
    const record = { clientId: account.clientId, event, body, headers: signatureHeaders(body, account.webhookId), deliveries: [] };
    webhooks.push(record);
    if (account.webhookUrl) deliver(account.webhookUrl, record, 0);
  }

  /**
   * The app's webhook as GET /v1/notifications/webhooks/{id} shows it: subscribed to every event.
   * Without a URL its events are only listed, at /_emulator/webhooks.
   */
  function webhookView({ webhookId, webhookUrl }) {
    const self = `${base}/v1/notifications/webhooks/${webhookId}`;
    return {
      id: webhookId,
      url: webhookUrl ?? `${base}/_emulator/webhooks`,
      event_types: [{ name: "*", description: "ALL" }],
      links: [link(self, "self"), link(self, "update", "PATCH"), link(self, "delete", "DELETE")],
    };
  }

  /** PAYMENT.CAPTURE.<type>: COMPLETED, PENDING, DECLINED (at capture) or DENIED (a pending capture refused later). */
  const emitCapture = (captured, type) =>
    emit(captured.account, `PAYMENT.CAPTURE.${type}`, "capture", captureView(captured), `Payment ${type.toLowerCase()} for ${amountText(captured.capture.amount)}`);

  // The event PayPal sends for a refund in each status, and how its summary ends.
  const REFUND_EVENTS = {
    COMPLETED: ["PAYMENT.CAPTURE.REFUNDED", "capture payment was refunded"],
    PENDING: ["PAYMENT.REFUND.PENDING", "refund is pending"],
    FAILED: ["PAYMENT.REFUND.FAILED", "refund has failed"],
  };
  function emitRefund({ account, refund }) {
    const [type, summary] = REFUND_EVENTS[refund.status];
    emit(account, type, "refund", refund, `A ${amountText(refund.amount)} ${summary}`);
  }

  /** Posts the event; a non-2xx answer or a network error is tried again after each of webhookRetryDelaysMs. */
  async function deliver(url, record, attempt) {
    let status = null;
    let error;
    try {
      const res = await fetch(url, { method: "POST", headers: record.headers, body: record.body, signal: AbortSignal.any([closing.signal, AbortSignal.timeout(10_000)]) });
      status = res.status;
      await res.arrayBuffer();
    } catch (e) {
      error = e.message;
    }
    if (closing.signal.aborted) return;
    record.deliveries.push({ status, at: new Date().toISOString(), ...(error ? { error } : {}) });
    const delay = webhookRetryDelaysMs[attempt];
    if ((status === null || status < 200 || status > 299) && delay !== undefined) {
      const timer = setTimeout(() => {
        retries.delete(timer);
        deliver(url, record, attempt + 1);
      }, delay);
      retries.add(timer);
    }
  }

  /**
   * PayPal's check of a webhook the caller received: the certificate must be one this emulator
   * serves and still valid, the webhook id the caller's, and the signature good over the event
   * as JSON.stringify writes it (byte for byte what was sent, for an event parsed from the body).
   */
  function verifyWebhookSignature(account, body) {
    const refused = invalidBody(OPS.verifySignature, body);
    if (refused) return refused;
    // a query string does not make it another certificate (tests use one to get past a cache)
    const served = URL.canParse(body.cert_url) ? new URL(body.cert_url) : null;
    const key = [signer, expiredSigner].find((s) => served !== null && `${served.origin}${served.pathname}` === certUrlOf(s));
    const signed = `${body.transmission_id}|${body.transmission_time}|${body.webhook_id}|${crc32(Buffer.from(JSON.stringify(body.webhook_event), "utf8"))}`;
    const verified =
      key !== undefined &&
      key.notAfter.getTime() > Date.now() &&
      body.auth_algo === "SHA256withRSA" &&
      body.webhook_id === account.webhookId &&
      createVerify("RSA-SHA256").update(signed).verify(key.publicKey, body.transmission_sig, "base64");
    return { status: 200, body: { verification_status: verified ? "SUCCESS" : "FAILURE" } };
  }

  // ---- approval page: where the payer-action / approve link sends the buyer

  const page = (status, title, content) => ({
    status,
    headers: { "Content-Type": "text/html; charset=utf-8" },
    text: `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n${content}\n</body>\n</html>\n`,
  });
  const redirect = (location) => ({ status: 303, headers: { Location: location }, text: "" });
  const withQuery = (url, params) => {
    const target = new URL(url);
    for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
    return target.href;
  };

  /** The buyer approves: the payer is filled in and CHECKOUT.ORDER.APPROVED sent. Answers where the buyer lands. */
  function approve(record) {
    const { order, account } = record;
    const payerId = accountId();
    const name = { given_name: "Test", surname: "Buyer" };
    const email = `buyer-${payerId.toLowerCase()}@personal.example.com`;
    order.payer = { name, email_address: email, payer_id: payerId, address: { country_code: "US" } };
    order.payment_source = { paypal: { email_address: email, account_id: payerId, account_status: "VERIFIED", name, address: { country_code: "US" } } };
    moveOrder(order, "APPROVED");
    emit(account, "CHECKOUT.ORDER.APPROVED", "checkout-order", order, "An order has been approved by buyer");
    return record.returnUrl && withQuery(record.returnUrl, { token: order.id, PayerID: payerId });
  }

  /** The buyer cancels: nothing changes at PayPal. Answers where the buyer lands. */
  const cancel = (record) => record.cancelUrl && withQuery(record.cancelUrl, { token: record.order.id });

  function checkout(method, url) {
    const action = /^\/checkoutnow(?:\/(approve|cancel))?$/.exec(url.pathname);
    const token = url.searchParams.get("token") ?? "";
    const record = orders.get(token);
    if (!action || (method === "GET") === Boolean(action[1])) return page(404, "Page not found", "<p>Nothing here.</p>");
    if (!record) return page(404, "Order not found", `<p>There is no order ${escapeHtml(token)}.</p>`);
    const { order } = record;
    if (!AWAITING_APPROVAL.includes(order.status)) {
      return page(409, "Nothing to approve", `<p>Order ${escapeHtml(order.id)} is ${escapeHtml(order.status)}: it is not awaiting the buyer's approval.</p>`);
    }
    if (action[1] === "approve") {
      const to = approve(record);
      return to ? redirect(to) : page(200, "Payment approved", "<p>You can close this window.</p>");
    }
    if (action[1] === "cancel") {
      const to = cancel(record);
      return to ? redirect(to) : page(200, "Payment cancelled", "<p>You can close this window.</p>");
    }
    const unit = order.purchase_units[0];
    const form = (to, label) => `<form method="post" action="/checkoutnow/${to}?token=${escapeHtml(order.id)}"><button type="submit">${label}</button></form>`;
    return page(
      200,
      "Pay with PayPal",
      [
        `<p>Pay <strong>${escapeHtml(record.brandName ?? record.account.email)}</strong></p>`,
        `<p>Amount: <strong>${escapeHtml(`${unit.amount.value} ${unit.amount.currency_code}`)}</strong></p>`,
        unit.description ? `<p>${escapeHtml(unit.description)}</p>` : "",
        form("approve", "Approve"),
        form("cancel", "Cancel"),
      ].join("\n"),
    );
  }

  // ---- the PayPal API (/v1, /v2), called with `account`'s token

  function api(account, method, path, body, representation) {
    let match;
    if (method === "POST" && path === "/v2/checkout/orders") return createOrderUnder(account, body ?? {}, representation);
    if ((match = /^\/v2\/checkout\/orders\/([^/]+)(\/capture)?$/.exec(path))) {
      const record = owned(orders, match[1], account);
      if (method === "GET" && !match[2]) return record ? { status: 200, body: record.order } : notFound(OPS.showOrder, "id", match[1]);
      if (method === "POST" && match[2]) return record ? captureOrder(record, body, representation) : notFound(OPS.captureOrder, "id", match[1]);
    }
    if ((match = /^\/v2\/payments\/captures\/([^/]+)(\/refund)?$/.exec(path))) {
      const captured = owned(captures, match[1], account);
      if (method === "GET" && !match[2]) return captured ? { status: 200, body: captureView(captured) } : notFound(OPS.showCapture, "capture_id", match[1]);
      if (method === "POST" && match[2]) return captured ? refundCapture(captured, body, representation) : notFound(OPS.refundCapture, "capture_id", match[1]);
    }
    if (method === "GET" && (match = /^\/v2\/payments\/refunds\/([^/]+)$/.exec(path))) {
      const record = owned(refunds, match[1], account);
      return record ? { status: 200, body: record.refund } : notFound(OPS.showRefund, "refund_id", match[1]);
    }
    if (method === "POST" && path === "/v1/notifications/verify-webhook-signature") return verifyWebhookSignature(account, body ?? {});
    if (method === "GET" && (match = /^\/v1\/notifications\/webhooks\/([^/]+)$/.exec(path))) {
      return match[1] === account.webhookId ? { status: 200, body: webhookView(account) } : notFound(OPS.showWebhook, "webhook_id", match[1]);
    }
    if (method === "GET" && (match = /^\/v1\/notifications\/webhooks-events\/([^/]+)$/.exec(path))) {
      const record = webhooks.find((w) => w.event.id === match[1] && w.clientId === account.clientId);
      return record ? { status: 200, body: record.event } : notFound(OPS.showEvent, "event_id", match[1]);
    }
    return paypalError(opOfPath(path), 404);
  }

  /** The failure POST /_emulator/fail-next asked for this call, if any (used up by it). */
  function takeFailure(method, path) {
    const failing = failNext.find((f) => (!f.path || path.startsWith(f.path)) && (!f.method || f.method === method));
    if (!failing) return null;
    failing.count -= 1;
    failNext = failNext.filter((f) => f.count > 0);
    return failing;
  }

  /** Every /v1 and /v2 call: recorded, then failed if told to, authenticated, and replayed for a known PayPal-Request-Id. */
  function paypal(req, path, raw) {
    const body = parseJson(raw);
    requests.push({ method: req.method, path, headers: { ...req.headers }, body: body === NOT_JSON ? raw : (body ?? null), at: new Date().toISOString() });
    const failing = takeFailure(req.method, path);
    if (failing) return failing.status === 401 ? { status: 401, body: AUTHENTICATION_FAILURE } : paypalError(opOfPath(path), failing.status);
    if (req.method === "POST" && path === "/v1/oauth2/token") return issueToken(req, raw);
    const account = bearer(req);
    if (!account) return { status: 401, body: AUTHENTICATION_FAILURE };
    const representation = /return=representation/i.test(req.headers.prefer ?? "");
    const requestId = req.headers["paypal-request-id"];
    if (req.method !== "POST" || !requestId) return api(account, req.method, path, body, representation);
    // PayPal scopes a PayPal-Request-Id to the app and the call. Handlers run synchronously, so
    // of two identical requests arriving together the first has stored its answer before the
    // second looks.
    const key = `${account.clientId} ${path} ${requestId}`;
    if (idempotent.has(key)) return idempotent.get(key);
    const response = api(account, req.method, path, body, representation);
    const answer = { status: response.status, text: JSON.stringify(response.body) };
    if (response.status < 500) idempotent.set(key, answer);
    return { ...answer, cut: response.cut };
  }

  // ---- test helpers (/_emulator): not part of PayPal's API

  const ok = (body) => ({ status: 200, body });
  const helperError = (status, field, issue, description) => paypalError(OPS.helper, status, { ...(field ? { field } : {}), issue, description });
  const CAPTURE_OUTCOMES = ["COMPLETED", "PENDING", "DECLINED"];
  const CAPTURE_ERRORS = ["INSTRUMENT_DECLINED", "PAYER_ACTION_REQUIRED"];
  const PENDING_REASONS = specs.docs["checkout_orders_v2.json"].components.schemas.capture_status_details.properties.reason.enum;

  function registerAccount(body) {
    for (const field of ["clientId", "clientSecret"]) {
      if (typeof body[field] !== "string" || body[field] === "") return helperError(400, `/${field}`, "MISSING_REQUIRED_PARAMETER", `${field} is required.`);
    }
    // The spec's pattern for webhook ids (verify-webhook-signature's webhook_id).
    if (typeof body.webhookId !== "string" || !/^[a-zA-Z0-9]{1,50}$/.test(body.webhookId)) {
      return helperError(400, "/webhookId", "INVALID_PARAMETER_VALUE", "webhookId must be 1 to 50 letters and digits.");
    }
    if (body.webhookUrl !== undefined && (typeof body.webhookUrl !== "string" || !URL.canParse(body.webhookUrl))) {
      return helperError(400, "/webhookUrl", "INVALID_PARAMETER_VALUE", "webhookUrl must be a URL.");
    }
    const account = addAccount(body);
    return ok(pick(account, ["clientId", "webhookId", "webhookUrl", "merchantId", "email"]));
  }

  function setFailNext({ path, method, status, count = 1 }) {
    if (!Number.isInteger(status) || status < 400 || status > 599) return helperError(400, "/status", "INVALID_PARAMETER_VALUE", "status must be an HTTP error status (400-599).");
    if (!Number.isInteger(count) || count < 1) return helperError(400, "/count", "INVALID_PARAMETER_VALUE", "count must be a positive integer.");
    if (path !== undefined && (typeof path !== "string" || !path.startsWith("/"))) return helperError(400, "/path", "INVALID_PARAMETER_VALUE", "path must be a path prefix, starting with /.");
    if (method !== undefined && typeof method !== "string") return helperError(400, "/method", "INVALID_PARAMETER_VALUE", "method must be an HTTP method.");
    failNext.push({ path, method: method?.toUpperCase(), status, count });
    return ok({ failing: failNext.reduce((sum, f) => sum + f.count, 0) });
  }

  /** POST /_emulator/conditions: `clientId` names the account; see readCondition for the rest. */
  function setCondition(body) {
    const account = byClientId.get(body.clientId);
    if (!account) return helperError(400, "/clientId", "INVALID_PARAMETER_VALUE", "clientId must be the client id of an account the emulator holds.");
    const condition = readCondition(body);
    if (condition.field) return helperError(400, `/${condition.field}`, "INVALID_PARAMETER_VALUE", condition.message);
    if (condition.mode === "decline_retriable") {
      return helperError(400, "/mode", "INVALID_PARAMETER_VALUE", "PayPal declines nothing when an order is created (the buyer pays later, at approval and capture): decline_retriable is a Stripe condition.");
    }
    return ok(conditions.set(account.clientId, condition));
  }

  function sign({ body, webhookId, transmissionTime, certUrl, expired }) {
    if (typeof body !== "string") return helperError(400, "/body", "MISSING_REQUIRED_PARAMETER", "body must be the raw webhook body, a string.");
    if (typeof webhookId !== "string" || webhookId === "") return helperError(400, "/webhookId", "MISSING_REQUIRED_PARAMETER", "webhookId is required.");
    const key = expired === true ? expiredSigner : signer;
    return ok(signatureHeaders(body, webhookId, { key, ...pick({ transmissionTime, certUrl }, ["transmissionTime", "certUrl"]) }));
  }

  function orderHelper(record, action, body) {
    const { order } = record;
    if (action === "outcome") {
      for (const [field, allowed] of Object.entries({ capture: CAPTURE_OUTCOMES, reason: PENDING_REASONS, error: CAPTURE_ERRORS })) {
        if (body[field] !== undefined && !allowed.includes(body[field])) {
          return helperError(400, `/${field}`, "INVALID_PARAMETER_VALUE", `${field} must be one of ${allowed.join(", ")}.`);
        }
      }
      if ((body.capture === undefined) === (body.error === undefined)) return helperError(400, "/capture", "MISSING_REQUIRED_PARAMETER", "Give either capture or error.");
      record.outcome = body.error ? { error: body.error } : pick(body, ["capture", "reason"]);
      return ok(record.outcome);
    }
    if (action === "void") {
      if (order.status === "COMPLETED" || order.status === "VOIDED") return helperError(422, undefined, "ORDER_CANNOT_BE_VOIDED", `The order is ${order.status}.`);
      moveOrder(order, "VOIDED");
      return ok(order);
    }
    if (!AWAITING_APPROVAL.includes(order.status)) return helperError(422, undefined, "ORDER_NOT_AWAITING_APPROVAL", `The order is ${order.status}, not awaiting the buyer's approval.`);
    return action === "approve" ? ok({ return_url: approve(record) }) : ok({ cancel_url: cancel(record) });
  }

  function captureHelper(captured, action, body) {
    const { capture, account } = captured;
    if (action === "complete" || action === "deny") {
      if (capture.status !== "PENDING") return helperError(422, undefined, "CAPTURE_NOT_PENDING", `The capture is ${capture.status}, not PENDING.`);
      delete capture.status_details;
      Object.assign(capture, { status: action === "complete" ? "COMPLETED" : "DECLINED", update_time: timestamp() });
      if (action === "complete") capture.seller_receivable_breakdown = receivable(capture.amount);
      emitCapture(captured, action === "complete" ? "COMPLETED" : "DENIED");
      return ok(captureView(captured));
    }
    if (action === "reverse") {
      const left = refundableOf(captured);
      if (!["COMPLETED", "PARTIALLY_REFUNDED"].includes(capture.status) || left === 0n) {
        return helperError(422, undefined, "CAPTURE_NOT_REVERSIBLE", `The capture is ${capture.status} with nothing left to reverse.`);
      }
      // PayPal takes back what the merchant still holds, and reports it as a refund of the capture.
      const { refund } = addRefund(captured, left, "COMPLETED", { note_to_payer: "Payment reversed", ...pick(capture, ["custom_id", "invoice_id"]) });
      emit(account, "PAYMENT.CAPTURE.REVERSED", "refund", refund, `A ${amountText(refund.amount)} capture payment was reversed`);
      return ok(refund);
    }
    const { reason = "MERCHANDISE_OR_SERVICE_NOT_RECEIVED" } = body;
    if (!DISPUTE_REASONS.includes(reason)) return helperError(400, "/reason", "INVALID_PARAMETER_VALUE", `reason must be one of ${DISPUTE_REASONS.join(", ")}.`);
    const id = `PP-D-${randomInt(10_000, 100_000)}`;
    const time = timestamp();
    const dispute = {
      dispute_id: id,
      create_time: time,
      update_time: time,
      disputed_transactions: [
        {
          seller_transaction_id: capture.id,
          create_time: capture.create_time,
          transaction_status: "COMPLETED",
          gross_amount: capture.amount,
          ...(capture.invoice_id !== undefined ? { invoice_number: capture.invoice_id } : {}),
          ...(capture.custom_id !== undefined ? { custom: capture.custom_id } : {}),
          seller: { merchant_id: account.merchantId, email: account.email },
          seller_protection_eligible: true,
        },
      ],
      reason,
      status: "OPEN",
      dispute_amount: capture.amount,
      dispute_life_cycle_stage: "INQUIRY",
      dispute_channel: "INTERNAL",
      links: [link(`${base}/v1/customer/disputes/${id}`, "self")],
    };
    // Disputes belong to the v1 Disputes API: its resources are version 1.0.
    emit(account, "CUSTOMER.DISPUTE.CREATED", "dispute", dispute, `A new dispute opened with Case # ${id}`, "1.0");
    return ok(dispute);
  }

  function refundHelper(record, action) {
    const { refund } = record;
    if (refund.status !== "PENDING") return helperError(422, undefined, "REFUND_NOT_PENDING", `The refund is ${refund.status}, not PENDING.`);
    settleRefund(record, action === "complete" ? "COMPLETED" : "FAILED");
    emitRefund(record);
    return ok(refund);
  }

  function helper(method, path, body) {
    let match;
    if (body === NOT_JSON || (body !== undefined && (typeof body !== "object" || body === null || Array.isArray(body)))) {
      return helperError(400, "/", "MALFORMED_REQUEST_JSON", "The body must be a JSON object.");
    }
    body ??= {};
    if (method === "POST" && path === "/_emulator/accounts") return registerAccount(body);
    if (method === "GET" && path === "/_emulator/requests") return ok(requests);
    if (method === "DELETE" && path === "/_emulator/requests") return ok({ cleared: requests.splice(0).length });
    if (method === "GET" && path === "/_emulator/webhooks") return ok(webhooks);
    if (method === "GET" && path === "/_emulator/orders") return ok([...orders.values()].map((record) => record.order));
    if (method === "POST" && path === "/_emulator/fail-next") return setFailNext(body);
    if (method === "POST" && path === "/_emulator/sign") return sign(body);
    if (method === "POST" && path === "/_emulator/conditions") return setCondition(body);
    if (method === "GET" && path === "/_emulator/conditions") return ok(conditions.list());
    if (method === "POST" && path === "/_emulator/tokens/expire") {
      for (const grant of tokens.values()) grant.expiresAt = 0;
      return ok({ expired: tokens.size });
    }
    if (method === "POST" && path === "/_emulator/refunds/next") {
      if (!["PENDING", "COMPLETED"].includes(body.status)) return helperError(400, "/status", "INVALID_PARAMETER_VALUE", "status must be PENDING or COMPLETED.");
      nextRefundStatus = body.status;
      return ok({ status: nextRefundStatus });
    }
    if (method === "POST" && (match = /^\/_emulator\/orders\/([^/]+)\/(outcome|approve|cancel|void)$/.exec(path))) {
      const record = orders.get(match[1]);
      return record ? orderHelper(record, match[2], body) : helperError(404, "/id", "INVALID_RESOURCE_ID", `No order ${match[1]}.`);
    }
    if (method === "POST" && (match = /^\/_emulator\/captures\/([^/]+)\/(complete|deny|reverse|dispute)$/.exec(path))) {
      const captured = captures.get(match[1]);
      return captured ? captureHelper(captured, match[2], body) : helperError(404, "/capture_id", "INVALID_RESOURCE_ID", `No capture ${match[1]}.`);
    }
    if (method === "POST" && (match = /^\/_emulator\/refunds\/([^/]+)\/(complete|fail)$/.exec(path))) {
      const record = refunds.get(match[1]);
      return record ? refundHelper(record, match[2]) : helperError(404, "/refund_id", "INVALID_RESOURCE_ID", `No refund ${match[1]}.`);
    }
    return helperError(404, undefined, "INVALID_RESOURCE_ID", `No emulator helper ${method} ${path}.`);
  }

  // ---- HTTP

  function route(req, url, raw) {
    const path = url.pathname;
    if (path.startsWith("/_emulator/")) return helper(req.method, path, parseJson(raw));
    if (path === "/checkoutnow" || path.startsWith("/checkoutnow/")) return checkout(req.method, url);
    const cert = /^\/v1\/notifications\/certs\/([\w-]+)$/.exec(path);
    if (req.method === "GET" && cert) {
      const failing = takeFailure(req.method, path);
      if (failing) return paypalError(OPS.showEvent, failing.status);
      const key = [signer, expiredSigner].find((s) => s.name === cert[1]);
      return key ? { status: 200, headers: { "Content-Type": "application/x-pem-file" }, text: key.pem } : paypalError(OPS.showEvent, 404);
    }
    return paypal(req, path, raw);
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const { status, body, text, headers = {}, cut } = route(req, new URL(req.url, base), Buffer.concat(chunks).toString("utf8"));
      if (cut) return req.socket.destroy();
      const debug = body?.debug_id ? { "Paypal-Debug-Id": body.debug_id } : {};
      res.writeHead(status, { "Content-Type": "application/json", ...debug, ...headers });
      res.end(text ?? JSON.stringify(body));
    });
  });

  return new Promise((resolve) => {
    // port 0: any free port; the url names the one it got.
    server.listen(port, "127.0.0.1", () => {
      base = `http://127.0.0.1:${server.address().port}`;
      resolve({
        url: base,
        /** Where webhooks' PAYPAL-CERT-URL points, and the certificate served there. */
        certUrl: certUrlOf(signer),
        certificatePem: signer.pem,
        close: () =>
          new Promise((done) => {
            closing.abort();
            retries.forEach(clearTimeout);
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
  const emulator = await startPayPalEmulator({
    port: Number(arg("port", 12115)),
    accounts: [
      {
        clientId: arg("client-id", "emulator-client-id"),
        clientSecret: arg("client-secret", "emulator-client-secret"),
        webhookId: arg("webhook-id", "0EMULATORWEBHOOK"),
        webhookUrl: arg("webhook-url"),
      },
    ],
  });
  console.log(`PayPal emulator on ${emulator.url}`);
}
