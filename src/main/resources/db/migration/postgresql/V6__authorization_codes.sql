-- Authorization codes: single use, expiring within a minute, stored as SHA-256. What a code was
-- exchanged for is kept so that a replayed code can revoke it (RFC 6749 §4.1.2).
CREATE TABLE authorization_codes (
  code_hash      TEXT PRIMARY KEY,
  client_id      TEXT NOT NULL,
  user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  redirect_uri   TEXT NOT NULL,
  scope          TEXT NOT NULL DEFAULT '',
  code_challenge TEXT,                          -- PKCE S256
  created_at     BIGINT NOT NULL,
  expires_at     BIGINT NOT NULL,
  used_at        BIGINT,
  access_jti     TEXT,
  access_exp     BIGINT,
  refresh_family TEXT
);
