package io.gatehouse.ratelimit;

import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.config.AuthKind;
import io.gatehouse.config.LimitKey;
import io.gatehouse.http.Principal;
import io.gatehouse.config.Cidr;
import io.gatehouse.http.Exchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One configured limit as the limiters count it: at most {@link #requests()} per key in any
 * window {@link #perMillis()} long. Compared by {@link #id()}: two routes with the same settings
 * still count separately, and a reloaded config that keeps a limit keeps its counts. Immutable.
 */
public final class Limit {

  /**
   * Sub-windows a window is counted in. More is closer to a true sliding window (a steady client
   * gets {@code SLOTS/(SLOTS+1)} of the limit) and costs four bytes per key each.
   */
  public static final int SLOTS = 10;
  /** Longest key taken from a header value; longer values are cut (they still count, by their start). */
  private static final int MAX_HEADER_KEY = 128;
  /** Marks a key taken from the address when the configured one is missing, so it cannot equal a real one. */
  private static final String BY_ADDRESS = "\n";

  private final RateLimitConfig config;
  private final long perMillis;
  private final long slotMillis;
  private final String policy;
  private final String id;
  private final String shortId;

  /** A limit of no route (tests, benchmarks). */
  public Limit(RateLimitConfig config) {
    this(config, "-");
  }

  /**
   * @param scope where the limit is declared, such as {@code books#0} (the first limit of route
   *     {@code books}): with the settings, its {@link #id()}, the same on every instance
   */
  public Limit(RateLimitConfig config, String scope) {
    this.config = Objects.requireNonNull(config, "config");
    this.id = scope + "|" + config;
    this.perMillis = config.per().toMillis();
    this.slotMillis = (perMillis + SLOTS - 1) / SLOTS;
    this.policy = config.limit() + ";w=" + config.per().toSeconds();
    this.shortId = sha1(id).substring(0, 12);
  }

  /**
   * Names the limit across instances and restarts: where it is declared and its settings, so a
   * shared counter is found again by every instance, and a changed limit starts afresh.
   */
  public String id() {
    return id;
  }

  /**
   * Limits are equal when their {@link #id()}s are: a reloaded config that keeps a route's limit
   * as it was finds its counts where the old one left them.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof Limit limit && limit.id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  /** {@link #id()} in twelve hex digits (of its SHA-1), for the names of shared counters. */
  public String shortId() {
    return shortId;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }

  public int requests() {
    return config.limit();
  }

  public long perMillis() {
    return perMillis;
  }

  public long slotMillis() {
    return slotMillis;
  }

  public LimitKey key() {
    return config.key();
  }

  /** The draft RateLimit-Policy item: {@code 100;w=60}. */
  String policy() {
    return policy;
  }

  public RateLimitConfig config() {
    return config;
  }

  /** The key {@code exchange} is counted by under this limit. */
  public String keyOf(Exchange exchange, String routeId) {
    Principal principal = exchange.principal();
    return switch (config.key()) {
      case IP -> Cidr.hostKey(exchange.clientAddress());
      case ROUTE -> routeId;
      case HEADER -> {
        String value = exchange.header(config.header());
        yield value == null || value.isEmpty() ? byAddress(exchange)
            : value.length() > MAX_HEADER_KEY ? value.substring(0, MAX_HEADER_KEY) : value;
      }
      case SUBJECT -> principal == null ? byAddress(exchange) : principal.subject();
      case CLIENT -> principal == null || principal.client() == null ? byAddress(exchange) : principal.client();
      case API_KEY -> principal == null || principal.kind() != AuthKind.API_KEY ? byAddress(exchange)
          : principal.client();
    };
  }

  private static String byAddress(Exchange exchange) {
    return BY_ADDRESS + Cidr.hostKey(exchange.clientAddress());
  }

  @Override
  public String toString() {
    return config.toString();
  }
}
