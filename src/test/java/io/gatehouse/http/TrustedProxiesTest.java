package io.gatehouse.http;

import io.gatehouse.config.Cidr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

  @Test
  void cidrContainment() {
    assertThat(Cidr.parse("10.0.0.0/8").contains("10.255.1.2")).isTrue();
    assertThat(Cidr.parse("10.0.0.0/8").contains("11.0.0.1")).isFalse();
    assertThat(Cidr.parse("192.168.1.128/25").contains("192.168.1.129")).isTrue();
    assertThat(Cidr.parse("192.168.1.128/25").contains("192.168.1.127")).isFalse();
    assertThat(Cidr.parse("::1").contains("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(Cidr.parse("::1").contains("127.0.0.1")).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains("8.8.8.8")).isTrue();
    assertThatThrownBy(() -> Cidr.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("1.2.3.4/x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void clientAddressTrustsOnlyConfiguredProxies() {
    TrustedProxies proxies = new TrustedProxies(List.of(Cidr.parse("10.0.0.0/8")));
    assertThat(proxies.clientAddress("203.0.113.9", List.of("1.1.1.1"))).isEqualTo("203.0.113.9");
    assertThat(proxies.clientAddress("10.0.0.5", List.of("1.1.1.1, 198.51.100.7"))).isEqualTo("198.51.100.7");
    assertThat(proxies.clientAddress("10.0.0.5", List.of("1.1.1.1", "198.51.100.7"))).isEqualTo("198.51.100.7");
    assertThat(proxies.clientAddress("10.0.0.5", List.of("198.51.100.7, 10.0.0.9"))).isEqualTo("198.51.100.7");
    assertThat(proxies.clientAddress("10.0.0.5", List.of("10.0.0.7, 10.0.0.9"))).isEqualTo("10.0.0.7");
    assertThat(proxies.clientAddress("10.0.0.5", List.of("not-an-ip"))).isEqualTo("10.0.0.5");
    assertThat(proxies.clientAddress("10.0.0.5", List.of("198.51.100.7, not-an-ip"))).isEqualTo("10.0.0.5");
    assertThat(proxies.clientAddress("10.0.0.5", List.of())).isEqualTo("10.0.0.5");
  }

  @Test
  void forwardedNamesTheClientOnlyWhenConfiguredAndOnlyFromTrustedProxies() {
    TrustedProxies proxies = new TrustedProxies(List.of(Cidr.parse("10.0.0.0/8")), true);
    assertThat(proxies.clientHeader()).isEqualTo("forwarded");
    assertThat(proxies.clientAddress("203.0.113.9", List.of("for=1.1.1.1"))).isEqualTo("203.0.113.9");
    assertThat(proxies.clientAddress("10.0.0.5", List.of("for=1.1.1.1;proto=https, for=198.51.100.7;by=10.0.0.5")))
        .isEqualTo("198.51.100.7");
    assertThat(proxies.clientAddress("10.0.0.5", List.of("for=1.1.1.1", "For=\"198.51.100.7:4711\"")))
        .isEqualTo("198.51.100.7");
    assertThat(proxies.clientAddress("10.0.0.5", List.of("for=\"[2001:db8:cafe::17]:4711\", for=10.0.0.9")))
        .isEqualTo("2001:db8:cafe::17");
    // A quoted comma or semicolon does not split; the for of each element is what counts.
    assertThat(proxies.clientAddress("10.0.0.5", List.of("for=1.1.1.1;x=\"a,for=6.6.6.6;\";proto=http")))
        .isEqualTo("1.1.1.1");
    assertThat(proxies.clientAddress("10.0.0.5", List.of("for=unknown"))).isEqualTo("10.0.0.5");
    assertThat(proxies.clientAddress("10.0.0.5", List.of("for=_hidden, for=198.51.100.7"))).isEqualTo("198.51.100.7");
    assertThat(proxies.clientAddress("10.0.0.5", List.of("proto=https"))).isEqualTo("10.0.0.5");
    assertThat(proxies.clientAddress("10.0.0.5", List.of("for=\"[::1\""))).isEqualTo("10.0.0.5");
    assertThat(proxies.clientAddress("10.0.0.5", List.of("for=\"1.2.3.4\\\"\""))).isEqualTo("10.0.0.5");
  }

  @Test
  void requestIds() {
    assertThat(RequestIds.isWellFormed("abc-123_x.y")).isTrue();
    assertThat(RequestIds.isWellFormed("bad id\r\nX: y")).isFalse();
    assertThat(RequestIds.isWellFormed("x".repeat(65))).isFalse();
    assertThat(RequestIds.generate()).matches("[0-9a-f]{32}");
    assertThat(RequestIds.spanId()).matches("[0-9a-f]{16}");
    assertThat(RequestIds.isTraceId(RequestIds.generate())).isTrue();
    assertThat(SecurityHeaders.responseTime(1_234_567).toString()).isEqualTo("1.234ms");
    assertThat(SecurityHeaders.responseTime(0).toString()).isEqualTo("0.000ms");
    assertThat(SecurityHeaders.responseTime(-5).toString()).isEqualTo("0.000ms");
    assertThat(SecurityHeaders.responseTime(9_999).toString()).isEqualTo("0.009ms");
    assertThat(SecurityHeaders.responseTime(10_000_000).toString()).isEqualTo("10.000ms");
    assertThat(SecurityHeaders.responseTime(12_345_678_901L).toString()).isEqualTo("12345.678ms");
  }
}
