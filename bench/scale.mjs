// `npm run bench -- --scale` (or `node bench/scale.mjs`): a million payments and a million orders.
// Starts the platform on a fresh local database (wrangler's local runtime, scripts/serve.mjs),
// creates five merchants through the admin API, stops it and fills D1 with a year of payments,
// orders and their items (bench/scale-seed.mjs), starts it again and times the cron (its first
// run rolls up the year), then times every list and statistics query of bench/query-shapes.mjs
// for the largest merchant's test mode, request after request, and runs EXPLAIN QUERY PLAN for
// the SQL each runs. Prints a table and writes bench/scale-results.json. It measures; it asserts
// nothing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { migrate, startPlatform, waitForServer } from "../scripts/local-platform.mjs";
import { explainSql, planProblems, queryShapes } from "./query-shapes.mjs";
import { LIVE_SHARE, MERCHANT_SHARES, orderItemsSql, ordersSql, paymentsSql } from "./scale-seed.mjs";

const ADMIN = "bench-admin-token";
const DAY_MS = 24 * 60 * 60 * 1000;
const day = (ms) => new Date(ms).toISOString().slice(0, 10);

/** Runs SQL on the local D1 in `state` (the platform must not be running); one result per statement. */
function d1(state, sql) {
  const run = spawnSync("node_modules/.bin/wrangler", ["d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", sql], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CI: "true" },
  });
  if (run.status !== 0) throw new Error(`wrangler d1 execute failed:\n${run.stdout}${run.stderr}`);
  return JSON.parse(run.stdout).map((r) => r.results);
}

const seconds = (since) => +((performance.now() - since) / 1000).toFixed(1);

/** Stops the platform and waits until its whole process group has exited (D1's file is then free). */
async function stopped(server) {
  server.stop();
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      process.kill(-server.pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) return server.kill();
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** p-th percentile (0–1) of sorted values, nearest rank. */
const percentile = (sorted, p) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];

/**
 * The whole step. `rows` payments and `rows` orders (one to three items each) in batches of
 * `batch` rows a statement; `requests` timed requests per query shape, after `warmup` untimed ones.
 */
