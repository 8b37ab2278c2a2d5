package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code passkeys}: off by default, the RP id and origins from the issuer, each checked at load as WebAuthn asks. */
class PasskeysConfigTest {

  private final ConfigLoader loader = new ConfigLoader(Map.of());

  private List<String> errors(String yaml) {
    try {
      loader.parse(yaml, "g.yaml");
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected config errors for:\n" + yaml);
  }

  @Test
  void offByDefaultAndFollowsTheIssuer() throws Exception {
    PasskeysConfig defaults = loader.parse("", "g.yaml").passkeys();
    assertThat(defaults.enabled()).isFalse();
    assertThat(defaults.rpId()).isEqualTo("localhost");
    assertThat(defaults.origins()).containsExactly("https://localhost:8443");
    assertThat(defaults.challengeTtl()).isEqualTo(Duration.ofMinutes(2));
    assertThat(defaults.rateLimit()).containsExactly(PasskeysConfig.PER_ADDRESS);

    PasskeysConfig on = loader.parse("issuer: https://Login.Example.com\npasskeys: { enabled: true }", "g.yaml")
        .passkeys();
    assertThat(on.rpId()).isEqualTo("login.example.com");
    assertThat(on.origins()).containsExactly("https://login.example.com");

    PasskeysConfig wider = loader.parse("""
        issuer: https://login.example.com
        passkeys: { enabled: true, rp_id: example.com, origins: [https://login.example.com, https://example.com:8443] }
        """, "g.yaml").passkeys();
    assertThat(wider.rpId()).isEqualTo("example.com");
    assertThat(wider.origins()).hasSize(2);
  }

  @Test
  void anAddressIssuerNeedsAnRpIdOnlyWhenPasskeysAreOn() throws Exception {
    assertThat(loader.parse("issuer: https://10.0.0.5:8443", "g.yaml").passkeys().enabled()).isFalse();
    assertThat(errors("issuer: https://10.0.0.5:8443\npasskeys: { enabled: true }")).anySatisfy(e ->
        assertThat(e).startsWith("g.yaml:2: passkeys.enabled: '10.0.0.5' (expected: a domain name"));
  }

  @Test
  void refusesOriginsAndRpIdsBrowsersWouldRefuse() {
    String on = "issuer: https://login.example.com\npasskeys: { enabled: true, %s }";
    assertThat(errors(on.formatted("origins: [\"http://login.example.com\"]"))).singleElement().asString()
        .contains("passkeys.origins: 'http://login.example.com' (expected: https, or http on localhost");
    assertThat(errors(on.formatted("origins: [\"https://evil.example\"]"))).singleElement().asString()
        .contains("(expected: a host that is the RP id login.example.com or under it)");
    assertThat(errors(on.formatted("origins: [\"https://notexample.com\"], rp_id: example.com"))).singleElement()
        .asString().contains("a host that is the RP id example.com or under it");
    assertThat(errors(on.formatted("origins: [\"https://login.example.com/path\"]"))).singleElement().asString()
        .contains("scheme, host and a port other than the default, nothing more");
    assertThat(errors(on.formatted("origins: [\"https://login.example.com:443\"]"))).singleElement().asString()
        .contains("nothing more");
    assertThat(errors(on.formatted("origins: []"))).singleElement().asString().contains("at least one origin");
    assertThat(errors(on.formatted("rp_id: \"127.0.0.1\", origins: [\"https://127.0.0.1\"]"))).isNotEmpty();
    assertThat(errors(on.formatted("rp_id: \"exa mple.com\""))).isNotEmpty();
    assertThat(errors(on.formatted("challenge_ttl: 1h"))).singleElement().asString().contains("at most 10m");
    assertThat(errors(on.formatted("challenge_ttl: 0s"))).singleElement().asString().contains("more than 0");
    assertThat(errors(on.formatted("rp_name: \"\""))).singleElement().asString().contains("1 to 64 characters");
    assertThat(errors(on.formatted("attestation: direct"))).singleElement().asString().contains("unknown key");
  }

  @Test
  void plainHttpIsASecureContextOnLocalhostOnly() throws Exception {
    assertThat(loader.parse("issuer: http://localhost:8080\npasskeys: { enabled: true }", "g.yaml").passkeys()
        .origins()).containsExactly("http://localhost:8080");
    assertThat(PasskeysConfig.isDomain("localhost")).isTrue();
    assertThat(PasskeysConfig.isDomain("1.2.3.4")).isFalse();
    assertThat(PasskeysConfig.isDomain("-a.com")).isFalse();
    assertThat(PasskeysConfig.isDomain("a..com")).isFalse();
  }

  @Test
  void passkeysCannotChangeWhileRunning() throws Exception {
    Config off = loader.parse("issuer: http://localhost:8080", "g.yaml");
    Config on = loader.parse("issuer: http://localhost:8080\npasskeys: { enabled: true }", "g.yaml");
    assertThat(ConfigChanges.notLive(off, on)).containsExactly("passkeys");
  }
}
