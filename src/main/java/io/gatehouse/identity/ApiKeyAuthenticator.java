package io.gatehouse.identity;

import io.gatehouse.guard.CredentialShapes;
import io.gatehouse.config.AuthKind;
import io.gatehouse.guard.Authenticator;
import io.gatehouse.guard.Credentials;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.Principal;
import io.vertx.core.Future;

/**
 * {@code auth: [api_key]}: a live API key, presented as {@code Authorization: ApiKey <key>},
 * {@code X-Api-Key: <key>} or {@code Authorization: Bearer gh_…}. A key carries the roles and
 * scopes it was created with, never more; a user's key stops working when the user is disabled.
 * Stateless and thread-safe.
 */
public final class ApiKeyAuthenticator implements Authenticator {

  private final ApiKeys apiKeys;
  private final UserStore users;

  public ApiKeyAuthenticator(ApiKeys apiKeys, UserStore users) {
    this.apiKeys = apiKeys;
    this.users = users;
  }

  @Override
  public Future<Principal> authenticate(Exchange exchange) {
    String presented = exchange.header(Credentials.API_KEY_HEADER);
    if (presented == null) {
      presented = Credentials.authorization(exchange, "ApiKey");
    }
    if (presented == null) {
      presented = Credentials.authorization(exchange, "Bearer");
    }
    if (!CredentialShapes.isApiKey(presented)) {
      return Future.succeededFuture();
    }
    return apiKeys.verify(presented).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      ApiKey key = found.get();
      String client = "apikey:" + key.id();
      if (key.userId() == null) {
        return Future.succeededFuture(new Principal("service:" + key.service(), key.roles(), key.scopes(), client,
            AuthKind.API_KEY, false, null));
      }
      return users.byId(key.userId()).map(user -> user.filter(u -> !u.disabled())
          .map(u -> new Principal(u.id(), key.roles(), key.scopes(), client, AuthKind.API_KEY, false, u))
          .orElse(null));
    });
  }
}
