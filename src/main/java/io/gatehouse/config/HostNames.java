package io.gatehouse.config;

import java.util.Locale;
import java.util.regex.Pattern;

/** The syntax of host names in config ({@code routes[].hosts}, {@code server.hosts}): lower case, {@code *.} for any sub-domain. */
final class HostNames {

  private static final Pattern HOST = Pattern.compile(
      "(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  private HostNames() {
  }

  /** @throws IllegalArgumentException with the expectation */
  static String parse(String text) {
    String host = text.toLowerCase(Locale.ROOT);
    if (!HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("a host name such as api.example.com or *.example.com");
    }
    return host;
  }
}
