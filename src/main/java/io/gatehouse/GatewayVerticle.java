package io.gatehouse;

import io.gatehouse.config.Config;
import io.gatehouse.gateway.Endpoint;
import io.gatehouse.gateway.RouteTargets;
import io.gatehouse.http.ListenerOptions;
import io.gatehouse.http.ProblemRenderer;
import io.gatehouse.http.RequestHeadTimeout;
import io.gatehouse.http.SelfSignedCertificate;
import io.gatehouse.http.TrustedProxies;
import io.gatehouse.observability.RequestMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;

/**
 * The public listeners on one event loop. One instance is deployed per event loop; their servers
 * share the ports (Vert.x spreads connections across them) and each has its own upstream clients,
 * so a proxied request never changes threads.
 */
final class GatewayVerticle extends VerticleBase {

  private final Config config;
  private final Pipeline pipeline;
  private final InvalidRequestHandler invalidRequests;
  private final ProblemRenderer renderer;
  private final TrustedProxies trustedProxies;
  private final RequestMetrics metrics;
  private final SelfSignedCertificate.Files tls;
  private final boolean sharedPorts;
  private final List<Endpoint> endpoints;
  private HttpServer http;
  private HttpServer https;

  GatewayVerticle(Config config, Pipeline pipeline, InvalidRequestHandler invalidRequests, ProblemRenderer renderer,
      TrustedProxies trustedProxies, RequestMetrics metrics, SelfSignedCertificate.Files tls, boolean sharedPorts,
      List<Endpoint> endpoints) {
    this.endpoints = endpoints;
    this.config = config;
    this.pipeline = pipeline;
    this.invalidRequests = invalidRequests;
    this.renderer = renderer;
    this.trustedProxies = trustedProxies;
    this.metrics = metrics;
    this.tls = tls;
    this.sharedPorts = sharedPorts;
  }

  @Override
  public Future<?> start() {
    Router router = pipeline.router(vertx, RouteTargets.build(vertx, config.routes(), endpoints, trustedProxies,
        config.server().limits().maxBodyBytes(), metrics));
    List<Future<HttpServer>> listening = new ArrayList<>();
    if (config.server().http().enabled()) {
      http = server(ListenerOptions.plain(config.server().limits()), router);
      listening.add(listen(http, config.server().http().host(), config.server().http().port(), -1));
    }
    if (config.server().https().enabled()) {
      https = server(ListenerOptions.tls(config.server().https(), config.server().limits(), tls), router);
      listening.add(listen(https, config.server().https().host(), config.server().https().port(), -2));
    }
    return Future.all(listening);
  }

  private HttpServer server(HttpServerOptions options, Handler<HttpServerRequest> router) {
    long headTimeout = config.server().limits().requestTimeout().toMillis();
    return vertx.createHttpServer(options)
        .requestHandler(router)
        .invalidRequestHandler(invalidRequests)
        .connectionHandler(connection -> RequestHeadTimeout.install(connection, headTimeout, renderer));
  }

  /**
   * Port 0 would give each event loop its own random port; a negative port asks Vert.x for one
   * random port shared by every instance, and a distinct negative value per listener keeps the
   * HTTP and HTTPS servers from being merged into one.
   */
  private Future<HttpServer> listen(HttpServer server, String host, int port, int sharedRandomPort) {
    return server.listen(port == 0 && sharedPorts ? sharedRandomPort : port, host);
  }

  /** The bound HTTP port, or -1 when the listener is disabled. */
  int httpPort() {
    return http == null ? -1 : http.actualPort();
  }

  /** The bound HTTPS port, or -1 when the listener is disabled. */
  int httpsPort() {
    return https == null ? -1 : https.actualPort();
  }
}
