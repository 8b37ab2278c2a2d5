package io.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Usernames that could pass for another are refused; ordinary names of any one script are not. */
class UsernameTest {

  @Test
  void namesMixingScriptsIntoLookAlikesAreCaught() {
    assertThat(Username.looksLikeAnother(Username.normalize("a\u0430dmin"))).as("Cyrillic а in admin").isTrue();
    assertThat(Username.looksLikeAnother(Username.normalize("p\u0430yp\u0430l"))).isTrue();
    assertThat(Username.looksLikeAnother(Username.normalize("\u0455upport"))).as("Cyrillic ѕ").isTrue();
    assertThat(Username.looksLikeAnother(Username.normalize("ad\u03bcin"))).as("Greek μ").isTrue();
  }

  @Test
  void ordinaryNamesInOneScriptPass() {
    for (String name : new String[] {"admin", "alice.smith", "bob_42", "user@example.com", "Ünal", "Иван",
        "Δημήτρης", "山田太郎", "やまだ", "김민준", "محمد", "José"}) {
      String normalized = Username.normalize(name);
      assertThat(normalized).as(name).isNotNull();
      assertThat(Username.looksLikeAnother(normalized)).as(name).isFalse();
    }
  }
}
