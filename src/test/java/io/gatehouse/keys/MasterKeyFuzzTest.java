package io.gatehouse.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz test of opening sealed signing keys ({@link MasterKey#open}) from arbitrary stored bytes,
 * and of sealing and opening arbitrary labels and secrets.
 *
 * <p>Property: a stored value that was not sealed under this key for this label is refused with
 * {@link IllegalStateException}, never opened and never another exception; what is sealed opens
 * to the same secret under its own label only.
 */
@Timeout(10)
class MasterKeyFuzzTest {

  private static final MasterKey KEY = MasterKey.load(
      Map.of(MasterKey.ENV, Base64.getEncoder().encodeToString(new byte[32])), Path.of("unused"), false);
  private static final MasterKey OTHER_KEY = MasterKey.load(
      Map.of(MasterKey.ENV, Base64.getEncoder().encodeToString("another key of thirty-two bytes!".getBytes(StandardCharsets.US_ASCII))),
      Path.of("unused"), false);

  @FuzzTest
  void sealedValues(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    String label = newline < 0 ? "key-1" : text.substring(0, newline);
    String stored = newline < 0 ? text : text.substring(newline + 1);
    try {
      String opened = KEY.open(label, stored);
      // Only a value sealed with this key opens: then the other key must refuse it.
      assertThatThrownBy(() -> OTHER_KEY.open(label, stored)).isInstanceOf(IllegalStateException.class);
      assertThat(opened).isNotNull();
    } catch (IllegalStateException refused) {
      assertThat(refused.getMessage()).doesNotContain(stored.length() > 8 ? stored : "\u0000");
    }
    String sealed = KEY.seal(label, stored);
    assertThat(KEY.open(label, sealed)).isEqualTo(stored);
    assertThatThrownBy(() -> KEY.open(label + "x", sealed)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> OTHER_KEY.open(label, sealed)).isInstanceOf(IllegalStateException.class);
  }
}
