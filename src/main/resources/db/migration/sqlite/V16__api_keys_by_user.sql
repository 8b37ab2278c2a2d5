-- A user's own keys, listed on the account page at each visit (SqlApiKeyStore.forUser).
CREATE INDEX api_keys_by_user ON api_keys (user_id);
