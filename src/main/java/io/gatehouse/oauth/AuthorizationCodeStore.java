package io.gatehouse.oauth;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/** Storage port of authorization codes. */
public interface AuthorizationCodeStore {

  Future<Void> insert(AuthorizationCode code);

  Future<Optional<AuthorizationCode>> byHash(String codeHash);

  /** Marks a code used if it is not yet: false when another exchange came first. */
  Future<Boolean> markUsed(String codeHash, Instant at);

  /** Records what the code was exchanged for, so a replay can revoke it. */
  Future<Void> recordIssued(String codeHash, String accessJti, Instant accessExpiresAt, String refreshFamily);

  Future<Integer> deleteExpired(Instant before);
}
