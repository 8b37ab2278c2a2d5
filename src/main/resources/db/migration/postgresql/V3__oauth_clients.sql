-- OAuth clients. A confidential client's secret (256 random bits) is stored as its SHA-256 only.
CREATE TABLE oauth_clients (
  client_id     TEXT PRIMARY KEY,
  secret_hash   TEXT,                          -- null for a public client
  grants        TEXT NOT NULL DEFAULT '',      -- space-separated
  scopes        TEXT NOT NULL DEFAULT '',
  audiences     TEXT NOT NULL DEFAULT '',
  redirect_uris TEXT NOT NULL DEFAULT '',      -- space-separated, exact match
  first_party   INTEGER NOT NULL DEFAULT 0,
  created_at    BIGINT NOT NULL
);
