// The scale step's dataset, as SQL that generates it inside SQLite: payments, orders and their
// items, row i of each made by a recursive CTE from hashes of i (no large SQL text, and the same
// data on every run for the same `now`). Rows are spread evenly over the year before `now` and
// inserted oldest first; they follow the state machines (a refunded payment has its paid_at and
// refunded_amount, a shipped order its carrier), with amounts in minor units.

const DAY_MS = 24 * 60 * 60 * 1000;
const YEAR_MS = 365 * DAY_MS;
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const U32 = 4294967296;

/**
 * 24 well-mixed bits of row i, a different stream for each salt: a multiplicative hash, then
 * t ^ (t >> 16) (SQLite has no XOR: (a | b) − (a & b)) and another multiply. Every product stays
 * below 2^63, where SQLite would turn to floating point.
 */
function hash(salt) {
  const t = `(((i + 1) * ${(2654435761 + 2 * 40503 * salt) % U32}) % ${U32})`;
  return `(((((${t} | (${t} >> 16)) - (${t} & (${t} >> 16))) * 739982445) % ${U32}) >> 8)`;
}

/** `count` Crockford base32 symbols of an integer expression, low five bits first. */
const symbols = (expr, count) =>
  Array.from({ length: count }, (_, k) => `substr('${CROCKFORD}', ((${expr} >> ${5 * k}) & 31) + 1, 1)`).join(" || ");

/**
 * A business number (PY…, OR…) in the platform's shape: 24 symbols, the first four i itself
 * (i < 2^20, so every number is unique, and rows are inserted in key order: a year of them loads
 * in a fraction of the time random keys take), the rest from the row's hashes h1…h5.
 */
const businessNo = (prefix) =>
  `'${prefix}' || ${[15, 10, 5, 0].map((shift) => symbols(`(i >> ${shift})`, 1)).join(" || ")} || ` +
  [1, 2, 3, 4, 5].map((k) => symbols(`h${k}`, 4)).join(" || ");

/** Picks by `roll` (0–999) from [SQL value, share in thousandths] pairs adding up to 1000. */
function pick(roll, choices) {
  let upTo = 0;
  const whens = choices.map(([value, share]) => `WHEN ${roll} < ${(upTo += share)} THEN ${value}`);
  if (upTo !== 1000) throw new Error(`shares add up to ${upTo}, not 1000`);
  return `CASE ${whens.join(" ")} END`;
}

const text = (s) => `'${s.replaceAll("'", "''")}'`;

/** The merchants' shares of the rows, in thousandths: one large, a few middling, one small. */
export const MERCHANT_SHARES = [300, 250, 200, 150, 100];
/** Of each merchant's rows, this many thousandths are live mode; the rest test mode. */
export const LIVE_SHARE = 300;

/**
 * Rows i from..to-1 of `total`, each with hashes h1…h8, its merchant, mode and currency, created
 * at now − 365 days + i/total of the year (give or take a minute), so oldest first.
 */
function rows({ from, to, total, now, merchants, salt }) {
  if (merchants.length !== MERCHANT_SHARES.length) throw new Error(`the dataset has ${MERCHANT_SHARES.length} merchants`);
  const hashes = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => `${hash(salt + k)} AS h${k}`).join(", ");
  return `WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i < ${to - 1}),
  hashed AS (SELECT i, ${hashes} FROM n),
  r AS (
    SELECT hashed.*,
      ${pick("(h6 % 1000)", merchants.map((m, k) => [text(m), MERCHANT_SHARES[k]]))} AS merchant_id,
      ((h7 % 1000) < ${LIVE_SHARE}) AS livemode,
      ${pick("((h8 >> 10) % 1000)", [["'USD'", 450], ["'EUR'", 250], ["'GBP'", 150], ["'JPY'", 150]])} AS currency,
      ${now - YEAR_MS} + (i * ${YEAR_MS} / ${total}) + (h8 % 60000) AS created_at,
      h1 % 1000 AS roll, h2 AS x, h3 AS y
    FROM hashed
  )`;
}

