// `npm run chaos`: the crash test. Loads the platform (wrangler's local runtime, state on disk)
// with concurrent payment creates and refunds, kills the whole runtime with SIGKILL mid-load,
// starts it again on the same state, retries the creates that got no answer, lets the cron run,
// and checks that nothing acknowledged was lost:
// - every payment answered 2xx exists once (one per order_no), reaches a final status, is in D1
//   with that status, and has its events;
// - every retried create answers one payment (the same one on any further retry);
// - every refund answered 2xx reaches a final status, in its payment and in D1.
// Prints the counts; exits non-zero if any check fails. Bounded: at most MAX_REQUESTS creates
// within LOAD_MS.
import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate, startPlatform, waitForServer } from "../../scripts/local-platform.mjs";

const PORT = Number(process.env.CHAOS_PORT ?? 8797);
const BASE = `http://127.0.0.1:${PORT}`;
const STATE = join(tmpdir(), `edge-payments-chaos-${process.pid}`);
const LOG = join(STATE, "wrangler.log");
const ADMIN = "chaos-admin-token";
const CONCURRENCY = 20;
const MAX_REQUESTS = 2000;
const LOAD_MS = 8000;
/** When the runtime dies: a random moment in the middle of the load, or CHAOS_KILL_AFTER_MS. */
const KILL_AFTER_MS = Number(process.env.CHAOS_KILL_AFTER_MS ?? 2500 + Math.floor(Math.random() * 3000));
const SETTLE_TIMEOUT_MS = 120_000;
const FINAL = new Set(["succeeded", "failed", "cancelled", "partially_refunded", "refunded"]);

const VARS = {
  ADMIN_API_TOKEN: ADMIN,
  SANDBOX_WEBHOOK_SECRET: "whsec_chaos",
  SANDBOX_DELAY_MS: 1000,
  // the cron treats work older than this as stranded (production: 120 s)
  RECONCILE_AFTER_SECONDS: 5,
};

