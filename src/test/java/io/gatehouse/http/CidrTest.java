package io.gatehouse.http;

import io.gatehouse.config.Cidr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Addresses are literals, parsed as text: anything else is refused, never looked up. */
class CidrTest {

  @Test
  void onlyLiteralAddressesAreAccepted() {
    for (String bad : new String[] {"300.1.1.1", "1.2.3.256", "1.2.3", "1.2.3.4.5", "localhost", "example.com",
        "gatehouse.internal", "::g", "1:2:3:4:5:6:7:8:9", "", " 1.2.3.4", "1.2.3.4/33", "::1/129", "10.0.0.0/-1",
        "10.0.0.0/x"}) {
      assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(Cidr.literal("300.1.1.1")).isNull();
    assertThat(Cidr.literal("localhost")).as("a name is never resolved").isNull();
  }

  @Test
  void networksContainTheirAddresses() {
    Cidr ten = Cidr.parse("10.0.0.0/8");
    assertThat(ten.contains("10.255.1.2")).isTrue();
    assertThat(ten.contains("11.0.0.1")).isFalse();
    assertThat(ten.contains("::ffff:10.1.2.3")).as("an IPv4 peer on a dual-stack socket").isTrue();
    assertThat(ten.contains("300.1.1.1")).isFalse();
    Cidr six = Cidr.parse("2001:db8::/32");
    assertThat(six.contains("2001:db8:1::5")).isTrue();
    assertThat(six.contains("[2001:db8::1]")).isTrue();
    assertThat(six.contains("2001:db9::1")).isFalse();
    assertThat(Cidr.parse("192.0.2.7").contains("192.0.2.7")).isTrue();
    assertThat(Cidr.parse("192.0.2.7").contains("192.0.2.8")).isFalse();
  }

  @Test
  void anIpv6HostCountsByItsSlash64() {
    assertThat(Cidr.hostKey("2001:db8:1:2:aaaa::1")).isEqualTo(Cidr.hostKey("2001:db8:1:2:bbbb::9"));
    assertThat(Cidr.hostKey("192.0.2.1")).isEqualTo("192.0.2.1");
  }
}
