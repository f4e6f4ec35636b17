-- Metrics (issue #17): GET /metrics reads durable figures, never an isolate's memory. Writers add
-- to a row (INSERT ... ON CONFLICT DO UPDATE), mostly inside a D1 batch they already send.

-- One row per counter and label set; labels is the exposition's label string (sorted keys,
-- escaped), so a scrape prints it as it is. WITHOUT ROWID: the key is the only index written.
CREATE TABLE metric_counters (
  name   TEXT NOT NULL,
  labels TEXT NOT NULL,
  value  INTEGER NOT NULL,
  PRIMARY KEY (name, labels)
) WITHOUT ROWID;

-- One row per histogram, label set and bucket: how many observations fell in that bucket (not
-- cumulative) and their sum; the exposition accumulates them. le is the bucket's upper bound as
-- printed ('0.25', '+Inf').
CREATE TABLE metric_histograms (
  name   TEXT NOT NULL,
  labels TEXT NOT NULL,
  le     TEXT NOT NULL,
  count  INTEGER NOT NULL,
  sum    REAL NOT NULL,
  PRIMARY KEY (name, labels, le)
) WITHOUT ROWID;

-- Each merchant's routing circuits as its RoutingHealthDO last moved them (written only when one
-- changes state): the edgepay_routing_circuits gauge, and the operators' "circuit opened" alerts.
-- changed_at: when it entered the state (an open circuit half-opens its cool-down later, which
-- nothing writes). A circuit that never moved has no row.
CREATE TABLE routing_circuits (
  merchant_id TEXT NOT NULL,
  livemode    INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  channel     TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('closed', 'open', 'half_open')),
  changed_at  INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, livemode, channel)
) WITHOUT ROWID;
-- the gauge counts circuits by state and channel (and tells half-open ones by changed_at) from
-- this index alone
CREATE INDEX idx_routing_circuits_state ON routing_circuits (state, channel, changed_at);

-- The dead-letters gauge counts the parked letters of each queue: only those not replayed are in
-- this index (a replay removes its entry), so a scrape reads them and nothing else; replayed_at in
-- it makes it covering (SQLite reads no table row to check the condition).
CREATE INDEX idx_dead_letters_parked ON dead_letters (queue, replayed_at) WHERE replayed_at IS NULL;
