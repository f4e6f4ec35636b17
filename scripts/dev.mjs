// `npm run dev`: local D1 migrations, a demo merchant with a fixed test key, the Stripe, PayPal and
// BTCPay emulators and a local mail server, then `wrangler dev`, with the cron triggers fired on
// their schedule and the dashboard rebuilt as its sources change; the demo merchant's BTCPay store
// is connected once the platform answers.
// Safe to run again: migrations already applied are skipped and the demo rows are INSERT OR IGNORE.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, copyFileSync, existsSync, readFileSync } from "node:fs";
import { Cron } from "croner";
import { unstable_readConfig } from "wrangler";
import { startBTCPayEmulator } from "../test/emulators/btcpay/server.mjs";
import { startPayPalEmulator } from "../test/emulators/paypal/server.mjs";
import { startSmtpServer } from "../test/emulators/smtp/server.mjs";
import { startStripeEmulator } from "../test/emulators/stripe/server.mjs";
import { waitForServer } from "./local-platform.mjs";
import { withoutRuntimeNetworkTraces } from "./runtime-log-filter.mjs";

export const DEMO_KEY = "sk_test_demo0000000000000000000000000000";
const DEMO_MERCHANT = "mch_demo";
const HOST = "127.0.0.1";
const PORT = 8787;
const STRIPE_EMULATOR_PORT = 12111;
// The demo merchant's own Stripe account in the emulator, fixed so that the README's
// PUT /api/v1/merchant/channels/stripe example runs as written.
const DEMO_STRIPE = { apiKey: "sk_test_merchant_demo_local", webhookSecret: "whsec_merchant_demo_local" };
const PAYPAL_EMULATOR_PORT = 12117;
// The demo merchant's own PayPal app in the emulator, for the README's PUT /api/v1/merchant/channels/paypal.
const DEMO_PAYPAL = { clientId: "paypal_merchant_demo_local", clientSecret: "paypal_merchant_demo_secret", webhookId: "4MERCHANTDEMOLOCAL" };
const BTCPAY_EMULATOR_PORT = 12123;
// The local mail server: the Worker sends receipts and alerts to SMTP_PORT, they show at MAIL_PAGE_PORT.
const SMTP_PORT = 1025;
const MAIL_PAGE_PORT = 8025;
const SMTP_FROM = "receipts@pay.example.com";
// mch_demo's own BTCPay store in the emulator (crypto has no platform account: each merchant runs its own).
const DEMO_BTCPAY = {
  storeId: "7Hc4DemoStoreLocaLBTCPayEmuLatorForMchDemo23",
  apiKey: "btcpay_demo_store_api_key_local",
  webhookSecret: "btcpay_demo_store_webhook_secret",
};

// The dashboard's demo people, made through the admin API once the platform answers (local only).
const DEMO_OWNER = { email: "owner@demo.example", password: "demo-owner-password", role: "owner" };
const DEMO_OPERATOR = { email: "operator@demo.example", password: "demo-operator-password", role: "admin" };

const WRANGLER = "node_modules/.bin/wrangler";
const CRONS = unstable_readConfig({ config: "wrangler.toml" }).triggers.crons ?? [];

/** Runs a wrangler command quietly; its output is shown only if it fails. */
function step(label, args) {
  console.log(`▸ ${label}`);
  // CI=true: wrangler takes its non-interactive defaults instead of prompting.
  const result = spawnSync(WRANGLER, args, { encoding: "utf8", env: { ...process.env, CI: "true" } });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}\n✗ ${label} failed\n`);
    process.exit(result.status ?? 1);
  }
}

// Local secrets: .dev.vars starts as a copy of .dev.vars.example and gains any secret added since.
const secretNames = (text) => new Set(text.split("\n").filter((l) => /^\w+=/.test(l)).map((l) => l.split("=")[0]));
if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("▸ created .dev.vars from .dev.vars.example");
} else {
  const have = secretNames(readFileSync(".dev.vars", "utf8"));
  const missing = readFileSync(".dev.vars.example", "utf8").split("\n").filter((l) => /^\w+=/.test(l) && !have.has(l.split("=")[0]));
  if (missing.length > 0) {
    appendFileSync(".dev.vars", `\n${missing.join("\n")}\n`);
    console.log(`▸ added ${missing.map((l) => l.split("=")[0]).join(", ")} to .dev.vars`);
  }
}

step("applying D1 migrations to the local database", ["d1", "migrations", "apply", "DB", "--local"]);

const hash = createHash("sha256").update(DEMO_KEY).digest("hex");
const now = Date.now();
step("ensuring the demo merchant, its test key and its receipts exist", [
  "d1", "execute", "DB", "--local", "--command",
  `INSERT OR IGNORE INTO merchants (id, name, email, status, created_at, updated_at)
     VALUES ('${DEMO_MERCHANT}', 'Demo Merchant', 'demo@example.com', 'active', ${now}, ${now});
   INSERT OR IGNORE INTO api_keys (id, merchant_id, livemode, key_hash, key_prefix, created_at)
     VALUES ('key_demo', '${DEMO_MERCHANT}', 0, '${hash}', '${DEMO_KEY.slice(0, 12)}', ${now});
   INSERT OR IGNORE INTO receipt_settings (merchant_id, enabled, business_name, support_email, updated_at)
     VALUES ('${DEMO_MERCHANT}', 1, NULL, 'support@demo.example', ${now});`,
]);

const base = `http://${HOST}:${PORT}`;

