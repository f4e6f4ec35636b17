-- Foundation schema: every table of the seed, plus merchants, API keys and parked dead letters.
-- Times are integer milliseconds since the Unix epoch (UTC); money is integer minor units.
-- livemode separates a merchant's test data (sk_test_ keys) from its live data (sk_live_ keys).

CREATE TABLE merchants (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  email       TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX idx_merchants_created_at ON merchants (created_at);

-- Keys are stored only as SHA-256 of the full secret; the prefix is for display.
CREATE TABLE api_keys (
  id            TEXT PRIMARY KEY,
  merchant_id   TEXT NOT NULL REFERENCES merchants (id),
  livemode      INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  key_hash      TEXT NOT NULL UNIQUE,
  key_prefix    TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  revoked_at    INTEGER,
  last_used_at  INTEGER
);
CREATE INDEX idx_api_keys_merchant_id ON api_keys (merchant_id);

CREATE TABLE payments (
  payment_no          TEXT PRIMARY KEY,
  merchant_id         TEXT NOT NULL REFERENCES merchants (id),
  livemode            INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  order_no            TEXT NOT NULL,
  amount              INTEGER NOT NULL CHECK (amount > 0),
  currency            TEXT NOT NULL,
  status              TEXT NOT NULL,
  channel             TEXT NOT NULL,
  channel_payment_id  TEXT,
  payment_method      TEXT,
  customer_email      TEXT,
  customer_name       TEXT,
  description         TEXT,
  notify_url          TEXT,
  return_url          TEXT,
  metadata            TEXT NOT NULL DEFAULT '{}',
  refunded_amount     INTEGER NOT NULL DEFAULT 0,
  error_code          TEXT,
  error_message       TEXT,
  paid_at             INTEGER,
  version             INTEGER NOT NULL,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
CREATE INDEX idx_payments_merchant_id ON payments (merchant_id);
CREATE INDEX idx_payments_status ON payments (status);
CREATE INDEX idx_payments_created_at ON payments (created_at);
CREATE INDEX idx_payments_merchant_status ON payments (merchant_id, livemode, status, created_at);
CREATE INDEX idx_payments_merchant_created ON payments (merchant_id, livemode, created_at);
CREATE INDEX idx_payments_merchant_order_no ON payments (merchant_id, livemode, order_no);

CREATE TABLE refunds (
  refund_no          TEXT PRIMARY KEY,
  payment_no         TEXT NOT NULL REFERENCES payments (payment_no),
  merchant_id        TEXT NOT NULL REFERENCES merchants (id),
  livemode           INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  amount             INTEGER NOT NULL CHECK (amount > 0),
  currency           TEXT NOT NULL,
  status             TEXT NOT NULL,
  reason             TEXT,
  channel            TEXT NOT NULL,
  channel_refund_id  TEXT,
  metadata           TEXT NOT NULL DEFAULT '{}',
  error_code         TEXT,
  error_message      TEXT,
  version            INTEGER NOT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE INDEX idx_refunds_payment_no ON refunds (payment_no);
CREATE INDEX idx_refunds_merchant_id ON refunds (merchant_id);
CREATE INDEX idx_refunds_status ON refunds (status);
CREATE INDEX idx_refunds_created_at ON refunds (created_at);
CREATE INDEX idx_refunds_merchant_status ON refunds (merchant_id, livemode, status, created_at);
CREATE INDEX idx_refunds_merchant_created ON refunds (merchant_id, livemode, created_at);

-- Verified channel events, one row per (channel, event id): the dedupe point of webhook ingress.
CREATE TABLE payment_callbacks (
  id           TEXT PRIMARY KEY,
  channel      TEXT NOT NULL,
  event_id     TEXT NOT NULL,
  event_type   TEXT NOT NULL,
  payment_no   TEXT,
  refund_no    TEXT,
  payload      TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'applied', 'ignored', 'failed')),
  received_at  INTEGER NOT NULL,
  processed_at INTEGER,
  UNIQUE (channel, event_id)
);
CREATE INDEX idx_payment_callbacks_payment_no ON payment_callbacks (payment_no);
CREATE INDEX idx_payment_callbacks_status ON payment_callbacks (status);
CREATE INDEX idx_payment_callbacks_received_at ON payment_callbacks (received_at);

-- Routing rules: the first enabled rule (lowest priority number) that matches picks the channel.
CREATE TABLE payment_routes (
  id              TEXT PRIMARY KEY,
  merchant_id     TEXT REFERENCES merchants (id),
  priority        INTEGER NOT NULL DEFAULT 100,
  channel         TEXT NOT NULL,
  currency        TEXT,
  payment_method  TEXT,
  min_amount      INTEGER,
  max_amount      INTEGER,
  enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX idx_payment_routes_merchant_priority ON payment_routes (merchant_id, priority);

CREATE TABLE orders (
  order_no            TEXT PRIMARY KEY,
  merchant_id         TEXT NOT NULL REFERENCES merchants (id),
  livemode            INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  merchant_reference  TEXT,
  customer_email      TEXT NOT NULL,
  customer_name       TEXT,
  currency            TEXT NOT NULL,
  total_amount        INTEGER NOT NULL CHECK (total_amount > 0),
  paid_amount         INTEGER NOT NULL DEFAULT 0,
  refunded_amount     INTEGER NOT NULL DEFAULT 0,
  status              TEXT NOT NULL,
  payment_no          TEXT,
  shipping            TEXT,
  carrier             TEXT,
  tracking_no         TEXT,
  metadata            TEXT NOT NULL DEFAULT '{}',
  paid_at             INTEGER,
  shipped_at          INTEGER,
  completed_at        INTEGER,
  cancelled_at        INTEGER,
  version             INTEGER NOT NULL,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  UNIQUE (merchant_id, order_no)
);
CREATE INDEX idx_orders_merchant_id ON orders (merchant_id);
CREATE INDEX idx_orders_status ON orders (status);
CREATE INDEX idx_orders_created_at ON orders (created_at);
CREATE INDEX idx_orders_merchant_status ON orders (merchant_id, livemode, status, created_at);
CREATE INDEX idx_orders_merchant_created ON orders (merchant_id, livemode, created_at);
CREATE INDEX idx_orders_merchant_email ON orders (merchant_id, livemode, customer_email);

CREATE TABLE order_items (
  id            TEXT PRIMARY KEY,
  order_no      TEXT NOT NULL REFERENCES orders (order_no),
  position      INTEGER NOT NULL,
  product_id    TEXT NOT NULL,
  product_name  TEXT NOT NULL,
  unit_price    INTEGER NOT NULL CHECK (unit_price >= 0),
  quantity      INTEGER NOT NULL CHECK (quantity > 0),
  line_total    INTEGER NOT NULL CHECK (line_total >= 0),
  UNIQUE (order_no, position)
);

CREATE TABLE order_logs (
  id           TEXT PRIMARY KEY,
  order_no     TEXT NOT NULL REFERENCES orders (order_no),
  from_status  TEXT,
  to_status    TEXT NOT NULL,
  cause        TEXT NOT NULL,
  actor        TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX idx_order_logs_order_no ON order_logs (order_no, created_at);

-- Finished UTC days rolled up by the cron trigger, so long summaries read one row per day.
CREATE TABLE order_statistics (
  merchant_id      TEXT NOT NULL REFERENCES merchants (id),
  livemode         INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  day              TEXT NOT NULL,
  currency         TEXT NOT NULL,
  order_count      INTEGER NOT NULL,
  paid_count       INTEGER NOT NULL,
  gross_amount     INTEGER NOT NULL,
  refunded_amount  INTEGER NOT NULL,
  net_amount       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, livemode, day, currency)
);

-- Channel credentials; a null merchant_id is the platform default. Secrets are stored encrypted.
CREATE TABLE channel_configs (
  id                TEXT PRIMARY KEY,
  merchant_id       TEXT REFERENCES merchants (id),
  channel           TEXT NOT NULL,
  livemode          INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  publishable_key   TEXT,
  secret_encrypted  TEXT,
  enabled           INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  UNIQUE (merchant_id, channel, livemode)
);

-- Every call made to a channel (payment, refund, cancel) and what it answered.
CREATE TABLE transactions (
  id              TEXT PRIMARY KEY,
  merchant_id     TEXT NOT NULL REFERENCES merchants (id),
  livemode        INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  payment_no      TEXT NOT NULL,
  refund_no       TEXT,
  channel         TEXT NOT NULL,
  type            TEXT NOT NULL,
  channel_txn_id  TEXT,
  amount          INTEGER NOT NULL,
  currency        TEXT NOT NULL,
  status          TEXT NOT NULL,
  error_code      TEXT,
  created_at      INTEGER NOT NULL
);
CREATE INDEX idx_transactions_merchant_id ON transactions (merchant_id);
CREATE INDEX idx_transactions_payment_no ON transactions (payment_no);
CREATE INDEX idx_transactions_created_at ON transactions (created_at);

-- Every inbound webhook request, verified or not, for audit (rejected ones keep no payload).
CREATE TABLE webhook_logs (
  id           TEXT PRIMARY KEY,
  channel      TEXT NOT NULL,
  event_id     TEXT,
  event_type   TEXT,
  verified     INTEGER NOT NULL CHECK (verified IN (0, 1)),
  http_status  INTEGER NOT NULL,
  error        TEXT,
  request_id   TEXT NOT NULL,
  received_at  INTEGER NOT NULL
);
CREATE INDEX idx_webhook_logs_channel_received ON webhook_logs (channel, received_at);

-- Messages a queue gave up on, kept so nothing accepted is lost and each can be replayed.
CREATE TABLE dead_letters (
  id           TEXT PRIMARY KEY,
  queue        TEXT NOT NULL,
  message_id   TEXT NOT NULL,
  body         TEXT NOT NULL,
  attempts     INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  replayed_at  INTEGER,
  UNIQUE (queue, message_id)
);
CREATE INDEX idx_dead_letters_queue_created ON dead_letters (queue, created_at);