export async function runScale({
  port = 8798,
  rows = 1_000_000,
  batch = 200_000,
  requests = 200,
  warmup = 5,
  results = "bench/scale-results.json",
  log = "bench/scale-wrangler.log",
} = {}) {
  const base = `http://127.0.0.1:${port}`;
  // throwaway state on tmpfs when there is one (as bench/run.mjs)
  const state = existsSync("/dev/shm") ? `/dev/shm/edge-payments-scale-${process.pid}` : ".wrangler/scale-state";
  const started = performance.now();
  rmSync(state, { recursive: true, force: true });
  rmSync(log, { force: true });
  mkdirSync("bench", { recursive: true });
  migrate(state);
  const platform = () =>
    startPlatform({ port, state, log, vars: { ADMIN_API_TOKEN: ADMIN, SANDBOX_WEBHOOK_SECRET: "whsec_bench" } });
  let server = platform();
  const cleanUp = () => {
    server.stop();
    rmSync(state, { recursive: true, force: true });
  };
  process.on("exit", cleanUp);

  try {
    // the merchants and their keys come from the admin API, as a real operator makes them
    await waitForServer(base);
    const merchants = [];
    for (const [k] of MERCHANT_SHARES.entries()) {
      const res = await fetch(`${base}/api/v1/admin/merchants`, {
        method: "POST",
        headers: { Authorization: `Bearer ${ADMIN}`, "Content-Type": "application/json" },
        body: JSON.stringify({ name: `Scale Merchant ${k + 1}`, email: `scale${k + 1}@example.com` }),
      });
      if (res.status !== 201) throw new Error(`creating a merchant: ${res.status} ${await res.text()}`);
      const created = await res.json();
      merchants.push({ id: created.merchant.id, testKey: created.api_keys.test.secret });
    }
    await stopped(server);

    // the data: oldest first, `batch` rows a statement, generated inside SQLite
    const now = Date.now();
    const seedStart = performance.now();
    const seed = { batches: [] };
    for (const [table, sqlOf] of [["payments", paymentsSql], ["orders", ordersSql], ["order_items", orderItemsSql]]) {
      for (let from = 0; from < rows; from += batch) {
        const t = performance.now();
        d1(state, sqlOf({ from, to: Math.min(rows, from + batch), total: rows, now, merchants: merchants.map((m) => m.id) }));
        seed.batches.push({ table, from, seconds: seconds(t) });
        process.stdout.write(`\rseeding ${table} ${Math.min(rows, from + batch)}/${rows}   `);
      }
    }
    seed.seconds = seconds(seedStart);
    process.stdout.write("\n");

    const largest = merchants[0];
    // the measured scope: the largest merchant, test mode; cursors 50,000 records down its lists
    // (a quarter of the way down, for a smaller dataset)
    const scope = (table) => `FROM ${table} WHERE merchant_id = '${largest.id}' AND livemode = 0`;
    const deep = (table, id) =>
      `ORDER BY created_at DESC, ${id} DESC LIMIT 1 OFFSET (SELECT min(50000, count(*) / 4) ${scope(table)})`;
    const [[counts], [payment], [order], totals] = d1(
      state,
      [
        `SELECT (SELECT count(*) ${scope("payments")}) AS payments, (SELECT count(*) ${scope("orders")}) AS orders`,
        `SELECT payment_no, order_no, customer_email ${scope("payments")} ${deep("payments", "payment_no")}`,
        `SELECT order_no, customer_email ${scope("orders")} ${deep("orders", "order_no")}`,
        `SELECT 'payments' AS t, count(*) AS n FROM payments UNION ALL SELECT 'orders', count(*) FROM orders
           UNION ALL SELECT 'order_items', count(*) FROM order_items`,
      ].join(";\n"),
    );
    const at = {
      merchantId: largest.id,
      livemode: false,
      today: day(Date.now()),
      window: { from: day(now - 200 * DAY_MS), to: day(now - 171 * DAY_MS) },
      payment: { cursor: payment.payment_no, orderNo: payment.order_no, email: payment.customer_email },
      order: { cursor: order.order_no, email: order.customer_email },
    };

    // the cron: the first run rolls up the whole year; the second is a run of every five minutes.
    // The Worker answers /__scheduled at once and runs the cron in the background (waitUntil);
    // locally D1's statements run on the runtime's one thread, so the run is over when a list,
    // which reads D1, is answered again. Each probe gives up after 500 ms: a request that arrives
    // while the runtime is busy can hang for minutes after it is free again (seen on this machine).
    server = platform();
    await waitForServer(base);
    const probe = () =>
      fetch(`${base}/api/v1/payments?limit=1`, {
        headers: { Authorization: `Bearer ${largest.testKey}` },
        signal: AbortSignal.timeout(500),
      }).then((res) => res.ok, () => false);
    const cron = {};
    for (const run of ["first", "next"]) {
      const t = performance.now();
      const res = await fetch(`${base}/__scheduled`);
      if (!res.ok) throw new Error(`the cron failed: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      // five answers in a row, 200 ms apart: one alone may slip in between two of the cron's statements
      let freeSince = 0;
      for (let answered = 0; answered < 5; ) {
        if (performance.now() - t > 600_000) throw new Error("D1 still busy 10 minutes after the cron");
        if (await probe()) {
          if (answered++ === 0) freeSince = performance.now();
          await new Promise((r) => setTimeout(r, 200));
        } else answered = 0;
      }
      cron[`${run}_s`] = +((freeSince - t) / 1000).toFixed(1);
    }

    // each shape, request after request, on one keep-alive connection
    const shapes = queryShapes(at);
    const timings = [];
    for (const shape of shapes) {
      const latencies = [];
      let failed = 0;
      let items = 0;
      for (let n = 0; n < warmup + requests; n++) {
        const t = performance.now();
        const res = await fetch(`${base}${shape.path}`, { headers: { Authorization: `Bearer ${largest.testKey}` } });
        const body = await res.json();
        if (n >= warmup) latencies.push(performance.now() - t);
        if (res.status !== 200) failed++;
        items = (body.data ?? body.days ?? body.by_status ?? []).length;
      }
      latencies.sort((a, b) => a - b);
      const ms = (v) => +v.toFixed(1);
      timings.push({
        name: shape.name,
        path: shape.path,
        requests,
        non_200: failed,
        items,
        p50_ms: ms(percentile(latencies, 0.5)),
        p99_ms: ms(percentile(latencies, 0.99)),
        max_ms: ms(latencies.at(-1)),
      });
      process.stdout.write(`\rmeasured ${timings.length}/${shapes.length} shapes   `);
    }
    process.stdout.write("\n");
    await stopped(server);

    // the plans, on the million rows, of the SQL the shapes run
    const statements = shapes.flatMap((s) => s.statements.map((st) => ({ shape: s.name, ...st })));
    const [tableRows, ...explained] = d1(
      state,
      ["SELECT name FROM sqlite_master WHERE type = 'table'", ...statements.map(explainSql)].join(";\n"),
    );
    if (explained.length !== statements.length) throw new Error(`EXPLAIN answered ${explained.length} of ${statements.length} statements`);
    const tables = tableRows.map((t) => t.name);
    const plans = statements.map((s, i) => ({
      shape: s.shape,
      sql: s.sql,
      index: s.index,
      plan: explained[i].map((r) => r.detail),
      problems: planProblems(explained[i], tables, s.index),
    }));
    const [[rolled]] = d1(
      state,
      `SELECT (SELECT count(*) FROM order_statistics) AS order_statistics,
              (SELECT count(*) FROM payment_statistics) AS payment_statistics,
              (SELECT group_concat(name || ' ' || rolled_through, ', ') FROM statistics_rollups) AS rolled_through`,
    );

    const report = {
      date: new Date().toISOString(),
      rows: Object.fromEntries(totals.map((t) => [t.t, t.n])),
      scope: { merchant: largest.id, livemode: false, ...counts, share: `${MERCHANT_SHARES[0] / 10} % of the rows, ${100 - LIVE_SHARE / 10} % of them test mode` },
      seed,
      cron: { ...cron, ...rolled },
      queries: timings,
      plans,
      total_s: seconds(started),
    };
    print(report);
    writeFileSync(results, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`written to ${results}`);
    return report;
  } finally {
    cleanUp();
    process.off("exit", cleanUp);
  }
}

function print(report) {
  const pad = (s, n) => String(s).padEnd(n);
  console.log(
    `\n${report.rows.payments} payments, ${report.rows.orders} orders, ${report.rows.order_items} items; ` +
      `seeded in ${report.seed.seconds} s. Measured: ${report.scope.merchant} test mode ` +
      `(${report.scope.payments} payments, ${report.scope.orders} orders).`,
  );
  console.log(
    `cron: first run ${report.cron.first_s} s (rolled up ${report.cron.order_statistics} order and ` +
      `${report.cron.payment_statistics} payment statistics rows), next run ${report.cron.next_s} s ` +
      `(until D1 answered again; ±0.5 s)\n`,
  );
  console.log(`${pad("query", 44)}${pad("p50 ms", 9)}${pad("p99 ms", 9)}${pad("rows", 6)}plan`);
  for (const q of report.queries) {
    const plans = report.plans.filter((p) => p.shape === q.name);
    const problems = plans.flatMap((p) => p.problems);
    const verdict = problems.length > 0 ? `FLAGGED: ${problems.join("; ")}` : `indexed (${plans.map((p) => p.index).join(", ")})`;
    console.log(`${pad(q.name, 44)}${pad(q.p50_ms, 9)}${pad(q.p99_ms, 9)}${pad(q.items, 6)}${verdict}${q.non_200 ? `; ${q.non_200} answers not 200` : ""}`);
  }
  console.log("\nEXPLAIN QUERY PLAN on the seeded database:");
  for (const p of report.plans) console.log(`  ${p.shape}\n    ${p.plan.join("\n    ")}`);
  console.log(`\ntotal ${report.total_s} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.on("SIGINT", () => process.exit(130));
  await runScale();
  process.exit(0);
}
