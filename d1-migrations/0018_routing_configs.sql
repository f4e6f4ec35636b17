-- The seed's payment_routes (one row per channel rule) was never used and is empty. It becomes the
-- versioned store of routing configurations: per merchant and mode, versions 1, 2, … each holding a
-- whole configuration as JSON (shared/routing/config.ts), at most one of them active.
DROP TABLE payment_routes;
CREATE TABLE payment_routes (
  id            TEXT PRIMARY KEY,
  merchant_id   TEXT NOT NULL REFERENCES merchants (id),
  livemode      INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  version       INTEGER NOT NULL CHECK (version > 0),
  name          TEXT NOT NULL,
  config        TEXT NOT NULL,
  active        INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
  created_at    INTEGER NOT NULL,
  activated_at  INTEGER,
  UNIQUE (merchant_id, livemode, version)
);
-- One active version per merchant and mode; also how a payment's create finds it.
CREATE UNIQUE INDEX idx_payment_routes_active ON payment_routes (merchant_id, livemode) WHERE active = 1;
