// `npm run bench`: what a payment costs, in one run on this machine, each figure beside its
// baseline. First the local runtime's ceiling (bench/probe/, alone); then the platform (wrangler's
// local runtime, scripts/serve.mjs) on a fresh database with the bench's meter on: the CPU and the
// billed operations of one payment's lifecycle (bench/lifecycle.mjs) and what a million would cost,
// then each route under load beside the bare route. Writes bench/results.json. A benchmark, not a
// test: it asserts nothing, it measures. `npm run bench -- --scale` measures queries over a
// million payments and orders instead (bench/scale.mjs).
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { migrate, runtimePids, runtimeRssMb, startPlatform, waitForServer } from "../scripts/local-platform.mjs";
import { costOfAMillion, PRICES_READ_ON } from "./costs.mjs";
import { measureLifecycle } from "./lifecycle.mjs";
import { loader } from "./load.mjs";
import { measureCeiling } from "./probe/measure.mjs";
import { startProbe } from "./probe/start.mjs";

if (process.argv.includes("--scale")) {
  const { runScale } = await import("./scale.mjs");
  await runScale();
  process.exit(0);
}

const PORT = 8799;
const PROBE_PORT = 8796;
const BASE = `http://127.0.0.1:${PORT}`;
const PROBE = `http://127.0.0.1:${PROBE_PORT}`;
// Throwaway state on tmpfs when there is one: local persistence fsyncs every Durable Object's
// SQLite file, a cost of the local emulation that production storage does not have.
const STATE = existsSync("/dev/shm") ? `/dev/shm/edge-payments-bench-${process.pid}` : ".wrangler/bench-state";
const ADMIN = "bench-admin-token";
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
// the ceiling is a count of objects open at once (each stays open ~10 s): shorter runs miss it
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const LIFECYCLES = Number(process.env.BENCH_LIFECYCLES ?? 300);
const ROUTED_ROUNDS = Number(process.env.BENCH_ROUTED_ROUNDS ?? 200);
// each sign-in succeeds and opens a session (only failed sign-ins are rate limited)
const SIGN_IN_ROUNDS = Number(process.env.BENCH_SIGN_IN_ROUNDS ?? 50);
const LOG = "bench/wrangler.log";
const PROBE_LOG = "bench/probe/wrangler.log";
const load = loader({ connections: CONNECTIONS, duration: DURATION });
/** 5 rules on amount, currency, country and metadata, a 70/30 split by default, dynamic ordering on. */
const ROUTING_CONFIG = {
  name: "bench",
  rules: [
    { name: "big", when: { field: "amount", op: "gte", value: 1_000_000 }, then: { priority: ["sandbox"] } },
    { name: "eur", when: { all: [{ field: "currency", op: "eq", value: "EUR" }, { field: "amount", op: "lt", value: 500 }] }, then: { priority: ["sandbox"] } },
    { name: "asia", when: { field: "customer_country", op: "in", value: ["JP", "KR", "SG"] }, then: { priority: ["sandbox"] } },
    { name: "vip", when: { field: "metadata.tier", op: "eq", value: "vip" }, then: { priority: ["sandbox"] } },
    { name: "not-usd", when: { not: { field: "currency", op: "in", value: ["USD", "CAD"] } }, then: { priority: ["sandbox"] } },
  ],
  default: { split: [{ weight: 70, priority: ["sandbox"] }, { weight: 30, priority: ["sandbox"] }] },
  dynamic: { success_rate: true, exploration_percent: 5, elimination: true },
  max_attempts: 2,
};
/** 10 risk rules none of these payments matches, so all are tried; 3 read velocity counters. */
const RISK_RULES = [
  { name: "huge", action: "block", predicate: ":amount_in_usd: > 50000" },
  { name: "blocked domain", action: "block", predicate: ":customer_email_domain: in @blocked_domains" },
  { name: "sanctioned", action: "block", predicate: ":customer_country: in ('KP', 'IR', 'SY')" },
  { name: "testing cards", action: "block", predicate: ":failed_payments_per_ip_hourly: > 20" },
  { name: "email burst", action: "review", predicate: ":total_payments_per_email_hourly: > 10000" },
  { name: "big day", action: "review", predicate: ":total_amount_in_usd_per_customer_daily: > 1000000" },
  { name: "crypto big", action: "review", predicate: ":payment_method: = 'crypto' and :amount: > 100000" },
  { name: "odd email", action: "review", predicate: ":customer_email: like '%+test%@%'" },
  { name: "vip", action: "allow", predicate: "::tier:: = 'vip'" },
  { name: "watch eur", action: "review", predicate: ":currency: = 'EUR' and :amount: > 500000", shadow: true },
];

