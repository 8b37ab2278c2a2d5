-- Tokens follow their account and their session (issue 17).
-- A refresh token remembers the session it was issued with (sid: the SHA-256 of the session token)
-- and the resources (RFC 8707) its access tokens are for, so a logout ends the family and a
-- rotation keeps the audience.
ALTER TABLE refresh_tokens ADD COLUMN sid TEXT;
ALTER TABLE refresh_tokens ADD COLUMN audience TEXT NOT NULL DEFAULT '';
CREATE INDEX refresh_tokens_by_sid ON refresh_tokens (sid);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (user_id);

-- A per-subject "not before": every access token of the subject issued before not_before is refused.
-- Kept until the last such token would have expired anyway (expires_at).
CREATE TABLE revoked_subjects (
  subject    TEXT PRIMARY KEY,
  not_before INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX revoked_subjects_by_expiry ON revoked_subjects (expires_at);

-- private_key_jwt assertions already used (RFC 7523 §3 item 7), by client and jti, until they expire.
CREATE TABLE spent_assertions (
  id         TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX spent_assertions_by_expiry ON spent_assertions (expires_at);
