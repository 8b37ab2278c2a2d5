package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz test of the config loader ({@link ConfigLoader#load}) on arbitrary file contents, with a
 * few environment variables for {@code ${NAME}} substitution.
 *
 * <p>Property: the answer is a {@link Config} or a {@link ConfigException} whose every problem
 * reads {@code file:line: ...} with a line of the file; the only problem without a line is the
 * one for a file that is not UTF-8 at all. Never another exception.
 */
@Timeout(10)
class ConfigLoaderFuzzTest {

  private static final Map<String, String> ENVIRONMENT = Map.of("PORT", "8081", "SECRET", "s3cr3t", "EMPTY", "");
  private static Path file;
  private static Pattern located;

  @BeforeAll
  static void createFile() throws IOException {
    file = Files.createTempFile("gatehouse-fuzz", ".yaml");
    located = Pattern.compile(Pattern.quote(file.toString()) + ":(\\d+): .+", Pattern.DOTALL);
  }

  @AfterAll
  static void deleteFile() throws IOException {
    Files.deleteIfExists(file);
  }

  @FuzzTest
  void yaml(byte[] input) throws IOException {
    Files.write(file, input);
    ConfigException refused;
    try {
      assertThat(new ConfigLoader(ENVIRONMENT).load(file)).isNotNull();
      return;
    } catch (ConfigException e) {
      refused = e;
    }
    assertThat(refused.problems()).isNotEmpty();
    if (!isUtf8(input)) {
      assertThat(refused.problems()).containsExactly(file + ": not valid UTF-8");
      return;
    }
    long lines = new String(input, StandardCharsets.UTF_8).lines().count();
    for (String problem : refused.problems()) {
      Matcher where = located.matcher(problem);
      assertThat(where.matches()).as("a problem with its line: %s", problem).isTrue();
      assertThat(Long.parseLong(where.group(1))).as(problem).isBetween(1L, Math.max(1, lines + 1));
    }
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