const PAYMENT_STATUS = [
  ["'succeeded'", 760], ["'failed'", 90], ["'cancelled'", 30], ["'refunded'", 30], ["'partially_refunded'", 20],
  ["'pending'", 30], ["'requires_action'", 15], ["'processing'", 25],
];
/** Failure codes and messages (NULL: a failure the channel gave no code for). */
const FAILURES = [
  ["card_declined", "Your card was declined.", 450], ["insufficient_funds", "Your card has insufficient funds.", 200],
  ["expired_card", "Your card has expired.", 100], ["incorrect_cvc", "Your card's security code is incorrect.", 80],
  ["processing_error", "An error occurred while processing your card.", 70],
  ["authentication_required", "Your card was declined: it requires authentication.", 60], [null, "The payment failed.", 40],
];
const PAID = "status IN ('succeeded', 'partially_refunded', 'refunded')";

/** Payments i from..to-1 of `total`. */
export function paymentsSql(args) {
  const failure = (pickField) => pick("(h4 % 1000)", FAILURES.map((f) => [pickField(f), f[2]]));
  return `${rows({ ...args, salt: 0 })},
  p AS (
    SELECT r.*, ${pick("roll", PAYMENT_STATUS)} AS status,
      CASE WHEN livemode THEN 'stripe' WHEN h5 % 100 < 85 THEN 'sandbox' ELSE 'stripe' END AS channel,
      CASE WHEN currency = 'JPY' THEN 100 + x % 150000 ELSE 100 + x % 99901 END AS amount
    FROM r
  )
  INSERT INTO payments (payment_no, merchant_id, livemode, order_no, amount, currency, status, channel,
    channel_payment_id, payment_method, customer_email, customer_name, description, metadata, refunded_amount,
    error_code, error_message, paid_at, version, created_at, updated_at)
  SELECT ${businessNo("PY")}, merchant_id, livemode,
    'ORD' || strftime('%Y%m%d', created_at / 1000, 'unixepoch') || printf('%07d', i), amount, currency, status, channel,
    CASE WHEN channel = 'stripe' THEN printf('pi_3S%06X%06X', x, y) ELSE printf('sbpi_%06x%06x', x, y) END,
    CASE WHEN channel = 'stripe' THEN 'pm_card_visa' WHEN status = 'failed' THEN 'pm_sandbox_declined'
      WHEN status IN ('requires_action', 'processing') THEN 'pm_sandbox_' || status ELSE 'pm_sandbox_success' END,
    'customer' || (y % 60000) || '@example.com', 'Customer ' || (y % 60000), 'Order ' || i, '{}',
    CASE status WHEN 'refunded' THEN amount WHEN 'partially_refunded' THEN max(1, amount * (10 + x % 80) / 100) ELSE 0 END,
    CASE WHEN status = 'failed' THEN ${failure(([code]) => (code === null ? "NULL" : text(code)))} END,
    CASE WHEN status = 'failed' THEN ${failure(([, message]) => text(message))} END,
    CASE WHEN ${PAID} THEN created_at + 2000 + x % 60000 END,
    CASE status WHEN 'pending' THEN 1 WHEN 'succeeded' THEN 3 WHEN 'partially_refunded' THEN 4 WHEN 'refunded' THEN 4 ELSE 2 END,
    created_at,
    -- a refund comes days later (never after now); any other change within a minute or so
    min(${args.now}, created_at + CASE WHEN status IN ('partially_refunded', 'refunded') THEN (1 + y % 30) * ${DAY_MS}
      ELSE 5000 + x % 60000 END)
  FROM p`;
}

const ORDER_STATUS = [
  ["'pending'", 40], ["'paid'", 120], ["'shipped'", 120], ["'completed'", 600], ["'cancelled'", 60],
  ["'partially_refunded'", 30], ["'refunded'", 30],
];
const PRODUCTS = ["Notebook", "Fountain pen", "Backpack", "Desk lamp", "Coffee beans", "Headphones", "Tea set", "Umbrella"];

