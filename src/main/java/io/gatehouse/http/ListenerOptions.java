package io.gatehouse.http;

import io.gatehouse.config.HttpsConfig;
import io.gatehouse.config.LimitsConfig;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Vert.x server options for the gateway's listeners, from config. */
public final class ListenerOptions {

  /** Request lines longer than this get 414; header bytes are bounded separately by {@code max_header_bytes}. */
  static final int MAX_REQUEST_LINE = 8192;

  private ListenerOptions() {
  }

  public static HttpServerOptions plain(LimitsConfig limits) {
    return new HttpServerOptions()
        .setMaxHeaderSize(limits.maxHeaderBytes())
        .setMaxInitialLineLength(MAX_REQUEST_LINE)
        .setIdleTimeout((int) limits.idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // HTTP/1.1 only for now: an h2c upgrade would bypass the HTTP/1 request-head timeout and connection handling.
        .setHttp2ClearTextEnabled(false)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setTcpNoDelay(true);
  }

  /**
   * TLS 1.2 and 1.3 only. With {@code client_ca}, a client certificate is requested (not
   * required, so other routes keep working) and verified against it during the handshake.
   */
  public static HttpServerOptions tls(HttpsConfig https, LimitsConfig limits, SelfSignedCertificate.Files pem) {
    HttpServerOptions options = plain(limits)
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(pem.cert().toString()).setKeyPath(pem.key().toString()))
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"));
    if (https.clientCa() != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(https.clientCa().toString()))
          .setClientAuth(ClientAuth.REQUEST);
    }
    return options;
  }
}
