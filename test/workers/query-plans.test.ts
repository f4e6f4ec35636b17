import { createScheduledController, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { explainSql, planProblems, queryShapes, type QueryShape, type ShapeContext } from "../../bench/query-shapes.mjs";
import { GAUGE_QUERIES } from "../../shared/observability/gauges";
import { addDays, DAY_MS, utcDay } from "../../shared/time";
import { runScheduled } from "../../workers/scheduled";
import { TEST_ADMIN_TOKEN } from "../constants";
import { api, createMerchant } from "./helpers";

// Every list and statistics request of bench/query-shapes.mjs is sent to the Worker, every SQL
// statement it makes D1 run is recorded, and each must be the one the list names and be searched
// through its index, never scanning a table. Without ANALYZE statistics (the local D1 keeps none)
// SQLite plans from the schema alone, not from how many rows there are, so a small dataset shows
// the plans of a million rows; `npm run bench -- --scale` prints them on a million.

interface Recorded {
  sql: string;
  params: unknown[];
}

/** Records what every D1 statement prepared in this isolate (the Worker's included) runs, while `fn` runs. */
async function recording(fn: () => Promise<unknown>): Promise<Recorded[]> {
  const database = Object.getPrototypeOf(env.DB);
  const statement = Object.getPrototypeOf(env.DB.prepare("SELECT 1"));
  const { prepare } = database;
  const { bind } = statement;
  const recorded: Recorded[] = [];
  const sqlOf = new WeakMap<object, Recorded>();
  database.prepare = function (this: D1Database, sql: string) {
    const prepared = prepare.call(this, sql);
    const entry: Recorded = { sql, params: [] };
    recorded.push(entry);
    sqlOf.set(prepared, entry);
    return prepared;
  };
  statement.bind = function (this: D1PreparedStatement, ...params: unknown[]) {
    const bound = bind.apply(this, params);
    const entry = sqlOf.get(this);
    if (entry) {
      entry.params = params;
      sqlOf.set(bound, entry);
    }
    return bound;
  };
  try {
    await fn();
  } finally {
    database.prepare = prepare;
    statement.bind = bind;
  }
  return recorded;
}

const explain = async (s: Recorded) =>
  (await env.DB.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).bind(...s.params).all<{ detail: string }>()).results;
const explainLiteral = async (s: Parameters<typeof explainSql>[0]) =>
  (await env.DB.prepare(explainSql(s)).all<{ detail: string }>()).results;

let tables: string[] = [];
let columns = new Map<string, string>();

/**
 * The SQL as query-shapes.mjs writes it: a select of every column of a table as `*` (so a new
 * column changes nothing here), an IN list of any length as `in (?)`.
 */
function normalized(sql: string) {
  return sql
    .replace(/^select (.+?) from "(\w+)"/, (whole, list: string, table: string) =>
      list === columns.get(table) ? `select * from "${table}"` : whole,
    )
    .replace(/ in \(\?(, \?)*\)/g, " in (?)");
}

// ---- fixture: one merchant's payments and orders over 400 days, written straight into D1 ----

const CURRENCIES = ["USD", "EUR", "JPY", "GBP"];
const PAYMENT_STATUSES = ["succeeded", "succeeded", "succeeded", "failed", "pending", "cancelled", "refunded"];
const ORDER_STATUSES = ["pending", "paid", "shipped", "completed", "cancelled", "refunded"];

async function seed(merchantId: string, now: number) {
  const count = 400;
  const createdAt = (i: number) => now - Math.floor(((i + 0.5) * 400 * DAY_MS) / count);
  const pay = env.DB.prepare(
    `INSERT INTO payments (payment_no, merchant_id, livemode, order_no, amount, currency, status, channel,
       customer_email, error_code, paid_at, version, created_at, updated_at) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const order = env.DB.prepare(
    `INSERT INTO orders (order_no, merchant_id, livemode, customer_email, currency, total_amount, paid_amount,
       status, paid_at, version, created_at, updated_at) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const item = env.DB.prepare(
    `INSERT INTO order_items (id, order_no, position, product_id, product_name, unit_price, quantity, line_total)
     VALUES (?, ?, 0, 'prod_1', 'Book', ?, 1, ?)`,
  );
  const rows = Array.from({ length: count }, (_, i) => {
    const status = PAYMENT_STATUSES[i % PAYMENT_STATUSES.length]!;
    const orderStatus = ORDER_STATUSES[i % ORDER_STATUSES.length]!;
    const paid = status === "succeeded" || status === "refunded";
    const amount = 100 + i;
    const [no, at] = [`${merchantId}-${String(i).padStart(4, "0")}`, createdAt(i)];
    return [
      pay.bind(`PY-${no}`, merchantId, `order-${i}`, amount, CURRENCIES[i % 4], status, i % 3 ? "sandbox" : "stripe",
        `customer${i % 50}@example.com`, status === "failed" ? "card_declined" : null, paid ? at : null, at, at),
      order.bind(`OR-${no}`, merchantId, `customer${i % 50}@example.com`, CURRENCIES[i % 4], amount,
        orderStatus === "pending" || orderStatus === "cancelled" ? 0 : amount, orderStatus, null, at, at),
      item.bind(`item-${no}`, `OR-${no}`, amount, amount),
    ];
  });
  await env.DB.batch(rows.flat());
  return { paymentCursor: `PY-${merchantId}-0150`, orderCursor: `OR-${merchantId}-0150` };
}

const runCron = () => runScheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env);

