package io.gatehouse.http;

import io.netty.handler.codec.http.HttpHeaders;

/** The rate-limit fields of a response, recorded on the {@link Exchange} and written on whatever head answers it. */
public interface RateLimitHeaders {

  void addTo(HttpHeaders headers);
}
