package io.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KnownSafeHeadersTest {

  private static final AsciiString NAME = KnownSafeHeaders.name("x-known-safe-test");
  private static final AsciiString VALUE = KnownSafeHeaders.value("known safe");

  @Test
  void registeredConstantsAreAddedAndEverythingElseIsValidated() {
    HttpHeaders headers = KnownSafeHeaders.headersFactory().newHeaders();
    headers.add(NAME, VALUE);
    assertThat(headers.get("X-Known-Safe-Test")).isEqualTo("known safe");

    assertThatThrownBy(() -> headers.add("bad name", "v")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> headers.add(NAME, "split\r\nset-cookie: a=b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> headers.add(NAME, new AsciiString("split\r\nset-cookie: a=b")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEqualTextInAnotherObjectIsValidatedAsUsual() {
    AsciiString lookalike = new AsciiString("x-known-safe-test");
    assertThat(lookalike.contentEquals(NAME)).isTrue();
    assertThat(KnownSafeHeaders.isRegistered(lookalike)).isFalse();
    assertThat(KnownSafeHeaders.isRegistered(NAME)).isTrue();
    assertThat(KnownSafeHeaders.isRegistered("x-known-safe-test")).isFalse();
  }

  @Test
  void aConstantThatIsNotValidIsRefusedWhenRegistered() {
    assertThatThrownBy(() -> KnownSafeHeaders.name("x bad")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KnownSafeHeaders.value("a\nb")).isInstanceOf(IllegalArgumentException.class);
    assertThat(KnownSafeHeaders.isRegistered(new AsciiString("x bad"))).isFalse();
  }

  @Test
  void manyRegistrationsStayFindable() {
    AsciiString[] names = new AsciiString[200];
    for (int i = 0; i < names.length; i++) {
      names[i] = KnownSafeHeaders.name("x-known-safe-" + i);
    }
    for (AsciiString name : names) {
      assertThat(KnownSafeHeaders.isRegistered(name)).as(name.toString()).isTrue();
    }
  }

  @Test
  void aDecoderWithTheseHeadersStillRejectsAnInvalidHeader() {
    EmbeddedChannel channel = new EmbeddedChannel(new HttpResponseDecoder(new HttpDecoderConfig()
        .setHeadersFactory(KnownSafeHeaders.headersFactory())));
    channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nx-ok: 1\r\nx-bad: a\u0001b\r\nContent-Length: 0\r\n\r\n",
        StandardCharsets.ISO_8859_1));
    HttpResponse response = channel.readInbound();
    assertThat(response.decoderResult().isFailure()).isTrue();
    channel.finishAndReleaseAll();
  }
}
