-- Issue 23: second factors and how each sign-in was made. Times are epoch milliseconds (UTC).

-- How the user signed in (RFC 8176 amr values, space-separated); a session's created_at is its
-- auth_time. Sessions from before this migration were password sign-ins.
ALTER TABLE sessions ADD COLUMN amr TEXT NOT NULL DEFAULT 'pwd';
-- The same facts carried by an authorization code to its id and access tokens, and by a refresh
-- family to the access tokens it issues. Null: not recorded (issued before this migration).
ALTER TABLE authorization_codes ADD COLUMN amr TEXT;
ALTER TABLE refresh_tokens ADD COLUMN amr TEXT;
ALTER TABLE refresh_tokens ADD COLUMN auth_time INTEGER;

-- A user's TOTP factor (RFC 6238): the secret sealed with the master key, unconfirmed until a first
-- code proves the authenticator has it; last_step is the last time step accepted, so a code is
-- used once (a compare-and-set on it).
CREATE TABLE totp_factors (
  user_id      TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  confirmed_at INTEGER,
  last_step    INTEGER NOT NULL DEFAULT -1
);

-- Single-use recovery codes, stored as SHA-256 of the user id and the code; a use deletes the row.
CREATE TABLE recovery_codes (
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash  TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, code_hash)
);

-- A sign-in half done: the password was right, the second factor (or its enrolment) is still to
-- come. Named by the SHA-256 of a random token only its browser or app holds; used once, short-lived,
-- and given up after a few wrong codes.
CREATE TABLE pending_sign_ins (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose    TEXT NOT NULL,                  -- verify | enrol
  amr        TEXT NOT NULL,                  -- what was proven so far
  return_to  TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX pending_sign_ins_by_expiry ON pending_sign_ins (expires_at);
