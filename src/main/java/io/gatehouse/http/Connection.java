package io.gatehouse.http;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * What is known of one client connection for all its requests (or HTTP/2 streams): the peer's
 * address, whether it came over TLS, the verified client certificate chain, if any, and whether
 * its listener is going away. Built once per connection on its event loop.
 */
public final class Connection {

  private final String peerAddress;
  private final SslHandler tls;
  private final boolean http2;
  private final GoingAway goingAway;

  /** A connection of no listener that shuts down (tests, fuzzing). */
  public Connection(Channel channel, SslHandler tls, boolean http2) {
    this(channel, tls, http2, new GoingAway());
  }

  /** @param goingAway announced by the connection's listener when it shuts down */
  public Connection(Channel channel, SslHandler tls, boolean http2, GoingAway goingAway) {
    this.peerAddress = address(channel.remoteAddress());
    this.tls = tls;
    this.http2 = http2;
    this.goingAway = goingAway;
  }

  private static String address(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return "unknown";
  }

  /** The peer's IP address as a literal (what TCP says, before any {@code X-Forwarded-For}). */
  public String peerAddress() {
    return peerAddress;
  }

  public boolean https() {
    return tls != null;
  }

  public boolean http2() {
    return http2;
  }

  /** Whether the listener is shutting down: the connection carries no request after the current ones. */
  public boolean goingAway() {
    return goingAway.announced();
  }

  /**
   * The client certificate chain the TLS handshake verified against {@code client_ca}, or an
   * empty list: without a client CA, or when the client sent none.
   */
  public List<Certificate> peerCertificates() {
    if (tls == null) {
      return List.of();
    }
    try {
      Certificate[] chain = tls.engine().getSession().getPeerCertificates();
      return chain == null ? List.of() : List.of(chain);
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }
}
