// `npm run bench`: runs the platform locally (wrangler's local runtime, workerd; scripts/serve.mjs) on a fresh database, loads
// it with autocannon and prints each figure beside a bare route measured in the same run.
// Writes bench/results.json. A benchmark, not a test: it asserts nothing, it measures.
import autocannon from "autocannon";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { migrate, runtimePids, startPlatform, waitForServer } from "../scripts/local-platform.mjs";

const PORT = 8799;
const BASE = `http://127.0.0.1:${PORT}`;
// Throwaway state on tmpfs when there is one: local persistence fsyncs every Durable Object's
// SQLite file, a cost of the local emulation that production storage does not have.
const STATE = existsSync("/dev/shm") ? `/dev/shm/edge-payments-bench-${process.pid}` : ".wrangler/bench-state";
const ADMIN = "bench-admin-token";
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);

rmSync(STATE, { recursive: true, force: true });
mkdirSync("bench", { recursive: true });
migrate(STATE);
rmSync("bench/wrangler.log", { force: true });
const server = startPlatform({
  port: PORT,
  state: STATE,
  log: "bench/wrangler.log",
  vars: { ADMIN_API_TOKEN: ADMIN, SANDBOX_WEBHOOK_SECRET: "whsec_bench", SANDBOX_DELAY_MS: process.env.BENCH_SANDBOX_DELAY_MS ?? 1000 },
});
const stop = () => {
  server.stop();
  rmSync(STATE, { recursive: true, force: true });
};
process.on("exit", stop);
process.on("SIGINT", () => process.exit(130));

const rssMb = () =>
  runtimePids(server.pid).reduce((sum, pid) => {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    return sum + kb / 1024;
  }, 0);

async function json(path, init) {
  const res = await fetch(`${BASE}${path}`, init);
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

let peakMb = 0;
const sampler = setInterval(() => (peakMb = Math.max(peakMb, rssMb())), 100);

function load(name, options) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: DURATION, ...options }, (err, result) => {
      if (err) return reject(err);
      resolve({
        name,
        rps: Math.round(result.requests.average),
        p50: result.latency.p50,
        p99: result.latency.p99,
        requests: result.requests.total,
        ok: Object.entries(result.statusCodeStats ?? {})
          .filter(([code]) => code.startsWith("2"))
          .reduce((sum, [, stat]) => sum + stat.count, 0),
        non2xx: result.non2xx,
        codes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count])),
        errors: result.errors + result.timeouts,
      });
    });
  });
}

await waitForServer(BASE);
const created = await json("/api/v1/admin/merchants", {
  method: "POST",
  headers: { Authorization: `Bearer ${ADMIN}`, "Content-Type": "application/json" },
  body: JSON.stringify({ name: "Bench Merchant", email: "bench@example.com" }),
});
const key = created.api_keys.test.secret;
const auth = { Authorization: `Bearer ${key}`, "Content-Type": "application/json" };
const one = await json("/api/v1/payments", {
  method: "POST",
  headers: auth,
  body: JSON.stringify({ order_no: "bench-read", amount: 1999, currency: "USD" }),
});
// warm up every path once so that the first measured requests do not pay for compilation
await load("warmup", { url: `${BASE}/healthz`, duration: 2 });
const idleMb = rssMb();

const results = [];
results.push(await load("bare route GET /healthz", { url: `${BASE}/healthz` }));
let seq = 0;
const runId = Date.now().toString(36);
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
// Let the background work of the creates (sandbox webhooks, queue, projection) finish before the
// reads are measured, and time it: how long until D1 shows every created payment as settled.
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

results.push(await load("GET /api/v1/payments/:paymentNo", { url: `${BASE}/api/v1/payments/${one.payment_no}`, headers: auth }));
results.push(await load("GET /api/v1/payments?limit=20", { url: `${BASE}/api/v1/payments?limit=20`, headers: auth }));
clearInterval(sampler);

const bare = results[0];
const rows = results.map((r) => ({
  ...r,
  rps_ratio: +(r.rps / bare.rps).toFixed(2),
  p50_ratio: +(r.p50 / Math.max(bare.p50, 1)).toFixed(2),
  p99_ratio: +(r.p99 / Math.max(bare.p99, 1)).toFixed(2),
}));
const memory = { idle_mb: Math.round(idleMb), peak_mb: Math.round(peakMb), peak_ratio: +(peakMb / idleMb).toFixed(2) };

const pad = (s, n) => String(s).padEnd(n);
console.log(`\n${CONNECTIONS} connections, ${DURATION} s each, wrangler local runtime (workerd, inspector off) on this machine, state in ${STATE}\n`);
console.log(`${pad("route", 36)}${pad("req/s", 9)}${pad("×bare", 7)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}${pad("×bare p99", 10)}non-2xx`);
for (const r of rows) {
  console.log(`${pad(r.name, 36)}${pad(r.rps, 9)}${pad(r.rps_ratio, 7)}${pad(r.p50, 8)}${pad(r.p99, 8)}${pad(r.p99_ratio, 10)}${r.non2xx + r.errors}`);
}
for (const r of rows.filter((r) => r.non2xx > 0)) console.log(`${r.name}: answers by status ${JSON.stringify(r.codes)}`);
console.log(`\nruntime memory (workerd RSS): idle ${memory.idle_mb} MB, peak ${memory.peak_mb} MB (×${memory.peak_ratio} idle)`);
console.log(
  `settling after the create load: ${settle.settled_in_d1}/${settle.payments} payments succeeded in D1 ` +
    `${settle.seconds} s after the load stopped (sandbox webhooks → queue → PaymentDO → D1)` +
    (pollErrors ? `; ${pollErrors} polls failed and were repeated` : ""),
);
// What the runtime logged as errors during the run: the local runtime's SQLite runs out of memory
// when a few thousand Durable Objects are live at once (each payment is one).
const logged = readFileSync("bench/wrangler.log", "utf8").split("\n");
const runtime = { errors: logged.filter((l) => l.includes("ERROR")).length, sqlite_nomem: logged.filter((l) => l.includes("SQLITE_NOMEM")).length };
console.log(`runtime errors logged: ${runtime.errors} (SQLITE_NOMEM: ${runtime.sqlite_nomem}); see bench/wrangler.log`);

writeFileSync(
  "bench/results.json",
  `${JSON.stringify({ date: new Date().toISOString(), connections: CONNECTIONS, duration_s: DURATION, results: rows, memory, settle, runtime }, null, 2)}\n`,
);
console.log("written to bench/results.json");
stop();
process.exit(0);
