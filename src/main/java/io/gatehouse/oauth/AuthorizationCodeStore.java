package io.gatehouse.oauth;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/** Storage port of authorization codes. */
public interface AuthorizationCodeStore {

  /** What an exchange issues for a code, known before it is issued. */
  record Issued(String accessJti, Instant accessExpiresAt, String refreshFamily) {
  }

  Future<Void> insert(AuthorizationCode code);

  Future<Optional<AuthorizationCode>> byHash(String codeHash);

  /**
   * Marks a code used, with what its exchange is about to issue, in one atomic step if it is not
   * used yet: false when another exchange came first.
   */
  Future<Boolean> markUsed(String codeHash, Instant at, Issued issued);

  /**
   * Marks a used code as presented again (the first time only) and answers it, with what its first
   * exchange issued; empty when there is no such code.
   */
  Future<Optional<AuthorizationCode>> replayed(String codeHash, Instant at);

  /** Whether the code was presented again after its exchange. */
  Future<Boolean> isReplayed(String codeHash);

  Future<Integer> deleteExpired(Instant before);
}
