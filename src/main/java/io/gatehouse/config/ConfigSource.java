package io.gatehouse.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where the configuration comes from: read at start and again on each reload. Loading is blocking
 * (file I/O): call it off the event loops.
 */
public interface ConfigSource {

  /**
   * A loaded, validated configuration.
   *
   * @param digest the first 16 hex digits of the SHA-256 of what was read: the same file gives the
   *     same digest on every instance, so an operator can tell which config each one runs
   */
  record Loaded(Config config, String digest) {
  }

  /** @throws ConfigException with every error, each naming file and line */
  Loaded load() throws ConfigException;

  /** The file read, for watching it; null when there is none. */
  default Path file() {
    return null;
  }

  /** The config file at {@code path}, with {@code ${NAME}} resolved against {@code environment}. */
  static ConfigSource file(Path path, Map<String, String> environment) {
    ConfigLoader loader = new ConfigLoader(environment);
    return new ConfigSource() {
      @Override
      public Loaded load() throws ConfigException {
        byte[] bytes = ConfigLoader.read(path);
        return new Loaded(loader.parseFile(path.toString(), bytes), digest(bytes));
      }

      @Override
      public Path file() {
        return path;
      }
    };
  }

  /** A configuration given whole (tests, and a start without a file): every reload finds it unchanged. */
  static ConfigSource of(Config config) {
    Loaded loaded = new Loaded(config, digest(config.toString().getBytes(StandardCharsets.UTF_8)));
    return () -> loaded;
  }

  private static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
