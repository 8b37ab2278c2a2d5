package io.gatehouse.store;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the Redis stores write values and read them back: times as epoch milliseconds, name lists
 * space-separated (as in SQL), and a missing field (Redis's nil) as null.
 */
final class RedisValues {

  private RedisValues() {
  }

  static String millis(Instant at) {
    return Long.toString(at.toEpochMilli());
  }

  /** Milliseconds from {@code now} to {@code until}, at least 1 (Redis refuses a TTL of 0 or less). */
  static String ttl(Instant now, Instant until) {
    return Long.toString(Math.max(until.toEpochMilli() - now.toEpochMilli(), 1));
  }

  static String text(Response value) {
    return value == null ? null : value.toString();
  }

  /** @throws NumberFormatException when the stored value is not a whole number of milliseconds */
  static Instant instant(Response value) {
    return value == null ? null : Instant.ofEpochMilli(value.toLong());
  }

  /** The names of a space-separated list; never an empty name, whatever spaces the stored value has. */
  static List<String> names(Response value) {
    String text = text(value);
    return text == null || text.isEmpty() ? List.of()
        : Arrays.stream(text.split(" ")).filter(name -> !name.isEmpty()).toList();
  }

  /** Adds {@code field} and {@code value} to a field-value list, unless the value is null (kept absent). */
  static void put(List<String> fieldsAndValues, String field, Object value) {
    if (value != null) {
      fieldsAndValues.add(field);
      fieldsAndValues.add(value instanceof Instant at ? millis(at) : value.toString());
    }
  }

  /** {@code HMGET key field...}: the values in the order of {@code fields}, nil for a missing field or key. */
  static Request hmget(String key, List<String> fields) {
    Request request = Request.cmd(Command.HMGET).arg(key);
    fields.forEach(request::arg);
    return request;
  }

  /** A new field-value list starting with {@code leading}. */
  static List<String> args(String... leading) {
    return new ArrayList<>(List.of(leading));
  }
}
