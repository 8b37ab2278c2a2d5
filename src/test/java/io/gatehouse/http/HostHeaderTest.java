package io.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link HostHeader}: what a Host header may be, and the host name its filters compare. */
class HostHeaderTest {

  @Test
  void hostNamesAndAddressesWithPorts() {
    assertThat(HostHeader.isValid("api.example.com")).isTrue();
    assertThat(HostHeader.isValid("api.example.com.:8443")).isTrue();
    assertThat(HostHeader.isValid("[2001:db8::1]:443")).isTrue();
    assertThat(HostHeader.hostname("API.Example.com.:8443")).isEqualTo("api.example.com");
  }

  /** Found by HeaderFuzzTest: ".." was valid and its host name "." kept a trailing dot. */
  @Test
  void aHostNameWithAnEmptyLabelIsRefused() {
    assertThat(HostHeader.isValid("..")).isFalse();
    assertThat(HostHeader.isValid(".")).isFalse();
    assertThat(HostHeader.isValid(".example.com")).isFalse();
    assertThat(HostHeader.isValid("a..example.com:80")).isFalse();
  }
}