// The Stripe channel runs against the local Stripe emulator: the platform's account with the keys
// in .dev.vars, and the demo merchant's own account. It posts each account's signed webhooks to
// that account's path on the platform, as Stripe would.
const devVars = Object.fromEntries(
  readFileSync(".dev.vars", "utf8").split("\n").filter((l) => /^\w+=/.test(l)).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
);
const stripeEmulator = `http://${HOST}:${STRIPE_EMULATOR_PORT}`;
try {
  await startStripeEmulator({
    port: STRIPE_EMULATOR_PORT,
    accounts: [
      { apiKey: devVars.STRIPE_API_KEY, webhookSecret: devVars.STRIPE_WEBHOOK_SECRET, webhookUrl: `${base}/api/v1/webhooks/stripe` },
      { ...DEMO_STRIPE, webhookUrl: `${base}/api/v1/webhooks/stripe/${DEMO_MERCHANT}` },
    ],
  });
} catch (error) {
  console.warn(`▸ Stripe emulator not started (${error.message}); is another one on ${stripeEmulator}?`);
}

// PayPal likewise: the platform's REST app (.dev.vars) and mch_demo's own, each posting its signed
// webhooks to its path; the buyer's approval page is the emulator's.
const paypalEmulator = `http://${HOST}:${PAYPAL_EMULATOR_PORT}`;
try {
  await startPayPalEmulator({
    port: PAYPAL_EMULATOR_PORT,
    accounts: [
      {
        clientId: devVars.PAYPAL_CLIENT_ID,
        clientSecret: devVars.PAYPAL_CLIENT_SECRET,
        webhookId: devVars.PAYPAL_WEBHOOK_ID,
        webhookUrl: `${base}/api/v1/webhooks/paypal`,
      },
      { ...DEMO_PAYPAL, webhookUrl: `${base}/api/v1/webhooks/paypal/${DEMO_MERCHANT}` },
    ],
  });
} catch (error) {
  console.warn(`▸ PayPal emulator not started (${error.message}); is another one on ${paypalEmulator}?`);
}

const btcpayEmulator = `http://${HOST}:${BTCPAY_EMULATOR_PORT}`;
try {
  await startBTCPayEmulator({
    port: BTCPAY_EMULATOR_PORT,
    stores: [{ ...DEMO_BTCPAY, webhookUrl: `${base}/api/v1/webhooks/btcpay/${DEMO_MERCHANT}` }],
    // a payment confirms in 5 s and a refund's payout completes as fast, instead of blocks' minutes
    stepMs: 5000,
  });
} catch (error) {
  console.warn(`▸ BTCPay emulator not started (${error.message}); is another one on ${btcpayEmulator}?`);
}
const mailPage = `http://${HOST}:${MAIL_PAGE_PORT}`;
try {
  await startSmtpServer({ smtpPort: SMTP_PORT, webPort: MAIL_PAGE_PORT });
} catch (error) {
  console.warn(`▸ mail server not started (${error.message}); is another one on ${HOST}:${SMTP_PORT} / ${mailPage}?`);
}
console.log(`
────────────────────────────────────────────────────────────────────────
 Edge payment platform, local
   API        ${base}
   Docs       ${base}/docs
   Dashboard  ${base}/dashboard
              ${DEMO_MERCHANT}'s owner      ${DEMO_OWNER.email} / ${DEMO_OWNER.password}
              operator (admin)     ${DEMO_OPERATOR.email} / ${DEMO_OPERATOR.password}
   Mail       ${mailPage}   (what the platform emails: receipts, alerts; SMTP on ${HOST}:${SMTP_PORT})
   Health     ${base}/healthz
   Cron       ${CRONS.join(", ")} (UTC), fired by this script as in production
   Demo key   ${DEMO_KEY}   (merchant ${DEMO_MERCHANT}, test mode, local only)
   Stripe     emulator on ${stripeEmulator} (channel "stripe"; see README)
              platform's account   ${devVars.STRIPE_API_KEY}
              ${DEMO_MERCHANT}'s own       ${DEMO_STRIPE.apiKey}, webhook secret ${DEMO_STRIPE.webhookSecret}
   BTCPay     emulator on ${btcpayEmulator} (channel "btcpay"; pay at the invoice's checkout page)
              ${DEMO_MERCHANT}'s store      ${DEMO_BTCPAY.storeId}, connected at start
   PayPal     emulator on ${paypalEmulator} (channel "paypal"; approve at its /checkoutnow page)
              platform's app       ${devVars.PAYPAL_CLIENT_ID}
              ${DEMO_MERCHANT}'s own       ${DEMO_PAYPAL.clientId} / ${DEMO_PAYPAL.clientSecret}, webhook ${DEMO_PAYPAL.webhookId}

 Try:
   curl -s ${base}/api/v1/payments -H "Authorization: Bearer ${DEMO_KEY}" \\
     -H "Content-Type: application/json" \\
     -d '{"order_no":"ORD-'$(date +%s)'","amount":10000,"currency":"USD"}'
   curl -s ${base}/api/v1/payments -H "Authorization: Bearer ${DEMO_KEY}"
   curl -s ${base}/api/v1/orders -H "Authorization: Bearer ${DEMO_KEY}" \\
     -H "Content-Type: application/json" \\
     -d '{"customer_email":"test@example.com","currency":"USD","items":[{"product_id":"prod_1","product_name":"A","unit_price":10000,"quantity":1}]}'
   curl -s -X POST ${base}/api/v1/orders/OR…/pay -H "Authorization: Bearer ${DEMO_KEY}"
────────────────────────────────────────────────────────────────────────
`);

