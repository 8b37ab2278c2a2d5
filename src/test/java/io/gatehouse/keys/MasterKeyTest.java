package io.gatehouse.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link MasterKey}: sealed values open under their own label only, and anything else is refused alike. */
class MasterKeyTest {

  private final MasterKey key = MasterKey.load(Map.of(MasterKey.ENV, Base64.getEncoder().encodeToString(new byte[32])),
      Path.of("unused"), false);

  @Test
  void aSealedValueOpensUnderItsLabel() {
    String sealed = key.seal("key-1", "secret");
    assertThat(key.open("key-1", sealed)).isEqualTo("secret");
    assertThatThrownBy(() -> key.open("key-2", sealed)).isInstanceOf(IllegalStateException.class);
  }

  /** Found by MasterKeyFuzzTest: Nimbus threw a NullPointerException for a JWE header without "enc". */
  @Test
  void aHeaderWithoutEncIsRefusedLikeAnyOtherBadValue() {
    String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"dir\",\"kid\":\"key-1\"}".getBytes());
    assertThatThrownBy(() -> key.open("key-1", header + "..AAAAAAAAAAAAAAAA.aGVsbG8.AAAAAAAAAAAAAAAAAAAAAA"))
        .isInstanceOf(IllegalStateException.class);
  }
}
