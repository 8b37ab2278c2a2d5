import io.vertx.core.*;
import io.vertx.core.http.*;
import io.vertx.httpproxy.*;

/**
 * What a proxy on this stack costs before Gatehouse adds anything: two event loops, no router, no
 * log, no header rules. {@code reverse}: vertx-http-proxy's reverse proxy, as the design names it;
 * {@code lean}: the Vert.x HttpClient streaming with pipeTo. Used by bench/floor.sh only.
 *
 *   java -cp target/gatehouse.jar:bench/floor Floor reverse|lean PORT UPSTREAM_PORT
 */
public class Floor {
  public static void main(String[] args) {
    String mode = args[0]; int port = Integer.parseInt(args[1]); int upPort = Integer.parseInt(args[2]);
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(2).setPreferNativeTransport(true)).build();
    vertx.deployVerticle(() -> new VerticleBase() {
      public Future<?> start() {
        HttpClient client = vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(true))
            .with(new PoolOptions().setHttp1MaxSize(256)).build();
        Handler<HttpServerRequest> handler;
        if (mode.equals("reverse")) {
          HttpProxy proxy = HttpProxy.reverseProxy(client);
          proxy.origin(upPort, "127.0.0.1");
          handler = proxy::handle;
        } else {
          handler = req -> {
            req.pause();
            RequestOptions o = new RequestOptions().setHost("127.0.0.1").setPort(upPort).setMethod(req.method()).setURI(req.uri());
            client.request(o).onComplete(ar -> {
              if (ar.failed()) { req.response().setStatusCode(502).end(); return; }
              HttpClientRequest up = ar.result();
              up.headers().addAll(req.headers());
              up.headers().remove("connection");
              up.send(req).onComplete(r -> {
                if (r.failed()) { req.response().setStatusCode(502).end(); return; }
                HttpClientResponse res = r.result();
                HttpServerResponse out = req.response().setStatusCode(res.statusCode());
                out.headers().addAll(res.headers());
                out.headers().remove("connection");
                res.pipeTo(out);
              });
            });
          };
        }
        return vertx.createHttpServer().requestHandler(handler).listen(port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(2));
  }
}
