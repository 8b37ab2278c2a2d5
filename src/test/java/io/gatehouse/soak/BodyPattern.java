package io.gatehouse.soak;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The bytes of a test body, the same on both sides: 64 KiB of random bytes from a seed, each
 * 64-KiB block of the body xored with its index, so a lost, repeated or reordered block changes
 * the body's SHA-256 as surely as a flipped bit does.
 */
public final class BodyPattern {

  public static final int BLOCK = 64 * 1024;

  private final byte[] block = new byte[BLOCK];

  public BodyPattern(long seed) {
    new SplittableRandom(seed).nextBytes(block);
  }

  /** Block {@code index} of the body, whole (the caller cuts the last one short). */
  public byte[] block(long index) {
    byte[] out = block.clone();
    byte mark = (byte) index;
    byte mark2 = (byte) (index >>> 8);
    for (int i = 0; i < BLOCK; i += 2) {
      out[i] ^= mark;
      out[i + 1] ^= mark2;
    }
    return out;
  }

  /** The whole body of {@code length} bytes. */
  public byte[] body(int length) {
    byte[] out = new byte[length];
    for (int offset = 0; offset < length; offset += BLOCK) {
      System.arraycopy(block(offset / BLOCK), 0, out, offset, Math.min(BLOCK, length - offset));
    }
    return out;
  }

  /** The SHA-256 of the body of {@code length} bytes, in hex. */
  public String sha256(long length) {
    MessageDigest digest = sha256();
    for (long offset = 0; offset < length; offset += BLOCK) {
      digest.update(block(offset / BLOCK), 0, (int) Math.min(BLOCK, length - offset));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }
}
