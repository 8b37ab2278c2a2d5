package io.gatehouse.guard;

import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;

/**
 * Recognises Gatehouse's own credentials by their shape, in one place, for the authenticators
 * (so one kind's credential is never tried as another's) and for the proxy (which removes them
 * before a request reaches an upstream): a session token, an API key, a JWS, and a JWT that names
 * Gatehouse as its issuer. Shape only: nothing here says a credential is valid. Stateless.
 */
public final class CredentialShapes {

  private CredentialShapes() {
  }

  /** An API key, {@code gh_<id>_<secret>}: the prefix alone marks one. */
  public static boolean isApiKey(String value) {
    return value != null && value.startsWith("gh_");
  }

  /** A session token: 256 bits in base64url without padding, 43 characters of {@code A-Z a-z 0-9 - _}. */
  public static boolean isSessionToken(String value) {
    if (value == null || value.length() != 43) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /** A JWS in compact serialisation: three base64url parts, two dots (RFC 7515 §7.1). */
  public static boolean isJwt(String value) {
    if (value == null) {
      return false;
    }
    int first = value.indexOf('.');
    int second = first < 0 ? -1 : value.indexOf('.', first + 1);
    return first > 0 && second > first + 1 && value.indexOf('.', second + 1) < 0;
  }

  /** A JWT whose {@code iss} is {@code issuer}: its claims read (by Nimbus), not verified. */
  public static boolean isJwtOf(String value, String issuer) {
    if (value == null || value.indexOf('.') < 0) {
      return false;
    }
    try {
      return issuer.equals(JWTParser.parse(value).getJWTClaimsSet().getIssuer());
    } catch (ParseException e) {
      return false;
    }
  }
}
