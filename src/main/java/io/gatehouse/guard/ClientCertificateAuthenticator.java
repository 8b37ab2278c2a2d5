package io.gatehouse.guard;

import io.gatehouse.config.AuthKind;
import io.gatehouse.config.MtlsConfig;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.Principal;
import io.vertx.core.Future;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * {@code auth: [mtls]}: admits a request whose connection presented a client certificate that
 * the TLS handshake verified against {@code server.https.client_ca}. The listener requests but does
 * not require a certificate, so a connection either carries a verified chain or none. With
 * {@code mtls.subjects} or {@code mtls.sans} set, the certificate must also name one of them. The
 * subject is the certificate's RFC 2253 distinguished name. Immutable and thread-safe.
 */
final class ClientCertificateAuthenticator implements Authenticator {

  /** SAN types per RFC 5280 §4.2.1.6 as Java numbers them: rfc822Name, dNSName, URI. */
  private static final List<Integer> NAME_TYPES = List.of(1, 2, 6);

  private final MtlsConfig config;

  ClientCertificateAuthenticator(MtlsConfig config) {
    this.config = config;
  }

  @Override
  public Future<Principal> authenticate(Exchange exchange) {
    List<Certificate> chain = exchange.connection().peerCertificates();
    if (chain.isEmpty() || !(chain.get(0) instanceof X509Certificate cert)) {
      return Future.succeededFuture();
    }
    String subject = cert.getSubjectX500Principal().getName(X500Principal.RFC2253);
    if ((!config.subjects().isEmpty() || !config.sans().isEmpty())
        && !config.subjects().contains(subject) && !hasAllowedSan(cert, config.sans())) {
      return Future.succeededFuture();
    }
    return Future.succeededFuture(new Principal(subject, List.of(), List.of(), null, AuthKind.MTLS, false, null));
  }

  private static boolean hasAllowedSan(X509Certificate cert, List<String> allowed) {
    if (allowed.isEmpty()) {
      return false;
    }
    try {
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      if (names == null) {
        return false;
      }
      for (List<?> name : names) {
        if (NAME_TYPES.contains((Integer) name.get(0)) && allowed.contains(String.valueOf(name.get(1)))) {
          return true;
        }
      }
    } catch (CertificateParsingException e) {
      return false;
    }
    return false;
  }
}
