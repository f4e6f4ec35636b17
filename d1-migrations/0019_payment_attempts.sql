-- The seed's transactions table (one row per channel transaction) was never written and is empty.
-- It becomes the projection of payments' attempts (issue #14): one row per attempt, keyed
-- <payment_no>:<attempt_no> so a payment's attempts are one range of the primary key, moved
-- forward only by a newer version as payments are. Platform-wide channel health reads it by time.
DROP TABLE transactions;
CREATE TABLE transactions (
  id               TEXT PRIMARY KEY,
  merchant_id      TEXT NOT NULL REFERENCES merchants (id),
  livemode         INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  payment_no       TEXT NOT NULL,
  attempt_no       INTEGER NOT NULL CHECK (attempt_no > 0),
  type             TEXT NOT NULL,
  refund_no        TEXT,
  channel          TEXT NOT NULL,
  channel_account  TEXT,
  channel_txn_id   TEXT,
  amount           INTEGER NOT NULL,
  currency         TEXT NOT NULL,
  payment_method   TEXT,
  status           TEXT NOT NULL,
  error_code       TEXT,
  error_message    TEXT,
  latency_ms       INTEGER,
  version          INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX idx_transactions_created_at ON transactions (created_at);
