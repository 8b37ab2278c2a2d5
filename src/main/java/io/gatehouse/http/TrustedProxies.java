package io.gatehouse.http;

import io.gatehouse.config.Cidr;
import java.util.List;

/**
 * The peers allowed to tell us who the client is ({@code server.trusted_proxies}). From any other
 * peer, client-sent {@code X-Forwarded-*} and {@code Forwarded} headers are ignored and replaced,
 * so a caller cannot choose the address that logs, rate limits and upstreams see.
 */
public final class TrustedProxies {

  private final List<Cidr> networks;
  private final boolean forwarded;

  /** Trusts {@code networks} to name the client in {@code X-Forwarded-For}. */
  public TrustedProxies(List<Cidr> networks) {
    this(networks, false);
  }

  /**
   * @param forwarded read the client from RFC 7239 {@code Forwarded} instead of
   *     {@code X-Forwarded-For}. Only one of the two is read, the one the proxies write: a proxy
   *     that appends to one passes the other through as the client sent it, spoofed or not
   */
  public TrustedProxies(List<Cidr> networks, boolean forwarded) {
    this.networks = List.copyOf(networks);
    this.forwarded = forwarded;
  }

  /** The request header the trusted proxies name the client in, lower case. */
  public String clientHeader() {
    return forwarded ? "forwarded" : "x-forwarded-for";
  }

  /**
   * The client's address from the values of {@link #clientHeader()} (every line, in order):
   * the peer itself unless it is a trusted proxy, else the right-most address that is not one.
   */
  public String clientAddress(String peer, List<String> values) {
    if (values.isEmpty() || !isTrusted(peer)) {
      return peer;
    }
    String joined = String.join(",", values);
    return rightMostUntrusted(peer, forwarded ? ForwardedHeader.forNodes(joined) : joined);
  }

  public boolean isTrusted(String peer) {
    if (networks.isEmpty() || peer == null) {
      return false;
    }
    byte[] bytes = Cidr.literal(peer);
    if (bytes == null) {
      return false;
    }
    for (Cidr network : networks) {
      if (network.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The right-most of the comma-separated {@code hops} that is not itself a trusted proxy (entries
   * to its left were written by parties nobody vouches for); the left-most when all are trusted
   * (a client inside the proxies' own network); the peer when one on the way is not an address.
   */
  private String rightMostUntrusted(String peer, String list) {
    String[] hops = list.split(",");
    String hop = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      hop = hops[i].trim();
      if (Cidr.literal(hop) == null) {
        return peer;
      }
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return hop;
  }
}
