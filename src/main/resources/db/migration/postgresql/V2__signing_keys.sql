-- Gatehouse's signing keys. The private JWK is sealed (JWE dir/A256GCM) under the master key.
CREATE TABLE signing_keys (
  kid         TEXT PRIMARY KEY,
  algorithm   TEXT NOT NULL,
  sealed_jwk  TEXT NOT NULL,
  created_at  BIGINT NOT NULL,               -- published from here
  active_from BIGINT NOT NULL,               -- signs from here
  retired_at  BIGINT                         -- a successor took over; published until every token it signed expired
);
