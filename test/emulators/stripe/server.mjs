// A local Stripe emulator for tests and local development. It speaks Stripe's wire format for
// the calls the platform makes: form-encoded bodies with bracket notation, `Authorization:
// Bearer sk_test_…`, `Idempotency-Key` (a replay answers the first response), Stripe's error
// object, PaymentIntent and Refund objects with their status machines, and signed webhooks
// (`Stripe-Signature: t=…,v1=…`). It holds several accounts, each with its own secret key,
// webhook secret and webhook URL: an object belongs to the account whose key created it, and
// another account's key is told it does not exist, as Stripe does. Test helpers under /_emulator
// register accounts, drive payments and refunds to their outcomes, inject failures, set an
// account's failure condition for new PaymentIntents, and hand out the webhooks it has signed.
//
//   node test/emulators/stripe/server.mjs --port 12111 --api-key sk_test_… \
//     --webhook-secret whsec_… [--webhook-url http://127.0.0.1:8787/api/v1/webhooks/stripe]
import { createHash, createHmac, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { conditionsBy, readCondition } from "../conditions.mjs";

const id = (prefix) => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
const now = () => Math.floor(Date.now() / 1000);

/** Stripe's form encoding: `metadata[order]=1&expand[0]=x` -> { metadata: { order: "1" }, expand: ["x"] }. */
export function parseForm(body) {
  const out = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = rawKey.replace(/\]/g, "").split("[");
    let node = out;
    path.forEach((part, i) => {
      const last = i === path.length - 1;
      const key = part === "" ? String(Object.keys(node).length) : part;
      if (last) node[key] = value;
      else node = node[key] ??= /^\d*$/.test(path[i + 1]) ? [] : {};
    });
  }
  return out;
}

const stripeError = (status, type, code, message, param) => ({
  status,
  body: { error: { type, code, message, ...(param ? { param } : {}), doc_url: `https://stripe.com/docs/error-codes/${code}` } },
});

// Transitions a PaymentIntent may take through the test helpers, as Stripe allows them.
const PI_CANCELLABLE = ["requires_payment_method", "requires_confirmation", "requires_action", "processing"];
const PI_MOVES = {
  requires_action: ["requires_payment_method", "requires_confirmation"],
  processing: ["requires_payment_method", "requires_confirmation", "requires_action"],
  succeeded: ["requires_payment_method", "requires_confirmation", "requires_action", "processing"],
  // a declined attempt leaves the PaymentIntent waiting for another payment method
  requires_payment_method: ["requires_payment_method", "requires_confirmation", "requires_action", "processing"],
};

/**
 * `accounts`: `{ apiKey, webhookSecret, webhookUrl? }` each; more can be added at run time
 * (POST /_emulator/accounts). An account's id is derived from its key, so it is the same on
 * every start.
 */