let at: ShapeContext;
let key: string;
let shapes: QueryShape[];

beforeAll(async () => {
  const m = await createMerchant();
  key = m.testKey;
  const now = Date.now();
  const { paymentCursor, orderCursor } = await seed(m.id, now);
  await runCron();
  const today = utcDay(now);
  at = {
    merchantId: m.id,
    livemode: false,
    today,
    window: { from: addDays(today, -120), to: addDays(today, -91) },
    payment: { cursor: paymentCursor, orderNo: "order-150", email: "customer7@example.com" },
    order: { cursor: orderCursor, email: "customer7@example.com" },
  };
  shapes = queryShapes(at);
  const names = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>();
  tables = names.results.map((t) => t.name);
  columns = new Map();
  for (const table of ["payments", "orders", "order_items"]) {
    const info = await env.DB.prepare(`PRAGMA table_info(${table})`).all<{ name: string }>();
    columns.set(table, info.results.map((c) => `"${c.name}"`).join(", "));
  }
});

/** The statements a request makes D1 run, but for authenticating its key. */
async function statementsOf(path: string, token = key) {
  let status = 0;
  const recorded = await recording(async () => {
    const res = await api(path, { key: token });
    status = res.status;
    await res.arrayBuffer();
  });
  expect(status, path).toBe(200);
  return recorded.filter((s) => !s.sql.includes(`"api_keys"`));
}

describe("query plans of bench/query-shapes.mjs", () => {
  // a request per shape; the names come from the list itself
  const names = queryShapes({
    merchantId: "m",
    livemode: false,
    today: "2026-01-01",
    window: { from: "2025-01-01", to: "2025-01-30" },
    payment: { cursor: "", orderNo: "", email: "" },
    order: { cursor: "", email: "" },
  }).map((s) => s.name);

  it.each(names)("%s: runs the listed statements, each searched through its index", async (name) => {
    const shape = shapes.find((s) => s.name === name)!;
    const recorded = await statementsOf(shape.path);
    expect(recorded.map((s) => normalized(s.sql))).toEqual(shape.statements.map((s) => s.sql));
    for (const [i, statement] of recorded.entries()) {
      const { index } = shape.statements[i]!;
      expect({ sql: statement.sql, problems: planProblems(await explain(statement), tables, index) }).toEqual({
        sql: statement.sql,
        problems: [],
      });
      // and the bench's EXPLAIN of the listed statement, params written in, reads the same
      expect(planProblems(await explainLiteral(shape.statements[i]!), tables, index)).toEqual([]);
    }
  });

  it("finds the pages the shapes ask for: the deep cursors are inside the lists", async () => {
    for (const shape of shapes.filter((s) => /starting_after|ending_before|order_no|customer_email|created range/.test(s.name))) {
      const page = await (await api(shape.path, { key })).json<{ data: unknown[] }>();
      expect(page.data.length, shape.name).toBeGreaterThan(0);
    }
  });

  it("fail when an index a shape relies on is dropped, and report a table scan", async () => {
    // another text for each EXPLAIN: the runtime reuses the plan it prepared for the same text
    const explainWithout = async (statement: QueryShape["statements"][number], index: string) =>
      (await env.DB.prepare(`${explainSql(statement)} /* without ${index} */`).all<{ detail: string }>()).results;
    const relied = [...new Set(shapes.flatMap((s) => s.statements.map((st) => st.index)))].filter((i) => i.startsWith("idx_"));
    expect(relied.length).toBe(11);
    for (const index of relied) {
      const { sql } = (await env.DB.prepare("SELECT sql FROM sqlite_master WHERE name = ?").bind(index).first<{ sql: string }>())!;
      await env.DB.exec(`DROP INDEX ${index}`);
      try {
        for (const statement of shapes.flatMap((s) => s.statements).filter((st) => st.index === index)) {
          expect(planProblems(await explainWithout(statement, index), tables, index)).toContain(`does not search ${index}`);
        }
      } finally {
        await env.DB.prepare(sql).run();
      }
    }
    const scan = await env.DB.prepare("EXPLAIN QUERY PLAN SELECT * FROM payments WHERE customer_email = ?").bind("a@b.c").all<{ detail: string }>();
    expect(planProblems(scan.results, tables)).toEqual(["full scan: SCAN payments"]);
  });
});

