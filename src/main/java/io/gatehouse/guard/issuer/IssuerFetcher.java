package io.gatehouse.guard.issuer;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Fetches an issuer's documents (discovery metadata, JWK sets) over HTTPS only, with a connect
 * timeout, a deadline for the whole answer and a size limit, without redirects, so a slow, huge
 * or misdirecting issuer costs a bounded amount and never blocks an event loop. Thread-safe.
 */
final class IssuerFetcher {

  static final int MAX_BYTES = 512 * 1024;
  static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  static final long DEADLINE_MILLIS = 10_000;

  private final Vertx vertx;
  private final HttpClient client;

  /** @param caFile PEM certificates to trust instead of the JDK's, or null */
  IssuerFetcher(Vertx vertx, Path caFile) {
    this.vertx = vertx;
    HttpClientOptions options = new HttpClientOptions()
        .setSsl(true)
        .setVerifyHost(true)
        .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
        .setIdleTimeout((int) (DEADLINE_MILLIS / 1000))
        .setKeepAlive(false);
    if (caFile != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()));
    }
    this.client = vertx.createHttpClient(options);
  }

  /** The body of a 200 answer to {@code GET uri}, as UTF-8; a failure for anything else. */
  Future<String> get(URI uri) {
    if (!"https".equalsIgnoreCase(uri.getScheme())) {
      return Future.failedFuture(new IllegalArgumentException("not https"));
    }
    Promise<String> result = Promise.promise();
    long deadline = vertx.setTimer(DEADLINE_MILLIS, id -> result.tryFail("no answer within the deadline"));
    client.request(new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(uri.toString())
            .setFollowRedirects(false)
            .putHeader("Accept", "application/json"))
        .compose(request -> request.send())
        .onFailure(result::tryFail)
        .onSuccess(response -> {
          if (response.statusCode() != 200) {
            response.request().reset();
            result.tryFail("status " + response.statusCode());
            return;
          }
          Buffer body = Buffer.buffer();
          response.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BYTES) {
              response.request().reset();
              result.tryFail("larger than " + MAX_BYTES + " bytes");
            } else {
              body.appendBuffer(chunk);
            }
          });
          response.exceptionHandler(result::tryFail);
          response.endHandler(v -> result.tryComplete(body.toString(StandardCharsets.UTF_8)));
        });
    return result.future().andThen(done -> vertx.cancelTimer(deadline));
  }

  Future<Void> close() {
    return client.close();
  }
}
