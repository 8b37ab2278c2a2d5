package io.gatehouse.gateway;

import io.gatehouse.config.UpstreamConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The targets of one route's upstream and the pooled keep-alive client that reaches them, chosen
 * in round robin. One instance per event loop, so connections stay on the loop that uses them
 * and the round-robin cursor needs no synchronisation.
 */
final class Upstream {

  /** Where to connect and what to send: {@code basePath} prefixes every forwarded path. */
  record Target(SocketAddress address, String host, int port, boolean ssl, String basePath) {

    static Target of(URI uri) {
      boolean ssl = uri.getScheme().toLowerCase(Locale.ROOT).equals("https");
      int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
      String host = uri.getHost();
      String base = uri.getRawPath() == null || uri.getRawPath().equals("/") ? "" : uri.getRawPath();
      if (base.endsWith("/")) {
        base = base.substring(0, base.length() - 1);
      }
      String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      return new Target(SocketAddress.inetSocketAddress(port, bareHost), bareHost, port, ssl, base);
    }
  }

  private final HttpClient client;
  private final Target[] targets;
  private final UpstreamConfig config;
  private int cursor;

  Upstream(Vertx vertx, UpstreamConfig config) {
    this.config = config;
    List<Target> list = config.targets().stream().map(Target::of).toList();
    this.targets = list.toArray(new Target[0]);
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions()
            .setKeepAlive(true)
            .setKeepAliveTimeout(30)
            .setConnectTimeout((int) config.connectTimeout().toMillis())
            .setMaxInitialLineLength(16 * 1024)
            .setMaxHeaderSize(64 * 1024)
            .setVerifyHost(true))
        .with(new PoolOptions().setHttp1MaxSize(config.maxConnections()))
        .build();
  }

  HttpClient client() {
    return client;
  }

  UpstreamConfig config() {
    return config;
  }

  Target next() {
    Target target = targets[cursor];
    cursor = (cursor + 1) % targets.length;
    return target;
  }
}
