package io.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@link TraceParent}: W3C Trace Context Level 1 §3.2, its examples as vectors, and what a caller may forge. */
class TraceParentTest {

  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT_ID = "00f067aa0ba902b7";

  @Test
  void theSpecificationsExamples() {
    assertThat(TraceParent.parse("00-" + TRACE_ID + "-" + PARENT_ID + "-01"))
        .isEqualTo(new TraceParent(TRACE_ID, PARENT_ID, true));
    assertThat(TraceParent.parse("00-" + TRACE_ID + "-" + PARENT_ID + "-00"))
        .isEqualTo(new TraceParent(TRACE_ID, PARENT_ID, false));
  }

  /** §3.2.2.5: a bit field; only the sampled bit (the lowest) is read, whatever else is set. */
  @Test
  void onlyTheSampledBitIsRead() {
    assertThat(TraceParent.parse("00-" + TRACE_ID + "-" + PARENT_ID + "-09").sampled()).isTrue();
    assertThat(TraceParent.parse("00-" + TRACE_ID + "-" + PARENT_ID + "-fe").sampled()).isFalse();
  }

  /** §3.2.4: a later version is read for its first fields, as long as what follows starts with a dash. */
  @Test
  void aLaterVersionIsReadAsVersion00() {
    assertThat(TraceParent.parse("cc-" + TRACE_ID + "-" + PARENT_ID + "-01"))
        .isEqualTo(new TraceParent(TRACE_ID, PARENT_ID, true));
    assertThat(TraceParent.parse("cc-" + TRACE_ID + "-" + PARENT_ID + "-01-what-comes-next"))
        .isEqualTo(new TraceParent(TRACE_ID, PARENT_ID, true));
    assertThat(TraceParent.parse("cc-" + TRACE_ID + "-" + PARENT_ID + "-01.what-comes-next")).isNull();
  }

  @Test
  void formatIsVersion00() {
    assertThat(TraceParent.format(TRACE_ID, PARENT_ID, true)).isEqualTo("00-" + TRACE_ID + "-" + PARENT_ID + "-01");
    assertThat(TraceParent.format(TRACE_ID, PARENT_ID, false)).isEqualTo("00-" + TRACE_ID + "-" + PARENT_ID + "-00");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "00",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",        // short flags
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",      // version 00 has no more fields
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 ",
      " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",       // version ff is forbidden
      "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",       // upper-case hex
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0F",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",       // all-zero trace id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",       // all-zero parent id
      "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
      "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",       // dashes in the wrong places
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x",
      "00-4bf92f3577b34da6a3ce929d0e0e47\u0661-00f067aa0ba902b7-01",   // a non-ASCII digit
      "00-+bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",          // a later version, too short
  })
  void invalidValuesAreRefused(String value) {
    assertThat(TraceParent.parse(value)).isNull();
  }

  @Test
  void nullAndHugeValuesAreRefused() {
    assertThat(TraceParent.parse(null)).isNull();
    assertThat(TraceParent.parse("00-" + TRACE_ID + "-" + PARENT_ID + "-01" + "-x".repeat(100_000))).isNull();
  }
}
