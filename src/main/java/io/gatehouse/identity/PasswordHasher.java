package io.gatehouse.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes as PHC strings. New hashes are Argon2id ({@code $argon2id$v=19$m=…,t=…,p=…$salt$hash},
 * Bouncy Castle) at OWASP's parameters or stronger; PBKDF2-HMAC-SHA256
 * ({@code $pbkdf2-sha256$i=…$salt$hash}, the JDK's) is accepted for imported hashes. Blocking and
 * deliberately slow: call it on a worker thread. Thread-safe.
 */
public final class PasswordHasher {

  /** OWASP Password Storage Cheat Sheet: Argon2id with m=19 MiB, t=2, p=1 as the minimum. */
  public record Argon2Cost(int memoryKib, int iterations, int parallelism) {
    public static final Argon2Cost OWASP = new Argon2Cost(19 * 1024, 2, 1);
  }

  public static final int MIN_PBKDF2_ITERATIONS = 600_000;

  private static final Pattern ARGON2ID = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,4}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,128})\\$([A-Za-z0-9+/]{22,256})");
  private static final Pattern PBKDF2 = Pattern.compile(
      "\\$pbkdf2-sha256\\$i=(\\d{1,9})\\$([A-Za-z0-9+/.]{11,128})\\$([A-Za-z0-9+/.]{22,256})");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final Argon2Cost cost;
  private final SecureRandom random = new SecureRandom();

  public PasswordHasher(Argon2Cost cost) {
    if (cost.memoryKib() < Argon2Cost.OWASP.memoryKib() || cost.iterations() < Argon2Cost.OWASP.iterations()
        || cost.parallelism() < 1) {
      throw new IllegalArgumentException("Argon2id cost below the OWASP minimum (m=19456 KiB, t=2, p=1)");
    }
    this.cost = cost;
  }

  public String hash(String password) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    byte[] out = argon2(password, salt, cost.memoryKib(), cost.iterations(), cost.parallelism(), 32);
    return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
  }

  /** True when {@code password} matches {@code phc}; false for a wrong password and for a hash this class cannot read. */
  public boolean verify(String password, String phc) {
    if (phc == null) {
      return false;
    }
    Matcher m = ARGON2ID.matcher(phc);
    if (m.matches()) {
      int memory = Integer.parseInt(m.group(1));
      int iterations = Integer.parseInt(m.group(2));
      int parallelism = Integer.parseInt(m.group(3));
      if (memory > 1024 * 1024 || iterations > 100 || parallelism > 16 || memory < 8 * parallelism
          || iterations < 1 || parallelism < 1) {
        return false; // a hostile import must not make one login cost a gigabyte, nor be one Argon2 refuses
      }
      byte[] expected = base64(m.group(5));
      byte[] salt = base64(m.group(4));
      if (expected == null || salt == null) {
        return false;
      }
      byte[] actual = argon2(password, salt, memory, iterations, parallelism, expected.length);
      return MessageDigest.isEqual(expected, actual);
    }
    m = PBKDF2.matcher(phc);
    if (m.matches()) {
      int iterations = Integer.parseInt(m.group(1));
      if (iterations > 10_000_000 || iterations < 1) {
        return false;
      }
      byte[] expected = pbkdf2Decode(m.group(3));
      byte[] salt = pbkdf2Decode(m.group(2));
      if (expected == null || salt == null) {
        return false;
      }
      byte[] actual = pbkdf2(password, salt, iterations, expected.length);
      return MessageDigest.isEqual(expected, actual);
    }
    return false;
  }

  /** True when {@code phc} is not Argon2id at the current cost, so a successful login should replace it. */
  public boolean needsRehash(String phc) {
    Matcher m = ARGON2ID.matcher(phc);
    return !m.matches() || Integer.parseInt(m.group(1)) < cost.memoryKib()
        || Integer.parseInt(m.group(2)) < cost.iterations() || Integer.parseInt(m.group(3)) < cost.parallelism();
  }

  /** Null when {@code phc} is a hash Gatehouse accepts for import; otherwise why not. */
  public static String checkImport(String phc) {
    if (phc == null) {
      return "is required";
    }
    if (ARGON2ID.matcher(phc).matches()) {
      return null;
    }
    Matcher m = PBKDF2.matcher(phc);
    if (m.matches()) {
      return Integer.parseInt(m.group(1)) < MIN_PBKDF2_ITERATIONS
          ? "PBKDF2 needs at least " + MIN_PBKDF2_ITERATIONS + " iterations" : null;
    }
    return "expected a PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$hash or $pbkdf2-sha256$i=…$salt$hash";
  }

  private static byte[] argon2(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(parallelism).withSalt(salt).build());
    byte[] passwordBytes = password.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[length];
    generator.generateBytes(passwordBytes, out);
    Arrays.fill(passwordBytes, (byte) 0);
    return out;
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations, int length) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, length * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
    } finally {
      spec.clearPassword();
    }
  }

  /** The bytes of unpadded base64 {@code text}, or null when its length leaves a partial byte (4n+1 characters). */
  private static byte[] base64(String text) {
    try {
      return B64D.decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** PHC uses standard base64 without padding; passlib's variant writes '.' for '+'. Null as {@link #base64}. */
  private static byte[] pbkdf2Decode(String text) {
    return base64(text.replace('.', '+'));
  }

  /** A PBKDF2 PHC string, for tests and tooling that prepare imports. */
  static String pbkdf2Phc(String password, byte[] salt, int iterations) {
    return "$pbkdf2-sha256$i=" + iterations + "$" + B64.encodeToString(salt) + "$"
        + B64.encodeToString(pbkdf2(password, salt, iterations, 32));
  }
}
