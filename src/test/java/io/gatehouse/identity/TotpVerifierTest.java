package io.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** RFC 6238 Appendix B's SHA-1 vectors (truncated to six digits) and the verification window. */
class TotpVerifierTest {

  /** The RFC's SHA-1 seed: "12345678901234567890". */
  private static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
  private final TotpVerifier totp = new TotpVerifier();

  @Test
  void computesTheRfcVectors() {
    // RFC 6238 Appendix B, SHA1 column (8 digits); six digits are its last six (RFC 4226 §5.3 modulo).
    assertThat(totp.code(SEED, Instant.ofEpochSecond(59))).isEqualTo("287082");
    assertThat(totp.code(SEED, Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
    assertThat(totp.code(SEED, Instant.ofEpochSecond(1234567890))).isEqualTo("005924");
    assertThat(totp.code(SEED, Instant.ofEpochSecond(2000000000))).isEqualTo("279037");
  }

  @Test
  void acceptsOneStepEitherSideAndNamesTheStep() {
    Instant now = Instant.ofEpochSecond(1234567890);
    long step = TotpVerifier.step(now);
    assertThat(totp.matchingStep(SEED, totp.code(SEED, now), now)).hasValue(step);
    assertThat(totp.matchingStep(SEED, totp.code(SEED, now.minusSeconds(30)), now)).hasValue(step - 1);
    assertThat(totp.matchingStep(SEED, totp.code(SEED, now.plusSeconds(30)), now)).hasValue(step + 1);
    assertThat(totp.matchingStep(SEED, totp.code(SEED, now.minusSeconds(60)), now)).isEmpty();
    assertThat(totp.matchingStep(SEED, totp.code(SEED, now.plusSeconds(60)), now)).isEmpty();
  }

  @Test
  void refusesMalformedCodes() {
    Instant now = Instant.ofEpochSecond(59);
    for (String bad : new String[] {null, "", "28708", "2870820", "28708a", " 287082", "２８７０８２"}) {
      assertThat(totp.matchingStep(SEED, bad, now)).as(String.valueOf(bad)).isEmpty();
    }
  }

  @Test
  void recoveryCodesAreTenDistinctAndNormalise() {
    var codes = new RecoveryCodes().generate();
    assertThat(codes).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches("[a-z2-7]{4}(-[a-z2-7]{4}){3}"));
    String code = codes.get(0);
    assertThat(RecoveryCodes.normalize(code.toUpperCase().replace("-", " "))).isEqualTo(code.replace("-", ""));
    assertThat(RecoveryCodes.normalize("123456")).isNull();
    assertThat(RecoveryCodes.hash("u1", "abc")).isNotEqualTo(RecoveryCodes.hash("u2", "abc"));
  }
}
