-- Risk settings per merchant and mode (issue #15): whether the built-in rules run
-- (shared/risk/builtin-rules.ts). A merchant with no row has them on, so only a change writes one.
CREATE TABLE risk_settings (
  merchant_id   TEXT NOT NULL REFERENCES merchants (id),
  livemode      INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  builtin_rules INTEGER NOT NULL CHECK (builtin_rules IN (0, 1)),
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, livemode)
) WITHOUT ROWID;
