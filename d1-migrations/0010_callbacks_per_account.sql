-- payment_callbacks is rebuilt (SQLite cannot change a UNIQUE constraint in place): an event is
-- deduplicated per channel *account*, so one merchant's own account cannot take an event id that
-- the platform's account (or another merchant's) will send; the row says why an event was
-- ignored; and the cron re-drives callbacks not applied in time, with backoff.
CREATE TABLE payment_callbacks_new (
  id           TEXT PRIMARY KEY,
  channel      TEXT NOT NULL,
  -- the merchant whose own channel account sent the event, or 'platform'
  account      TEXT NOT NULL DEFAULT 'platform',
  event_id     TEXT NOT NULL,
  event_type   TEXT NOT NULL,
  payment_no   TEXT,
  refund_no    TEXT,
  payload      TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'applied', 'ignored', 'failed')),
  detail       TEXT,
  attempts     INTEGER NOT NULL DEFAULT 0,
  retry_at     INTEGER,
  received_at  INTEGER NOT NULL,
  processed_at INTEGER,
  UNIQUE (channel, account, event_id)
);
INSERT INTO payment_callbacks_new (id, channel, event_id, event_type, payment_no, refund_no, payload, status,
                                   received_at, processed_at)
  SELECT id, channel, event_id, event_type, payment_no, refund_no, payload, status, received_at, processed_at
  FROM payment_callbacks;
DROP TABLE payment_callbacks;
ALTER TABLE payment_callbacks_new RENAME TO payment_callbacks;
CREATE INDEX idx_payment_callbacks_payment_no ON payment_callbacks (payment_no);
CREATE INDEX idx_payment_callbacks_received_at ON payment_callbacks (received_at);
-- the re-drive's scan: callbacks still received, oldest first
CREATE INDEX idx_payment_callbacks_status ON payment_callbacks (status, received_at);
