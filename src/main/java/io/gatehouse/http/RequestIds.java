package io.gatehouse.http;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: the caller's {@code X-Request-Id} when it is a short, plain token (so it cannot
 * smuggle text into logs or headers), else 32 lower-case hex digits, which double as a W3C trace id.
 */
public final class RequestIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {
  }

  static boolean isWellFormed(String id) {
    if (id == null || id.isEmpty() || id.length() > 64) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Not a secret, so a fast non-cryptographic source is right; 128 bits keep collisions out of reach. */
  public static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return hex(random.nextLong(), random.nextLong());
  }

  /** A W3C trace-context parent (span) id: 16 lower-case hex digits. */
  public static String spanId() {
    long id = ThreadLocalRandom.current().nextLong();
    char[] out = new char[16];
    for (int i = 0; i < 16; i++) {
      out[15 - i] = HEX[(int) (id >>> (i * 4)) & 0xf];
    }
    return new String(out);
  }

  static String hex(long high, long low) {
    char[] out = new char[32];
    for (int i = 0; i < 16; i++) {
      out[15 - i] = HEX[(int) (high >>> (i * 4)) & 0xf];
      out[31 - i] = HEX[(int) (low >>> (i * 4)) & 0xf];
    }
    return new String(out);
  }

  /** Whether {@code id} can serve as a W3C trace-id (32 lower-case hex digits, not all zero). */
  public static boolean isTraceId(String id) {
    if (id.length() != 32) {
      return false;
    }
    boolean nonZero = false;
    for (int i = 0; i < 32; i++) {
      char c = id.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
      nonZero |= c != '0';
    }
    return nonZero;
  }
}
