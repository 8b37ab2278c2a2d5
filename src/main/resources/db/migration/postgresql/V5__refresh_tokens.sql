-- Refresh tokens: 256-bit random, stored as SHA-256. Each use rotates the token within its family;
-- a used token presented again revokes the whole family and the access tokens it issued.
CREATE TABLE refresh_tokens (
  token_hash  TEXT PRIMARY KEY,
  family_id   TEXT NOT NULL,
  client_id   TEXT NOT NULL,
  user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  scope       TEXT NOT NULL DEFAULT '',
  access_jti  TEXT NOT NULL,                   -- the access token issued with it
  access_exp  BIGINT NOT NULL,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,                -- the family's absolute end
  used_at     BIGINT,
  revoked_at  BIGINT
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);
