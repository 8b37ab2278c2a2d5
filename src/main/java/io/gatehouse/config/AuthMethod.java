package io.gatehouse.config;

/**
 * One entry of a route's {@code auth} list: a credential kind and, for {@code jwt:<name>}, the
 * external issuer whose tokens it accepts ({@code jwt} alone is Gatehouse's own issuer). Parsed once
 * at load.
 *
 * @param kind the credential kind
 * @param issuer the name of an entry of {@code issuers}, for {@code jwt:<name>}; null otherwise
 */
public record AuthMethod(AuthKind kind, String issuer) {

  private static final String JWT_PREFIX = "jwt:";

  public AuthMethod {
    if (issuer != null && kind != AuthKind.JWT) {
      throw new IllegalArgumentException("only jwt names an issuer");
    }
  }

  public static AuthMethod of(AuthKind kind) {
    return new AuthMethod(kind, null);
  }

  /** @throws IllegalArgumentException naming the accepted forms */
  public static AuthMethod parse(String text) {
    if (text.startsWith(JWT_PREFIX)) {
      String name = text.substring(JWT_PREFIX.length());
      if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new IllegalArgumentException("jwt:<name of an entry of issuers>");
      }
      return new AuthMethod(AuthKind.JWT, name);
    }
    try {
      return of(AuthKind.parse(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + ", or jwt:<issuer name>");
    }
  }

  /** Gatehouse's own tokens ({@code jwt}) rather than an external issuer's. */
  public boolean ownIssuer() {
    return kind == AuthKind.JWT && issuer == null;
  }

  @Override
  public String toString() {
    return issuer == null ? kind.configName() : JWT_PREFIX + issuer;
  }
}
