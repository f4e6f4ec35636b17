// What one payment costs from create to `succeeded` in D1 with its events delivered: workerd's CPU
// time (from /proc) and the operations Cloudflare bills (counted by the platform's meter, which
// the bench switches on with BENCH_METER=on), each divided by the number of payments, beside the
// CPU of one bare request measured the same way.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU milliseconds (user + system) the processes have used so far. */
export function cpuMs(pids) {
  return pids.reduce((sum, pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return sum + ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    } catch {
      return sum;
    }
  }, 0);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until the processes have been idle (under 1 % of a core) for `quietMs`. */
async function quiescent(pids, quietMs = 3000, limitMs = 120_000) {
  const deadline = Date.now() + limitMs;
  let last = cpuMs(pids);
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(500);
    const now = cpuMs(pids);
    if (now - last > 5) quietSince = Date.now();
    last = now;
    if (Date.now() - quietSince >= quietMs) return;
  }
}

/** Runs `count` calls of `task` with at most `concurrency` in flight. */
async function pool(count, concurrency, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** Subtracts meter readings: counts present in `after` minus those in `before`. */
function difference(after, before) {
  if (typeof after === "number") return after - (before ?? 0);
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, difference(v, before?.[k])]).filter(([, v]) => typeof v === "object" || v !== 0));
}

const perPayment = (counts, n) =>
  Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, typeof v === "number" ? +(v / n).toFixed(2) : perPayment(v, n)]));

const total = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * Measures `payments` lifecycles, created `concurrency` at a time, each notified to a local
 * merchant endpoint, until the runtime is idle; then checks them (every payment succeeded in D1,
 * every notification received). The bare route's CPU per request is measured before and after.
 */
export async function measureLifecycle({ base, pids, adminToken, payments = 200, concurrency = 8, bareRequests = 3000 }) {
  let notified = 0;
  const receiver = createServer((req, res) => {
    notified++;
    req.resume();
    req.on("end", () => res.writeHead(200).end("ok"));
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const receiverUrl = `http://127.0.0.1:${receiver.address().port}/hooks`;
  const call = async (path, init = {}) => {
    const res = await fetch(`${base}${path}`, init);
    if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  try {
    const merchant = await call("/api/v1/admin/merchants", {
      method: "POST",
      headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Lifecycle Merchant", email: "lifecycle@example.com" }),
    });
    const auth = { Authorization: `Bearer ${merchant.api_keys.test.secret}`, "Content-Type": "application/json" };
    await call("/api/v1/merchant/webhook-endpoint", { method: "PUT", headers: auth, body: JSON.stringify({ url: receiverUrl, events: [] }) });
    // one payment first, so that compilation and first-use costs are not counted
    await call("/api/v1/payments", { method: "POST", headers: auth, body: JSON.stringify({ order_no: "lifecycle-warmup", amount: 500, currency: "USD" }) });
    await quiescent(pids);
    notified = 0;

    // the bare route's CPU, measured before and after the lifecycles (it varies from run to run)
    const bareCpu = async () => {
      const before = cpuMs(pids);
      await pool(bareRequests, concurrency, async () => void (await (await fetch(`${base}/healthz`)).text()));
      const used = (cpuMs(pids) - before) / bareRequests;
      await quiescent(pids);
      return used;
    };
    const bareBefore = await bareCpu();

    // the meter answers only when the platform runs with BENCH_METER=on
    const readMeter = async () => {
      const res = await fetch(`${base}/__meter`);
      return res.ok ? res.json() : null;
    };
    const meterBefore = await readMeter();
    const perProcess = pids.map((pid) => cpuMs([pid]));
    const cpu = cpuMs(pids);
    const started = Date.now();
    await pool(payments, concurrency, (i) =>
      call("/api/v1/payments", {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ order_no: `lifecycle-${i}`, amount: 1000 + i, currency: "USD", customer_email: `buyer${i}@example.com` }),
      }),
    );
    await quiescent(pids);
    const lifecycleCpuMs = (cpuMs(pids) - cpu) / payments;
    // wrangler's proxy listens on the address the bench calls; the runtime behind it on another
    const role = (pid) => (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(`entry=${new URL(base).host}`) ? "proxy" : "runtime");
    const byProcess = Object.fromEntries(pids.map((pid, i) => [role(pid), +((cpuMs([pid]) - perProcess[i]) / payments).toFixed(2)]));
    const seconds = (Date.now() - started) / 1000;
    const meterAfter = await readMeter();
    const bareCpuMs = (bareBefore + (await bareCpu())) / 2;

    // outside the measured window: did every lifecycle finish?
    const succeeded = await countAll(call, auth, "/api/v1/payments?status=succeeded&limit=100", (p) => p.order_no.startsWith("lifecycle-") && p.order_no !== "lifecycle-warmup");
    const result = {
      payments,
      concurrency,
      seconds: +seconds.toFixed(1),
      succeeded_in_d1: succeeded,
      notifications_received: notified,
      bare_cpu_ms: +bareCpuMs.toFixed(3),
      lifecycle_cpu_ms: +lifecycleCpuMs.toFixed(2),
      lifecycle_in_bare_requests: +(lifecycleCpuMs / bareCpuMs).toFixed(1),
      lifecycle_cpu_ms_by_process: byProcess,
    };
    if (!meterBefore) return result;
    const counts = difference(meterAfter, meterBefore);
    const ops = perPayment(counts, payments);
    return {
      ...result,
      per_payment: {
        worker_invocations: +(total(counts.invocations ?? {}) / payments).toFixed(2),
        object_requests: +(total(counts.objectRequests ?? {}) / payments).toFixed(2),
        object_rows_written: ops.objectRowsWritten ?? 0,
        // the sandbox is the channel here; with Stripe or PayPal its rows are theirs
        object_rows_written_by_the_sandbox: ops.objectRowsWrittenByClass?.SandboxProcessorDO ?? 0,
        object_rows_read: ops.objectRowsRead ?? 0,
        d1_calls: ops.d1Calls ?? 0,
        d1_statements: +(total(counts.d1Statements ?? {}) / payments).toFixed(2),
        d1_writes: ops.d1Writes ?? 0,
        d1_rows_written: ops.d1RowsWritten ?? 0,
        d1_rows_read: ops.d1RowsRead ?? 0,
        d1_writes_uncounted: ops.d1WritesUncounted ?? 0,
        queue_messages: +(total(counts.queueMessages ?? {}) / payments).toFixed(2),
        subrequests: ops.subrequests ?? 0,
      },
      detail: ops,
    };
  } finally {
    receiver.close();
  }
}

async function countAll(call, auth, path, keep) {
  let count = 0;
  let after = "";
  for (;;) {
    const page = await call(`${path}${after}`, { headers: auth });
    count += page.data.filter(keep).length;
    if (!page.has_more) return count;
    after = `&starting_after=${page.data.at(-1).payment_no}`;
  }
}
