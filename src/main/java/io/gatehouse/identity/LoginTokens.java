package io.gatehouse.identity;

import io.vertx.core.Future;
import java.util.Map;

/**
 * What a JSON login answers besides its session: the OAuth server plugs in the built-in first-party
 * client's access and refresh tokens here, so identity does not depend on it.
 */
@FunctionalInterface
public interface LoginTokens {

  /** No tokens: only the session. */
  LoginTokens NONE = (user, session) -> Future.succeededFuture(Map.of());

  /**
   * Fields to add to the login answer, such as {@code access_token}.
   *
   * @param session the session the login started: what is issued ends with it, and records how and
   *     when its user signed in ({@link Session#amr}, {@link Session#createdAt})
   */
  Future<Map<String, Object>> issue(User user, Session session);
}