/** An order's one to three items, each with its unit price (minor units) and quantity. */
const itemCount = "(1 + x % 3)";
const unitPrice = (j) => `(CASE WHEN currency = 'JPY' THEN 300 + ${hash(200 + j)} % 30000 ELSE 200 + ${hash(200 + j)} % 20000 END)`;
const quantity = (j) => `(1 + ${hash(210 + j)} % 3)`;
const orderTotal = [0, 1, 2].map((j) => `(${j} < ${itemCount}) * ${unitPrice(j)} * ${quantity(j)}`).join(" + ");

const ordersOf = (args) =>
  `${rows({ ...args, salt: 1000 })},
  o AS (SELECT r.*, ${pick("roll", ORDER_STATUS)} AS status, ${businessNo("OR")} AS order_no, ${orderTotal} AS total FROM r)`;

/** `days` days and part of one after the order was made, in ms. */
const daysLater = (days) => `(${days} * ${DAY_MS} + y % ${DAY_MS})`;

/** Orders i from..to-1 of `total`. */
export function ordersSql(args) {
  const paid = "status NOT IN ('pending', 'cancelled')";
  const shipped = "status IN ('shipped', 'completed')";
  return `${ordersOf(args)}
  INSERT INTO orders (order_no, merchant_id, livemode, customer_email, customer_name, currency, total_amount,
    paid_amount, refunded_amount, status, payment_no, carrier, tracking_no, metadata, paid_at, shipped_at,
    completed_at, cancelled_at, version, created_at, updated_at)
  SELECT order_no, merchant_id, livemode, 'customer' || (y % 60000) || '@example.com', 'Customer ' || (y % 60000),
    currency, total,
    CASE WHEN ${paid} THEN total ELSE 0 END,
    CASE status WHEN 'refunded' THEN total WHEN 'partially_refunded' THEN max(1, total * (10 + x % 80) / 100) ELSE 0 END,
    status,
    CASE WHEN ${paid} THEN ${businessNo("PY")} END,
    CASE WHEN ${shipped} THEN 'UPS' END, CASE WHEN ${shipped} THEN printf('1Z%06X%06X', x, y) END, '{}',
    CASE WHEN ${paid} THEN created_at + 60000 + x % 600000 END,
    CASE WHEN ${shipped} THEN created_at + ${daysLater(1)} END,
    CASE WHEN status = 'completed' THEN created_at + ${daysLater(5)} END,
    CASE WHEN status = 'cancelled' THEN created_at + 3600000 END,
    CASE status WHEN 'pending' THEN 1 WHEN 'cancelled' THEN 2 WHEN 'paid' THEN 2 WHEN 'shipped' THEN 3 ELSE 4 END,
    created_at,
    min(${args.now}, created_at + CASE status WHEN 'pending' THEN 0 WHEN 'cancelled' THEN 3600000
      WHEN 'paid' THEN 600000 WHEN 'shipped' THEN ${daysLater(1)} WHEN 'completed' THEN ${daysLater(5)}
      ELSE ${daysLater(20)} END)
  FROM o`;
}

/** The items of orders i from..to-1 (the orders ordersSql makes for the same arguments). */
export function orderItemsSql(args) {
  const byPosition = (f) => `CASE pos ${[0, 1, 2].map((j) => `WHEN ${j} THEN ${f(j)}`).join(" ")} END`;
  return `${ordersOf(args)},
  items AS (
    SELECT o.order_no, pos, ${byPosition(unitPrice)} AS unit_price, ${byPosition(quantity)} AS quantity,
      (i * 7 + pos * 3) % 500 AS product
    FROM o JOIN (SELECT 0 AS pos UNION ALL SELECT 1 UNION ALL SELECT 2) ON pos < ${itemCount}
  )
  INSERT INTO order_items (id, order_no, position, product_id, product_name, unit_price, quantity, line_total)
  SELECT order_no || ':' || pos, order_no, pos, 'prod_' || product,
    CASE product % ${PRODUCTS.length} ${PRODUCTS.map((name, k) => `WHEN ${k} THEN ${text(name)}`).join(" ")} END,
    unit_price, quantity, unit_price * quantity
  FROM items`;
}
