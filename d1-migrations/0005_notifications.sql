-- Merchant notifications: each merchant's webhook endpoint (per mode), delivery state of each
-- event, and every delivery attempt.
CREATE TABLE webhook_endpoints (
  merchant_id          TEXT NOT NULL REFERENCES merchants (id),
  livemode             INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  url                  TEXT,
  events               TEXT NOT NULL DEFAULT '[]',
  secret_sealed        TEXT NOT NULL,
  previous_sealed      TEXT,
  previous_expires_at  INTEGER,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, livemode)
);

ALTER TABLE events ADD COLUMN target_url TEXT;
ALTER TABLE events ADD COLUMN delivery_status TEXT NOT NULL DEFAULT 'pending'
  CHECK (delivery_status IN ('pending', 'delivered', 'failed', 'skipped'));
ALTER TABLE events ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN delivered_at INTEGER;

CREATE TABLE event_deliveries (
  id                TEXT PRIMARY KEY,
  event_id          TEXT NOT NULL REFERENCES events (id),
  attempt           INTEGER NOT NULL,
  url               TEXT NOT NULL,
  status_code       INTEGER,
  latency_ms        INTEGER NOT NULL,
  response_excerpt  TEXT,
  error             TEXT,
  created_at        INTEGER NOT NULL
);
CREATE INDEX idx_event_deliveries_event ON event_deliveries (event_id, attempt);
