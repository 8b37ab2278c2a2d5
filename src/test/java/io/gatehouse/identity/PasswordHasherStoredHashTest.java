package io.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Stored hashes that match the PHC shapes but cannot be computed are refused (false), not thrown
 * on. Found by the seeds of {@link PasswordHasherFuzzTest}.
 */
class PasswordHasherStoredHashTest {

  private final PasswordHasher hasher = new PasswordHasher(PasswordHasher.Argon2Cost.OWASP);

  @Test
  void aSaltOrHashOfFourNPlusOneBase64CharactersIsRefused() {
    assertThat(hasher.verify("pw", "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
        .isFalse();
    assertThat(hasher.verify("pw", "$pbkdf2-sha256$i=600000$c29tZXNhbHRzb$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
        .isFalse();
  }

  @Test
  void noLanesOrNoPassesIsRefused() {
    assertThat(hasher.verify("pw", "$argon2id$v=19$m=0,t=1,p=0$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAA")).isFalse();
    assertThat(hasher.verify("pw", "$argon2id$v=19$m=19456,t=0,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAA")).isFalse();
    assertThat(hasher.verify("pw", "$pbkdf2-sha256$i=0$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
        .isFalse();
  }
}
