package io.gatehouse.keys;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that encrypts signing keys at rest: 32 bytes from {@code GATEHOUSE_MASTER_KEY}
 * (base64), else from {@code <data>/master.key}, created owner-only on first start. Secrets are
 * sealed as compact JWE ({@code dir}, {@code A256GCM}, by Nimbus) with a label in the protected
 * header, so a sealed value moved to another row fails to open. Never printed.
 */
public final class MasterKey {

  public static final String ENV = "GATEHOUSE_MASTER_KEY";
  static final String FILE = "master.key";

  private final SecretKey key;

  private MasterKey(byte[] bytes) {
    this.key = new SecretKeySpec(bytes, "AES");
  }

  /**
   * Blocking (may create the key file): call it at start, off the event loop.
   *
   * @throws IllegalStateException with what is wrong (never the key)
   */
  public static MasterKey load(Map<String, String> environment, Path dataDir) {
    return load(environment, dataDir, true);
  }

  /**
   * @param mayCreate create the key file when there is none (embedded); a shared store needs the
   *     same key on every instance, so it must come from {@code GATEHOUSE_MASTER_KEY} (or a file
   *     put in place), never be made up by one instance
   */
  public static MasterKey load(Map<String, String> environment, Path dataDir, boolean mayCreate) {
    String configured = environment.get(ENV);
    if (configured != null && !configured.isBlank()) {
      return new MasterKey(decode(configured.strip(), ENV));
    }
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        return new MasterKey(decode(Files.readString(file).strip(), file.toString()));
      }
      if (!mayCreate) {
        throw new IllegalStateException(ENV + " is required with a shared store: every instance must open the same "
            + "signing keys (32 random bytes, base64: openssl rand -base64 32)");
      }
      byte[] fresh = new byte[32];
      new SecureRandom().nextBytes(fresh);
      Files.createDirectories(dataDir);
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.writeString(file, Base64.getEncoder().encodeToString(fresh) + "\n", StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
      return new MasterKey(fresh);
    } catch (IOException e) {
      throw new IllegalStateException(file + ": cannot read or create the master key (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static byte[] decode(String text, String source) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(source + ": the master key is not base64");
    }
    if (bytes.length != 32) {
      throw new IllegalStateException(source + ": the master key must be 32 bytes (base64 of 32 random bytes)");
    }
    return bytes;
  }

  /** Encrypts {@code secret}, bound to {@code label} (such as a key id). */
  public String seal(String label, String secret) {
    try {
      JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM).keyID(label).build(),
          new Payload(secret));
      jwe.encrypt(new DirectEncrypter(key));
      return jwe.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("sealing failed", e);
    }
  }

  /** @throws IllegalStateException when {@code sealed} was not sealed under this key for {@code label} */
  public String open(String label, String sealed) {
    JWEObject jwe;
    try {
      jwe = JWEObject.parse(sealed);
    } catch (ParseException | RuntimeException e) {
      // Nimbus answers some malformed headers (one without "enc") with a NullPointerException.
      throw new IllegalStateException("cannot open a sealed value: it is not one");
    }
    try {
      if (!label.equals(jwe.getHeader().getKeyID())) {
        throw new IllegalStateException("a sealed value for another label");
      }
      jwe.decrypt(new DirectDecrypter(key));
      return jwe.getPayload().toString();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot open a sealed value: is this the master key it was sealed with?");
    }
  }

  @Override
  public String toString() {
    return "MasterKey[redacted]";
  }
}
