-- Emails (issue #17): customer receipts and operator alerts, each sent at most once per event and
-- recipient, with every SMTP attempt; merchants' receipt settings; the payment's language.

-- The language the buyer reads (BCP 47, as the create gave it); null: English.
ALTER TABLE payments ADD COLUMN language TEXT;

-- Per merchant (both modes): whether its customers get receipts, and in whose name. A merchant
-- with no row sends none. The support address is the receipts' Reply-To, so it is required to enable.
CREATE TABLE receipt_settings (
  merchant_id    TEXT PRIMARY KEY REFERENCES merchants (id),
  enabled        INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  business_name  TEXT,
  support_email  TEXT,
  updated_at     INTEGER NOT NULL,
  CHECK (enabled = 0 OR support_email IS NOT NULL)
) WITHOUT ROWID;

-- One row per (what it is about, recipient): the queue consumer inserts it or finds it, so a
-- redelivered message finds the mail already sent. dedupe_key is the event id for receipts.
-- status: pending → sending (claimed, before SMTP) → sent | failed; sending found by a later
-- delivery means a send died mid-way: unknown, and never sent again (at most once).
CREATE TABLE emails (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('receipt.payment', 'receipt.refund', 'alert.circuit_opened', 'alert.dead_letters')),
  dedupe_key   TEXT NOT NULL,
  recipient    TEXT NOT NULL,
  merchant_id  TEXT,
  -- the mode it is about; null for an alert about the platform (dead letters)
  livemode     INTEGER CHECK (livemode IN (0, 1)),
  status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  created_at   INTEGER NOT NULL,
  sent_at      INTEGER,
  UNIQUE (dedupe_key, recipient)
);
-- the cron's "dead letters growing" reads the last alert of a kind
CREATE INDEX idx_emails_kind_created ON emails (kind, created_at);

-- Every SMTP attempt of an email: keyed by the email and its attempt number (no rowid, no second index).
CREATE TABLE email_attempts (
  email_id   TEXT NOT NULL REFERENCES emails (id),
  attempt    INTEGER NOT NULL,
  outcome    TEXT NOT NULL CHECK (outcome IN ('sent', 'retry', 'failed')),
  smtp_code  INTEGER,
  error      TEXT,
  at         INTEGER NOT NULL,
  PRIMARY KEY (email_id, attempt)
) WITHOUT ROWID;

-- the cron's alert recipients: the admin operators, among every merchant's users
CREATE INDEX idx_dashboard_users_operators ON dashboard_users (role, email) WHERE kind = 'operator';
