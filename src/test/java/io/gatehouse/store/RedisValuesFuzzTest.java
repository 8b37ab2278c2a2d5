package io.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.BulkType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz test of how the Redis stores read back what they wrote ({@link RedisValues}): arbitrary
 * bytes as a stored bulk string.
 *
 * <p>Property: a stored value reads back as what was written (a time as the same instant, a name
 * list as the same names); text reads back unchanged; a value that is not a time is refused with
 * a {@link NumberFormatException} (never read as some other instant); and a name list never has
 * an empty name.
 */
@Timeout(10)
class RedisValuesFuzzTest {

  @FuzzTest
  void storedValues(byte[] input) {
    Response stored = BulkType.create(Buffer.buffer(input), false);
    String text = new String(input, StandardCharsets.UTF_8);
    assertThat(RedisValues.text(stored)).isEqualTo(text);
    if (text.matches("-?[0-9]{1,18}")) {
      assertThat(RedisValues.instant(stored)).isEqualTo(Instant.ofEpochMilli(Long.parseLong(text)));
      assertThat(RedisValues.millis(RedisValues.instant(stored))).isEqualTo(Long.toString(Long.parseLong(text)));
    } else if (!text.matches("[+-]?\\p{Nd}+")) { // Long.parseLong reads any script's decimal digits
      assertThatThrownBy(() -> RedisValues.instant(stored)).isInstanceOf(NumberFormatException.class);
    }
    List<String> names = RedisValues.names(stored);
    assertThat(names).noneMatch(String::isEmpty).noneMatch(name -> name.contains(" "));
    List<String> written = new ArrayList<>();
    RedisValues.put(written, "scopes", String.join(" ", names));
    List<String> reread = RedisValues.names(written.isEmpty() ? null : BulkType.create(Buffer.buffer(written.get(1)), false));
    assertThat(reread).as("names written and read again").isEqualTo(names);
    assertThat(String.join(" ", names)).isEqualTo(String.join(" ", Arrays.stream(text.split(" ")).filter(s -> !s.isEmpty()).toList()));
  }
}
