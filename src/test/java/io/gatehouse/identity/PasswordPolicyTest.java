package io.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.identity.web.LoginPage;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

  private static final PasswordPolicy POLICY = PasswordPolicy.withShippedList();

  @Test
  void lengthIsCountedInCharactersNotBytes() {
    assertThat(POLICY.check("short12", "alice")).contains("8 to 128");
    assertThat(POLICY.check("ünïcödé✓", "alice")).isNull();
    assertThat(POLICY.check("🔑🔑🔑🔑🔑🔑🔑🔑", "alice")).as("8 code points, 16 chars").isNull();
    assertThat(POLICY.check("x".repeat(128), "alice")).isNull();
    assertThat(POLICY.check("x".repeat(129), "alice")).contains("8 to 128");
  }

  @Test
  void commonPasswordsAndTheUsernameAreRefused() {
    assertThat(POLICY.check("password", "alice")).contains("common");
    assertThat(POLICY.check("PassWord", "alice")).contains("common");
    assertThat(POLICY.check("12345678", "alice")).contains("common");
    assertThat(POLICY.check("Alice.Smith", "alice.smith")).contains("username");
    assertThat(POLICY.check(null, "alice")).isEqualTo("is required");
  }

  @Test
  void usernamesAreNormalisedAndCompareWithoutCase() {
    assertThat(Username.normalize("Ａｌｉｃｅ")).isEqualTo("Alice"); // full-width letters, NFKC
    assertThat(Username.key("Alice")).isEqualTo(Username.key("ALICE"));
    assertThat(Username.normalize("al")).isNull();
    assertThat(Username.normalize("a".repeat(65))).isNull();
    assertThat(Username.normalize("bob'; DROP TABLE users;--")).isNull();
    assertThat(Username.normalize("<script>")).isNull();
    assertThat(Username.normalize(".hidden")).isNull();
    assertThat(Username.normalize("zoë_2")).isEqualTo("zoë_2");
    assertThat(Username.normalize("a\u0000b")).isNull();
  }

  @Test
  void returnToStaysOnThisOrigin() {
    assertThat(LoginPage.safeReturnTo("/app/home?x=1")).isEqualTo("/app/home?x=1");
    assertThat(LoginPage.safeReturnTo("https://evil.example/")).isEqualTo("/");
    assertThat(LoginPage.safeReturnTo("//evil.example/")).isEqualTo("/");
    assertThat(LoginPage.safeReturnTo("/\\evil.example/")).isEqualTo("/");
    assertThat(LoginPage.safeReturnTo("/ok\r\nSet-Cookie: x=1")).isEqualTo("/");
    assertThat(LoginPage.safeReturnTo(null)).isEqualTo("/");
  }
}
