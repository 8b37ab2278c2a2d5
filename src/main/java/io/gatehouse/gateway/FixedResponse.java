package io.gatehouse.gateway;

import io.gatehouse.config.RespondConfig;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.Response;
import io.gatehouse.http.RouteTarget;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Answers a {@code respond:} route with its configured status, headers and body. */
public final class FixedResponse implements RouteTarget {

  private final Response response;

  public FixedResponse(RespondConfig config) {
    Response.Builder builder = Response.status(config.status());
    for (Map.Entry<String, String> header : config.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    this.response = builder.body(config.body().getBytes(StandardCharsets.UTF_8)).build();
  }

  @Override
  public void dispatch(Exchange exchange) {
    exchange.respond(response);
  }
}
