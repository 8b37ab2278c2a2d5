package io.gatehouse.store;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script Redis runs atomically for the shared state, read from the jar once
 * ({@code /redis/<name>}), and sent by its SHA-1 ({@code EVALSHA}) once Redis has it.
 *
 * @param name its file name, which names its calls' spans
 * @param source the script
 * @param sha its SHA-1, as {@code SCRIPT LOAD} would answer
 */
public record LuaScript(String name, String source, String sha) {

  public static LuaScript load(String name) {
    String resource = "/redis/" + name;
    try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the jar");
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new LuaScript(name, source, HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }

  /** {@code EVALSHA}, the script named by its SHA-1. */
  Request bySha(List<String> keys, List<String> args) {
    return request(Command.EVALSHA, sha, keys, args);
  }

  /** {@code EVAL}, the whole script: after Redis answered NOSCRIPT (a restart, a flush). */
  Request whole(List<String> keys, List<String> args) {
    return request(Command.EVAL, source, keys, args);
  }

  private static Request request(Command command, String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }
}