describe("query plans of the cron's rollups", () => {
  it("find the changed days through the created_at and updated_at indexes and sum each day through the merchant's index", async () => {
    await env.DB.exec("DELETE FROM statistics_rollups");
    const recorded = await recording(runCron);
    for (const [table, alias, index] of [
      ["order_statistics", "o", "idx_orders_merchant_created"],
      ["payment_statistics", "p", "idx_payments_merchant_created"],
    ] as const) {
      const upsert = recorded.find((s) => s.sql.includes(`INSERT INTO ${table}`));
      expect(upsert).toBeDefined();
      const plan = await explain(upsert!);
      expect(planProblems(plan, [...tables, alias], index)).toEqual([]);
      const details = plan.map((r) => r.detail).join("\n");
      expect(details).toMatch(/SEARCH \w+ USING INDEX idx_\w+_created_at \(created_at>\? AND created_at<\?\)/);
      expect(details).toMatch(/SEARCH \w+ USING INDEX idx_\w+_updated_at \(updated_at>\?\)/);
    }
  });
});

describe("query plans of the operators' lists", () => {
  const admin = async (path: string) =>
    (await statementsOf(path, TEST_ADMIN_TOKEN)).filter((s) => /from "(payments|merchants)"/.test(s.sql));

  // every merchant's payments in a mode (0026_admin_payment_list.sql), or one merchant's through its own indexes
  it.each([
    ["newest", "idx_payments_livemode_created", ""],
    ["status", "idx_payments_livemode_created", "&status=failed"],
    ["channel", "idx_payments_livemode_created", "&channel=stripe"],
    ["customer_email", "idx_payments_email", "&customer_email=Customer7%40example.com"],
    ["created range", "idx_payments_livemode_created", "&created_gte=2025-01-01&created_lte=2025-01-30"],
    ["starting_after (deep)", "idx_payments_livemode_created", "&starting_after={cursor}"],
    ["ending_before (deep)", "idx_payments_livemode_created", "&ending_before={cursor}"],
    ["merchant_id", "idx_payments_merchant_created", "&merchant_id={merchant}"],
    ["merchant_id + status", "idx_payments_merchant_status", "&merchant_id={merchant}&status=failed"],
    ["merchant_id + order_no", "idx_payments_merchant_order_no", "&merchant_id={merchant}&order_no=order-150"],
  ])("GET /api/v1/admin/payments, %s: the page is searched through %s", async (_, index, filter) => {
    const query = filter.replace("{cursor}", at.payment.cursor).replace("{merchant}", at.merchantId);
    const recorded = await admin(`/api/v1/admin/payments?livemode=false&limit=20${query}`);
    const page = recorded.at(-1)!;
    expect(page.sql).toMatch(/^select .* order by/);
    expect({ sql: page.sql, problems: planProblems(await explain(page), tables, index) }).toEqual({ sql: page.sql, problems: [] });
  });

  it("GET /api/v1/admin/merchants?q=: the id and the name and email prefixes are each searched through an index", async () => {
    const [statement] = await admin("/api/v1/admin/merchants?q=acme");
    const plan = await explain(statement!);
    expect(planProblems(plan, tables)).toEqual([]);
    const details = plan.map((r) => r.detail).join("\n");
    expect(details).toMatch(/SEARCH merchants USING INDEX idx_merchants_name_nocase \(name>\? AND name<\?\)/);
    expect(details).toMatch(/SEARCH merchants USING INDEX idx_merchants_email_nocase \(email>\? AND email<\?\)/);
  });
});

describe("query plans of GET /metrics' gauges", () => {
  // each reads an index that holds just what it counts: parked letters, received callbacks, circuits by state
  it.each([
    ["deadLetters", "idx_dead_letters_parked", []],
    ["callbacksWaiting", "idx_payment_callbacks_received", []],
    ["circuits", "idx_routing_circuits_state", [Date.now()]],
  ] as const)("%s reads %s alone", async (query, index, params) => {
    const plan = (await env.DB.prepare(`EXPLAIN QUERY PLAN ${GAUGE_QUERIES[query]}`).bind(...params).all<{ detail: string }>()).results;
    const reads = plan.map((r) => r.detail).filter((d) => /^(SCAN|SEARCH) /.test(d));
    expect(reads).toEqual([expect.stringMatching(new RegExp(`USING COVERING INDEX ${index}\\b`))]);
  });
});
