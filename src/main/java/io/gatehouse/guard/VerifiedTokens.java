package io.gatehouse.guard;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens that passed verification, so a client reusing its token costs a hash and a lookup rather
 * than a signature check. Keyed by the token's SHA-256 (the token itself is not kept), bounded in
 * size, and each entry expires no later than its token. Revocation is checked by the verifier on
 * every hit. Thread-safe.
 */
final class VerifiedTokens {

  /** What was verified, and until when (epoch millis) the answer may be reused. */
  record Entry(VerifiedToken token, long expiresAtMillis) {
  }

  /** A SHA-256 digest as four longs: cheap to compare and hash, nothing of the token readable. */
  record TokenHash(long a, long b, long c, long d) {

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    });

    static TokenHash of(String token) {
      ByteBuffer digest = ByteBuffer.wrap(SHA_256.get().digest(token.getBytes(StandardCharsets.US_ASCII)));
      return new TokenHash(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
    }
  }

  private final int maxEntries;
  private final Map<TokenHash, Entry> entries = new ConcurrentHashMap<>();

  VerifiedTokens(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** The live entry for this hash, or null (an expired one is dropped). */
  Entry get(TokenHash hash, long nowMillis) {
    Entry entry = entries.get(hash);
    if (entry != null && entry.expiresAtMillis() <= nowMillis) {
      entries.remove(hash, entry);
      return null;
    }
    return entry;
  }

  void put(TokenHash hash, Entry entry, long nowMillis) {
    if (maxEntries == 0) {
      return;
    }
    if (entries.size() >= maxEntries) {
      evict(nowMillis);
    }
    entries.put(hash, entry);
  }

  void remove(TokenHash hash) {
    entries.remove(hash);
  }

  int size() {
    return entries.size();
  }

  /** Drops expired entries; if that frees less than a tenth, drops others too (a full cache is under a flood of new tokens). */
  private void evict(long nowMillis) {
    entries.values().removeIf(entry -> entry.expiresAtMillis() <= nowMillis);
    int excess = entries.size() - maxEntries * 9 / 10;
    Iterator<TokenHash> it = entries.keySet().iterator();
    while (excess-- > 0 && it.hasNext()) {
      it.next();
      it.remove();
    }
  }
}
