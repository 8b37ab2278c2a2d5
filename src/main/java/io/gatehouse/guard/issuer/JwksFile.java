package io.gatehouse.guard.issuer;

import com.nimbusds.jose.jwk.JWKSet;
import io.gatehouse.guard.IssuerKeys;
import io.gatehouse.guard.VerificationKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;

/** {@code jwks_file}: an issuer's keys read once at start from a JWK set file (Envoy's {@code local_jwks}). */
public final class JwksFile {

  private static final long MAX_FILE_BYTES = 1024 * 1024;

  private JwksFile() {
  }

  /**
   * Blocking: call it at start, off the event loop.
   *
   * @throws IllegalStateException naming the file when it cannot be read or holds no usable key
   */
  public static IssuerKeys load(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalStateException(file + ": larger than " + MAX_FILE_BYTES + " bytes; is this a JWK set?");
      }
      JWKSet keys = VerificationKeys.from(JWKSet.parse(Files.readString(file)));
      if (keys.isEmpty()) {
        throw new IllegalStateException(file + ": holds no public signing key with a kid");
      }
      return IssuerKeys.fixed(keys);
    } catch (IOException e) {
      throw new IllegalStateException(file + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
    } catch (ParseException e) {
      throw new IllegalStateException(file + ": not a JWK set (RFC 7517)", e);
    }
  }
}
