package io.gatehouse.support;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away certificate authority for mTLS tests: a CA, and client certificates it signs. */
public final class TestPki {

  public record Issued(KeyPair keys, X509Certificate certificate) {
  }

  private final Issued ca;

  public TestPki(String name) throws Exception {
    KeyPair keys = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    JcaX509v3CertificateBuilder builder = builder(subject, subject, keys);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    ca = new Issued(keys, sign(builder, keys));
  }

  public Issued client(String commonName, String dnsSan) throws Exception {
    KeyPair keys = keyPair();
    JcaX509v3CertificateBuilder builder = builder(
        new X500Name(ca.certificate().getSubjectX500Principal().getName()), new X500Name("CN=" + commonName), keys);
    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    if (dnsSan != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, dnsSan)));
    }
    return new Issued(keys, sign(builder, ca.keys()));
  }

  public Path writeCa(Path dir) throws Exception {
    Path file = dir.resolve("client-ca.pem");
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(ca.certificate());
    }
    Files.writeString(file, out.toString());
    return file;
  }

  /** Writes {@code issued}'s certificate and PKCS#8 key as PEM files, as a server's {@code cert} and {@code key}. */
  public static void writePem(Issued issued, Path cert, Path key) throws Exception {
    StringWriter certOut = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(certOut)) {
      writer.writeObject(issued.certificate());
    }
    StringWriter keyOut = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(keyOut)) {
      writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(issued.keys().getPrivate(), null));
    }
    Files.writeString(cert, certOut.toString());
    Files.writeString(key, keyOut.toString());
  }

  /** A client context trusting {@code serverCert} and, if given, presenting {@code client}. */
  public static SSLContext context(Certificate serverCert, Issued client) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", serverCert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    if (client != null) {
      keys.setKeyEntry("client", client.keys().getPrivate(), "pw".toCharArray(), new Certificate[] {client.certificate()});
    }
    kmf.init(keys, "pw".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
    return context;
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }
}
