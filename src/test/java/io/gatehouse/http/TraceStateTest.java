package io.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TraceState}: W3C Trace Context Level 1 §3.3, checked and bounded. */
class TraceStateTest {

  private static String sanitized(String... lines) {
    return TraceState.sanitize(List.of(lines));
  }

  @Test
  void theSpecificationsExamplesPassUnchanged() {
    assertThat(sanitized("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"))
        .isEqualTo("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
    assertThat(sanitized("congo=t61rcWkgMzE")).isEqualTo("congo=t61rcWkgMzE");
  }

  @Test
  void linesJoinInOrderAndEmptyMembersAndSpacesGo() {
    assertThat(sanitized("rojo=1 , ,\t", "congo=2")).isEqualTo("rojo=1,congo=2");
    assertThat(sanitized("", " ")).isNull();
  }

  @Test
  void multiTenantKeysAndValuesWithSpacesInside() {
    assertThat(sanitized("tenant1@vendor=a b", "0tenant@v=x")).isEqualTo("tenant1@vendor=a b,0tenant@v=x");
    assertThat(sanitized("k=" + "v".repeat(256))).isEqualTo("k=" + "v".repeat(256));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "novalue",
      "=value",
      "Upper=1",                  // keys are lower-case
      "1simple=1",                // a simple key starts with a letter
      "a=1,a=2",                  // one entry per key
      "a=b=c",                    // '=' is not in a value
      "a=b\u0000",
      "a=caf\u00e9",
      "a=\u007f",
      "tenant@Vendor=1",
      "tenant@vendor_with_too_long=1",  // a system id has at most 14 characters
      "tenant@@vendor=1",
      "@vendor=1",
      "tenant@=1",
      "a=b,novalue",              // one bad member drops the whole list
  })
  void invalidListsAreDroppedWhole(String value) {
    assertThat(sanitized(value)).isNull();
  }

  @Test
  void overLongKeysAndValuesAreInvalid() {
    assertThat(sanitized("k" + "e".repeat(256) + "=1")).isNull();
    assertThat(sanitized("k=" + "v".repeat(257))).isNull();
  }

  @Test
  void moreThan32MembersIsInvalid() {
    String members = IntStream.range(0, 33).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining(","));
    assertThat(sanitized(members)).isNull();
    String most = IntStream.range(0, 32).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining(","));
    assertThat(sanitized(most)).isEqualTo(most);
  }

  /** "tracestate Limits": cut by whole members, those over 128 characters first, then from the end. */
  @Test
  void cutTo512CharactersByWholeMembers() {
    String longOne = "long=" + "x".repeat(200);
    String middle = IntStream.range(0, 10).mapToObj(i -> "key" + i + "=" + "v".repeat(40))
        .collect(Collectors.joining(","));
    String kept = sanitized("first=1," + longOne + "," + middle);
    assertThat(kept).hasSizeLessThanOrEqualTo(TraceState.MAX_LENGTH).startsWith("first=1,key0=")
        .doesNotContain("long=");
    assertThat(kept.split(",")).hasSize(11).allMatch(member -> !member.isEmpty());
    String noLongOnes = sanitized(IntStream.range(0, 20).mapToObj(i -> "k" + i + "=" + "v".repeat(40))
        .collect(Collectors.joining(",")));
    assertThat(noLongOnes).hasSizeLessThanOrEqualTo(TraceState.MAX_LENGTH).startsWith("k0=")
        .endsWith("k10=" + "v".repeat(40));
  }

  @Test
  void aHugeHeaderIsNotRead() {
    assertThat(sanitized("a=" + "b".repeat(TraceState.MAX_RECEIVED))).isNull();
    assertThat(sanitized(",".repeat(100_000))).isNull();
  }
}
