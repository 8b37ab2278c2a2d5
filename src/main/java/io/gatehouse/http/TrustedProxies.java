package io.gatehouse.http;

import java.util.List;

/**
 * The peers allowed to tell us who the client is ({@code server.trusted_proxies}). From any other
 * peer, client-sent {@code X-Forwarded-*} and {@code Forwarded} headers are ignored and replaced,
 * so a caller cannot choose the address that logs, rate limits and upstreams see.
 */
public final class TrustedProxies {

  private final List<Cidr> networks;

  public TrustedProxies(List<Cidr> networks) {
    this.networks = List.copyOf(networks);
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
   * The client's address: the peer itself, or, when the peer is a trusted proxy, the right-most
   * {@code X-Forwarded-For} entry that is not itself a trusted proxy (entries to its left were
   * written by parties nobody vouches for).
   */
  public String clientAddress(String peer, String xForwardedFor) {
    if (xForwardedFor == null || !isTrusted(peer)) {
      return peer;
    }
    String[] hops = xForwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (Cidr.literal(hop) == null) {
        return peer;
      }
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return peer;
  }
}
