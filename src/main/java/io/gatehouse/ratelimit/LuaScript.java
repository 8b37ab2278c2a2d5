package io.gatehouse.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A Lua script Redis runs for the shared counters, read from the jar once ({@code /ratelimit/<name>}). */
final class LuaScript {

  private LuaScript() {
  }

  static String load(String name) {
    String resource = "/ratelimit/" + name;
    try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
