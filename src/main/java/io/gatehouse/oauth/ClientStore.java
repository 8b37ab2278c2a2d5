package io.gatehouse.oauth;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** Storage port of OAuth clients. */
public interface ClientStore {

  /** @return a failed future with {@link IllegalStateException} when the id is taken */
  Future<Void> insert(OAuthClient client);

  Future<Optional<OAuthClient>> byId(String clientId);

  Future<List<OAuthClient>> list();

  Future<Boolean> delete(String clientId);
}
