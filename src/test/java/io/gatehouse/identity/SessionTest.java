package io.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a session keeps the {@code User-Agent} a client chose to send. */
class SessionTest {

  @Test
  void aDeviceIsKeptWithoutControlOrFormatCharactersAndTrimmed() {
    assertThat(Session.device("  Mozilla/5.0\r\nX-Injected: 1\t(X11)\u0000\u202e  ")).isEqualTo("Mozilla/5.0X-Injected: 1(X11)");
    assertThat(Session.device("curl/8.5.0")).isEqualTo("curl/8.5.0");
  }

  @Test
  void nothingLeftIsNoDevice() {
    assertThat(Session.device(null)).isNull();
    assertThat(Session.device("")).isNull();
    assertThat(Session.device(" \u0007\n ")).isNull();
  }

  @Test
  void aLongDeviceIsCutToTwoHundredCharactersNeverThroughASurrogatePair() {
    assertThat(Session.device("a".repeat(500))).isEqualTo("a".repeat(200));
    String emojiAcrossTheCut = "a".repeat(199) + "\uD83D\uDE00" + "b";
    assertThat(Session.device(emojiAcrossTheCut)).isEqualTo("a".repeat(199));
  }

  @Test
  void theNormalisationIsAppliedToEverySessionAndChangesNothingTheSecondTime() {
    String raw = " x".repeat(150) + "\n";
    Session session = new Session("h", "u1", Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, List.of("pwd"), raw, "192.0.2.1");
    assertThat(session.device()).isEqualTo(Session.device(raw)).hasSizeLessThanOrEqualTo(200).doesNotEndWith(" ");
    assertThat(Session.device(session.device())).isEqualTo(session.device());
    assertThat(session.seenAt(Instant.MAX)).extracting(Session::device, Session::address)
        .containsExactly(session.device(), "192.0.2.1");
  }
}
