-- Risk control (issue #15). Rules per merchant and mode in Radar's syntax, tried in order of their
-- action (allow, then block, then review), and within one action by position; platform rules
-- (merchant_id NULL, written by operators) run before every merchant's own.
CREATE TABLE risk_rules (
  id          TEXT PRIMARY KEY,
  merchant_id TEXT REFERENCES merchants (id),
  livemode    INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  position    INTEGER NOT NULL,
  name        TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('allow', 'block', 'review')),
  predicate   TEXT NOT NULL,
  shadow      INTEGER NOT NULL DEFAULT 0 CHECK (shadow IN (0, 1)),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX idx_risk_rules_owner ON risk_rules (merchant_id, livemode, position);

-- Block and allow lists (emails, domains, IPs, customers), values normalised (lower-case, trimmed).
CREATE TABLE risk_list_items (
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  livemode    INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  list        TEXT NOT NULL,
  value       TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, livemode, list, value)
) WITHOUT ROWID;

-- What one unit (major) of a currency is worth in US dollars, for :amount_in_usd:; set by operators.
CREATE TABLE currency_rates (
  currency    TEXT PRIMARY KEY,
  usd_rate    TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
) WITHOUT ROWID;
