package io.gatehouse.oauth;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Storage port of consents: which scopes a user granted a client. */
public interface ConsentStore {

  /** The scopes granted, or empty when the user never consented (or revoked). */
  Future<Optional<List<String>>> granted(String userId, String clientId);

  /** Records (replaces) the scopes granted. */
  Future<Void> grant(String userId, String clientId, List<String> scopes, Instant at);

  /** The clients a user consented to, with their scopes. */
  Future<Map<String, List<String>>> forUser(String userId);

  /** @return false when there was nothing to revoke */
  Future<Boolean> revoke(String userId, String clientId);
}