const dev = spawn(
  WRANGLER,
  [
    "dev", "--ip", HOST, "--port", String(PORT), "--test-scheduled",
    "--var", `STRIPE_API_BASE:${stripeEmulator}`,
    "--var", `PAYPAL_API_BASE:${paypalEmulator}`,
    // buyers come back from the PayPal emulator's approval page to the local checkout pages
    "--var", `PUBLIC_BASE_URL:${base}`,
    // email goes to the local mail server (plain SMTP, no sign-in: SMTP_USER is empty in .dev.vars)
    "--var", `SMTP_HOST:${HOST}`,
    "--var", `SMTP_PORT:${SMTP_PORT}`,
    "--var", `SMTP_FROM:${SMTP_FROM}`,
  ],
  {
    stdio: ["inherit", "pipe", "pipe"],
    // offline, the runtime's fetch of Cloudflare's request metadata fails with a trace at every start
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", ...(process.stdout.isTTY ? { FORCE_COLOR: "1" } : {}) },
  },
);
dev.stdout.pipe(withoutRuntimeNetworkTraces()).pipe(process.stdout);
dev.stderr.pipe(withoutRuntimeNetworkTraces()).pipe(process.stderr);

// The dashboard's bundle (assets/dashboard), rebuilt on every change to dashboard/; wrangler dev
// serves the new files at the next request.
const dashboard = spawn(process.execPath, ["scripts/build-dashboard.mjs", "--watch"], { stdio: "inherit" });

// wrangler dev never fires cron triggers by itself: fire each on its production schedule, so that
// reconciliation, sweeps and rollups run locally as they do deployed.
const crons = CRONS.map(
  (expression) =>
    new Cron(expression, { timezone: "UTC" }, () =>
      fetch(`${base}/__scheduled?cron=${encodeURIComponent(expression)}`).catch((error) =>
        console.warn(`▸ cron ${expression} not fired: ${error.message}`),
      ),
    ),
);

// The store's credentials are sealed by the Worker, so they go in through its API, as a merchant's would.
waitForServer(base, { timeoutMs: 120_000 })
  .then(() =>
    fetch(`${base}/api/v1/merchant/channels/btcpay`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${DEMO_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        server_url: btcpayEmulator,
        store_id: DEMO_BTCPAY.storeId,
        api_key: DEMO_BTCPAY.apiKey,
        webhook_secret: DEMO_BTCPAY.webhookSecret,
      }),
    }),
  )
  .then(async (res) => {
    if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
    console.log(`▸ ${DEMO_MERCHANT} connected to its BTCPay store on ${btcpayEmulator}`);
  })
  .catch((error) => console.warn(`▸ ${DEMO_MERCHANT}'s BTCPay store not connected: ${error.message}`))
  .then(ensureDemoPeople);

/** The demo owner and operator, through the admin API as an operator would make them (409: already there). */
async function ensureDemoPeople() {
  const made = [
    ["/api/v1/admin/merchants/" + DEMO_MERCHANT + "/users", DEMO_OWNER],
    ["/api/v1/admin/operators", DEMO_OPERATOR],
  ].map(async ([path, person]) => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${devVars.ADMIN_API_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify(person),
    });
    if (!res.ok && res.status !== 409) throw new Error(`${person.email}: ${res.status} ${await res.text()}`);
  });
  try {
    await Promise.all(made);
    console.log(`▸ dashboard: sign in at ${base}/dashboard as ${DEMO_OWNER.email} or ${DEMO_OPERATOR.email} (passwords above)`);
  } catch (error) {
    console.warn(`▸ demo dashboard people not made: ${error.message}`);
  }
}

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => {
  for (const cron of crons) cron.stop();
  dashboard.kill("SIGTERM");
  process.exit(code ?? 0);
});