// ── the ceiling, alone on the machine ──────────────────────────────────────
rmSync(`${STATE}-probe`, { recursive: true, force: true });
rmSync(PROBE_LOG, { force: true });
const probe = startProbe({ port: PROBE_PORT, state: `${STATE}-probe`, log: PROBE_LOG });
let ceiling;
try {
  await waitForServer(PROBE, { path: "/bare" });
  ceiling = await measureCeiling({ load, base: PROBE, duration: DURATION });
} finally {
  await probe.stop();
  rmSync(`${STATE}-probe`, { recursive: true, force: true });
}

// ── the platform ───────────────────────────────────────────────────────────
rmSync(STATE, { recursive: true, force: true });
migrate(STATE);
rmSync(LOG, { force: true });
const server = startPlatform({
  port: PORT,
  state: STATE,
  log: LOG,
  vars: {
    ADMIN_API_TOKEN: ADMIN,
    SANDBOX_WEBHOOK_SECRET: "whsec_bench",
    // seals the lifecycle merchant's webhook secret (a clean clone has no .dev.vars)
    CHANNEL_CONFIG_KEY: "YmVuY2gtb25seS1jaGFubmVsLWNvbmZpZy1rZXkhISE=",
    SESSION_SIGNING_KEY: "YmVuY2gtb25seS1kYXNoYm9hcmQtc2Vzc2lvbi1rZXkhIQ==",
    SANDBOX_DELAY_MS: process.env.BENCH_SANDBOX_DELAY_MS ?? 1000,
    BENCH_METER: "on",
  },
});
const stop = async () => {
  await server.stop();
  rmSync(STATE, { recursive: true, force: true });
};
process.on("SIGINT", () => stop().then(() => process.exit(130)));

