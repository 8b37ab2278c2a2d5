package io.gatehouse.identity.passkey;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gatehouse.config.PasskeysConfig;
import io.gatehouse.identity.InvalidFieldException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz test of the parsing of attacker-sent WebAuthn responses (webauthn4j's JSON, base64url, CBOR
 * and COSE readers behind {@link RelyingParty}): whatever the bytes, a registration or
 * authentication response parses or is an {@link InvalidFieldException} (a 400), within the time
 * bound; never another exception (a 500).
 */
@Timeout(10)
class RelyingPartyFuzzTest {

  private static final RelyingParty PARTY = new RelyingParty(new PasskeysConfig(true, "localhost", "Gatehouse",
      List.of("http://localhost:8080"), Duration.ofMinutes(2), List.of()));

  @FuzzTest
  void responses(byte[] input) {
    String json = new String(input, StandardCharsets.UTF_8);
    try {
      PARTY.parseRegistration(json);
    } catch (InvalidFieldException expected) {
      // refused as a 400
    }
    try {
      PARTY.parseAssertion(json);
    } catch (InvalidFieldException expected) {
      // refused as a 400
    }
  }
}
