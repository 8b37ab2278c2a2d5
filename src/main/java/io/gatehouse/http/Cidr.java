package io.gatehouse.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a
 * single host. Only literal addresses are accepted: a host name here would mean a DNS lookup at
 * load and trust in whatever it returned.
 */
public final class Cidr {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

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

  /** The bytes of a literal IPv4 or IPv6 address, or null when the text is not one. Never resolves names. */
  public static byte[] literal(String address) {
    String bare = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    if (!IPV4.matcher(bare).matches() && !IPV6.matcher(bare).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(bare).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Whether {@code address} (a literal, as Vert.x reports peers) lies in this network. */
  public boolean contains(String address) {
    byte[] bytes = literal(address);
    return bytes != null && contains(bytes);
  }

  boolean contains(byte[] address) {
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
