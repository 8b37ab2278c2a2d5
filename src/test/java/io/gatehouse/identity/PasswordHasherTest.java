package io.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  private final PasswordHasher hasher = new PasswordHasher(PasswordHasher.Argon2Cost.OWASP);

  @Test
  void argon2idAtOwaspParametersAsPhc() {
    String phc = hasher.hash("correct horse battery");
    assertThat(phc).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(hasher.verify("correct horse battery", phc)).isTrue();
    assertThat(hasher.verify("correct horse batterz", phc)).isFalse();
    assertThat(hasher.needsRehash(phc)).isFalse();
    assertThat(hasher.hash("correct horse battery")).isNotEqualTo(phc); // salted
  }

  @Test
  void readsTheReferenceArgon2idVector() {
    // RFC 9106 test parameters are not PHC; this hash comes from the reference CLI:
    // echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32 -e
    String phc = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    assertThat(hasher.verify("password", phc)).isTrue();
    assertThat(hasher.verify("passwore", phc)).isFalse();
  }

  @Test
  void pbkdf2ImportsVerifyAndAskForAnUpgrade() {
    String phc = PasswordHasher.pbkdf2Phc("imported secret", "0123456789abcdef".getBytes(StandardCharsets.US_ASCII), 600_000);
    assertThat(PasswordHasher.checkImport(phc)).isNull();
    assertThat(hasher.verify("imported secret", phc)).isTrue();
    assertThat(hasher.verify("imported secreT", phc)).isFalse();
    assertThat(hasher.needsRehash(phc)).isTrue();
  }

  @Test
  void weakOrForeignHashesAreRefusedForImport() {
    String weak = PasswordHasher.pbkdf2Phc("x", "0123456789abcdef".getBytes(StandardCharsets.US_ASCII), 1000);
    assertThat(PasswordHasher.checkImport(weak)).contains("600000");
    assertThat(PasswordHasher.checkImport("$2a$10$abcdefghijklmnopqrstuu")).contains("PHC");
    assertThat(PasswordHasher.checkImport("' OR 1=1 --")).contains("PHC");
    assertThat(hasher.verify("x", "$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"))
        .as("a hostile cost is refused, not computed").isFalse();
    assertThat(hasher.verify("x", null)).isFalse();
  }

  @Test
  void outdatedArgon2ParametersNeedARehash() {
    assertThat(hasher.needsRehash("$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")).isTrue();
  }
}
