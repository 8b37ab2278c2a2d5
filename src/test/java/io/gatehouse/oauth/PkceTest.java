package io.gatehouse.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** PKCE as the code exchange checks it, against RFC 7636 Appendix B. */
class PkceTest {

  static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

  @Test
  void theAppendixBVectorHolds() {
    assertThat(AuthorizationCodes.pkceHolds(CHALLENGE, VERIFIER)).isTrue();
  }

  @Test
  void anythingElseFails() {
    assertThat(AuthorizationCodes.pkceHolds(CHALLENGE, VERIFIER.substring(1) + "A")).isFalse();
    assertThat(AuthorizationCodes.pkceHolds(CHALLENGE, null)).isFalse();
    assertThat(AuthorizationCodes.pkceHolds(CHALLENGE, "short")).as("too short for RFC 7636").isFalse();
    assertThat(AuthorizationCodes.pkceHolds(CHALLENGE, VERIFIER + "!")).as("not an unreserved character").isFalse();
    assertThat(AuthorizationCodes.pkceHolds(CHALLENGE, CHALLENGE)).as("plain is not accepted").isFalse();
    assertThat(AuthorizationCodes.pkceHolds(null, VERIFIER)).as("no challenge, no verifier").isFalse();
    assertThat(AuthorizationCodes.pkceHolds(null, null)).isTrue();
  }
}