async function json(path, init) {
  const res = await fetch(`${BASE}${path}`, init);
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Mean and p50 latency (ms) of two kinds of request made one at a time, in turn (`plain` the
 * baseline), so neither meets a busier runtime than the other. Each is called with the round.
 */
async function alternating({ plain, other, rounds }) {
  const took = { plain: [], other: [] };
  const calls = { plain, other };
  for (let i = 0; i < rounds; i++) {
    for (const name of i % 2 ? ["other", "plain"] : ["plain", "other"]) {
      const started = performance.now();
      await calls[name](i);
      took[name].push(performance.now() - started);
    }
  }
  const figures = (ms) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return { mean_ms: +(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(2), p50_ms: +sorted[Math.floor(sorted.length / 2)].toFixed(2) };
  };
  return { rounds, plain: figures(took.plain), other: figures(took.other) };
}

/** Creates for two merchants in turn (`plain` the baseline), through `alternating`. */
function alternatingCreates({ plain, other, rounds, extra = {} }) {
  const create = (headers, name) => (i) =>
    json("/api/v1/payments", {
      method: "POST",
      headers,
      body: JSON.stringify({ order_no: `bench-one-${name}-${runId}-${i}-${Math.random()}`, amount: 1000 + i, currency: "USD", customer_country: "US", ...extra }),
    });
  return alternating({ plain: create(plain, "plain"), other: create(other, "other"), rounds });
}

await waitForServer(BASE);
const lifecycle = await measureLifecycle({ base: BASE, pids: runtimePids(server.pid), adminToken: ADMIN, payments: LIFECYCLES });
const costs = costOfAMillion(lifecycle);

let peakMb = 0;
const sampler = setInterval(() => (peakMb = Math.max(peakMb, runtimeRssMb(server.pid))), 100);
const created = await json("/api/v1/admin/merchants", {
  method: "POST",
  headers: { Authorization: `Bearer ${ADMIN}`, "Content-Type": "application/json" },
  body: JSON.stringify({ name: "Bench Merchant", email: "bench@example.com" }),
});
const auth = { Authorization: `Bearer ${created.api_keys.test.secret}`, "Content-Type": "application/json" };
const runId = Date.now().toString(36);
const one = await json("/api/v1/payments", {
  method: "POST",
  headers: auth,
  body: JSON.stringify({ order_no: "bench-read", amount: 1999, currency: "USD" }),
});
// A second merchant routed by ROUTING_CONFIG: 5 rules (none of which these payments match, so all
// are tried), a split, dynamic ordering with elimination. What routing costs a create is measured
// one create at a time, the two merchants alternating (so neither meets a busier runtime), and
// under load below.
const keyOf = async (name) => {
  const merchant = await json("/api/v1/admin/merchants", {
    method: "POST",
    headers: { Authorization: `Bearer ${ADMIN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name, email: `${name.toLowerCase().replaceAll(" ", "-")}@example.com` }),
  });
  return { Authorization: `Bearer ${merchant.api_keys.test.secret}`, "Content-Type": "application/json" };
};
const routedAuth = await keyOf("Bench Routed");
const version = await json("/api/v1/routing/configs", { method: "POST", headers: routedAuth, body: JSON.stringify(ROUTING_CONFIG) });
await json(`/api/v1/routing/configs/${version.id}/activate`, { method: "POST", headers: routedAuth });
// its plain twin, so the settling below still counts only the load's merchant
const routedCost = await alternatingCreates({ plain: await keyOf("Bench Plain"), other: routedAuth, rounds: ROUTED_ROUNDS });
// Risk: 10 rules, 3 of them velocity rules (per email, IP and customer), beside a merchant with
// none (the built-in rules switched off for both: the baseline is a create no rule looks at).
const [riskAuth, ruleless] = [await keyOf("Bench Risk"), await keyOf("Bench Ruleless")];
for (const headers of [riskAuth, ruleless]) {
  await json("/api/v1/risk/settings", { method: "PATCH", headers, body: JSON.stringify({ builtin_rules: false }) });
}
for (const rule of RISK_RULES) await json("/api/v1/risk/rules", { method: "POST", headers: riskAuth, body: JSON.stringify(rule) });
const riskCost = await alternatingCreates({
  plain: ruleless,
  other: riskAuth,
  rounds: ROUTED_ROUNDS,
  extra: { customer_email: "bench@example.com", customer_ip: "203.0.113.7", metadata: { tier: "standard" } },
});
// Dashboard sign-in: PBKDF2-SHA256 at 100,000 iterations, a session row and a signed token,
// beside a keyed read of the merchant (the cheapest authenticated request), one at a time.
const person = { email: `bench-${runId}@bench.example`, password: "bench sign-in password", role: "admin" };
await json("/api/v1/admin/operators", { method: "POST", headers: { Authorization: `Bearer ${ADMIN}`, "Content-Type": "application/json" }, body: JSON.stringify(person) });
const signInCost = await alternating({
  plain: () => json("/api/v1/merchant", { headers: auth }),
  other: () => json("/api/v1/session", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: person.email, password: person.password }) }),
  rounds: SIGN_IN_ROUNDS,
});
// warm up every path once so that the first measured requests do not pay for compilation
await load("warmup", { url: `${BASE}/healthz`, duration: 2 });
const idleMb = runtimeRssMb(server.pid);

const results = [];
results.push(await load("bare route GET /healthz", { url: `${BASE}/healthz` }));
let seq = 0;
results.push(
  await load("POST /api/v1/payments", {
    url: BASE,
    requests: [
      {
        method: "POST",
        path: "/api/v1/payments",
        headers: auth,
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ order_no: `bench-${runId}-${++seq}`, amount: 1000 + (seq % 500), currency: "USD" }),
        }),
      },
    ],
  }),
);
// Let the background work of the creates (sandbox webhooks, projection, notifications) finish
// before the reads are measured, and time it: how long until D1 shows every accepted payment settled.
const createdCount = results[1].ok + 1; // the creates answered 2xx, and the read fixture
const settleStarted = Date.now();
async function settledCount() {
  let count = 0;
  let after = "";
  for (;;) {
    const page = await json(`/api/v1/payments?status=succeeded&limit=100${after}`, { headers: auth });
    count += page.data.length;
    if (!page.has_more) return count;
    after = `&starting_after=${page.data.at(-1).payment_no}`;
  }
}
let settled = 0;
let pollErrors = 0;
let lastCron = Date.now();
for (;;) {
  // the cron (every 5 minutes in production) re-arms stalled work; here it runs every 15 s
  if (Date.now() - lastCron > 15_000) {
    lastCron = Date.now();
    await fetch(`${BASE}/__scheduled`).catch(() => {});
  }
  // a failed poll (the local runtime out of SQLite memory, say) is counted and polled again
  settled = await settledCount().catch(() => (pollErrors++, settled));
  if (settled >= createdCount || Date.now() - settleStarted > 300_000) break;
  await new Promise((r) => setTimeout(r, 1000));
}
const settle = { payments: createdCount, settled_in_d1: settled, failed_polls: pollErrors, seconds: +((Date.now() - settleStarted) / 1000).toFixed(1) };

// the same creates for the merchant routed by ROUTING_CONFIG
results.push(
  await load("POST /api/v1/payments, routed", {
    url: BASE,
    requests: [
      {
        method: "POST",
        path: "/api/v1/payments",
        headers: routedAuth,
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ order_no: `bench-routed-${runId}-${++seq}`, amount: 1000 + (seq % 500), currency: "USD", customer_country: "US" }),
        }),
      },
    ],
  }),
);

results.push(await load("GET /api/v1/payments/:paymentNo", { url: `${BASE}/api/v1/payments/${one.payment_no}`, headers: auth }));
results.push(await load("GET /api/v1/payments?limit=20", { url: `${BASE}/api/v1/payments?limit=20`, headers: auth }));
clearInterval(sampler);
await stop();

// ── the report ─────────────────────────────────────────────────────────────
const bare = results[0];
const rows = results.map((r) => ({
  ...r,
  rps_ratio: +(r.rps / bare.rps).toFixed(2),
  p50_ratio: +(r.p50 / Math.max(bare.p50, 1)).toFixed(2),
  p99_ratio: +(r.p99 / Math.max(bare.p99, 1)).toFixed(2),
}));
const createsPerSecond = Math.round(results[1].ok / DURATION);
const memory = { idle_mb: Math.round(idleMb), peak_mb: Math.round(peakMb), peak_ratio: +(peakMb / idleMb).toFixed(2) };
const pad = (s, n) => String(s).padEnd(n);

console.log(`\n${CONNECTIONS} connections, ${DURATION} s each, wrangler's local runtime (workerd, inspector off) on this machine, state in ${STATE}`);
console.log(`\nThe runtime's ceiling (bench/probe/: a Worker of its own, measured first, alone)`);
for (const r of ceiling.rows) {
  console.log(`  ${pad(r.name, 30)}${pad(`${r.rps} req/s`, 12)}×${pad(r.rps_ratio, 6)}2xx ${pad(`${Math.round(r.ok / DURATION)}/s`, 9)}${JSON.stringify(r.codes)}`);
}
console.log(`  create-payment's successful ${createsPerSecond}/s = ${(createsPerSecond / ceiling.ceiling_rps).toFixed(2)} × the ceiling's ${ceiling.ceiling_rps} new objects/s`);

const l = lifecycle;
console.log(`\nOne payment's lifecycle (create → sandbox → 2 webhooks → D1 → merchant notified), ${l.payments} payments, ${l.concurrency} at a time`);
console.log(`  workerd CPU: ${l.lifecycle_cpu_ms} ms per payment = ${l.lifecycle_in_bare_requests} × one bare request (${l.bare_cpu_ms} ms); by process ${JSON.stringify(l.lifecycle_cpu_ms_by_process)}`);
console.log(`  finished: ${l.succeeded_in_d1}/${l.payments} succeeded in D1, ${l.notifications_received}/${l.payments} notifications received`);
console.log(`  per payment: ${Object.entries(l.per_payment).map(([k, v]) => `${k} ${v}`).join(", ")}`);
console.log(`\nWhat one million payments cost on Cloudflare (list prices read ${PRICES_READ_ON}, allowances left out)`);
for (const c of costs.lines) console.log(`  ${pad(c.item, 44)}${pad(c.quantity, 16)}$${c.usd.toFixed(2)}`);
console.log(`  ${pad("total", 60)}$${costs.total_usd.toFixed(2)}`);

console.log(`\n${pad("route", 36)}${pad("req/s", 9)}${pad("×bare", 7)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}${pad("×bare p99", 10)}answers by status`);
for (const r of rows) {
  console.log(`${pad(r.name, 36)}${pad(r.rps, 9)}${pad(r.rps_ratio, 7)}${pad(r.p50, 8)}${pad(r.p99, 8)}${pad(r.p99_ratio, 10)}${JSON.stringify(r.codes)}${r.errors ? ` +${r.errors} errors` : ""}`);
}
const [plain, routedCreate] = [results[1], results.find((r) => r.name === "POST /api/v1/payments, routed")];
const side = (c) =>
  `one at a time, alternating, ${c.rounds} each: mean ${c.other.mean_ms} vs ${c.plain.mean_ms} ms (×${(c.other.mean_ms / c.plain.mean_ms).toFixed(2)}), ` +
  `p50 ${c.other.p50_ms} vs ${c.plain.p50_ms} ms (×${(c.other.p50_ms / c.plain.p50_ms).toFixed(2)})`;
console.log(
  `\ncreate with an active routing configuration (5 rules, a split, dynamic ordering) beside create without:\n` +
    `  ${side(routedCost)}\n` +
    `  under load (routed measured second): ${routedCreate.rps} vs ${plain.rps} req/s (×${(routedCreate.rps / plain.rps).toFixed(2)})`,
);
console.log(`create with 10 risk rules (3 velocity) beside create with none:\n  ${side(riskCost)}`);
console.log(`dashboard sign-in (PBKDF2-SHA256, 100,000 iterations) beside GET /api/v1/merchant with a key:\n  ${side(signInCost)}`);
console.log(`\nruntime memory (workerd RSS): idle ${memory.idle_mb} MB, peak ${memory.peak_mb} MB (×${memory.peak_ratio} idle)`);
console.log(
  `settling after the create load: ${settle.settled_in_d1}/${settle.payments} payments succeeded in D1 ` +
    `${settle.seconds} s after the load stopped` +
    (pollErrors ? `; ${pollErrors} polls failed and were repeated` : ""),
);
// What the runtime logged as errors: its SQLite runs out of memory past a few thousand open objects.
const logged = readFileSync(LOG, "utf8").split("\n");
const runtime = { errors: logged.filter((line) => line.includes("ERROR")).length, sqlite_nomem: logged.filter((line) => line.includes("SQLITE_NOMEM")).length };
console.log(`runtime errors logged: ${runtime.errors} (SQLITE_NOMEM: ${runtime.sqlite_nomem}); see ${LOG}`);

writeFileSync(
  "bench/results.json",
  `${JSON.stringify({ date: new Date().toISOString(), connections: CONNECTIONS, duration_s: DURATION, ceiling, lifecycle, costs, results: rows, routed_create: routedCost, risk_create: riskCost, sign_in: signInCost, memory, settle, runtime }, null, 2)}\n`,
);
console.log("written to bench/results.json");
process.exit(0);
