// The list and statistics queries the API runs over payments and orders, one entry per shape (each
// filter, deep cursors, the statistics ranges): the request, and the SQL statements it makes D1 run
// as drizzle writes them, with the index each must be searched through. `npm run bench -- --scale`
// times the requests on a million rows and runs EXPLAIN QUERY PLAN for the statements;
// test/workers/query-plans.test.ts checks that every request runs exactly these statements (so
// the list cannot drift from the code) and that none scans a table.

const DAY_MS = 24 * 60 * 60 * 1000;
const startOf = (day) => Date.parse(`${day}T00:00:00.000Z`);
const shift = (day, n) => new Date(startOf(day) + n * DAY_MS).toISOString().slice(0, 10);

// ---- the SQL, as drizzle renders it -------------------------------------------------------------

const scope = (t) => `("${t}"."merchant_id" = ? and "${t}"."livemode" = ?)`;
const where = (t, conditions) => (conditions.length === 0 ? scope(t) : `(${[scope(t), ...conditions].join(" and ")})`);

/** A page of a list (pagination.ts): every column, newest first, or oldest first before a cursor. */
const page = (t, id, conditions, direction = "desc") =>
  `select * from "${t}" where ${where(t, conditions)} ` +
  `order by "${t}"."created_at" ${direction}, "${t}"."${id}" ${direction} limit ?`;
/** The cursor's own row, looked up in the caller's scope. */
const cursorRow = (t, id) => `select "created_at", "${id}" from "${t}" where (${scope(t)} and "${t}"."${id}" = ?)`;
const afterCursor = (t, id, op) => `("${t}"."created_at", "${t}"."${id}") ${op} (?, ?)`;

const rollupState = `select "rolled_through" from "statistics_rollups" where "statistics_rollups"."name" = ?`;
const day = (t) => `strftime('%Y-%m-%d', "${t}"."created_at" / 1000, 'unixepoch')`;
const dayOf = `strftime('%Y-%m-%d', "created_at" / 1000, 'unixepoch')`;
const liveDays = (t) => [`"${t}"."created_at" >= ?`, `"${t}"."created_at" < ?`];

const orderTotals = (conditions) =>
  `select "currency", "status", count(*), sum("total_amount"), sum("paid_amount"), sum("refunded_amount") ` +
  `from "orders" where (${[`"orders"."merchant_id" = ?`, `"orders"."livemode" = ?`, ...conditions].join(" and ")}) ` +
  `group by "orders"."currency", "orders"."status" order by "orders"."currency" asc, "orders"."status" asc`;

const orderDays = (conditions) =>
  `select ${dayOf}, "currency", count(*), count("paid_at"), sum("paid_amount"), sum("refunded_amount") ` +
  `from "orders" where (${[`"orders"."merchant_id" = ?`, `"orders"."livemode" = ?`, ...conditions].join(" and ")}) ` +
  `group by ${day("orders")}, "orders"."currency" order by ${day("orders")} asc, "orders"."currency" asc`;

const orderStatisticsRows =
  `select "day", "currency", "order_count", "paid_count", "gross_amount", "refunded_amount", "net_amount" ` +
  `from "order_statistics" where ("order_statistics"."merchant_id" = ? and "order_statistics"."livemode" = ? ` +
  `and "order_statistics"."day" >= ? and "order_statistics"."day" <= ?) ` +
  `order by "order_statistics"."day" asc, "order_statistics"."currency" asc`;

const failureCode = (t) => `CASE WHEN ${t}"status" = 'failed' THEN ${t}"error_code" END`;
const paymentDays = (conditions) =>
  `select ${dayOf}, "channel", "currency", ${failureCode("")}, count(*), count("paid_at"), ` +
  `coalesce(sum(CASE WHEN "paid_at" IS NOT NULL THEN "amount" END), 0), count(*) FILTER (WHERE "status" = 'failed') ` +
  `from "payments" where (${[`"payments"."merchant_id" = ?`, `"payments"."livemode" = ?`, ...conditions].join(" and ")}) ` +
  `group by ${day("payments")}, "payments"."channel", "payments"."currency", ${failureCode(`"payments".`)} ` +
  `order by ${day("payments")} asc, "payments"."channel" asc, "payments"."currency" asc`;

