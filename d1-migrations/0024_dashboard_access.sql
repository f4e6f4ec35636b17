-- People who sign in to the dashboard: merchants' users (owner, developer, analyst) and the
-- platform's operators (admin, support); their sessions; failed sign-ins for rate limiting; and
-- the audit log of sign-ins and every change made by a person or the admin token.

-- One sign-in form for everyone, so an email is one person across merchants and operators.
-- password_hash: pbkdf2-sha256$<iterations>$<salt base64>$<derived key base64>.
CREATE TABLE dashboard_users (
  id             TEXT PRIMARY KEY,
  kind           TEXT NOT NULL CHECK (kind IN ('merchant', 'operator')),
  merchant_id    TEXT REFERENCES merchants (id),
  email          TEXT NOT NULL UNIQUE,
  role           TEXT NOT NULL CHECK (role IN ('owner', 'developer', 'analyst', 'admin', 'support')),
  password_hash  TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  CHECK ((kind = 'merchant') = (merchant_id IS NOT NULL)),
  CHECK ((kind = 'merchant') = (role IN ('owner', 'developer', 'analyst')))
);
CREATE INDEX idx_dashboard_users_merchant ON dashboard_users (merchant_id, created_at, id);

-- A signed-in browser. Its short-lived token is re-signed as it is used; this row is what
-- sign-out ends (revoked_at) and what bounds a session however often it is rotated (expires_at).
CREATE TABLE dashboard_sessions (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES dashboard_users (id),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  revoked_at  INTEGER
);
CREATE INDEX idx_dashboard_sessions_user ON dashboard_sessions (user_id);

-- Failed sign-ins per fixed window, by hashed email and by client IP.
CREATE TABLE sign_in_failures (
  key           TEXT NOT NULL,
  window_start  INTEGER NOT NULL,
  failures      INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
) WITHOUT ROWID;

CREATE TABLE audit_log (
  id           TEXT PRIMARY KEY,
  created_at   INTEGER NOT NULL,
  actor_type   TEXT NOT NULL CHECK (actor_type IN ('user', 'operator', 'admin_token', 'anonymous')),
  actor_id     TEXT,
  actor_email  TEXT,
  merchant_id  TEXT,
  livemode     INTEGER CHECK (livemode IN (0, 1)),
  action       TEXT NOT NULL,
  target       TEXT NOT NULL,
  status       INTEGER NOT NULL,
  ip           TEXT,
  request_id   TEXT
);
CREATE INDEX idx_audit_log_created ON audit_log (created_at, id);
CREATE INDEX idx_audit_log_merchant ON audit_log (merchant_id, created_at, id);
CREATE INDEX idx_audit_log_actor ON audit_log (actor_id, created_at, id);
