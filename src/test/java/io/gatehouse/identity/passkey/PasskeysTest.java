package io.gatehouse.identity.passkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.identity.InvalidFieldException;
import org.junit.jupiter.api.Test;

/** The rules of a passkey's name, which the user's list shows back to them. */
class PasskeysTest {

  @Test
  void namesAreTrimmedNormalizedAndDefaulted() {
    assertThat(Passkeys.checkName(null)).isEqualTo("Passkey");
    assertThat(Passkeys.checkName("  Work laptop ")).isEqualTo("Work laptop");
    assertThat(Passkeys.checkName("Cafe\u0301")).isEqualTo("Café");
    assertThat(Passkeys.checkName("手机 🔑")).isEqualTo("手机 🔑");
    assertThat(Passkeys.checkName("x".repeat(64))).hasSize(64);
  }

  @Test
  void refusesEmptyLongAndInvisibleNames() {
    for (String hostile : new String[] {"", "   ", "x".repeat(65), "a\u0000b", "tab\there", "a\nb", "right\u202Eleft",
        "zero\u200Bwidth", "private\uE000", "lone\uD800"}) {
      assertThatThrownBy(() -> Passkeys.checkName(hostile)).as(hostile).isInstanceOf(InvalidFieldException.class)
          .extracting(e -> ((InvalidFieldException) e).field()).isEqualTo("name");
    }
  }
}
