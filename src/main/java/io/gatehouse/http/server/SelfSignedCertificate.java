package io.gatehouse.http.server;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The development certificate used when HTTPS has no configured {@code cert} and {@code key}:
 * an ECDSA P-256 certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, generated
 * once into {@code <data>/tls/} (key readable by the owner only) and reused until it nears expiry.
 * Blocking: call from a worker thread or before the event loop runs.
 */
public final class SelfSignedCertificate {

  private static final Duration VALIDITY = Duration.ofDays(397);
  private static final Duration RENEW_BEFORE = Duration.ofDays(7);

  /** The PEM files of a certificate and its private key. */
  public record Files(Path cert, Path key) {
  }

  private SelfSignedCertificate() {
  }

  public static Files ensure(Path dataDir) {
    Path dir = dataDir.resolve("tls");
    Files files = new Files(dir.resolve("self-signed-cert.pem"), dir.resolve("self-signed-key.pem"));
    try {
      if (java.nio.file.Files.exists(files.cert()) && java.nio.file.Files.exists(files.key()) && stillValid(files.cert())) {
        return files;
      }
      java.nio.file.Files.createDirectories(dir);
      generate(files);
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the self-signed certificate under " + dir, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate the self-signed certificate", e);
    }
  }

  private static boolean stillValid(Path certFile) throws IOException {
    try {
      String pem = java.nio.file.Files.readString(certFile, StandardCharsets.US_ASCII);
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      return cert.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE));
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static void generate(Files files) throws IOException, GeneralSecurityException, OperatorCreationException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    KeyPair keys = generator.generateKeyPair();
    X500Name name = new X500Name("CN=localhost,O=Gatehouse development certificate");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
        new BigInteger(127, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(VALIDITY)), name, keys.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
        new GeneralName(GeneralName.iPAddress, "::1")}));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    X509Certificate cert = new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));

    writeAtomically(files.key(), pem(new JcaPKCS8Generator(keys.getPrivate(), null)), true);
    writeAtomically(files.cert(), pem(cert), false);
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  /** Written beside the target and moved into place, so a crash never leaves half a key. */
  private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    java.nio.file.Files.deleteIfExists(temp);
    if (secret && temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      java.nio.file.Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    java.nio.file.Files.writeString(temp, content, StandardCharsets.US_ASCII);
    java.nio.file.Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
