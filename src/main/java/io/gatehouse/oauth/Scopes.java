package io.gatehouse.oauth;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * RFC 6749 §3.3 scope lists as they travel (space-separated), and which scopes a client may ask
 * for; the syntax of one scope is {@link io.gatehouse.config.ScopeToken}.
 */
public final class Scopes {

  private Scopes() {
  }

  /** OpenID Connect Core §5.4: the standard scopes open to every client that may use {@code openid}. */
  static final List<String> STANDARD_OIDC = List.of("profile", "email");

  /**
   * The scopes {@code client} may ask for: its registered ones and, with {@code openid},
   * {@code profile} and {@code email}.
   */
  public static List<String> allowedFor(OAuthClient client) {
    if (!client.scopes().contains(IdTokens.OPENID)) {
      return client.scopes();
    }
    List<String> allowed = new ArrayList<>(client.scopes());
    STANDARD_OIDC.stream().filter(scope -> !allowed.contains(scope)).forEach(allowed::add);
    return allowed;
  }

  /** The distinct scopes of a space-separated list, in order. */
  public static List<String> split(String list) {
    Set<String> out = new LinkedHashSet<>();
    for (String part : list.split(" ")) {
      if (!part.isEmpty()) {
        out.add(part);
      }
    }
    return new ArrayList<>(out);
  }
}
