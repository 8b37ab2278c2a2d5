-- PostgreSQL: the schema of db/migration/sqlite version for version, epoch milliseconds as BIGINT.
-- Users, sessions, API keys and the audit trail. Times are epoch milliseconds (UTC).
CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL,
  username_key  TEXT NOT NULL UNIQUE,          -- NFKC, lower case: one account per name, whatever its case
  email         TEXT,
  roles         TEXT NOT NULL DEFAULT '',      -- space-separated
  disabled      INTEGER NOT NULL DEFAULT 0,
  password_hash TEXT,                          -- PHC string
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
  token_hash   TEXT PRIMARY KEY,               -- SHA-256 of the token; the token itself is never stored
  user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL                -- absolute expiry
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,               -- the readable part of gh_<id>_<secret>
  secret_hash  TEXT NOT NULL,                  -- SHA-256 of the secret
  user_id      TEXT REFERENCES users (id) ON DELETE CASCADE,
  service      TEXT,
  roles        TEXT NOT NULL DEFAULT '',
  scopes       TEXT NOT NULL DEFAULT '',
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT,
  last_used_at BIGINT,
  revoked_at   BIGINT,
  CHECK ((user_id IS NULL) <> (service IS NULL))
);

CREATE TABLE audit_events (
  seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  time       BIGINT NOT NULL,
  event      TEXT NOT NULL,
  outcome    TEXT NOT NULL,
  user_id    TEXT,
  ip         TEXT,
  request_id TEXT,
  detail     TEXT
);
