-- OpenID Connect Dynamic Client Registration §2 id_token_signed_response_alg: the JWS algorithm of a
-- client's id tokens, RS256 unless registered otherwise (existing clients included).
ALTER TABLE oauth_clients ADD COLUMN id_token_signed_response_alg TEXT NOT NULL DEFAULT 'RS256';