const paymentStatisticsRows = (conditions) =>
  `select "day", "channel", "currency", "payment_count", "succeeded_count", "succeeded_amount", "failed_count", ` +
  `"failure_codes" from "payment_statistics" where (${[
    `"payment_statistics"."merchant_id" = ?`,
    `"payment_statistics"."livemode" = ?`,
    `"payment_statistics"."day" between ? and ?`,
    ...conditions,
  ].join(" and ")}) ` +
  `order by "payment_statistics"."day" asc, "payment_statistics"."channel" asc, "payment_statistics"."currency" asc`;

/** statistics/overview: succeeded refunds created in the range, and payments disputed in it, per currency. */
const rangeTotals = (t, conditions) =>
  `select "currency", count(*), coalesce(sum("amount"), 0) from "${t}" where (${[
    `"${t}"."merchant_id" = ?`,
    `"${t}"."livemode" = ?`,
    ...conditions,
  ].join(" and ")}) group by "${t}"."currency"`;
const refundTotals = rangeTotals("refunds", [`"refunds"."status" = ?`, `"refunds"."created_at" >= ?`, `"refunds"."created_at" < ?`]);
const disputeTotals = rangeTotals("payments", [`"payments"."disputed_at" >= ?`, `"payments"."disputed_at" < ?`]);

// ---- the shapes -----------------------------------------------------------------------------------

/**
 * Every shape, for one merchant and mode (`at.merchantId`, `at.livemode`) on `at.today` (UTC), with
 * the rollups run through the day before. `at.window` ({ from, to }, days) is a 30-day range deep in
 * the data; `at.payment` ({ cursor, orderNo, email }) and `at.order` ({ cursor, email }) are records of
 * that merchant and mode, the cursors far down their lists. Each statement's params are example
 * values of the right kinds for EXPLAIN (the test compares the SQL, not the values).
 */
