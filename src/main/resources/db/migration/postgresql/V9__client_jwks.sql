-- A client that authenticates with private_key_jwt (RFC 7523): its public JWK set.
ALTER TABLE oauth_clients ADD COLUMN jwks TEXT;
