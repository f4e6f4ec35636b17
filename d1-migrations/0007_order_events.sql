-- Orders have events too (order.paid, order.refunded): an event is about a payment or an order.
-- SQLite cannot relax NOT NULL in place, so the table is rebuilt (event_deliveries keeps
-- pointing at it by name; foreign keys are checked at the end of the migration).
PRAGMA defer_foreign_keys = true;

CREATE TABLE events_new (
  id               TEXT PRIMARY KEY,
  merchant_id      TEXT NOT NULL REFERENCES merchants (id),
  livemode         INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  type             TEXT NOT NULL,
  payment_no       TEXT,
  refund_no        TEXT,
  order_no         TEXT,
  seq              INTEGER NOT NULL,
  data             TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  target_url       TEXT,
  delivery_status  TEXT NOT NULL DEFAULT 'pending'
    CHECK (delivery_status IN ('pending', 'delivered', 'failed', 'skipped')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  delivered_at     INTEGER,
  CHECK ((payment_no IS NULL) <> (order_no IS NULL)),
  UNIQUE (payment_no, seq),
  UNIQUE (order_no, seq)
);
INSERT INTO events_new (id, merchant_id, livemode, type, payment_no, refund_no, seq, data, created_at,
                        target_url, delivery_status, attempts, delivered_at)
  SELECT id, merchant_id, livemode, type, payment_no, refund_no, seq, data, created_at,
         target_url, delivery_status, attempts, delivered_at FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX idx_events_merchant_created ON events (merchant_id, livemode, created_at, id);
CREATE INDEX idx_events_merchant_type ON events (merchant_id, livemode, type, created_at, id);