export function queryShapes(at) {
  const m = [at.merchantId, at.livemode ? 1 : 0];
  const gte = startOf(at.window.from);
  const lte = startOf(at.window.to) + DAY_MS - 1;
  const range = `created_gte=${at.window.from}&created_lte=${at.window.to}`;
  const todayStart = startOf(at.today);
  const yesterday = shift(at.today, -1);
  const year = { from: shift(at.today, -364), to: at.today };
  const last30 = { from: shift(at.today, -29), to: at.today };
  const CREATED = 1767225600000;

  const P = ["payments", "payment_no"];
  const O = ["orders", "order_no"];
  const payments = (s) => ({ sql: page(...P, s.where ?? [], s.direction), params: [...m, ...(s.params ?? []), 21], index: s.index });
  const orders = (s) => [
    { sql: page(...O, s.where ?? [], s.direction), params: [...m, ...(s.params ?? []), 21], index: s.index },
    // the items of the page's orders
    { sql: `select * from "order_items" where "order_items"."order_no" in (?)`, params: [at.order.cursor], index: "sqlite_autoindex_order_items_2" },
  ];
  // payments by their primary key, orders by UNIQUE (merchant_id, order_no)
  const cursor = ([t, id], no) => ({ sql: cursorRow(t, id), params: [...m, no], index: `sqlite_autoindex_${t}_${t === "orders" ? 2 : 1}` });
  const state = (name) => ({ sql: rollupState, params: [name], index: "sqlite_autoindex_statistics_rollups_1" });

  return [
    // payments: GET /api/v1/payments
    { name: "payments: newest", path: "/api/v1/payments?limit=20", statements: [payments({ index: "idx_payments_merchant_created" })] },
    {
      name: "payments: status",
      path: "/api/v1/payments?status=failed&limit=20",
      statements: [payments({ where: [`"payments"."status" = ?`], params: ["failed"], index: "idx_payments_merchant_status" })],
    },
    {
      name: "payments: channel",
      path: "/api/v1/payments?channel=stripe&limit=20",
      statements: [payments({ where: [`"payments"."channel" = ?`], params: ["stripe"], index: "idx_payments_merchant_channel" })],
    },
    {
      name: "payments: order_no",
      path: `/api/v1/payments?order_no=${encodeURIComponent(at.payment.orderNo)}&limit=20`,
      statements: [payments({ where: [`"payments"."order_no" = ?`], params: [at.payment.orderNo], index: "idx_payments_merchant_order_no" })],
    },
    {
      // in upper case: emails match ignoring case, through the NOCASE index
      name: "payments: customer_email",
      path: `/api/v1/payments?customer_email=${encodeURIComponent(at.payment.email.toUpperCase())}&limit=20`,
      statements: [
        payments({
          where: [`"payments"."customer_email" = ? COLLATE NOCASE`],
          params: [at.payment.email.toUpperCase()],
          index: "idx_payments_merchant_email",
        }),
      ],
    },
    {
      name: "payments: created range",
      path: `/api/v1/payments?${range}&limit=20`,
      statements: [
        payments({ where: [`"payments"."created_at" >= ?`, `"payments"."created_at" <= ?`], params: [gte, lte], index: "idx_payments_merchant_created" }),
      ],
    },
    {
      name: "payments: status + created range",
      path: `/api/v1/payments?status=succeeded&${range}&limit=20`,
      statements: [
        payments({
          where: [`"payments"."status" = ?`, `"payments"."created_at" >= ?`, `"payments"."created_at" <= ?`],
          params: ["succeeded", gte, lte],
          index: "idx_payments_merchant_status",
        }),
      ],
    },
    {
      name: "payments: starting_after (deep)",
      path: `/api/v1/payments?limit=20&starting_after=${at.payment.cursor}`,
      statements: [
        cursor(P, at.payment.cursor),
        payments({ where: [afterCursor(...P, "<")], params: [CREATED, at.payment.cursor], index: "idx_payments_merchant_created" }),
      ],
    },
    {
      name: "payments: ending_before (deep)",
      path: `/api/v1/payments?limit=20&ending_before=${at.payment.cursor}`,
      statements: [
        cursor(P, at.payment.cursor),
        payments({ where: [afterCursor(...P, ">")], params: [CREATED, at.payment.cursor], direction: "asc", index: "idx_payments_merchant_created" }),
      ],
    },
    {
      name: "payments: status + starting_after (deep)",
      path: `/api/v1/payments?status=succeeded&limit=20&starting_after=${at.payment.cursor}`,
      statements: [
        cursor(P, at.payment.cursor),
        payments({
          where: [`"payments"."status" = ?`, afterCursor(...P, "<")],
          params: ["succeeded", CREATED, at.payment.cursor],
          index: "idx_payments_merchant_status",
        }),
      ],
    },
    {
      name: "payments: channel + starting_after (deep)",
      path: `/api/v1/payments?channel=stripe&limit=20&starting_after=${at.payment.cursor}`,
      statements: [
        cursor(P, at.payment.cursor),
        payments({
          where: [`"payments"."channel" = ?`, afterCursor(...P, "<")],
          params: ["stripe", CREATED, at.payment.cursor],
          index: "idx_payments_merchant_channel",
        }),
      ],
    },

    // orders: GET /api/v1/orders
    { name: "orders: newest", path: "/api/v1/orders?limit=20", statements: orders({ index: "idx_orders_merchant_created" }) },
    {
      name: "orders: status",
      path: "/api/v1/orders?status=shipped&limit=20",
      statements: orders({ where: [`"orders"."status" = ?`], params: ["shipped"], index: "idx_orders_merchant_status" }),
    },
    {
      name: "orders: customer_email",
      path: `/api/v1/orders?customer_email=${encodeURIComponent(at.order.email)}&limit=20`,
      statements: orders({ where: [`"orders"."customer_email" = ?`], params: [at.order.email], index: "idx_orders_merchant_email" }),
    },
    {
      name: "orders: created range",
      path: `/api/v1/orders?${range}&limit=20`,
      statements: orders({ where: [`"orders"."created_at" >= ?`, `"orders"."created_at" <= ?`], params: [gte, lte], index: "idx_orders_merchant_created" }),
    },
    {
      name: "orders: starting_after (deep)",
      path: `/api/v1/orders?limit=20&starting_after=${at.order.cursor}`,
      statements: [
        cursor(O, at.order.cursor),
        ...orders({ where: [afterCursor(...O, "<")], params: [CREATED, at.order.cursor], index: "idx_orders_merchant_created" }),
      ],
    },
    {
      name: "orders: ending_before (deep)",
      path: `/api/v1/orders?limit=20&ending_before=${at.order.cursor}`,
      statements: [
        cursor(O, at.order.cursor),
        ...orders({ where: [afterCursor(...O, ">")], params: [CREATED, at.order.cursor], direction: "asc", index: "idx_orders_merchant_created" }),
      ],
    },

    // statistics
    {
      name: "statistics/orders: all time",
      path: "/api/v1/statistics/orders",
      statements: [{ sql: orderTotals([]), params: m, index: "idx_orders_merchant_totals" }],
    },
    {
      name: "statistics/orders: last 30 days",
      path: `/api/v1/statistics/orders?created_gte=${last30.from}`,
      statements: [{ sql: orderTotals([`"orders"."created_at" >= ?`]), params: [...m, startOf(last30.from)], index: "idx_orders_merchant_totals" }],
    },
    ...[
      ["a year", year],
      ["30 days", last30],
    ].flatMap(([label, days]) => [
      {
        name: `daily-summary: ${label}`,
        path: `/api/v1/statistics/daily-summary?from=${days.from}&to=${days.to}`,
        statements: [
          state("order_statistics"),
          { sql: orderStatisticsRows, params: [...m, days.from, yesterday], index: "sqlite_autoindex_order_statistics_1" },
          { sql: orderDays(liveDays("orders")), params: [...m, todayStart, todayStart + DAY_MS], index: "idx_orders_merchant_created" },
        ],
      },
      {
        name: `statistics/payments: ${label}`,
        path: `/api/v1/statistics/payments?from=${days.from}&to=${days.to}`,
        statements: [
          state("payment_statistics"),
          { sql: paymentStatisticsRows([]), params: [...m, days.from, yesterday], index: "sqlite_autoindex_payment_statistics_1" },
          { sql: paymentDays(liveDays("payments")), params: [...m, todayStart, todayStart + DAY_MS], index: "idx_payments_merchant_created" },
        ],
      },
      {
        // the three reads start at once: each one's first statement is made before any is answered
        name: `statistics/overview: ${label}`,
        path: `/api/v1/statistics/overview?from=${days.from}&to=${days.to}`,
        statements: [
          state("payment_statistics"),
          { sql: refundTotals, params: [...m, "succeeded", startOf(days.from), todayStart + DAY_MS], index: "idx_refunds_merchant_status" },
          { sql: disputeTotals, params: [...m, startOf(days.from), todayStart + DAY_MS], index: "idx_payments_merchant_disputed" },
          { sql: paymentStatisticsRows([]), params: [...m, days.from, yesterday], index: "sqlite_autoindex_payment_statistics_1" },
          { sql: paymentDays(liveDays("payments")), params: [...m, todayStart, todayStart + DAY_MS], index: "idx_payments_merchant_created" },
        ],
      },
    ]),
    {
      name: "statistics/payments: a year, one channel",
      path: `/api/v1/statistics/payments?from=${year.from}&to=${year.to}&channel=stripe`,
      statements: [
        state("payment_statistics"),
        {
          sql: paymentStatisticsRows([`"payment_statistics"."channel" = ?`]),
          params: [...m, year.from, yesterday, "stripe"],
          index: "sqlite_autoindex_payment_statistics_1",
        },
        {
          sql: paymentDays([...liveDays("payments"), `"payments"."channel" = ?`]),
          params: [...m, todayStart, todayStart + DAY_MS, "stripe"],
          index: "idx_payments_merchant_channel",
        },
      ],
    },
  ];
}

