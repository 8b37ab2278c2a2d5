package io.gatehouse.oauth;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** RFC 6749 §3.3 scope tokens and the space-separated lists they travel in. */
public final class Scopes {

  private Scopes() {
  }

  /** OpenID Connect Core §5.4: the standard scopes open to every client that may use {@code openid}. */
  static final List<String> STANDARD_OIDC = List.of("profile", "email");

  /** The scopes {@code client} may ask for: its registered ones and, with {@code openid}, {@code profile} and {@code email}. */
  static List<String> allowedFor(OAuthClient client) {
    if (!client.scopes().contains(IdTokens.OPENID)) {
      return client.scopes();
    }
    List<String> allowed = new ArrayList<>(client.scopes());
    STANDARD_OIDC.stream().filter(scope -> !allowed.contains(scope)).forEach(allowed::add);
    return allowed;
  }

  /** {@code %x21 / %x23-5B / %x5D-7E}, 1-128 of them: printable ASCII without space, {@code "} or {@code \}. */
  public static boolean isToken(String text) {
    if (text == null || text.isEmpty() || text.length() > 128) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** The distinct scopes of a space-separated list, in order. */
  static List<String> split(String list) {
    Set<String> out = new LinkedHashSet<>();
    for (String part : list.split(" ")) {
      if (!part.isEmpty()) {
        out.add(part);
      }
    }
    return new ArrayList<>(out);
  }
}