rmSync(STATE, { recursive: true, force: true });
mkdirSync(STATE, { recursive: true });
migrate(STATE);
let platform = startPlatform({ port: PORT, state: STATE, vars: VARS, log: LOG });
process.on("exit", () => {
  platform.stop();
  if (!process.exitCode) rmSync(STATE, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(path, { method = "GET", key, body, headers = {} } = {}) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: {
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      ...(body ? { "Content-Type": "application/json" } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

await waitForServer(BASE);
const merchant = await call("/api/v1/admin/merchants", {
  method: "POST",
  key: ADMIN,
  body: { name: "Chaos Merchant", email: "chaos@example.com" },
});
const KEY = merchant.json.api_keys.test.secret;

// Payments to refund during the load, made and settled before it.
const REFUNDABLE_COUNT = 40;
const refundable = [];
for (let i = 0; i < REFUNDABLE_COUNT; i++) {
  const res = await call("/api/v1/payments", { method: "POST", key: KEY, body: { order_no: `chaos-refundable-${i}`, amount: 5000, currency: "USD" } });
  refundable.push(res.json.payment_no);
}
for (const no of refundable) {
  while ((await call(`/api/v1/payments/${no}`, { key: KEY })).json.status !== "succeeded") await sleep(200);
}

// ── load, then the crash ───────────────────────────────────────────────────
/** order_no → { body, answer: status | "none", paymentNo } */
const creates = new Map();
/** refunds answered 2xx: refund_no → payment_no */
const refunds = new Map();
let sent = 0;
let crashed = false;
const started = Date.now();

async function createLoop(worker) {
  for (let i = 0; !crashed && sent < MAX_REQUESTS && Date.now() - started < LOAD_MS; i++) {
    sent++;
    const orderNo = `chaos-${worker}-${i}`;
    const body = {
      order_no: orderNo,
      amount: 1000 + ((worker * 7919 + i) % 9000),
      currency: "USD",
      payment_method: i % 7 === 3 ? "pm_sandbox_declined" : "pm_sandbox_success",
    };
    const entry = { body, answer: "none", paymentNo: null };
    creates.set(orderNo, entry);
    try {
      const res = await call("/api/v1/payments", { method: "POST", key: KEY, body });
      // a status whose body the crash cut off is no answer either
      if (res.json !== null) {
        entry.answer = res.status;
        if (res.status < 300) entry.paymentNo = res.json.payment_no;
      }
    } catch {
      // no answer: the runtime died with the request in flight
    }
  }
}

/** Refunds the settled payments in parts (1000 of 5000 at a time) while the creates go on. */
async function refundLoop(worker) {
  for (let i = worker; !crashed && Date.now() - started < LOAD_MS; i += 2) {
    const paymentNo = refundable[i % REFUNDABLE_COUNT];
    try {
      const res = await call("/api/v1/refunds", { method: "POST", key: KEY, body: { payment_no: paymentNo, amount: 1000, reason: "chaos" } });
      if (res.status < 300 && res.json !== null) refunds.set(res.json.refund_no, paymentNo);
    } catch {
      // no answer
    }
    await sleep(50);
  }
}

const load = Promise.all([
  ...Array.from({ length: CONCURRENCY }, (_, w) => createLoop(w)),
  refundLoop(0),
  refundLoop(1),
]);
await sleep(KILL_AFTER_MS);
// no new request from here on: those in flight get no answer
crashed = true;
await platform.kill();
const killedAt = Date.now() - started;
await load;

const answered = [...creates.values()].filter((c) => typeof c.answer === "number");
const unanswered = [...creates.values()].filter((c) => c.answer === "none");
const answered2xx = answered.filter((c) => c.answer < 300);
const refundsAnswered = refunds.size;

// ── restart, retry what got no answer ──────────────────────────────────────
const restartedAt = Date.now();
platform = startPlatform({ port: PORT, state: STATE, vars: VARS, log: LOG });
await waitForServer(BASE);
const restartMs = Date.now() - restartedAt;

/** The create again, with the same order_no and body, until it is answered (503/502 are retried). */
async function retryCreate(entry) {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const res = await call("/api/v1/payments", { method: "POST", key: KEY, body: entry.body });
      if (res.status < 300) return res.json.payment_no;
      if (res.status < 500) return `refused ${res.status} ${res.json?.error?.code}`;
    } catch {
      // the runtime is still warming up
    }
    await sleep(500);
  }
  return "no answer";
}
const retried = [];
for (let i = 0; i < unanswered.length; i += CONCURRENCY) {
  const slice = unanswered.slice(i, i + CONCURRENCY);
  const answers = await Promise.all(slice.map(retryCreate));
  slice.forEach((entry, j) => retried.push({ entry, first: answers[j] }));
}
// a second retry of each answers the same payment
const again = await Promise.all(retried.map(({ entry }) => retryCreate(entry)));

// ── settle: the cron runs (production: every 5 minutes) until everything is final ──
const mustSettle = [
  ...refundable,
  ...answered2xx.map((c) => c.paymentNo),
  ...retried.filter((r) => r.first.startsWith("PY")).map((r) => r.first),
];
async function listAll(path) {
  const rows = [];
  let after = "";
  for (;;) {
    const page = await call(`${path}${path.includes("?") ? "&" : "?"}limit=100${after}`, { key: KEY });
    if (page.status !== 200) throw new Error(`${path}: ${page.status}`);
    rows.push(...page.json.data);
    if (!page.json.has_more) return rows;
    after = `&starting_after=${page.json.data.at(-1).id ?? page.json.data.at(-1).payment_no ?? page.json.data.at(-1).refund_no}`;
  }
}
async function inBatches(items, fn) {
  const out = [];
  for (let i = 0; i < items.length; i += CONCURRENCY) out.push(...(await Promise.all(items.slice(i, i + CONCURRENCY).map(fn))));
  return out;
}

async function check() {
  const truth = await inBatches(mustSettle, async (no) => (await call(`/api/v1/payments/${no}`, { key: KEY })).json);
  const d1 = await listAll("/api/v1/payments");
  const d1Refunds = await listAll("/api/v1/refunds");
  const events = await listAll("/api/v1/events");
  const byOrder = new Map();
  for (const row of d1) byOrder.set(row.order_no, [...(byOrder.get(row.order_no) ?? []), row]);
  const eventTypes = new Map();
  for (const e of events) eventTypes.set(e.payment_no, [...(eventTypes.get(e.payment_no) ?? []), e.type]);
  const problems = [];
  for (const payment of truth) {
    if (!payment?.payment_no) {
      problems.push(`a payment answered 2xx cannot be read: ${JSON.stringify(payment)}`);
      continue;
    }
    const rows = byOrder.get(payment.order_no) ?? [];
    if (!FINAL.has(payment.status)) problems.push(`${payment.payment_no} is ${payment.status}`);
    else if (rows.length !== 1) problems.push(`${payment.order_no} has ${rows.length} payments in D1`);
    else if (rows[0].status !== payment.status) problems.push(`${payment.payment_no} is ${payment.status}, ${rows[0].status} in D1`);
    else {
      const wanted = payment.status === "failed" ? "payment.failed" : "payment.succeeded";
      if (!(eventTypes.get(payment.payment_no) ?? []).includes(wanted)) problems.push(`${payment.payment_no} has no ${wanted} event`);
    }
  }
  const refundRows = new Map(d1Refunds.map((r) => [r.refund_no, r]));
  // every refund answered 2xx, and every refund that exists at all (some were made by requests the
  // crash left unanswered)
  for (const row of d1Refunds) if (!refunds.has(row.refund_no)) refunds.set(row.refund_no, row.payment_no);
  for (const [refundNo, paymentNo] of refunds) {
    const truthRefund = (await call(`/api/v1/refunds/${refundNo}`, { key: KEY })).json;
    if (!["succeeded", "failed"].includes(truthRefund?.status)) problems.push(`${refundNo} (of ${paymentNo}) is ${truthRefund?.status}`);
    else if (refundRows.get(refundNo)?.status !== truthRefund.status) problems.push(`${refundNo} is ${truthRefund.status}, ${refundRows.get(refundNo)?.status ?? "absent"} in D1`);
  }
  return { problems, truth };
}

const settleStarted = Date.now();
let result;
let crons = 0;
for (;;) {
  await fetch(`${BASE}/__scheduled`).catch(() => {});
  crons++;
  await sleep(3000);
  result = await check().catch((error) => ({ problems: [String(error)], truth: [] }));
  if (result.problems.length === 0 || Date.now() - settleStarted > SETTLE_TIMEOUT_MS) break;
}

// ── the report ─────────────────────────────────────────────────────────────
const retryProblems = retried
  .map(({ entry, first }, i) =>
    !first.startsWith("PY") ? `${entry.body.order_no}: retry answered ${first}` : again[i] !== first ? `${entry.body.order_no}: retries answered ${first} then ${again[i]}` : null,
  )
  .filter(Boolean);
const problems = [...result.problems, ...retryProblems];
const byStatus = {};
for (const p of result.truth) byStatus[p?.status] = (byStatus[p?.status] ?? 0) + 1;
const codes = {};
for (const c of answered) codes[c.answer] = (codes[c.answer] ?? 0) + 1;

console.log(`
crash test: ${CONCURRENCY} concurrent creates (and refunds), runtime killed (SIGKILL) after ${killedAt} ms
  creates sent            ${sent}
  answered                ${answered.length} ${JSON.stringify(codes)}
  unanswered (in flight)  ${unanswered.length}, retried after the restart: ${retried.filter((r) => r.first.startsWith("PY")).length} answered a payment, each the same on a second retry: ${retried.filter((r, i) => r.first.startsWith("PY") && again[i] === r.first).length}
  refunds answered 2xx    ${refundsAnswered}; refunds checked (with those made by unanswered requests) ${refunds.size}
  restart                 ${restartMs} ms; settled ${((Date.now() - settleStarted) / 1000).toFixed(1)} s after it, ${crons} cron runs
  payments checked        ${result.truth.length}, by status ${JSON.stringify(byStatus)}
  problems                ${problems.length}`);
for (const p of problems.slice(0, 30)) console.log(`    ${p}`);
if (problems.length > 30) console.log(`    … and ${problems.length - 30} more`);
if (problems.length > 0) {
  console.log(`state kept in ${STATE} (runtime log: ${LOG})`);
  process.exitCode = 1;
}
process.exit();
