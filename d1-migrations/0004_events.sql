-- Events for merchants (payment.succeeded, refund.failed, …), written by PaymentDO through its
-- outbox in the same transaction as the change they report. seq orders one payment's events.
CREATE TABLE events (
  id          TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  livemode    INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  type        TEXT NOT NULL,
  payment_no  TEXT NOT NULL,
  refund_no   TEXT,
  seq         INTEGER NOT NULL,
  data        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  UNIQUE (payment_no, seq)
);
CREATE INDEX idx_events_merchant_created ON events (merchant_id, livemode, created_at, id);
CREATE INDEX idx_events_merchant_type ON events (merchant_id, livemode, type, created_at, id);