export function startStripeEmulator({ port = 12111, accounts = [] } = {}) {
  /** api key -> { id, apiKey, webhookSecret, webhookUrl, created } */
  const byKey = new Map();
  const intents = new Map();
  const refunds = new Map();
  /** object id (pi_…, re_…) -> the account whose key created it */
  const ownerOf = new Map();
  const idempotent = new Map();
  const requests = [];
  const deliveries = [];
  let failNext = [];
  const conditions = conditionsBy("account");

  function addAccount({ apiKey, webhookSecret, webhookUrl }) {
    const known = byKey.get(apiKey);
    if (known) return Object.assign(known, { webhookSecret, webhookUrl: webhookUrl ?? null });
    const digest = createHash("sha256").update(apiKey).digest("base64").replace(/[^A-Za-z0-9]/g, "");
    const account = { id: `acct_${digest.slice(0, 16)}`, apiKey, webhookSecret, webhookUrl: webhookUrl ?? null, created: now() };
    byKey.set(apiKey, account);
    return account;
  }
  accounts.forEach(addAccount);

  /** The object if `account` owns it: another account's objects do not exist for it. */
  const owned = (objects, objectId, account) => (ownerOf.get(objectId) === account ? objects.get(objectId) : undefined);

  /** GET /v1/account: the fields of Stripe's account object a direct, activated account has. */
  const accountObject = (account) => ({
    id: account.id,
    object: "account",
    business_type: null,
    capabilities: { card_payments: "active", transfers: "active" },
    charges_enabled: true,
    country: "US",
    created: account.created,
    default_currency: "usd",
    details_submitted: true,
    email: null,
    metadata: {},
    payouts_enabled: true,
    type: "standard",
  });

  function paymentIntent(params) {
    const pi = id("pi");
    return {
      id: pi,
      object: "payment_intent",
      amount: Number(params.amount),
      amount_capturable: 0,
      amount_details: { tip: {} },
      amount_received: 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: params.automatic_payment_methods ? { enabled: params.automatic_payment_methods.enabled === "true" } : null,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: "automatic",
      client_secret: `${pi}_secret_${randomBytes(12).toString("hex")}`,
      confirmation_method: "automatic",
      created: now(),
      currency: params.currency,
      customer: null,
      description: params.description ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: params.metadata ?? {},
      next_action: null,
      on_behalf_of: null,
      payment_method: null,
      payment_method_options: {},
      payment_method_types: ["card"],
      processing: null,
      receipt_email: params.receipt_email ?? null,
      review: null,
      setup_future_usage: null,
      shipping: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status: "requires_payment_method",
      transfer_data: null,
      transfer_group: null,
    };
  }

  function emit(account, type, object) {
    const event = {
      id: id("evt"),
      object: "event",
      api_version: "2026-10-28.endive",
      created: now(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
    const body = JSON.stringify(event);
    const t = now();
    const v1 = createHmac("sha256", account.webhookSecret).update(`${t}.${body}`).digest("hex");
    const delivery = { event_id: event.id, type, account: account.id, headers: { "Content-Type": "application/json", "Stripe-Signature": `t=${t},v1=${v1}` }, body };
    deliveries.push(delivery);
    if (account.webhookUrl) {
      fetch(account.webhookUrl, { method: "POST", headers: delivery.headers, body }).catch(() => {});
    }
    return event;
  }

  function movePaymentIntent(pi, status, error) {
    if (!PI_MOVES[status]?.includes(pi.status)) {
      return stripeError(400, "invalid_request_error", "payment_intent_unexpected_state", `You cannot move a PaymentIntent from ${pi.status} to ${status}.`);
    }
    pi.status = status;
    const account = ownerOf.get(pi.id);
    if (status === "succeeded") {
      pi.amount_received = pi.amount;
      pi.latest_charge = id("ch");
      emit(account, "payment_intent.succeeded", pi);
    } else if (status === "requires_action") {
      pi.next_action = { type: "redirect_to_url", redirect_to_url: { url: `https://hooks.stripe.com/3d_secure/${pi.id}`, return_url: null } };
      emit(account, "payment_intent.requires_action", pi);
    } else if (status === "processing") {
      emit(account, "payment_intent.processing", pi);
    } else if (status === "requires_payment_method") {
      pi.last_payment_error = error;
      emit(account, "payment_intent.payment_failed", pi);
    }
    return { status: 200, body: pi };
  }

  function settleRefund(refund, status) {
    if (refund.status !== "pending") {
      return stripeError(400, "invalid_request_error", "refund_unexpected_state", `The refund is already ${refund.status}.`);
    }
    refund.status = status;
    if (status === "failed") refund.failure_reason = "declined";
    const account = ownerOf.get(refund.id);
    emit(account, "refund.updated", refund);
    if (status === "failed") emit(account, "refund.failed", refund);
    else {
      const pi = intents.get(refund.payment_intent);
      emit(account, "charge.refunded", { id: pi.latest_charge, object: "charge", amount: pi.amount, amount_refunded: refundedOf(pi.id), currency: pi.currency, payment_intent: pi.id, metadata: pi.metadata, refunded: refundedOf(pi.id) >= pi.amount });
    }
    return { status: 200, body: refund };
  }

  const refundedOf = (pi) =>
    [...refunds.values()].filter((r) => r.payment_intent === pi && r.status !== "failed" && r.status !== "canceled").reduce((s, r) => s + r.amount, 0);

  /** The Stripe API proper (/v1), called with `account`'s key. */
  function api(account, method, path, params) {
    let match;
    if (method === "GET" && path === "/v1/account") return { status: 200, body: accountObject(account) };
    if (method === "POST" && path === "/v1/payment_intents") {
      if (!params.amount || !/^\d+$/.test(params.amount)) return stripeError(400, "invalid_request_error", "parameter_missing", "Missing required param: amount.", "amount");
      if (!params.currency) return stripeError(400, "invalid_request_error", "parameter_missing", "Missing required param: currency.", "currency");
      if (Number(params.amount) < 50 && !["jpy", "krw", "vnd", "clp", "pyg", "xaf", "xof", "ugx"].includes(params.currency)) {
        return stripeError(400, "invalid_request_error", "amount_too_small", "Amount must be at least $0.50 usd", "amount");
      }
      const pi = paymentIntent(params);
      intents.set(pi.id, pi);
      ownerOf.set(pi.id, account);
      return { status: 200, body: pi };
    }
    if ((match = /^\/v1\/payment_intents\/([^/]+)(\/cancel)?$/.exec(path))) {
      const pi = owned(intents, match[1], account);
      if (!pi) return stripeError(404, "invalid_request_error", "resource_missing", `No such payment_intent: '${match[1]}'`, "intent");
      if (method === "GET" && !match[2]) return { status: 200, body: pi };
      if (method === "POST" && match[2]) {
        if (!PI_CANCELLABLE.includes(pi.status)) {
          return stripeError(400, "invalid_request_error", "payment_intent_unexpected_state", `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`);
        }
        Object.assign(pi, { status: "canceled", canceled_at: now(), cancellation_reason: params.cancellation_reason ?? null });
        emit(account, "payment_intent.canceled", pi);
        return { status: 200, body: pi };
      }
    }
    if (method === "POST" && path === "/v1/refunds") {
      const pi = owned(intents, params.payment_intent, account);
      if (!pi) return stripeError(400, "invalid_request_error", "resource_missing", `No such payment_intent: '${params.payment_intent}'`, "payment_intent");
      if (pi.status !== "succeeded") return stripeError(400, "invalid_request_error", "charge_not_refundable", "This PaymentIntent has no successful charge to refund.");
      const amount = params.amount ? Number(params.amount) : pi.amount - refundedOf(pi.id);
      if (amount <= 0 || refundedOf(pi.id) + amount > pi.amount) {
        return stripeError(400, "invalid_request_error", "amount_too_large", "Refund amount is greater than unrefunded amount on charge.", "amount");
      }
      const refund = {
        id: id("re"),
        object: "refund",
        amount,
        balance_transaction: null,
        charge: pi.latest_charge,
        created: now(),
        currency: pi.currency,
        destination_details: { card: { type: "refund" }, type: "card" },
        metadata: params.metadata ?? {},
        payment_intent: pi.id,
        reason: params.reason ?? null,
        receipt_number: null,
        source_transfer_reversal: null,
        status: "pending",
        transfer_reversal: null,
      };
      refunds.set(refund.id, refund);
      ownerOf.set(refund.id, account);
      emit(account, "refund.created", refund);
      return { status: 200, body: refund };
    }
    if (method === "GET" && (match = /^\/v1\/refunds\/([^/]+)$/.exec(path))) {
      const refund = owned(refunds, match[1], account);
      return refund ? { status: 200, body: refund } : stripeError(404, "invalid_request_error", "resource_missing", `No such refund: '${match[1]}'`, "id");
    }
    return stripeError(404, "invalid_request_error", "resource_missing", `Unrecognized request URL (${method}: ${path}).`);
  }

  /**
   * A call under its account's condition: a new PaymentIntent is refused while Stripe is down
   * (503, nothing made), declined retriably (402 processing_error, as when a server-side confirm
   * meets a processor fault: the PaymentIntent is made and waits for another payment method), cut
   * off before anything is made (`timeout`), or made and its answer cut off (`cut`). Every other call is answered as usual.
   */
  function answer(account, method, path, params) {
    const mode = method === "POST" && path === "/v1/payment_intents" ? conditions.draw(account.id) : null;
    if (mode === "down") return stripeError(503, "api_error", "api_error", "Stripe is temporarily unavailable; nothing was done. Try again later.");
    if (mode === "timeout") return { cut: true };
    const response = api(account, method, path, params);
    if (response.status !== 200) return response;
    if (mode === "timeout_after_charge") return { ...response, cut: true };
    if (mode !== "decline_retriable") return response;
    const declined = stripeError(402, "card_error", "processing_error", "An error occurred while processing your card. Try again in a little bit.");
    const { body: pi } = movePaymentIntent(response.body, "requires_payment_method", structuredClone(declined.body.error));
    declined.body.error.payment_intent = structuredClone(pi);
    return declined;
  }

  /** POST /_emulator/conditions: `api_key` names the account; see readCondition for the rest. */
  function setCondition(params) {
    const account = byKey.get(params.api_key);
    if (!account) return stripeError(400, "invalid_request_error", "parameter_invalid", "api_key must be the secret key of an account the emulator holds.", "api_key");
    const condition = readCondition(params);
    if (condition.field) return stripeError(400, "invalid_request_error", "parameter_invalid", condition.message, condition.field);
    return { status: 200, body: conditions.set(account.id, condition) };
  }

  /** Test helpers (/_emulator): not part of Stripe's API. */
  function helper(method, path, params) {
    let match;
    if (method === "POST" && (match = /^\/_emulator\/payment_intents\/([^/]+)\/(succeed|fail|require_action|process)$/.exec(path))) {
      const pi = intents.get(match[1]);
      if (!pi) return stripeError(404, "invalid_request_error", "resource_missing", "No such payment_intent.");
      const declined = { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };
      const to = { succeed: "succeeded", fail: "requires_payment_method", require_action: "requires_action", process: "processing" }[match[2]];
      return movePaymentIntent(pi, to, match[2] === "fail" ? declined : null);
    }
    if (method === "POST" && (match = /^\/_emulator\/refunds\/([^/]+)\/(succeed|fail)$/.exec(path))) {
      const refund = refunds.get(match[1]);
      if (!refund) return stripeError(404, "invalid_request_error", "resource_missing", "No such refund.");
      return settleRefund(refund, match[2] === "succeed" ? "succeeded" : "failed");
    }
    if (method === "POST" && path === "/_emulator/accounts") {
      for (const [param, pattern] of [["api_key", /^sk_(test|live)_\w+$/], ["webhook_secret", /^whsec_\w+$/]]) {
        if (!pattern.test(params[param] ?? "")) return stripeError(400, "invalid_request_error", "parameter_invalid", `${param} must match ${pattern}.`, param);
      }
      if (params.webhook_url !== undefined && !URL.canParse(params.webhook_url)) {
        return stripeError(400, "invalid_request_error", "parameter_invalid", "webhook_url must be a URL.", "webhook_url");
      }
      const account = addAccount({ apiKey: params.api_key, webhookSecret: params.webhook_secret, webhookUrl: params.webhook_url });
      return { status: 200, body: { id: account.id, webhook_url: account.webhookUrl } };
    }
    if (method === "POST" && path === "/_emulator/fail-next") {
      failNext = Array.from({ length: Number(params.count ?? 1) }, () => Number(params.status ?? 500));
      return { status: 200, body: { failing: failNext.length } };
    }
    if (method === "POST" && path === "/_emulator/conditions") return setCondition(params);
    if (method === "GET" && path === "/_emulator/conditions") return { status: 200, body: conditions.list() };
    if (method === "GET" && path === "/_emulator/requests") return { status: 200, body: requests };
    if (method === "GET" && path === "/_emulator/deliveries") return { status: 200, body: deliveries };
    if (method === "GET" && path === "/_emulator/payment_intents") return { status: 200, body: [...intents.values()] };
    if (method === "GET" && path === "/_emulator/refunds") return { status: 200, body: [...refunds.values()] };
    return stripeError(404, "invalid_request_error", "resource_missing", `No emulator helper ${method} ${path}.`);
  }

  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const url = new URL(req.url, "http://localhost");
      const params = req.method === "GET" ? parseForm(url.search.slice(1)) : parseForm(raw);
      const send = ({ status, body }, headers = {}) => {
        res.writeHead(status, { "Content-Type": "application/json", "Request-Id": id("req"), ...headers });
        res.end(JSON.stringify(body));
      };
      if (url.pathname.startsWith("/_emulator/")) return send(helper(req.method, url.pathname, req.method === "GET" ? params : JSON.parse(raw || "{}")));

      const key = req.headers["idempotency-key"];
      const bearer = (req.headers.authorization ?? "").replace(/^Bearer /, "");
      requests.push({ method: req.method, path: url.pathname, idempotency_key: key ?? null, api_key_last4: bearer.slice(-4), traceparent: req.headers.traceparent ?? null, params, at: Date.now() });
      const account = byKey.get(bearer);
      if (!account) {
        return send(stripeError(401, "invalid_request_error", "api_key_invalid", "Invalid API Key provided."));
      }
      if (failNext.length > 0) {
        const status = failNext.shift();
        return send(stripeError(status, status === 429 ? "invalid_request_error" : "api_error", status === 429 ? "rate_limit" : "api_error", "Injected failure."), { "Stripe-Should-Retry": "true" });
      }
      if (req.method === "POST" && key) {
        // Stripe scopes idempotency keys to the account.
        const scoped = `${account.id}:${key}`;
        const previous = idempotent.get(scoped);
        if (previous) {
          if (previous.fingerprint !== `${url.pathname}?${raw}`) {
            return send(stripeError(400, "idempotency_error", "idempotency_key_in_use", "Keys for idempotent requests can only be used with the same parameters they were first used with."));
          }
          return send(previous.response, { "Idempotent-Replayed": "true" });
        }
        const { cut, ...response } = answer(account, req.method, url.pathname, params);
        if (response.status < 500) idempotent.set(scoped, { fingerprint: `${url.pathname}?${raw}`, response: structuredClone(response) });
        return cut ? req.socket.destroy() : send(response);
      }
      const { cut, ...response } = answer(account, req.method, url.pathname, params);
      return cut ? req.socket.destroy() : send(response);
    });
  });

  return new Promise((resolve) => {
    // port 0: any free port; the url names the one it got.
    server.listen(port, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => server.close(done)) }),
    );
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const emulator = await startStripeEmulator({
    port: Number(arg("port", 12111)),
    accounts: [{ apiKey: arg("api-key", "sk_test_emulator"), webhookSecret: arg("webhook-secret", "whsec_emulator"), webhookUrl: arg("webhook-url") }],
  });
  console.log(`Stripe emulator on ${emulator.url}`);
}
