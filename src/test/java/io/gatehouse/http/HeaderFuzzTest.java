package io.gatehouse.http;

import io.gatehouse.config.Cidr;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz tests of the request headers the gateway reads before any credential: {@code Host}
 * ({@link HostHeader}), the client address from {@code X-Forwarded-For} or {@code Forwarded}
 * behind trusted proxies ({@link TrustedProxies}, {@link ForwardedHeader}), cookies
 * ({@link Exchange#cookie}), and W3C trace context ({@link TraceParent}, {@link TraceState}). Header
 * values are read as Netty's decoder hands them over
 * (ISO-8859-1 characters); values its validation would refuse never reach these readers and are
 * skipped.
 *
 * <p>Properties: each reader answers with a value or a clean refusal (false, null, the peer),
 * never an exception; a valid {@code Host} yields the lower-case host its filters compare; the
 * client address is always an IP literal, the peer's own unless the peer is a trusted proxy; a
 * cookie value is one that was sent, made of RFC 6265 cookie-octets; a {@code traceparent} read
 * is one Gatehouse would send again unchanged but for its version; a {@code tracestate} kept is
 * bounded and reads back as itself.
 */
@Timeout(10)
class HeaderFuzzTest {

  private static final TrustedProxies XFF = new TrustedProxies(
      List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32")), false);
  private static final TrustedProxies FORWARDED = new TrustedProxies(
      List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32")), true);
  private static final List<String> PEERS = List.of("10.1.2.3", "192.0.2.7", "2001:db8::5");

  private static String text(byte[] input) {
    return new String(input, StandardCharsets.ISO_8859_1);
  }

  @FuzzTest
  void host(byte[] input) {
    String value = text(input);
    if (!HostHeader.isValid(value)) {
      return;
    }
    String host = HostHeader.hostname(value);
    assertThat(host).isEqualTo(host.toLowerCase(Locale.ROOT)).doesNotEndWith(".");
    assertThat(value.toLowerCase(Locale.ROOT)).startsWith(host);
    assertThat(host.chars()).as("only host characters").allMatch(c -> c > 0x20 && c < 0x7f && c != '/' && c != '@');
    if (!host.startsWith("[")) {
      assertThat(host).doesNotContain(":");
    }
  }

  /** First byte: the peer and the header read; the rest: the header's lines, split at newlines. */
  @FuzzTest
  void clientAddress(byte[] input) {
    if (input.length == 0) {
      return;
    }
    String peer = PEERS.get((input[0] & 0x7f) % PEERS.size());
    TrustedProxies proxies = (input[0] & 0x80) == 0 ? XFF : FORWARDED;
    List<String> lines = Arrays.asList(text(Arrays.copyOfRange(input, 1, input.length)).split("\n", -1));
    String client = proxies.clientAddress(peer, lines);
    assertThat(Cidr.literal(client)).as("an address: %s", client).isNotNull();
    if (!proxies.isTrusted(peer)) {
      assertThat(client).isEqualTo(peer);
    } else if (!client.equals(peer)) {
      assertThat(String.join(",", lines)).as("a hop that was sent").contains(client);
    }
  }

  /** First byte: the cookie's name; the rest: Cookie header lines, split at newlines. */
  @FuzzTest
  void cookie(byte[] input) {
    if (input.length == 0) {
      return;
    }
    String name = (input[0] & 1) == 0 ? "gh_session" : "__Host-gh_session";
    HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
    String[] lines = text(Arrays.copyOfRange(input, 1, input.length)).split("\n", -1);
    try {
      for (String line : lines) {
        headers.add(HttpHeaderNames.COOKIE, line);
      }
    } catch (IllegalArgumentException refusedByTheDecoder) {
      return;
    }
    Exchange exchange = Exchanges.of(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", headers));
    String value = exchange.cookie(name);
    if (value == null) {
      return;
    }
    assertThat(String.join("\n", lines)).contains(name + "=").contains(value);
    assertThat(value.chars()).as("RFC 6265 cookie-octets: %s", value)
        .allMatch(c -> c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b)
            || (c >= 0x5d && c <= 0x7e));
  }

  @FuzzTest
  void traceparent(byte[] input) {
    String value = text(input);
    TraceParent parsed = TraceParent.parse(value);
    if (parsed == null) {
      return;
    }
    String again = TraceParent.format(parsed.traceId(), parsed.parentId(), parsed.sampled());
    assertThat(TraceParent.parse(again)).isEqualTo(parsed);
    assertThat(value.substring(3, 52)).isEqualTo(again.substring(3, 52));
  }

  /** The input's lines, split at newlines, as tracestate header lines. */
  @FuzzTest
  void tracestate(byte[] input) {
    List<String> lines = Arrays.asList(text(input).split("\n", -1));
    String kept = TraceState.sanitize(lines);
    if (kept == null) {
      return;
    }
    assertThat(kept.length()).isLessThanOrEqualTo(TraceState.MAX_LENGTH);
    assertThat(kept.split(",")).hasSizeLessThanOrEqualTo(TraceState.MAX_MEMBERS);
    assertThat(TraceState.sanitize(List.of(kept))).isEqualTo(kept);
    assertThat(kept.chars()).allMatch(c -> c >= 0x20 && c <= 0x7e);
  }
}
