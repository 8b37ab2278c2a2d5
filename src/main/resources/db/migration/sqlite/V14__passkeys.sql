-- Passkeys (WebAuthn discoverable credentials) and the challenges of their ceremonies (issue 23).
-- V13 is taken by another branch (TOTP); Flyway takes the gap, and a fresh database runs both in order.
CREATE TABLE passkeys (
  credential_id   TEXT PRIMARY KEY,              -- base64url of the credential id (§7.1 step 26: unique over all users)
  user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  public_key      BLOB NOT NULL,                 -- the COSE_Key from the attested credential data
  aaguid          TEXT NOT NULL,
  sign_count      INTEGER NOT NULL,
  uv_initialized  INTEGER NOT NULL,
  backup_eligible INTEGER NOT NULL,
  backup_state    INTEGER NOT NULL,
  transports      TEXT NOT NULL DEFAULT '',      -- space-separated
  created_at      INTEGER NOT NULL,
  last_used_at    INTEGER
);
CREATE INDEX passkeys_by_user ON passkeys (user_id);

-- One pending ceremony per key: registration keyed by the session, sign-in by the SHA-256 of a
-- handle only the requesting browser or app holds. Taken (deleted) exactly once.
CREATE TABLE webauthn_challenges (
  ceremony_key TEXT PRIMARY KEY,
  challenge    TEXT NOT NULL,                    -- base64url
  user_id      TEXT,                             -- registration: whose passkey it will be
  expires_at   INTEGER NOT NULL
);
