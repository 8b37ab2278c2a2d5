package io.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz test of password verification against arbitrary stored hashes ({@link PasswordHasher#verify}):
 * a hash in the users table is imported by an operator or written by an older version, so it is
 * input like any other. The input is a password, a newline, and the stored PHC string.
 *
 * <p>Property: verifying answers true or false within the time bound, never with an exception
 * (a hash this class cannot read is a false); a hash accepted for import
 * ({@link PasswordHasher#checkImport}) is one verification can compute; and a hash that verifies
 * is one that import would accept.
 */
@Timeout(10)
class PasswordHasherFuzzTest {

  private static final PasswordHasher HASHER = new PasswordHasher(PasswordHasher.Argon2Cost.OWASP);

  @FuzzTest
  void storedHashes(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    String password = newline < 0 ? "" : text.substring(0, newline);
    String phc = newline < 0 ? text : text.substring(newline + 1);
    boolean verified = HASHER.verify(password, phc);
    if (verified) {
      assertThat(PasswordHasher.checkImport(phc)).as("a hash that verifies is importable").isNull();
    }
    assertThat(HASHER.needsRehash(phc) || PasswordHasher.checkImport(phc) == null).isTrue();
  }
}
