package io.gatehouse.http.server;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * TLS for the listeners and for HTTPS upstreams. TLS 1.2 and 1.3 only; on TLS 1.2 only ECDHE key
 * exchange with AEAD ciphers (forward secrecy, no CBC); client-initiated renegotiation refused
 * (BoringSSL never renegotiates as a server; the JDK is told to reject it). OpenSSL (BoringSSL
 * through netty-tcnative) when it loads, the JDK's TLS otherwise. ALPN offers {@code h2} then
 * {@code http/1.1}. Blocking (reads PEM files): call at start, off the event loop.
 */
public final class TlsContexts {

  /** TLS 1.3's suites, then TLS 1.2's ECDHE + AEAD suites (Mozilla "intermediate"). */
  static final List<String> CIPHERS = List.of(
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  static {
    // Read by the JDK's TLS when its first server handshake runs; BoringSSL needs no switch.
    System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
  }

  private TlsContexts() {
  }

  /** The TLS implementation in use: "OpenSSL (BoringSSL)" or "JDK". */
  public static String providerName() {
    return provider() == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
  }

  static SslProvider provider() {
    return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /**
   * The HTTPS listener's context.
   *
   * @param clientCa when not null, clients may present a certificate, verified against these CAs
   *     during the handshake (requested, not required, so other routes keep working)
   */
  public static SslContext server(Path certFile, Path keyFile, Path clientCa, boolean http2) {
    return server(certFile, keyFile, clientCa, http2, provider());
  }

  /** As {@link #server(Path, Path, Path, boolean)} with a chosen implementation (tests check both). */
  public static SslContext server(Path certFile, Path keyFile, Path clientCa, boolean http2, SslProvider provider) {
    try {
      SslContextBuilder builder = SslContextBuilder.forServer(privateKey(keyFile), certificates(certFile))
          .sslProvider(provider)
          .protocols(PROTOCOLS)
          .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
          .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              http2 ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                  : List.of(ApplicationProtocolNames.HTTP_1_1)));
      if (clientCa != null) {
        builder.trustManager(certificates(clientCa)).clientAuth(ClientAuth.OPTIONAL);
      }
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS with " + certFile + ": " + e.getMessage(), e);
    }
  }

  /** For HTTPS upstreams: the JDK's trusted CAs, host name verification on, HTTP/1.1. */
  public static SslContext client() {
    try {
      return SslContextBuilder.forClient()
          .sslProvider(provider())
          .protocols(PROTOCOLS)
          .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
          .endpointIdentificationAlgorithm("HTTPS")
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for upstreams: " + e.getMessage(), e);
    }
  }

  /** The certificates of a PEM file, in order. */
  static X509Certificate[] certificates(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read certificates from " + pem + ": " + e.getMessage(), e);
    }
  }

  /** A private key from PEM: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), unencrypted. */
  static PrivateKey privateKey(Path pem) {
    try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (object instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
      }
      throw new IllegalStateException("no unencrypted private key in " + pem);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the private key " + pem + ": " + e.getMessage(), e);
    }
  }
}
