package io.gatehouse.keys;

import io.gatehouse.config.AuthKind;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /oauth2/jwks}: the public keys of Gatehouse's tokens (RFC 7517), open to anyone.
 * Cacheable for five minutes: the next key is published a whole rotation period before it signs.
 */
public final class JwksEndpoint {

  private JwksEndpoint() {
  }

  public static Endpoint of(SigningKeys keys) {
    return Endpoint.at("oauth:jwks", "/oauth2/jwks").auth(AuthKind.NONE)
        .on(HttpMethod.GET, request -> Future.succeededFuture(Response.status(200)
            .header(HttpHeaderNames.CACHE_CONTROL, "public, max-age=300")
            .body(keys.published().toString(true).getBytes(StandardCharsets.UTF_8), "application/jwk-set+json")
            .build()))
        .build();
  }
}