// ---- reading EXPLAIN QUERY PLAN -------------------------------------------------------------------

/**
 * EXPLAIN QUERY PLAN of the statement with its params written in as SQL literals (the local D1
 * CLI takes no bindings). A CASE's END is followed by a space: wrangler's statement splitter takes
 * CASE for the start of a compound statement and sees its END only before whitespace.
 */
export function explainSql({ sql, params }) {
  let i = 0;
  const literal = (v) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replaceAll("'", "''")}'`);
  return `EXPLAIN QUERY PLAN ${sql.replace(/\?/g, () => literal(params[i++])).replace(/ END(?=[,)])/g, " END ")}`;
}

/**
 * What is wrong with a plan (EXPLAIN QUERY PLAN rows, `detail` each): a SCAN of one of `tables`
 * (a walk of the whole table, in index order or not; scans of a CTE's rows are fine), or no SEARCH
 * through `index` when one is expected. Empty when the plan is as it should be.
 */
export function planProblems(rows, tables, index) {
  const problems = rows
    .map((r) => r.detail)
    .filter((detail) => tables.includes(/^SCAN (\w+)/.exec(detail)?.[1]))
    .map((detail) => `full scan: ${detail}`);
  if (index && !rows.some((r) => new RegExp(`^SEARCH \\w+ USING (COVERING )?INDEX ${index}\\b`).test(r.detail))) {
    problems.push(`does not search ${index}`);
  }
  return problems;
}
