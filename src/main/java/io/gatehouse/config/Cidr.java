package io.gatehouse.config;

import io.netty.util.NetUtil;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An IPv4 or IPv6 network such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a
 * single host. Only literal addresses are accepted: a host name here would mean a DNS lookup at
 * load and trust in whatever it returned.
 */
public final class Cidr {

  private final byte[] network;
  private final int prefix;
  private final String text;

  private Cidr(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /** Parses {@code address[/prefix]}, throwing IllegalArgumentException naming what was expected. */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = literal(address);
    if (bytes == null) {
      throw new IllegalArgumentException("a network such as 10.0.0.0/8, 192.168.1.10 or ::1/128");
    }
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException("a prefix length 0.." + max + " after the address");
      }
    }
    return new Cidr(bytes, prefix, text);
  }

  /**
   * The bytes of a literal IPv4 or IPv6 address, or null when the text is not one ({@code 300.1.1.1},
   * a host name). Parsed as text by Netty's {@link NetUtil}: never a name service, so never DNS on
   * an event loop.
   */
  public static byte[] literal(String address) {
    String bare = address.startsWith("[") && address.endsWith("]")
        ? address.substring(1, address.length() - 1) : address;
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(bare);
    return bytes != null && isIpv4Mapped(bytes) ? Arrays.copyOfRange(bytes, 12, 16) : bytes;
  }

  /**
   * {@code ::ffff:a.b.c.d}, as a dual-stack socket reports an IPv4 peer: the IPv4 address it is
   * (RFC 4291 §2.5.5.2).
   */
  private static boolean isIpv4Mapped(byte[] bytes) {
    if (bytes.length != 16 || bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code address} (a literal, as Vert.x reports peers) lies in this network. */
  public boolean contains(String address) {
    byte[] bytes = literal(address);
    return bytes != null && contains(bytes);
  }

  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest);
    return (address[full] & mask) == (network[full] & mask);
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * An IPv4 address as itself; an IPv6 address by its /64, the smallest network a host is
   * usually given, so one host cannot dodge a limit by walking its own 2^64 addresses.
   */
  public static String hostKey(String address) {
    if (address == null || address.indexOf(':') < 0) {
      return address;
    }
    byte[] bytes = literal(address);
    if (bytes == null || bytes.length != 16) {
      return address;
    }
    return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
  }
}
